//! The reset to home for the next customer: after `kiosk.idle_reset` with no touch (or on `reset`), every widget glides home, videos go back to their poster, and the back office's order and backdrop come back.

use std::time::Duration;

use super::Kiosk;
use super::layout::GLIDE;
use crate::app::load::request::{LoadRequest, Origin, Placement, WayBack};
use crate::scene::{VideoRequest, WidgetId};

impl Kiosk {
    /// Resets the screen for the next customer. A touch during the glide
    /// stops it for the widget touched.
    /// `cause` (`idle` or `remote`) goes out with the `reset` event.
    pub fn reset_home(&mut self, cause: &'static str) {
        self.tell(crate::events::Event::Reset { cause });
        let now = self.now();
        let ids: Vec<WidgetId> = self.scene.back_to_front().collect();
        for id in &ids {
            // A widget under a finger stays with the finger, and one that
            // fills the screen never left it.
            let stays = self
                .scene
                .get(*id)
                .is_some_and(|w| w.is_held() || w.gestures().fills());
            if let Some(home) = self.homes.get(id).copied()
                && !stays
                && let Err(e) = self.scene.glide_to(*id, home, now, GLIDE)
            {
                tracing::warn!(%e, "a widget cannot glide home");
            }
            if self.scene.get(*id).is_some_and(|w| w.video().is_some()) {
                let _ = self.scene.video(*id, VideoRequest::Rewind);
            }
        }
        self.kept_order();
        if let Some(b) = self.keeper.screen().backdrop.cloned() {
            self.show_kept_backdrop(b, Vec::new());
        }
        self.go_back();
        self.handle_effects();
        self.idle.went_home();
    }

    /// Takes every card that followed links back to the page it was given,
    /// where it is and at its place in the z-order.
    fn go_back(&mut self) {
        for (name, back) in self.way_backs.take_all() {
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

    /// Puts the widgets in the back office's order.
    pub(super) fn kept_order(&mut self) {
        // The back office's order: widgets that fill the screen at the back,
        // then the ones it did not create (the demo, the command line), which
        // keep their order, then its own in their stored order.
        let ids: Vec<WidgetId> = self.scene.back_to_front().collect();
        let kept: Vec<WidgetId> = self
            .keeper
            .screen()
            .widgets
            .iter()
            .filter_map(|w| self.scene.id_of(&w.name))
            .collect();
        let fills = |id: &WidgetId| self.scene.get(*id).is_some_and(|w| w.gestures().fills());
        let order = ids
            .iter()
            .copied()
            .filter(|id| fills(id))
            .chain(
                ids.iter()
                    .copied()
                    .filter(|id| !kept.contains(id) && !fills(id)),
            )
            .chain(kept.iter().copied().filter(|id| !fills(id)));
        for (z, id) in order.enumerate().collect::<Vec<_>>() {
            let _ = self.scene.move_to(id, z);
        }
    }

    /// Resets to home once the kiosk has been idle for `kiosk.idle_reset`.
    pub(super) fn reset_when_idle(&mut self) {
        if self.idle.due(self.now(), self.scene.finger_count()) {
            let idle = self.idle.after();
            tracing::info!(idle = ?idle, "no touch for a while: back to the home screen");
            self.tell(crate::events::Event::Idle {
                idle_s: idle.as_secs_f64(),
            });
            self.reset_home("idle");
            self.playlists.release_holds();
            self.enter_attract();
        }
    }

    /// How long until the idle reset is due, while one is pending (the
    /// clock starts when the last finger lifts).
    pub(super) fn idle_deadline(&self) -> Option<Duration> {
        self.idle.deadline(self.now(), self.scene.finger_count())
    }
}
