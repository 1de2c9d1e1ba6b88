//! What can go wrong with media: why a player could not start, and what kind of failure a stream had.

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
