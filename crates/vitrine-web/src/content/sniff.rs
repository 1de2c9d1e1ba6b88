//! What a body is: an image, a video or an HTML page, from its Content-Type, its first bytes and its name.

/// The kinds of content vitrine shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContentKind {
    Image,
    Video,
    Html,
}

impl ContentKind {
    pub fn name(self) -> &'static str {
        match self {
            ContentKind::Image => "image",
            ContentKind::Video => "video",
            ContentKind::Html => "html",
        }
    }
}

fn by_magic(head: &[u8]) -> Option<ContentKind> {
    let starts = |m: &[u8]| head.starts_with(m);
    if starts(b"\x89PNG\r\n\x1a\n")
        || starts(&[0xFF, 0xD8, 0xFF])
        || (starts(b"RIFF") && head.get(8..12) == Some(b"WEBP"))
    {
        return Some(ContentKind::Image);
    }
    if starts(&[0x1A, 0x45, 0xDF, 0xA3]) // Matroska, WebM
        || head.get(4..8) == Some(b"ftyp") // MP4, MOV
        || starts(b"OggS")
        || (starts(b"RIFF") && head.get(8..12) == Some(b"AVI "))
        || starts(&[0x47]) && head.len() >= 189 && head[188] == 0x47
    // MPEG-TS
    {
        return Some(ContentKind::Video);
    }
    let text = String::from_utf8_lossy(&head[..head.len().min(512)]).to_ascii_lowercase();
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if text.starts_with("<!doctype html")
        || text.starts_with("<html")
        || text.starts_with("<head")
        || text.starts_with("<body")
    {
        return Some(ContentKind::Html);
    }
    None
}

fn by_content_type(content_type: &str) -> Option<ContentKind> {
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if mime.starts_with("image/") {
        Some(ContentKind::Image)
    } else if mime.starts_with("video/") || mime == "application/ogg" {
        Some(ContentKind::Video)
    } else if mime == "text/html" || mime == "application/xhtml+xml" {
        Some(ContentKind::Html)
    } else {
        None
    }
}

fn by_extension(path: &str) -> Option<ContentKind> {
    let path = path
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let ext = path.rsplit_once('.').map(|(_, e)| e)?;
    match ext {
        "png" | "jpg" | "jpeg" | "webp" => Some(ContentKind::Image),
        "webm" | "mkv" | "mp4" | "m4v" | "mov" | "ogv" | "avi" | "ts" => Some(ContentKind::Video),
        "html" | "htm" | "xhtml" => Some(ContentKind::Html),
        _ => None,
    }
}

/// Content types of adaptive streaming manifests (HLS, DASH, Smooth
/// Streaming).
const ADAPTIVE_TYPES: [&str; 6] = [
    "application/vnd.apple.mpegurl",
    "application/x-mpegurl",
    "audio/mpegurl",
    "audio/x-mpegurl",
    "application/dash+xml",
    "application/vnd.ms-sstr+xml",
];

/// Whether a body is an adaptive streaming manifest (an HLS playlist, a DASH
/// or Smooth Streaming manifest), by its first bytes, its Content-Type or
/// its extension, whatever else it claims to be. Such a manifest names
/// segments on other hosts, which GStreamer's adaptive demuxer would fetch
/// around vitrine's content policy, so vitrine refuses it.
pub fn is_adaptive_manifest(head: &[u8], content_type: Option<&str>, url: &str) -> bool {
    let text = String::from_utf8_lossy(&head[..head.len().min(512)]).to_ascii_lowercase();
    let text = text.trim_start_matches('\u{feff}').trim_start();
    let mime = content_type
        .and_then(|t| t.split(';').next())
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let path = url
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    text.starts_with("#extm3u")
        || (text.starts_with('<')
            && (text.contains("<mpd") || text.contains("<smoothstreamingmedia"))
            && !text.starts_with("<!doctype html")
            && !text.starts_with("<html"))
        || ADAPTIVE_TYPES.contains(&mime.as_str())
        || [".m3u8", ".m3u", ".mpd", ".ism/manifest"]
            .iter()
            .any(|e| path.ends_with(e))
}

/// Sniffs the kind. The bytes win, because servers and file names lie more
/// often than magic numbers; then the Content-Type, then the extension. An
/// adaptive streaming manifest is none of them (see
/// [`is_adaptive_manifest`]).
pub fn sniff(head: &[u8], content_type: Option<&str>, url: &str) -> Option<ContentKind> {
    if is_adaptive_manifest(head, content_type, url) {
        return None;
    }
    by_magic(head)
        .or_else(|| content_type.and_then(by_content_type))
        .or_else(|| by_extension(url))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_wins() {
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\nrest", Some("text/html"), "a.html"),
            Some(ContentKind::Image)
        );
        assert_eq!(
            sniff(&[0x1A, 0x45, 0xDF, 0xA3, 0], None, "x"),
            Some(ContentKind::Video)
        );
        assert_eq!(
            sniff(b"\0\0\0\x18ftypmp42", None, "x"),
            Some(ContentKind::Video)
        );
        assert_eq!(
            sniff(b"  <!DOCTYPE html><p>", None, "x"),
            Some(ContentKind::Html)
        );
    }

    #[test]
    fn then_content_type_then_extension() {
        assert_eq!(
            sniff(b"plain words", Some("text/html; charset=utf-8"), "x"),
            Some(ContentKind::Html)
        );
        assert_eq!(
            sniff(b"plain words", None, "https://a/b/page.HTM?x=1"),
            Some(ContentKind::Html)
        );
        assert_eq!(
            sniff(b"plain words", Some("application/octet-stream"), "clip.mp4"),
            Some(ContentKind::Video)
        );
        assert_eq!(sniff(b"plain words", None, "notes.txt"), None);
    }

    #[test]
    fn adaptive_manifests_are_nothing_vitrine_shows() {
        let hls = b"#EXTM3U\n#EXT-X-VERSION:3\n";
        assert!(is_adaptive_manifest(hls, Some("video/mp4"), "promo.mp4"));
        assert_eq!(sniff(hls, Some("video/mp4"), "promo.mp4"), None);
        let dash = b"<?xml version=\"1.0\"?>\n<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\">";
        assert_eq!(sniff(dash, Some("video/webm"), "x.webm"), None);
        for t in [
            "application/vnd.apple.mpegURL",
            "application/x-mpegurl; a=b",
            "application/dash+xml",
        ] {
            assert_eq!(sniff(b"plain", Some(t), "clip.mp4"), None, "{t}");
        }
        assert_eq!(sniff(b"plain", None, "https://a/live.m3u8?x=1"), None);
        // A real clip is still a clip.
        assert_eq!(
            sniff(&[0x1A, 0x45, 0xDF, 0xA3, 0], Some("video/webm"), "c.webm"),
            Some(ContentKind::Video)
        );
    }
}
