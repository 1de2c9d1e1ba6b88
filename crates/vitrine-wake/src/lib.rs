//! Handing over between threads (std only): waking the UI loop, which then looks at its channels and mailboxes, and what a panic caught on another thread said.
//!
//! Payloads travel in each side's own channels; a wake only says "look".
//! Every side that hands something to the UI loop (media, web content,
//! loaders, the servers' dispatch) depends on this crate and on nothing of
//! the others.

use std::sync::{Condvar, Mutex};
use std::time::Duration;

/// Something that wakes the UI loop. Cheap, callable from any thread, and
/// harmless when the loop is already awake.
pub trait Wake: Send + Sync + 'static {
    fn wake(&self);
}

/// The message a panic carried, if it was a string.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}

/// A wake for the headless loop: a flag and a condition variable.
#[derive(Default)]
pub struct Signal {
    woken: Mutex<bool>,
    cond: Condvar,
}

impl Wake for Signal {
    fn wake(&self) {
        // A poisoned lock only means another thread panicked while holding
        // it; the flag is still usable.
        let mut woken = self.woken.lock().unwrap_or_else(|e| e.into_inner());
        *woken = true;
        self.cond.notify_all();
    }
}

impl Signal {
    /// Waits until woken or until `timeout` passes (`None`: no limit), and
    /// clears the flag.
    pub fn wait(&self, timeout: Option<Duration>) {
        let mut woken = self.woken.lock().unwrap_or_else(|e| e.into_inner());
        while !*woken {
            match timeout {
                Some(t) => {
                    let (guard, result) = self
                        .cond
                        .wait_timeout(woken, t)
                        .unwrap_or_else(|e| e.into_inner());
                    woken = guard;
                    if result.timed_out() {
                        break;
                    }
                }
                None => woken = self.cond.wait(woken).unwrap_or_else(|e| e.into_inner()),
            }
        }
        *woken = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn a_wake_from_another_thread_ends_the_wait() {
        let s = Arc::new(Signal::default());
        let s2 = s.clone();
        let t = std::thread::spawn(move || s2.wake());
        s.wait(None);
        t.join().unwrap();
        // An early wake is not lost either.
        s.wake();
        s.wait(None);
    }
}
