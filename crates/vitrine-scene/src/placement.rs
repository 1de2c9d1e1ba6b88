//! Default placement of new content: centred, fitted to part of the window, cascaded slightly.

use glam::{DAffine2, DVec2};

/// The part of the window new content is fitted to.
pub const FIT_FRACTION: f64 = 0.6;

/// Each new widget is shifted this far down and right from the previous one,
/// so stacked content stays distinguishable.
pub const CASCADE_STEP: f64 = 24.0;

/// After this many steps the cascade starts again at the centre.
pub const CASCADE_LENGTH: usize = 8;

/// The transform that shows content of `size` centred in `window`, scaled to
/// fit `FIT_FRACTION` of it, shifted by cascade step `index`.
pub fn default_placement(window: DVec2, size: DVec2, index: usize) -> DAffine2 {
    let fit = (window * FIT_FRACTION / size).min_element();
    let scale = if fit.is_finite() && fit > 0.0 {
        fit
    } else {
        1.0
    };
    let shift = (index % CASCADE_LENGTH) as f64 * CASCADE_STEP;
    let top_left = (window - size * scale) / 2.0 + DVec2::splat(shift);
    DAffine2::from_scale_angle_translation(DVec2::splat(scale), 0.0, top_left)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn centred_and_fitted() {
        let window = DVec2::new(1000.0, 500.0);
        let t = default_placement(window, DVec2::new(200.0, 100.0), 0);
        // 60 % of 500 px high is 300 px: scale 3, 600x300 centred.
        assert_eq!(t.transform_point2(DVec2::ZERO), DVec2::new(200.0, 100.0));
        assert_eq!(
            t.transform_point2(DVec2::new(200.0, 100.0)),
            DVec2::new(800.0, 400.0)
        );
    }

    #[test]
    fn cascades_and_wraps() {
        let window = DVec2::new(1000.0, 500.0);
        let size = DVec2::new(200.0, 100.0);
        let a = default_placement(window, size, 0).translation;
        let b = default_placement(window, size, 1).translation;
        assert_eq!(b - a, DVec2::splat(CASCADE_STEP));
        assert_eq!(
            default_placement(window, size, CASCADE_LENGTH).translation,
            a
        );
    }
}
