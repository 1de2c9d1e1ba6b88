//! The state file on disk: every save is durable before it returns (temporary file, `fsync`, rename, directory `fsync`), and a load survives a corrupt, truncated or unreadable file by falling back to the previous good copy.
//!
//! The directory holds `state.json` (the last saved revision),
//! `state.json.prev` (the one before it) and, after a bad file was found,
//! `state.json.bad-<unix seconds>` kept for inspection. A save writes
//! `state.json.tmp` first, so a crash at any point leaves either the old or
//! the new revision readable: between its two renames only `.prev` exists,
//! and a load takes it.

use std::fs;
use std::path::{Path, PathBuf};

use crate::api::document::{Desired, Document};
use crate::state::durable;

/// Why the state could not be saved or its directory used.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("state directory {path}: {source}")]
    Dir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot encode the state: {0}")]
    Encode(#[from] serde_json::Error),
}

/// What opening the directory found.
#[derive(Debug, Default)]
pub struct Opened {
    /// The state to restore; `None` when there is none (a fresh kiosk) or
    /// no good copy survived.
    pub state: Option<Desired>,
    /// What was done on the way, for the log: fallbacks and files set aside.
    pub notes: Vec<String>,
}

/// A state directory.
#[derive(Debug)]
pub struct Store {
    dir: PathBuf,
}

/// Why one copy could not be used.
enum Bad {
    Missing,
    Unusable(String),
}

impl Store {
    /// Opens (creating it when needed) the state directory and reads the
    /// last good state from it, with names of the default bound.
    pub fn open(dir: &Path) -> Result<(Store, Opened), StoreError> {
        Self::open_within(dir, crate::api::protocol::bounds::DEFAULT_MAX_NAME_BYTES)
    }

    /// As [`Store::open`], with names of at most `max_name_bytes`
    /// (`remote.max_name_bytes`). A copy that fails the document's checks
    /// (a revision past 2^53-1, a name out of bounds) is bad like a corrupt
    /// one: noted, kept aside, and the previous copy tried.
    pub fn open_within(dir: &Path, max_name_bytes: usize) -> Result<(Store, Opened), StoreError> {
        fs::create_dir_all(dir).map_err(|source| StoreError::Dir {
            path: dir.to_path_buf(),
            source,
        })?;
        let store = Store {
            dir: dir.to_path_buf(),
        };
        let mut opened = Opened::default();
        let current = store.file("state.json");
        let prev = store.file("state.json.prev");
        match read(&current, max_name_bytes) {
            Ok(state) => {
                opened.state = Some(state);
                return Ok((store, opened));
            }
            Err(Bad::Missing) => {}
            Err(Bad::Unusable(why)) => {
                opened.notes.push(format!("{}: {why}", current.display()));
                opened.notes.push(store.set_aside(&current));
            }
        }
        match read(&prev, max_name_bytes) {
            Ok(state) => {
                opened.notes.push(format!(
                    "restored the previous copy, {} (revision {})",
                    prev.display(),
                    state.revision
                ));
                opened.state = Some(state);
            }
            Err(Bad::Missing) => {}
            Err(Bad::Unusable(why)) => {
                opened.notes.push(format!("{}: {why}", prev.display()));
                opened.notes.push(store.set_aside(&prev));
            }
        }
        Ok((store, opened))
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Moves a bad file out of the way, keeping it for inspection, and says
    /// where it went.
    fn set_aside(&self, path: &Path) -> String {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let name = path
            .file_name()
            .map_or_else(|| "state".into(), |n| n.to_string_lossy().into_owned());
        let aside = self.file(&format!("{name}.bad-{secs}"));
        match fs::rename(path, &aside) {
            Ok(()) => format!("kept the bad file as {}", aside.display()),
            Err(e) => format!("cannot move {} aside: {e}", path.display()),
        }
    }

    /// Saves `state` durably: when this returns `Ok`, the state survives a
    /// crash or a power cut.
    pub fn save(&self, state: &Desired) -> Result<(), StoreError> {
        let doc = Document::of(state.clone());
        let bytes = serde_json::to_vec_pretty(&doc)?;
        let tmp = self.file("state.json.tmp");
        let current = self.file("state.json");
        let prev = self.file("state.json.prev");
        let write = |path: &Path, source| StoreError::Write {
            path: path.to_path_buf(),
            source,
        };
        durable::write_synced(&tmp, &bytes).map_err(|e| write(&tmp, e))?;
        match fs::rename(&current, &prev) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(write(&prev, e)),
        }
        fs::rename(&tmp, &current).map_err(|e| write(&current, e))?;
        // The renames are durable only once the directory is.
        durable::sync_dir(&self.dir).map_err(|e| write(&self.dir, e))
    }
}

/// Reads and checks one copy.
fn read(path: &Path, max_name_bytes: usize) -> Result<Desired, Bad> {
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Bad::Missing),
        Err(e) => return Err(Bad::Unusable(format!("unreadable: {e}"))),
    };
    let doc: Document = serde_json::from_slice(&bytes)
        .map_err(|e| Bad::Unusable(format!("not a valid state file: {e}")))?;
    doc.into_checked_within(max_name_bytes)
        .map_err(Bad::Unusable)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::document::{Home, Source, Widget};

    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("vitrine-store-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        d
    }

    fn state(revision: u64) -> Desired {
        Desired {
            revision,
            widgets: vec![Widget {
                name: "a".into(),
                source: Source::Html {
                    data: "<p>hi</p>".into(),
                    base_url: None,
                    width: Some(300),
                    height: None,
                },
                home: Home {
                    x: 10.0,
                    y: 20.0,
                    scale: 0.5,
                    rotation: 30.0,
                },
                gestures: Default::default(),
            }],
            backdrop: None,
            ..Desired::default()
        }
    }

    fn bad_files(d: &Path) -> usize {
        fs::read_dir(d)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .contains(".bad-")
            })
            .count()
    }

    #[test]
    fn a_saved_state_reads_back_and_the_previous_one_is_kept() {
        let d = dir("roundtrip");
        let (store, opened) = Store::open(&d).unwrap();
        assert!(opened.state.is_none() && opened.notes.is_empty());
        store.save(&state(1)).unwrap();
        store.save(&state(2)).unwrap();
        let (_, opened) = Store::open(&d).unwrap();
        assert_eq!(opened.state, Some(state(2)));
        assert!(opened.notes.is_empty());
        assert_eq!(read(&d.join("state.json.prev"), 128).ok(), Some(state(1)));
        assert!(!d.join("state.json.tmp").exists());
    }

    #[test]
    fn a_corrupt_truncated_or_unreadable_file_falls_back_and_is_kept_aside() {
        let d = dir("corrupt");
        let (store, _) = Store::open(&d).unwrap();
        store.save(&state(1)).unwrap();
        store.save(&state(2)).unwrap();
        let good = fs::read(d.join("state.json")).unwrap();
        let breakers: [&dyn Fn(&Path); 3] = [
            &|p| fs::write(p, b"{\"format\": \"vitrine-state\", garbage").unwrap(),
            &|p| fs::write(p, &good[..good.len() / 2]).unwrap(),
            &|p| {
                // A directory where the file should be cannot be read, even
                // by root.
                fs::remove_file(p).unwrap();
                fs::create_dir(p).unwrap();
            },
        ];
        for (i, breaker) in breakers.iter().enumerate() {
            store.save(&state(1)).unwrap();
            store.save(&state(2)).unwrap();
            breaker(&d.join("state.json"));
            let (_, opened) = Store::open(&d).unwrap();
            assert_eq!(opened.state, Some(state(1)), "case {i}");
            assert!(
                opened.notes.iter().any(|n| n.contains("previous copy")),
                "case {i}: {:?}",
                opened.notes
            );
            assert!(!d.join("state.json").exists(), "case {i}: moved aside");
            assert!(bad_files(&d) >= 1, "case {i}: kept for inspection");
            // Set-aside names are per second; clear them between cases.
            for e in fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.to_string_lossy().contains(".bad-") {
                    let _ = fs::remove_dir_all(&p);
                    let _ = fs::remove_file(&p);
                }
            }
        }
    }

    #[test]
    fn with_both_copies_bad_the_kiosk_starts_empty() {
        let d = dir("both");
        let (store, _) = Store::open(&d).unwrap();
        store.save(&state(1)).unwrap();
        store.save(&state(2)).unwrap();
        fs::write(d.join("state.json"), b"").unwrap();
        fs::write(d.join("state.json.prev"), b"{}").unwrap();
        let (_, opened) = Store::open(&d).unwrap();
        assert_eq!(opened.state, None);
        assert_eq!(opened.notes.len(), 4, "{:?}", opened.notes);
    }

    #[test]
    fn a_crash_between_the_renames_restores_the_last_saved_state() {
        let d = dir("renames");
        let (store, _) = Store::open(&d).unwrap();
        store.save(&state(1)).unwrap();
        // As if the kiosk died after moving state.json to .prev.
        fs::rename(d.join("state.json"), d.join("state.json.prev")).unwrap();
        let (_, opened) = Store::open(&d).unwrap();
        assert_eq!(opened.state, Some(state(1)));
    }

    #[test]
    fn a_revision_past_two_to_the_53_is_set_aside_and_the_previous_copy_restored() {
        let d = dir("revision");
        let (store, _) = Store::open(&d).unwrap();
        store.save(&state(1)).unwrap();
        store.save(&state(u64::MAX)).unwrap();
        let (_, opened) = Store::open(&d).unwrap();
        assert_eq!(opened.state, Some(state(1)));
        assert!(opened.notes[0].contains("2^53-1"), "{:?}", opened.notes);
        assert_eq!(bad_files(&d), 1, "kept for inspection");
    }

    #[test]
    fn a_file_that_is_not_a_state_file_is_refused() {
        let d = dir("format");
        fs::create_dir_all(&d).unwrap();
        let doc = serde_json::json!({"format": "other", "version": 1, "state": state(1)});
        fs::write(d.join("state.json"), doc.to_string()).unwrap();
        let (_, opened) = Store::open(&d).unwrap();
        assert_eq!(opened.state, None);
        assert!(opened.notes[0].contains("format"), "{:?}", opened.notes);
    }
}
