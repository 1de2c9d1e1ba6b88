// Textured quads, the solid backdrop and touch markers. Appended to common.wgsl.
//
// Textures hold premultiplied sRGB-encoded texels, which the sRGB view decodes
// on sampling.

@group(1) @binding(0) var tex: texture_2d<f32>;
@group(1) @binding(1) var samp: sampler;

@fragment
fn fs_main(in: VsOut) -> @location(0) vec4<f32> {
    // Sampling and derivatives must happen in uniform control flow, so both
    // come first, whatever the quad's kind.
    let texel = textureSample(tex, samp, in.uv);
    let fw = fwidth(in.local);
    let aa = max(max(fw.x, fw.y), 1e-4);

    let kind = u32(in.params.y + 0.5);
    var color = texel;
    if (kind == KIND_SOLID) {
        color = in.color;
    } else if (kind == KIND_MARKER) {
        let r = 0.5 * min(in.size.x, in.size.y);
        let d = length(in.local - in.size * 0.5) - r;
        color = in.color * coverage(d, aa);
    }
    if (in.params.z > 0.5) {
        color = play_overlay(color, in.local, in.size, aa);
    }
    return color * in.params.x;
}
