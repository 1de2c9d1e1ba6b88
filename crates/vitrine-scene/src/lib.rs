//! The pure scene core (std, glam and serde only): declares its files and re-exports what the rest of vitrine uses.
//!
//! Nothing here knows about windows, GPUs or media. Input arrives as plain
//! [`TouchEvent`]s with an injected clock, and output leaves as a
//! [`DrawList`] and a queue of [`Effect`]s for the app to carry out.
//!
//! This file only declares the parts and re-exports what they make public.
//! No part imports it: each names the file it needs, so the parts import one
//! another without cycles (`tests/it/layering.rs` checks this).

mod arena;
mod backdrop;
mod color;
mod coverage;
mod crossfade;
mod draw;
mod effect;
mod fade;
mod fill;
mod geometry;
mod gestures;
mod glide;
mod ids;
mod inertia;
mod input;
mod interaction;
mod order;
pub mod placement;
pub mod rotation;
mod scatter;
mod settings;
mod touch;
mod tween;
mod video;
mod widget;

pub use arena::Scene;
pub use backdrop::Backdrop;
pub use color::Rgba;
pub use coverage::screen_fraction;
pub use draw::{DrawItem, DrawList, WidgetDraw};
pub use effect::{Effect, SceneError};
pub use fade::CrossFade;
pub use geometry::{corners, is_usable_transform, scale_of};
pub use gestures::{Fill, GestureChange, Gestures, cover};
pub use ids::{ContentKey, WidgetId};
pub use input::{FingerId, Hit, Phase, TouchEvent, TouchOutcome, TouchSettings};
pub use interaction::{GestureKind, GestureRecord};
pub use scatter::{Captured, ScatterSettings, keep_on_screen_offset, transform_with_touch};
pub use settings::SceneSettings;
pub use video::{EndPolicy, VideoCommand, VideoControl, VideoRequest, VideoState};
pub use widget::{Kind, Widget, WidgetSpec};

#[cfg(test)]
mod tests;
