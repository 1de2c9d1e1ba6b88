//! The view the remote server reads, and the replies that wait for it to be published.

use std::sync::mpsc::Sender;
use std::sync::{Arc, RwLock};

use crate::api::{CallResult, DisplayView, ScheduleView, View};
use crate::outcome::{Caller, LoadResult};

/// The published view and the replies that wait for the next one.
#[derive(Default)]
pub struct Outbox {
    view: Option<Arc<RwLock<View>>>,
    /// What was last published, so an unchanged view costs no lock.
    published: View,
    loads: Vec<(Caller, LoadResult)>,
    calls: Vec<(Sender<CallResult>, CallResult)>,
}

impl Outbox {
    /// Publishes to `view` from now on.
    pub fn set_view(&mut self, view: Arc<RwLock<View>>) {
        self.view = Some(view);
        self.published = View::default();
    }

    pub fn queue_load(&mut self, caller: Caller, result: LoadResult) {
        self.loads.push((caller, result));
    }

    pub fn queue_call(&mut self, reply: Sender<CallResult>, result: CallResult) {
        self.calls.push((reply, result));
    }

    /// Publishes the front widget's `name` and `url` and the state's
    /// `revision`, the screen's power and the schedule's view if they differ from what readers see (copying them only
    /// then), then sends the replies that waited for it.
    pub fn flush(
        &mut self,
        name: &str,
        url: &str,
        revision: u64,
        display: DisplayView,
        schedule: &ScheduleView,
    ) {
        if let Some(view) = &self.view
            && (name != self.published.current_name
                || url != self.published.current_url
                || revision != self.published.revision
                || display != self.published.display
                || *schedule != self.published.schedule)
        {
            self.published = View {
                current_name: name.to_string(),
                current_url: url.to_string(),
                revision,
                display,
                schedule: schedule.clone(),
            };
            *view.write().unwrap_or_else(|e| e.into_inner()) = self.published.clone();
        }
        for (caller, result) in self.loads.drain(..) {
            caller.reply(result);
        }
        for (reply, result) in self.calls.drain(..) {
            // A caller who stopped waiting is not an error.
            let _ = reply.send(result);
        }
    }
}
