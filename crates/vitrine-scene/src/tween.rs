//! An eased glide to a target: a widget's centre, scale and turn move together from where it is to where it should rest, as `place` and a reset to home ask.

use std::f64::consts::PI;
use std::time::Duration;

use glam::{DAffine2, DVec2};

use crate::geometry::scale_of;

/// A widget's pose: its centre in window pixels, its scale and its turn.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Pose {
    centre: DVec2,
    scale: f64,
    angle: f64,
}

impl Pose {
    fn of(t: &DAffine2, size: DVec2) -> Pose {
        let x = t.matrix2.x_axis;
        Pose {
            centre: t.transform_point2(size / 2.0),
            scale: scale_of(t),
            angle: x.y.atan2(x.x),
        }
    }

    fn transform(&self, size: DVec2) -> DAffine2 {
        DAffine2::from_translation(self.centre)
            * DAffine2::from_angle(self.angle)
            * DAffine2::from_scale(DVec2::splat(self.scale))
            * DAffine2::from_translation(-size / 2.0)
    }
}

/// A glide in progress from one transform to another.
#[derive(Clone, Debug, PartialEq)]
pub struct Tween {
    from: Pose,
    to: Pose,
    /// The exact end, so a widget comes to rest on its target to the bit.
    target: DAffine2,
    start: Duration,
    length: Duration,
}

/// Cubic ease-in-out: slow away, fast across, slow to rest.
fn ease(t: f64) -> f64 {
    if t < 0.5 {
        4.0 * t * t * t
    } else {
        1.0 - (-2.0 * t + 2.0).powi(3) / 2.0
    }
}

impl Tween {
    pub(crate) fn new(
        from: &DAffine2,
        to: &DAffine2,
        size: DVec2,
        start: Duration,
        length: Duration,
    ) -> Self {
        let (a, mut b) = (Pose::of(from, size), Pose::of(to, size));
        // Turn the short way round.
        let mut d = (b.angle - a.angle) % (2.0 * PI);
        if d > PI {
            d -= 2.0 * PI;
        } else if d < -PI {
            d += 2.0 * PI;
        }
        b.angle = a.angle + d;
        Tween {
            from: a,
            to: b,
            target: *to,
            start,
            length,
        }
    }

    /// The transform at `now`, and whether the glide goes on after it.
    pub(crate) fn at(&self, now: Duration, size: DVec2) -> (DAffine2, bool) {
        let elapsed = now.saturating_sub(self.start);
        if elapsed >= self.length || self.length.is_zero() {
            return (self.target, false);
        }
        let e = ease(elapsed.as_secs_f64() / self.length.as_secs_f64());
        let pose = Pose {
            centre: self.from.centre.lerp(self.to.centre, e),
            scale: self.from.scale * (self.to.scale / self.from.scale).powf(e),
            angle: self.from.angle + (self.to.angle - self.from.angle) * e,
        };
        (pose.transform(size), true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_glide_eases_from_start_to_exactly_the_target() {
        let size = DVec2::new(200.0, 100.0);
        let from = DAffine2::from_translation(DVec2::new(10.0, 20.0));
        let to = DAffine2::from_translation(DVec2::new(400.0, 300.0))
            * DAffine2::from_angle(3.0)
            * DAffine2::from_scale(DVec2::splat(2.0));
        let t = Tween::new(&from, &to, size, Duration::ZERO, Duration::from_millis(600));
        let (at0, going) = t.at(Duration::ZERO, size);
        assert!(going);
        assert!((at0.translation - from.translation).length() < 1e-9);
        let (mid, _) = t.at(Duration::from_millis(300), size);
        let centre = |m: &DAffine2| m.transform_point2(size / 2.0);
        let halfway = (centre(&from) + centre(&to)) / 2.0;
        assert!(
            (centre(&mid) - halfway).length() < 1e-9,
            "eased to half at half time"
        );
        // 3 rad is short of half a turn, but the long way round would be
        // 2π - 3; the glide takes the short one: at half time, 1.5 rad.
        let angle = mid.matrix2.x_axis.y.atan2(mid.matrix2.x_axis.x);
        assert!((angle - 1.5).abs() < 1e-9, "{angle}");
        let (end, going) = t.at(Duration::from_secs(1), size);
        assert!(!going);
        assert_eq!(end, to);
    }

    #[test]
    fn ease_is_monotonic_and_ends_at_one() {
        let mut last = 0.0;
        for i in 0..=100 {
            let e = ease(f64::from(i) / 100.0);
            assert!(e >= last);
            last = e;
        }
        assert_eq!(ease(0.0), 0.0);
        assert_eq!(ease(1.0), 1.0);
    }
}
