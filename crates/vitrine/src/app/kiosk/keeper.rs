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
    /// The named layout on screen; `None`: the default one.
    pub(super) active: Option<String>,
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

    /// The layout on screen: what the back office's changes edit, and
    /// what resets and restores bring back.
    pub(super) fn screen(&self) -> LayoutRef<'_> {
        self.desired.layout(self.active.as_deref())
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
