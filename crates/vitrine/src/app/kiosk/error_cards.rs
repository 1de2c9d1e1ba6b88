//! Failed loads: the caller told and nothing changed, or, for startup content, an error card (HTML, or the built-in PNG when even that fails) in its place.

use super::{Kiosk, image_size};
use crate::app::load::request::{Origin, Placement};
use crate::app::pages::PageMeta;
use crate::app::widgets::{Entry, Texture};
use crate::html::{CARD_VIEWPORT, PageSource, error_card_html};
use crate::outcome::{FailureKind, LoadFailure};
use crate::scene::Kind;

impl Kiosk {
    /// A load failed. A caller is told and nothing changes; a tap's failure
    /// is logged; startup content gets an error card in its place.
    pub(super) fn failed(
        &mut self,
        name: &str,
        source: &str,
        placement: &Placement,
        origin: &Origin,
        failure: &LoadFailure,
    ) {
        self.tell_failed(name, source, failure);
        match origin {
            Origin::Playlist(turn) => self.turn_failed(*turn, failure),
            Origin::Preview(id) => self.preview_failed(*id, name, failure),
            Origin::Caller(..) | Origin::Tap => {
                tracing::warn!(%name, %source, %failure, "load failed; nothing changed on screen");
                self.answer(origin, Err(failure.clone()));
            }
            Origin::Startup if failure.kind == FailureKind::Limit => {
                // An error card would need the room there is not.
                tracing::error!(%name, %source, %failure, "content not shown");
                self.startup_settled(origin);
                self.first_item_refused(name);
            }
            Origin::Startup => {
                tracing::error!(%name, %source, %failure, "content failed to load; showing an error card");
                let detail = failure.message.clone();
                self.show_error_card(
                    name,
                    placement,
                    origin.clone(),
                    "This content could not be shown",
                    &detail,
                    source,
                );
            }
        }
    }

    /// Renders an error card (HTML, through the same path as any page) into
    /// the widget `name`.
    pub(super) fn show_error_card(
        &mut self,
        name: &str,
        placement: &Placement,
        origin: Origin,
        title: &str,
        detail: &str,
        source: &str,
    ) {
        let html = error_card_html(title, detail, source);
        let scale = self.scale_for(name, placement, CARD_VIEWPORT);
        let page = PageSource::Inline {
            html,
            base_url: None,
        };
        let meta = PageMeta {
            placement: placement.clone(),
            origin: origin.clone(),
            card: true,
            source: source.to_string(),
            url: None,
        };
        let opened = self.pages.open(name, page, CARD_VIEWPORT, scale, meta);
        if let Err(e) = opened {
            tracing::error!(%name, %e, "the error card cannot be rendered");
            self.show_png_card(name, placement, &origin);
            self.startup_settled(&origin);
        }
    }

    pub(super) fn show_png_card(&mut self, name: &str, placement: &Placement, origin: &Origin) {
        let size = image_size(&self.error_card.1);
        let entry = Entry::still(None, Texture::Shared(self.error_card.0));
        self.place(name, Kind::ErrorCard, size, entry, placement, origin);
    }
}
