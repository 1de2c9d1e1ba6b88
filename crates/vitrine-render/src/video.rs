//! Video frame textures: each stream's planes uploaded into textures it reuses, converted to RGB by `shaders/yuv.wgsl`.

use std::collections::HashMap;

use vitrine_pixels::{ColorMatrix, PlanarFrame, PlaneLayout};
use vitrine_scene::ContentKey;

use super::error::RenderError;
use super::textures::{sampler_binding, texture_binding};

/// The planes and parameters of one stream, reused frame after frame.
struct VideoEntry {
    layout: PlaneLayout,
    size: (u32, u32),
    matrix: ColorMatrix,
    full_range: bool,
    planes: Vec<wgpu::Texture>,
    _params: wgpu::Texture,
    bind_group: wgpu::BindGroup,
}

/// Video textures by content key.
pub struct VideoCache {
    pub layout: wgpu::BindGroupLayout,
    sampler: wgpu::Sampler,
    entries: HashMap<ContentKey, VideoEntry>,
}

impl VideoCache {
    pub fn new(device: &wgpu::Device) -> Self {
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("vitrine.video.layout"),
            entries: &[
                texture_binding(0, true),
                texture_binding(1, true),
                texture_binding(2, true),
                sampler_binding(3),
                // The conversion parameters, read with textureLoad.
                texture_binding(4, false),
            ],
        });
        let sampler = device.create_sampler(&wgpu::SamplerDescriptor {
            label: Some("vitrine.video.sampler"),
            address_mode_u: wgpu::AddressMode::ClampToEdge,
            address_mode_v: wgpu::AddressMode::ClampToEdge,
            mag_filter: wgpu::FilterMode::Linear,
            min_filter: wgpu::FilterMode::Linear,
            ..Default::default()
        });
        Self {
            layout,
            sampler,
            entries: HashMap::new(),
        }
    }

    /// How many streams have textures.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn contains(&self, key: ContentKey) -> bool {
        self.entries.contains_key(&key)
    }

    pub fn bind_group(&self, key: ContentKey) -> Option<&wgpu::BindGroup> {
        self.entries.get(&key).map(|e| &e.bind_group)
    }

    pub fn forget(&mut self, key: ContentKey) {
        self.entries.remove(&key);
    }

    /// Writes a frame's planes into the stream's textures, creating them
    /// when the stream is new or its format or size changed.
    pub fn upload(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        key: ContentKey,
        frame: &PlanarFrame<'_>,
    ) -> Result<(), RenderError> {
        if !frame.is_consistent() {
            return Err(RenderError::Frame(format!(
                "{:?} frame {}x{} with {} planes does not hold its own size",
                frame.layout,
                frame.width,
                frame.height,
                frame.planes.len()
            )));
        }
        let max = device.limits().max_texture_dimension_2d;
        if frame.width > max || frame.height > max {
            return Err(RenderError::Frame(format!(
                "a {}x{} frame exceeds the GPU's {max}-pixel texture limit",
                frame.width, frame.height
            )));
        }
        let reuse = self.entries.get(&key).is_some_and(|e| {
            e.layout == frame.layout
                && e.size == (frame.width, frame.height)
                && e.matrix == frame.matrix
                && e.full_range == frame.full_range
        });
        if !reuse {
            let entry = self.create(device, queue, frame);
            self.entries.insert(key, entry);
        }
        let Some(entry) = self.entries.get(&key) else {
            return Ok(());
        };
        for (i, (plane, texture)) in frame.planes.iter().zip(&entry.planes).enumerate() {
            let (w, h) = frame.plane_size(i);
            queue.write_texture(
                wgpu::TexelCopyTextureInfo {
                    texture,
                    mip_level: 0,
                    origin: wgpu::Origin3d::ZERO,
                    aspect: wgpu::TextureAspect::All,
                },
                plane.data,
                wgpu::TexelCopyBufferLayout {
                    offset: 0,
                    bytes_per_row: Some(plane.stride),
                    rows_per_image: Some(h),
                },
                wgpu::Extent3d {
                    width: w,
                    height: h,
                    depth_or_array_layers: 1,
                },
            );
        }
        Ok(())
    }

    fn create(
        &self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        frame: &PlanarFrame<'_>,
    ) -> VideoEntry {
        let planes: Vec<wgpu::Texture> = (0..frame.planes.len())
            .map(|i| {
                let (width, height) = frame.plane_size(i);
                let format = match (frame.layout, i) {
                    (PlaneLayout::Rgba, _) => wgpu::TextureFormat::Rgba8Unorm,
                    (PlaneLayout::Nv12, 1) => wgpu::TextureFormat::Rg8Unorm,
                    _ => wgpu::TextureFormat::R8Unorm,
                };
                device.create_texture(&wgpu::TextureDescriptor {
                    label: Some("vitrine.video.plane"),
                    size: wgpu::Extent3d {
                        width,
                        height,
                        depth_or_array_layers: 1,
                    },
                    mip_level_count: 1,
                    sample_count: 1,
                    dimension: wgpu::TextureDimension::D2,
                    format,
                    usage: wgpu::TextureUsages::TEXTURE_BINDING | wgpu::TextureUsages::COPY_DST,
                    view_formats: &[],
                })
            })
            .collect();
        // NV12 reads U and V from one plane; RGBA reads everything from one.
        // Each binding gets a view of its own.
        let view = |i: usize| planes[i].create_view(&wgpu::TextureViewDescriptor::default());
        let (y, u, v) = match frame.layout {
            PlaneLayout::I420 => (view(0), view(1), view(2)),
            PlaneLayout::Nv12 => (view(0), view(1), view(1)),
            PlaneLayout::Rgba => (view(0), view(0), view(0)),
        };
        // The conversion parameters travel as a 4x1 float texture; see
        // yuv.wgsl for why not as a uniform buffer.
        let params = device.create_texture(&wgpu::TextureDescriptor {
            label: Some("vitrine.video.params"),
            size: wgpu::Extent3d {
                width: 4,
                height: 1,
                depth_or_array_layers: 1,
            },
            mip_level_count: 1,
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            format: wgpu::TextureFormat::Rgba32Float,
            usage: wgpu::TextureUsages::TEXTURE_BINDING | wgpu::TextureUsages::COPY_DST,
            view_formats: &[],
        });
        let values = conversion(frame.matrix, frame.full_range, frame.layout);
        queue.write_texture(
            wgpu::TexelCopyTextureInfo {
                texture: &params,
                mip_level: 0,
                origin: wgpu::Origin3d::ZERO,
                aspect: wgpu::TextureAspect::All,
            },
            bytemuck::cast_slice(&values),
            wgpu::TexelCopyBufferLayout {
                offset: 0,
                bytes_per_row: Some(64),
                rows_per_image: Some(1),
            },
            wgpu::Extent3d {
                width: 4,
                height: 1,
                depth_or_array_layers: 1,
            },
        );
        let params_view = params.create_view(&wgpu::TextureViewDescriptor::default());
        let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("vitrine.video.bind_group"),
            layout: &self.layout,
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: wgpu::BindingResource::TextureView(&y),
                },
                wgpu::BindGroupEntry {
                    binding: 1,
                    resource: wgpu::BindingResource::TextureView(&u),
                },
                wgpu::BindGroupEntry {
                    binding: 2,
                    resource: wgpu::BindingResource::TextureView(&v),
                },
                wgpu::BindGroupEntry {
                    binding: 3,
                    resource: wgpu::BindingResource::Sampler(&self.sampler),
                },
                wgpu::BindGroupEntry {
                    binding: 4,
                    resource: wgpu::BindingResource::TextureView(&params_view),
                },
            ],
        });
        VideoEntry {
            layout: frame.layout,
            size: (frame.width, frame.height),
            matrix: frame.matrix,
            full_range: frame.full_range,
            planes,
            _params: params,
            bind_group,
        }
    }
}

/// The rows that turn sampled code values (y, u, v, 1) into R'G'B', with the
/// stream's matrix and range folded in, plus the layout code.
pub fn conversion(matrix: ColorMatrix, full_range: bool, layout: PlaneLayout) -> [f32; 16] {
    let (kr, kb) = match matrix {
        ColorMatrix::Bt601 => (0.299, 0.114),
        ColorMatrix::Bt709 => (0.2126, 0.0722),
        ColorMatrix::Bt2020 => (0.2627, 0.0593),
    };
    let kg = 1.0 - kr - kb;
    let (y_scale, y_offset, c_scale) = if full_range {
        (1.0, 0.0, 1.0)
    } else {
        (255.0 / 219.0, 16.0 / 255.0, 255.0 / 224.0)
    };
    let c_offset = 128.0 / 255.0;
    // R' = Y + a·V, G' = Y − b·U − c·V, B' = Y + d·U, with Y, U and V
    // already range-expanded and centred.
    let a = 2.0 * (1.0 - kr);
    let b = 2.0 * kb * (1.0 - kb) / kg;
    let c = 2.0 * kr * (1.0 - kr) / kg;
    let d = 2.0 * (1.0 - kb);
    let y0 = -y_offset * y_scale;
    let row = |cu: f64, cv: f64| {
        [
            y_scale as f32,
            (cu * c_scale) as f32,
            (cv * c_scale) as f32,
            (y0 - (cu + cv) * c_scale * c_offset) as f32,
        ]
    };
    let r = row(0.0, a);
    let g = row(-b, -c);
    let bl = row(d, 0.0);
    let code = match layout {
        PlaneLayout::Nv12 => 0.0,
        PlaneLayout::I420 => 1.0,
        PlaneLayout::Rgba => 2.0,
    };
    [
        r[0], r[1], r[2], r[3], g[0], g[1], g[2], g[3], bl[0], bl[1], bl[2], bl[3], code, 0.0, 0.0,
        0.0,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(m: &[f32; 16], y: u8, u: u8, v: u8) -> [f64; 3] {
        let s = [
            f64::from(y) / 255.0,
            f64::from(u) / 255.0,
            f64::from(v) / 255.0,
            1.0,
        ];
        let dot = |r: &[f32]| r.iter().zip(s).map(|(a, b)| f64::from(*a) * b).sum::<f64>() * 255.0;
        [dot(&m[0..4]), dot(&m[4..8]), dot(&m[8..12])]
    }

    #[test]
    fn limited_range_bt601_reference_colours() {
        let m = conversion(ColorMatrix::Bt601, false, PlaneLayout::I420);
        let close =
            |got: [f64; 3], want: [f64; 3]| got.iter().zip(want).all(|(g, w)| (g - w).abs() < 2.5);
        assert!(close(apply(&m, 235, 128, 128), [255.0, 255.0, 255.0]));
        assert!(close(apply(&m, 16, 128, 128), [0.0, 0.0, 0.0]));
        assert!(
            close(apply(&m, 81, 90, 240), [255.0, 0.0, 0.0]),
            "{:?}",
            apply(&m, 81, 90, 240)
        );
        assert!(
            close(apply(&m, 145, 54, 34), [0.0, 255.0, 0.0]),
            "{:?}",
            apply(&m, 145, 54, 34)
        );
        assert!(
            close(apply(&m, 41, 240, 110), [0.0, 0.0, 255.0]),
            "{:?}",
            apply(&m, 41, 240, 110)
        );
    }

    #[test]
    fn full_range_grey_is_identity() {
        let m = conversion(ColorMatrix::Bt709, true, PlaneLayout::Nv12);
        let got = apply(&m, 100, 128, 128);
        assert!(got.iter().all(|c| (c - 100.0).abs() < 0.6), "{got:?}");
        assert_eq!(m[12], 0.0);
    }
}
