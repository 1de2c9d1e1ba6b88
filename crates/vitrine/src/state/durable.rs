//! Durable file writes: a file's bytes reach the disk before it is renamed into place, and the rename before the directory is trusted with it.

use std::fs::{self, File};
use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` and waits until they are on the disk.
pub fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = File::create(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Makes the renames and creations in `dir` durable.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir).and_then(|d| d.sync_all())
}

/// Replaces `dir/name` with `bytes` so that a crash at any point leaves the
/// old file or the new one whole: `name.tmp` is written and synced, renamed
/// over `name`, and the directory synced.
pub fn replace(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = dir.join(format!("{name}.tmp"));
    write_synced(&tmp, bytes)?;
    fs::rename(&tmp, dir.join(name))?;
    sync_dir(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replace_leaves_the_new_bytes_and_no_temporary_file() {
        let d = std::env::temp_dir().join(format!("vitrine-durable-{}", std::process::id()));
        fs::create_dir_all(&d).unwrap();
        replace(&d, "f.json", b"one").unwrap();
        replace(&d, "f.json", b"two").unwrap();
        assert_eq!(fs::read(d.join("f.json")).unwrap(), b"two");
        assert!(!d.join("f.json.tmp").exists());
        assert!(replace(&d.join("missing"), "f.json", b"x").is_err());
        let _ = fs::remove_dir_all(&d);
    }
}
