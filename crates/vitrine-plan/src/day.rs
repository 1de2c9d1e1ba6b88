//! The days of the week as a schedule names them: `"mon"` to `"sun"`.

use serde::{Deserialize, Serialize};

/// A day of the week.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Day {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Day {
    /// Every day, Monday first.
    pub const ALL: [Day; 7] = [
        Day::Mon,
        Day::Tue,
        Day::Wed,
        Day::Thu,
        Day::Fri,
        Day::Sat,
        Day::Sun,
    ];

    /// Days after Monday: 0 to 6.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The day a civil date falls on.
    pub fn of(date: jiff::civil::Date) -> Day {
        Day::ALL[usize::from(date.weekday().to_monday_zero_offset().unsigned_abs())]
    }
}
