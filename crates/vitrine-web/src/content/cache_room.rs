//! The offline cache's accounting: each entry at its cost on disk (its body and its description, each in whole blocks), room reserved for bodies still being written, the number of entries bounded, and the least recently used entries chosen to make room.

use std::collections::{BTreeMap, HashMap};

/// The cache's bounds.
#[derive(Clone, Copy, Debug)]
pub struct Bounds {
    /// `state.cache_max_bytes`: kept and reserved bytes together, on disk.
    pub max_bytes: u64,
    /// `state.cache_max_entries`: kept entries and writes in progress.
    pub max_entries: usize,
    /// Files are counted in whole blocks of this size.
    pub block: u64,
}

impl Bounds {
    /// What a file of `len` bytes takes on disk: whole blocks, and at least
    /// one (an empty file still takes an inode and a directory entry, which
    /// is what many empty bodies would run out of).
    pub fn on_disk(&self, len: u64) -> u64 {
        len.div_ceil(self.block).max(1).saturating_mul(self.block)
    }
}

/// One kept entry.
#[derive(Clone, Copy, Debug)]
struct Entry {
    cost: u64,
    /// Its last use, in the ledger's own clock.
    used: u64,
}

/// Why there is no room.
#[derive(Debug, PartialEq, thiserror::Error)]
pub enum NoRoom {
    #[error(
        "{want} more bytes do not fit state.cache_max_bytes ({max}) beside the writes in progress"
    )]
    Bytes { want: u64, max: u64 },
    #[error(
        "another entry does not fit state.cache_max_entries ({0}) beside the writes in progress"
    )]
    Entries(usize),
}

/// The kept entries by file stem, their order of use, and what writes in
/// progress hold.
#[derive(Debug, Default)]
pub struct Room {
    entries: HashMap<String, Entry>,
    /// Stems by last use, oldest first.
    by_use: BTreeMap<u64, String>,
    kept: u64,
    reserved: u64,
    writing: usize,
    clock: u64,
}

impl Room {
    /// Bytes held on disk: kept entries and reservations.
    pub fn bytes(&self) -> u64 {
        self.kept.saturating_add(self.reserved)
    }

    /// Entries kept and being written.
    pub fn entries(&self) -> usize {
        self.entries.len() + self.writing
    }

    /// Records `stem` as kept at `cost`, used now (replacing what it was).
    pub fn insert(&mut self, stem: &str, cost: u64) {
        self.remove(stem);
        self.clock += 1;
        self.by_use.insert(self.clock, stem.to_string());
        self.entries.insert(
            stem.to_string(),
            Entry {
                cost,
                used: self.clock,
            },
        );
        self.kept = self.kept.saturating_add(cost);
    }

    /// Marks `stem` as used now.
    pub fn touch(&mut self, stem: &str) {
        let Some(e) = self.entries.get_mut(stem) else {
            return;
        };
        self.by_use.remove(&e.used);
        self.clock += 1;
        e.used = self.clock;
        self.by_use.insert(self.clock, stem.to_string());
    }

    /// Forgets `stem`, whose files are gone or going.
    pub fn remove(&mut self, stem: &str) -> bool {
        let Some(e) = self.entries.remove(stem) else {
            return false;
        };
        self.by_use.remove(&e.used);
        self.kept = self.kept.saturating_sub(e.cost);
        true
    }

    /// Reserves `more` bytes, and a new entry when `entry`, for a write to
    /// `own`; returns the stems it forgot to make room, least recently
    /// used first (`own`'s older copy last), whose files the caller
    /// removes. Nothing is forgotten when even that would not make room.
    pub fn reserve(
        &mut self,
        bounds: &Bounds,
        more: u64,
        entry: bool,
        own: &str,
    ) -> Result<Vec<String>, NoRoom> {
        let new = usize::from(entry);
        // Writes in progress cannot be evicted: past them, nothing helps.
        if self.reserved.saturating_add(more) > bounds.max_bytes {
            return Err(NoRoom::Bytes {
                want: more,
                max: bounds.max_bytes,
            });
        }
        if self.writing + new > bounds.max_entries {
            return Err(NoRoom::Entries(bounds.max_entries));
        }
        let fits = |r: &Self| {
            r.bytes().saturating_add(more) <= bounds.max_bytes
                && r.entries() + new <= bounds.max_entries
        };
        let mut gone = Vec::new();
        while !fits(self) {
            let oldest = self
                .by_use
                .values()
                .find(|s| *s != own)
                .or_else(|| self.by_use.values().next())
                .cloned();
            let Some(stem) = oldest else { break };
            self.remove(&stem);
            gone.push(stem);
        }
        self.reserved += more;
        self.writing += new;
        Ok(gone)
    }

    /// Gives back what a write held.
    pub fn release(&mut self, bytes: u64, entry: bool) {
        self.reserved = self.reserved.saturating_sub(bytes);
        if entry {
            self.writing = self.writing.saturating_sub(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const B: Bounds = Bounds {
        max_bytes: 10 * 4096,
        max_entries: 4,
        block: 4096,
    };

    #[test]
    fn files_cost_whole_blocks_and_at_least_one() {
        assert_eq!(B.on_disk(0), 4096);
        assert_eq!(B.on_disk(1), 4096);
        assert_eq!(B.on_disk(4096), 4096);
        assert_eq!(B.on_disk(4097), 8192);
    }

    #[test]
    fn empty_entries_are_evicted_by_count_oldest_first() {
        let mut r = Room::default();
        for s in ["a", "b", "c", "d"] {
            assert!(r.reserve(&B, 2 * 4096, true, s).unwrap().is_empty());
            r.release(2 * 4096, true);
            r.insert(s, 2 * 4096);
        }
        r.touch("a");
        // A fifth entry: the count is full, and b is the oldest now.
        assert_eq!(r.reserve(&B, 2 * 4096, true, "e").unwrap(), vec!["b"]);
        assert_eq!(r.entries(), 4);
        assert_eq!(r.bytes(), 8 * 4096);
    }

    #[test]
    fn writes_in_progress_count_and_cannot_be_evicted() {
        let mut r = Room::default();
        r.insert("old", 4 * 4096);
        assert!(r.reserve(&B, 6 * 4096, true, "w").unwrap().is_empty());
        // Growing past what is kept evicts it; past the writes, nothing can.
        assert_eq!(r.reserve(&B, 4 * 4096, false, "w").unwrap(), vec!["old"]);
        assert_eq!(r.bytes(), 10 * 4096);
        assert_eq!(
            r.reserve(&B, 4096, false, "w"),
            Err(NoRoom::Bytes {
                want: 4096,
                max: 10 * 4096
            })
        );
        r.release(10 * 4096, true);
        assert_eq!((r.bytes(), r.entries()), (0, 0));
    }

    #[test]
    fn the_writers_own_older_copy_goes_last() {
        let mut r = Room::default();
        r.insert("x", 4 * 4096);
        r.insert("y", 4 * 4096);
        // x is older, but it is the copy being refreshed: y goes first.
        assert_eq!(r.reserve(&B, 4 * 4096, true, "x").unwrap(), vec!["y"]);
        assert_eq!(r.reserve(&B, 4 * 4096, false, "x").unwrap(), vec!["x"]);
    }

    #[test]
    fn too_many_writes_at_once_are_refused_without_evicting() {
        let mut r = Room::default();
        r.insert("k", 4096);
        for s in ["1", "2", "3", "4"] {
            r.reserve(&B, 4096, true, s).unwrap();
        }
        assert_eq!(r.entries(), 4, "k made room for the fourth write");
        assert_eq!(r.reserve(&B, 4096, true, "5"), Err(NoRoom::Entries(4)));
    }
}
