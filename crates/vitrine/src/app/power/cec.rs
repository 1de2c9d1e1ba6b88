//! The screen's power through HDMI-CEC: `cec-ctl` (Debian's v4l-utils) asks the TV to go to standby or to show this input, on one thread of its own, since the CEC bus is slow and a TV may never answer.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use super::switch::PowerSwitch;

/// The program that speaks CEC.
const PROGRAM: &str = "cec-ctl";

/// The most of `cec-ctl`'s error output kept for the log.
const MAX_STDERR: u64 = 1024;

/// What the thread is asked: the latest power wanted (a newer request
/// replaces one not yet run), or to stop.
#[derive(Default)]
struct Slot {
    want: Option<bool>,
    stop: bool,
}

type Shared = Arc<(Mutex<Slot>, Condvar)>;

/// HDMI-CEC through `cec-ctl` on one adapter.
pub struct CecPower {
    shared: Shared,
}

impl CecPower {
    /// The switch, when the adapter exists and `cec-ctl` is on the `PATH`;
    /// `None` otherwise (logged at debug), or when its thread cannot start.
    pub fn connect(device: &Path, timeout: Duration) -> Option<Self> {
        if std::fs::metadata(device).is_err() {
            tracing::debug!(device = %device.display(), "no CEC adapter");
            return None;
        }
        let Some(program) = on_path(PROGRAM) else {
            tracing::debug!("no cec-ctl on the PATH (Debian's v4l-utils has it)");
            return None;
        };
        let shared: Shared = Arc::default();
        let worker = Worker {
            shared: shared.clone(),
            program,
            device: device.to_path_buf(),
            timeout,
        };
        std::thread::Builder::new()
            .name("vitrine-power".into())
            .spawn(move || worker.run())
            .map_err(|e| tracing::warn!(%e, "cannot start the CEC thread"))
            .ok()?;
        Some(Self { shared })
    }
}

impl PowerSwitch for CecPower {
    fn name(&self) -> &'static str {
        "cec"
    }

    /// Hands the request to the thread and returns at once; how it went
    /// is logged there.
    fn set(&mut self, on: bool) -> Result<(), String> {
        let (slot, wake) = &*self.shared;
        slot.lock().unwrap_or_else(|e| e.into_inner()).want = Some(on);
        wake.notify_one();
        Ok(())
    }
}

impl Drop for CecPower {
    fn drop(&mut self) {
        let (slot, wake) = &*self.shared;
        slot.lock().unwrap_or_else(|e| e.into_inner()).stop = true;
        wake.notify_one();
    }
}

struct Worker {
    shared: Shared,
    program: PathBuf,
    device: PathBuf,
    timeout: Duration,
}

impl Worker {
    fn run(self) {
        loop {
            let on = {
                let (slot, wake) = &*self.shared;
                let mut s = slot.lock().unwrap_or_else(|e| e.into_inner());
                while s.want.is_none() && !s.stop {
                    s = wake.wait(s).unwrap_or_else(|e| e.into_inner());
                }
                if s.stop {
                    return;
                }
                s.want.take().unwrap_or(true)
            };
            match self.send(on) {
                Ok(()) => {
                    tracing::info!(on, device = %self.device.display(), "CEC: the TV was told")
                }
                Err(e) => tracing::warn!(
                    on,
                    device = %self.device.display(),
                    "cannot switch the TV through cec-ctl: {e}; the screen shows a black frame instead"
                ),
            }
        }
    }

    /// One `cec-ctl` run: claim a playback device's address, then standby
    /// (off) or image-view-on (on) to the TV, logical address 0.
    fn send(&self, on: bool) -> Result<(), String> {
        let message = if on { "--image-view-on" } else { "--standby" };
        let mut child = Command::new(&self.program)
            .arg("-d")
            .arg(&self.device)
            .args(["--playback", "--to", "0", message])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", self.program.display()))?;
        let deadline = Instant::now() + self.timeout;
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Ok(None) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(format!(
                        "no answer within {:?} (display.command_timeout)",
                        self.timeout
                    ));
                }
                Err(e) => return Err(e.to_string()),
            }
        };
        let mut said = Vec::new();
        if let Some(err) = child.stderr.take() {
            let _ = err.take(MAX_STDERR).read_to_end(&mut said);
        }
        let said = String::from_utf8_lossy(&said);
        // cec-ctl exits 0 even when the adapter could not send ("Adapter is
        // unconfigured"); what it says on stderr is the failure.
        if status.success() && said.trim().is_empty() {
            return Ok(());
        }
        Err(format!("{status}: {}", said.trim()))
    }
}

/// Where `program` is on the `PATH`, if it is.
fn on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}
