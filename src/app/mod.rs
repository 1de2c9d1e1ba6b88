//! The app: the only module that joins the scene, the renderer, the window system and the loaders.
//!
//! # Threads
//!
//! Every thread vitrine runs, who starts it, how many there are, what bounds
//! it and how it ends. Bounding the unbounded ones is tracked separately.
//!
//! | thread | started by | how many | bound | ends |
//! | --- | --- | --- | --- | --- |
//! | UI (`main`) | `run` | 1 | — | on Esc, `--exit-after`, a screenshot, or a fatal error |
//! | `vitrine-remote` (accept) | [`remote::RemoteLink::start`] | 1 | — | with the process |
//! | `vitrine-conn` | the accept thread, per connection | ≤ `remote.max_connections` | 256 KiB stack; `remote.idle_timeout`, `remote.read_timeout` | the peer closes, a timeout, or a bad frame |
//! | `vitrine-loader` | [`loader::Loader::new`] | 1 | requests queue unbounded | the kiosk drops (joined) |
//! | `vitrine-fetch` | the loader, per URL load | **unbounded** (one per URL load in flight) | `content.fetch_timeout` per request | the fetch ends |
//! | `vitrine-page-N` | [`pages::Pages::open`], per page | **unbounded** (one per page shown or rendering) | 64 MiB reserved stack; `html.render_timeout` per render (reported, not stopped) | its widget's entry (or pending render) drops, after the current job |
//! | `vitrine-video-N` (bus) + GStreamer streaming threads | `media::Player::open`, per video | **unbounded** (one player per video widget or preroll) | — | the player drops, on the reaper |
//! | `vitrine-reaper` | [`reaper::Reaper::start`] | 1 | a queue of 64; past that the UI thread drops | every kiosk handle drops |
//! | GPU driver threads (lavapipe) | wgpu | per the driver | — | with the renderer |

mod demo;
mod failures;
mod headless;
mod input;
mod kiosk;
mod loader;
mod mouse;
mod pages;
mod reaper;
mod remote;
mod videos;
mod widgets;
mod window;

use std::path::PathBuf;
use std::time::Duration;

pub use crate::outcome::{Caller, FailureKind, LoadFailure, LoadResult};
pub use headless::run_headless;
pub use kiosk::{Kiosk, VideoLoad};
pub use loader::{LoadRequest, Origin, Placement, Source};
pub use mouse::MouseEmulator;
pub use remote::RemoteLink;
pub use window::run_window;

use crate::config::Config;
use crate::render::{RenderError, RenderOptions};

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
    /// Show the built-in demo.
    pub demo: bool,
    /// Files or URLs to show at start, back to front.
    pub load: Vec<String>,
    /// Listen on this port instead of `remote.port` (0: any free port).
    pub remote_port: Option<u16>,
    /// Do not start the remote control server.
    pub no_remote: bool,
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
    fn new(frames: u64, kiosk: &Kiosk) -> Self {
        let (video_decoded, video_displayed) = kiosk.video_frames();
        Self {
            frames,
            video_decoded,
            video_displayed,
        }
    }

    /// The "stopped" log line; tests and benchmarks read its numbers.
    fn log(&self) {
        tracing::info!(
            frames = self.frames,
            video_decoded = self.video_decoded,
            video_displayed = self.video_displayed,
            "stopped"
        );
    }
}

/// Whether a window can be opened: some display server is named.
pub fn display_available() -> bool {
    ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
}

/// Runs the kiosk until it is told to stop. Falls back to headless when no
/// display is available.
pub fn run(config: Config, opts: RunOptions) -> Result<RunSummary, AppError> {
    if opts.headless {
        return run_headless(config, opts);
    }
    if !display_available() {
        tracing::warn!(
            "no display (DISPLAY and WAYLAND_DISPLAY are unset): running headless instead"
        );
        return run_headless(config, opts);
    }
    run_window(config, opts)
}

/// The render options the config describes. A custom overlay image that
/// cannot be loaded is logged and the built-in one is used.
pub fn render_options(config: &Config) -> RenderOptions {
    let overlay_image = if config.video.overlay_image.as_os_str().is_empty() {
        None
    } else {
        let limits = crate::content::ImageLimits::from_config(&config.content);
        match crate::content::load_image_file(&config.video.overlay_image, limits) {
            Ok(img) => Some(img),
            Err(e) => {
                tracing::error!(%e, "cannot load video.overlay_image; using the built-in play button");
                None
            }
        }
    };
    RenderOptions {
        background: config.window.background,
        overlay_image,
    }
}

/// Queues the built-in demo's content.
fn start_demo(kiosk: &mut Kiosk) {
    let dir = match crate::assets::demo_dir() {
        Ok(d) => d,
        Err(e) => {
            tracing::error!(%e, "no demo");
            return;
        }
    };
    match demo::requests(&dir) {
        Ok(requests) => requests.into_iter().for_each(|r| kiosk.queue(r)),
        Err(e) => tracing::error!(%e, "no demo"),
    }
}

/// Queues the content named on the command line, back to front. Each is a
/// file or a URL, and its kind is sniffed.
fn start_loads(kiosk: &mut Kiosk, items: &[String]) {
    for (i, item) in items.iter().enumerate() {
        let source = if item.contains("://") {
            Source::Url(item.clone())
        } else {
            Source::File(PathBuf::from(item))
        };
        kiosk.queue(LoadRequest {
            name: format!("load-{}", i + 1),
            source,
            placement: Placement::Default,
            origin: Origin::Startup,
            viewport: None,
            poster: None,
        });
    }
}

/// The folders of files named on the command line: trusted as content roots,
/// so a page's relative stylesheets and images load.
fn command_line_roots(items: &[String]) -> Vec<PathBuf> {
    items
        .iter()
        .filter(|i| !i.contains("://"))
        .filter_map(|i| {
            std::path::absolute(i)
                .ok()?
                .parent()
                .map(std::path::Path::to_path_buf)
        })
        .collect()
}

/// Queues what the kiosk shows at start: the demo or the content named on
/// the command line.
fn start_content(kiosk: &mut Kiosk, opts: &RunOptions) {
    if opts.demo {
        start_demo(kiosk);
    }
    start_loads(kiosk, &opts.load);
}

/// When the screenshot (if any) may be taken: late enough and nothing loading.
fn screenshot_due(kiosk: &Kiosk, opts: &RunOptions) -> bool {
    opts.screenshot.is_some() && kiosk.now() >= opts.after && kiosk.pending_loads() == 0
}

/// How long the loop may sleep before something is due. Animation frames
/// count only where frames are drawn as things change (`animate`).
fn sleep_budget(kiosk: &Kiosk, opts: &RunOptions, animate: bool) -> Option<Duration> {
    let now = kiosk.now();
    let mut budget: Option<Duration> = None;
    let mut limit = |d: Duration| budget = Some(budget.map_or(d, |b| b.min(d)));
    if animate && kiosk.is_animating(now) {
        limit(FRAME_INTERVAL);
    }
    if let Some(d) = kiosk.next_deadline() {
        limit(d.max(Duration::from_millis(1)));
    }
    if opts.screenshot.is_some() {
        limit(opts.after.saturating_sub(now).max(Duration::from_millis(1)));
    }
    if let Some(end) = opts.exit_after {
        limit(end.saturating_sub(now));
    }
    budget
}

/// The pace of animation frames when nothing else paces them.
const FRAME_INTERVAL: Duration = Duration::from_millis(16);
