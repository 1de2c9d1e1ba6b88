//! The offline cache's writes: a body kept as it is read, its room reserved ahead of each write, put in place only when it was read to its end, and given back otherwise.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

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

/// What a pending write needs of the cache it writes into: room, counted
/// in whole blocks, and a place for the finished copy. A trait, so the
/// cache (which makes pending writes) and its writes do not import each
/// other.
pub(super) trait Keeper: Send + Sync + std::fmt::Debug {
    /// `bytes` rounded up to whole blocks, as the cache counts them.
    fn on_disk(&self, bytes: u64) -> u64;
    /// Reserves `more` bytes for the write to `stem`, evicting to make
    /// room; false when it cannot fit.
    fn reserve(&self, more: u64, stem: &str) -> bool;
    /// Gives back `bytes` reserved by a write.
    fn release(&self, bytes: u64);
    /// Puts the whole body in `tmp` in place as the copy of `meta.url`,
    /// with its description, and gives back `reserved`.
    fn place(&self, stem: &str, tmp: &Path, meta: &Meta, reserved: u64);
}

/// A body being kept as it is read: it becomes the URL's copy only when it
/// was read to its end within the bound, and is removed otherwise.
/// Its room is reserved ahead of each write, and given back when it is
/// dropped without being kept.
#[derive(Debug)]
pub struct Pending {
    pub(super) cache: Arc<dyn Keeper>,
    pub(super) file: Option<fs::File>,
    pub(super) tmp: PathBuf,
    pub(super) meta: Meta,
    pub(super) stem: String,
    /// The description's room.
    pub(super) meta_cost: u64,
    /// The room held: the description and the body's blocks so far.
    pub(super) reserved: u64,
    pub(super) written: u64,
}

impl Pending {
    /// Keeps `bytes`, once room for them is reserved; a body that does not
    /// fit beside the writes in progress, or cannot be written, is given up.
    pub(super) fn write(&mut self, bytes: &[u8]) {
        if self.file.is_none() {
            return;
        }
        self.written = self.written.saturating_add(bytes.len() as u64);
        let need = self
            .meta_cost
            .saturating_add(self.cache.on_disk(self.written));
        if need > self.reserved {
            if !self.cache.reserve(need - self.reserved, &self.stem) {
                self.give_up();
                return;
            }
            self.reserved = need;
        }
        let wrote = self.file.as_mut().map(|f| f.write_all(bytes));
        if !matches!(wrote, Some(Ok(()))) {
            self.give_up();
        }
    }

    /// Stops keeping this body: the file goes now, its room with it.
    fn give_up(&mut self) {
        self.file = None;
        let _ = fs::remove_file(&self.tmp);
        self.release();
    }

    /// Gives back the room held, once.
    fn release(&mut self) {
        if self.reserved > 0 {
            self.cache.release(self.reserved);
            self.reserved = 0;
        }
    }

    /// The body ended: it replaces the URL's copy, counted at its cost on
    /// disk in place of its reservation (which covers it: the body in
    /// blocks so far, the description at its largest).
    fn commit(mut self) {
        let Some(file) = self.file.take() else { return };
        drop(file);
        self.meta.size = self.written;
        self.cache
            .place(&self.stem, &self.tmp, &self.meta, self.reserved);
        self.reserved = 0;
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        // Not committed: the partial body goes, and its room (after a
        // commit the rename has moved it, and nothing is held).
        if self.reserved > 0 {
            let _ = fs::remove_file(&self.tmp);
            self.release();
        }
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
