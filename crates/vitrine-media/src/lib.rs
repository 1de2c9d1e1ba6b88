//! Media: GStreamer pipelines for video widgets, delivering their newest frame to a mailbox and their news to a channel.
//!
//! Nothing here knows about the scene or the renderer. Frames leave as
//! [`PlanarFrame`](vitrine_pixels::PlanarFrame)s borrowed from GStreamer's own
//! buffers, and events leave as [`MediaEvent`]s plus a wake.

mod adaptive;
mod bus;
mod error;
mod event;
mod frame;
mod mailbox;
mod player;

pub use error::{Failure, MediaError};
pub use event::{MediaEvent, PlayerEvent, PlayerId};
pub use frame::Frame;
pub use mailbox::Mailbox;
pub use player::{Player, PlayerOptions, init};
