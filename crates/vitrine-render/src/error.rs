//! Why rendering could not start or finish.

/// Why rendering could not start or finish.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// No GPU adapter is usable, not even a software one.
    #[error(
        "no GPU adapter found ({0}). Without a GPU, install Mesa's software Vulkan driver: \
         `apt-get install mesa-vulkan-drivers` (lavapipe)"
    )]
    NoAdapter(String),
    /// The adapter refused to open a device.
    #[error("cannot open the GPU device: {0}")]
    Device(String),
    /// The window surface cannot be used.
    #[error("cannot render to the window: {0}")]
    Surface(String),
    /// Reading pixels back failed.
    #[error("cannot read the frame back: {0}")]
    Readback(String),
    /// A video frame cannot be uploaded as it is.
    #[error("bad video frame: {0}")]
    Frame(String),
}
