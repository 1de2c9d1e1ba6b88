//! What the schedule shows and will show, as `ping`, `listContent` and the fleet's status report it, and a day of it as `timeline` answers.

/// What the schedule shows and will show, as `ping` and `listContent`
/// report it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScheduleView {
    /// The named layout on screen; `None`: the default one.
    pub layout: Option<String>,
    /// The schedule's next change, if one comes within the time it looks at.
    pub next: Option<NextChange>,
}

/// A change the schedule will make.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NextChange {
    /// When, as an RFC 3339 instant on the kiosk's clock.
    pub at: String,
    /// The layout it shows then; `None`: the default one.
    pub layout: Option<String>,
    /// The screen's power it asks then ("on" or "off"), if any.
    pub display: Option<&'static str>,
}

impl ScheduleView {
    /// As JSON: `{"layout": …, "next_change": {"at", "layout", "display"}}`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "layout": self.layout,
            "next_change": self.next.as_ref().map(|n| serde_json::json!({
                "at": n.at,
                "layout": n.layout,
                "display": n.display,
            })),
        })
    }
}

/// A day of the schedule, as `timeline` answers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Timeline {
    /// The date, YYYY-MM-DD.
    pub date: String,
    /// The IANA zone the day is read in.
    pub timezone: String,
    /// The named layout on screen now; `None`: the default one.
    pub layout: Option<String>,
    /// The day, in order and without gaps.
    pub spans: Vec<TimelineSpan>,
}

/// A stretch of the day with one layout and one power.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimelineSpan {
    /// RFC 3339 instants on the kiosk's clock, with the zone's offset.
    pub from: String,
    pub to: String,
    /// The layout then; `None`: the default one.
    pub layout: Option<String>,
    /// The screen's power an entry asks then ("on" or "off"), if any.
    pub display: Option<&'static str>,
}

impl Timeline {
    /// As JSON: `{"date", "timezone", "layout", "spans": [{"from", "to",
    /// "layout", "display"}]}`.
    pub fn to_json(&self) -> serde_json::Value {
        let spans: Vec<serde_json::Value> = self
            .spans
            .iter()
            .map(|s| serde_json::json!({"from": s.from, "to": s.to, "layout": s.layout, "display": s.display}))
            .collect();
        serde_json::json!({
            "date": self.date,
            "timezone": self.timezone,
            "layout": self.layout,
            "spans": spans,
        })
    }
}
