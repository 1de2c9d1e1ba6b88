//! The checks a schedule passes before it is kept: within its bound, every entry a real window on real days that picks something, its layouts known, no two entries of equal priority that pick the same thing at the same time, and a known time zone. A schedule that fails is refused whole, with the reason.

use crate::entry::Entry;
use crate::error::ScheduleError;
use crate::schedule::Schedule;

/// How much a schedule may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The most entries (`schedule.max_entries`).
    pub max_entries: usize,
}

impl Schedule {
    /// Checks the schedule against `limits`, with `has_layout` saying which
    /// layout names the document defines; the first problem found.
    pub fn check(
        &self,
        limits: &Limits,
        has_layout: impl Fn(&str) -> bool,
    ) -> Result<(), ScheduleError> {
        if self.entries.len() > limits.max_entries {
            return Err(ScheduleError::TooMany {
                count: self.entries.len(),
                max: limits.max_entries,
            });
        }
        if let Some(name) = &self.timezone {
            crate::zone::time_zone(name)?;
        }
        for (i, e) in self.entries.iter().enumerate() {
            check_entry(i + 1, e, &has_layout)?;
        }
        for (i, a) in self.entries.iter().enumerate() {
            for (j, b) in self.entries.iter().enumerate().skip(i + 1) {
                if a.priority == b.priority && clash(a, b) {
                    return Err(ScheduleError::Overlap {
                        first: i + 1,
                        second: j + 1,
                        priority: a.priority,
                    });
                }
            }
        }
        Ok(())
    }
}

fn check_entry(
    entry: usize,
    e: &Entry,
    has_layout: &impl Fn(&str) -> bool,
) -> Result<(), ScheduleError> {
    if e.days.is_empty() {
        return Err(ScheduleError::NoDays { entry });
    }
    // At most seven days, then: the overlap check compares day by day.
    let mut seen = [false; 7];
    for d in &e.days {
        if std::mem::replace(&mut seen[d.index()], true) {
            return Err(ScheduleError::RepeatedDay {
                entry,
                day: format!("{d:?}").to_lowercase(),
            });
        }
    }
    if e.length() == 0 {
        return Err(ScheduleError::EmptyWindow {
            entry,
            time: e.from.to_string(),
        });
    }
    if let Some(r) = e.dates
        && r.to < r.from
    {
        return Err(ScheduleError::BadDates {
            entry,
            from: r.from.to_string(),
            to: r.to.to_string(),
        });
    }
    if e.layout.is_none() && e.display.is_none() {
        return Err(ScheduleError::NothingPicked { entry });
    }
    if let Some(name) = &e.layout
        && !has_layout(name)
    {
        return Err(ScheduleError::MissingLayout {
            entry,
            name: name.clone(),
        });
    }
    Ok(())
}

/// Whether `a` and `b` can both hold at once and pick the same thing (both
/// a layout, or both the display): their windows meet in the week, and
/// their dates (a day's slack for windows across midnight) meet too.
fn clash(a: &Entry, b: &Entry) -> bool {
    let same_pick =
        (a.layout.is_some() && b.layout.is_some()) || (a.display.is_some() && b.display.is_some());
    if !same_pick {
        return false;
    }
    if let (Some(x), Some(y)) = (a.dates, b.dates) {
        let after = |d: jiff::civil::Date| d.tomorrow().unwrap_or(d);
        if after(x.to) < y.from || after(y.to) < x.from {
            return false;
        }
    }
    let (sa, sb) = (a.week_spans(), b.week_spans());
    sa.iter()
        .any(|(a0, a1)| sb.iter().any(|(b0, b1)| a0 < b1 && b0 < a1))
}
