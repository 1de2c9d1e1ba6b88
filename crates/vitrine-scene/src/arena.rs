//! The scene itself: the widget arena with stable ids and unique names, the layers in z-order, and adding, removing, replacing and moving widgets.
//!
//! Touch dispatch (`touch.rs`), the draw list (`draw.rs`) and the z-order
//! with the backdrop's layer (`order.rs`) extend [`Scene`] from their own
//! files; this file never imports them, so they may import it.

use std::collections::HashMap;
use std::time::Duration;

use glam::{DAffine2, DVec2};

use super::backdrop::Backdrop;
use super::effect::{Effect, SceneError};
use super::geometry::is_usable_transform;
use super::gestures::{Gestures, cover};
use super::ids::{ContentKey, WidgetId};
use super::input::{Finger, FingerId, Hit};
use super::scatter::{Captured, keep_on_screen_offset};
use super::settings::SceneSettings;
use super::video::{VideoCommand, VideoRequest};
use super::widget::{Kind, Widget, WidgetSpec};

/// One entry of the z-order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Layer {
    Widget(WidgetId),
    Backdrop,
}

#[derive(Debug, Default)]
struct Slot {
    generation: u32,
    widget: Option<Widget>,
}

/// The scene: widgets, their z-order, the backdrop and the fingers on them.
#[derive(Debug)]
pub struct Scene {
    pub(super) settings: SceneSettings,
    slots: Vec<Slot>,
    free: Vec<u32>,
    /// Back to front. The backdrop is in it while shown or fading out.
    pub(super) order: Vec<Layer>,
    names: HashMap<String, WidgetId>,
    pub(super) backdrop: Backdrop,
    pub(super) fingers: HashMap<FingerId, Finger>,
    /// Widgets with a glide in progress.
    pub(super) gliding: Vec<WidgetId>,
    /// Widgets with a crossfade in progress.
    pub(super) fading: Vec<WidgetId>,
    pub(super) effects: Vec<Effect>,
    /// Reused by touch dispatch so that a move never allocates.
    pub(super) scratch: Vec<Captured>,
    pub(super) dirty: bool,
}

impl Scene {
    pub fn new(settings: SceneSettings) -> Self {
        let backdrop = Backdrop::new(settings.backdrop_color, settings.backdrop_fade);
        Self {
            settings,
            slots: Vec::new(),
            free: Vec::new(),
            order: Vec::new(),
            names: HashMap::new(),
            backdrop,
            fingers: HashMap::new(),
            gliding: Vec::new(),
            fading: Vec::new(),
            effects: Vec::new(),
            scratch: Vec::new(),
            dirty: true,
        }
    }

    pub fn settings(&self) -> &SceneSettings {
        &self.settings
    }

    pub fn window_size(&self) -> DVec2 {
        self.settings.window
    }

    /// Resizes the window and pulls every widget back on screen as needed.
    pub fn set_window_size(&mut self, size: DVec2) -> Result<(), SceneError> {
        if !(size.is_finite() && size.x > 0.0 && size.y > 0.0) {
            return Err(SceneError::InvalidWindow(size.x, size.y));
        }
        self.settings.window = size;
        for slot in &mut self.slots {
            if let Some(w) = slot.widget.as_mut() {
                let d = keep_on_screen_offset(&w.transform, w.size, size, &w.scatter);
                if d != DVec2::ZERO {
                    w.set_transform(DAffine2::from_translation(d) * w.transform);
                }
                // A widget that fills the screen follows the window.
                if w.gestures.fills() {
                    w.set_transform(cover(size, w.size));
                }
            }
        }
        self.dirty = true;
        Ok(())
    }

    /// Adds a widget on top of everything, the backdrop included.
    pub fn add(&mut self, spec: WidgetSpec) -> Result<WidgetId, SceneError> {
        if spec.name.is_empty() {
            return Err(SceneError::EmptyName);
        }
        if self.names.contains_key(&spec.name) {
            return Err(SceneError::DuplicateName(spec.name));
        }
        check_size(spec.size)?;
        if !is_usable_transform(&spec.transform) {
            return Err(SceneError::InvalidTransform);
        }
        let index = match self.free.pop() {
            Some(i) => i,
            None => {
                let i = u32::try_from(self.slots.len()).map_err(|_| SceneError::Full)?;
                self.slots.push(Slot::default());
                i
            }
        };
        let slot = &mut self.slots[index as usize];
        let id = WidgetId {
            index,
            generation: slot.generation,
        };
        slot.widget = Some(Widget {
            id,
            name: spec.name.clone(),
            kind: spec.kind,
            size: spec.size,
            transform: spec.transform,
            inverse: spec.transform.inverse(),
            content: spec.content,
            opacity: 1.0,
            scatter: spec
                .scatter
                .unwrap_or_else(|| self.settings.scatter.clone()),
            gestures: Gestures::default(),
            captured: Vec::new(),
            interaction: None,
            inertia: None,
            tween: None,
            fade: None,
        });
        self.names.insert(spec.name, id);
        self.order.push(Layer::Widget(id));
        self.dirty = true;
        Ok(id)
    }

    /// Removes a widget. Fingers it held become dead until they lift.
    pub fn remove(&mut self, id: WidgetId) -> Result<Widget, SceneError> {
        self.get(id).ok_or(SceneError::StaleId)?;
        let slot = &mut self.slots[id.index as usize];
        let widget = slot.widget.take().ok_or(SceneError::StaleId)?;
        slot.generation = slot.generation.wrapping_add(1);
        self.free.push(id.index);
        self.names.remove(&widget.name);
        self.order.retain(|l| *l != Layer::Widget(id));
        self.gliding.retain(|g| *g != id);
        self.fading.retain(|g| *g != id);
        for f in self.fingers.values_mut() {
            if f.target == Hit::Widget(id) {
                f.target = Hit::Nothing;
            }
        }
        self.dirty = true;
        Ok(widget)
    }

    pub fn get(&self, id: WidgetId) -> Option<&Widget> {
        self.slots
            .get(id.index as usize)
            .filter(|s| s.generation == id.generation)
            .and_then(|s| s.widget.as_ref())
    }

    pub(crate) fn get_mut(&mut self, id: WidgetId) -> Option<&mut Widget> {
        self.slots
            .get_mut(id.index as usize)
            .filter(|s| s.generation == id.generation)
            .and_then(|s| s.widget.as_mut())
    }

    pub fn id_of(&self, name: &str) -> Option<WidgetId> {
        self.names.get(name).copied()
    }

    pub fn by_name(&self, name: &str) -> Option<&Widget> {
        self.id_of(name).and_then(|id| self.get(id))
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Replaces what a widget shows, keeping its name, transform, z-order and
    /// scatter settings. Returns the content key it showed before.
    pub fn replace_content(
        &mut self,
        id: WidgetId,
        kind: Kind,
        size: DVec2,
        content: ContentKey,
    ) -> Result<ContentKey, SceneError> {
        check_size(size)?;
        let window = self.settings.window;
        let w = self.get_mut(id).ok_or(SceneError::StaleId)?;
        let old = w.content;
        w.kind = kind;
        w.size = size;
        w.content = content;
        // New content of another size fills the screen anew.
        if w.gestures.fills() {
            w.set_transform(cover(window, size));
        }
        self.dirty = true;
        Ok(old)
    }

    /// Sets a widget's transform, then applies its keep-on-screen rule.
    pub fn set_transform(&mut self, id: WidgetId, t: DAffine2) -> Result<(), SceneError> {
        if !is_usable_transform(&t) {
            return Err(SceneError::InvalidTransform);
        }
        let window = self.settings.window;
        let w = self.get_mut(id).ok_or(SceneError::StaleId)?;
        let d = keep_on_screen_offset(&t, w.size, window, &w.scatter);
        w.set_transform(DAffine2::from_translation(d) * t);
        w.inertia = None;
        w.tween = None;
        self.dirty = true;
        Ok(())
    }

    /// Advances the injected clock: glides move and fades progress.
    pub fn advance(&mut self, now: Duration) {
        self.advance_fades(now);
        if !self.gliding.is_empty() {
            let window = self.settings.window;
            let mut i = 0;
            while i < self.gliding.len() {
                let id = self.gliding[i];
                let going = match self.get_mut(id) {
                    Some(w) => glide(w, now, window),
                    None => false,
                };
                if going {
                    i += 1;
                } else {
                    self.gliding.swap_remove(i);
                    if let Some(w) = self.get_mut(id) {
                        w.inertia = None;
                        w.tween = None;
                    }
                }
            }
            self.dirty = true;
        }
        if self.order.contains(&Layer::Backdrop) {
            if self.backdrop.is_fading(now) {
                self.dirty = true;
            } else if !self.backdrop.is_shown() {
                self.order.retain(|l| *l != Layer::Backdrop);
                self.dirty = true;
            }
        }
    }

    /// Whether something moves on its own at `now`: a glide or a fade.
    pub fn is_animating(&self, now: Duration) -> bool {
        !self.gliding.is_empty()
            || !self.fading.is_empty()
            || (self.order.contains(&Layer::Backdrop) && self.backdrop.is_fading(now))
    }

    /// Takes the effects produced since the last call.
    pub fn drain_effects(&mut self) -> std::vec::Drain<'_, Effect> {
        self.effects.drain(..)
    }

    /// Whether anything visible changed since the last call.
    pub fn take_dirty(&mut self) -> bool {
        std::mem::replace(&mut self.dirty, false)
    }

    /// The number of fingers down, dead ones and those on the backdrop included.
    pub fn finger_count(&self) -> usize {
        self.fingers.len()
    }
}

impl Scene {
    /// Applies a video request to a widget. A resulting player command is
    /// queued as an [`Effect::Video`] and returned. Asking a widget that is not
    /// a video is an error; asking to play a playing video is not.
    pub fn video(
        &mut self,
        id: WidgetId,
        request: VideoRequest,
    ) -> Result<Option<VideoCommand>, SceneError> {
        let w = self.get_mut(id).ok_or(SceneError::StaleId)?;
        let Kind::Video { control, .. } = &mut w.kind else {
            return Err(SceneError::NotAVideo(w.name.clone()));
        };
        let command = match request {
            VideoRequest::Play => control.play(),
            VideoRequest::Pause => control.pause(),
            VideoRequest::Toggle => Some(control.toggle()),
            VideoRequest::EndOfStream => control.end_of_stream(),
            VideoRequest::Rewind => control.rewind(),
        };
        if let Some(command) = command {
            self.effects.push(Effect::Video {
                widget: id,
                command,
            });
            self.dirty = true;
        }
        Ok(command)
    }
}

/// Moves a gliding widget to `now`; returns whether the glide goes on.
fn glide(w: &mut Widget, now: Duration, window: DVec2) -> bool {
    if let Some(tween) = &w.tween {
        // The target was kept on screen when the glide began.
        let (t, going) = tween.at(now, w.size);
        w.set_transform(t);
        return going;
    }
    let Some(inertia) = w.inertia.as_mut() else {
        return false;
    };
    let (delta, going) = inertia.step(now);
    let moved = DAffine2::from_translation(delta) * w.transform;
    let back = keep_on_screen_offset(&moved, w.size, window, &w.scatter);
    w.set_transform(DAffine2::from_translation(back) * moved);
    // A glide that hits the keep-on-screen limit stops there.
    going && back == DVec2::ZERO
}

fn check_size(size: DVec2) -> Result<(), SceneError> {
    if size.is_finite() && size.x > 0.0 && size.y > 0.0 {
        Ok(())
    } else {
        Err(SceneError::InvalidSize(size.x, size.y))
    }
}
