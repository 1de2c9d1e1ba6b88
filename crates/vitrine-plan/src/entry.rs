//! One schedule entry: the days its window starts on, the window on the clock (it may cross midnight), an optional range of dates, a priority, and what it picks: a layout, the screen's power, or both.

use jiff::civil::{Date, DateTime};
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::{Timestamp, ToSpan};
use serde::{Deserialize, Serialize};

use crate::day::Day;
use crate::time_of_day::TimeOfDay;

/// Minutes in a day and in a week.
pub(crate) const DAY: u32 = 24 * 60;
pub(crate) const WEEK: u32 = 7 * DAY;

/// The screen on or off, as an entry asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DisplayPower {
    On,
    Off,
}

/// The dates, both included, a window may start on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateRange {
    pub from: Date,
    pub to: Date,
}

/// One entry of a schedule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The days the window starts on; every day when left out.
    #[serde(default = "every_day", skip_serializing_if = "is_every_day")]
    pub days: Vec<Day>,
    /// When the window opens, on the shop's clock.
    pub from: TimeOfDay,
    /// When it closes: a time no later than `from` is on the next day (a
    /// window across midnight); `24:00` is the day's end.
    pub to: TimeOfDay,
    /// Only windows that start on these dates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dates: Option<DateRange>,
    /// Where entries overlap, the highest priority holds.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub priority: i32,
    /// The layout shown while the entry holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layout: Option<String>,
    /// The screen's power while the entry holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<DisplayPower>,
}

fn every_day() -> Vec<Day> {
    Day::ALL.to_vec()
}

fn is_every_day(days: &[Day]) -> bool {
    Day::ALL.iter().all(|d| days.contains(d))
}

fn is_zero(p: &i32) -> bool {
    *p == 0
}

impl Entry {
    /// The window's length in minutes (0 for an empty one).
    pub(crate) fn length(&self) -> u32 {
        let (from, to) = (u32::from(self.from.minutes()), u32::from(self.to.minutes()));
        match to.cmp(&from) {
            std::cmp::Ordering::Greater => to - from,
            std::cmp::Ordering::Equal => 0,
            std::cmp::Ordering::Less => DAY - from + to,
        }
    }

    /// Whether a window starts on `date`: one of the days, within the dates.
    pub fn starts_on(&self, date: Date) -> bool {
        self.days.contains(&Day::of(date))
            && self.dates.is_none_or(|r| r.from <= date && date <= r.to)
    }

    /// The window that starts on `date`, as instants on the clocks of
    /// `tz`: from its start's first showing (a start the clocks skip: the
    /// jump) to its end's. `None` when no window starts that day.
    pub fn window_on(&self, tz: &TimeZone, date: Date) -> Option<(Timestamp, Timestamp)> {
        if !self.starts_on(date) {
            return None;
        }
        let midnight = date.to_datetime(jiff::civil::Time::midnight());
        let from = i64::from(self.from.minutes());
        let start = midnight.checked_add(from.minutes()).ok()?;
        let end = midnight
            .checked_add((from + i64::from(self.length())).minutes())
            .ok()?;
        Some((instant(tz, start)?, instant(tz, end)?))
    }

    /// Whether the entry holds at `at` on the clocks of `tz`: inside the
    /// window that started today, or yesterday's if it runs past midnight.
    /// Instants, not clock readings, so a window holds once, even through
    /// the hour the clocks show twice.
    pub fn holds_at(&self, tz: &TimeZone, at: Timestamp) -> bool {
        let today = tz.to_datetime(at).date();
        [Some(today), today.yesterday().ok()]
            .into_iter()
            .flatten()
            .filter_map(|d| self.window_on(tz, d))
            .any(|(start, end)| start <= at && at < end)
    }

    /// The windows in minutes of the week from Monday 00:00, each within
    /// the week (one that wraps past Sunday is split).
    pub(crate) fn week_spans(&self) -> Vec<(u32, u32)> {
        let mut spans = Vec::new();
        for day in &self.days {
            let start = day.index() as u32 * DAY + u32::from(self.from.minutes());
            let end = start + self.length();
            if end > WEEK {
                spans.push((start, WEEK));
                spans.push((0, end - WEEK));
            } else {
                spans.push((start, end));
            }
        }
        spans
    }
}

/// When the clocks of `tz` read `civil`: the first such instant. A time
/// the clocks skip (spring forward) arrives when they jump past it.
pub(crate) fn instant(tz: &TimeZone, civil: DateTime) -> Option<Timestamp> {
    let ambiguous = tz.to_ambiguous_timestamp(civil);
    match ambiguous.offset() {
        AmbiguousOffset::Gap { .. } => {
            let later = ambiguous.compatible().ok()?;
            // The jump itself: the last transition before the skipped time
            // read on the new offset.
            Some(tz.preceding(later).next().map_or(later, |t| t.timestamp()))
        }
        _ => ambiguous.earlier().ok(),
    }
}
