//! The window loop (winit 0.30): a fullscreen or windowed surface, input, and frames drawn on demand.

use std::sync::Arc;
use std::time::Instant;

use glam::DVec2;
use winit::application::ApplicationHandler;
use winit::event::WindowEvent;
use winit::event_loop::{ActiveEventLoop, ControlFlow, EventLoop, EventLoopProxy};
use winit::window::{Fullscreen, Window, WindowId};

mod open;

use super::first_frame::{FirstFrame, FirstFrameRecord};
use super::input::{Input, InputMap};
use super::kiosk::Kiosk;
use super::notify::{Notifier, debug_stall};
use super::options::{AppError, RunOptions, RunSummary};
use super::pacing::{screenshot_due, sleep_budget};
use super::servers::RemoteLink;
use super::startup::{render_options, start_content};
use crate::config::Config;
use crate::render::{Acquired, RenderOptions, Renderer, WindowSurface};
use crate::wake::Wake;

/// Wakes the winit loop. The payload-free user event only says "look at the
/// channels": winit 0.31 drops user-event payloads, so none are used.
struct ProxyWake(EventLoopProxy<()>);

impl Wake for ProxyWake {
    fn wake(&self) {
        // Fails only once the loop has exited, when there is nothing to wake.
        let _ = self.0.send_event(());
    }
}

/// The window, its surface and renderer, and the kiosk they show.
struct WindowApp {
    remote: RemoteLink,
    config: Config,
    opts: RunOptions,
    options: RenderOptions,
    kiosk: Kiosk,
    instance: wgpu::Instance,
    window: Option<Arc<Window>>,
    surface: Option<WindowSurface>,
    renderer: Option<Renderer>,
    input: InputMap,
    frames_before: u64,
    error: Option<AppError>,
    /// READY=1, status and watchdog pings for systemd.
    notifier: Notifier,
    /// Whether the window system took the first frame (what READY=1 waits
    /// for); set when the window opens.
    first_frame: Option<FirstFrame>,
}

/// Opens the window and runs until Esc (when allowed), the screenshot, or
/// `exit_after`.
pub fn run_window(config: Config, opts: RunOptions) -> Result<RunSummary, AppError> {
    let event_loop = EventLoop::new().map_err(|e| AppError::Window(e.to_string()))?;
    let wake: Arc<dyn Wake> = Arc::new(ProxyWake(event_loop.create_proxy()));
    let size = opts
        .size
        .unwrap_or((config.window.size[0], config.window.size[1]));
    let instance = crate::render::instance(Some(Box::new(event_loop.owned_display_handle())));
    let options = render_options(&config);
    let mut kiosk = Kiosk::with_roots(
        config.clone(),
        config.window.rotation.logical_size(size),
        wake.clone(),
        &super::admin::extra_roots(&config, &opts),
    );
    start_content(&mut kiosk, &config, &opts);
    super::tuio::start_tuio(&mut kiosk, &opts, wake.clone());
    let remote = RemoteLink::start(&mut kiosk, &opts, wake)?;
    let mut app = WindowApp {
        remote,
        config,
        opts,
        options,
        kiosk,
        instance,
        window: None,
        surface: None,
        renderer: None,
        input: InputMap::default(),
        frames_before: 0,
        error: None,
        notifier: Notifier::from_env(),
        first_frame: None,
    };
    event_loop
        .run_app(&mut app)
        .map_err(|e| AppError::Window(e.to_string()))?;
    if let Some(e) = app.error {
        return Err(e);
    }
    let frames = app.frames_before + app.renderer.as_ref().map_or(0, Renderer::frames);
    let summary = RunSummary::new(frames, &app.kiosk);
    summary.log();
    Ok(summary)
}

impl WindowApp {
    /// Carries out remote tasks, then applies loads and media news; the
    /// kiosk's pump ends the pass by publishing what the screen shows.
    fn pump(&mut self) {
        let gpu = match (self.renderer.as_mut(), self.surface.as_ref()) {
            (Some(r), Some(s)) => Some((r, self.config.window.rotation.logical_size(s.size()))),
            _ => None,
        };
        self.remote.drain(&mut self.kiosk, gpu);
        self.kiosk.pump();
        if let Some(renderer) = self.renderer.as_mut() {
            self.kiosk.finish_previews(renderer);
        }
    }

    fn handle(&mut self, event_loop: &ActiveEventLoop, input: Input) {
        match input {
            Input::Finger(id, phase, pos) => self.kiosk.touch(id, phase, pos),
            Input::Quit => {
                if self.config.window.allow_exit {
                    event_loop.exit();
                } else {
                    tracing::debug!("Esc ignored: window.allow_exit is off");
                }
            }
            Input::CloseRequested => {
                if self.config.window.allow_exit || !self.fullscreen() {
                    event_loop.exit();
                }
            }
            Input::ToggleFullscreen => {
                if !self.config.window.fullscreen
                    && let Some(w) = &self.window
                {
                    let next = match w.fullscreen() {
                        Some(_) => None,
                        None => Some(Fullscreen::Borderless(w.current_monitor())),
                    };
                    w.set_fullscreen(next);
                }
            }
            Input::Resized(w, h) => {
                // An output that changes (a TV switched on at another mode,
                // a panel replaced) is worth a line: the scene refits.
                let was = self.surface.as_ref().map(|s| s.size());
                if was.is_some_and(|was| was != (w, h)) {
                    tracing::info!(width = w, height = h, was = ?was, "window resized; the scene refits");
                }
                if let (Some(surface), Some(r)) = (self.surface.as_mut(), self.renderer.as_ref()) {
                    surface.resize(&r.gpu().device, (w, h));
                }
                self.kiosk
                    .resize(self.config.window.rotation.logical_size((w, h)));
            }
            Input::Redraw => self.redraw(event_loop),
        }
    }

    fn redraw(&mut self, event_loop: &ActiveEventLoop) {
        if self.renderer.as_ref().is_some_and(|r| r.gpu().is_lost())
            && let Err(e) = self.create_renderer()
        {
            tracing::error!(%e, "cannot re-create the renderer; will retry");
            return;
        }
        let (Some(surface), Some(renderer)) = (self.surface.as_mut(), self.renderer.as_mut())
        else {
            return;
        };
        // The redraw after the first present: on Wayland winit holds it
        // back until the compositor's frame callback, so the compositor
        // took that frame. Only now is the kiosk up.
        if let Some(after) = self
            .first_frame
            .as_mut()
            .and_then(|f| f.redrawn(std::time::Instant::now()))
        {
            tracing::info!(
                after_ms = after.as_millis() as u64,
                "first frame taken by the window system"
            );
            self.notifier.ready();
            if let Some(dir) = self.config.state.resolve_dir() {
                FirstFrameRecord::new(Some(after)).write(&dir);
            }
        }
        let now = self.kiosk.now();
        self.kiosk.frame(now);
        self.kiosk.sync_textures(renderer);
        match surface.acquire(&renderer.gpu().device) {
            Acquired::Frame(frame) => {
                let view = frame
                    .texture
                    .create_view(&wgpu::TextureViewDescriptor::default());
                let turns = self.config.window.rotation.quarter_turns();
                renderer.render_turned(self.kiosk.last_frame(), &view, turns);
                if let Some(w) = &self.window {
                    // Wayland: ask for the frame callback with this commit.
                    w.pre_present_notify();
                }
                renderer.gpu().queue.present(frame);
                if self.first_frame.as_mut().is_some_and(FirstFrame::presented)
                    && let Some(w) = &self.window
                {
                    w.request_redraw();
                }
            }
            Acquired::Skip => {}
            Acquired::Recreate => {
                if let Err(e) = self.create_renderer() {
                    tracing::error!(%e, "cannot re-create the surface; will retry");
                }
                return;
            }
        }
        if screenshot_due(&self.kiosk, &self.opts)
            && let Some(path) = self.opts.screenshot.clone()
        {
            // Screenshots are upright, whatever the panel's mounting.
            let size = self.config.window.rotation.logical_size(surface.size());
            let written = renderer
                .capture(self.kiosk.last_frame(), size)
                .map_err(AppError::from)
                .and_then(|img| img.save_png(&path).map_err(AppError::from));
            match written {
                Ok(()) => tracing::info!(path = %path.display(), "screenshot written"),
                Err(e) => self.error = Some(e),
            }
            event_loop.exit();
        }
    }
}

impl WindowApp {
    /// The error when no frame was taken in time, with what is known.
    fn first_frame_overdue(&self) {
        let (system, parent) = super::first_frame::session();
        let stage = self.first_frame.as_ref().map(FirstFrame::stage);
        let surface = self.surface.as_ref().map(WindowSurface::size);
        let window = self.window.as_ref().map(|w| w.inner_size());
        tracing::error!(
            window_system = %system,
            started_by = %parent,
            stage = ?stage,
            surface = ?surface,
            window = ?window,
            "no frame taken by the window system yet: the screen may be blank (READY=1 is not sent until one is)"
        );
        if let Some(dir) = self.config.state.resolve_dir() {
            FirstFrameRecord::new(None).write(&dir);
        }
    }
}

impl ApplicationHandler<()> for WindowApp {
    fn resumed(&mut self, event_loop: &ActiveEventLoop) {
        if self.window.is_none()
            && let Err(e) = self.open(event_loop)
        {
            self.error = Some(e);
            event_loop.exit();
        }
    }

    fn user_event(&mut self, _event_loop: &ActiveEventLoop, _event: ()) {
        // The payload is nothing: the channels hold the news.
        self.pump();
    }

    fn window_event(&mut self, event_loop: &ActiveEventLoop, _id: WindowId, event: WindowEvent) {
        let rotation = self.config.window.rotation;
        let physical = self.window.as_ref().map_or(DVec2::ONE, |w| {
            let s = w.inner_size();
            DVec2::new(f64::from(s.width), f64::from(s.height))
        });
        let mouse = self.kiosk.mouse();
        let upright = |p| rotation.to_logical(p, physical);
        if let Some(input) = self.input.convert(&event, mouse, upright) {
            self.handle(event_loop, input);
        }
    }

    fn about_to_wait(&mut self, event_loop: &ActiveEventLoop) {
        self.pump();
        let kiosk = &self.kiosk;
        self.notifier.tick(|| kiosk.status_line());
        if self
            .first_frame
            .as_mut()
            .is_some_and(|f| f.overdue(std::time::Instant::now()))
        {
            self.first_frame_overdue();
        }
        debug_stall();
        let now = self.kiosk.now();
        if self.opts.exit_after.is_some_and(|end| now >= end) {
            event_loop.exit();
            return;
        }
        let screenshot_ready = screenshot_due(&self.kiosk, &self.opts);
        if (self.kiosk.needs_redraw(now) || screenshot_ready)
            && let Some(w) = &self.window
        {
            w.request_redraw();
        }
        let budget = sleep_budget(&self.kiosk, &self.opts, true);
        event_loop.set_control_flow(match (budget, self.notifier.deadline()) {
            (Some(b), Some(d)) => ControlFlow::WaitUntil(Instant::now() + b.min(d)),
            (Some(d), None) | (None, Some(d)) => ControlFlow::WaitUntil(Instant::now() + d),
            (None, None) => ControlFlow::Wait,
        });
    }
}
