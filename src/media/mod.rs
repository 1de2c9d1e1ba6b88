//! Media: GStreamer pipelines for video widgets, delivering their newest frame to a mailbox and their news to a channel.
//!
//! Nothing here knows about the scene or the renderer. Frames leave as
//! [`PlanarFrame`](crate::pixels::PlanarFrame)s borrowed from GStreamer's own
//! buffers, and events leave as [`MediaEvent`]s plus a wake.

mod frame;
mod mailbox;
mod player;

use std::sync::OnceLock;

pub use frame::Frame;
pub use mailbox::Mailbox;
pub use player::{MediaEvent, Player, PlayerEvent, PlayerId, PlayerOptions};

/// Why media could not be played.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum MediaError {
    /// GStreamer itself could not start.
    #[error("GStreamer is not available: {0}")]
    Init(String),
    /// A GStreamer element is missing: a plugin is not installed.
    #[error(
        "missing GStreamer element {0:?}: install gstreamer1.0-plugins-base and gstreamer1.0-plugins-good"
    )]
    MissingElement(&'static str),
    /// The pipeline could not be built.
    #[error("cannot build the video pipeline: {0}")]
    Pipeline(String),
    /// A decoded frame could not be mapped.
    #[error("cannot read a video frame: {0}")]
    Frame(String),
}

/// What kind of failure a stream had, as far as a caller cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The file or URL does not exist (HTTP 404 included).
    NotFound,
    /// Not something GStreamer can play: unknown type, missing codec.
    Unsupported,
    /// Anything else: a refused connection, a broken stream.
    Other,
}

/// Initialises GStreamer once for the process.
pub fn init() -> Result<(), MediaError> {
    static INIT: OnceLock<Result<(), String>> = OnceLock::new();
    INIT.get_or_init(|| gstreamer::init().map_err(|e| e.to_string()))
        .clone()
        .map_err(MediaError::Init)
}
