//! The way back for HTML cards that followed links: what each card was given before its first link, kept until a reset reloads it in place or the card gets content of its own.

use std::collections::HashMap;

use crate::app::load::request::{Source, WayBack};
use crate::state;

/// The cards that followed links, by widget name, and what each goes back to.
#[derive(Default)]
pub(super) struct WayBacks {
    cards: HashMap<String, WayBack>,
}

impl WayBacks {
    /// Whether the card `name` already has a way back: only its first link
    /// counts, so a reset goes back to what it was given, not to a page it
    /// was led to.
    pub(super) fn knows(&self, name: &str) -> bool {
        self.cards.contains_key(name)
    }

    /// Remembers `back` for `name`, unless it has one already.
    pub(super) fn remember(&mut self, name: &str, back: WayBack) {
        self.cards.entry(name.to_string()).or_insert(back);
    }

    /// The card got content of its own again (a push, a removal): there is
    /// nothing to go back to.
    pub(super) fn forget(&mut self, name: &str) {
        self.cards.remove(name);
    }

    /// Every card's way back, forgotten here: a reset takes them all.
    pub(super) fn take_all(&mut self) -> Vec<(String, WayBack)> {
        self.cards.drain().collect()
    }
}

/// What a card of `viewport` CSS pixels goes back to: the back office's
/// source when it kept one (it is what the shop asked for), else the page's
/// own URL (the demo, the command line); `None` with neither.
pub(super) fn way_back(
    kept: Option<&state::Source>,
    own_url: Option<&str>,
    viewport: (u32, u32),
) -> Option<WayBack> {
    match kept {
        Some(state::Source::Url { url, .. }) => {
            Some(WayBack::Load(Source::Url(url.clone()), viewport))
        }
        Some(state::Source::Html { data, base_url, .. }) => Some(WayBack::Html {
            html: data.clone(),
            base_url: base_url.clone(),
            viewport,
        }),
        // The playlist's next turn takes the card back.
        Some(state::Source::Playlist { .. }) => None,
        None => own_url.map(|url| WayBack::Load(operator_source(url), viewport)),
    }
}

/// A page the operator named (the demo, the command line) is a trusted
/// file; its `file://` URL becomes that file again, outside the content
/// policy, as it was first loaded.
fn operator_source(url: &str) -> Source {
    match url::Url::parse(url)
        .ok()
        .and_then(|u| u.to_file_path().ok())
    {
        Some(path) if url.starts_with("file:") => Source::File(path),
        _ => Source::Url(url.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_back_offices_source_wins_and_a_file_page_stays_a_file() {
        let kept = state::Source::Url {
            url: "https://shop.example/a".into(),
            poster: None,
        };
        let back = way_back(Some(&kept), Some("file:///x.html"), (800, 600));
        assert!(
            matches!(back, Some(WayBack::Load(Source::Url(ref u), (800, 600))) if u == "https://shop.example/a")
        );
        let own = way_back(None, Some("file:///srv/demo/card.html"), (10, 20));
        assert!(
            matches!(own, Some(WayBack::Load(Source::File(ref p), _)) if p.ends_with("demo/card.html"))
        );
        assert!(way_back(None, None, (1, 1)).is_none());
    }

    #[test]
    fn only_the_first_link_is_remembered_and_a_reset_takes_them_all() {
        let mut backs = WayBacks::default();
        let page = |u: &str| WayBack::Load(Source::Url(u.into()), (1, 1));
        backs.remember("card", page("first"));
        backs.remember("card", page("second"));
        backs.remember("other", page("x"));
        backs.forget("other");
        assert!(backs.knows("card") && !backs.knows("other"));
        let all = backs.take_all();
        assert!(
            matches!(all.as_slice(), [(n, WayBack::Load(Source::Url(u), _))] if n == "card" && u == "first")
        );
        assert!(!backs.knows("card"));
    }
}
