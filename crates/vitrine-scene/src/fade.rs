//! A crossfade in progress: the content a widget showed before, where it was, and how far the new content has faded in over it.

use std::time::Duration;

use glam::{DAffine2, DVec2};

use crate::ids::ContentKey;

/// The content a widget showed before, drawn beneath it until the fade ends.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CrossFade {
    /// What the widget showed, at the size and transform it had.
    pub from: ContentKey,
    pub size: DVec2,
    pub transform: DAffine2,
    pub start: Duration,
    pub length: Duration,
}

impl CrossFade {
    /// How far the new content has faded in at `now`, in 0..=1: `None` once
    /// the fade is over (and the old content is no longer drawn).
    pub fn progress(&self, now: Duration) -> Option<f32> {
        let gone = now.saturating_sub(self.start);
        if gone >= self.length {
            return None;
        }
        Some((gone.as_secs_f64() / self.length.as_secs_f64()) as f32)
    }

    /// When the old content may be freed: from then on it is never drawn.
    pub fn end(&self) -> Duration {
        self.start + self.length
    }
}
