//! Proof of play as plain data: per hour of the kiosk's clock, per item, the shows, seconds visible, largest screen fraction and plays to the end, in a table bounded in hours and in items per hour.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::api::plays::{OTHER, PlayCounts, PlayRow};

/// The bounds of the table (`analytics.play_hours`, `analytics.max_items`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlayBounds {
    pub hours: usize,
    pub items: usize,
}

/// One hour of the kiosk's clock.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct Hour {
    /// Its start, as reports name it.
    label: String,
    items: BTreeMap<String, PlayCounts>,
}

/// The hours counted, by their start in Unix seconds.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Plays {
    hours: BTreeMap<i64, Hour>,
}

/// Where a count goes: the hour (its Unix start and label) and the item.
#[derive(Clone, Copy, Debug)]
pub struct At<'a> {
    pub hour: i64,
    pub label: &'a str,
    pub item: &'a str,
}

impl Plays {
    /// The counts of `at`, making room: the oldest hour goes once there
    /// are `bounds.hours`, and an item past `bounds.items` in its hour is
    /// counted as `*other*`.
    fn entry(&mut self, at: At<'_>, bounds: PlayBounds) -> &mut PlayCounts {
        if !self.hours.contains_key(&at.hour) {
            while self.hours.len() >= bounds.hours.max(1) {
                self.hours.pop_first();
            }
        }
        let hour = self.hours.entry(at.hour).or_insert_with(|| Hour {
            label: at.label.to_string(),
            items: BTreeMap::new(),
        });
        let item = if hour.items.contains_key(at.item) || hour.items.len() < bounds.items.max(1) {
            at.item
        } else {
            OTHER
        };
        hour.items.entry(item.to_string()).or_default()
    }

    /// The item came on screen.
    pub fn shown(&mut self, at: At<'_>, bounds: PlayBounds) {
        let c = self.entry(at, bounds);
        c.shows = c.shows.saturating_add(1);
    }

    /// The item was on screen for `seconds` more, covering `fraction`.
    pub fn visible(&mut self, at: At<'_>, bounds: PlayBounds, seconds: f64, fraction: f64) {
        let c = self.entry(at, bounds);
        c.seconds += seconds;
        c.max_fraction = c.max_fraction.max(fraction.clamp(0.0, 1.0));
    }

    /// The item's video played to its end.
    pub fn played_to_end(&mut self, at: At<'_>, bounds: PlayBounds) {
        let c = self.entry(at, bounds);
        c.plays_to_end = c.plays_to_end.saturating_add(1);
    }

    /// Rows for every hour that ends after `since` (Unix seconds; all
    /// without it), oldest first.
    pub fn rows(&self, since: Option<f64>) -> Vec<PlayRow> {
        self.hours
            .iter()
            .filter(|(start, _)| since.is_none_or(|s| (**start + 3600) as f64 > s))
            .flat_map(|(_, h)| {
                h.items.iter().map(|(item, counts)| PlayRow {
                    hour: h.label.clone(),
                    item: item.clone(),
                    counts: counts.clone(),
                })
            })
            .collect()
    }

    /// The totals per item over the hours that start in `from..to` (Unix
    /// seconds): a day's summary.
    pub fn totals(&self, from: i64, to: i64) -> BTreeMap<String, PlayCounts> {
        let mut out: BTreeMap<String, PlayCounts> = BTreeMap::new();
        for h in self.hours.range(from..to).map(|(_, h)| h) {
            for (item, c) in &h.items {
                out.entry(item.clone()).or_default().add(c);
            }
        }
        out
    }

    /// Drops hours past `bounds` (a smaller bound after a restart).
    pub fn restored(&mut self, bounds: PlayBounds) {
        while self.hours.len() > bounds.hours.max(1) {
            self.hours.pop_first();
        }
    }

    pub fn clear(&mut self) {
        self.hours.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const B: PlayBounds = PlayBounds { hours: 2, items: 2 };

    fn at(hour: i64, item: &str) -> At<'_> {
        At {
            hour,
            label: "h",
            item,
        }
    }

    #[test]
    fn counts_go_to_their_hour_and_item_within_bounds() {
        let mut p = Plays::default();
        p.shown(at(0, "a"), B);
        p.visible(at(0, "a"), B, 1.5, 0.25);
        p.visible(at(0, "a"), B, 2.0, 0.5);
        p.played_to_end(at(0, "a"), B);
        p.shown(at(0, "b"), B);
        // A third item in the hour is counted as *other*.
        p.shown(at(0, "c"), B);
        p.visible(at(0, "c"), B, 4.0, 2.0);
        let rows = p.rows(None);
        let a = &rows.iter().find(|r| r.item == "a").unwrap().counts;
        assert_eq!(
            (a.shows, a.seconds, a.max_fraction, a.plays_to_end),
            (1, 3.5, 0.5, 1)
        );
        let other = &rows.iter().find(|r| r.item == OTHER).unwrap().counts;
        assert_eq!(
            (other.shows, other.seconds, other.max_fraction),
            (1, 4.0, 1.0)
        );
        // Two hours at most: the oldest goes.
        p.shown(at(3600, "a"), B);
        p.shown(at(7200, "a"), B);
        assert_eq!(p.rows(None).len(), 2);
        assert_eq!(p.rows(Some(7200.0)).len(), 1);
        assert_eq!(p.totals(0, 7200)["a"].shows, 1);
        p.clear();
        assert!(p.rows(None).is_empty());
    }
}
