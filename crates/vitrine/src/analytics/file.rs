//! The analytics file, `stats.json` in the state directory: written durably (temporary file, `fsync`, rename), read back at start, and set aside when it is not a stats file.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::counters::Analytics;
use crate::state::durable;

const FILE: &str = "stats.json";
const FORMAT: &str = "vitrine-stats";
const VERSION: u32 = 1;

/// Why the counters could not be saved or read.
#[derive(Debug, thiserror::Error)]
pub enum StatsError {
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot encode the counters: {0}")]
    Encode(#[from] serde_json::Error),
    #[error("{path} is not a usable stats file ({why}); counting starts afresh")]
    Unusable { path: String, why: String },
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    format: String,
    version: u32,
    stats: Analytics,
}

/// Saves the counters durably in `dir`.
pub fn save(dir: &Path, stats: &Analytics) -> Result<(), StatsError> {
    let doc = Document {
        format: FORMAT.into(),
        version: VERSION,
        stats: stats.clone(),
    };
    let bytes = serde_json::to_vec(&doc)?;
    durable::replace(dir, FILE, &bytes).map_err(|source| StatsError::Write {
        path: dir.join(FILE).display().to_string(),
        source,
    })
}

/// The counters saved in `dir`: `Ok(None)` when there are none yet. A bad
/// file is moved aside (as `stats.json.bad`) so the next save does not
/// overwrite what someone may want to inspect.
pub fn load(dir: &Path) -> Result<Option<Analytics>, StatsError> {
    let path = dir.join(FILE);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(unusable(&path, format!("unreadable: {e}"))),
    };
    let why = match serde_json::from_slice::<Document>(&bytes) {
        Ok(doc) if doc.format == FORMAT && doc.version == VERSION => return Ok(Some(doc.stats)),
        Ok(doc) => format!("format {:?} version {}", doc.format, doc.version),
        Err(e) => e.to_string(),
    };
    let _ = std::fs::rename(&path, dir.join(format!("{FILE}.bad")));
    Err(unusable(&path, why))
}

fn unusable(path: &Path, why: String) -> StatsError {
    StatsError::Unusable {
        path: path.display().to_string(),
        why,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::GestureKind;
    use std::time::Duration;

    #[test]
    fn counters_survive_a_save_and_a_bad_file_is_set_aside() {
        let d = std::env::temp_dir().join(format!("vitrine-stats-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        assert!(load(&d).unwrap().is_none());
        let mut a = Analytics::new(5.0, 10);
        a.gesture("pic", GestureKind::Drag, 1, 0, Duration::from_secs(1), 9.0);
        save(&d, &a).unwrap();
        let back = load(&d).unwrap().unwrap().restored(10);
        assert_eq!(back.report(None), a.report(None));
        std::fs::write(d.join(FILE), b"{\"format\":").unwrap();
        assert!(matches!(load(&d), Err(StatsError::Unusable { .. })));
        assert!(d.join("stats.json.bad").exists() && !d.join(FILE).exists());
        let _ = std::fs::remove_dir_all(&d);
    }
}
