//! Replies to callers who wait for a load: the outcome, its `pushResult` status, and a flag to give up.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;

use crate::remote::protocol::PushResult;

/// Why a load failed, as a status and a human-readable message.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadFailure {
    pub status: PushResult,
    pub message: String,
}

impl LoadFailure {
    pub fn new(status: PushResult, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for LoadFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.status.name(), self.message)
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
