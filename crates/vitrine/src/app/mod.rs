//! The app: the only module that joins the scene, the renderer, the window system and the loaders.
//!
//! Every thread vitrine runs, with its bound and how it ends, is in the thread map of
//! `docs/architecture.md`; a new thread gets its row there.

mod admin;
mod admin_tls;
mod demo;
mod failures;
mod first_frame;
mod headless;
mod heap;
mod input;
mod kiosk;
mod load;
mod mouse;
mod notify;
mod options;
mod pacing;
mod pages;
pub mod power;
mod reaper;
mod servers;
mod startup;
mod translate;
mod tuio;
mod videos;
mod widgets;
mod window;

pub use crate::outcome::{Caller, FailureKind, LoadFailure, LoadResult};
pub use first_frame::FirstFrameRecord;
pub use headless::run_headless;
pub use kiosk::{Kiosk, VideoLoad};
pub use load::request::{LoadRequest, Origin, Placement, Source};
pub use mouse::MouseEmulator;
pub use options::{AppError, RunOptions, RunSummary};
pub use power::PowerSwitch;
pub use servers::RemoteLink;
pub use startup::render_options;
pub use window::run_window;

use crate::config::Config;

/// Whether a window can be opened: some display server is named.
pub fn display_available() -> bool {
    ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
}

/// Runs the kiosk until it is told to stop. Falls back to headless when no
/// display is available.
pub fn run(config: Config, opts: RunOptions) -> Result<RunSummary, AppError> {
    heap::tune();
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
