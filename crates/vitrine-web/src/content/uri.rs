//! URIs for local files, percent-encoded so any path survives the round trip.

use std::path::Path;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_encode};

/// Bytes that are percent-encoded in a path URI: everything except RFC 3986
/// unreserved characters and the path separator.
const ENCODED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// The `file://` URI of an absolute path (made absolute against the current
/// directory when it is relative).
pub fn file_uri(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let path = percent_encode(absolute.as_os_str().as_encoded_bytes(), ENCODED);
    format!("file://{path}")
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
