//! A day's timeline: the spans of one date on the shop's clock, each with the layout and the screen's power the schedule gives it, as the admin page draws them.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::schedule::{Schedule, Verdict};

/// A stretch of the day with one verdict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub from: Timestamp,
    pub to: Timestamp,
    pub verdict: Verdict,
}

/// The first and last instants of `date` on `tz`'s clock (a day of 23, 24
/// or 25 hours); `None` past the ends of time.
pub fn day_bounds(tz: &TimeZone, date: Date) -> Option<(Timestamp, Timestamp)> {
    let start = date.to_zoned(tz.clone()).ok()?.timestamp();
    let end = date.tomorrow().ok()?.to_zoned(tz.clone()).ok()?.timestamp();
    Some((start, end))
}

impl Schedule {
    /// `date` on `tz`'s clock as spans, each holding one verdict, in order
    /// and with no gaps, from the day's first instant to the next day's.
    /// Every boundary is an entry's window starting or ending, so there are
    /// at most two per entry and day (and a window from the day before).
    pub fn day(&self, tz: &TimeZone, date: Date) -> Vec<Span> {
        let Some((start, end)) = day_bounds(tz, date) else {
            return Vec::new();
        };
        let mut cuts: Vec<Timestamp> = Vec::new();
        for e in &self.entries {
            for day in [date.yesterday().ok(), Some(date)].into_iter().flatten() {
                if let Some((from, to)) = e.window_on(tz, day) {
                    cuts.extend([from, to].into_iter().filter(|t| *t > start && *t < end));
                }
            }
        }
        cuts.sort();
        cuts.dedup();
        let mut spans: Vec<Span> = Vec::new();
        let mut from = start;
        for to in cuts.into_iter().chain(std::iter::once(end)) {
            let verdict = self.at(tz, from);
            match spans.last_mut() {
                Some(last) if last.verdict == verdict => last.to = to,
                _ => spans.push(Span { from, to, verdict }),
            }
            from = to;
        }
        spans
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entry::DisplayPower;

    #[test]
    fn a_day_is_spans_of_what_the_schedule_shows() {
        let schedule: Schedule = serde_json::from_str(
            r#"{"entries": [
                {"from": "07:00", "to": "10:30", "layout": "breakfast"},
                {"from": "22:00", "to": "07:00", "display": "off"},
                {"days": ["sun"], "from": "00:00", "to": "24:00", "layout": "closed", "priority": 1}
            ]}"#,
        )
        .unwrap();
        let paris = crate::zone::time_zone("Europe/Paris").unwrap();
        // Saturday the spring-forward day: 23 hours.
        let date: Date = "2027-03-27".parse().unwrap();
        let spans = schedule.day(&paris, date);
        let shown: Vec<(String, Option<&str>, Option<DisplayPower>)> = spans
            .iter()
            .map(|s| {
                let local = s.from.to_zoned(paris.clone());
                (
                    local.strftime("%H:%M").to_string(),
                    s.verdict.layout.as_deref(),
                    s.verdict.display,
                )
            })
            .collect();
        assert_eq!(
            shown,
            vec![
                ("00:00".into(), None, Some(DisplayPower::Off)),
                ("07:00".into(), Some("breakfast"), None),
                ("10:30".into(), None, None),
                ("22:00".into(), None, Some(DisplayPower::Off)),
            ]
        );
        let (start, end) = day_bounds(&paris, date).unwrap();
        assert_eq!((spans[0].from, spans.last().unwrap().to), (start, end));
        // Sunday: closed all day, the screen off until 07:00 and from 22:00.
        let sunday = schedule.day(&paris, date.tomorrow().unwrap());
        assert!(
            sunday
                .iter()
                .all(|s| s.verdict.layout.as_deref() == Some("closed"))
        );
        assert_eq!(sunday.len(), 3);
        // No schedule: one span, the default layout all day.
        assert_eq!(Schedule::default().day(&paris, date).len(), 1);
    }
}
