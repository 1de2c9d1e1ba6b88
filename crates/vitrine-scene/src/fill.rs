//! How the scene enforces a widget's gesture switches: `Scene::set_gestures`, which also makes a widget that fills the screen cover it.

use crate::arena::Scene;
use crate::effect::SceneError;
use crate::gestures::{Gestures, cover};
use crate::ids::WidgetId;

impl Scene {
    /// Sets a widget's gesture switches. A pinned widget loses its glide and
    /// no longer comes to the front when touched; one that fills the screen
    /// covers the window now.
    pub fn set_gestures(&mut self, id: WidgetId, g: Gestures) -> Result<(), SceneError> {
        let base = self.settings().scatter.clone();
        let window = self.window_size();
        let w = self.get_mut(id).ok_or(SceneError::StaleId)?;
        let free = !g.pinned;
        w.scatter.translate = free && g.translate;
        w.scatter.rotate = free && g.rotate;
        w.scatter.scale = free && g.scale;
        w.scatter.bring_to_front = free && base.bring_to_front;
        w.gestures = g;
        if g.pinned {
            w.inertia = None;
            w.tween = None;
        }
        if g.fills() {
            w.set_transform(cover(window, w.size));
        }
        self.dirty = true;
        Ok(())
    }
}
