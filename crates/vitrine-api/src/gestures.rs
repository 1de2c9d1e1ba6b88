//! The gesture switches as the wire and the state file carry them: a widget's `gestures` object and a partial change to it. The app translates these into the scene's own types.

use serde::{Deserialize, Serialize};

/// How a widget covers the window (`fill`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Fill {
    /// The widget sits where it was placed.
    #[default]
    None,
    /// The widget covers the whole window and follows its size.
    Screen,
}

/// Which gestures a widget answers, as `place`, `whatsLoaded` and the
/// state file spell them.
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
}

/// A change to some of a widget's switches: what it leaves out keeps its
/// present value. How a change combines with the present switches (filling
/// pins) is the scene's rule, not the wire's.
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_left_out_and_unknown_switches_refused() {
        assert!(Gestures::default().is_default());
        let g: Gestures = serde_json::from_str(r#"{"fill":"screen"}"#).unwrap();
        assert_eq!(g.fill, Fill::Screen);
        assert!(!g.is_default());
        assert!(serde_json::from_str::<Gestures>(r#"{"spin":true}"#).is_err());
        assert!(GestureChange::default().is_empty());
    }
}
