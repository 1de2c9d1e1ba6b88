//! Touch input as plain data: finger ids, events, tap thresholds, what a point hits, and a finger that is down.

use std::time::Duration;

use glam::DVec2;
use serde::{Deserialize, Serialize};

use super::ids::WidgetId;
use super::inertia::VelocityTracker;

/// A finger's id as the input source numbers it. An id reused after its
/// finger lifted is a new finger.
pub type FingerId = u64;

/// The phase of a touch event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    Start,
    Move,
    End,
    Cancel,
}

/// One touch event: a finger, a phase, a window position and the injected
/// time at which it happened.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TouchEvent {
    pub id: FingerId,
    pub phase: Phase,
    pub pos: DVec2,
    pub time: Duration,
}

/// Tap recognition thresholds.
#[derive(Clone, Debug, PartialEq)]
pub struct TouchSettings {
    /// A finger that strays farther than this many window pixels from where it
    /// landed is a drag, not a tap.
    pub tap_max_distance: f64,
    /// A finger held longer than this is not a tap.
    pub tap_max_duration: Duration,
}

impl Default for TouchSettings {
    fn default() -> Self {
        Self {
            tap_max_distance: 10.0,
            tap_max_duration: Duration::from_millis(300),
        }
    }
}

/// What a point lands on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hit {
    Widget(WidgetId),
    /// The shown backdrop, which swallows the touch.
    Backdrop,
    Nothing,
}

/// What became of a touch event.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TouchOutcome {
    /// The event went to this target (for a start: the target now holds the finger).
    Delivered(Hit),
    /// A finger lifted on a widget without moving: a tap.
    Tapped(WidgetId),
    /// The event was dropped: a non-finite position, or a finger never seen.
    Ignored,
}

/// A finger that is down.
#[derive(Clone, Debug)]
pub(super) struct Finger {
    /// Who holds the finger. `Nothing` for a finger that landed on nothing or
    /// whose widget went away; such a finger is dead until it lifts.
    pub(super) target: Hit,
    pub(super) start: DVec2,
    pub(super) start_time: Duration,
    pub(super) last: DVec2,
    pub(super) travel: f64,
    /// No other finger held the same widget while this one was down.
    pub(super) alone: bool,
    pub(super) velocity: VelocityTracker,
}
