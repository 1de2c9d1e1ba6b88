//! What a scene call says back: the error that refuses a bad request (the scene left as it was), and the effects the app must act on.

use glam::DVec2;

use super::ids::WidgetId;
use super::interaction::GestureRecord;
use super::video::VideoCommand;

/// Errors from scene operations. They describe bad requests; the scene is
/// left as it was.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SceneError {
    /// Another widget already has this name.
    #[error("a widget named {0:?} already exists")]
    DuplicateName(String),
    /// Widget names must not be empty.
    #[error("a widget name must not be empty")]
    EmptyName,
    /// No widget has this name.
    #[error("no widget named {0:?}")]
    UnknownName(String),
    /// The id refers to a widget that was removed.
    #[error("the widget no longer exists")]
    StaleId,
    /// Sizes must be finite and positive.
    #[error("widget size {0}x{1} is not a positive, finite size")]
    InvalidSize(f64, f64),
    /// Transforms must be finite and invertible.
    #[error("the transform is not finite and invertible")]
    InvalidTransform,
    /// A video request went to a widget that is not a video.
    #[error("widget {0:?} is not a video")]
    NotAVideo(String),
    /// Colour channels must be numbers in 0..=1.
    #[error("colour {0:?} has a channel outside 0..=1")]
    InvalidColor([f32; 4]),
    /// The arena has run out of ids.
    #[error("the scene cannot hold more widgets")]
    Full,
    /// The window size must be finite and positive.
    #[error("window size {0}x{1} is not a positive, finite size")]
    InvalidWindow(f64, f64),
}

/// Something the app must act on, produced by touches or scene calls.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// A tap on a widget, at a point in its local pixels.
    Tap { widget: WidgetId, local: DVec2 },
    /// A video widget's player must do something.
    Video {
        widget: WidgetId,
        command: VideoCommand,
    },
    /// A tap dismissed the backdrop.
    BackdropDismissed,
    /// The last finger left a widget: what the interaction was.
    Gesture(GestureRecord),
}
