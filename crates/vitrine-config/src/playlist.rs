//! `[playlist]`: how long a playlist's items show when they do not say, the longest a video item plays, the crossfade, and how many items a playlist may hold.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::duration;

/// `[playlist]`: widgets whose source is a list of items taking turns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlaylistConfig {
    /// The most items one playlist may hold (at most 256).
    pub max_items: usize,
    /// How long an image or HTML item shows when it gives no `seconds`.
    #[serde(with = "duration")]
    pub seconds: Duration,
    /// The longest a video item plays when it gives neither `seconds` nor
    /// `max_seconds`: a video plays to its end, but never longer than this.
    #[serde(with = "duration")]
    pub max_video: Duration,
    /// How long a `crossfade` transition takes.
    #[serde(with = "duration")]
    pub crossfade: Duration,
}

impl Default for PlaylistConfig {
    fn default() -> Self {
        Self {
            max_items: 64,
            seconds: Duration::from_secs(10),
            max_video: Duration::from_secs(600),
            crossfade: Duration::from_millis(500),
        }
    }
}
