//! The plan's own tests: windows, priorities, midnight, daylight saving, the next change, the checks and the clock.

use super::*;

fn paris() -> TimeZone {
    time_zone("Europe/Paris").unwrap()
}

fn schedule(json: &str) -> Schedule {
    serde_json::from_str(json).unwrap()
}

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn layout_at(s: &Schedule, tz: &TimeZone, when: &str) -> Option<String> {
    s.at(tz, at(when)).layout
}

const LIMITS: Limits = Limits { max_entries: 16 };

#[test]
fn the_highest_priority_entry_that_holds_picks_the_layout() {
    let s = schedule(
        r#"{"entries": [
            {"days": ["mon","tue","wed","thu","fri"], "from": "07:00", "to": "11:00", "layout": "morning"},
            {"from": "09:00", "to": "10:00", "priority": 5, "layout": "rush"},
            {"days": ["sat"], "from": "00:00", "to": "24:00", "layout": "weekend"}
        ]}"#,
    );
    let tz = paris();
    // 2026-12-07 is a Monday; Paris is UTC+1 in December.
    assert_eq!(layout_at(&s, &tz, "2026-12-07T05:59:59Z"), None);
    assert_eq!(
        layout_at(&s, &tz, "2026-12-07T06:00:00Z").as_deref(),
        Some("morning")
    );
    assert_eq!(
        layout_at(&s, &tz, "2026-12-07T08:30:00Z").as_deref(),
        Some("rush")
    );
    assert_eq!(
        layout_at(&s, &tz, "2026-12-07T09:00:00Z").as_deref(),
        Some("morning")
    );
    assert_eq!(layout_at(&s, &tz, "2026-12-07T10:00:00Z"), None);
    assert_eq!(
        layout_at(&s, &tz, "2026-12-12T22:59:00Z").as_deref(),
        Some("weekend")
    );
    assert_eq!(layout_at(&s, &tz, "2026-12-12T23:00:00Z"), None);
    s.check(&LIMITS, |n| ["morning", "rush", "weekend"].contains(&n))
        .unwrap();
}

#[test]
fn a_window_across_midnight_belongs_to_the_day_it_starts() {
    let s = schedule(
        r#"{"entries": [{"days": ["fri"], "from": "22:00", "to": "02:00", "layout": "late"}]}"#,
    );
    let tz = TimeZone::UTC;
    // 2026-12-11 is a Friday.
    assert_eq!(layout_at(&s, &tz, "2026-12-11T21:59:00Z"), None);
    assert_eq!(
        layout_at(&s, &tz, "2026-12-11T22:00:00Z").as_deref(),
        Some("late")
    );
    assert_eq!(
        layout_at(&s, &tz, "2026-12-12T01:59:00Z").as_deref(),
        Some("late")
    );
    assert_eq!(layout_at(&s, &tz, "2026-12-12T02:00:00Z"), None);
    // Thursday night is not Friday's window.
    assert_eq!(layout_at(&s, &tz, "2026-12-11T01:00:00Z"), None);
    let (when, then) = s.next_change(&tz, at("2026-12-11T23:00:00Z")).unwrap();
    assert_eq!(when, at("2026-12-12T02:00:00Z"));
    assert_eq!(then.layout, None);
}

#[test]
fn spring_forward_in_paris_keeps_the_clock_on_the_wall() {
    // On 2027-03-28 Paris's clocks jump from 02:00 to 03:00 (01:00 UTC).
    let s = schedule(
        r#"{"entries": [
            {"from": "02:30", "to": "05:00", "layout": "night"},
            {"from": "07:00", "to": "12:00", "layout": "morning"}
        ]}"#,
    );
    let tz = paris();
    // 02:30 never shows on the clocks: the window opens with the jump.
    let (when, then) = s.next_change(&tz, at("2027-03-28T00:30:00Z")).unwrap();
    assert_eq!(when, at("2027-03-28T01:00:00Z"));
    assert_eq!(then.layout.as_deref(), Some("night"));
    // 05:00 and 07:00 are summer time (UTC+2) that day, winter time before.
    let (when, _) = s.next_change(&tz, when).unwrap();
    assert_eq!(when, at("2027-03-28T03:00:00Z"));
    let (when, then) = s.next_change(&tz, when).unwrap();
    assert_eq!(when, at("2027-03-28T05:00:00Z"));
    assert_eq!(then.layout.as_deref(), Some("morning"));
    let (when, _) = s.next_change(&tz, at("2027-03-27T04:00:00Z")).unwrap();
    assert_eq!(when, at("2027-03-27T06:00:00Z"), "07:00 in winter time");
}

#[test]
fn fall_back_opens_a_window_at_its_first_showing_and_holds_it_through_the_repeated_hour() {
    // On 2027-10-31 Paris's clocks go from 03:00 back to 02:00 (01:00 UTC).
    let s = schedule(r#"{"entries": [{"from": "02:30", "to": "04:00", "layout": "night"}]}"#);
    let tz = paris();
    let (when, _) = s.next_change(&tz, at("2027-10-30T23:00:00Z")).unwrap();
    assert_eq!(when, at("2027-10-31T00:30:00Z"));
    // 02:00 to 02:30 shows again from 01:00 UTC: still inside the window,
    // which ends at 04:00 winter time (03:00 UTC).
    for inside in [
        "2027-10-31T00:59:00Z",
        "2027-10-31T01:10:00Z",
        "2027-10-31T02:59:00Z",
    ] {
        assert_eq!(
            layout_at(&s, &tz, inside).as_deref(),
            Some("night"),
            "{inside}"
        );
    }
    assert_eq!(layout_at(&s, &tz, "2027-10-31T03:00:00Z"), None);
    let (when, _) = s.next_change(&tz, at("2027-10-31T01:10:00Z")).unwrap();
    assert_eq!(when, at("2027-10-31T03:00:00Z"));
    // A window that ends in the repeated hour ends at its first showing.
    let late = schedule(r#"{"entries": [{"from": "22:00", "to": "02:30", "layout": "late"}]}"#);
    assert_eq!(
        layout_at(&late, &tz, "2027-10-31T00:29:00Z").as_deref(),
        Some("late")
    );
    assert_eq!(layout_at(&late, &tz, "2027-10-31T01:10:00Z"), None);
}

#[test]
fn a_dated_entry_weeks_ahead_is_the_next_change() {
    let s = schedule(
        r#"{"entries": [{"from": "08:00", "to": "20:00", "layout": "xmas",
            "dates": {"from": "2026-12-24", "to": "2026-12-26"}}]}"#,
    );
    let tz = TimeZone::UTC;
    let (when, then) = s.next_change(&tz, at("2026-12-01T00:00:00Z")).unwrap();
    assert_eq!(when, at("2026-12-24T08:00:00Z"));
    assert_eq!(then.layout.as_deref(), Some("xmas"));
    let (when, _) = s.next_change(&tz, at("2026-12-26T12:00:00Z")).unwrap();
    assert_eq!(when, at("2026-12-26T20:00:00Z"));
    assert!(s.next_change(&tz, at("2026-12-26T21:00:00Z")).is_none());
}

#[test]
fn the_display_is_picked_apart_from_the_layout() {
    let s = schedule(
        r#"{"entries": [
            {"from": "22:00", "to": "07:00", "display": "off"},
            {"from": "06:00", "to": "10:00", "layout": "morning"}
        ]}"#,
    );
    let tz = TimeZone::UTC;
    let v = s.at(&tz, at("2026-12-07T06:30:00Z"));
    assert_eq!(v.layout.as_deref(), Some("morning"));
    assert_eq!(v.display, Some(DisplayPower::Off));
    let v = s.at(&tz, at("2026-12-07T12:00:00Z"));
    assert_eq!(v, Verdict::default());
    s.check(&LIMITS, |n| n == "morning").unwrap();
}

#[test]
fn a_bad_schedule_is_refused_with_its_reason() {
    let refuse = |json: &str| schedule(json).check(&LIMITS, |n| n == "a").unwrap_err();
    assert_eq!(
        refuse(r#"{"entries": [{"from": "07:00", "to": "09:00", "layout": "b"}]}"#),
        ScheduleError::MissingLayout {
            entry: 1,
            name: "b".into()
        }
    );
    let overlap = refuse(
        r#"{"entries": [
            {"days": ["mon"], "from": "07:00", "to": "09:00", "layout": "a"},
            {"days": ["tue"], "from": "07:00", "to": "09:00", "layout": "a"},
            {"days": ["sun"], "from": "23:00", "to": "01:00", "layout": "a"},
            {"days": ["mon"], "from": "00:30", "to": "02:00", "layout": "a"}
        ]}"#,
    );
    assert_eq!(
        overlap,
        ScheduleError::Overlap {
            first: 3,
            second: 4,
            priority: 0
        },
        "Sunday's window runs into Monday's"
    );
    assert!(overlap.to_string().contains("higher priority"));
    assert!(matches!(
        refuse(r#"{"entries": [{"from": "07:00", "to": "07:00", "layout": "a"}]}"#),
        ScheduleError::EmptyWindow { entry: 1, .. }
    ));
    assert!(matches!(
        refuse(r#"{"timezone": "Mars/Olympus", "entries": []}"#),
        ScheduleError::TimeZone { .. }
    ));
    assert!(matches!(
        refuse(r#"{"entries": [{"days": [], "from": "07:00", "to": "08:00", "layout": "a"}]}"#),
        ScheduleError::NoDays { entry: 1 }
    ));
    assert!(matches!(
        refuse(
            r#"{"entries": [{"from": "07:00", "to": "08:00", "layout": "a",
                "dates": {"from": "2026-12-02", "to": "2026-12-01"}}]}"#
        ),
        ScheduleError::BadDates { entry: 1, .. }
    ));
    assert!(matches!(
        refuse(r#"{"entries": [{"from": "07:00", "to": "08:00"}]}"#),
        ScheduleError::NothingPicked { entry: 1 }
    ));
    assert_eq!(
        refuse(
            r#"{"entries": [{"days": ["mon", "tue", "mon"], "from": "07:00", "to": "08:00", "layout": "a"}]}"#
        ),
        ScheduleError::RepeatedDay {
            entry: 1,
            day: "mon".into()
        }
    );
    let many = format!(
        r#"{{"entries": [{}]}}"#,
        vec![r#"{"from": "07:00", "to": "08:00", "layout": "a"}"#; 17].join(",")
    );
    assert!(matches!(
        refuse(&many),
        ScheduleError::TooMany { count: 17, max: 16 }
    ));
    // Equal priorities are fine when the windows or the dates never meet,
    // or when one picks the layout and the other the display.
    schedule(
        r#"{"entries": [
            {"days": ["mon"], "from": "07:00", "to": "09:00", "layout": "a"},
            {"days": ["mon"], "from": "09:00", "to": "10:00", "layout": "a"},
            {"days": ["mon"], "from": "07:00", "to": "09:00", "display": "off"},
            {"days": ["wed"], "from": "07:00", "to": "09:00", "layout": "a", "dates": {"from": "2026-01-01", "to": "2026-01-31"}},
            {"days": ["wed"], "from": "07:00", "to": "09:00", "layout": "a", "dates": {"from": "2026-03-01", "to": "2026-03-31"}},
            {"from": "07:00", "to": "09:00", "layout": "a", "priority": 2}
        ]}"#,
    )
    .check(&LIMITS, |n| n == "a")
    .unwrap();
}

#[test]
fn times_of_day_and_entries_read_and_write_as_people_write_them() {
    assert_eq!(TimeOfDay::parse("7:05").unwrap().minutes(), 7 * 60 + 5);
    assert_eq!(TimeOfDay::parse("24:00").unwrap(), TimeOfDay::END_OF_DAY);
    for bad in [
        "24:01", "7", "07:5", "07:60", "-1:00", "ab:cd", "07:00:00", "",
    ] {
        assert!(TimeOfDay::parse(bad).is_err(), "{bad}");
    }
    let json = r#"{"from":"07:00","to":"24:00","layout":"a"}"#;
    let e: Entry = serde_json::from_str(json).unwrap();
    assert_eq!(e.days, Day::ALL.to_vec());
    assert_eq!(serde_json::to_string(&e).unwrap(), json);
    assert!(serde_json::from_str::<Entry>(r#"{"from":"07:00","to":"08:00","colour":1}"#).is_err());
}

#[test]
fn the_clock_starts_where_it_is_told_and_runs_at_real_speed() {
    let start = Clock::parse_instant("2027-03-28T01:59:50+01:00").unwrap();
    assert_eq!(start, at("2027-03-28T00:59:50Z"));
    let real = at("2026-12-04T12:00:00Z");
    let clock = Clock::starting_at(start, real);
    assert_eq!(clock.at(real), start);
    assert_eq!(
        clock.at(at("2026-12-04T12:00:15Z")),
        at("2027-03-28T01:00:05Z")
    );
    assert_eq!(Clock::real().at(real), real);
    assert!(Clock::parse_instant("tomorrow").is_err());
}
