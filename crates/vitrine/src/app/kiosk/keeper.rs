//! The desired state the kiosk holds, with its store, the layout of it on screen, and a backdrop waiting to be restored; and how a widget's transform and its stored home convert.

use glam::{DAffine2, DVec2};

use crate::scene::scale_of;
use crate::state::{self, Desired, Home, LayoutRef, Store};

/// The desired state and, when it is kept on disk, its store.
#[derive(Default)]
pub struct Keeper {
    pub(super) store: Option<Store>,
    /// Why state that should be kept cannot be: every change then answers
    /// with this instead of a `SUCCESS` that would be a broken promise.
    pub(super) broken: Option<String>,
    pub(super) desired: Desired,
    /// The named layout the schedule shows; `None`: the default one.
    pub(super) active: Option<String>,
    /// The attract loop, when it shows instead.
    pub(super) attract: Attract,
    /// A backdrop to show again once the restored widgets have loaded.
    pub(super) backdrop: Option<state::Backdrop>,
    /// A `setState` is loading: once its widgets have loaded, they go into
    /// its order and exactly its backdrop shows.
    pub(super) arrange: bool,
}

impl Keeper {
    /// The revision of the desired state.
    pub fn revision(&self) -> u64 {
        self.desired.revision
    }

    /// The layout on screen: what the back office's changes edit (the
    /// attract loop is left first), and what resets and restores bring back.
    pub(super) fn screen(&self) -> LayoutRef<'_> {
        self.desired.layout(self.showing())
    }

    /// The name of the layout on screen; `None`: the default one.
    pub(super) fn showing(&self) -> Option<&str> {
        match &self.desired.attract {
            Some(a) if self.attract.on => Some(a),
            _ => self.active.as_deref(),
        }
    }

    /// Saves `state` durably when a store is in use; the error says why it
    /// could not be (the store is broken, or the write failed).
    pub(super) fn save(&self, state: &Desired) -> Result<(), String> {
        if let Some(why) = &self.broken {
            return Err(why.clone());
        }
        if let Some(store) = &self.store
            && let Err(e) = store.save(state)
        {
            tracing::error!(%e, revision = state.revision, "the desired state was not saved");
            return Err(e.to_string());
        }
        Ok(())
    }
}

/// The most fingers remembered as having dismissed the attract loop (each
/// is swallowed until it lifts).
const MAX_DISMISSING: usize = 32;

/// The attract loop: whether it shows, and the fingers that dismissed it.
#[derive(Default)]
pub struct Attract {
    pub(super) on: bool,
    dismissing: Vec<u64>,
}

impl Attract {
    /// Whether the finger event goes no further: every event while the
    /// loop shows, and those of a finger that dismissed it until it lifts.
    /// The answer's second part says the loop is to be dismissed now (a
    /// finger went down on it).
    pub(super) fn swallows(&mut self, id: u64, phase: crate::scene::Phase) -> (bool, bool) {
        use crate::scene::Phase;
        if let Some(i) = self.dismissing.iter().position(|f| *f == id) {
            if matches!(phase, Phase::End | Phase::Cancel) {
                self.dismissing.swap_remove(i);
            }
            return (true, false);
        }
        if !self.on {
            return (false, false);
        }
        let dismiss = phase == Phase::Start;
        if dismiss && self.dismissing.len() < MAX_DISMISSING {
            self.dismissing.push(id);
        }
        (true, dismiss)
    }
}

/// A widget's transform as a home. Scatter transforms are similarities
/// (a turn, one scale, a move), so nothing is lost.
pub fn home_of(transform: &DAffine2) -> Home {
    let x_axis = transform.matrix2.x_axis;
    Home {
        x: transform.translation.x,
        y: transform.translation.y,
        scale: scale_of(transform),
        rotation: x_axis.y.atan2(x_axis.x).to_degrees(),
    }
}

/// The transform of a widget at `home`.
pub fn transform_at(home: &Home) -> DAffine2 {
    DAffine2::from_translation(DVec2::new(home.x, home.y))
        * DAffine2::from_angle(home.rotation.to_radians())
        * DAffine2::from_scale(DVec2::splat(home.scale.max(1e-3)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_finger_that_dismisses_the_attract_loop_is_swallowed_until_it_lifts() {
        use crate::scene::Phase;
        let mut a = Attract::default();
        assert_eq!(a.swallows(1, Phase::Start), (false, false), "not showing");
        a.on = true;
        assert_eq!(a.swallows(2, Phase::Move), (true, false));
        assert_eq!(a.swallows(3, Phase::Start), (true, true));
        a.on = false;
        assert_eq!(a.swallows(3, Phase::Move), (true, false));
        assert_eq!(a.swallows(3, Phase::End), (true, false));
        assert_eq!(
            a.swallows(3, Phase::Start),
            (false, false),
            "lifted: a new finger"
        );
    }

    #[test]
    fn a_home_is_the_transform_it_came_from() {
        let t = DAffine2::from_translation(DVec2::new(120.0, -40.5))
            * DAffine2::from_angle(-2.5)
            * DAffine2::from_scale(DVec2::splat(0.37));
        let back = transform_at(&home_of(&t));
        for p in [DVec2::ZERO, DVec2::new(300.0, 200.0), DVec2::new(-7.0, 1e3)] {
            let (a, b) = (t.transform_point2(p), back.transform_point2(p));
            assert!((a - b).length() < 1e-9, "{a} vs {b}");
        }
        let h = home_of(&t);
        assert!((h.rotation - (-2.5f64).to_degrees()).abs() < 1e-9);
        assert!((h.scale - 0.37).abs() < 1e-12);
    }
}
