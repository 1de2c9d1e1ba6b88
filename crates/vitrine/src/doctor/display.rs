//! The display and the GPU: which window system there is, its outputs and their modes (as winit sees them), and the adapter wgpu picks.

use winit::application::ApplicationHandler;
use winit::event::WindowEvent;
use winit::event_loop::{ActiveEventLoop, EventLoop};
use winit::window::WindowId;

use super::report::Check;
use crate::render::Gpu;

/// The most mode sizes listed per output.
const MODES_SHOWN: usize = 4;

/// Lists the outputs once the event loop is up, then leaves.
#[derive(Default)]
struct Outputs {
    lines: Vec<String>,
}

impl ApplicationHandler for Outputs {
    fn resumed(&mut self, event_loop: &ActiveEventLoop) {
        for m in event_loop.available_monitors() {
            let size = m.size();
            let hz = m.refresh_rate_millihertz().map_or(String::new(), |mhz| {
                format!(" @ {:.0} Hz", f64::from(mhz) / 1000.0)
            });
            let mut sizes: Vec<(u32, u32)> = m
                .video_modes()
                .map(|v| (v.size().width, v.size().height))
                .collect();
            sizes.sort_unstable_by(|a, b| b.cmp(a));
            sizes.dedup();
            let shown: Vec<String> = sizes
                .iter()
                .take(MODES_SHOWN)
                .map(|(w, h)| format!("{w}x{h}"))
                .collect();
            let more = sizes.len().saturating_sub(MODES_SHOWN);
            self.lines.push(format!(
                "{}: {}x{}{hz}; modes {}{}",
                m.name().unwrap_or_else(|| "output".into()),
                size.width,
                size.height,
                if shown.is_empty() {
                    "unknown".into()
                } else {
                    shown.join(", ")
                },
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            ));
        }
        event_loop.exit();
    }

    fn window_event(&mut self, _: &ActiveEventLoop, _: WindowId, _: WindowEvent) {}
}

/// The window system and its outputs. Without one the kiosk can only run
/// `--headless`, which is fine when `headless` is what was asked about.
pub fn display(headless: bool) -> Check {
    let wayland = std::env::var_os("WAYLAND_DISPLAY").filter(|v| !v.is_empty());
    let x11 = std::env::var_os("DISPLAY").filter(|v| !v.is_empty());
    let system = match (&wayland, &x11) {
        (Some(w), _) => format!("Wayland {}", w.to_string_lossy()),
        (None, Some(d)) => format!("X11 {}", d.to_string_lossy()),
        (None, None) if headless => {
            return Check::ok("display", "none: --headless needs none");
        }
        (None, None) => {
            return Check::missing(
                "display",
                "none: neither WAYLAND_DISPLAY nor DISPLAY is set",
                "run vitrine in a graphical session: the vitrine-cage unit (cage on tty1) or the \
                 vitrine-x11 user unit; `vitrine --headless` needs no display",
            );
        }
    };
    let event_loop = match EventLoop::new() {
        Ok(l) => l,
        Err(e) => {
            return Check::missing(
                "display",
                format!("{system}: cannot connect: {e}"),
                "check that the display server runs and that this user may use it \
                 (XAUTHORITY, or `xhost +SI:localuser:vitrine`)",
            );
        }
    };
    let mut outputs = Outputs::default();
    if let Err(e) = event_loop.run_app(&mut outputs) {
        return Check::missing(
            "display",
            format!("{system}: {e}"),
            "check the display server",
        );
    }
    if outputs.lines.is_empty() {
        return Check::warn(
            "display",
            format!("{system}: no outputs reported"),
            "connect the screen, or check the compositor",
        );
    }
    Check::ok("display", format!("{system}\n{}", outputs.lines.join("\n")))
}

/// The adapter the renderer would use, and whether it is software.
pub fn gpu() -> Check {
    match Gpu::headless() {
        Ok(g) if g.is_software() => Check::warn(
            "gpu",
            format!("{}: software rendering", g.adapter_name()),
            "fine for tests and previews; a busy 1080p screen wants a GPU with a Vulkan driver \
             (mesa-vulkan-drivers covers Intel, AMD and more)",
        ),
        Ok(g) => Check::ok("gpu", g.adapter_name()),
        Err(e) => Check::missing(
            "gpu",
            e.to_string(),
            "apt-get install mesa-vulkan-drivers libvulkan1 libegl1 (lavapipe runs without a GPU)",
        ),
    }
}
