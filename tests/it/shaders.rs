//! The WGSL shaders parse and validate, checked with naga so that a shader error fails without a GPU.

fn validate(name: &str, fragment: &str) {
    let source = format!(
        "{}\n{}",
        include_str!("../../shaders/common.wgsl"),
        fragment
    );
    let module = naga::front::wgsl::parse_str(&source)
        .unwrap_or_else(|e| panic!("{name}: {}", e.emit_to_string(&source)));
    naga::valid::Validator::new(
        naga::valid::ValidationFlags::all(),
        naga::valid::Capabilities::empty(),
    )
    .validate(&module)
    .unwrap_or_else(|e| panic!("{name}: {}", e.emit_to_string(&source)));
}

#[test]
fn the_quad_shader_validates() {
    validate("quad.wgsl", include_str!("../../shaders/quad.wgsl"));
}

#[test]
fn the_yuv_shader_validates() {
    validate("yuv.wgsl", include_str!("../../shaders/yuv.wgsl"));
}
