//! How the kiosk is asked to run, why it stopped with an error, and what its loop did.

use std::path::PathBuf;
use std::time::Duration;

use super::kiosk::Kiosk;
use crate::render::RenderError;

/// How to run the kiosk, from the command line.
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    /// Render offscreen, without a window.
    pub headless: bool,
    /// A window instead of fullscreen.
    pub windowed: bool,
    /// The window (or headless frame) size; overrides `window.size`.
    pub size: Option<(u32, u32)>,
    /// Write one PNG of the composed frame, then exit.
    pub screenshot: Option<PathBuf>,
    /// Take the screenshot no earlier than this after start (and only once
    /// every load has finished).
    pub after: Duration,
    /// Exit after this long.
    pub exit_after: Option<Duration>,
    /// Start the kiosk's clock at this instant (it runs at real speed).
    pub clock: Option<crate::plan::Timestamp>,
    /// Show the built-in demo.
    pub demo: bool,
    /// Files or URLs to show at start, back to front.
    pub load: Vec<String>,
    /// Listen on this port instead of `remote.port` (0: any free port).
    pub remote_port: Option<u16>,
    /// Do not start the remote control server.
    pub no_remote: bool,
    /// Serve Thrift on this port instead of `thrift.port` (0: any free port).
    pub thrift_port: Option<u16>,
    /// Do not start the Thrift endpoint.
    pub no_thrift: bool,
    /// Listen for TUIO on this UDP port (0: any free port), whatever
    /// `tuio.enabled` says.
    pub tuio_port: Option<u16>,
    /// Serve the admin page on this port instead of `admin.port` (0: any
    /// free port).
    pub admin_port: Option<u16>,
    /// Do not serve the admin page.
    pub no_admin: bool,
    /// Do not connect to the fleet's broker, whatever `fleet.enabled` says.
    pub no_fleet: bool,
    /// Neither restore nor save the desired state, whatever `state.enabled`
    /// says.
    pub no_state: bool,
}

/// Why the kiosk stopped with an error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AppError {
    #[error(transparent)]
    Render(#[from] RenderError),
    /// The window system refused.
    #[error("window system: {0}")]
    Window(String),
    /// Writing the screenshot failed.
    #[error(transparent)]
    Screenshot(#[from] crate::pixels::PixelsError),
    /// The remote server's configuration is unsafe or malformed.
    #[error(transparent)]
    Remote(crate::remote::ServerError),
    /// The Thrift endpoint's configuration is unsafe or malformed.
    #[error(transparent)]
    Thrift(crate::thrift::ThriftError),
    /// The admin page's configuration is unsafe or malformed.
    #[error(transparent)]
    Admin(crate::admin::AdminError),
}

/// What the loop did, for logs and tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RunSummary {
    /// Frames drawn, screenshots included.
    pub frames: u64,
    /// Video frames decoded and delivered, over the videos still shown.
    pub video_decoded: u64,
    /// Video frames uploaded for display.
    pub video_displayed: u64,
}

impl RunSummary {
    pub fn new(frames: u64, kiosk: &Kiosk) -> Self {
        let (video_decoded, video_displayed) = kiosk.video_frames();
        Self {
            frames,
            video_decoded,
            video_displayed,
        }
    }

    /// The "stopped" log line; tests and benchmarks read its numbers.
    pub fn log(&self) {
        tracing::info!(
            frames = self.frames,
            video_decoded = self.video_decoded,
            video_displayed = self.video_displayed,
            "stopped"
        );
    }
}
