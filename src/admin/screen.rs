//! The live screen for the admin page: one capture (the `screenshot` call), scaled down and encoded at most once per interval however many pages watch, shared by all of them.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::remote::command::{Call, CallReply};
use crate::remote::dispatch::Dispatch;

/// One encoded capture.
#[derive(Clone, Debug)]
pub struct Frame {
    /// Counts captures since start: pages that got the same number got the
    /// same encoding.
    pub number: u64,
    pub png: Arc<Vec<u8>>,
    taken: Instant,
}

/// The latest capture and the rule for taking the next.
pub struct Screen {
    width: u32,
    interval: Duration,
    latest: Mutex<Option<Frame>>,
    captures: AtomicU64,
}

impl Screen {
    pub fn new(width: u32, interval: Duration) -> Self {
        Self {
            width,
            interval,
            latest: Mutex::new(None),
            captures: AtomicU64::new(0),
        }
    }

    /// The latest frame, captured anew when the last one is older than the
    /// interval. The lock is held while capturing, so pages asking at once
    /// wait for one capture and share it.
    pub fn frame(&self, dispatch: &Dispatch) -> Result<Frame, String> {
        let mut latest = self.latest.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(f) = latest.as_ref()
            && f.taken.elapsed() < self.interval
        {
            return Ok(f.clone());
        }
        let reply = dispatch
            .call(Call::Screenshot {
                max_width: Some(self.width),
            })
            .map_err(|e| e.to_string())?;
        let png = match reply {
            Ok(CallReply::Screenshot { png, .. }) => png,
            Ok(_) => return Err("the kiosk answered something else".into()),
            Err(f) => return Err(f.message),
        };
        let frame = Frame {
            number: self.captures.fetch_add(1, Ordering::Relaxed) + 1,
            png: Arc::new(png),
            taken: Instant::now(),
        };
        *latest = Some(frame.clone());
        Ok(frame)
    }
}
