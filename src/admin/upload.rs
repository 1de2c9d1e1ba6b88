//! Uploads from the admin page: a safe file name, the body streamed to a temporary file in the upload folder within the size limit, then renamed into place.

use std::io::Write;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use super::http::{Head, HttpError, check_length, copy_body, send_continue};

/// The extensions an upload may have: what the kiosk can show.
const EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "webp", "mp4", "m4v", "webm", "mkv", "mov", "ogv", "html", "htm",
];

/// Why an upload was refused.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error(
        "file name {0:?} is not allowed: use letters, digits, '.', '-' and '_', \
         and one of .png .jpg .jpeg .webp .mp4 .m4v .webm .mkv .mov .ogv .html .htm"
    )]
    Name(String),
    #[error(transparent)]
    Http(#[from] HttpError),
    #[error("cannot write the upload: {0}")]
    Write(std::io::Error),
}

/// Checks a file name from the page: a plain name (no folders, not hidden)
/// with an extension the kiosk shows.
pub fn file_name(name: &str) -> Result<String, UploadError> {
    let bad = || UploadError::Name(name.to_string());
    let ok_chars = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if name.is_empty() || name.len() > 128 || !ok_chars || name.starts_with('.') {
        return Err(bad());
    }
    let ext = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .ok_or_else(bad)?;
    if !EXTENSIONS.contains(&ext.as_str()) {
        return Err(bad());
    }
    Ok(name.to_string())
}

/// Writes the request's body to `dir/name`, at most `limit` bytes, read
/// before `deadline`. A partial upload never replaces a whole file.
pub fn receive(
    stream: &mut TcpStream,
    head: &Head,
    dir: &Path,
    name: &str,
    limit: u64,
    deadline: Instant,
) -> Result<PathBuf, UploadError> {
    check_length(head, limit, "content.max_download_bytes")?;
    let target = dir.join(name);
    // Two uploads of one name at once each write their own part.
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let part = dir.join(format!(".{name}.{}-{n}.part", std::process::id()));
    let written = (|| {
        // A new file only: a link planted under the part's name is not followed.
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&part)
            .map_err(UploadError::Write)?;
        send_continue(stream, head)?;
        copy_body(stream, head, &mut file, deadline)?;
        file.flush().map_err(UploadError::Write)?;
        file.sync_all().map_err(UploadError::Write)?;
        std::fs::rename(&part, &target).map_err(UploadError::Write)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&part);
    }
    written.map(|()| target)
}

/// The bytes the upload folder holds, but `replaced` (an upload of that name
/// takes its place).
pub fn folder_bytes(dir: &Path, replaced: &str) -> u64 {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_name() != replaced)
        .filter_map(|e| e.metadata().ok())
        .filter(std::fs::Metadata::is_file)
        .map(|m| m.len())
        .sum()
}

/// Removes parts that uploads cut short by a crash left behind.
pub fn remove_stale_parts(dir: &Path) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') && name.ends_with(".part") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_names_with_a_known_extension_pass() {
        assert_eq!(file_name("shoe-1.PNG").unwrap(), "shoe-1.PNG");
        assert!(file_name("clip.webm").is_ok());
        for bad in [
            "",
            "../x.png",
            "a/b.png",
            ".hidden.png",
            "x.exe",
            "x",
            "x y.png",
            "x.png\0",
        ] {
            assert!(file_name(bad).is_err(), "{bad:?}");
        }
    }
}
