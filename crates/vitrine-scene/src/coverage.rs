//! How much of the screen a widget covers: its quad clipped to the window, as a fraction of the window's area (what proof of play reports).

use glam::DVec2;

/// The fraction of a `window`-sized screen, 0 to 1, that the convex quad
/// `corners` covers once clipped to it (Sutherland–Hodgman against each
/// edge of the window, then the shoelace area).
pub fn screen_fraction(corners: [DVec2; 4], window: DVec2) -> f64 {
    let area = window.x * window.y;
    if !(area.is_finite() && area > 0.0) || corners.iter().any(|c| !c.is_finite()) {
        return 0.0;
    }
    let mut poly: Vec<DVec2> = corners.to_vec();
    // Each edge keeps the points where `inside` holds, with `cross` finding
    // where a side crosses it.
    let edges: [(usize, f64, bool); 4] = [
        (0, 0.0, true),
        (0, window.x, false),
        (1, 0.0, true),
        (1, window.y, false),
    ];
    for (axis, at, above) in edges {
        let inside = |p: DVec2| {
            let v = if axis == 0 { p.x } else { p.y };
            if above { v >= at } else { v <= at }
        };
        let mut out = Vec::with_capacity(poly.len() + 4);
        for i in 0..poly.len() {
            let (a, b) = (poly[i], poly[(i + 1) % poly.len()]);
            let (ia, ib) = (inside(a), inside(b));
            if ia {
                out.push(a);
            }
            if ia != ib {
                let (va, vb) = if axis == 0 { (a.x, b.x) } else { (a.y, b.y) };
                let t = (at - va) / (vb - va);
                out.push(a + (b - a) * t);
            }
        }
        poly = out;
        if poly.is_empty() {
            return 0.0;
        }
    }
    let twice: f64 = (0..poly.len())
        .map(|i| {
            let (a, b) = (poly[i], poly[(i + 1) % poly.len()]);
            a.x * b.y - b.x * a.y
        })
        .sum();
    (twice.abs() / 2.0 / area).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::corners;
    use glam::DAffine2;

    #[test]
    fn a_quad_covers_what_lies_inside_the_window() {
        let w = DVec2::new(640.0, 360.0);
        let quad = |t: DAffine2, size: DVec2| screen_fraction(corners(&t, size), w);
        // A quarter of the screen, whole.
        let q = quad(DAffine2::IDENTITY, DVec2::new(320.0, 180.0));
        assert!((q - 0.25).abs() < 1e-9, "{q}");
        // Half of it off the left edge.
        let half = quad(
            DAffine2::from_translation(DVec2::new(-160.0, 0.0)),
            DVec2::new(320.0, 180.0),
        );
        assert!((half - 0.125).abs() < 1e-9, "{half}");
        // Larger than the screen: all of it. Off screen: none.
        assert_eq!(quad(DAffine2::from_scale(DVec2::splat(3.0)), w), 1.0);
        assert_eq!(
            quad(DAffine2::from_translation(DVec2::new(700.0, 0.0)), w),
            0.0
        );
        // Turned 45° about the middle: a square of side 100 keeps its area.
        let turned = DAffine2::from_translation(w / 2.0)
            * DAffine2::from_angle(std::f64::consts::FRAC_PI_4)
            * DAffine2::from_translation(DVec2::splat(-50.0));
        let t = quad(turned, DVec2::splat(100.0));
        assert!((t - 10_000.0 / (640.0 * 360.0)).abs() < 1e-9, "{t}");
        assert_eq!(screen_fraction([DVec2::NAN; 4], w), 0.0);
    }
}
