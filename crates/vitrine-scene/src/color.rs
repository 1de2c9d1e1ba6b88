//! Colour as the scene, the config and the renderer exchange it: straight RGBA in 0..=1.

use serde::{Deserialize, Serialize};

/// A straight (not premultiplied) RGBA colour, each channel in 0..=1.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rgba(pub [f32; 4]);

impl Rgba {
    /// Kivy's and the seed's backdrop: black at 60 %.
    pub const DIM: Rgba = Rgba([0.0, 0.0, 0.0, 0.6]);

    /// Whether every channel is a number in 0..=1.
    pub fn is_valid(&self) -> bool {
        self.0.iter().all(|c| (0.0..=1.0).contains(c))
    }
}
