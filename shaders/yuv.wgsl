// Video frames, converted from their decoded planes to RGB on the GPU while
// they are drawn. Appended to common.wgsl.
//
// NV12 binds Y and the interleaved UV plane (U and V bindings are the same
// texture); I420 binds three planes; RGBA binds one plane in all three slots.
// The planes are plain unorm textures, so the shader sees the stored code
// values and does the range expansion and matrix itself.
//
// The conversion parameters are a 4x1 float texture, not a uniform buffer:
// Mesa's lavapipe leaks memory on every draw that reads a uniform buffer in
// the fragment stage, which a video would do thirty times a second.
// Texels 0-2: R', G' and B' as dot(row, vec4(y, u, v, 1)), matrix and range
// folded in. Texel 3 .x: plane layout, 0 NV12, 1 I420, 2 RGBA.

@group(1) @binding(0) var plane_y: texture_2d<f32>;
@group(1) @binding(1) var plane_u: texture_2d<f32>;
@group(1) @binding(2) var plane_v: texture_2d<f32>;
@group(1) @binding(3) var video_sampler: sampler;
@group(1) @binding(4) var video_params: texture_2d<f32>;

// The transfer function of the stream's R'G'B' is close enough to sRGB's
// for display; decode it to linear light for blending.
fn to_linear(c: vec3<f32>) -> vec3<f32> {
    let lo = c / 12.92;
    let hi = pow((c + vec3<f32>(0.055)) / 1.055, vec3<f32>(2.4));
    return select(hi, lo, c <= vec3<f32>(0.04045));
}

@fragment
fn fs_yuv(in: VsOut) -> @location(0) vec4<f32> {
    let ys = textureSample(plane_y, video_sampler, in.uv);
    let us = textureSample(plane_u, video_sampler, in.uv);
    let vs = textureSample(plane_v, video_sampler, in.uv);
    let fw = fwidth(in.local);
    let aa = max(max(fw.x, fw.y), 1e-4);

    let row_r = textureLoad(video_params, vec2<i32>(0, 0), 0);
    let row_g = textureLoad(video_params, vec2<i32>(1, 0), 0);
    let row_b = textureLoad(video_params, vec2<i32>(2, 0), 0);
    let plane_layout = u32(textureLoad(video_params, vec2<i32>(3, 0), 0).x + 0.5);
    var rgb: vec3<f32>;
    if (plane_layout == 2u) {
        rgb = ys.rgb;
    } else {
        var uv = vec2<f32>(us.r, vs.r);
        if (plane_layout == 0u) {
            uv = us.rg;
        }
        let yuv1 = vec4<f32>(ys.r, uv.x, uv.y, 1.0);
        rgb = clamp(vec3<f32>(dot(row_r, yuv1), dot(row_g, yuv1), dot(row_b, yuv1)), vec3<f32>(0.0), vec3<f32>(1.0));
    }
    var color = vec4<f32>(to_linear(rgb), 1.0);
    if (in.params.z > 0.5) {
        color = play_overlay(color, in.local, in.size, aa);
    }
    return color * in.params.x;
}
