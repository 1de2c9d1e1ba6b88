//! The scene-wide settings: the window, scatter behaviour, tap thresholds and the backdrop, usually taken from the config.

use std::time::Duration;

use glam::DVec2;

use super::color::Rgba;
use super::input::TouchSettings;
use super::scatter::ScatterSettings;

/// Scene-wide settings, usually taken from the config.
#[derive(Clone, Debug)]
pub struct SceneSettings {
    /// Window size in pixels.
    pub window: DVec2,
    /// Scatter behaviour for widgets that bring none of their own.
    pub scatter: ScatterSettings,
    pub touch: TouchSettings,
    pub backdrop_color: Rgba,
    pub backdrop_fade: Duration,
    /// A tap on the backdrop hides it.
    pub backdrop_tap_to_dismiss: bool,
}

impl Default for SceneSettings {
    fn default() -> Self {
        Self {
            window: DVec2::new(1920.0, 1080.0),
            scatter: ScatterSettings::default(),
            touch: TouchSettings::default(),
            backdrop_color: Rgba::DIM,
            backdrop_fade: Duration::from_millis(200),
            backdrop_tap_to_dismiss: false,
        }
    }
}
