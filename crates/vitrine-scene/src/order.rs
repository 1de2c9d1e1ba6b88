//! The z-order: which widget is in front, raising, putting one below another (so content restored late never covers newer content), and the backdrop's layer in it.

use std::time::Duration;

use crate::arena::{Layer, Scene};
use crate::backdrop::Backdrop;
use crate::color::Rgba;
use crate::effect::SceneError;
use crate::ids::WidgetId;
use crate::widget::Widget;

impl Scene {
    /// Widgets from the front-most to the back-most.
    pub fn front_to_back(&self) -> impl Iterator<Item = &Widget> {
        self.order.iter().rev().filter_map(|l| match l {
            Layer::Widget(id) => self.get(*id),
            Layer::Backdrop => None,
        })
    }

    /// The current content: the front-most widget.
    pub fn current(&self) -> Option<&Widget> {
        self.front_to_back().next()
    }

    /// The widget's place in the z-order, 0 being the back-most layer.
    pub fn z_of(&self, id: WidgetId) -> Option<usize> {
        self.order.iter().position(|l| *l == Layer::Widget(id))
    }

    /// Brings a widget to the front, above the backdrop.
    pub fn raise(&mut self, id: WidgetId) -> Result<(), SceneError> {
        let z = self.z_of(id).ok_or(SceneError::StaleId)?;
        if z + 1 != self.order.len() {
            self.order.remove(z);
            self.order.push(Layer::Widget(id));
            self.dirty = true;
        }
        Ok(())
    }

    pub fn backdrop(&self) -> &Backdrop {
        &self.backdrop
    }

    /// The backdrop's place in the z-order while it is shown or fading out.
    pub fn backdrop_z(&self) -> Option<usize> {
        self.order.iter().position(|l| *l == Layer::Backdrop)
    }

    /// Shows the backdrop on top of everything, then raises the widgets named
    /// in `above` over it, keeping their order. Fingers held by widgets left
    /// below are cancelled. Nothing changes when a name is unknown.
    pub fn show_backdrop(
        &mut self,
        color: Option<Rgba>,
        above: &[String],
        now: Duration,
    ) -> Result<(), SceneError> {
        if let Some(c) = color
            && !c.is_valid()
        {
            return Err(SceneError::InvalidColor(c.0));
        }
        let mut raised = Vec::with_capacity(above.len());
        for name in above {
            let id = self
                .id_of(name)
                .ok_or_else(|| SceneError::UnknownName(name.clone()))?;
            // A name given twice is raised once.
            if !raised.contains(&Layer::Widget(id)) {
                raised.push(Layer::Widget(id));
            }
        }
        self.order.retain(|l| *l != Layer::Backdrop);
        self.order.push(Layer::Backdrop);
        // Move the raised widgets to the top in their current relative order.
        let lifted: Vec<Layer> = self
            .order
            .iter()
            .filter(|l| raised.contains(l))
            .copied()
            .collect();
        self.order.retain(|l| !raised.contains(l));
        self.order.extend(lifted);
        // Read the backdrop's place rather than work it out, so no input can
        // make the arithmetic wrong.
        if let Some(z) = self.order.iter().position(|l| *l == Layer::Backdrop) {
            self.cancel_fingers_below(z, now);
        }
        self.backdrop.show(color, now);
        self.dirty = true;
        Ok(())
    }

    /// Starts the fade-out. The backdrop stops swallowing touches at once and
    /// leaves the z-order when the fade ends.
    pub fn hide_backdrop(&mut self, now: Duration) {
        if self.backdrop.is_shown() {
            self.backdrop.hide(now);
            self.dirty = true;
        }
    }

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

    /// Puts a widget at place `z` among the widgets (0: the back-most; past
    /// the end: the front-most). The backdrop's layer stays where it is
    /// among the others.
    pub fn move_to(&mut self, id: WidgetId, z: usize) -> Result<(), SceneError> {
        let from = self.z_of(id).ok_or(SceneError::StaleId)?;
        let layer = self.order.remove(from);
        let at = self
            .order
            .iter()
            .enumerate()
            .filter(|(_, l)| matches!(l, Layer::Widget(_)))
            .nth(z)
            .map_or(self.order.len(), |(i, _)| i);
        self.order.insert(at, layer);
        self.dirty = true;
        Ok(())
    }

    /// The widgets above the backdrop's layer, back to front; `None` when
    /// the backdrop is not in the z-order.
    pub fn above_backdrop(&self) -> Option<impl Iterator<Item = WidgetId> + '_> {
        let z = self.backdrop_z()?;
        Some(self.order[z + 1..].iter().filter_map(|l| match l {
            Layer::Widget(id) => Some(*id),
            Layer::Backdrop => None,
        }))
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

    use crate::arena::Scene;
    use crate::ids::ContentKey;
    use crate::settings::SceneSettings;
    use crate::widget::{Kind, WidgetSpec};

    fn add(scene: &mut Scene, name: &str) -> crate::ids::WidgetId {
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
