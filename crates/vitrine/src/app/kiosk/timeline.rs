//! `timeline`: a day of the schedule on the kiosk's clock (today, or a date asked for), as spans of layouts and the screen's power, with the layout on screen now.

use super::Kiosk;
use crate::api::schedule_view::{Timeline, TimelineSpan};
use crate::outcome::{FailureKind, LoadFailure};
use crate::plan::{Date, DisplayPower};

impl Kiosk {
    /// The day `date` (YYYY-MM-DD; today on the kiosk's clock without it)
    /// of the desired state's schedule.
    pub(super) fn timeline(&mut self, date: Option<&str>) -> Result<Timeline, LoadFailure> {
        let zone = self.plan.zone_of(&self.keeper.desired);
        let date: Date = match date {
            Some(d) => d.parse().map_err(|e| {
                LoadFailure::new(
                    FailureKind::Invalid,
                    format!("date must be YYYY-MM-DD: {e}"),
                )
            })?,
            None => self.plan.now().to_zoned(zone.clone()).date(),
        };
        let at = |t: crate::plan::Timestamp| {
            t.to_zoned(zone.clone())
                .strftime("%Y-%m-%dT%H:%M:%S%:z")
                .to_string()
        };
        let spans = self
            .keeper
            .desired
            .schedule
            .day(&zone, date)
            .into_iter()
            .map(|s| TimelineSpan {
                from: at(s.from),
                to: at(s.to),
                layout: s.verdict.layout,
                display: s.verdict.display.map(|d| match d {
                    DisplayPower::On => "on",
                    DisplayPower::Off => "off",
                }),
            })
            .collect();
        Ok(Timeline {
            date: date.to_string(),
            timezone: zone.iana_name().unwrap_or("local").to_string(),
            layout: self.keeper.showing().map(str::to_string),
            spans,
        })
    }
}
