// What every quad shares: the instance layout, the vertex shader and the play
// overlay. quad.wgsl and yuv.wgsl are each appended to this file to make one
// shader module.
//
// Colours are premultiplied and linear inside the shaders, and the sRGB target
// encodes on write.

struct Globals {
    // The upright (logical) size the draw list is laid out in, in pixels.
    viewport: vec2<f32>,
    // .x: clockwise quarter turns of the picture on the target (0 to 3), for
    // a panel mounted portrait or upside down.
    turns: vec2<f32>,
};

// Turns an upright clip-space point clockwise by quarter turns (y points up
// in clip space, so a clockwise turn maps (x, y) to (y, -x)).
fn turn_clockwise(p: vec2<f32>, turns: f32) -> vec2<f32> {
    let t = u32(turns + 0.5) % 4u;
    if (t == 1u) {
        return vec2<f32>(p.y, -p.x);
    }
    if (t == 2u) {
        return -p;
    }
    if (t == 3u) {
        return vec2<f32>(-p.y, p.x);
    }
    return p;
}

@group(0) @binding(0) var<uniform> globals: Globals;

const KIND_TEXTURE: u32 = 0u;
const KIND_SOLID: u32 = 1u;
const KIND_MARKER: u32 = 2u;

struct Instance {
    // The local → window matrix: x axis in .xy, y axis in .zw.
    @location(0) axes: vec4<f32>,
    // Translation in .xy, size in local pixels in .zw.
    @location(1) origin_size: vec4<f32>,
    // Premultiplied linear colour for solid quads and markers.
    @location(2) color: vec4<f32>,
    // .x opacity, .y kind, .z play overlay (0 or 1).
    @location(3) params: vec4<f32>,
};

struct VsOut {
    @builtin(position) position: vec4<f32>,
    @location(0) uv: vec2<f32>,
    @location(1) local: vec2<f32>,
    @location(2) @interpolate(flat) color: vec4<f32>,
    @location(3) @interpolate(flat) params: vec4<f32>,
    @location(4) @interpolate(flat) size: vec2<f32>,
};

@vertex
fn vs_main(@builtin(vertex_index) vertex: u32, inst: Instance) -> VsOut {
    var corners = array<vec2<f32>, 6>(
        vec2<f32>(0.0, 0.0), vec2<f32>(1.0, 0.0), vec2<f32>(0.0, 1.0),
        vec2<f32>(0.0, 1.0), vec2<f32>(1.0, 0.0), vec2<f32>(1.0, 1.0),
    );
    let c = corners[vertex];
    let size = inst.origin_size.zw;
    let local = c * size;
    let window = inst.axes.xy * local.x + inst.axes.zw * local.y + inst.origin_size.xy;
    let ndc = vec2<f32>(
        window.x / globals.viewport.x * 2.0 - 1.0,
        1.0 - window.y / globals.viewport.y * 2.0,
    );
    var out: VsOut;
    out.position = vec4<f32>(turn_clockwise(ndc, globals.turns.x), 0.0, 1.0);
    out.uv = c;
    out.local = local;
    out.color = inst.color;
    out.params = inst.params;
    out.size = size;
    return out;
}

// Coverage of a signed distance `d` (negative inside), antialiased over `aa`.
fn coverage(d: f32, aa: f32) -> f32 {
    return clamp(0.5 - d / aa, 0.0, 1.0);
}

// Inigo Quilez's equilateral triangle: apex towards +y, half side `r`.
fn sd_triangle(p_in: vec2<f32>, r: f32) -> f32 {
    let k = sqrt(3.0);
    var p = vec2<f32>(abs(p_in.x) - r, p_in.y + r / k);
    if (p.x + k * p.y > 0.0) {
        p = vec2<f32>(p.x - k * p.y, -k * p.x - p.y) / 2.0;
    }
    p.x = p.x - clamp(p.x, -2.0 * r, 0.0);
    return -length(p) * sign(p.y);
}

// Premultiplied "over".
fn over(src: vec4<f32>, dst: vec4<f32>) -> vec4<f32> {
    return src + dst * (1.0 - src.a);
}

// The play button: a dim disc with a white ring and a white triangle pointing
// right, centred, sized from the widget's shorter side. Distances are in local
// pixels and `aa` is one screen pixel in local pixels, so edges stay crisp at
// any scale.
fn play_overlay(base: vec4<f32>, local: vec2<f32>, size: vec2<f32>, aa: f32) -> vec4<f32> {
    let radius = 0.2 * min(size.x, size.y);
    let p = local - size * 0.5;
    let d_disc = length(p) - radius;
    let ring = radius * 0.07;
    let d_ring = abs(d_disc + ring * 0.5) - ring * 0.5;
    // Rotate so the apex points to +x (y grows down on screen), nudged right
    // so the triangle looks centred.
    let q = vec2<f32>(p.y, p.x - radius * 0.1);
    let d_tri = sd_triangle(q, radius * 0.42);
    var c = over(vec4<f32>(0.0, 0.0, 0.0, 0.45) * coverage(d_disc, aa), base);
    c = over(vec4<f32>(1.0, 1.0, 1.0, 1.0) * (0.9 * coverage(d_ring, aa)), c);
    c = over(vec4<f32>(1.0, 1.0, 1.0, 1.0) * coverage(d_tri, aa), c);
    return c;
}
