//! `[schedule]`: the bounds of a schedule the kiosk keeps, and how long a change of layout waits for a customer to finish.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::duration;

/// `[schedule]`: the plan of the day the desired state carries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScheduleConfig {
    /// The most schedule entries a desired state may have (at most 256).
    pub max_entries: usize,
    /// The most named layouts a desired state may have (at most 256).
    pub max_layouts: usize,
    /// A change of layout that falls while someone uses the screen waits
    /// until no finger has touched it for `kiosk.idle_reset` (30 s when that
    /// is off), but at most this long.
    #[serde(with = "duration")]
    pub max_defer: Duration,
}

impl Default for ScheduleConfig {
    fn default() -> Self {
        Self {
            max_entries: 64,
            max_layouts: 16,
            max_defer: Duration::from_secs(600),
        }
    }
}
