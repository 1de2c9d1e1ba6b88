//! `[display]`: the screen's power: whether a touch wakes a screen that is off, and how long with no touch and no remote change before it goes off by itself.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::scene::duration;

/// `[display]`: the screen's power.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DisplayConfig {
    /// A touch on a screen that is off turns it on; that touch only wakes
    /// it (nothing under it is moved or tapped). Without it, touches are
    /// ignored while the screen is off.
    pub wake_on_touch: bool,
    /// Turn the screen off after this long with no touch and no remote
    /// change; "0" never does.
    #[serde(with = "duration")]
    pub off_after_idle: Duration,
}

impl Default for DisplayConfig {
    fn default() -> Self {
        Self {
            wake_on_touch: true,
            off_after_idle: Duration::ZERO,
        }
    }
}
