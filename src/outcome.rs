//! What a request came to, in the kiosk's own terms: failures by kind, load results, and the callers who wait for them.
//!
//! Nothing here knows the wire. The remote module alone maps a
//! [`FailureKind`] to the IDL's `pushResult`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;

/// Why something could not be done, as a kind a program can act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FailureKind {
    /// The request itself is wrong: an empty name, a malformed URL, a
    /// document over its limits.
    Invalid,
    /// The widget, file or URL does not exist.
    NotFound,
    /// The content policy does not allow it.
    Forbidden,
    /// Vitrine cannot show or do that (an unknown format, `play` on an image).
    Unsupported,
    /// Fetched content is over its size limit.
    TooLarge,
    /// It took longer than its limit.
    TimedOut,
    /// Anything else went wrong on the way.
    Failed,
}

/// Why a load or call failed: its kind and a message a person can act on.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadFailure {
    pub kind: FailureKind,
    pub message: String,
}

impl LoadFailure {
    pub fn new(kind: FailureKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for LoadFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}: {}", self.kind, self.message)
    }
}

/// The result a caller gets: the kind of widget shown, or why nothing changed.
pub type LoadResult = Result<&'static str, LoadFailure>;

/// Someone waiting for a load. When they stop waiting (a timeout), the load
/// is cancelled: its content is dropped when it arrives, so the screen never
/// changes after the caller was told it would not.
#[derive(Clone, Debug)]
pub struct Caller {
    tx: Sender<LoadResult>,
    cancelled: Arc<AtomicBool>,
}

impl Caller {
    pub fn new(tx: Sender<LoadResult>) -> (Caller, Arc<AtomicBool>) {
        let cancelled = Arc::new(AtomicBool::new(false));
        (
            Caller {
                tx,
                cancelled: cancelled.clone(),
            },
            cancelled,
        )
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::SeqCst)
    }

    /// Tells the caller. One who stopped waiting is not an error.
    pub fn reply(&self, result: LoadResult) {
        let _ = self.tx.send(result);
    }
}
