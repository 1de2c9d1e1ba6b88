//! The offline cache: bodies fetched over HTTP(S), kept in the state directory within `state.cache_max_bytes` and `state.cache_max_entries` (least recently used out first, every file counted in disk blocks, bodies reserved before they are written), and served when their origin cannot be reached.

use std::collections::HashSet;
use std::fs;
use std::hash::Hasher;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::SystemTime;

use super::cache_room::{Bounds, Room};
use super::cache_write::Keeper;
pub use super::cache_write::{Meta, Pending, Tee};

/// At most this many URLs are remembered as served offline; past it the
/// oldest knowledge is dropped (the copies themselves stay).
const MAX_OFFLINE_MARKS: usize = 4096;

/// A cached body found for a URL.
#[derive(Debug)]
pub struct Hit {
    pub meta: Meta,
    pub path: PathBuf,
}

/// The cache directory and its bounds.
#[derive(Debug)]
pub struct HttpCache {
    dir: PathBuf,
    pub(super) bounds: Bounds,
    /// What is kept and reserved. Room is reserved, evictions are chosen
    /// and copies are put in place under this lock; lookups need none
    /// (renames are atomic).
    room: Mutex<Room>,
    /// URLs whose last load came from here because the origin could not be
    /// reached.
    offline: Mutex<HashSet<String>>,
}

/// The pending writes' side of the cache: room under the lock, and the
/// finished copy put in place.
impl Keeper for HttpCache {
    fn on_disk(&self, bytes: u64) -> u64 {
        self.bounds.on_disk(bytes)
    }

    fn reserve(&self, more: u64, stem: &str) -> bool {
        HttpCache::reserve(self, more, false, stem)
    }

    fn release(&self, bytes: u64) {
        self.room().release(bytes, true);
    }

    fn place(&self, stem: &str, tmp: &Path, meta: &Meta, reserved: u64) {
        let url = &meta.url;
        let meta_tmp = tmp.with_extension("meta.tmp");
        let json = serde_json::to_vec(meta).map_err(std::io::Error::other);
        let meta_len = json.as_ref().map_or(0, |j| j.len() as u64);
        let written = json.and_then(|json| fs::write(&meta_tmp, json));
        let mut room = self.room();
        // Two fetches of one URL finishing at once must not leave one body
        // under the other's description: both renames under the lock.
        let mut body_moved = false;
        let placed = written
            .and_then(|()| fs::rename(tmp, self.body_path(url)))
            .and_then(|()| {
                body_moved = true;
                fs::rename(&meta_tmp, self.meta_path(url))
            });
        match placed {
            Ok(()) => {
                let cost = self
                    .bounds
                    .on_disk(meta.size)
                    .saturating_add(self.bounds.on_disk(meta_len));
                room.insert(stem, cost);
            }
            Err(e) => {
                tracing::warn!(%url, %e, "offline cache: cannot keep a copy");
                let _ = fs::remove_file(&meta_tmp);
                // A new body under the old description is no whole copy.
                if body_moved {
                    room.remove(stem);
                    self.remove_files(std::slice::from_ref(&stem.to_string()));
                }
            }
        }
        room.release(reserved, true);
    }
}

/// Names temporary files apart when two fetches of one URL run at once.
static NEXT_TMP: AtomicU64 = AtomicU64::new(0);

impl HttpCache {
    /// Opens (creating it when needed) the cache in `dir`, within
    /// `max_bytes` on disk and `max_entries` copies: it removes what a
    /// crash may have left (temporary files, a body without its
    /// description or the reverse), counts what is kept, and evicts down
    /// to the bounds (they may have been lowered).
    pub fn open(dir: &Path, max_bytes: u64, max_entries: usize) -> std::io::Result<Arc<Self>> {
        fs::create_dir_all(dir)?;
        // The disk's block, as the file system reports it; at least 4096
        // (the common block; counting small files at less would be too
        // kind), at most 64 KiB (some file systems report a transfer
        // size, not an allocation unit).
        let block = fs::metadata(dir)?.blksize().clamp(4096, 64 * 1024);
        let cache = Arc::new(Self {
            dir: dir.to_path_buf(),
            bounds: Bounds {
                max_bytes,
                max_entries,
                block,
            },
            room: Mutex::new(Room::default()),
            offline: Mutex::new(HashSet::new()),
        });
        cache.count_kept()?;
        Ok(cache)
    }

    /// Counts the copies on disk, oldest use first, and evicts down to the
    /// bounds.
    fn count_kept(&self) -> std::io::Result<()> {
        let mut kept: Vec<(SystemTime, String, u64)> = Vec::new();
        for entry in fs::read_dir(&self.dir)?.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(stem) = name.strip_suffix(".body") else {
                // A description whose body is gone, or a crash's leftovers.
                let orphan = name
                    .strip_suffix(".meta")
                    .is_none_or(|stem| !self.dir.join(format!("{stem}.body")).exists());
                if orphan {
                    let _ = fs::remove_file(&path);
                }
                continue;
            };
            let (Ok(body), Ok(meta)) =
                (entry.metadata(), fs::metadata(path.with_extension("meta")))
            else {
                let _ = fs::remove_file(&path);
                continue;
            };
            let cost = self.on_disk(&body).saturating_add(self.on_disk(&meta));
            let used = body.modified().unwrap_or(SystemTime::UNIX_EPOCH);
            kept.push((used, stem.to_string(), cost));
        }
        kept.sort();
        let mut room = self.room();
        for (_, stem, cost) in kept {
            room.insert(&stem, cost);
        }
        let gone = room.reserve(&self.bounds, 0, false, "").unwrap_or_default();
        self.remove_files(&gone);
        Ok(())
    }

    pub(super) fn room(&self) -> MutexGuard<'_, Room> {
        self.room.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// What a file takes on disk: its length in whole blocks, or its real
    /// blocks when they are more.
    fn on_disk(&self, m: &fs::Metadata) -> u64 {
        self.bounds
            .on_disk(m.len())
            .max(m.blocks().saturating_mul(512))
    }

    /// Removes the files of evicted copies (the lock held, so no new copy
    /// of the same URL is put in place meanwhile).
    pub(super) fn remove_files(&self, stems: &[String]) {
        for stem in stems {
            let _ = fs::remove_file(self.dir.join(format!("{stem}.meta")));
            let _ = fs::remove_file(self.dir.join(format!("{stem}.body")));
            tracing::debug!(%stem, "offline cache: evicted");
        }
    }

    /// Reserves `more` bytes (and a new entry when `entry`) for a write to
    /// `stem`, evicting the least recently used copies to make room.
    pub(super) fn reserve(&self, more: u64, entry: bool, stem: &str) -> bool {
        let mut room = self.room();
        match room.reserve(&self.bounds, more, entry, stem) {
            Ok(gone) => {
                self.remove_files(&gone);
                true
            }
            Err(e) => {
                tracing::debug!(%stem, %e, "offline cache: not kept");
                false
            }
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The bound on all copies together.
    pub fn max_bytes(&self) -> u64 {
        self.bounds.max_bytes
    }

    /// The bytes kept and reserved, in disk blocks, and the number of
    /// copies kept and being written.
    pub fn usage(&self) -> (u64, usize) {
        let room = self.room();
        (room.bytes(), room.entries())
    }

    /// The file name stem for a URL: a stable SipHash-1-3 of it, so the same
    /// URL finds its copy after an upgrade. Collisions are harmless: the
    /// stored URL is compared on every lookup.
    fn stem(url: &str) -> String {
        let mut h = siphasher::sip::SipHasher13::new_with_keys(0x7669_7472, 0x696e_6521);
        h.write(url.as_bytes());
        format!("{:016x}", h.finish())
    }

    pub(super) fn body_path(&self, url: &str) -> PathBuf {
        self.dir.join(format!("{}.body", Self::stem(url)))
    }

    pub(super) fn meta_path(&self, url: &str) -> PathBuf {
        self.dir.join(format!("{}.meta", Self::stem(url)))
    }

    /// The copy of `url`, if a whole one is kept. A hit counts as a use.
    pub fn lookup(&self, url: &str) -> Option<Hit> {
        let meta: Meta = serde_json::from_slice(&fs::read(self.meta_path(url)).ok()?).ok()?;
        let path = self.body_path(url);
        let len = fs::metadata(&path).ok()?.len();
        if meta.url != url || len != meta.size {
            return None;
        }
        self.room().touch(&Self::stem(url));
        // The body's modification time is its last use, for eviction.
        if let Ok(f) = fs::File::options().append(true).open(&path) {
            let _ = f.set_modified(SystemTime::now());
        }
        Some(Hit { meta, path })
    }

    /// Where a whole copy of `url` is kept, if one is.
    pub fn local_path(&self, url: &str) -> Option<PathBuf> {
        self.lookup(url).map(|h| h.path)
    }

    /// Starts keeping a body for `url` as it is read, its description and
    /// first block reserved; `None` when the cache keeps nothing or has no
    /// room beside the writes in progress.
    pub fn writer(self: &Arc<Self>, meta: Meta) -> Option<Pending> {
        // The description's room, at the largest size it can be written at.
        let longest = Meta {
            size: u64::MAX,
            ..meta.clone()
        };
        let meta_cost = self
            .bounds
            .on_disk(serde_json::to_vec(&longest).ok()?.len() as u64);
        let stem = Self::stem(&meta.url);
        let reserved = meta_cost.saturating_add(self.bounds.on_disk(0));
        if !self.reserve(reserved, true, &stem) {
            return None;
        }
        // From here, dropping the pending write gives its room back.
        let n = NEXT_TMP.fetch_add(1, Ordering::Relaxed);
        let tmp = self
            .dir
            .join(format!("{stem}.{}-{n}.tmp", std::process::id()));
        let mut pending = Pending {
            cache: self.clone() as Arc<dyn Keeper>,
            file: None,
            tmp,
            meta,
            stem,
            meta_cost,
            reserved,
            written: 0,
        };
        // A new file only: a link planted under the name is not followed.
        pending.file = fs::File::options()
            .write(true)
            .create_new(true)
            .open(&pending.tmp)
            .ok();
        pending.file.is_some().then_some(pending)
    }

    /// Notes that `url` was just served from here, its origin unreachable.
    pub fn served_offline(&self, url: &str) {
        let mut set = self.offline.lock().unwrap_or_else(PoisonError::into_inner);
        if set.len() >= MAX_OFFLINE_MARKS {
            set.clear();
        }
        set.insert(url.to_string());
    }

    /// Notes that `url` came from its origin again.
    pub fn served_fresh(&self, url: &str) {
        self.offline
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(url);
    }

    /// Whether the last load of `url` came from here, its origin unreachable.
    /// The URL is compared in its parsed form, as it was fetched.
    pub fn is_offline_copy(&self, url: &str) -> bool {
        let Ok(parsed) = url::Url::parse(url) else {
            return false;
        };
        self.offline
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(parsed.as_str())
    }
}

#[cfg(test)]
mod tests;
