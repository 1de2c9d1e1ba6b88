//! Gesture recognition per widget: one interaction runs from the first finger down on a widget to its last finger up, and ends as a tap, drag, pinch, rotate or hold, for the kiosk's events and analytics.
//!
//! The recognition reads what the scene itself did (its taps, the fingers'
//! travel, the widget's change of scale and angle), so what analytics count
//! can never disagree with what the customer saw.

use std::time::Duration;

use glam::DAffine2;
use serde::Serialize;

use super::geometry::scale_of;
use super::ids::WidgetId;

/// What an interaction was, as far as a customer's hands go.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GestureKind {
    /// A finger landed and lifted without moving: the scene saw a tap.
    Tap,
    /// Fingers moved the widget (or tried to, on a pinned one).
    Drag,
    /// Two or more fingers changed the widget's scale.
    Pinch,
    /// Two or more fingers turned the widget without scaling it.
    Rotate,
    /// Fingers rested on the widget without moving and too long for a tap.
    Hold,
}

impl GestureKind {
    pub fn name(self) -> &'static str {
        match self {
            GestureKind::Tap => "tap",
            GestureKind::Drag => "drag",
            GestureKind::Pinch => "pinch",
            GestureKind::Rotate => "rotate",
            GestureKind::Hold => "hold",
        }
    }
}

/// A scale change smaller than this (2 %) is a wobble, not a pinch.
const PINCH_RATIO: f64 = 0.02;
/// A turn smaller than this (3 degrees) is a wobble, not a rotation.
const ROTATE_RADIANS: f64 = 3.0 * std::f64::consts::PI / 180.0;

/// A widget's interaction while fingers are on it.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Interaction {
    start: Duration,
    start_transform: DAffine2,
    /// Fingers that landed during it.
    touches: u32,
    /// The most fingers down at once.
    fingers: u32,
    taps: u32,
    /// The farthest any finger strayed from where it landed.
    travel: f64,
}

/// One finished interaction with a widget.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GestureRecord {
    pub widget: WidgetId,
    pub gesture: GestureKind,
    /// The most fingers on the widget at once.
    pub fingers: u32,
    /// Fingers that landed on it during the interaction.
    pub touches: u32,
    /// Taps the scene recognised (and acted on) during it.
    pub taps: u32,
    /// From the first finger down to the last finger up.
    pub held: Duration,
}

impl Interaction {
    /// The first finger landed on a widget at `transform`.
    pub(super) fn begin(now: Duration, transform: DAffine2) -> Self {
        Self {
            start: now,
            start_transform: transform,
            touches: 1,
            fingers: 1,
            taps: 0,
            travel: 0.0,
        }
    }

    /// Another finger landed; `down` fingers now hold the widget.
    pub(super) fn finger_down(&mut self, down: usize) {
        self.touches = self.touches.saturating_add(1);
        self.fingers = self.fingers.max(u32::try_from(down).unwrap_or(u32::MAX));
    }

    /// A finger lifted after straying `travel` pixels, as a tap or not.
    pub(super) fn finger_up(&mut self, travel: f64, tap: bool) {
        if travel.is_finite() {
            self.travel = self.travel.max(travel);
        }
        if tap {
            self.taps = self.taps.saturating_add(1);
        }
    }

    /// The last finger lifted at `now` with the widget at `transform`; a
    /// finger that strayed farther than `tap_distance` made it a drag.
    pub(super) fn finish(
        &self,
        widget: WidgetId,
        now: Duration,
        transform: &DAffine2,
        tap_distance: f64,
    ) -> GestureRecord {
        let gesture = self.classify(transform, tap_distance);
        GestureRecord {
            widget,
            gesture,
            fingers: self.fingers,
            touches: self.touches,
            taps: self.taps,
            held: now.saturating_sub(self.start),
        }
    }

    fn classify(&self, end: &DAffine2, tap_distance: f64) -> GestureKind {
        let start = &self.start_transform;
        if self.fingers >= 2 {
            let ratio = scale_of(end) / scale_of(start);
            if ratio.is_finite() && (ratio - 1.0).abs() > PINCH_RATIO {
                return GestureKind::Pinch;
            }
            let turn = angle_of(end) - angle_of(start);
            // The shortest way round: a turn from 179° to -179° is 2°.
            let turn = (turn + std::f64::consts::PI).rem_euclid(std::f64::consts::TAU)
                - std::f64::consts::PI;
            if turn.abs() > ROTATE_RADIANS {
                return GestureKind::Rotate;
            }
        }
        let moved = (end.translation - start.translation).length();
        if self.travel > tap_distance || moved > tap_distance {
            GestureKind::Drag
        } else if self.taps > 0 {
            GestureKind::Tap
        } else {
            GestureKind::Hold
        }
    }
}

/// A similarity transform's angle, in radians.
fn angle_of(t: &DAffine2) -> f64 {
    t.matrix2.x_axis.y.atan2(t.matrix2.x_axis.x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use glam::DVec2;

    const ID: WidgetId = WidgetId {
        index: 0,
        generation: 0,
    };

    fn at(x: f64, scale: f64, degrees: f64) -> DAffine2 {
        DAffine2::from_translation(DVec2::new(x, 0.0))
            * DAffine2::from_angle(degrees.to_radians())
            * DAffine2::from_scale(DVec2::splat(scale))
    }

    #[test]
    fn kinds_follow_what_happened() {
        let ms = Duration::from_millis;
        let mut i = Interaction::begin(ms(0), at(0.0, 1.0, 0.0));
        i.finger_up(2.0, true);
        let r = i.finish(ID, ms(120), &at(0.0, 1.0, 0.0), 10.0);
        assert_eq!(
            (r.gesture, r.taps, r.touches, r.held),
            (GestureKind::Tap, 1, 1, ms(120))
        );

        let mut i = Interaction::begin(ms(0), at(0.0, 1.0, 0.0));
        i.finger_up(40.0, false);
        let r = i.finish(ID, ms(500), &at(40.0, 1.0, 0.0), 10.0);
        assert_eq!(r.gesture, GestureKind::Drag);

        let mut i = Interaction::begin(ms(0), at(0.0, 1.0, 0.0));
        i.finger_down(2);
        i.finger_up(30.0, false);
        i.finger_up(30.0, false);
        let r = i.finish(ID, ms(500), &at(0.0, 1.5, 0.0), 10.0);
        assert_eq!(
            (r.gesture, r.fingers, r.touches),
            (GestureKind::Pinch, 2, 2)
        );
        let r = i.finish(ID, ms(500), &at(0.0, 1.0, 179.0), 10.0);
        assert_eq!(r.gesture, GestureKind::Rotate);

        let mut i = Interaction::begin(ms(0), at(0.0, 1.0, 0.0));
        i.finger_up(1.0, false);
        assert_eq!(
            i.finish(ID, ms(2000), &at(0.0, 1.0, 0.0), 10.0).gesture,
            GestureKind::Hold
        );
    }

    #[test]
    fn a_wobble_is_not_a_turn_across_the_half_turn() {
        let mut i = Interaction::begin(Duration::ZERO, at(0.0, 1.0, 179.5));
        i.finger_down(2);
        let r = i.finish(ID, Duration::ZERO, &at(0.0, 1.0, -179.5), 10.0);
        assert_eq!(r.gesture, GestureKind::Hold);
    }
}
