//! The window loop (winit 0.30): a fullscreen or windowed surface, input, and frames drawn on demand.

use std::sync::Arc;
use std::time::Instant;

use glam::DVec2;
use winit::application::ApplicationHandler;
use winit::dpi::PhysicalSize;
use winit::event::WindowEvent;
use winit::event_loop::{ActiveEventLoop, ControlFlow, EventLoop, EventLoopProxy};
use winit::monitor::MonitorHandle;
use winit::window::{Fullscreen, Window, WindowId};

use super::first_frame::{FirstFrame, FirstFrameRecord};
use super::input::{Input, InputMap};
use super::kiosk::Kiosk;
use super::notify::{Notifier, debug_stall};
use super::options::{AppError, RunOptions, RunSummary};
use super::pacing::{screenshot_due, sleep_budget};
use super::remote::RemoteLink;
use super::startup::{render_options, start_content};
use crate::config::Config;
use crate::render::{Acquired, Gpu, RenderOptions, Renderer, WindowSurface};
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
    }

    fn fullscreen(&self) -> bool {
        self.config.window.fullscreen && !self.opts.windowed
    }

    /// The configured monitor: by index or name, else the primary one.
    fn monitor(&self, event_loop: &ActiveEventLoop) -> Option<MonitorHandle> {
        let wanted = self.config.window.monitor.trim();
        if !wanted.is_empty() {
            let found = match wanted.parse::<usize>() {
                Ok(i) => event_loop.available_monitors().nth(i),
                Err(_) => event_loop
                    .available_monitors()
                    .find(|m| m.name().is_some_and(|n| n == wanted)),
            };
            if found.is_some() {
                return found;
            }
            tracing::warn!(monitor = wanted, "no such monitor; using the primary one");
        }
        event_loop
            .primary_monitor()
            .or_else(|| event_loop.available_monitors().next())
    }

    fn open(&mut self, event_loop: &ActiveEventLoop) -> Result<(), AppError> {
        let size = self
            .opts
            .size
            .unwrap_or((self.config.window.size[0], self.config.window.size[1]));
        let mut attrs = Window::default_attributes()
            .with_title("vitrine")
            .with_inner_size(PhysicalSize::new(size.0, size.1));
        if self.fullscreen() {
            // No decorations: a kiosk compositor such as cage maximizes the
            // window rather than making it full screen, and with them winit
            // drew its own frame inside the output (cage -s: 1272 × 688 of
            // 1280 × 720, a line down the right and a band below).
            attrs = attrs
                .with_fullscreen(Some(Fullscreen::Borderless(self.monitor(event_loop))))
                .with_decorations(false);
        }
        let window = Arc::new(
            event_loop
                .create_window(attrs)
                .map_err(|e| AppError::Window(e.to_string()))?,
        );
        if self.fullscreen() && self.config.window.hide_cursor {
            window.set_cursor_visible(false);
        }
        let inner = window.inner_size();
        let rotation = self.config.window.rotation;
        self.kiosk
            .resize(rotation.logical_size((inner.width, inner.height)));
        self.window = Some(window);
        self.first_frame = Some(FirstFrame::new(std::time::Instant::now()));
        if let Some(switch) = super::power::choose(&self.config.display) {
            self.kiosk.set_power_switch(switch);
        }
        self.create_renderer()?;
        if let Some(r) = &self.renderer {
            tracing::info!(
                adapter = %r.gpu().adapter_name(),
                width = inner.width,
                height = inner.height,
                rotation = rotation.degrees(),
                fullscreen = self.fullscreen(),
                "window open"
            );
        }
        Ok(())
    }

    /// Creates (or re-creates, after a lost device or surface) the surface
    /// and the renderer for the window.
    fn create_renderer(&mut self) -> Result<(), AppError> {
        let Some(window) = self.window.clone() else {
            return Ok(());
        };
        if let Some(old) = self.renderer.take() {
            self.frames_before += old.frames();
        }
        self.surface = None;
        let raw = self
            .instance
            .create_surface(window.clone())
            .map_err(|e| AppError::Window(e.to_string()))?;
        let gpu = Gpu::new(self.instance.clone(), Some(&raw))?;
        let inner = window.inner_size();
        let surface = WindowSurface::new(raw, &gpu, (inner.width, inner.height))?;
        self.renderer = Some(Renderer::new(gpu, surface.format(), &self.options));
        self.surface = Some(surface);
        window.request_redraw();
        Ok(())
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
