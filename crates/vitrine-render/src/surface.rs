//! The window surface: configuration, resizing, and acquiring frames through `Outdated` and `Lost`.

use super::error::RenderError;
use super::gpu::Gpu;

/// A configured surface for a window. It knows nothing of the window system:
/// the app creates the `wgpu::Surface` from its window.
pub struct WindowSurface {
    surface: wgpu::Surface<'static>,
    config: wgpu::SurfaceConfiguration,
}

/// What acquiring a frame gave.
pub enum Acquired {
    /// A frame to render into and present.
    Frame(wgpu::SurfaceTexture),
    /// No frame now (timeout, occluded window); try again on the next redraw.
    Skip,
    /// The surface is gone; the app must create it again from its window.
    Recreate,
}

impl WindowSurface {
    /// Configures `surface` for `gpu` at `size`, preferring an sRGB format so
    /// blending happens in linear light.
    pub fn new(
        surface: wgpu::Surface<'static>,
        gpu: &Gpu,
        size: (u32, u32),
    ) -> Result<Self, RenderError> {
        let caps = surface.get_capabilities(&gpu.adapter);
        let format = caps
            .formats
            .iter()
            .copied()
            .find(|f| f.is_srgb())
            .or_else(|| caps.formats.first().copied())
            .ok_or_else(|| {
                RenderError::Surface("the adapter cannot present to this window".into())
            })?;
        let mut config = surface
            .get_default_config(&gpu.adapter, size.0.max(1), size.1.max(1))
            .ok_or_else(|| {
                RenderError::Surface("the adapter cannot present to this window".into())
            })?;
        config.format = format;
        config.present_mode = wgpu::PresentMode::AutoVsync;
        config.alpha_mode = caps
            .alpha_modes
            .iter()
            .copied()
            .find(|m| *m == wgpu::CompositeAlphaMode::Opaque)
            .unwrap_or(config.alpha_mode);
        surface.configure(&gpu.device, &config);
        tracing::debug!(
            ?format,
            width = size.0,
            height = size.1,
            "surface configured"
        );
        Ok(Self { surface, config })
    }

    pub fn format(&self) -> wgpu::TextureFormat {
        self.config.format
    }

    pub fn size(&self) -> (u32, u32) {
        (self.config.width, self.config.height)
    }

    /// Reconfigures for a new window size. A zero size (minimised) is ignored.
    pub fn resize(&mut self, device: &wgpu::Device, size: (u32, u32)) {
        if size.0 == 0 || size.1 == 0 || size == self.size() {
            return;
        }
        self.config.width = size.0;
        self.config.height = size.1;
        self.surface.configure(device, &self.config);
    }

    /// The next frame. `Outdated` and `Suboptimal` reconfigure and carry on.
    pub fn acquire(&mut self, device: &wgpu::Device) -> Acquired {
        for _ in 0..2 {
            match self.surface.get_current_texture() {
                wgpu::CurrentSurfaceTexture::Success(frame) => return Acquired::Frame(frame),
                wgpu::CurrentSurfaceTexture::Suboptimal(frame) => {
                    // Present this one; the next acquire uses the new configuration.
                    self.surface.configure(device, &self.config);
                    return Acquired::Frame(frame);
                }
                wgpu::CurrentSurfaceTexture::Outdated => {
                    tracing::debug!("surface outdated; reconfiguring");
                    self.surface.configure(device, &self.config);
                }
                wgpu::CurrentSurfaceTexture::Lost => {
                    tracing::warn!("surface lost; it will be re-created");
                    return Acquired::Recreate;
                }
                wgpu::CurrentSurfaceTexture::Timeout
                | wgpu::CurrentSurfaceTexture::Occluded
                | wgpu::CurrentSurfaceTexture::Validation => return Acquired::Skip,
            }
        }
        Acquired::Skip
    }
}
