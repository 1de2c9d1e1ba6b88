//! The touch counters the kiosk holds, with when their next save is due, and the clock they count in.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::analytics::Analytics;
use crate::config::AnalyticsConfig;

/// Seconds since the Unix epoch, as events and counters carry time.
pub fn unix_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs_f64()
}

/// The counters and when they are next due on disk.
pub struct Tally {
    pub(super) counts: Analytics,
    /// When changed counters must be saved by; `None` while all are saved.
    pub(super) due: Option<Instant>,
}

/// The counters a kiosk starts with, when analytics are on.
pub fn tally(config: &AnalyticsConfig) -> Option<Tally> {
    config.enabled.then(|| Tally {
        counts: Analytics::new(unix_now(), config.max_widgets),
        due: None,
    })
}
