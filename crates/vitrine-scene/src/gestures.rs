//! Per-widget gesture switches (translate, rotate, scale, pinned) and full-screen fill: what they are, how a partial change applies, and the transform that covers the window.

use glam::{DAffine2, DVec2};
use serde::{Deserialize, Serialize};

/// How a widget covers the window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Fill {
    /// The widget sits where it was placed.
    #[default]
    None,
    /// The widget covers the whole window, centred, cropped like CSS
    /// `object-fit: cover`, and follows the window's size.
    Screen,
}

/// Which gestures a widget answers. A pinned widget answers none of them
/// but still takes taps (play/pause, links); a widget that fills the screen
/// is always pinned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Gestures {
    pub translate: bool,
    pub rotate: bool,
    pub scale: bool,
    pub pinned: bool,
    pub fill: Fill,
}

impl Default for Gestures {
    fn default() -> Self {
        Self {
            translate: true,
            rotate: true,
            scale: true,
            pinned: false,
            fill: Fill::None,
        }
    }
}

impl Gestures {
    /// Whether these are the defaults (the state file leaves them out).
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }

    /// Whether the widget covers the window.
    pub fn fills(&self) -> bool {
        self.fill == Fill::Screen
    }
}

/// A change to some of a widget's switches: what it leaves out keeps its
/// present value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GestureChange {
    pub translate: Option<bool>,
    pub rotate: Option<bool>,
    pub scale: Option<bool>,
    pub pinned: Option<bool>,
    pub fill: Option<Fill>,
}

impl GestureChange {
    /// Whether the change names no switch.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// `now` with this change made. Filling the screen pins the widget, and
    /// unpinning it stops the fill, so the two never disagree.
    pub fn apply(&self, now: Gestures) -> Gestures {
        let mut g = Gestures {
            translate: self.translate.unwrap_or(now.translate),
            rotate: self.rotate.unwrap_or(now.rotate),
            scale: self.scale.unwrap_or(now.scale),
            pinned: self.pinned.unwrap_or(now.pinned),
            fill: self.fill.unwrap_or(now.fill),
        };
        if self.fill == Some(Fill::Screen) {
            g.pinned = true;
        } else if self.pinned == Some(false) {
            g.fill = Fill::None;
        } else if g.fills() {
            g.pinned = true;
        }
        g
    }
}

/// The transform that makes content of `size` cover `window`, centred.
pub fn cover(window: DVec2, size: DVec2) -> DAffine2 {
    let scale = (window.x / size.x).max(window.y / size.y);
    DAffine2::from_translation((window - size * scale) / 2.0)
        * DAffine2::from_scale(DVec2::splat(scale))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partial_change_keeps_what_it_leaves_out() {
        let now = Gestures {
            rotate: false,
            ..Gestures::default()
        };
        let g = GestureChange {
            scale: Some(false),
            ..GestureChange::default()
        }
        .apply(now);
        assert!(g.translate && !g.rotate && !g.scale && !g.pinned);
    }

    #[test]
    fn fill_pins_and_unpinning_stops_the_fill() {
        let filled = GestureChange {
            fill: Some(Fill::Screen),
            ..GestureChange::default()
        }
        .apply(Gestures::default());
        assert!(filled.pinned && filled.fills());
        let freed = GestureChange {
            pinned: Some(false),
            ..GestureChange::default()
        }
        .apply(filled);
        assert!(!freed.pinned && !freed.fills());
    }

    #[test]
    fn cover_fills_the_window_and_crops_the_long_side() {
        let window = DVec2::new(1920.0, 1080.0);
        let size = DVec2::new(400.0, 400.0);
        let t = cover(window, size);
        let tl = t.transform_point2(DVec2::ZERO);
        let br = t.transform_point2(size);
        assert!((tl.x - 0.0).abs() < 1e-9 && (br.x - 1920.0).abs() < 1e-9);
        assert!(tl.y < 0.0 && br.y > 1080.0);
        assert!(((tl.y + br.y) / 2.0 - 540.0).abs() < 1e-9);
    }
}
