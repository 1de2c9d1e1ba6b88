//! What the kiosk does at start: the render options, and the demo or the content named on the command line.

use std::path::PathBuf;

use super::kiosk::Kiosk;
use super::load::request::{LoadRequest, Origin, Placement, Source};
use super::options::RunOptions;
use crate::config::Config;
use crate::render::RenderOptions;
use crate::state::Store;

/// The render options the config describes. A custom overlay image that
/// cannot be loaded is logged and the built-in one is used.
pub fn render_options(config: &Config) -> RenderOptions {
    let overlay_image = if config.video.overlay_image.as_os_str().is_empty() {
        None
    } else {
        let limits = crate::settings::image_limits(&config.content);
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
    match super::demo::requests(&dir) {
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
pub fn command_line_roots(items: &[String]) -> Vec<PathBuf> {
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

/// Opens the state directory and restores what it holds. Returns whether
/// there was a state to restore.
fn start_state(kiosk: &mut Kiosk, config: &Config, opts: &RunOptions) -> bool {
    if opts.no_state || !config.state.enabled {
        tracing::info!("the desired state is not kept (state.enabled = false or --no-state)");
        return false;
    }
    let Some(dir) = config.state.resolve_dir() else {
        let why = "no state directory: set state.dir, or HOME";
        tracing::error!("{why}; changes will show but answer that they were not saved");
        kiosk.state_broken(why.into());
        return false;
    };
    match Store::open_within(&dir, config.remote.max_name_bytes) {
        Ok((store, opened)) => {
            for note in &opened.notes {
                tracing::warn!(dir = %dir.display(), "state: {note}");
            }
            let restored = opened.state.filter(|s| {
                !s.widgets.is_empty()
                    || s.backdrop.is_some()
                    || !s.layouts.is_empty()
                    || !s.schedule.is_empty()
            });
            let found = restored.is_some();
            match &restored {
                Some(s) => tracing::info!(
                    dir = %dir.display(),
                    revision = s.revision,
                    widgets = s.widgets.len(),
                    "restoring the desired state"
                ),
                None => tracing::info!(dir = %dir.display(), "no desired state stored yet"),
            }
            kiosk.keep_state(store, restored);
            found
        }
        Err(e) => {
            tracing::error!(%e, "the state directory cannot be used; changes will show but answer that they were not saved");
            kiosk.state_broken(e.to_string());
            false
        }
    }
}

/// Queues what the kiosk shows at start: the stored desired state, or else
/// the demo; then the content named on the command line.
pub fn start_content(kiosk: &mut Kiosk, config: &Config, opts: &RunOptions) {
    if let Some(start) = opts.clock {
        tracing::info!(%start, "the kiosk's clock starts at --clock and runs at real speed");
        kiosk.set_clock(crate::plan::Clock::starting_at(
            start,
            crate::plan::Timestamp::now(),
        ));
    }
    let restored = start_state(kiosk, config, opts);
    if opts.demo && !restored {
        start_demo(kiosk);
    }
    start_loads(kiosk, &opts.load);
}
