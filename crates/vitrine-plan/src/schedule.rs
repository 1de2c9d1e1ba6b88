//! A schedule: its entries and optional time zone; what holds at an instant (the layout and the screen's power) and the next instant that changes it.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use serde::{Deserialize, Serialize};

use crate::entry::{DisplayPower, Entry};

/// How many days ahead every entry's windows are looked at for the next
/// change; entries whose dates start later add their own first week.
const HORIZON_DAYS: i32 = 8;
/// Dated entries further ahead than this are not looked for.
const FAR_DAYS: i32 = 400;
/// The most instants weighed for the next change, nearest first.
const MAX_CANDIDATES: usize = 2048;

/// The plan of the day: entries, and the time zone they are read in when
/// it is not the kiosk's own (`kiosk.timezone`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// An IANA name, such as `Europe/Paris`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    #[serde(default)]
    pub entries: Vec<Entry>,
}

/// What a schedule says at an instant.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Verdict {
    /// The layout of the entry that holds; `None`: the default layout.
    pub layout: Option<String>,
    /// The screen's power an entry asks; `None`: no entry says.
    pub display: Option<DisplayPower>,
}

impl Schedule {
    /// Whether the schedule has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// What holds at `at` on the clocks of `tz`: of the entries that hold,
    /// the highest priority's layout and, separately, display (the first
    /// listed on a tie, which the checks refuse).
    pub fn at(&self, tz: &TimeZone, at: Timestamp) -> Verdict {
        let best = |wants: fn(&Entry) -> bool| {
            self.entries
                .iter()
                .filter(|e| wants(e) && e.holds_at(tz, at))
                .fold(None::<&Entry>, |best, e| match best {
                    Some(b) if b.priority >= e.priority => Some(b),
                    _ => Some(e),
                })
        };
        Verdict {
            layout: best(|e| e.layout.is_some()).and_then(|e| e.layout.clone()),
            display: best(|e| e.display.is_some()).and_then(|e| e.display),
        }
    }

    /// The first instant after `now` at which [`Schedule::at`] says
    /// something else, and what it says then; `None` when nothing changes
    /// in the time looked at.
    pub fn next_change(&self, tz: &TimeZone, now: Timestamp) -> Option<(Timestamp, Verdict)> {
        let current = self.at(tz, now);
        let today = tz.to_datetime(now).date();
        let mut days: Vec<Date> = (-1..=HORIZON_DAYS)
            .filter_map(|n| today.checked_add(n.days()).ok())
            .collect();
        for e in &self.entries {
            if let Some(r) = e.dates
                && r.from > today
                && today
                    .checked_add(FAR_DAYS.days())
                    .is_ok_and(|far| r.from <= far)
            {
                days.extend((0..8).filter_map(|n| r.from.checked_add(n.days()).ok()));
            }
        }
        days.sort();
        days.dedup();
        let mut candidates: Vec<Timestamp> = Vec::new();
        for e in &self.entries {
            for &day in &days {
                if let Some((start, end)) = e.window_on(tz, day) {
                    candidates.extend([start, end]);
                }
            }
        }
        candidates.retain(|t| *t > now);
        candidates.sort();
        candidates.dedup();
        // Each candidate is weighed against every entry: a bound keeps the
        // worst schedule (every change hidden by one entry above it) cheap.
        candidates.truncate(MAX_CANDIDATES);
        candidates.into_iter().find_map(|t| {
            let then = self.at(tz, t);
            (then != current).then_some((t, then))
        })
    }
}
