//! Adaptive streams (HLS, DASH, Smooth Streaming) kept out of the video pipeline: their demuxer would fetch playlists and segments around the content policy.

use gstreamer as gst;
use gstreamer::prelude::*;

/// Caps of adaptive streaming manifests (HLS, DASH, Smooth Streaming).
const ADAPTIVE_CAPS: [&str; 3] = [
    "application/x-hls",
    "application/dash+xml",
    "application/vnd.ms-sstr+xml",
];

/// Why an adaptive stream is refused, as the load's answer says.
const ADAPTIVE_REFUSED: &str = "adaptive streams (HLS, DASH) are not played: their demuxer would fetch segments around content.allowed_hosts";

/// Whether `element` is an adaptive demuxer (hlsdemux, dashdemux, their
/// adaptivedemux2 versions, mssdemux), by its factory's class.
fn is_adaptive_demuxer(element: &gst::Element) -> bool {
    element.factory().is_some_and(|f| {
        f.metadata(gst::ELEMENT_METADATA_KLASS)
            .is_some_and(|k| k.contains("Adaptive"))
            || ["hlsdemux", "dashdemux", "mssdemux"]
                .iter()
                .any(|n| f.name().starts_with(n))
    })
}

/// Refuses adaptive streams in `pipeline`, whatever the sniffer said: their
/// demuxer fetches playlists and segments itself, from hosts vitrine's
/// policy never checked. `decode` stops before a demuxer is chosen for a
/// manifest's caps; should one be added anyway, nothing reaches its sink
/// (so it never reads a playlist or fetches) and the stream fails as
/// unsupported.
pub fn refuse_adaptive(pipeline: &gst::Pipeline, decode: &gst::Element) {
    decode.connect("autoplug-continue", false, |values| {
        let adaptive = values
            .get(2)
            .and_then(|v| v.get::<gst::Caps>().ok())
            .and_then(|c| c.structure(0).map(|s| s.name().to_string()))
            .is_some_and(|name| ADAPTIVE_CAPS.contains(&name.as_str()));
        if adaptive && let Some(bin) = values.first().and_then(|v| v.get::<gst::Element>().ok()) {
            gst::element_error!(bin, gst::StreamError::WrongType, ("{}", ADAPTIVE_REFUSED));
        }
        Some((!adaptive).to_value())
    });
    pipeline.connect_deep_element_added(|pipeline, _, element| {
        if is_adaptive_demuxer(element) {
            // Nothing reaches it, so it never reads a playlist and never
            // fetches (locking its state would not do: decodebin sets the
            // state of what it plugs itself).
            for pad in element.sink_pads() {
                pad.add_probe(gst::PadProbeType::DATA_DOWNSTREAM, |_, _| {
                    gst::PadProbeReturn::Drop
                });
            }
            // Posted by the pipeline: decodebin swallows errors of the
            // elements it is still plugging.
            gst::element_error!(
                pipeline,
                gst::StreamError::WrongType,
                ("{}", ADAPTIVE_REFUSED)
            );
        }
    });
}
