//! Whether the window system took the kiosk's first frame: presented, then confirmed by the next redraw (on Wayland winit holds that back until the compositor's frame callback), what READY=1 waits for; and the error, with what is known, when it never comes.

use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use serde::{Deserialize, Serialize};

/// How long after the window opens a first frame may take before it is
/// logged as an error. Not a key: a start on lavapipe takes well under a
/// second, and the line only reports; nothing is stopped.
const OVERDUE: Duration = Duration::from_secs(5);

/// Where the first frame is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Nothing presented yet.
    Waiting,
    /// Presented; the window system has not confirmed it.
    Presented,
    /// Confirmed after this long.
    Taken(Duration),
}

/// The first frame's progress since the window opened.
pub struct FirstFrame {
    opened: Instant,
    stage: Stage,
    reported_overdue: bool,
}

impl FirstFrame {
    pub fn new(opened: Instant) -> Self {
        Self {
            opened,
            stage: Stage::Waiting,
            reported_overdue: false,
        }
    }

    pub fn stage(&self) -> Stage {
        self.stage
    }

    /// A frame was presented. True for the first one: the caller asks for
    /// one more redraw, which comes once the window system took it.
    pub fn presented(&mut self) -> bool {
        if self.stage == Stage::Waiting {
            self.stage = Stage::Presented;
            return true;
        }
        false
    }

    /// A redraw came. True when it confirms the first frame, which was
    /// taken after the returned time.
    pub fn redrawn(&mut self, now: Instant) -> Option<Duration> {
        if self.stage != Stage::Presented {
            return None;
        }
        let after = now.saturating_duration_since(self.opened);
        self.stage = Stage::Taken(after);
        Some(after)
    }

    /// True once, when no frame has been taken [`OVERDUE`] after the window
    /// opened.
    pub fn overdue(&mut self, now: Instant) -> bool {
        let late = !matches!(self.stage, Stage::Taken(_))
            && now.saturating_duration_since(self.opened) >= OVERDUE;
        if late && !self.reported_overdue {
            self.reported_overdue = true;
            return true;
        }
        false
    }
}

/// What is known of the session, for the overdue error: the window
/// system, and the process that started vitrine (under a kiosk session,
/// the compositor itself, such as cage or sway).
pub fn session() -> (String, String) {
    let system = if std::env::var_os("WAYLAND_DISPLAY").is_some() {
        "Wayland"
    } else if std::env::var_os("DISPLAY").is_some() {
        "X11"
    } else {
        "unknown"
    };
    let parent = std::os::unix::process::parent_id();
    let compositor = std::fs::read_to_string(format!("/proc/{parent}/comm"))
        .map(|c| c.trim().to_string())
        .unwrap_or_else(|_| "unknown".into());
    (system.into(), compositor)
}

/// The file in the state folder where the last windowed run left its
/// first frame's fate, for `vitrine doctor`.
const RECORD_FILE: &str = "first-frame.json";
/// A record is a few hundred bytes; anything larger is not one.
const RECORD_MAX_BYTES: u64 = 4096;

/// What the last windowed run knew of its first frame.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FirstFrameRecord {
    /// Milliseconds from the window opening to the frame being taken;
    /// `None` when none was taken in time.
    pub taken_ms: Option<u64>,
    pub window_system: String,
    /// The process that started vitrine (the compositor, under a kiosk
    /// session).
    pub started_by: String,
    /// When it was written, in seconds since the Unix epoch.
    pub at: u64,
}

impl FirstFrameRecord {
    pub fn new(taken: Option<Duration>) -> Self {
        let (window_system, started_by) = session();
        Self {
            taken_ms: taken.map(|d| d.as_millis() as u64),
            window_system,
            started_by,
            at: SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
        }
    }

    /// Writes it in `dir`, whole or not at all. A record that cannot be
    /// written is only logged: it is for the doctor, not the screen.
    pub fn write(&self, dir: &Path) {
        let path = dir.join(RECORD_FILE);
        let tmp = dir.join(format!("{RECORD_FILE}.part"));
        let written = serde_json::to_vec_pretty(self)
            .map_err(std::io::Error::other)
            .and_then(|bytes| {
                std::fs::create_dir_all(dir)?;
                std::fs::write(&tmp, bytes)?;
                std::fs::rename(&tmp, &path)
            });
        if let Err(e) = written {
            tracing::debug!(%e, path = %path.display(), "cannot record the first frame");
        }
    }

    /// The record in `dir`, if there is a whole one.
    pub fn read(dir: &Path) -> Option<Self> {
        let path = dir.join(RECORD_FILE);
        if std::fs::metadata(&path).ok()?.len() > RECORD_MAX_BYTES {
            return None;
        }
        serde_json::from_slice(&std::fs::read(path).ok()?).ok()
    }

    /// One line for the doctor.
    pub fn describe(&self) -> String {
        match self.taken_ms {
            Some(ms) => format!(
                "first frame taken {ms} ms after the window opened ({}, started by {})",
                self.window_system, self.started_by
            ),
            None => format!(
                "NO frame taken within {} s ({}, started by {}): the screen may have stayed blank",
                OVERDUE.as_secs(),
                self.window_system,
                self.started_by
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_frame_is_taken_only_after_a_redraw_that_follows_its_present() {
        let t0 = Instant::now();
        let mut f = FirstFrame::new(t0);
        // A redraw before anything was presented confirms nothing.
        assert_eq!(f.redrawn(t0), None);
        assert!(f.presented());
        assert!(!f.presented(), "only the first present asks for a check");
        assert_eq!(f.stage(), Stage::Presented);
        let after = f.redrawn(t0 + Duration::from_millis(120)).unwrap();
        assert_eq!(after, Duration::from_millis(120));
        assert_eq!(f.stage(), Stage::Taken(after));
        assert_eq!(f.redrawn(t0 + Duration::from_secs(1)), None);
        assert!(!f.overdue(t0 + Duration::from_secs(60)));
    }

    #[test]
    fn the_record_is_read_back_and_a_large_or_broken_one_is_not() {
        let dir = std::env::temp_dir().join(format!("vitrine-first-frame-{}", std::process::id()));
        let r = FirstFrameRecord::new(Some(Duration::from_millis(105)));
        r.write(&dir);
        assert_eq!(FirstFrameRecord::read(&dir), Some(r.clone()));
        assert!(r.describe().contains("105 ms"));
        assert!(FirstFrameRecord::new(None).describe().contains("NO frame"));
        std::fs::write(dir.join(RECORD_FILE), vec![b' '; 5000]).unwrap();
        assert_eq!(FirstFrameRecord::read(&dir), None);
        std::fs::write(dir.join(RECORD_FILE), b"{").unwrap();
        assert_eq!(FirstFrameRecord::read(&dir), None);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn a_frame_never_taken_is_reported_once_when_overdue() {
        let t0 = Instant::now();
        let mut f = FirstFrame::new(t0);
        assert!(f.presented());
        assert!(!f.overdue(t0 + Duration::from_secs(1)));
        assert!(f.overdue(t0 + OVERDUE));
        assert!(!f.overdue(t0 + OVERDUE * 2), "reported once");
    }
}
