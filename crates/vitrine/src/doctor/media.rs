//! GStreamer: its version, and which decoders it has for H.264, H.265, VP8, VP9 and AV1, and whether any of them is hardware-accelerated (VA-API, V4L2, NVDEC).

use gstreamer as gst;
use gstreamer::prelude::*;

use super::report::Check;

/// The codecs a shop's videos come in, their caps, and whether the kiosk
/// needs one: VP8 plays the built-in demo.
const CODECS: [(&str, &str, bool); 5] = [
    ("H.264", "video/x-h264", false),
    ("H.265", "video/x-h265", false),
    ("VP8", "video/x-vp8", true),
    ("VP9", "video/x-vp9", false),
    ("AV1", "video/x-av1", false),
];

/// Whether a decoder runs on the GPU or a codec block rather than the CPU.
fn is_hardware(f: &gst::ElementFactory) -> bool {
    let name = f.name();
    let klass = f.metadata(gst::ELEMENT_METADATA_KLASS).unwrap_or("");
    klass.contains("Hardware")
        || ["va", "vaapi", "v4l2", "nv", "msdk", "qsv"]
            .iter()
            .any(|p| name.starts_with(p))
}

/// GStreamer and its video decoders.
pub fn gstreamer() -> Vec<Check> {
    if let Err(e) = crate::media::init() {
        return vec![Check::missing(
            "gstreamer",
            e.to_string(),
            "apt-get install gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-libav",
        )];
    }
    let mut checks = vec![Check::ok("gstreamer", gst::version_string().to_string())];
    let decoders = gst::ElementFactory::factories_with_type(
        gst::ElementFactoryType::DECODER | gst::ElementFactoryType::MEDIA_VIDEO,
        gst::Rank::MARGINAL,
    );
    let mut lines = Vec::new();
    let mut missing = Vec::new();
    let mut hardware = false;
    for (codec, caps, needed) in CODECS {
        let caps = gst::Caps::new_empty_simple(caps);
        let found: Vec<&gst::ElementFactory> = decoders
            .iter()
            .filter(|f| f.can_sink_any_caps(&caps))
            .collect();
        let hw: Vec<String> = found
            .iter()
            .filter(|f| is_hardware(f))
            .map(|f| f.name().to_string())
            .collect();
        hardware |= !hw.is_empty();
        let names: Vec<String> = found.iter().map(|f| f.name().to_string()).collect();
        lines.push(format!(
            "{codec}: {}{}",
            if names.is_empty() {
                "none".into()
            } else {
                names.join(", ")
            },
            if hw.is_empty() { "" } else { " (hardware)" }
        ));
        if names.is_empty() && needed {
            missing.push(codec);
        }
    }
    let detail = lines.join("\n");
    checks.push(if !missing.is_empty() {
        Check::missing(
            "decoders",
            detail,
            "apt-get install gstreamer1.0-plugins-good (VP8, VP9) gstreamer1.0-libav (H.264, H.265)",
        )
    } else if !hardware {
        Check::warn(
            "decoders",
            detail,
            "no hardware decoder: videos decode on the CPU; gstreamer1.0-vaapi (Intel, AMD) or \
             the board's V4L2 plugins take it off",
        )
    } else {
        Check::ok("decoders", detail)
    });
    checks
}
