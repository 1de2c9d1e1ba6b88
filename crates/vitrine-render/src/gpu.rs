//! The GPU connection: instance, adapter, device and queue, for a window surface or offscreen.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::error::RenderError;

/// An open device and what it was opened on.
pub struct Gpu {
    pub instance: wgpu::Instance,
    pub adapter: wgpu::Adapter,
    pub device: wgpu::Device,
    pub queue: wgpu::Queue,
    lost: Arc<AtomicBool>,
}

/// A wgpu instance. Pass the windowing system's display handle when a window
/// will be shown (GLES needs it, especially on Wayland); `None` offscreen.
pub fn instance(display: Option<Box<dyn wgpu::wgt::WgpuHasDisplayHandle>>) -> wgpu::Instance {
    let desc = match display {
        Some(d) => wgpu::InstanceDescriptor::new_with_display_handle_from_env(d),
        None => wgpu::InstanceDescriptor::new_without_display_handle_from_env(),
    };
    wgpu::Instance::new(desc)
}

impl Gpu {
    /// Opens a device on the best adapter, one that can present to `surface`
    /// when given. Validation errors and device loss are logged, never
    /// panicked on; [`Gpu::is_lost`] reports the latter.
    pub fn new(
        instance: wgpu::Instance,
        surface: Option<&wgpu::Surface<'_>>,
    ) -> Result<Gpu, RenderError> {
        let adapter = pollster::block_on(instance.request_adapter(&wgpu::RequestAdapterOptions {
            power_preference: wgpu::PowerPreference::HighPerformance,
            force_fallback_adapter: false,
            compatible_surface: surface,
            apply_limit_buckets: false,
        }))
        .map_err(|e| RenderError::NoAdapter(e.to_string()))?;
        let info = adapter.get_info();
        tracing::info!(
            adapter = %info.name,
            backend = ?info.backend,
            kind = ?info.device_type,
            driver = %info.driver,
            "GPU adapter"
        );
        let (device, queue) = pollster::block_on(adapter.request_device(&wgpu::DeviceDescriptor {
            label: Some("vitrine.device"),
            required_features: wgpu::Features::empty(),
            // The adapter's own limits: the largest textures it can take.
            required_limits: adapter.limits(),
            // A kiosk holds a few dozen large textures for months, and
            // replaces them often. With the default hint (128-256 MiB
            // sub-allocation blocks) a freed texture's memory stays committed
            // inside a block that still holds a neighbour, so the footprint
            // creeps towards the block size; on lavapipe that memory is the
            // process's own RAM. Small blocks are freed as a whole far sooner.
            memory_hints: wgpu::MemoryHints::MemoryUsage,
            ..Default::default()
        }))
        .map_err(|e| RenderError::Device(e.to_string()))?;
        let lost = Arc::new(AtomicBool::new(false));
        let flag = lost.clone();
        device.set_device_lost_callback(move |reason, message| {
            tracing::error!(?reason, %message, "GPU device lost; the renderer will be re-created");
            flag.store(true, Ordering::SeqCst);
        });
        device.on_uncaptured_error(Arc::new(|error: wgpu::Error| {
            tracing::error!(%error, "GPU error");
        }));
        Ok(Gpu {
            instance,
            adapter,
            device,
            queue,
            lost,
        })
    }

    /// Opens a device for offscreen rendering.
    pub fn headless() -> Result<Gpu, RenderError> {
        Gpu::new(instance(None), None)
    }

    /// Whether the device was lost; a lost device must be re-created.
    pub fn is_lost(&self) -> bool {
        self.lost.load(Ordering::SeqCst)
    }

    /// A one-line description of the adapter, for logs and reports.
    pub fn adapter_name(&self) -> String {
        let info = self.adapter.get_info();
        format!("{} ({:?}, {:?})", info.name, info.backend, info.device_type)
    }

    /// Whether the adapter is a software rasterizer (lavapipe, llvmpipe).
    pub fn is_software(&self) -> bool {
        self.adapter.get_info().device_type == wgpu::DeviceType::Cpu
    }

    /// The largest texture side the device takes.
    pub fn max_texture_side(&self) -> u32 {
        self.device.limits().max_texture_dimension_2d
    }
}
