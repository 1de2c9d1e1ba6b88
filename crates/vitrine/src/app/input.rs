//! All winit conversion: window events become vitrine's own input (fingers, keys, resizes).

use std::collections::HashMap;

use glam::DVec2;
use winit::event::{ElementState, KeyEvent, MouseButton, TouchPhase, WindowEvent};
use winit::keyboard::{Key, NamedKey};

use super::mouse::MouseEmulator;
use crate::scene::{FingerId, Phase};

/// Input as the kiosk understands it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Input {
    Finger(FingerId, Phase, DVec2),
    /// Esc: quit, if the config allows it.
    Quit,
    /// F11: toggle fullscreen in windowed mode.
    ToggleFullscreen,
    Resized(u32, u32),
    CloseRequested,
    Redraw,
}

/// Maps system touch ids to finger ids and the mouse to emulated fingers.
#[derive(Debug, Default)]
pub struct InputMap {
    /// Live touches by (device, system id). Ids reused after a lift get a new
    /// finger.
    touches: HashMap<(winit::event::DeviceId, u64), FingerId>,
    next: FingerId,
}

impl InputMap {
    /// Converts one window event. Mouse events are ignored while fingers are
    /// on the screen, since some systems also send them for touches (Kivy #3801).
    /// `upright` maps a window position to the kiosk's upright coordinates
    /// (the identity unless the panel is mounted turned).
    pub fn convert(
        &mut self,
        event: &WindowEvent,
        mouse: &mut MouseEmulator,
        upright: impl Fn(DVec2) -> DVec2,
    ) -> Option<Input> {
        let finger =
            |e: Option<(FingerId, Phase, DVec2)>| e.map(|(id, p, pos)| Input::Finger(id, p, pos));
        match event {
            WindowEvent::Touch(t) => {
                let key = (t.device_id, t.id);
                let pos = upright(DVec2::new(t.location.x, t.location.y));
                let (id, phase) = match t.phase {
                    TouchPhase::Started => {
                        self.next += 1;
                        self.touches.insert(key, self.next);
                        (self.next, Phase::Start)
                    }
                    TouchPhase::Moved => (*self.touches.get(&key)?, Phase::Move),
                    TouchPhase::Ended => (self.touches.remove(&key)?, Phase::End),
                    TouchPhase::Cancelled => (self.touches.remove(&key)?, Phase::Cancel),
                };
                Some(Input::Finger(id, phase, pos))
            }
            WindowEvent::CursorMoved { position, .. } if self.touches.is_empty() => {
                finger(mouse.moved(upright(DVec2::new(position.x, position.y))))
            }
            WindowEvent::CursorLeft { .. } => finger(mouse.left_window()),
            WindowEvent::MouseInput { state, button, .. } if self.touches.is_empty() => {
                let pressed = *state == ElementState::Pressed;
                match button {
                    MouseButton::Left => finger(mouse.left(pressed)),
                    MouseButton::Right => finger(mouse.right(pressed)),
                    _ => None,
                }
            }
            WindowEvent::KeyboardInput {
                event:
                    KeyEvent {
                        logical_key,
                        state: ElementState::Pressed,
                        repeat: false,
                        ..
                    },
                ..
            } => match logical_key {
                Key::Named(NamedKey::Escape) => Some(Input::Quit),
                Key::Named(NamedKey::F11) => Some(Input::ToggleFullscreen),
                _ => None,
            },
            WindowEvent::Resized(size) => Some(Input::Resized(size.width, size.height)),
            WindowEvent::CloseRequested => Some(Input::CloseRequested),
            WindowEvent::RedrawRequested => Some(Input::Redraw),
            _ => None,
        }
    }
}
