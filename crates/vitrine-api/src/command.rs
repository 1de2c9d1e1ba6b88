//! The typed commands a client can send, sorted by who answers them, and the typed replies to calls: written once, for the server and for `vitrine ctl`.

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::events::TypeSet;
use crate::gestures::{GestureChange, Gestures};
use crate::outcome::LoadFailure;
use crate::stats::Report;

/// A request answered on the connection thread, from what the UI publishes.
#[derive(Clone, Debug, PartialEq)]
pub enum Query {
    /// The front-most widget's name.
    WhatsLoaded,
    /// The front-most widget's URL.
    CurrentUrl,
    /// The version and uptime.
    Ping,
}

/// A request that loads content into a widget; its caller waits until the
/// content shows or fails.
#[derive(Clone, Debug, PartialEq)]
pub enum Load {
    FetchUrl {
        name: String,
        url: String,
        /// For a video: an image URL shown until it first plays.
        poster: Option<String>,
        /// Where the content goes; the default placement when empty.
        placement: PlaceSpec,
    },
    PostHtml {
        name: String,
        data: String,
        base_url: Option<String>,
        /// The viewport in CSS pixels.
        width: Option<u32>,
        height: Option<u32>,
        /// Where the content goes; the default placement when empty.
        placement: PlaceSpec,
    },
}

impl Load {
    /// The widget the content goes into.
    pub fn name(&self) -> &str {
        match self {
            Load::FetchUrl { name, .. } | Load::PostHtml { name, .. } => name,
        }
    }
}

/// A request the UI thread carries out at once.
#[derive(Clone, Debug, PartialEq)]
pub enum Call {
    ListContent,
    Remove {
        name: String,
    },
    Raise {
        name: String,
    },
    Play {
        name: String,
    },
    Pause {
        name: String,
    },
    ShowBackdrop {
        color: Option<[f32; 4]>,
        above: Vec<String>,
    },
    HideBackdrop,
    /// The reset for the next customer, now: widgets glide home, videos go
    /// back to their poster.
    Reset,
    Screenshot {
        max_width: Option<u32>,
    },
    /// `preview`: a layout of the desired state (`None`: the default one)
    /// drawn offscreen as a PNG, without changing the screen.
    Preview {
        layout: Option<String>,
        max_width: Option<u32>,
    },
    /// Moves a widget (gliding unless `animate` is false), makes that its
    /// home, and puts it at `z` among widgets (0: the back-most) when given.
    Place {
        name: String,
        at: PlaceSpec,
        z: Option<u32>,
        animate: bool,
    },
    /// The touch counters; with `since` (Unix seconds) only widgets
    /// touched since; with `reset`, counting starts again after the reply's
    /// numbers are taken.
    Stats {
        since: Option<f64>,
        reset: bool,
    },
    /// The desired state, as the one document (`state.json`'s shape).
    GetState,
    /// `timeline`: a day of the schedule (`date`, YYYY-MM-DD on the
    /// kiosk's clock; today without it) as spans of layouts and power.
    Timeline {
        date: Option<String>,
    },
    /// Applies a whole desired-state document, when its revision is newer
    /// than the kiosk's.
    SetState {
        document: Box<crate::document::Desired>,
    },
    /// The screen's power: `Some(true)` on, `Some(false)` off, `None` only
    /// asks.
    Display {
        on: Option<bool>,
    },
}

/// A request about events pushed on the connection it came on.
#[derive(Clone, Debug, PartialEq)]
pub enum Stream {
    /// Push the events of these types (a second call changes them).
    Subscribe {
        events: TypeSet,
    },
    Unsubscribe,
}

/// Where `place` puts a widget. Every field is optional: what is left out
/// keeps the widget's present value.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlaceSpec {
    /// Where the widget's centre goes, in window pixels.
    pub x: Option<f64>,
    pub y: Option<f64>,
    pub scale: Option<f64>,
    /// Clockwise, in degrees.
    pub rotation: Option<f64>,
    /// The displayed width in window pixels; the height follows the aspect
    /// ratio. It wins over `scale`.
    pub width: Option<f64>,
    /// Gesture switches, pinning and full-screen fill.
    pub gestures: GestureChange,
}

/// Every request a client can make, sorted by who answers it.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Query(Query),
    Load(Load),
    Call(Call),
    Stream(Stream),
}

impl Command {
    /// The method's name on the wire.
    pub fn method(&self) -> &'static str {
        match self {
            Command::Query(Query::WhatsLoaded) => "whatsLoaded",
            Command::Query(Query::CurrentUrl) => "currentUrl",
            Command::Query(Query::Ping) => "ping",
            Command::Load(Load::FetchUrl { .. }) => "fetchUrl",
            Command::Load(Load::PostHtml { .. }) => "postHtml",
            Command::Call(Call::ListContent) => "listContent",
            Command::Call(Call::Remove { .. }) => "remove",
            Command::Call(Call::Raise { .. }) => "raise",
            Command::Call(Call::Play { .. }) => "play",
            Command::Call(Call::Pause { .. }) => "pause",
            Command::Call(Call::ShowBackdrop { .. }) => "showBackdrop",
            Command::Call(Call::HideBackdrop) => "hideBackdrop",
            Command::Call(Call::Reset) => "reset",
            Command::Call(Call::Screenshot { .. }) => "screenshot",
            Command::Call(Call::Preview { .. }) => "preview",
            Command::Call(Call::Place { .. }) => "place",
            Command::Call(Call::Stats { .. }) => "stats",
            Command::Call(Call::GetState) => "getState",
            Command::Call(Call::Timeline { .. }) => "timeline",
            Command::Call(Call::SetState { .. }) => "setState",
            Command::Call(Call::Display { .. }) => "display",
            Command::Stream(Stream::Subscribe { .. }) => "subscribe",
            Command::Stream(Stream::Unsubscribe) => "unsubscribe",
        }
    }

    /// The parameters as named (flat) JSON, the shape `vitrine ctl` sends.
    /// Unset optional parameters are left out.
    pub fn params(&self) -> Value {
        let mut m = Map::new();
        let mut put = |k: &str, v: Value| {
            if !v.is_null() {
                m.insert(k.to_string(), v);
            }
        };
        match self {
            Command::Query(_)
            | Command::Stream(Stream::Unsubscribe)
            | Command::Call(
                Call::ListContent | Call::HideBackdrop | Call::Reset | Call::GetState,
            ) => {}
            Command::Call(Call::Timeline { date }) => put("date", json!(date)),
            Command::Call(Call::SetState { document }) => {
                let doc = crate::document::Document::of((**document).clone());
                if let Ok(Value::Object(fields)) = serde_json::to_value(doc) {
                    fields.into_iter().for_each(|(k, v)| put(&k, v));
                }
            }
            Command::Stream(Stream::Subscribe { events }) => {
                if *events != TypeSet::ALL {
                    put("events", json!(events.names()));
                }
            }
            Command::Call(Call::Stats { since, reset }) => {
                put("since", json!(since));
                if *reset {
                    put("reset", json!(true));
                }
            }
            Command::Load(Load::FetchUrl {
                name,
                url,
                poster,
                placement,
            }) => {
                put("name", json!(name));
                put("url", json!(url));
                put("poster", json!(poster));
                put("placement", placement.to_json());
            }
            Command::Load(Load::PostHtml {
                name,
                data,
                base_url,
                width,
                height,
                placement,
            }) => {
                put("name", json!(name));
                put("data", json!(data));
                put("baseUrl", json!(base_url));
                put("width", json!(width));
                put("height", json!(height));
                put("placement", placement.to_json());
            }
            Command::Call(
                Call::Remove { name }
                | Call::Raise { name }
                | Call::Play { name }
                | Call::Pause { name },
            ) => put("name", json!(name)),
            Command::Call(Call::ShowBackdrop { color, above }) => {
                put("color", json!(color));
                put("above", json!(above));
            }
            Command::Call(Call::Screenshot { max_width }) => put("max_width", json!(max_width)),
            Command::Call(Call::Preview { layout, max_width }) => {
                put("layout", json!(layout));
                put("max_width", json!(max_width));
            }
            Command::Call(Call::Display { on }) => {
                put("power", json!(on.map(|on| if on { "on" } else { "off" })));
            }
            Command::Call(Call::Place {
                name,
                at,
                z,
                animate,
            }) => {
                put("name", json!(name));
                if let Value::Object(fields) = at.to_json() {
                    fields.into_iter().for_each(|(k, v)| put(&k, v));
                }
                put("z", json!(z));
                if !animate {
                    put("animate", json!(false));
                }
            }
        }
        Value::Object(m)
    }

    /// The whole JSON-RPC request object, with `id` and `auth` when given.
    pub fn to_request(&self, id: u64, auth: Option<&str>) -> Value {
        let mut r =
            json!({"jsonrpc": "2.0", "id": id, "method": self.method(), "params": self.params()});
        if let Some(a) = auth {
            r["auth"] = json!(a);
        }
        r
    }
}

impl PlaceSpec {
    /// Whether the spec moves the widget (rather than only switching its
    /// gestures or nothing at all).
    pub fn moves(&self) -> bool {
        [self.x, self.y, self.scale, self.rotation, self.width]
            .iter()
            .any(Option::is_some)
    }

    /// The fields that are set, as a JSON object; `null` when none is.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        let g = &self.gestures;
        let mut switches = Map::new();
        for (k, v) in [
            ("translate", g.translate),
            ("rotate", g.rotate),
            ("scale", g.scale),
        ] {
            if let Some(v) = v {
                switches.insert(k.to_string(), json!(v));
            }
        }
        if !switches.is_empty() {
            m.insert("gestures".to_string(), Value::Object(switches));
        }
        if let Some(p) = g.pinned {
            m.insert("pinned".to_string(), json!(p));
        }
        if let Some(f) = g.fill {
            m.insert("fill".to_string(), json!(f));
        }
        for (k, v) in [
            ("x", self.x),
            ("y", self.y),
            ("scale", self.scale),
            ("rotation", self.rotation),
            ("width", self.width),
        ] {
            if let Some(v) = v {
                m.insert(k.to_string(), json!(v));
            }
        }
        if m.is_empty() {
            Value::Null
        } else {
            Value::Object(m)
        }
    }
}

/// One widget in a `listContent` reply.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WidgetInfo {
    pub name: String,
    pub kind: &'static str,
    /// "" for posted HTML and error cards.
    pub url: String,
    /// `shown`, or a video's `poster`, `playing`, `paused` or `ended`.
    pub state: &'static str,
    /// Window pixels: top-left, top-right, bottom-right, bottom-left.
    pub corners: [[f64; 2]; 4],
    /// Back to front: 0 is the back-most widget.
    pub z: usize,
    /// The widget's gesture switches, pinning and fill.
    pub gestures: Gestures,
    /// Shown from the offline cache: its origin could not be reached.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub cached: bool,
}

/// What a [`Call`] came to, when it succeeded.
#[derive(Clone, Debug, PartialEq)]
pub enum CallReply {
    /// The change was made.
    Done,
    /// `listContent`: the widgets, front-most first, and the desired
    /// state's revision.
    Content {
        widgets: Vec<WidgetInfo>,
        revision: u64,
        /// The screen's size in window pixels, the space `corners` are in.
        screen: [f64; 2],
        /// The layout the schedule shows, and its next change.
        schedule: crate::schedule_view::ScheduleView,
    },
    /// `screenshot`: the composed frame as a PNG.
    Screenshot {
        width: u32,
        height: u32,
        png: Vec<u8>,
    },
    /// `stats`: the touch counters.
    Stats(Report),
    /// `getState`: the desired state.
    State(Box<crate::document::Desired>),
    /// `timeline`: a day of the schedule.
    Timeline(crate::schedule_view::Timeline),
    /// `setState`: whether the document was applied, and the revision that
    /// holds now.
    Applied { applied: bool, revision: u64 },
    /// `display`: whether the screen is on, and how it is switched.
    Display { on: bool, method: &'static str },
}

/// What a [`Call`] came to.
pub type CallResult = Result<CallReply, LoadFailure>;
