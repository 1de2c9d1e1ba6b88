//! The wgpu renderer: draws a scene's draw list to any texture view, a window surface or an offscreen target.
//!
//! It knows wgpu and the draw list, and nothing of windows or media. The
//! window and headless paths share every line of drawing code.

mod color;
mod error;
mod gpu;
mod quad;
pub mod readback;
mod surface;
mod textures;
mod video;

use glam::Vec2;

use vitrine_pixels::{PlanarFrame, Rgba8Image};
use vitrine_scene::{ContentKey, DrawItem, DrawList, Rgba};

pub use color::{linear_premultiplied, srgb_to_linear};
pub use error::RenderError;
pub use gpu::{Gpu, instance};
pub use quad::QuadInstance;
pub use readback::Offscreen;
pub use surface::{Acquired, WindowSurface};
pub use textures::{TextureCache, premultiply};
pub use video::conversion;

use quad::{KIND_MARKER, KIND_SOLID, KIND_TEXTURE, PipelineKind, QuadPipeline, Run};
use video::VideoCache;

/// The look of things the scene does not describe.
#[derive(Clone, Debug)]
pub struct RenderOptions {
    /// The colour behind all widgets.
    pub background: Rgba,
    /// A custom play overlay drawn instead of the built-in shape.
    pub overlay_image: Option<Rgba8Image>,
}

impl Default for RenderOptions {
    fn default() -> Self {
        Self {
            background: Rgba([0.08, 0.08, 0.09, 1.0]),
            overlay_image: None,
        }
    }
}

/// Which texture an instance samples.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tex {
    White,
    Content(ContentKey),
    Video(ContentKey),
    Overlay,
}

/// Draw lists to pixels. Pipelines are created once; textures are uploaded
/// once per content key.
pub struct Renderer {
    gpu: Gpu,
    format: wgpu::TextureFormat,
    quad: QuadPipeline,
    textures: TextureCache,
    videos: VideoCache,
    /// A custom overlay image is cached under `OVERLAY_KEY`.
    custom_overlay: bool,
    background: wgpu::Color,
    instances: Vec<QuadInstance>,
    refs: Vec<Tex>,
    offscreen: Option<Offscreen>,
    frames: u64,
}

/// The offscreen format when no window decides it.
pub const OFFSCREEN_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Rgba8UnormSrgb;

/// The texture key of a custom play overlay; content keys never reach it.
const OVERLAY_KEY: ContentKey = ContentKey(u64::MAX);

/// A placeholder for content whose texture is not there yet: dark grey.
const PLACEHOLDER: Rgba = Rgba([0.22, 0.22, 0.24, 1.0]);

impl Renderer {
    /// A renderer drawing into targets of `format`.
    pub fn new(gpu: Gpu, format: wgpu::TextureFormat, options: &RenderOptions) -> Self {
        let mut textures = TextureCache::new(&gpu.device, &gpu.queue);
        let videos = VideoCache::new(&gpu.device);
        let quad = QuadPipeline::new(&gpu.device, format, &textures.layout, &videos.layout);
        if let Some(img) = &options.overlay_image {
            textures.upload(&gpu.device, &gpu.queue, OVERLAY_KEY, img, true);
        }
        let custom_overlay = options.overlay_image.is_some();
        let [r, g, b, a] = linear_premultiplied(options.background);
        Self {
            gpu,
            format,
            quad,
            textures,
            videos,
            custom_overlay,
            background: wgpu::Color {
                r: f64::from(r),
                g: f64::from(g),
                b: f64::from(b),
                a: f64::from(a),
            },
            instances: Vec::new(),
            refs: Vec::new(),
            offscreen: None,
            frames: 0,
        }
    }

    /// A renderer for offscreen work on its own device.
    pub fn headless(options: &RenderOptions) -> Result<Self, RenderError> {
        Ok(Self::new(Gpu::headless()?, OFFSCREEN_FORMAT, options))
    }

    pub fn gpu(&self) -> &Gpu {
        &self.gpu
    }

    pub fn format(&self) -> wgpu::TextureFormat {
        self.format
    }

    /// Frames rendered so far, captures included.
    pub fn frames(&self) -> u64 {
        self.frames
    }

    /// How many content textures are uploaded, images' and video streams':
    /// for leak tests.
    pub fn texture_count(&self) -> usize {
        self.textures.len() + self.videos.len()
    }

    /// Whether `key` has a texture (an image's or a video stream's).
    pub fn has_texture(&self, key: ContentKey) -> bool {
        self.textures.contains(key) || self.videos.contains(key)
    }

    /// Uploads a video frame under `key`, reusing the stream's textures. The
    /// planes are converted to RGB on the GPU when drawn.
    pub fn upload_frame(
        &mut self,
        key: ContentKey,
        frame: &PlanarFrame<'_>,
    ) -> Result<(), RenderError> {
        self.videos
            .upload(&self.gpu.device, &self.gpu.queue, key, frame)
    }

    /// Uploads an image under `key`, premultiplied, mipmapped and
    /// downscaled to the device limit if needed.
    pub fn upload(&mut self, key: ContentKey, image: &Rgba8Image) {
        self.textures
            .upload(&self.gpu.device, &self.gpu.queue, key, image, true);
    }

    /// Uploads a page painted at the scale it shows at: no mip chain.
    pub fn upload_page(&mut self, key: ContentKey, image: &Rgba8Image) {
        self.textures
            .upload(&self.gpu.device, &self.gpu.queue, key, image, false);
    }

    /// Frees the texture of `key`.
    pub fn forget(&mut self, key: ContentKey) {
        self.textures.forget(key);
        self.videos.forget(key);
    }

    /// Draws `list` into `target`. The list's window size maps onto the whole
    /// target, whatever its pixel size.
    pub fn render(&mut self, list: &DrawList, target: &wgpu::TextureView) {
        self.render_turned(list, target, 0);
    }

    /// Draws `list` into `target` turned clockwise by `turns` quarter turns,
    /// for a panel mounted portrait or upside down: the list stays upright
    /// (its window size is the logical size) and the target is the panel's.
    pub fn render_turned(&mut self, list: &DrawList, target: &wgpu::TextureView, turns: u32) {
        self.build(list);
        let viewport = (list.window.x.max(1.0) as u32, list.window.y.max(1.0) as u32);
        self.quad.prepare(
            &self.gpu.device,
            &self.gpu.queue,
            viewport,
            turns,
            &self.instances,
        );
        let runs = self.runs();
        let mut encoder = self
            .gpu
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("vitrine.frame"),
            });
        {
            let mut pass = encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
                label: Some("vitrine.frame.pass"),
                color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                    view: target,
                    depth_slice: None,
                    resolve_target: None,
                    ops: wgpu::Operations {
                        load: wgpu::LoadOp::Clear(self.background),
                        store: wgpu::StoreOp::Store,
                    },
                })],
                depth_stencil_attachment: None,
                timestamp_writes: None,
                occlusion_query_set: None,
                multiview_mask: None,
            });
            self.quad.draw(&mut pass, &runs);
        }
        self.gpu.queue.submit([encoder.finish()]);
        self.frames += 1;
    }

    /// Draws `list` into the renderer's own offscreen target of `size`.
    pub fn render_offscreen(&mut self, list: &DrawList, size: (u32, u32)) {
        self.render_offscreen_turned(list, size, 0);
    }

    /// Draws `list` turned by `turns` clockwise quarter turns into the
    /// renderer's own offscreen target of `size` (the panel's size).
    fn render_offscreen_turned(&mut self, list: &DrawList, size: (u32, u32), turns: u32) {
        let size = (size.0.max(1), size.1.max(1));
        if self.offscreen.as_ref().is_none_or(|o| o.size != size) {
            self.offscreen = Some(Offscreen::new(&self.gpu.device, self.format, size));
        }
        if let Some(target) = self.offscreen.take() {
            self.render_turned(list, &target.view, turns);
            self.offscreen = Some(target);
        }
    }

    /// Draws `list` offscreen at `size` and reads the pixels back. This is the
    /// one capture path, for `--screenshot` and the remote `screenshot`.
    pub fn capture(
        &mut self,
        list: &DrawList,
        size: (u32, u32),
    ) -> Result<Rgba8Image, RenderError> {
        self.capture_turned(list, size, 0)
    }

    /// Captures what a panel of `size` turned by `turns` clockwise quarter
    /// turns shows: the picture as it leaves for the screen, not upright.
    pub fn capture_turned(
        &mut self,
        list: &DrawList,
        size: (u32, u32),
        turns: u32,
    ) -> Result<Rgba8Image, RenderError> {
        self.render_offscreen_turned(list, size, turns);
        let target = self
            .offscreen
            .as_ref()
            .ok_or_else(|| RenderError::Readback("no offscreen target".into()))?;
        readback::read(&self.gpu.device, &self.gpu.queue, target)
    }

    /// Waits until the GPU has finished all submitted work.
    pub fn wait_idle(&self) {
        if let Err(e) = self.gpu.device.poll(wgpu::PollType::wait_indefinitely()) {
            tracing::warn!(%e, "waiting for the GPU failed");
        }
    }

    /// Turns the draw list into instances and their textures.
    fn build(&mut self, list: &DrawList) {
        self.instances.clear();
        self.refs.clear();
        for item in &list.items {
            match *item {
                DrawItem::Widget(w) => {
                    let m = w.transform.matrix2;
                    let t = w.transform.translation;
                    let axes = [m.x_axis.x, m.x_axis.y, m.y_axis.x, m.y_axis.y];
                    let builtin_overlay = w.overlay && !self.custom_overlay;
                    let (kind, color, tex) = if self.textures.contains(w.content) {
                        (KIND_TEXTURE, [0.0; 4], Tex::Content(w.content))
                    } else if self.videos.contains(w.content) {
                        (KIND_TEXTURE, [0.0; 4], Tex::Video(w.content))
                    } else {
                        (KIND_SOLID, linear_premultiplied(PLACEHOLDER), Tex::White)
                    };
                    self.push(
                        QuadInstance {
                            axes,
                            origin_size: [t.x, t.y, w.size.x, w.size.y],
                            color,
                            params: [w.opacity, kind, f32::from(u8::from(builtin_overlay)), 0.0],
                        },
                        tex,
                    );
                    if w.overlay && self.custom_overlay {
                        // The custom overlay: a square centred on the widget,
                        // a third of its shorter side.
                        let side = 0.32 * w.size.min_element();
                        let corner = (w.size - Vec2::splat(side)) * 0.5;
                        let origin = w.transform.transform_point2(corner);
                        self.push(
                            QuadInstance {
                                axes,
                                origin_size: [origin.x, origin.y, side, side],
                                color: [0.0; 4],
                                params: [w.opacity, KIND_TEXTURE, 0.0, 0.0],
                            },
                            Tex::Overlay,
                        );
                    }
                }
                DrawItem::Backdrop(color) => self.push(
                    QuadInstance {
                        axes: [1.0, 0.0, 0.0, 1.0],
                        origin_size: [0.0, 0.0, list.window.x, list.window.y],
                        color: linear_premultiplied(color),
                        params: [1.0, KIND_SOLID, 0.0, 0.0],
                    },
                    Tex::White,
                ),
                DrawItem::Marker {
                    center,
                    radius,
                    color,
                } => self.push(
                    QuadInstance {
                        axes: [1.0, 0.0, 0.0, 1.0],
                        origin_size: [
                            center.x - radius,
                            center.y - radius,
                            2.0 * radius,
                            2.0 * radius,
                        ],
                        color: linear_premultiplied(color),
                        params: [1.0, KIND_MARKER, 0.0, 0.0],
                    },
                    Tex::White,
                ),
            }
        }
    }

    fn push(&mut self, instance: QuadInstance, tex: Tex) {
        self.instances.push(instance);
        self.refs.push(tex);
    }

    /// Consecutive instances that share a texture, with its pipeline and
    /// bind group.
    fn runs(&self) -> Vec<Run<'_>> {
        let white = &self.textures.white().bind_group;
        let mut runs = Vec::new();
        let mut start = 0usize;
        for i in 1..=self.refs.len() {
            if i == self.refs.len() || self.refs[i] != self.refs[start] {
                let (kind, group) = match self.refs[start] {
                    Tex::White => (PipelineKind::Quad, white),
                    Tex::Content(k) => (
                        PipelineKind::Quad,
                        self.textures.get(k).map_or(white, |t| &t.bind_group),
                    ),
                    Tex::Overlay => (
                        PipelineKind::Quad,
                        self.textures
                            .get(OVERLAY_KEY)
                            .map_or(white, |t| &t.bind_group),
                    ),
                    Tex::Video(k) => match self.videos.bind_group(k) {
                        Some(g) => (PipelineKind::Yuv, g),
                        None => (PipelineKind::Quad, white),
                    },
                };
                runs.push(Run {
                    instances: start as u32..i as u32,
                    kind,
                    group,
                });
                start = i;
            }
        }
        runs
    }
}
