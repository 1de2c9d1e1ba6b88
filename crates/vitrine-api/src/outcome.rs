//! What a request came to, in the kiosk's own terms: failures by kind, load results, and the callers who wait for them.
//!
//! Nothing here knows the wire. The remote module alone maps a
//! [`FailureKind`] to the IDL's `pushResult`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
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
    /// A configured bound is reached (widgets, players, queued loads); the
    /// message names the config key.
    Limit,
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

/// Someone waiting for a load. A load ends exactly once: either the kiosk
/// claims it to show it (and the caller hears how it went), or the caller
/// gives up first (a timeout) and the load never shows. Both sides decide
/// with one compare-and-swap on a shared state, so they cannot both win.
#[derive(Clone, Debug)]
pub struct Caller {
    tx: Sender<LoadResult>,
    state: Arc<AtomicU8>,
}

/// The caller is waiting.
const WAITING: u8 = 0;
/// The kiosk is showing the content; a reply is on its way.
const CLAIMED: u8 = 1;
/// The caller gave up; the content must never show.
const CANCELLED: u8 = 2;

/// The caller's end: it can give up, unless the kiosk claimed the load first.
#[derive(Debug)]
pub struct Waiter {
    state: Arc<AtomicU8>,
}

impl Waiter {
    /// Gives up on the load. Returns false when the kiosk claimed it first:
    /// the content is on screen and its reply is coming.
    pub fn give_up(&self) -> bool {
        match self
            .state
            .compare_exchange(WAITING, CANCELLED, Ordering::SeqCst, Ordering::SeqCst)
        {
            Ok(_) => true,
            Err(now) => now == CANCELLED,
        }
    }
}

impl Caller {
    pub fn new(tx: Sender<LoadResult>) -> (Caller, Waiter) {
        let state = Arc::new(AtomicU8::new(WAITING));
        (
            Caller {
                tx,
                state: state.clone(),
            },
            Waiter { state },
        )
    }

    /// Whether the caller gave up: the load must change nothing.
    pub fn is_cancelled(&self) -> bool {
        self.state.load(Ordering::SeqCst) == CANCELLED
    }

    /// Claims the load to show it. Returns false when the caller gave up
    /// first: then it must not show.
    pub fn claim(&self) -> bool {
        match self
            .state
            .compare_exchange(WAITING, CLAIMED, Ordering::SeqCst, Ordering::SeqCst)
        {
            Ok(_) => true,
            Err(now) => now == CLAIMED,
        }
    }

    /// Tells the caller. One who stopped waiting is not an error.
    pub fn reply(&self, result: LoadResult) {
        let _ = self.tx.send(result);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_load_ends_exactly_once() {
        let (tx, _rx) = std::sync::mpsc::channel();
        let (caller, waiter) = Caller::new(tx.clone());
        assert!(caller.claim());
        assert!(!waiter.give_up(), "claimed first: the caller must wait");
        assert!(!caller.is_cancelled());
        let (caller, waiter) = Caller::new(tx);
        assert!(waiter.give_up());
        assert!(!caller.claim(), "given up first: it must never show");
        assert!(caller.is_cancelled());
    }
}
