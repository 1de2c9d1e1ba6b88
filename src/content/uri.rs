//! URIs for local files, percent-encoded so any path survives the round trip.

use std::path::Path;

/// Bytes that stay as they are in a path URI: RFC 3986 unreserved
/// characters and the path separator.
fn keep(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/')
}

/// The `file://` URI of an absolute path (made absolute against the current
/// directory when it is relative).
pub fn file_uri(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut uri = String::from("file://");
    for b in absolute.as_os_str().as_encoded_bytes() {
        if keep(*b) {
            uri.push(char::from(*b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_what_a_uri_cannot_hold() {
        assert_eq!(
            file_uri(Path::new("/srv/a b/clip#1.webm")),
            "file:///srv/a%20b/clip%231.webm"
        );
        assert_eq!(file_uri(Path::new("/x/é.png")), "file:///x/%C3%A9.png");
    }
}
