//! What the schedule shows and will show, as `ping`, `listContent` and the fleet's status report it.

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
