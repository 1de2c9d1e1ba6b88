//! `setState`: a whole desired-state document, applied only when its revision is newer: widgets it leaves out go, new or changed content loads at its home, unchanged content glides home, and its order and backdrop follow once everything has loaded.

use super::Kiosk;
use super::keeper::transform_at;
use super::layout::GLIDE;
use crate::api::{CallReply, CallResult};
use crate::app::translate;
use crate::outcome::{FailureKind, LoadFailure};
use crate::state::Desired;

impl Kiosk {
    /// Applies `doc` when its revision is newer than the kiosk's. It is
    /// saved first, so the `SUCCESS` that says it was applied is kept
    /// across a crash; a failed save changes nothing on screen.
    pub(super) fn set_state(&mut self, doc: Desired) -> CallResult {
        let current = self.revision();
        // The parsers refuse it already; a revision past what JSON clients
        // represent must never be stored, whatever path it came by.
        if let Err(why) = doc.check_within(self.config.remote.max_name_bytes) {
            return Err(LoadFailure::new(FailureKind::Invalid, why));
        }
        if doc.revision <= current {
            return Ok(CallReply::Applied {
                applied: false,
                revision: current,
            });
        }
        let max = self.config.content.max_widgets;
        if doc.widgets.len() > max {
            return Err(LoadFailure::new(
                FailureKind::Limit,
                format!(
                    "the document has {} widgets, more than content.max_widgets ({max})",
                    doc.widgets.len()
                ),
            ));
        }
        self.keeper.save(&doc).map_err(|why| {
            LoadFailure::new(
                FailureKind::Failed,
                format!("not applied: the state cannot be saved: {why}"),
            )
        })?;
        let old = std::mem::replace(&mut self.keeper.desired, doc.clone());
        tracing::info!(
            from = current,
            to = doc.revision,
            widgets = doc.widgets.len(),
            "applying a desired state"
        );
        self.show_document(&old, doc);
        let revision = self.revision();
        self.tell(crate::events::Event::Revision { revision });
        Ok(CallReply::Applied {
            applied: true,
            revision,
        })
    }

    /// Brings the screen to `doc` (already the desired state), from what
    /// `old` asked for.
    fn show_document(&mut self, old: &Desired, doc: Desired) {
        // What an earlier restore or `setState` still had queued is
        // superseded: the document is the whole layout. A load already
        // running lands, and is removed once the queue drains unless the
        // document names it.
        self.startup.clear_waiting();
        self.remove_strays();
        // The document's backdrop comes back once its widgets are in their
        // order, with the widgets it names above it.
        let now = self.now();
        if self.scene.backdrop().is_shown() {
            self.scene.hide_backdrop(now);
            self.tell_backdrop();
        }
        self.keeper.backdrop = doc.backdrop.clone();
        for w in doc.widgets {
            let unchanged = old.widget(&w.name).is_some_and(|o| o.source == w.source);
            match self.scene.id_of(&w.name).filter(|_| unchanged) {
                Some(id) => {
                    self.set_widget_gestures(id, translate::gestures_in(w.gestures), false);
                    match self.scene.glide_to(id, transform_at(&w.home), now, GLIDE) {
                        Ok(rest) => {
                            self.homes.insert(id, rest);
                        }
                        Err(e) => tracing::warn!(%e, name = %w.name, "a widget cannot glide home"),
                    }
                }
                None => {
                    // Content that replaces a widget on screen may take
                    // its place, as restored content may.
                    if let Some(id) = self.scene.id_of(&w.name) {
                        self.startup.mark(id);
                    }
                    self.queue_kept(w);
                }
            }
        }
        self.keeper.arrange = true;
        self.handle_effects();
        self.restore_backdrop();
    }
}
