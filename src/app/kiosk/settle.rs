//! How every pass of the loop ends: the view the remote server reads is rebuilt from the scene, then the replies that waited for it are sent.
//!
//! Replies wait for the view so that a caller told `SUCCESS` who asks
//! `whatsLoaded` at once hears about the content it was just told is shown.

use std::sync::mpsc::Sender;
use std::sync::{Arc, RwLock};

use super::super::loader::Origin;
use super::Kiosk;
use crate::outcome::{Caller, LoadResult};
use crate::remote::{CallResult, View};

/// The published view and the replies that wait for the next one.
#[derive(Default)]
pub struct Outbox {
    view: Option<Arc<RwLock<View>>>,
    /// What was last published, so an unchanged view costs no lock.
    published: View,
    loads: Vec<(Caller, LoadResult)>,
    calls: Vec<(Sender<CallResult>, CallResult)>,
}

impl Kiosk {
    /// Gives the kiosk the view the remote server reads, and fills it.
    pub fn set_view(&mut self, view: Arc<RwLock<View>>) {
        self.outbox.view = Some(view);
        self.outbox.published = View::default();
        self.publish();
    }

    /// Queues the outcome of a load for its caller, if it has one.
    pub(super) fn answer(&mut self, origin: &Origin, result: LoadResult) {
        if let Some(caller) = origin.caller() {
            self.outbox.loads.push((caller.clone(), result));
        }
    }

    /// Queues the outcome of a call.
    pub(super) fn answer_call(&mut self, reply: Sender<CallResult>, result: CallResult) {
        self.outbox.calls.push((reply, result));
    }

    /// Ends a pass: publishes the view of what the screen now shows, then
    /// sends the replies that waited for it. Every entry point that can
    /// change the screen (`pump`, remote tasks) ends here, and this is the
    /// only place the view is built.
    pub fn settle(&mut self) {
        self.publish();
        for (caller, result) in self.outbox.loads.drain(..) {
            caller.reply(result);
        }
        for (reply, result) in self.outbox.calls.drain(..) {
            // A caller who stopped waiting is not an error.
            let _ = reply.send(result);
        }
    }

    /// The front-most widget's name and URL, as `whatsLoaded` and
    /// `currentUrl` answer.
    pub fn current(&self) -> View {
        let Some(w) = self.scene.current() else {
            return View::default();
        };
        let url = self
            .widgets
            .get(w.id())
            .and_then(|e| e.url.clone())
            .unwrap_or_default();
        View {
            current_name: w.name().to_string(),
            current_url: url,
        }
    }

    fn publish(&mut self) {
        let Some(view) = &self.outbox.view else {
            return;
        };
        let now = self.current();
        if now == self.outbox.published {
            return;
        }
        let mut v = view.write().unwrap_or_else(|e| e.into_inner());
        *v = now.clone();
        drop(v);
        self.outbox.published = now;
    }
}
