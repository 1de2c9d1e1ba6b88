//! What proof of play saw on screen at the last pass (`Showings`): each widget's item, its time and largest screen fraction so far, when that pass was, and the hour of the shop's clock it counted in.

use std::collections::HashMap;
use std::time::Duration;

use crate::plan::{Hour, TimeZone, Timestamp, hour_of};
use crate::scene::WidgetId;

/// One item on screen.
pub(super) struct Showing {
    pub name: String,
    pub item: String,
    pub seconds: f64,
    pub max_fraction: f64,
}

/// What was on screen at the last pass, and when that was.
#[derive(Default)]
pub(super) struct Showings {
    /// By widget and item: a card painted again at another size is the
    /// same showing.
    pub on: HashMap<(WidgetId, String), Showing>,
    pub last: Option<Duration>,
    /// What the screen showed at the last look (`Kiosk::account`), and the
    /// seconds counted since, not yet given to the items.
    pub signature: Option<u64>,
    pub pending: f64,
    /// The hour the last pass counted in.
    pub hour: Option<Hour>,
    /// The day of the shop's clock proof of play last counted in: when it
    /// changes, the day before is summed up.
    pub day: Option<crate::plan::Date>,
}

impl Showings {
    /// The hour of `zone`'s clock that `at` falls in, worked out once an hour.
    pub(super) fn hour_at(&mut self, at: Timestamp, zone: &TimeZone) -> &Hour {
        if self
            .hour
            .as_ref()
            .is_none_or(|h| at < h.start || at >= h.end)
        {
            self.hour = Some(hour_of(at, zone));
        }
        self.hour.get_or_insert_with(|| hour_of(at, zone))
    }

    /// How long until the next pass must count: within `interval` while
    /// anything shows (so a crash loses at most that much), and at the
    /// hour's end.
    pub(super) fn deadline(&self, interval: Duration, wall: Timestamp) -> Option<Duration> {
        if self.on.is_empty() {
            return None;
        }
        let to_hour = self
            .hour
            .as_ref()
            .and_then(|h| Duration::try_from(h.end.duration_since(wall)).ok());
        Some(to_hour.map_or(interval, |h| h.min(interval)))
    }
}
