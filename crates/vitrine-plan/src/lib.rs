//! vitrine's plan of a store's day (its own crate, pure): schedule entries on the week's days and the clock, which entry holds at an instant in the kiosk's time zone, when that next changes, the checks a schedule must pass before it is kept, a day's timeline, the hour an instant falls in, and where a playlist stands after some time.
//!
//! Entries are matched on civil time (what the shop's clock on the wall
//! says) in the kiosk's IANA time zone, so a window from 07:00 holds from
//! 07:00 whether the day had 23, 24 or 25 hours.

mod check;
mod clock;
mod day;
mod entry;
mod error;
mod hours;
mod schedule;
mod time_of_day;
mod timeline;
mod turns;
mod zone;

pub use check::Limits;
pub use clock::Clock;
pub use day::Day;
pub use entry::{DateRange, DisplayPower, Entry};
pub use error::ScheduleError;
pub use hours::{Hour, hour_of};
pub use jiff::Timestamp;
pub use jiff::civil::Date;
pub use jiff::tz::TimeZone;
pub use schedule::{Schedule, Verdict};
pub use time_of_day::TimeOfDay;
pub use timeline::{Span, day_bounds};
pub use turns::{Turn, resume};
pub use zone::{system_time_zone, time_zone};

#[cfg(test)]
mod tests;
