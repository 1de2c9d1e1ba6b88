//! Starting a glide: [`Scene::glide_to`] moves a widget to a target, eased over a time or at once, within the keep-on-screen rule.

use std::time::Duration;

use glam::DAffine2;

use crate::arena::Scene;
use crate::effect::SceneError;
use crate::geometry::is_usable_transform;
use crate::ids::WidgetId;
use crate::scatter::keep_on_screen_offset;
use crate::tween::Tween;

impl Scene {
    /// Glides a widget to `target` over `length` from `now` (at once when
    /// `length` is zero), within the keep-on-screen rule. A touch on the
    /// widget stops the glide where it is. Returns the transform it comes to
    /// rest at.
    pub fn glide_to(
        &mut self,
        id: WidgetId,
        target: DAffine2,
        now: Duration,
        length: Duration,
    ) -> Result<DAffine2, SceneError> {
        if !is_usable_transform(&target) {
            return Err(SceneError::InvalidTransform);
        }
        let window = self.settings.window;
        let w = self.get_mut(id).ok_or(SceneError::StaleId)?;
        let target =
            DAffine2::from_translation(keep_on_screen_offset(&target, w.size, window, &w.scatter))
                * target;
        w.inertia = None;
        if length.is_zero() || target == w.transform {
            w.tween = None;
            w.set_transform(target);
            self.gliding.retain(|g| *g != id);
        } else {
            w.tween = Some(Tween::new(&w.transform, &target, w.size, now, length));
            if !self.gliding.contains(&id) {
                self.gliding.push(id);
            }
        }
        self.dirty = true;
        Ok(target)
    }
}
