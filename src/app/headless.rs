//! The headless loop: the same kiosk and renderer, drawing offscreen, for CI, previews and screenshots.

use std::sync::Arc;

use super::wake::Signal;
use super::{
    AppError, Kiosk, RunOptions, RunSummary, render_options, screenshot_due, sleep_budget,
    start_demo,
};
use crate::config::Config;
use crate::render::Renderer;

/// Runs offscreen until the screenshot is written or `exit_after` passes (or
/// forever, when neither is set). Frames are drawn only when something changed.
pub fn run_headless(config: Config, opts: RunOptions) -> Result<RunSummary, AppError> {
    let size = opts
        .size
        .unwrap_or((config.window.size[0], config.window.size[1]));
    let options = render_options(&config);
    let signal = Arc::new(Signal::default());
    let mut kiosk = Kiosk::new(config, size, signal.clone());
    if opts.demo {
        start_demo(&mut kiosk);
    }
    let mut renderer = Renderer::headless(&options)?;
    tracing::info!(
        adapter = %renderer.gpu().adapter_name(),
        width = size.0,
        height = size.1,
        "running headless"
    );
    let mut frames_before = 0;
    loop {
        kiosk.pump();
        if renderer.gpu().is_lost() {
            frames_before += renderer.frames();
            renderer = Renderer::headless(&options)?;
            tracing::warn!("renderer re-created after the GPU device was lost");
        }
        let now = kiosk.now();
        if kiosk.needs_redraw(now) {
            kiosk.frame(now);
            kiosk.sync_textures(&mut renderer);
            renderer.render_offscreen(kiosk.last_frame(), size);
        }
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
        signal.wait(sleep_budget(&kiosk, &opts));
    }
    renderer.wait_idle();
    let summary = RunSummary {
        frames: frames_before + renderer.frames(),
    };
    tracing::info!(frames = summary.frames, "stopped");
    Ok(summary)
}
