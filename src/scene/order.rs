//! Moving a widget down the z-order: putting it just below another, so content restored late never covers what was pushed since.

use crate::scene::arena::{Layer, Scene, SceneError};
use crate::scene::ids::WidgetId;

impl Scene {
    /// Puts `id` just below `other`, if it is above it now. Both must be
    /// widgets of this scene; a widget already below stays where it is.
    pub fn put_below(&mut self, id: WidgetId, other: WidgetId) -> Result<(), SceneError> {
        let z = self.z_of(id).ok_or(SceneError::StaleId)?;
        let target = self.z_of(other).ok_or(SceneError::StaleId)?;
        if z > target {
            let layer = self.order.remove(z);
            self.order.insert(target, layer);
            self.dirty = true;
        }
        Ok(())
    }

    /// The widgets from the back-most to the front-most.
    pub fn back_to_front(&self) -> impl Iterator<Item = WidgetId> + '_ {
        self.order.iter().filter_map(|l| match l {
            Layer::Widget(id) => Some(*id),
            Layer::Backdrop => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use glam::{DAffine2, DVec2};

    use crate::scene::arena::{Scene, SceneSettings};
    use crate::scene::ids::ContentKey;
    use crate::scene::widget::{Kind, WidgetSpec};

    fn add(scene: &mut Scene, name: &str) -> crate::scene::ids::WidgetId {
        scene
            .add(WidgetSpec {
                name: name.into(),
                kind: Kind::Image,
                size: DVec2::new(10.0, 10.0),
                transform: DAffine2::IDENTITY,
                content: ContentKey(1),
                scatter: None,
            })
            .unwrap()
    }

    #[test]
    fn put_below_moves_only_downwards() {
        let mut scene = Scene::new(SceneSettings::default());
        let a = add(&mut scene, "a");
        let b = add(&mut scene, "b");
        let c = add(&mut scene, "c");
        scene.put_below(c, a).unwrap();
        let names = |s: &Scene| -> Vec<String> {
            s.back_to_front()
                .map(|id| s.get(id).unwrap().name().to_string())
                .collect()
        };
        assert_eq!(names(&scene), ["c", "a", "b"]);
        // a is below b already: nothing moves.
        scene.put_below(a, b).unwrap();
        assert_eq!(names(&scene), ["c", "a", "b"]);
        scene.remove(a).unwrap();
        assert!(scene.put_below(b, a).is_err(), "a stale id is refused");
        assert_eq!(names(&scene), ["c", "b"]);
    }
}
