//! What the kiosk tells subscribers: the event types, their fields as plain data, and the set of types a subscriber asked for.

use serde::Serialize;

/// One thing that happened on the kiosk. It serialises as the `params` of
/// an `event` notification, tagged with its `type`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Event {
    /// Content reached the screen.
    Loaded {
        name: String,
        /// `image`, `video`, `html` or `error`.
        kind: String,
        /// "" for posted HTML.
        url: String,
        status: &'static str,
    },
    /// Content did not reach the screen; what was there stays.
    Failed {
        name: String,
        url: String,
        /// The `pushResult` status the caller got.
        status: &'static str,
        message: String,
    },
    /// A widget left the screen.
    Removed { name: String },
    /// A customer's interaction with a widget ended.
    Touched {
        name: String,
        /// `tap`, `drag`, `pinch`, `rotate` or `hold`.
        gesture: &'static str,
        /// The most fingers on the widget at once.
        fingers: u32,
        /// From the first finger down to the last finger up.
        held_ms: u64,
    },
    /// A video changed state.
    Video {
        name: String,
        /// `playing`, `paused`, `ended`, `looped` or `poster`.
        state: &'static str,
    },
    /// The backdrop was shown or hidden.
    Backdrop {
        /// `shown` or `hidden`.
        state: &'static str,
        /// The widgets raised above it, back to front.
        above: Vec<String>,
    },
    /// Nobody touched the kiosk for `kiosk.idle_reset`.
    Idle { idle_s: f64 },
    /// The screen went back to its home layout.
    Reset {
        /// `idle` or `remote`.
        cause: &'static str,
    },
    /// The desired state has a new revision, saved when a state directory
    /// is in use.
    Revision { revision: u64 },
    /// Another layout of the desired state came on screen.
    Layout {
        /// The named layout; `null`: the default one.
        layout: Option<String>,
        /// `schedule` (an entry began or ended), `state` (a new desired
        /// state picked it), `attract` (the attract loop after the idle
        /// reset), `touch` or `remote` (what ended the attract loop).
        cause: &'static str,
    },
    /// An item left the screen (or the screen went off): proof of play for
    /// that one showing.
    Played {
        /// The widget that showed it.
        name: String,
        /// As proof of play names it: its URL, or `html:<widget>` (`#<n>`
        /// after it for a playlist's card).
        item: String,
        /// Seconds it was on screen this time.
        seconds: f64,
        /// The largest fraction of the screen it covered, 0 to 1.
        max_fraction: f64,
    },
    /// A day of the shop's clock ended: proof of play per item over it (the
    /// fleet keeps it retained on `vitrine/<id>/plays`).
    Summary {
        /// The day, YYYY-MM-DD, in `timezone`.
        date: String,
        timezone: String,
        /// The items most on screen first, at most [`SUMMARY_ITEMS`].
        items: Vec<DayTotal>,
        /// How many items the day had in all.
        items_total: usize,
    },
}

/// The most items a day's summary lists (the most seen first).
pub const SUMMARY_ITEMS: usize = 100;

/// One item's proof of play over a day.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DayTotal {
    pub item: String,
    #[serde(flatten)]
    pub counts: crate::plays::PlayCounts,
}

/// The kinds of [`Event`], as subscribers name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventType {
    Loaded,
    Failed,
    Removed,
    Touched,
    Video,
    Backdrop,
    Idle,
    Reset,
    Revision,
    Layout,
    Played,
    Summary,
}

impl EventType {
    pub const ALL: [EventType; 12] = [
        EventType::Loaded,
        EventType::Failed,
        EventType::Removed,
        EventType::Touched,
        EventType::Video,
        EventType::Backdrop,
        EventType::Idle,
        EventType::Reset,
        EventType::Revision,
        EventType::Layout,
        EventType::Played,
        EventType::Summary,
    ];

    pub fn name(self) -> &'static str {
        match self {
            EventType::Loaded => "loaded",
            EventType::Failed => "failed",
            EventType::Removed => "removed",
            EventType::Touched => "touched",
            EventType::Video => "video",
            EventType::Backdrop => "backdrop",
            EventType::Idle => "idle",
            EventType::Reset => "reset",
            EventType::Revision => "revision",
            EventType::Layout => "layout",
            EventType::Played => "played",
            EventType::Summary => "summary",
        }
    }

    /// The type a subscriber named, if there is one.
    pub fn parse(name: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|t| t.name() == name)
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

impl Event {
    pub fn kind(&self) -> EventType {
        match self {
            Event::Loaded { .. } => EventType::Loaded,
            Event::Failed { .. } => EventType::Failed,
            Event::Removed { .. } => EventType::Removed,
            Event::Touched { .. } => EventType::Touched,
            Event::Video { .. } => EventType::Video,
            Event::Backdrop { .. } => EventType::Backdrop,
            Event::Idle { .. } => EventType::Idle,
            Event::Reset { .. } => EventType::Reset,
            Event::Revision { .. } => EventType::Revision,
            Event::Layout { .. } => EventType::Layout,
            Event::Played { .. } => EventType::Played,
            Event::Summary { .. } => EventType::Summary,
        }
    }
}

/// A set of event types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TypeSet(u16);

impl TypeSet {
    pub const ALL: TypeSet = TypeSet(0xfff);

    /// The types named, or why a name is not one.
    pub fn parse<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<TypeSet, String> {
        let mut set = 0;
        for n in names {
            let t = EventType::parse(n).ok_or_else(|| {
                let known: Vec<&str> = EventType::ALL.iter().map(|t| t.name()).collect();
                format!("unknown event type {n:?}; known: {}", known.join(", "))
            })?;
            set |= t.bit();
        }
        Ok(TypeSet(set))
    }

    pub fn contains(self, t: EventType) -> bool {
        self.0 & t.bit() != 0
    }

    /// The names in the set, in the order of [`EventType::ALL`].
    pub fn names(self) -> Vec<&'static str> {
        EventType::ALL
            .into_iter()
            .filter(|t| self.contains(*t))
            .map(EventType::name)
            .collect()
    }

    pub fn bits(self) -> u16 {
        self.0
    }

    pub fn from_bits(bits: u16) -> TypeSet {
        TypeSet(bits & Self::ALL.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_serialise_with_their_type() {
        let e = Event::Touched {
            name: "pic".into(),
            gesture: "tap",
            fingers: 1,
            held_ms: 80,
        };
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"type": "touched", "name": "pic", "gesture": "tap", "fingers": 1, "held_ms": 80})
        );
        assert_eq!(e.kind().name(), v["type"]);
    }

    #[test]
    fn type_sets_parse_and_refuse_unknown_names() {
        let s = TypeSet::parse(["video", "loaded"]).unwrap();
        assert_eq!(s.names(), ["loaded", "video"]);
        assert!(!s.contains(EventType::Touched));
        assert_eq!(TypeSet::ALL.names().len(), EventType::ALL.len());
        let e = TypeSet::parse(["loaded", "bogus"]).unwrap_err();
        assert!(e.contains("bogus") && e.contains("revision"), "{e}");
        assert_eq!(TypeSet::from_bits(u16::MAX), TypeSet::ALL);
    }
}
