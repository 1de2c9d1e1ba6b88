//! The headless loop: the same kiosk and renderer, drawing offscreen when pixels are asked for (screenshots).

use std::sync::Arc;

use super::kiosk::Kiosk;
use super::notify::{Notifier, debug_stall};
use super::options::{AppError, RunOptions, RunSummary};
use super::pacing::{screenshot_due, sleep_budget};
use super::servers::RemoteLink;
use super::startup::{render_options, start_content};
use crate::config::Config;
use crate::render::Renderer;
use crate::wake::Signal;

/// Runs offscreen until the screenshot is written or `exit_after` passes (or
/// forever, when neither is set).
///
/// Nobody watches a headless kiosk, so it composes a frame only when pixels
/// are asked for: a screenshot. Everything else runs as in a window: loads,
/// gestures, glides, and videos playing in real time into their mailboxes.
/// On a software GPU this keeps a playing video's cost at its decoding.
pub fn run_headless(config: Config, opts: RunOptions) -> Result<RunSummary, AppError> {
    // The panel's size, turned upright: headless frames and screenshots are
    // what a kiosk mounted that way lays out.
    let size = config.window.rotation.logical_size(
        opts.size
            .unwrap_or((config.window.size[0], config.window.size[1])),
    );
    let options = render_options(&config);
    let signal = Arc::new(Signal::default());
    let mut kiosk = Kiosk::with_roots(
        config.clone(),
        size,
        signal.clone(),
        &super::admin::extra_roots(&config, &opts),
    );
    start_content(&mut kiosk, &config, &opts);
    let remote = RemoteLink::start(&mut kiosk, &opts, signal.clone())?;
    super::tuio::start_tuio(&mut kiosk, &opts, signal.clone());
    let mut renderer = Renderer::headless(&options)?;
    tracing::info!(
        adapter = %renderer.gpu().adapter_name(),
        width = size.0,
        height = size.1,
        "running headless"
    );
    let mut frames_before = 0;
    let mut notifier = Notifier::from_env();
    loop {
        remote.drain(&mut kiosk, Some((&mut renderer, size)));
        kiosk.pump();
        kiosk.finish_previews(&mut renderer);
        // Headless, the kiosk is up once its loop runs.
        notifier.ready();
        notifier.tick(|| kiosk.status_line());
        debug_stall();
        if renderer.gpu().is_lost() {
            frames_before += renderer.frames();
            renderer = Renderer::headless(&options)?;
            tracing::warn!("renderer re-created after the GPU device was lost");
        }
        let now = kiosk.now();
        kiosk.advance(now);
        if screenshot_due(&kiosk, &opts)
            && let Some(path) = &opts.screenshot
        {
            kiosk.frame(now);
            kiosk.sync_textures(&mut renderer);
            let image = renderer.capture(kiosk.last_frame(), size)?;
            image.save_png(path)?;
            tracing::info!(path = %path.display(), "screenshot written");
            break;
        }
        if opts.exit_after.is_some_and(|end| now >= end) {
            break;
        }
        // While something glides or fades, wake at the frame pace to move
        // it on (cheap: nothing is drawn).
        let budget = sleep_budget(&kiosk, &opts, true);
        signal.wait(match (budget, notifier.deadline()) {
            (Some(b), Some(d)) => Some(b.min(d)),
            (b, d) => b.or(d),
        });
    }
    renderer.wait_idle();
    let summary = RunSummary::new(frames_before + renderer.frames(), &kiosk);
    summary.log();
    Ok(summary)
}
