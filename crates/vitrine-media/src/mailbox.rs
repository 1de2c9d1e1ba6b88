//! The latest-frame mailbox: the streaming thread leaves the newest frame, the UI takes it when it draws.
//!
//! Nothing queues: a frame the UI did not take in time is replaced by the
//! next one, so a stalled UI never makes the stream back up.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use gstreamer as gst;

/// One stream's newest frame and its counters.
#[derive(Default)]
pub struct Mailbox {
    slot: Mutex<Option<gst::Sample>>,
    /// Frames delivered so far; also the sequence number of the newest one.
    delivered: AtomicU64,
}

impl Mailbox {
    /// Leaves a frame, replacing any the UI has not taken.
    pub fn put(&self, sample: gst::Sample) {
        let mut slot = self.slot.lock().unwrap_or_else(|e| e.into_inner());
        *slot = Some(sample);
        self.delivered.fetch_add(1, Ordering::SeqCst);
    }

    /// The newest frame, if one arrived since `seen`, with its sequence number.
    pub fn take_newer(&self, seen: u64) -> Option<(u64, gst::Sample)> {
        let mut slot = self.slot.lock().unwrap_or_else(|e| e.into_inner());
        let seq = self.delivered.load(Ordering::SeqCst);
        if seq == seen {
            return None;
        }
        slot.take().map(|s| (seq, s))
    }

    /// The newest frame without taking it (its caps tell the video size).
    pub fn peek(&self) -> Option<gst::Sample> {
        self.slot.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Frames delivered so far.
    pub fn delivered(&self) -> u64 {
        self.delivered.load(Ordering::SeqCst)
    }
}
