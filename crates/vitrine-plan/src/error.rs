//! Why a schedule is refused: one reason, in words a person can act on.

use thiserror::Error;

/// Why a schedule is refused. Entries are numbered from 1, as a person
/// counts them in the document.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum ScheduleError {
    #[error("the schedule has {count} entries, more than schedule.max_entries ({max})")]
    TooMany { count: usize, max: usize },
    #[error("schedule entry {entry} names no day")]
    NoDays { entry: usize },
    #[error("schedule entry {entry} names {day:?} twice")]
    RepeatedDay { entry: usize, day: String },
    #[error("schedule entry {entry} has an empty window: from {time} to {time}")]
    EmptyWindow { entry: usize, time: String },
    #[error("schedule entry {entry}'s dates end ({to}) before they start ({from})")]
    BadDates {
        entry: usize,
        from: String,
        to: String,
    },
    #[error("schedule entry {entry} picks neither a layout nor the display's power")]
    NothingPicked { entry: usize },
    #[error("schedule entry {entry} names the layout {name:?}, which the document does not have")]
    MissingLayout { entry: usize, name: String },
    #[error(
        "schedule entries {first} and {second} have the same priority ({priority}) and overlap; give one a higher priority"
    )]
    Overlap {
        first: usize,
        second: usize,
        priority: i32,
    },
    #[error("the time zone {name:?} is not known: {why}")]
    TimeZone { name: String, why: String },
}
