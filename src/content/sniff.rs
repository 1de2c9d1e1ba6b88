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

/// Sniffs the kind. The bytes win, because servers and file names lie more
/// often than magic numbers; then the Content-Type, then the extension.
pub fn sniff(head: &[u8], content_type: Option<&str>, url: &str) -> Option<ContentKind> {
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
}
