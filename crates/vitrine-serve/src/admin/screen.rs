//! The live screen for the admin page: one capture (the `screenshot` call), scaled down and encoded at most once per interval however many pages watch, shared by all of them.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use vitrine_api::command::{Call, CallReply};
use vitrine_api::dispatch::Dispatch;

/// One encoded capture.
#[derive(Clone, Debug)]
pub struct Frame {
    /// Counts captures since start: pages that got the same number got the
    /// same encoding.
    pub number: u64,
    pub png: Arc<Vec<u8>>,
}

/// The latest capture and the rule for taking the next.
pub struct Screen {
    width: u32,
    interval: Duration,
    /// The last capture, or why it failed: a failure is kept for an
    /// interval too, so pages do not queue behind a stalled UI thread.
    latest: Mutex<Option<(Instant, Result<Frame, String>)>>,
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
        if let Some((taken, result)) = latest.as_ref()
            && taken.elapsed() < self.interval
        {
            return result.clone();
        }
        let result = self.capture(dispatch);
        *latest = Some((Instant::now(), result.clone()));
        result
    }

    fn capture(&self, dispatch: &Dispatch) -> Result<Frame, String> {
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
        Ok(Frame {
            number: self.captures.fetch_add(1, Ordering::Relaxed) + 1,
            png: Arc::new(png),
        })
    }
}
