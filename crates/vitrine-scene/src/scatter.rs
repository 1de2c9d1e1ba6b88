//! Scatter math: Kivy's one- and two-finger transform, the scale limits and keep-on-screen.

use glam::{DAffine2, DMat2, DVec2};
use serde::{Deserialize, Serialize};

use super::geometry::{corners, scale_of};

/// How a widget reacts to fingers. The same struct is the `[scatter]` config
/// section and the per-widget override in replay scenes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScatterSettings {
    /// One-finger drags move the widget.
    pub translate: bool,
    /// Two-finger gestures rotate the widget.
    pub rotate: bool,
    /// Two-finger gestures scale the widget.
    pub scale: bool,
    /// The smallest total scale a pinch can reach.
    pub scale_min: f64,
    /// The largest total scale a spread can reach.
    pub scale_max: f64,
    /// A touched widget comes to the front.
    pub bring_to_front: bool,
    /// Part of every widget always stays inside the window.
    pub keep_on_screen: bool,
    /// The strip kept on screen, in window pixels, when that is smaller than
    /// `keep_on_screen_fraction` of the widget.
    pub keep_on_screen_px: f64,
    /// The part of the widget's window extent kept on screen, when that is
    /// smaller than `keep_on_screen_px`.
    pub keep_on_screen_fraction: f64,
    /// A widget thrown faster than `inertia_min_speed` keeps gliding.
    pub inertia: bool,
    /// Exponential decay rate of a glide, per second: the glide travels
    /// `speed / inertia_friction` pixels in all.
    pub inertia_friction: f64,
    /// The release speed, in window pixels per second, that starts a glide.
    pub inertia_min_speed: f64,
    /// The number of fingers that translate the widget (Kivy's
    /// `translation_touches`); each moves it by its motion divided by this.
    pub translation_touches: u32,
}

impl Default for ScatterSettings {
    fn default() -> Self {
        Self {
            translate: true,
            rotate: true,
            scale: true,
            scale_min: 0.01,
            scale_max: 1e20,
            bring_to_front: true,
            keep_on_screen: true,
            keep_on_screen_px: 64.0,
            keep_on_screen_fraction: 0.2,
            inertia: true,
            inertia_friction: 4.0,
            inertia_min_speed: 300.0,
            translation_touches: 1,
        }
    }
}

impl ScatterSettings {
    /// Checks the values, naming the first bad key.
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        let bad = |key, why: &str| Err((key, why.to_string()));
        if !(self.scale_min.is_finite() && self.scale_min > 0.0) {
            return bad("scale_min", "must be a positive number");
        }
        if !(self.scale_max.is_finite() && self.scale_max >= self.scale_min) {
            return bad("scale_max", "must be a number no smaller than scale_min");
        }
        if !(self.keep_on_screen_px.is_finite() && self.keep_on_screen_px >= 0.0) {
            return bad("keep_on_screen_px", "must be zero or more");
        }
        if !(0.0..=1.0).contains(&self.keep_on_screen_fraction) {
            return bad("keep_on_screen_fraction", "must be between 0 and 1");
        }
        if !(self.inertia_friction.is_finite() && self.inertia_friction > 0.0) {
            return bad("inertia_friction", "must be a positive number");
        }
        if !(self.inertia_min_speed.is_finite() && self.inertia_min_speed >= 0.0) {
            return bad("inertia_min_speed", "must be zero or more");
        }
        if self.translation_touches == 0 {
            return bad("translation_touches", "must be at least 1");
        }
        Ok(())
    }
}

/// `m` applied about `anchor` in window space.
fn about(anchor: DVec2, m: DMat2) -> DAffine2 {
    DAffine2::from_translation(anchor)
        * DAffine2::from_mat2(m)
        * DAffine2::from_translation(-anchor)
}

/// One captured finger as the transform sees it.
#[derive(Clone, Copy, Debug)]
pub struct Captured {
    pub finger: u64,
    /// The finger's last position, in window pixels.
    pub last: DVec2,
}

/// Applies one finger's move to `t`, exactly as Kivy's
/// `Scatter.transform_with_touch`.
///
/// `captured` lists the widget's fingers in capture order with their last
/// positions; it includes `moving`, whose last position is its previous one.
/// Every step is pre-multiplied in window space. Returns whether `t` changed.
pub fn transform_with_touch(
    t: &mut DAffine2,
    s: &ScatterSettings,
    captured: &[Captured],
    moving: u64,
    pos: DVec2,
) -> bool {
    let Some(prev) = captured.iter().find(|c| c.finger == moving).map(|c| c.last) else {
        return false;
    };
    let before = *t;

    // 1. Translation, when exactly `translation_touches` fingers hold the widget.
    if captured.len() == s.translation_touches as usize && s.translate {
        let d = (pos - prev) / f64::from(s.translation_touches);
        *t = DAffine2::from_translation(d) * *t;
    }
    if captured.len() == 1 {
        return *t != before;
    }

    // 2. Pivot: the other finger farthest from the moving one. Python's max()
    //    keeps the first of equals, hence the strict comparisons.
    let mut anchor = DVec2::ZERO;
    let mut best = f64::NEG_INFINITY;
    for c in captured.iter().filter(|c| c.finger != moving) {
        let d = c.last.distance(pos);
        if d > best {
            best = d;
            anchor = c.last;
        }
    }
    // Act only if the moving finger is itself the farthest from the anchor,
    // so extra fingers are ignored.
    let mut farthest = f64::NEG_INFINITY;
    for c in captured.iter().filter(|c| c.finger != moving) {
        farthest = farthest.max(anchor.distance(c.last));
    }
    if anchor.distance(pos) <= farthest {
        return *t != before;
    }

    let old = prev - anchor;
    let new = pos - anchor;
    let old_len = old.length();
    if old_len == 0.0 {
        return *t != before;
    }

    // 3. Rotation by the signed angle from old to new about the anchor.
    if s.rotate {
        let angle = old.perp_dot(new).atan2(old.dot(new));
        *t = about(anchor, DMat2::from_angle(angle)) * *t;
    }

    // 4. Scale by |new|/|old| about the anchor, clamped to the total limits.
    if s.scale {
        let mut k = new.length() / old_len;
        let current = scale_of(t);
        let wanted = k * current;
        if wanted < s.scale_min {
            k = s.scale_min / current;
        } else if wanted > s.scale_max {
            k = s.scale_max / current;
        }
        *t = about(anchor, DMat2::from_diagonal(DVec2::splat(k))) * *t;
    }
    *t != before
}

/// The translation that brings a widget back so that the configured part of
/// it is inside the window, or zero when it already is.
///
/// The part is measured on the widget's window-space bounding box: a strip of
/// `keep_on_screen_px` or `keep_on_screen_fraction` of the box, whichever is
/// smaller, on each axis.
pub fn keep_on_screen_offset(
    t: &DAffine2,
    size: DVec2,
    window: DVec2,
    s: &ScatterSettings,
) -> DVec2 {
    if !s.keep_on_screen {
        return DVec2::ZERO;
    }
    let c = corners(t, size);
    let min = c[0].min(c[1]).min(c[2]).min(c[3]);
    let max = c[0].max(c[1]).max(c[2]).max(c[3]);
    let extent = max - min;
    let strip = (extent * s.keep_on_screen_fraction).min(DVec2::splat(s.keep_on_screen_px));
    let axis = |min: f64, max: f64, strip: f64, window: f64| {
        if max < strip {
            strip - max
        } else if min > window - strip {
            window - strip - min
        } else {
            0.0
        }
    };
    DVec2::new(
        axis(min.x, max.x, strip.x, window.x),
        axis(min.y, max.y, strip.y, window.y),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn free() -> ScatterSettings {
        ScatterSettings {
            keep_on_screen: false,
            inertia: false,
            ..ScatterSettings::default()
        }
    }

    fn cap(list: &[(u64, DVec2)]) -> Vec<Captured> {
        list.iter()
            .map(|&(finger, last)| Captured { finger, last })
            .collect()
    }

    #[test]
    fn one_finger_translates_by_its_motion() {
        let mut t = DAffine2::from_translation(DVec2::new(10.0, 20.0));
        let c = cap(&[(1, DVec2::new(50.0, 50.0))]);
        assert!(transform_with_touch(
            &mut t,
            &free(),
            &c,
            1,
            DVec2::new(53.0, 46.0)
        ));
        assert_eq!(t.translation, DVec2::new(13.0, 16.0));
    }

    #[test]
    fn translation_switch_off_holds_still() {
        let mut t = DAffine2::IDENTITY;
        let s = ScatterSettings {
            translate: false,
            ..free()
        };
        let c = cap(&[(1, DVec2::new(5.0, 5.0))]);
        assert!(!transform_with_touch(
            &mut t,
            &s,
            &c,
            1,
            DVec2::new(9.0, 9.0)
        ));
        assert_eq!(t, DAffine2::IDENTITY);
    }

    #[test]
    fn quarter_turn_about_the_other_finger() {
        let mut t = DAffine2::IDENTITY;
        let c = cap(&[(1, DVec2::new(0.0, 0.0)), (2, DVec2::new(100.0, 0.0))]);
        transform_with_touch(&mut t, &free(), &c, 2, DVec2::new(0.0, 100.0));
        // Positive angles turn clockwise on a y-down screen: +x goes to +y.
        let p = t.transform_point2(DVec2::new(100.0, 0.0));
        assert!(p.distance(DVec2::new(0.0, 100.0)) < 1e-9, "{p}");
        assert!((scale_of(&t) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn spread_doubles_about_the_anchor() {
        let mut t = DAffine2::IDENTITY;
        let c = cap(&[(1, DVec2::new(10.0, 10.0)), (2, DVec2::new(20.0, 10.0))]);
        transform_with_touch(&mut t, &free(), &c, 2, DVec2::new(30.0, 10.0));
        assert!((scale_of(&t) - 2.0).abs() < 1e-12);
        assert!(
            t.transform_point2(DVec2::new(10.0, 10.0))
                .distance(DVec2::new(10.0, 10.0))
                < 1e-9
        );
    }

    #[test]
    fn scale_is_clamped_to_the_limits() {
        let s = ScatterSettings {
            scale_max: 1.5,
            scale_min: 0.5,
            ..free()
        };
        let mut t = DAffine2::IDENTITY;
        let c = cap(&[(1, DVec2::ZERO), (2, DVec2::new(10.0, 0.0))]);
        transform_with_touch(&mut t, &s, &c, 2, DVec2::new(100.0, 0.0));
        assert!((scale_of(&t) - 1.5).abs() < 1e-12);
        let c = cap(&[(1, DVec2::ZERO), (2, DVec2::new(100.0, 0.0))]);
        transform_with_touch(&mut t, &s, &c, 2, DVec2::new(1.0, 0.0));
        assert!((scale_of(&t) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn a_third_finger_between_the_others_is_ignored() {
        let mut t = DAffine2::IDENTITY;
        let c = cap(&[
            (1, DVec2::new(0.0, 0.0)),
            (2, DVec2::new(100.0, 0.0)),
            (3, DVec2::new(50.0, 0.0)),
        ]);
        assert!(!transform_with_touch(
            &mut t,
            &free(),
            &c,
            3,
            DVec2::new(50.0, 30.0)
        ));
        assert_eq!(t, DAffine2::IDENTITY);
    }

    #[test]
    fn coincident_fingers_do_nothing() {
        let mut t = DAffine2::IDENTITY;
        let c = cap(&[(1, DVec2::new(5.0, 5.0)), (2, DVec2::new(5.0, 5.0))]);
        assert!(!transform_with_touch(
            &mut t,
            &free(),
            &c,
            2,
            DVec2::new(5.0, 5.0)
        ));
    }

    #[test]
    fn keep_on_screen_pulls_a_strip_back() {
        let s = ScatterSettings::default();
        let window = DVec2::new(800.0, 600.0);
        let size = DVec2::new(400.0, 300.0);
        // Pushed far off the left edge: 64 px (< 20 % of 400) come back.
        let t = DAffine2::from_translation(DVec2::new(-1000.0, 100.0));
        assert_eq!(
            keep_on_screen_offset(&t, size, window, &s),
            DVec2::new(664.0, 0.0)
        );
        // Off the bottom of a small widget: 20 % of 100 (< 64 px) come back.
        let t = DAffine2::from_translation(DVec2::new(100.0, 700.0));
        let small = DVec2::new(100.0, 100.0);
        assert_eq!(
            keep_on_screen_offset(&t, small, window, &s),
            DVec2::new(0.0, -120.0)
        );
        let inside = DAffine2::from_translation(DVec2::new(10.0, 10.0));
        assert_eq!(
            keep_on_screen_offset(&inside, size, window, &s),
            DVec2::ZERO
        );
    }

    #[test]
    fn validation_names_the_key() {
        let s = ScatterSettings {
            scale_min: 2.0,
            scale_max: 1.0,
            ..free()
        };
        assert_eq!(s.validate().unwrap_err().0, "scale_max");
        let s = ScatterSettings {
            translation_touches: 0,
            ..free()
        };
        assert_eq!(s.validate().unwrap_err().0, "translation_touches");
    }
}
