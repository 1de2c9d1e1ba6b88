//! Time zones by their IANA names, and the system's own.

use jiff::tz::TimeZone;

use crate::error::ScheduleError;

/// The time zone called `name` (IANA, such as `Europe/Paris`), or why not.
pub fn time_zone(name: &str) -> Result<TimeZone, ScheduleError> {
    TimeZone::get(name).map_err(|e| ScheduleError::TimeZone {
        name: name.to_string(),
        why: e.to_string(),
    })
}

/// The system's time zone (`TZ`, else `/etc/localtime`), or UTC when it
/// cannot be found.
pub fn system_time_zone() -> TimeZone {
    TimeZone::try_system().unwrap_or(TimeZone::UTC)
}
