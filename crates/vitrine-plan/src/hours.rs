//! The hour of the shop's clock an instant falls in: its start as a label with the offset, its start and its end, so proof of play counts by the hours the shop keeps, across daylight-saving changes too.

use jiff::tz::TimeZone;
use jiff::{RoundMode, Timestamp, Unit, ZonedRound};

/// One hour of the shop's clock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hour {
    /// Its start, RFC 3339 with the offset: "2026-12-04T20:00:00+01:00".
    pub label: String,
    pub start: Timestamp,
    pub end: Timestamp,
}

/// The hour of `zone`'s clock that `at` falls in. The hour is an hour of
/// real time: on the night the clocks fall back, 02:00 comes twice and
/// each is its own hour, told apart by its offset.
pub fn hour_of(at: Timestamp, zone: &TimeZone) -> Hour {
    let zoned = at.to_zoned(zone.clone());
    let start = zoned
        .round(
            ZonedRound::new()
                .smallest(Unit::Hour)
                .mode(RoundMode::Trunc),
        )
        .map(|z| z.timestamp())
        // Rounding fails only past the ends of time: then the instant is
        // its own hour.
        .unwrap_or(at);
    let end = start
        .checked_add(jiff::SignedDuration::from_hours(1))
        .unwrap_or(Timestamp::MAX);
    let label = start
        .to_zoned(zone.clone())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string();
    Hour { label, start, end }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_hour_is_labelled_on_the_shops_clock() {
        let paris = crate::zone::time_zone("Europe/Paris").unwrap();
        let at: Timestamp = "2026-12-04T19:42:10Z".parse().unwrap();
        let h = hour_of(at, &paris);
        assert_eq!(h.label, "2026-12-04T20:00:00+01:00");
        assert_eq!(h.start.to_string(), "2026-12-04T19:00:00Z");
        assert_eq!(h.end.to_string(), "2026-12-04T20:00:00Z");
        // The fall-back night: 02:30 twice, two hours.
        let first = hour_of("2027-10-31T00:30:00Z".parse().unwrap(), &paris);
        let second = hour_of("2027-10-31T01:30:00Z".parse().unwrap(), &paris);
        assert_eq!(first.label, "2027-10-31T02:00:00+02:00");
        assert_eq!(second.label, "2027-10-31T02:00:00+01:00");
        assert_eq!(first.end, second.start);
    }
}
