//! The analytics report `stats` answers with: what customers did with each widget and in total, and proof of play. Counting itself is the app's.

use serde::{Deserialize, Serialize};

use crate::plays::PlayRow;

/// What customers did with one widget (or with all of them). Counts and
/// times only: nothing about who.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Counts {
    /// Fingers that landed on it.
    pub touches: u64,
    pub taps: u64,
    pub drags: u64,
    /// Pinches and rotations.
    pub pinches: u64,
    /// Times a video started playing.
    pub video_plays: u64,
    /// Times a video played to its end (ended or looped).
    pub video_views: u64,
    /// Seconds fingers held it, from the first finger down to the last up.
    pub held_s: f64,
    /// Unix seconds of the first and last interaction.
    pub first_touch: Option<f64>,
    pub last_touch: Option<f64>,
}

impl Counts {
    /// Adds `o` to these counts (a total, or a folded widget).
    pub fn add(&mut self, o: &Counts) {
        self.touches = self.touches.saturating_add(o.touches);
        self.taps = self.taps.saturating_add(o.taps);
        self.drags = self.drags.saturating_add(o.drags);
        self.pinches = self.pinches.saturating_add(o.pinches);
        self.video_plays = self.video_plays.saturating_add(o.video_plays);
        self.video_views = self.video_views.saturating_add(o.video_views);
        self.held_s += o.held_s;
        self.first_touch = match (self.first_touch, o.first_touch) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.last_touch = match (self.last_touch, o.last_touch) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
    }
}

/// One widget's counters in a report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WidgetCounts {
    pub name: String,
    #[serde(flatten)]
    pub counts: Counts,
}

/// What `stats` answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Unix seconds when counting began (the first start, or the last
    /// reset).
    pub counting_since: f64,
    /// Widgets by name; with `since`, only those touched or played since.
    pub widgets: Vec<WidgetCounts>,
    /// The sum over `widgets` (and, without `since`, over widgets that were
    /// folded away to keep the table bounded).
    pub total: Counts,
    /// Proof of play: each item that was on screen, per hour (with
    /// `since`, the hours that end after it), oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plays: Vec<PlayRow>,
}
