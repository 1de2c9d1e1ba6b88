//! One schedule entry: the days its window starts on, the window on the clock (it may cross midnight), an optional range of dates, a priority, and what it picks: a layout, the screen's power, or both.

use jiff::civil::{Date, DateTime};
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

    /// Whether the entry holds at the civil time `at`.
    pub fn holds_at(&self, at: DateTime) -> bool {
        let minute =
            u32::from(at.hour().unsigned_abs()) * 60 + u32::from(at.minute().unsigned_abs());
        let from = u32::from(self.from.minutes());
        let length = self.length();
        // Today's window, and yesterday's if it runs past midnight.
        let today = self.starts_on(at.date()) && minute >= from && minute < from + length;
        let yesterday = from + length > DAY
            && minute < from + length - DAY
            && at.date().yesterday().is_ok_and(|d| self.starts_on(d));
        today || yesterday
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
