//! The way back for HTML cards that followed links: what each card was given before its first link, and the reload of that page, in place, on a reset.
use super::Kiosk;
use crate::app::load::request::{LoadRequest, Origin, Placement, Source, WayBack};
use crate::state;

impl Kiosk {
    /// A card is about to follow a link: remembers, once, what it shows now,
    /// so a reset can take it back. The back office's source wins (it is
    /// what the shop asked for); otherwise the page's own URL (the demo, the
    /// command line).
    pub(super) fn remember_way_back(&mut self, name: &str) {
        if self.navigated.contains_key(name) {
            return;
        }
        let Some(w) = self.scene.by_name(name) else {
            return;
        };
        // A page's widget is its viewport in local pixels.
        let viewport = (w.size().x.round() as u32, w.size().y.round() as u32);
        let back = match self.keeper.desired.widget(name).map(|w| &w.source) {
            Some(state::Source::Url { url, .. }) => {
                WayBack::Load(Source::Url(url.clone()), viewport)
            }
            Some(state::Source::Html { data, base_url, .. }) => WayBack::Html {
                html: data.clone(),
                base_url: base_url.clone(),
                viewport,
            },
            None => {
                let Some(url) = self.widgets.get(w.id()).and_then(|e| e.url.clone()) else {
                    return;
                };
                WayBack::Load(operator_source(url), viewport)
            }
        };
        self.navigated.insert(name.to_string(), back);
    }

    /// The widget got content of its own again (a push, a removal): there
    /// is nothing to go back to.
    pub(super) fn forget_way_back(&mut self, name: &str) {
        self.navigated.remove(name);
    }

    /// Takes every card that followed links back to the page it was given,
    /// where it is and at its place in the z-order.
    pub(super) fn go_back(&mut self) {
        let cards: Vec<(String, WayBack)> = self.navigated.drain().collect();
        for (name, back) in cards {
            tracing::info!(%name, "reset: back to the page it was given");
            match back {
                WayBack::Load(source, viewport) => self.load(LoadRequest {
                    name,
                    source,
                    placement: Placement::InPlace,
                    origin: Origin::Tap,
                    viewport: Some(viewport),
                    poster: None,
                }),
                WayBack::Html {
                    html,
                    base_url,
                    viewport,
                } => self.post_html(
                    &name,
                    html,
                    base_url,
                    Some(viewport),
                    Placement::InPlace,
                    Origin::Tap,
                ),
            }
        }
    }
}

/// A page the operator named (the demo, the command line) is a trusted
/// file; its `file://` URL becomes that file again, outside the content
/// policy, as it was first loaded.
fn operator_source(url: String) -> Source {
    match url::Url::parse(&url)
        .ok()
        .and_then(|u| u.to_file_path().ok())
    {
        Some(path) if url.starts_with("file:") => Source::File(path),
        _ => Source::Url(url),
    }
}
