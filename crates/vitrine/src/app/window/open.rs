//! Opening the window: on the configured monitor, full screen without decorations, the cursor hidden; and its surface and renderer, made again after a lost device.

use std::sync::Arc;

use winit::dpi::PhysicalSize;
use winit::event_loop::ActiveEventLoop;
use winit::monitor::MonitorHandle;
use winit::window::{Fullscreen, Window};

use super::WindowApp;
use crate::app::first_frame::FirstFrame;
use crate::app::options::AppError;
use crate::render::{Gpu, Renderer, WindowSurface};

impl WindowApp {
    pub(super) fn fullscreen(&self) -> bool {
        self.config.window.fullscreen && !self.opts.windowed
    }

    /// The configured monitor: by index or name, else the primary one.
    pub(super) fn monitor(&self, event_loop: &ActiveEventLoop) -> Option<MonitorHandle> {
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

    pub(super) fn open(&mut self, event_loop: &ActiveEventLoop) -> Result<(), AppError> {
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
        if let Some(switch) = crate::app::power::choose(&self.config.display) {
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
    pub(super) fn create_renderer(&mut self) -> Result<(), AppError> {
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
}
