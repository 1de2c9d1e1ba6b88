//! Starting and ending crossfades: [`Scene::cross_fade`] has a widget whose content was replaced draw the content it had beneath the new one, fading the new one in, so a playlist's turn never shows a blank frame.

use std::time::Duration;

use glam::{DAffine2, DVec2};

use crate::arena::Scene;
use crate::effect::SceneError;
use crate::fade::CrossFade;
use crate::ids::{ContentKey, WidgetId};

impl Scene {
    /// Fades the widget `id` from `from` (what it showed before its content
    /// was replaced, at `size` and `transform`) to what it shows now, over
    /// `length` from `now`. The caller keeps `from`'s texture alive until
    /// [`CrossFade::end`]. A zero `length` is a cut.
    pub fn cross_fade(
        &mut self,
        id: WidgetId,
        from: ContentKey,
        size: DVec2,
        transform: DAffine2,
        now: Duration,
        length: Duration,
    ) -> Result<(), SceneError> {
        let w = self.get_mut(id).ok_or(SceneError::StaleId)?;
        if length.is_zero() {
            w.fade = None;
            return Ok(());
        }
        w.fade = Some(CrossFade {
            from,
            size,
            transform,
            start: now,
            length,
        });
        if !self.fading.contains(&id) {
            self.fading.push(id);
        }
        self.dirty = true;
        Ok(())
    }

    /// Ends the fades that are over at `now`.
    pub(crate) fn advance_fades(&mut self, now: Duration) {
        if self.fading.is_empty() {
            return;
        }
        let ids = std::mem::take(&mut self.fading);
        for id in ids {
            let Some(w) = self.get_mut(id) else { continue };
            if w.fade.is_some_and(|f| f.progress(now).is_some()) {
                self.fading.push(id);
            } else {
                w.fade = None;
            }
        }
        self.dirty = true;
    }
}
