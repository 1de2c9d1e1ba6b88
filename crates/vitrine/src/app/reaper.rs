//! The reaper: one thread that drops what is slow to drop (a video pipeline going to `Null` and its bus thread joining), so the UI thread never waits on a teardown.

use std::sync::mpsc::{RecvTimeoutError, SyncSender, TrySendError, sync_channel};

use super::heap;

/// How many teardowns may wait for the reaper. A video pipeline waiting to be
/// torn down still holds its decoders and buffers, so the queue is short:
/// past it, the UI thread tears down itself, which is slower but keeps the
/// memory of dead players bounded.
const QUEUE: usize = 4;

/// Hands values to the reaper thread to be dropped there.
#[derive(Clone)]
pub struct Reaper {
    tx: Option<SyncSender<Box<dyn Send>>>,
}

impl Reaper {
    /// Starts the reaper thread. If it cannot start, values are dropped where
    /// they are handed over.
    pub fn start() -> Self {
        let (tx, rx) = sync_channel::<Box<dyn Send>>(QUEUE);
        let spawned = std::thread::Builder::new()
            .name("vitrine-reaper".into())
            .spawn(move || {
                // Ends when every sender is gone: the kiosk has shut down.
                // After teardowns, the freed memory goes back to the
                // system (at most once per trim interval, and once more when
                // the queue falls quiet).
                let mut dirty = false;
                let mut last_trim = None;
                loop {
                    match rx.recv_timeout(heap::TRIM_INTERVAL) {
                        Ok(item) => {
                            drop(item);
                            dirty = true;
                        }
                        Err(RecvTimeoutError::Timeout) => {}
                        Err(RecvTimeoutError::Disconnected) => break,
                    }
                    if dirty && heap::trim(&mut last_trim) {
                        dirty = false;
                    }
                }
            });
        match spawned {
            Ok(_) => Self { tx: Some(tx) },
            Err(e) => {
                tracing::warn!(%e, "cannot start the reaper thread; teardowns run on the UI thread");
                Self { tx: None }
            }
        }
    }

    /// Drops `item` on the reaper thread, or here when its queue is full.
    pub fn bury<T: Send + 'static>(&self, item: T) {
        let Some(tx) = &self.tx else { return };
        match tx.try_send(Box::new(item)) {
            Ok(()) => {}
            Err(TrySendError::Full(item) | TrySendError::Disconnected(item)) => drop(item),
        }
    }
}
