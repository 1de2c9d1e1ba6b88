//! The kiosk's day plan, one owner: its clock (real, or `--clock`), the time zone it reads schedules in, what it applied last, how long a change has waited for a customer, and the next change, worked out once per document and instant.

use std::time::Duration;

use crate::api::{NextChange, ScheduleView};
use crate::plan::{Clock, DisplayPower, TimeZone, Timestamp, Verdict};
use crate::state::Desired;

/// Without `kiosk.idle_reset`, a customer is gone after this long with no
/// touch.
pub(super) const SESSION_GAP: Duration = Duration::from_secs(30);

/// A change the schedule will make: when, and what it says then.
type Change = (Timestamp, Verdict);

/// The plan of the day as the kiosk follows it.
pub(super) struct DayPlan {
    clock: Clock,
    /// `kiosk.timezone`, else the system's.
    zone: TimeZone,
    /// The last zone a document named, and its rules.
    named: Option<(String, TimeZone)>,
    /// The display an entry asked when last looked at: a change is
    /// applied once, so a manager's `display on` during an "off" window
    /// holds until the schedule says something new.
    display: Option<DisplayPower>,
    /// When a change of layout started waiting for a customer to finish,
    /// on the kiosk's monotonic clock.
    waiting_since: Option<Duration>,
    /// The next change for a revision, worked out at an instant: valid
    /// until the change comes (or, when none was found, for a day).
    next: Option<(u64, Timestamp, Option<Change>)>,
    /// What the schedule says, for a revision, until an instant.
    current: Option<(u64, Timestamp, Verdict)>,
    /// What `ping` reports, and the revision, layout and next change it
    /// was made for (made again only when one of them changes).
    view: ScheduleView,
    view_of: Option<(u64, Option<String>, Option<Timestamp>)>,
}

impl DayPlan {
    pub(super) fn new(zone: TimeZone) -> Self {
        Self {
            clock: Clock::real(),
            zone,
            named: None,
            display: None,
            waiting_since: None,
            next: None,
            current: None,
            view: ScheduleView::default(),
            view_of: None,
        }
    }

    /// Runs the kiosk's clock from `clock` on.
    pub(super) fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
        self.next = None;
        self.current = None;
    }

    /// The kiosk's time zone (`kiosk.timezone`, else the system's).
    pub(super) fn zone(&self) -> &TimeZone {
        &self.zone
    }

    /// The time on the kiosk's clock.
    pub(super) fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// The zone `desired`'s schedule is read in: its own, else the kiosk's.
    /// A document's zone is looked up once, not on every pass.
    pub(super) fn zone_of(&mut self, desired: &Desired) -> TimeZone {
        let Some(name) = desired.schedule.timezone.as_deref() else {
            return self.zone.clone();
        };
        match &self.named {
            Some((n, zone)) if n == name => zone.clone(),
            _ => {
                // The document's checks refuse a zone that is not known.
                let zone = crate::plan::time_zone(name).unwrap_or_else(|_| self.zone.clone());
                self.named = Some((name.to_string(), zone.clone()));
                zone
            }
        }
    }

    /// What `desired`'s schedule says now; a layout it names but does not
    /// have (the checks refuse that) is the default one.
    /// Worked out once per revision and change: the loop asks every pass.
    pub(super) fn verdict(&mut self, desired: &Desired) -> Verdict {
        let now = self.now();
        if let Some((rev, until, v)) = &self.current
            && *rev == desired.revision
            && now < *until
        {
            return v.clone();
        }
        let zone = self.zone_of(desired);
        let mut v = desired.schedule.at(&zone, now);
        v.layout = v.layout.filter(|l| desired.layouts.contains_key(l));
        // It holds until the next change; with none in sight, a minute.
        let until = self
            .next_change(desired)
            .map(|(t, _)| t)
            .or_else(|| now.checked_add(Duration::from_secs(60)).ok())
            .unwrap_or(now);
        self.current = Some((desired.revision, until, v.clone()));
        v
    }

    /// The display the schedule asks now, when it differs from what it
    /// asked last (taken once).
    pub(super) fn display_change(
        &mut self,
        asked: Option<DisplayPower>,
    ) -> Option<Option<DisplayPower>> {
        (asked != self.display).then(|| {
            self.display = asked;
            asked
        })
    }

    /// What the schedule asked of the screen when last looked at, to be
    /// kept with the power.
    pub(super) fn asked_display(&self) -> Option<DisplayPower> {
        self.display
    }

    /// At start: what the schedule had asked before the restart.
    pub(super) fn restore_display(&mut self, asked: Option<DisplayPower>) {
        self.display = asked;
    }

    /// Whether a change of layout due now waits: while `busy` (a customer
    /// at the screen), up to `max_defer` from when it first waited; `now`
    /// is the kiosk's monotonic time.
    pub(super) fn waits(&mut self, busy: bool, now: Duration, max_defer: Duration) -> bool {
        if !busy {
            self.waiting_since = None;
            return false;
        }
        let since = *self.waiting_since.get_or_insert(now);
        if now.saturating_sub(since) >= max_defer {
            self.waiting_since = None;
            return false;
        }
        true
    }

    /// Nothing is waiting any more (the layout is what the schedule says).
    pub(super) fn settled(&mut self) {
        self.waiting_since = None;
    }

    /// The next change of `desired`'s schedule after now.
    pub(super) fn next_change(&mut self, desired: &Desired) -> Option<(Timestamp, Verdict)> {
        let now = self.now();
        let fresh = match &self.next {
            Some((rev, _, _)) if *rev != desired.revision => false,
            Some((_, _, Some((t, _)))) => *t > now,
            Some((_, at, None)) => (0..24 * 3600).contains(&(now.as_second() - at.as_second())),
            None => false,
        };
        if !fresh {
            let zone = self.zone_of(desired);
            let next = desired.schedule.next_change(&zone, now);
            self.next = Some((desired.revision, now, next));
        }
        self.next.as_ref().and_then(|(_, _, n)| n.clone())
    }

    /// How long until the next change, in real time, as last worked out
    /// (each pass of the loop works it out); a second while a change waits
    /// for a customer to leave.
    pub(super) fn cached_deadline(&self) -> Option<Duration> {
        if self.waiting_since.is_some() {
            return Some(Duration::from_secs(1));
        }
        let (at, _) = self.next.as_ref()?.2.as_ref()?;
        let left = self.now().duration_until(*at);
        Some(Duration::try_from(left).unwrap_or(Duration::ZERO))
    }

    /// What `ping` and `listContent` report: `layout` on screen and the
    /// next change.
    pub(super) fn view(&mut self, desired: &Desired, layout: Option<&str>) -> &ScheduleView {
        let next = self.next_change(desired);
        let key = (
            desired.revision,
            layout.map(str::to_string),
            next.as_ref().map(|(t, _)| *t),
        );
        if self.view_of.as_ref() != Some(&key) {
            self.view = self.make_view(desired, layout, next);
            self.view_of = Some(key);
        }
        &self.view
    }

    /// The view last made (each pass of the loop makes it when it changed).
    pub(super) fn last_view(&self) -> &ScheduleView {
        &self.view
    }

    fn make_view(
        &mut self,
        desired: &Desired,
        layout: Option<&str>,
        next: Option<(Timestamp, Verdict)>,
    ) -> ScheduleView {
        let zone = self.zone_of(desired);
        ScheduleView {
            layout: layout.map(str::to_string),
            next: next.map(|(at, v)| NextChange {
                at: at
                    .to_zoned(zone)
                    .strftime("%Y-%m-%dT%H:%M:%S%:z")
                    .to_string(),
                layout: v.layout,
                display: v.display.map(|d| match d {
                    DisplayPower::On => "on",
                    DisplayPower::Off => "off",
                }),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_waits_for_a_customer_but_no_longer_than_max_defer() {
        let mut plan = DayPlan::new(TimeZone::UTC);
        let s = Duration::from_secs;
        assert!(!plan.waits(false, s(0), s(60)));
        assert!(plan.waits(true, s(10), s(60)));
        assert!(plan.waits(true, s(69), s(60)));
        assert!(
            !plan.waits(true, s(70), s(60)),
            "60 s after it first waited"
        );
        assert!(plan.waits(true, s(71), s(60)), "a new wait starts over");
        assert!(!plan.waits(false, s(72), s(60)));
    }

    #[test]
    fn the_display_is_applied_once_per_change_of_what_the_schedule_asks() {
        let mut plan = DayPlan::new(TimeZone::UTC);
        assert_eq!(plan.display_change(None), None);
        assert_eq!(
            plan.display_change(Some(DisplayPower::Off)),
            Some(Some(DisplayPower::Off))
        );
        assert_eq!(plan.display_change(Some(DisplayPower::Off)), None);
        assert_eq!(plan.display_change(None), Some(None));
    }

    #[test]
    fn the_next_change_is_reported_on_the_kiosks_clock_and_zone() {
        let mut plan = DayPlan::new(crate::plan::time_zone("Europe/Paris").unwrap());
        let start: Timestamp = "2027-03-28T00:59:50Z".parse().unwrap();
        plan.set_clock(Clock::starting_at(start, Timestamp::now()));
        let desired: Desired = serde_json::from_str(
            r#"{"revision": 1, "widgets": [], "layouts": {"day": {}},
                "schedule": {"entries": [{"from": "03:00", "to": "20:00", "layout": "day"}]}}"#,
        )
        .unwrap();
        assert_eq!(plan.verdict(&desired).layout, None);
        let view = plan.view(&desired, None).clone();
        let next = view.next.unwrap();
        // 03:00 is the first minute after the spring-forward jump.
        assert_eq!(next.at, "2027-03-28T03:00:00+02:00");
        assert_eq!(next.layout.as_deref(), Some("day"));
        assert!(plan.cached_deadline().unwrap() <= Duration::from_secs(10));
    }
}
