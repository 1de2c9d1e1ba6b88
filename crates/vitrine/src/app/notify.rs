//! The service manager's view of the kiosk: `READY=1` once the first frame is up, a `STATUS=` line saying what is shown, and `WATCHDOG=1` pings from the UI loop, through the `sd-notify` crate.
//!
//! Everything here is a no-op unless systemd (or another manager speaking
//! the protocol) set `NOTIFY_SOCKET`. The pings come from the UI loop itself,
//! not from a thread of their own, so a loop that stalls (a hung driver, a
//! deadlock) stops them and the manager restarts the kiosk.

use std::time::{Duration, Instant};

use sd_notify::NotifyState;

/// The watchdog period systemd asks for. `WATCHDOG_PID` names the unit's
/// main process; under the kiosk session that is cage, whose child vitrine
/// is, so the parent's pid counts too (sd-notify's own check accepts only
/// the process itself, which would leave cage's child never pinging).
fn watchdog_usec() -> Option<Duration> {
    let usec: u64 = std::env::var("WATCHDOG_USEC").ok()?.parse().ok()?;
    let ours = match std::env::var("WATCHDOG_PID") {
        Err(_) => true,
        Ok(pid) => pid.parse::<u32>().is_ok_and(|pid| {
            pid == std::process::id() || pid == std::os::unix::process::parent_id()
        }),
    };
    (ours && usec > 0).then(|| Duration::from_micros(usec))
}

/// How often the status line is looked at for a change.
const STATUS_EVERY: Duration = Duration::from_secs(1);

/// The notifications one kiosk sends.
pub struct Notifier {
    /// Whether a manager listens at all.
    active: bool,
    ready: bool,
    /// How often to ping: a third of `WATCHDOG_USEC`, so a ping or two may
    /// be late without a restart.
    every: Option<Duration>,
    last_ping: Instant,
    status: String,
    /// When the status was last looked at: at most once a second, so a busy
    /// loop does not build it on every pass.
    status_checked: Option<Instant>,
}

impl Notifier {
    /// A notifier for the manager the environment names, if any.
    pub fn from_env() -> Self {
        let active = std::env::var_os("NOTIFY_SOCKET").is_some();
        let every = if active {
            watchdog_usec().map(|t| (t / 3).max(Duration::from_millis(10)))
        } else {
            None
        };
        if let Some(every) = every {
            tracing::info!(every = ?every, "pinging the systemd watchdog from the UI loop");
        }
        Self {
            active,
            ready: false,
            every,
            last_ping: Instant::now(),
            status: String::new(),
            status_checked: None,
        }
    }

    fn send(&self, states: &[NotifyState<'_>]) {
        if let Err(e) = sd_notify::notify(states) {
            tracing::debug!(%e, "cannot notify the service manager");
        }
    }

    /// The kiosk is up: its first frame is on screen (headless: its loop
    /// runs). Sent once.
    pub fn ready(&mut self) {
        if self.active && !self.ready {
            self.ready = true;
            self.send(&[NotifyState::Ready]);
            self.last_ping = Instant::now();
        }
    }

    /// One pass of the UI loop: pings the watchdog when one is due, and
    /// says what is shown when that changed (looked at once a second; the
    /// loop need not wake for it, as it wakes for pings).
    pub fn tick(&mut self, status: impl FnOnce() -> String) {
        if !self.active {
            return;
        }
        if self
            .every
            .is_some_and(|every| self.last_ping.elapsed() >= every)
        {
            self.last_ping = Instant::now();
            self.send(&[NotifyState::Watchdog]);
        }
        if self
            .status_checked
            .is_some_and(|t| t.elapsed() < STATUS_EVERY)
        {
            return;
        }
        self.status_checked = Some(Instant::now());
        let status = status();
        if status != self.status {
            self.send(&[NotifyState::Status(&status)]);
            self.status = status;
        }
    }

    /// How long the loop may sleep before the next ping is due.
    pub fn deadline(&self) -> Option<Duration> {
        self.every
            .map(|every| (self.last_ping + every).saturating_duration_since(Instant::now()))
    }
}

/// Tests only, compiled out of release builds: while the file named by
/// `VITRINE_DEBUG_STALL` exists, the UI loop hangs here, as a hung driver
/// would hang it.
#[cfg(debug_assertions)]
pub fn debug_stall() {
    static PATH: std::sync::OnceLock<Option<std::path::PathBuf>> = std::sync::OnceLock::new();
    let Some(path) = PATH.get_or_init(|| std::env::var_os("VITRINE_DEBUG_STALL").map(Into::into))
    else {
        return;
    };
    while path.exists() {
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Release builds have no way to stall the loop.
#[cfg(not(debug_assertions))]
pub fn debug_stall() {}
