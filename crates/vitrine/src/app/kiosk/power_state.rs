//! The screen's power as the kiosk holds it: off or on, a frame due, the videos and fingers it remembers, its switch, and the file that keeps it across restarts.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::app::power::PowerSwitch;

/// The file in the state folder that keeps the power across restarts.
pub(super) const FILE: &str = "display.json";

/// The most fingers remembered as having woken the screen (each is
/// swallowed until it lifts); a multi-touch panel reports at most tens.
pub(super) const MAX_WAKING: usize = 32;

#[derive(Serialize, Deserialize)]
pub(super) struct Kept {
    pub(super) power: String,
    /// What the schedule last asked of the screen, so a restart neither
    /// leaves the screen dark after an "off" window ended while the kiosk
    /// was down nor undoes a manager's `display on` inside one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) schedule: Option<crate::plan::DisplayPower>,
}

/// The power's state.
#[derive(Default)]
pub struct Power {
    pub(super) off: bool,
    /// One frame is due: black after going off, the scene after coming on.
    pub(super) repaint: bool,
    /// Videos that going off paused, played again on waking.
    pub(super) paused: Vec<String>,
    /// Fingers that woke the screen, swallowed until they lift.
    pub(super) waking: Vec<u64>,
    pub(super) switch: Option<Box<dyn PowerSwitch>>,
    /// When a remote change last came, on the kiosk's clock.
    pub(super) last_change: Duration,
}
