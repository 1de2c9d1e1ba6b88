//! Colour conversion for the GPU: sRGB to linear light, and premultiplied alpha.

use vitrine_scene::Rgba;

/// An sRGB-encoded, straight-alpha colour as the shader wants it: linear and
/// premultiplied.
pub fn linear_premultiplied(c: Rgba) -> [f32; 4] {
    let [r, g, b, a] = c.0;
    [
        srgb_to_linear(r) * a,
        srgb_to_linear(g) * a,
        srgb_to_linear(b) * a,
        a,
    ]
}

/// The linear value of one sRGB-encoded channel, both in 0..=1 (the sRGB
/// transfer function, IEC 61966-2-1).
pub fn srgb_to_linear(v: f32) -> f32 {
    if v <= 0.04045 {
        v / 12.92
    } else {
        ((v + 0.055) / 1.055).powf(2.4)
    }
}
