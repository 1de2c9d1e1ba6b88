//! The one command path behind every remote front end (the JSON socket, Thrift): queries answered from the view the UI publishes, loads and calls handed to the UI thread and waited for within their deadlines.

use std::sync::mpsc::{RecvTimeoutError, Sender, channel};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::command::{Call, CallResult, Load};
use crate::outcome::{Caller, FailureKind, LoadFailure, LoadResult};
use vitrine_wake::Wake;

/// A request the UI thread must carry out, with the way back to its caller.
pub enum Task {
    /// `fetchUrl` or `postHtml`: the caller hears when the content is shown
    /// or has failed.
    Load { load: Load, caller: Caller },
    /// Anything else that needs the scene or the renderer.
    Call {
        call: Call,
        reply: Sender<CallResult>,
    },
}

/// What the UI publishes for reads that need no round trip to it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct View {
    /// The front-most widget's name, or "" on an empty screen.
    pub current_name: String,
    /// Its URL: "" for posted HTML and on an empty screen.
    pub current_url: String,
    /// The desired state's revision.
    pub revision: u64,
    /// The screen's power, as `ping` reports it.
    pub display: DisplayView,
    /// The layout the schedule shows and its next change.
    pub schedule: crate::schedule_view::ScheduleView,
}

/// The `display` method when nothing switches the screen itself: one black
/// frame and no more drawing.
pub const BLACK_FRAME: &str = "black-frame";

/// The screen's power as readers see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DisplayView {
    pub on: bool,
    /// How the screen itself is switched (`display`'s `method`).
    pub method: &'static str,
}

impl Default for DisplayView {
    fn default() -> Self {
        Self {
            on: true,
            method: BLACK_FRAME,
        }
    }
}

/// How long a call to the UI may take before it is reported as failed.
const CALL_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a call never reached an answer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Unanswered {
    #[error("the kiosk is shutting down")]
    ShuttingDown,
    #[error("the kiosk did not answer in time")]
    NoAnswer,
}

/// The way from any front end to the UI thread, shared by all of them, so
/// they can never disagree.
pub struct Dispatch {
    commands: Sender<Task>,
    wake: Arc<dyn Wake>,
    view: Arc<RwLock<View>>,
    load_timeout: Duration,
    started: Instant,
}

impl Dispatch {
    /// `commands` goes to the UI thread, which `wake` wakes; it publishes
    /// `view`. Loads wait at most `load_timeout`.
    pub fn new(
        commands: Sender<Task>,
        wake: Arc<dyn Wake>,
        view: Arc<RwLock<View>>,
        load_timeout: Duration,
    ) -> Self {
        Self {
            commands,
            wake,
            view,
            load_timeout,
            started: Instant::now(),
        }
    }

    /// Reads the published view.
    pub fn read<R>(&self, f: impl FnOnce(&View) -> R) -> R {
        f(&self.view.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// How long the server has run.
    pub fn uptime(&self) -> Duration {
        self.started.elapsed()
    }

    /// A load: waits for the content to show or fail, or gives up at the
    /// timeout (which cancels it, so it never shows later).
    pub fn load(&self, load: Load) -> LoadResult {
        let (tx, rx) = channel::<LoadResult>();
        let (caller, waiter) = Caller::new(tx);
        let dropped = || {
            Err(LoadFailure::new(
                FailureKind::Failed,
                "the load was dropped",
            ))
        };
        if self.commands.send(Task::Load { load, caller }).is_err() {
            return Err(LoadFailure::new(
                FailureKind::Failed,
                "the kiosk is shutting down",
            ));
        }
        self.wake.wake();
        match rx.recv_timeout(self.load_timeout) {
            Ok(result) => result,
            Err(RecvTimeoutError::Timeout) => {
                if !waiter.give_up() {
                    // The kiosk claimed the load as the time ran out: the
                    // content is on screen and its reply is on the way.
                    return rx.recv_timeout(CALL_TIMEOUT).unwrap_or_else(|_| dropped());
                }
                Err(LoadFailure::new(
                    FailureKind::TimedOut,
                    format!("not ready after {:?}", self.load_timeout),
                ))
            }
            Err(RecvTimeoutError::Disconnected) => dropped(),
        }
    }

    /// A call the UI thread carries out at once.
    pub fn call(&self, call: Call) -> Result<CallResult, Unanswered> {
        let (tx, rx) = channel();
        self.commands
            .send(Task::Call { call, reply: tx })
            .map_err(|_| Unanswered::ShuttingDown)?;
        self.wake.wake();
        rx.recv_timeout(CALL_TIMEOUT)
            .map_err(|_| Unanswered::NoAnswer)
    }
}
