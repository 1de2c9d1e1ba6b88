//! The instanced quad pipelines: one instance per widget, backdrop, overlay or marker; textures or video planes.

use bytemuck::{Pod, Zeroable};

/// Shader constants for `params[1]`; they match `shaders/quad.wgsl`.
pub const KIND_TEXTURE: f32 = 0.0;
pub const KIND_SOLID: f32 = 1.0;
pub const KIND_MARKER: f32 = 2.0;

/// One quad as the vertex shader reads it.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Pod, Zeroable)]
pub struct QuadInstance {
    /// The local → window matrix: x axis, then y axis.
    pub axes: [f32; 4],
    /// Translation, then size in local pixels.
    pub origin_size: [f32; 4],
    /// Premultiplied linear colour for solid quads and markers.
    pub color: [f32; 4],
    /// Opacity, kind, play overlay (0 or 1), unused.
    pub params: [f32; 4],
}

#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
struct Globals {
    viewport: [f32; 2],
    /// Clockwise quarter turns in `[0]`; `[1]` pads to 16 bytes.
    turns: [f32; 2],
}

/// Which pipeline draws a run of instances.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PipelineKind {
    /// RGBA textures, solid quads and markers (`quad.wgsl`).
    Quad,
    /// Video planes converted to RGB while drawing (`yuv.wgsl`).
    Yuv,
}

/// A run of consecutive instances drawn with one pipeline and one bind group.
pub struct Run<'a> {
    pub instances: std::ops::Range<u32>,
    pub kind: PipelineKind,
    pub group: &'a wgpu::BindGroup,
}

/// The pipelines and the buffers they draw from. Created once per renderer.
pub struct QuadPipeline {
    pipeline: wgpu::RenderPipeline,
    yuv: wgpu::RenderPipeline,
    globals: wgpu::Buffer,
    globals_group: wgpu::BindGroup,
    instances: wgpu::Buffer,
    capacity: usize,
}

const INSTANCE_ATTRIBUTES: [wgpu::VertexAttribute; 4] =
    wgpu::vertex_attr_array![0 => Float32x4, 1 => Float32x4, 2 => Float32x4, 3 => Float32x4];

impl QuadPipeline {
    pub fn new(
        device: &wgpu::Device,
        format: wgpu::TextureFormat,
        texture_layout: &wgpu::BindGroupLayout,
        video_layout: &wgpu::BindGroupLayout,
    ) -> Self {
        let globals_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("vitrine.quad.globals.layout"),
            entries: &[wgpu::BindGroupLayoutEntry {
                binding: 0,
                visibility: wgpu::ShaderStages::VERTEX,
                ty: wgpu::BindingType::Buffer {
                    ty: wgpu::BufferBindingType::Uniform,
                    has_dynamic_offset: false,
                    min_binding_size: None,
                },
                count: None,
            }],
        });
        let globals = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("vitrine.quad.globals"),
            size: std::mem::size_of::<Globals>() as u64,
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let globals_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("vitrine.quad.globals.bind_group"),
            layout: &globals_layout,
            entries: &[wgpu::BindGroupEntry {
                binding: 0,
                resource: globals.as_entire_binding(),
            }],
        });
        let quad = build_pipeline(
            device,
            format,
            &globals_layout,
            texture_layout,
            "vitrine.quad",
            include_str!("../../../shaders/quad.wgsl"),
            "fs_main",
        );
        let yuv = build_pipeline(
            device,
            format,
            &globals_layout,
            video_layout,
            "vitrine.yuv",
            include_str!("../../../shaders/yuv.wgsl"),
            "fs_yuv",
        );
        let capacity = 64;
        let instances = instance_buffer(device, capacity);
        Self {
            pipeline: quad,
            yuv,
            globals,
            globals_group,
            instances,
            capacity,
        }
    }

    /// Uploads this frame's instances and viewport, growing the buffer when
    /// needed.
    pub fn prepare(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        viewport: (u32, u32),
        turns: u32,
        instances: &[QuadInstance],
    ) {
        let g = Globals {
            viewport: [viewport.0 as f32, viewport.1 as f32],
            turns: [(turns % 4) as f32, 0.0],
        };
        queue.write_buffer(&self.globals, 0, bytemuck::bytes_of(&g));
        if instances.len() > self.capacity {
            self.capacity = instances.len().next_power_of_two();
            self.instances = instance_buffer(device, self.capacity);
        }
        if !instances.is_empty() {
            queue.write_buffer(&self.instances, 0, bytemuck::cast_slice(instances));
        }
    }

    /// Records the draws, switching pipelines only between runs that differ.
    pub fn draw<'a>(&'a self, pass: &mut wgpu::RenderPass<'a>, runs: &[Run<'a>]) {
        if runs.is_empty() {
            return;
        }
        pass.set_bind_group(0, &self.globals_group, &[]);
        pass.set_vertex_buffer(0, self.instances.slice(..));
        let mut current = None;
        for run in runs {
            if current != Some(run.kind) {
                pass.set_pipeline(match run.kind {
                    PipelineKind::Quad => &self.pipeline,
                    PipelineKind::Yuv => &self.yuv,
                });
                current = Some(run.kind);
            }
            pass.set_bind_group(1, run.group, &[]);
            pass.draw(0..6, run.instances.clone());
        }
    }
}

/// One pipeline: common.wgsl followed by `fragment_source`.
fn build_pipeline(
    device: &wgpu::Device,
    format: wgpu::TextureFormat,
    globals_layout: &wgpu::BindGroupLayout,
    group1: &wgpu::BindGroupLayout,
    label: &str,
    fragment_source: &str,
    fragment_entry: &str,
) -> wgpu::RenderPipeline {
    let source = format!(
        "{}\n{}",
        include_str!("../../../shaders/common.wgsl"),
        fragment_source
    );
    let shader = device.create_shader_module(wgpu::ShaderModuleDescriptor {
        label: Some(label),
        source: wgpu::ShaderSource::Wgsl(source.into()),
    });
    let layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
        label: Some(label),
        bind_group_layouts: &[Some(globals_layout), Some(group1)],
        immediate_size: 0,
    });
    device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
        label: Some(label),
        layout: Some(&layout),
        vertex: wgpu::VertexState {
            module: &shader,
            entry_point: Some("vs_main"),
            compilation_options: Default::default(),
            buffers: &[Some(wgpu::VertexBufferLayout {
                array_stride: std::mem::size_of::<QuadInstance>() as u64,
                step_mode: wgpu::VertexStepMode::Instance,
                attributes: &INSTANCE_ATTRIBUTES,
            })],
        },
        primitive: wgpu::PrimitiveState {
            topology: wgpu::PrimitiveTopology::TriangleList,
            cull_mode: None,
            ..Default::default()
        },
        depth_stencil: None,
        multisample: wgpu::MultisampleState::default(),
        fragment: Some(wgpu::FragmentState {
            module: &shader,
            entry_point: Some(fragment_entry),
            compilation_options: Default::default(),
            targets: &[Some(wgpu::ColorTargetState {
                format,
                blend: Some(wgpu::BlendState::PREMULTIPLIED_ALPHA_BLENDING),
                write_mask: wgpu::ColorWrites::ALL,
            })],
        }),
        multiview_mask: None,
        cache: None,
    })
}

fn instance_buffer(device: &wgpu::Device, capacity: usize) -> wgpu::Buffer {
    device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("vitrine.quad.instances"),
        size: (capacity * std::mem::size_of::<QuadInstance>()) as u64,
        usage: wgpu::BufferUsages::VERTEX | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    })
}
