//! The offline cache: bodies fetched over HTTP(S), kept in the state directory within `state.cache_max_bytes` (least recently used out first), and served when their origin cannot be reached.

use std::collections::HashSet;
use std::fs;
use std::hash::Hasher;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

/// At most this many URLs are remembered as served offline; past it the
/// oldest knowledge is dropped (the copies themselves stay).
const MAX_OFFLINE_MARKS: usize = 4096;

/// A body's description, kept next to it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    /// The URL asked for: the key.
    pub url: String,
    /// Where redirects ended: relative links resolve against it.
    pub final_url: String,
    pub content_type: Option<String>,
    /// The body's length, so a torn or foreign body is never served.
    pub size: u64,
}

/// A cached body found for a URL.
#[derive(Debug)]
pub struct Hit {
    pub meta: Meta,
    pub path: PathBuf,
}

/// The cache directory and its bound.
#[derive(Debug)]
pub struct HttpCache {
    dir: PathBuf,
    max_bytes: u64,
    /// One eviction at a time; lookups and writes need no lock (renames are
    /// atomic).
    evicting: Mutex<()>,
    /// URLs whose last load came from here because the origin could not be
    /// reached.
    offline: Mutex<HashSet<String>>,
}

/// Names temporary files apart when two fetches of one URL run at once.
static NEXT_TMP: AtomicU64 = AtomicU64::new(0);

impl HttpCache {
    /// Opens (creating it when needed) the cache in `dir`, and removes the
    /// temporary files a crash may have left.
    pub fn open(dir: &Path, max_bytes: u64) -> std::io::Result<Arc<Self>> {
        fs::create_dir_all(dir)?;
        for entry in fs::read_dir(dir)?.flatten() {
            if entry.file_name().to_string_lossy().ends_with(".tmp") {
                let _ = fs::remove_file(entry.path());
            }
        }
        let cache = Arc::new(Self {
            dir: dir.to_path_buf(),
            max_bytes,
            evicting: Mutex::new(()),
            offline: Mutex::new(HashSet::new()),
        });
        cache.evict(None);
        Ok(cache)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The bound on all copies together.
    pub fn max_bytes(&self) -> u64 {
        self.max_bytes
    }

    /// The file name stem for a URL: a stable SipHash-1-3 of it, so the same
    /// URL finds its copy after an upgrade. Collisions are harmless: the
    /// stored URL is compared on every lookup.
    fn stem(url: &str) -> String {
        let mut h = siphasher::sip::SipHasher13::new_with_keys(0x7669_7472, 0x696e_6521);
        h.write(url.as_bytes());
        format!("{:016x}", h.finish())
    }

    fn body_path(&self, url: &str) -> PathBuf {
        self.dir.join(format!("{}.body", Self::stem(url)))
    }

    fn meta_path(&self, url: &str) -> PathBuf {
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

    /// Starts keeping a body for `url` as it is read; `None` when the cache
    /// keeps nothing.
    pub fn writer(self: &Arc<Self>, meta: Meta) -> Option<Pending> {
        if self.max_bytes == 0 {
            return None;
        }
        let n = NEXT_TMP.fetch_add(1, Ordering::Relaxed);
        let tmp = self.dir.join(format!(
            "{}.{}-{n}.tmp",
            Self::stem(&meta.url),
            std::process::id()
        ));
        let file = fs::File::create(&tmp).ok()?;
        Some(Pending {
            cache: self.clone(),
            file: Some(file),
            tmp,
            meta,
            written: 0,
        })
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

    /// Removes the least recently used copies until the cache fits its
    /// bound, never the one named `keep` (just written).
    fn evict(&self, keep: Option<&str>) {
        let _one = self.evicting.lock().unwrap_or_else(PoisonError::into_inner);
        // The copy just written counts, but is never chosen.
        let keep = keep.map(|u| format!("{}.body", Self::stem(u)));
        let mut bodies: Vec<(SystemTime, u64, PathBuf)> = Vec::new();
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.ends_with(".body") {
                continue;
            }
            let Ok(m) = entry.metadata() else { continue };
            bodies.push((
                m.modified().unwrap_or(SystemTime::UNIX_EPOCH),
                m.len(),
                entry.path(),
            ));
        }
        let mut total: u64 = bodies.iter().map(|b| b.1).sum();
        bodies.sort_by_key(|b| b.0);
        for (_, len, path) in bodies {
            if total <= self.max_bytes {
                break;
            }
            if keep
                .as_deref()
                .is_some_and(|k| path.file_name().is_some_and(|n| n == k))
            {
                continue;
            }
            let _ = fs::remove_file(path.with_extension("meta"));
            if fs::remove_file(&path).is_ok() {
                tracing::debug!(path = %path.display(), "offline cache: evicted");
                total = total.saturating_sub(len);
            }
        }
    }
}

/// A body being kept as it is read: it becomes the URL's copy only when it
/// was read to its end within the bound, and is removed otherwise.
#[derive(Debug)]
pub struct Pending {
    cache: Arc<HttpCache>,
    file: Option<fs::File>,
    tmp: PathBuf,
    meta: Meta,
    written: u64,
}

impl Pending {
    /// Keeps `bytes`; a body past the cache's whole bound is given up.
    fn write(&mut self, bytes: &[u8]) {
        let Some(f) = self.file.as_mut() else { return };
        self.written += bytes.len() as u64;
        if self.written > self.cache.max_bytes || f.write_all(bytes).is_err() {
            self.file = None;
        }
    }

    /// The body ended: it replaces the URL's copy, and older copies make
    /// room for it.
    fn commit(mut self) {
        let Some(file) = self.file.take() else { return };
        drop(file);
        self.meta.size = self.written;
        let url = self.meta.url.clone();
        let meta_tmp = self.tmp.with_extension("meta.tmp");
        let written = serde_json::to_vec(&self.meta)
            .map_err(std::io::Error::other)
            .and_then(|json| fs::write(&meta_tmp, json))
            .and_then(|()| {
                // Two fetches of one URL finishing at once must not leave one
                // body under the other's description.
                let _one = self
                    .cache
                    .evicting
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner);
                fs::rename(&self.tmp, self.cache.body_path(&url))?;
                fs::rename(&meta_tmp, self.cache.meta_path(&url))
            });
        if let Err(e) = written {
            tracing::warn!(%url, %e, "offline cache: cannot keep a copy");
            let _ = fs::remove_file(&meta_tmp);
        }
        self.cache.evict(Some(&url));
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        // Not committed: the partial body goes (after a commit the rename
        // has moved it, and this finds nothing).
        let _ = fs::remove_file(&self.tmp);
    }
}

/// A reader that keeps what passes through it in the cache, committing the
/// copy at the end of the body.
pub struct Tee {
    inner: Box<dyn Read + Send>,
    pending: Option<Pending>,
}

impl Tee {
    pub fn new(inner: Box<dyn Read + Send>, pending: Pending) -> Self {
        Self {
            inner,
            pending: Some(pending),
        }
    }
}

impl Read for Tee {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        // An empty buffer reads 0 bytes without the body having ended.
        if buf.is_empty() {
            return self.inner.read(buf);
        }
        let n = match self.inner.read(buf) {
            Ok(n) => n,
            Err(e) => {
                // A broken body is never kept.
                self.pending = None;
                return Err(e);
            }
        };
        if n == 0 {
            if let Some(p) = self.pending.take() {
                p.commit();
            }
        } else if let Some(p) = self.pending.as_mut() {
            p.write(&buf[..n]);
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(url: &str) -> Meta {
        Meta {
            url: url.into(),
            final_url: url.into(),
            content_type: Some("image/png".into()),
            size: 0,
        }
    }

    fn keep(cache: &Arc<HttpCache>, url: &str, body: &[u8]) {
        let mut r = Tee::new(
            Box::new(std::io::Cursor::new(body.to_vec())),
            cache.writer(meta(url)).unwrap(),
        );
        std::io::copy(&mut r, &mut std::io::sink()).unwrap();
    }

    fn temp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("vitrine-cache-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        d
    }

    #[test]
    fn a_whole_body_is_kept_and_a_partial_one_is_not() {
        let cache = HttpCache::open(&temp("whole"), 1 << 20).unwrap();
        keep(&cache, "http://a/x.png", b"hello");
        let hit = cache.lookup("http://a/x.png").unwrap();
        assert_eq!(fs::read(&hit.path).unwrap(), b"hello");
        assert_eq!(hit.meta.size, 5);
        // Read only partly: nothing is kept, and no temporary file stays.
        let mut r = Tee::new(
            Box::new(std::io::Cursor::new(vec![7u8; 100])),
            cache.writer(meta("http://a/y.png")).unwrap(),
        );
        let mut part = [0u8; 10];
        r.read_exact(&mut part).unwrap();
        drop(r);
        assert!(cache.lookup("http://a/y.png").is_none());
        let tmps = fs::read_dir(cache.dir())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .count();
        assert_eq!(tmps, 0);
    }

    #[test]
    fn the_least_recently_used_copy_goes_first() {
        let cache = HttpCache::open(&temp("lru"), 250).unwrap();
        keep(&cache, "http://a/1", &[1; 100]);
        std::thread::sleep(std::time::Duration::from_millis(20));
        keep(&cache, "http://a/2", &[2; 100]);
        std::thread::sleep(std::time::Duration::from_millis(20));
        // A use makes 1 the most recent.
        assert!(cache.lookup("http://a/1").is_some());
        std::thread::sleep(std::time::Duration::from_millis(20));
        keep(&cache, "http://a/3", &[3; 100]);
        assert!(cache.lookup("http://a/1").is_some());
        assert!(
            cache.lookup("http://a/2").is_none(),
            "2 was used least recently"
        );
        assert!(cache.lookup("http://a/3").is_some());
        // A body larger than the whole bound is never kept.
        keep(&cache, "http://a/big", &[9; 300]);
        assert!(cache.lookup("http://a/big").is_none());
    }

    #[test]
    fn a_torn_or_foreign_copy_is_not_served() {
        let cache = HttpCache::open(&temp("torn"), 1 << 20).unwrap();
        keep(&cache, "http://a/t", b"0123456789");
        let hit = cache.lookup("http://a/t").unwrap();
        fs::write(&hit.path, b"0123").unwrap();
        assert!(cache.lookup("http://a/t").is_none());
        assert!(cache.lookup("http://a/other").is_none());
    }
}
