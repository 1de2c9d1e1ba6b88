//! How every pass of the loop ends: the view the remote server reads is rebuilt from the scene, then the replies that waited for it are sent.
//!
//! Replies wait for the view so that a caller told `SUCCESS` who asks
//! `whatsLoaded` at once hears about the content it was just told is shown.

use std::sync::mpsc::Sender;
use std::sync::{Arc, RwLock};

use super::Kiosk;
use crate::api::{CallResult, View};
use crate::app::load::request::Origin;
use crate::outcome::LoadResult;

impl Kiosk {
    /// Gives the kiosk the view the remote server reads, and fills it.
    pub fn set_view(&mut self, view: Arc<RwLock<View>>) {
        self.outbox.set_view(view);
        self.settle();
    }

    /// Queues the outcome of a load for its caller, if it has one.
    pub(super) fn answer(&mut self, origin: &Origin, result: LoadResult) {
        if let Some(caller) = origin.caller() {
            self.outbox.queue_load(caller.clone(), result);
        }
    }

    /// Queues the outcome of a call.
    pub(super) fn answer_call(&mut self, reply: Sender<CallResult>, result: CallResult) {
        self.outbox.queue_call(reply, result);
    }

    /// Ends a pass: publishes the view of what the screen now shows, then
    /// sends the replies that waited for it. Every entry point that can
    /// change the screen (`pump`, remote tasks) ends here, and this is the
    /// only place the view is built.
    pub fn settle(&mut self) {
        // Borrowed, not copied: this runs every pass, and the view changes
        // rarely.
        let (name, url) = match self.scene.current() {
            Some(w) => (
                w.name(),
                self.widgets
                    .get(w.id())
                    .and_then(|e| e.url.as_deref())
                    .unwrap_or_default(),
            ),
            None => ("", ""),
        };
        let display = self.display_view();
        let schedule = self.plan.view(&self.keeper.desired, self.keeper.showing());
        self.outbox
            .flush(name, url, self.keeper.revision(), display, schedule);
    }

    /// What the screen shows, in a line, for the service manager's status.
    pub fn status_line(&self) -> String {
        let widgets = self.scene.back_to_front().count();
        let front = self.scene.current().map_or("nothing", |w| w.name());
        format!(
            "showing {widgets} widget(s), {front} in front; state revision {}",
            self.keeper.revision()
        )
    }

    /// The front-most widget's name and URL, as `whatsLoaded` and
    /// `currentUrl` answer.
    pub fn current(&self) -> View {
        let Some(w) = self.scene.current() else {
            return View {
                revision: self.keeper.revision(),
                display: self.display_view(),
                schedule: self.plan.last_view().clone(),
                ..View::default()
            };
        };
        let url = self
            .widgets
            .get(w.id())
            .and_then(|e| e.url.clone())
            .unwrap_or_default();
        View {
            current_name: w.name().to_string(),
            current_url: url,
            revision: self.keeper.revision(),
            display: self.display_view(),
            schedule: self.plan.last_view().clone(),
        }
    }
}
