//! `place`: the back office moves a widget (an eased glide unless told otherwise), optionally to another place in the z-order, switches its gestures, and that becomes its home.

use std::time::Duration;

use glam::{DAffine2, DVec2};

use super::Kiosk;
use super::keeper::home_of;
use crate::api::{CallReply, CallResult, PlaceSpec};
use crate::app::load::request::Placement;
use crate::app::translate;
use crate::outcome::{FailureKind, LoadFailure};
use crate::scene::{Gestures, WidgetId, scale_of};

/// How long a placed widget glides to its new home.
pub const GLIDE: Duration = Duration::from_millis(600);

/// The transform of a widget of `size`, now at `now`, moved as `at` says:
/// what it leaves out keeps its present value.
pub fn target_of(now: &DAffine2, size: DVec2, at: &PlaceSpec) -> DAffine2 {
    if !at.moves() {
        // Only the z-order changes: the transform stays to the bit.
        return *now;
    }
    let centre = now.transform_point2(size / 2.0);
    let x = now.matrix2.x_axis;
    let scale = at
        .width
        .map(|w| w / size.x)
        .or(at.scale)
        .unwrap_or_else(|| scale_of(now));
    let angle = at.rotation.map_or_else(|| x.y.atan2(x.x), f64::to_radians);
    DAffine2::from_translation(DVec2::new(
        at.x.unwrap_or(centre.x),
        at.y.unwrap_or(centre.y),
    )) * DAffine2::from_angle(angle)
        * DAffine2::from_scale(DVec2::splat(scale))
        * DAffine2::from_translation(-size / 2.0)
}

impl Kiosk {
    /// Moves the widget `name` as `at` says and makes that its home.
    pub(super) fn place_widget(
        &mut self,
        name: &str,
        at: &PlaceSpec,
        z: Option<u32>,
        animate: bool,
    ) -> CallResult {
        let no_widget = || LoadFailure::new(FailureKind::NotFound, "no such widget");
        let id = self.scene.id_of(name).ok_or_else(no_widget)?;
        let w = self.scene.get(id).ok_or_else(no_widget)?;
        let gestures = translate::change_in(at.gestures).apply(w.gestures());
        if gestures.fills() && at.moves() {
            return Err(LoadFailure::new(
                FailureKind::Invalid,
                "a widget that fills the screen has no place of its own: send fill \"none\" to place it",
            ));
        }
        let before = (
            w.gestures(),
            w.transform(),
            // Its place among widgets, as `move_to` counts.
            self.scene.back_to_front().position(|w| w == id),
            self.homes.get(&id).copied(),
        );
        self.set_widget_gestures(id, gestures, true);
        let w = self.scene.get(id).ok_or_else(no_widget)?;
        // A scale past the widget's limits is held to them, as a pinch on
        // the kiosk is (the admin page's two-finger gesture lands here).
        let s = w.scatter();
        let mut at = at.clone();
        if let Some(width) = at.width {
            at.width = Some(width.clamp(s.scale_min * w.size().x, s.scale_max * w.size().x));
        }
        if let Some(scale) = at.scale {
            at.scale = Some(scale.clamp(s.scale_min, s.scale_max));
        }
        let target = target_of(&w.transform(), w.size(), &at);
        let now = self.now();
        let length = if animate { GLIDE } else { Duration::ZERO };
        let rest = match self.scene.glide_to(id, target, now, length) {
            Ok(rest) => rest,
            Err(e) => {
                // A refused place changes nothing: the switches (and what a
                // fill moved) go back as they were.
                let (g, t, z, home) = before;
                let _ = self.scene.set_gestures(id, g);
                let _ = self.scene.set_transform(id, t);
                let now_at = self.scene.back_to_front().position(|w| w == id);
                if let Some(z) = z.filter(|z| Some(*z) != now_at) {
                    let _ = self.scene.move_to(id, z);
                }
                if let Some(home) = home {
                    self.homes.insert(id, home);
                }
                return Err(LoadFailure::new(
                    FailureKind::Invalid,
                    format!("cannot place it there: {e}"),
                ));
            }
        };
        if let Some(z) = z {
            let z = usize::try_from(z).unwrap_or(usize::MAX);
            self.scene.move_to(id, z).map_err(|_| no_widget())?;
        }
        self.homes.insert(id, rest);
        let home = home_of(&rest);
        let (order, above) = self.order_names();
        let reorder = z.is_some() || at.gestures.fill.is_some();
        self.record(|d| {
            let moved = d.rehome(name, home);
            let switched = d.set_gestures(name, translate::gestures_out(gestures));
            let reordered = reorder && d.reorder(&order, &above);
            moved || switched || reordered
        })?;
        Ok(CallReply::Done)
    }

    /// The widgets' names back to front, and those above the backdrop.
    pub(super) fn order_names(&self) -> (Vec<String>, Vec<String>) {
        let order = self.names_of(self.scene.back_to_front().collect());
        let above = match self.scene.above_backdrop() {
            Some(ids) => self.names_of(ids.collect()),
            None => Vec::new(),
        };
        (order, above)
    }

    /// Applies the gesture switches a placement carries to a widget that was
    /// just added or given new content.
    pub(super) fn switch_gestures(&mut self, id: WidgetId, placement: &Placement) {
        match placement {
            // A restored widget keeps its stored place in the order.
            Placement::Home(_, g) => self.set_widget_gestures(id, *g, false),
            Placement::Spec(spec) if !spec.gestures.is_empty() => {
                let Some(w) = self.scene.get(id) else { return };
                let g = translate::change_in(spec.gestures).apply(w.gestures());
                self.set_widget_gestures(id, g, true);
            }
            _ => {}
        }
    }

    /// Sets a widget's switches. One that starts to fill the screen rests
    /// where the fill puts it, and goes to the back when `to_back` says so.
    pub(super) fn set_widget_gestures(&mut self, id: WidgetId, gestures: Gestures, to_back: bool) {
        let newly_filled =
            gestures.fills() && self.scene.get(id).is_some_and(|w| !w.gestures().fills());
        if self.scene.set_gestures(id, gestures).is_err() {
            return;
        }
        if let Some(w) = self.scene.get(id) {
            self.homes.insert(id, w.transform());
        }
        if newly_filled && to_back {
            let _ = self.scene.move_to(id, 0);
        }
    }

    fn names_of(&self, ids: Vec<crate::scene::WidgetId>) -> Vec<String> {
        ids.into_iter()
            .filter_map(|id| self.scene.get(id).map(|w| w.name().to_string()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_place_leaves_out_keeps_its_present_value() {
        let size = DVec2::new(200.0, 100.0);
        let now = DAffine2::from_translation(DVec2::new(50.0, 60.0))
            * DAffine2::from_scale(DVec2::splat(0.5));
        let centre = |t: &DAffine2| t.transform_point2(size / 2.0);
        // Nothing given: nothing moves, to the bit.
        assert_eq!(target_of(&now, size, &PlaceSpec::default()), now);
        let only_x = PlaceSpec {
            x: Some(centre(&now).x),
            ..PlaceSpec::default()
        };
        let same = target_of(&now, size, &only_x);
        assert!((centre(&same) - centre(&now)).length() < 1e-9);
        assert!((scale_of(&same) - 0.5).abs() < 1e-12);
        // A width wins over a scale; the centre goes where it is told.
        let at = PlaceSpec {
            x: Some(640.0),
            y: Some(360.0),
            scale: Some(3.0),
            width: Some(400.0),
            rotation: Some(90.0),
            ..PlaceSpec::default()
        };
        let t = target_of(&now, size, &at);
        assert!((centre(&t) - DVec2::new(640.0, 360.0)).length() < 1e-9);
        assert!((scale_of(&t) - 2.0).abs() < 1e-12);
        // 90° clockwise (y down): the local x axis points down the screen.
        let x = t.transform_vector2(DVec2::X);
        assert!(x.x.abs() < 1e-9 && x.y > 0.0, "{x}");
    }
}
