//! The texture cache: uploads each content once, premultiplied, mipmapped and within the device's size limit.

use std::collections::HashMap;

use vitrine_pixels::Rgba8Image;
use vitrine_scene::ContentKey;

/// One uploaded texture and the bind group that samples it.
pub struct CachedTexture {
    pub bind_group: wgpu::BindGroup,
    pub width: u32,
    pub height: u32,
    // Kept alive for the bind group.
    _texture: wgpu::Texture,
}

/// Textures by content key, plus the shared layout and sampler.
pub struct TextureCache {
    pub layout: wgpu::BindGroupLayout,
    sampler: wgpu::Sampler,
    entries: HashMap<ContentKey, CachedTexture>,
    /// A 1×1 white texture for solid quads, which sample but ignore it.
    white: CachedTexture,
    max_side: u32,
}

impl TextureCache {
    pub fn new(device: &wgpu::Device, queue: &wgpu::Queue) -> Self {
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("vitrine.texture.layout"),
            entries: &[texture_binding(0, true), sampler_binding(1)],
        });
        let sampler = device.create_sampler(&wgpu::SamplerDescriptor {
            label: Some("vitrine.texture.sampler"),
            address_mode_u: wgpu::AddressMode::ClampToEdge,
            address_mode_v: wgpu::AddressMode::ClampToEdge,
            mag_filter: wgpu::FilterMode::Linear,
            min_filter: wgpu::FilterMode::Linear,
            mipmap_filter: wgpu::MipmapFilterMode::Linear,
            ..Default::default()
        });
        let max_side = device.limits().max_texture_dimension_2d;
        let white_image = Rgba8Image::filled(1, 1, [255; 4]);
        let white = create(
            device,
            queue,
            &layout,
            &sampler,
            &white_image,
            max_side,
            false,
        );
        Self {
            layout,
            sampler,
            entries: HashMap::new(),
            white,
            max_side,
        }
    }

    pub fn contains(&self, key: ContentKey) -> bool {
        self.entries.contains_key(&key)
    }

    pub fn get(&self, key: ContentKey) -> Option<&CachedTexture> {
        self.entries.get(&key)
    }

    pub fn white(&self) -> &CachedTexture {
        &self.white
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Uploads `image` under `key`, replacing what was there. With
    /// `mipmaps`, a mip chain is built for smooth minification; content that
    /// is re-painted at the scale it shows at (HTML pages) needs none.
    pub fn upload(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        key: ContentKey,
        image: &Rgba8Image,
        mipmaps: bool,
    ) {
        let t = create(
            device,
            queue,
            &self.layout,
            &self.sampler,
            image,
            self.max_side,
            mipmaps,
        );
        self.entries.insert(key, t);
    }

    /// Frees the texture of `key`.
    pub fn forget(&mut self, key: ContentKey) {
        self.entries.remove(&key);
    }
}

/// A fragment-stage 2D float texture at `binding`.
pub fn texture_binding(binding: u32, filterable: bool) -> wgpu::BindGroupLayoutEntry {
    wgpu::BindGroupLayoutEntry {
        binding,
        visibility: wgpu::ShaderStages::FRAGMENT,
        ty: wgpu::BindingType::Texture {
            sample_type: wgpu::TextureSampleType::Float { filterable },
            view_dimension: wgpu::TextureViewDimension::D2,
            multisampled: false,
        },
        count: None,
    }
}

/// A fragment-stage filtering sampler at `binding`.
pub fn sampler_binding(binding: u32) -> wgpu::BindGroupLayoutEntry {
    wgpu::BindGroupLayoutEntry {
        binding,
        visibility: wgpu::ShaderStages::FRAGMENT,
        ty: wgpu::BindingType::Sampler(wgpu::SamplerBindingType::Filtering),
        count: None,
    }
}

fn create(
    device: &wgpu::Device,
    queue: &wgpu::Queue,
    layout: &wgpu::BindGroupLayout,
    sampler: &wgpu::Sampler,
    image: &Rgba8Image,
    max_side: u32,
    mipmaps: bool,
) -> CachedTexture {
    let fitted = fit_within(image, max_side);
    let base = premultiply(&fitted);
    let mips: Vec<std::borrow::Cow<'_, Rgba8Image>> = if mipmaps {
        let base = base.into_owned();
        mip_chain(base)
            .into_iter()
            .map(std::borrow::Cow::Owned)
            .collect()
    } else {
        vec![base]
    };
    let (width, height) = (mips[0].width(), mips[0].height());
    let texture = device.create_texture(&wgpu::TextureDescriptor {
        label: Some("vitrine.texture"),
        size: wgpu::Extent3d {
            width,
            height,
            depth_or_array_layers: 1,
        },
        mip_level_count: mips.len() as u32,
        sample_count: 1,
        dimension: wgpu::TextureDimension::D2,
        format: wgpu::TextureFormat::Rgba8UnormSrgb,
        usage: wgpu::TextureUsages::TEXTURE_BINDING | wgpu::TextureUsages::COPY_DST,
        view_formats: &[],
    });
    for (level, mip) in mips.iter().enumerate() {
        queue.write_texture(
            wgpu::TexelCopyTextureInfo {
                texture: &texture,
                mip_level: level as u32,
                origin: wgpu::Origin3d::ZERO,
                aspect: wgpu::TextureAspect::All,
            },
            mip.pixels(),
            wgpu::TexelCopyBufferLayout {
                offset: 0,
                bytes_per_row: Some(mip.width() * 4),
                rows_per_image: Some(mip.height()),
            },
            wgpu::Extent3d {
                width: mip.width(),
                height: mip.height(),
                depth_or_array_layers: 1,
            },
        );
    }
    let view = texture.create_view(&wgpu::TextureViewDescriptor::default());
    let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
        label: Some("vitrine.texture.bind_group"),
        layout,
        entries: &[
            wgpu::BindGroupEntry {
                binding: 0,
                resource: wgpu::BindingResource::TextureView(&view),
            },
            wgpu::BindGroupEntry {
                binding: 1,
                resource: wgpu::BindingResource::Sampler(sampler),
            },
        ],
    });
    CachedTexture {
        bind_group,
        width,
        height,
        _texture: texture,
    }
}

/// Downscales an image that exceeds the device's largest texture side,
/// keeping its aspect ratio.
fn fit_within(image: &Rgba8Image, max_side: u32) -> std::borrow::Cow<'_, Rgba8Image> {
    let (w, h) = (image.width(), image.height());
    if w <= max_side && h <= max_side {
        return std::borrow::Cow::Borrowed(image);
    }
    let k = f64::from(max_side) / f64::from(w.max(h));
    let nw = ((f64::from(w) * k).round() as u32).clamp(1, max_side);
    let nh = ((f64::from(h) * k).round() as u32).clamp(1, max_side);
    tracing::info!(from = ?(w, h), to = ?(nw, nh), "image exceeds the GPU texture limit; downscaled");
    let resized = image::imageops::resize(
        &image.to_image(),
        nw,
        nh,
        image::imageops::FilterType::Triangle,
    );
    std::borrow::Cow::Owned(Rgba8Image::from_image(resized))
}

/// sRGB-encoded → linear, for each 8-bit value.
fn decode_table() -> [f32; 256] {
    let mut t = [0.0; 256];
    for (i, v) in t.iter_mut().enumerate() {
        *v = super::color::srgb_to_linear(i as f32 / 255.0);
    }
    t
}

fn encode(linear: f32) -> u8 {
    let c = if linear <= 0.003_130_8 {
        linear * 12.92
    } else {
        1.055 * linear.powf(1.0 / 2.4) - 0.055
    };
    (c * 255.0 + 0.5).clamp(0.0, 255.0) as u8
}

/// Premultiplies alpha in linear light and re-encodes as sRGB, so filtering
/// in the shader (after the sRGB view decodes) mixes premultiplied linear
/// values. An opaque image is returned as it is, without a copy.
pub fn premultiply(image: &Rgba8Image) -> std::borrow::Cow<'_, Rgba8Image> {
    if image.pixels().chunks_exact(4).all(|p| p[3] == 255) {
        return std::borrow::Cow::Borrowed(image);
    }
    let table = decode_table();
    let mut px = image.pixels().to_vec();
    for p in px.chunks_exact_mut(4) {
        match p[3] {
            255 => {}
            0 => p[..3].fill(0),
            a => {
                let a = f32::from(a) / 255.0;
                for c in &mut p[..3] {
                    *c = encode(table[*c as usize] * a);
                }
            }
        }
    }
    // Same dimensions as the input, so the length is right.
    std::borrow::Cow::Owned(
        Rgba8Image::new(image.width(), image.height(), px).unwrap_or_else(|_| image.clone()),
    )
}

/// The full mip chain by 2×2 box filtering, down to 1×1.
fn mip_chain(base: Rgba8Image) -> Vec<Rgba8Image> {
    let mut chain = vec![base];
    loop {
        let last = &chain[chain.len() - 1];
        if last.width() == 1 && last.height() == 1 {
            return chain;
        }
        let next = half(last);
        chain.push(next);
    }
}

fn half(src: &Rgba8Image) -> Rgba8Image {
    let (w, h) = (src.width() as usize, src.height() as usize);
    let (nw, nh) = ((w / 2).max(1), (h / 2).max(1));
    let px = src.pixels();
    let mut out = Vec::with_capacity(nw * nh * 4);
    for y in 0..nh {
        let (y0, y1) = ((2 * y).min(h - 1), (2 * y + 1).min(h - 1));
        for x in 0..nw {
            let (x0, x1) = ((2 * x).min(w - 1), (2 * x + 1).min(w - 1));
            let at = |xx: usize, yy: usize| (yy * w + xx) * 4;
            let (a, b, c, d) = (at(x0, y0), at(x1, y0), at(x0, y1), at(x1, y1));
            for i in 0..4 {
                let sum = u32::from(px[a + i])
                    + u32::from(px[b + i])
                    + u32::from(px[c + i])
                    + u32::from(px[d + i]);
                out.push(((sum + 2) / 4) as u8);
            }
        }
    }
    Rgba8Image::new(nw as u32, nh as u32, out)
        .unwrap_or_else(|_| Rgba8Image::filled(nw as u32, nh as u32, [0; 4]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn premultiply_keeps_opaque_and_clears_transparent() {
        let img = Rgba8Image::new(
            3,
            1,
            vec![10, 20, 30, 255, 200, 100, 50, 0, 255, 255, 255, 128],
        )
        .unwrap();
        let p = premultiply(&img);
        assert_eq!(p.pixel(0, 0), [10, 20, 30, 255]);
        assert_eq!(p.pixel(1, 0), [0, 0, 0, 0]);
        // White at half alpha is linear 0.5, which sRGB encodes as 188.
        let half = p.pixel(2, 0);
        assert!((i32::from(half[0]) - 188).abs() <= 1, "{half:?}");
        assert_eq!(half[3], 128);
    }

    #[test]
    fn mip_chain_ends_at_one_pixel() {
        let chain = mip_chain(Rgba8Image::filled(5, 3, [9, 9, 9, 255]));
        let sizes: Vec<_> = chain.iter().map(|m| (m.width(), m.height())).collect();
        assert_eq!(sizes, vec![(5, 3), (2, 1), (1, 1)]);
        assert_eq!(chain[2].pixel(0, 0), [9, 9, 9, 255]);
    }

    #[test]
    fn oversized_images_are_fitted() {
        let big = Rgba8Image::filled(400, 100, [1, 2, 3, 255]);
        let fitted = fit_within(&big, 128);
        assert_eq!((fitted.width(), fitted.height()), (128, 32));
    }
}
