//! Proof of play as reports carry it: for each item that was on screen, per hour of the kiosk's clock, how often it came on, the seconds it was visible, the largest fraction of the screen it covered, and its video plays that ran to the end.

use serde::{Deserialize, Serialize};

/// One item's proof of play in one hour.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlayCounts {
    /// Times it came on screen.
    pub shows: u64,
    /// Seconds it was on screen (with the screen on).
    pub seconds: f64,
    /// The largest fraction of the screen it covered, 0 to 1 (what other
    /// widgets laid over it is not taken off).
    pub max_fraction: f64,
    /// Its video plays that ran to the end (the per-item, per-hour side of
    /// `video_views`).
    pub plays_to_end: u64,
}

impl PlayCounts {
    /// Adds `o` to these counts (a folded item, or a day's total).
    pub fn add(&mut self, o: &PlayCounts) {
        self.shows = self.shows.saturating_add(o.shows);
        self.seconds += o.seconds;
        self.max_fraction = self.max_fraction.max(o.max_fraction);
        self.plays_to_end = self.plays_to_end.saturating_add(o.plays_to_end);
    }
}

/// One row of proof of play: an item in an hour.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlayRow {
    /// The hour's start on the kiosk's clock, RFC 3339 with its offset
    /// ("2026-12-04T20:00:00+01:00").
    pub hour: String,
    /// The item: its URL, `html:<widget>` for a posted card (`#<n>` after it
    /// for a playlist's card `n`), or `*other*`
    /// for items past the hour's bound.
    pub item: String,
    #[serde(flatten)]
    pub counts: PlayCounts,
}

/// The name proof of play gives the items past an hour's bound.
pub const OTHER: &str = "*other*";
