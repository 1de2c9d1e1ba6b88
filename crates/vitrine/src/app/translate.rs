//! The app's translation between the API model's wire types and the scene's own: the one place that knows both, so neither crate knows the other.

use crate::api::gestures as wire;
use crate::scene;

fn fill_in(f: wire::Fill) -> scene::Fill {
    match f {
        wire::Fill::None => scene::Fill::None,
        wire::Fill::Screen => scene::Fill::Screen,
    }
}

fn fill_out(f: scene::Fill) -> wire::Fill {
    match f {
        scene::Fill::None => wire::Fill::None,
        scene::Fill::Screen => wire::Fill::Screen,
    }
}

/// The switches a request or the state file asked for, as the scene takes
/// them.
pub fn gestures_in(g: wire::Gestures) -> scene::Gestures {
    scene::Gestures {
        translate: g.translate,
        rotate: g.rotate,
        scale: g.scale,
        pinned: g.pinned,
        fill: fill_in(g.fill),
    }
}

/// A widget's switches, as replies and the state file carry them.
pub fn gestures_out(g: scene::Gestures) -> wire::Gestures {
    wire::Gestures {
        translate: g.translate,
        rotate: g.rotate,
        scale: g.scale,
        pinned: g.pinned,
        fill: fill_out(g.fill),
    }
}

/// A partial change, as the scene applies it.
pub fn change_in(c: wire::GestureChange) -> scene::GestureChange {
    scene::GestureChange {
        translate: c.translate,
        rotate: c.rotate,
        scale: c.scale,
        pinned: c.pinned,
        fill: c.fill.map(fill_in),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switches_survive_the_round_trip() {
        for fill in [wire::Fill::None, wire::Fill::Screen] {
            for bits in 0..16u8 {
                let g = wire::Gestures {
                    translate: bits & 1 != 0,
                    rotate: bits & 2 != 0,
                    scale: bits & 4 != 0,
                    pinned: bits & 8 != 0,
                    fill,
                };
                assert_eq!(gestures_out(gestures_in(g)), g);
            }
        }
    }

    #[test]
    fn a_change_keeps_its_blanks_and_the_scene_applies_its_rule() {
        let c = wire::GestureChange {
            fill: Some(wire::Fill::Screen),
            ..wire::GestureChange::default()
        };
        let applied = change_in(c).apply(scene::Gestures::default());
        assert!(applied.pinned && applied.fills());
        assert!(change_in(wire::GestureChange::default()).is_empty());
    }
}
