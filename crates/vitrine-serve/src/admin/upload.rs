//! Uploads from the admin page: a safe file name, room in the upload folder reserved before a byte is written, the body streamed to a temporary file within the size limit, then renamed into place.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use super::conn::Transport;
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
    #[error(
        "the upload folder holds {held} bytes on disk (uploads still arriving included); \
         this upload needs {need} more and would pass admin.upload_dir_max_bytes ({max}): \
         remove old uploads first (a file replaced by name counts until the new one is in place)"
    )]
    Full { held: u64, need: u64, max: u64 },
}

/// Files are counted in whole blocks of this size, as the disk holds them
/// (the common block of ext4, XFS and tmpfs; a file's real blocks count
/// when they are more). Not a key: it only makes the count honest.
const BLOCK: u64 = 4096;

/// The bytes a file of `len` takes on disk: whole blocks, and at least one
/// (its inode and directory entry are not free either).
fn on_disk(len: u64) -> u64 {
    len.div_ceil(BLOCK).max(1).saturating_mul(BLOCK)
}

/// The room held by uploads still arriving. Each upload reserves its
/// block-rounded length here, under the lock, against the folder's real
/// usage read under the same lock, before a byte is written; so uploads
/// at once can never together pass the bound.
#[derive(Debug, Default)]
pub struct Ledger {
    arriving: Mutex<u64>,
}

/// The upload folder and its bound.
pub struct Folder<'a> {
    pub dir: &'a Path,
    pub max_bytes: u64,
    pub ledger: &'a Ledger,
}

/// Room held for one upload; given back when it is dropped (the upload
/// failed) or once the file is in place (it is then counted on disk).
struct Hold<'a> {
    ledger: &'a Ledger,
    bytes: u64,
}

impl Folder<'_> {
    /// Reserves room for `len` bytes, or says the folder is full. Files
    /// already there count, a file this upload will replace included: it
    /// stays on disk until the new one takes its place.
    fn reserve(&self, len: u64) -> Result<Hold<'_>, UploadError> {
        let mut arriving = self.ledger.lock();
        let held = folder_bytes(self.dir).saturating_add(*arriving);
        let need = on_disk(len);
        if held.saturating_add(need) > self.max_bytes {
            return Err(UploadError::Full {
                held,
                need,
                max: self.max_bytes,
            });
        }
        *arriving += need;
        Ok(Hold {
            ledger: self.ledger,
            bytes: need,
        })
    }
}

impl Ledger {
    fn lock(&self) -> std::sync::MutexGuard<'_, u64> {
        self.arriving.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Hold<'_> {
    /// Runs `place` (the rename) and gives the room back under one lock,
    /// so no reservation ever sees the file counted twice or not at all.
    fn settle<T>(mut self, place: impl FnOnce() -> T) -> T {
        let mut arriving = self.ledger.lock();
        let out = place();
        *arriving = arriving.saturating_sub(std::mem::take(&mut self.bytes));
        out
    }
}

impl Drop for Hold<'_> {
    fn drop(&mut self) {
        if self.bytes > 0 {
            let mut arriving = self.ledger.lock();
            *arriving = arriving.saturating_sub(self.bytes);
        }
    }
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

/// Writes the request's body to `name` in `folder`, at most `limit` bytes,
/// read before `deadline`, once room for it is reserved. A partial upload
/// never replaces a whole file, and gives its room back.
pub fn receive(
    stream: &mut impl Transport,
    head: &Head,
    folder: &Folder<'_>,
    name: &str,
    limit: u64,
    deadline: Instant,
) -> Result<PathBuf, UploadError> {
    check_length(head, limit, "content.max_download_bytes")?;
    let hold = folder.reserve(head.content_length)?;
    let dir = folder.dir;
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
        file.sync_all().map_err(UploadError::Write)
    })();
    let written = match written {
        Ok(()) => hold.settle(|| std::fs::rename(&part, &target).map_err(UploadError::Write)),
        Err(e) => Err(e),
    };
    if written.is_err() {
        let _ = std::fs::remove_file(&part);
    }
    written.map(|()| target)
}

/// The bytes the upload folder's files take on disk, in whole blocks. Parts
/// being written are left out: their room is held in the ledger.
fn folder_bytes(dir: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| !is_part(&e.file_name().to_string_lossy()))
        .filter_map(|e| e.metadata().ok())
        .filter(std::fs::Metadata::is_file)
        .map(|m| on_disk(m.len()).max(m.blocks().saturating_mul(512)))
        .fold(0, u64::saturating_add)
}

/// Whether a name is an upload's temporary part.
fn is_part(name: &str) -> bool {
    name.starts_with('.') && name.ends_with(".part")
}

/// Removes parts that uploads cut short by a crash left behind.
pub fn remove_stale_parts(dir: &Path) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if is_part(&entry.file_name().to_string_lossy()) {
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

    #[test]
    fn room_is_reserved_in_blocks_and_given_back() {
        let dir = std::env::temp_dir().join(format!("vitrine-upload-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        // One byte on disk takes a block.
        std::fs::write(dir.join("old.png"), b"x").unwrap();
        std::fs::write(dir.join(".x.png.1-1.part"), vec![0u8; 9000]).unwrap();
        assert_eq!(folder_bytes(&dir), BLOCK, "parts are left out");
        let ledger = Ledger::default();
        let folder = Folder {
            dir: &dir,
            max_bytes: 4 * BLOCK,
            ledger: &ledger,
        };
        let a = folder.reserve(BLOCK + 1).unwrap();
        assert_eq!(a.bytes, 2 * BLOCK);
        // Three blocks held: a second upload of two blocks does not fit.
        assert!(matches!(
            folder.reserve(2 * BLOCK),
            Err(UploadError::Full { held, need, .. }) if held == 3 * BLOCK && need == 2 * BLOCK
        ));
        let b = folder.reserve(1).unwrap();
        drop(a);
        assert_eq!(*ledger.lock(), BLOCK, "a failed upload gives its room back");
        // Settling counts the file on disk instead of the reservation.
        b.settle(|| std::fs::write(dir.join("b.png"), b"b").unwrap());
        assert_eq!(*ledger.lock(), 0);
        assert_eq!(folder_bytes(&dir), 2 * BLOCK);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
