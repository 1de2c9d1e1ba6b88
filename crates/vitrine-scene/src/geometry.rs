//! Affine geometry shared by widgets, scatter and touch: a rectangle's corners, usable transforms, and scale.

use glam::{DAffine2, DVec2};

/// The window positions of a rectangle's local corners (0,0), (w,0), (w,h), (0,h).
pub fn corners(transform: &DAffine2, size: DVec2) -> [DVec2; 4] {
    [
        transform.transform_point2(DVec2::ZERO),
        transform.transform_point2(DVec2::new(size.x, 0.0)),
        transform.transform_point2(size),
        transform.transform_point2(DVec2::new(0.0, size.y)),
    ]
}

/// Whether an affine map is finite and invertible, so that hit tests through
/// its inverse are meaningful.
pub fn is_usable_transform(t: &DAffine2) -> bool {
    let det = t.matrix2.determinant();
    t.is_finite() && det.is_finite() && det.abs() > 1e-12
}

/// The uniform scale of a transform: the window length of one local pixel
/// along x (Kivy's `Scatter.scale`).
pub fn scale_of(t: &DAffine2) -> f64 {
    t.matrix2.x_axis.length()
}
