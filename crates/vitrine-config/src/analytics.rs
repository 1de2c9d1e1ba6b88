//! `[analytics]`: the per-widget touch counters and proof of play, how much they keep and how often they are saved.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::duration;

/// `[analytics]`: touch analytics (counts and times only).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AnalyticsConfig {
    /// Count touches, taps, drags, pinches and video plays per widget, and
    /// proof of play per item and hour.
    pub enabled: bool,
    /// How often changed counters are saved to `stats.json` in the state
    /// directory: a crash loses at most this much.
    #[serde(with = "duration")]
    pub save_interval: Duration,
    /// The most widget names kept; past it, the least recently touched one
    /// is folded into the total.
    pub max_widgets: usize,
    /// Proof of play: how many hours are kept (the oldest goes first).
    pub play_hours: usize,
    /// Proof of play: the most items counted in one hour; past it, the
    /// rest are counted together as `*other*`.
    pub max_items: usize,
}

impl Default for AnalyticsConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            save_interval: Duration::from_secs(5),
            max_widgets: 1000,
            play_hours: 192,
            max_items: 256,
        }
    }
}
