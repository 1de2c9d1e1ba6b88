//! `[state]`: whether the kiosk keeps its desired state on disk, and where.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// `[state]`: the durable desired state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StateConfig {
    /// Keep the desired state on disk and restore it at start.
    pub enabled: bool,
    /// The state directory; empty picks `$STATE_DIRECTORY` (set by systemd),
    /// else `$XDG_STATE_HOME/vitrine`, else `~/.local/state/vitrine`.
    pub dir: PathBuf,
    /// The most bytes of HTTP(S) content kept in `<dir>/cache` for an
    /// offline restart, least recently used out first; 0 keeps none. Every
    /// file counts in whole disk blocks (at least one), a body still being
    /// written included.
    pub cache_max_bytes: u64,
    /// The most copies kept in `<dir>/cache` (each is two files, a body
    /// and its description), so many small URLs cannot use up the state
    /// volume's inodes; 0 keeps none.
    pub cache_max_entries: usize,
}

impl Default for StateConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            dir: PathBuf::new(),
            cache_max_bytes: 512 * 1024 * 1024,
            cache_max_entries: 10_000,
        }
    }
}

impl StateConfig {
    /// The directory to use, from the config or the environment; `None` when
    /// none is configured and no home directory is known.
    pub fn resolve_dir(&self) -> Option<PathBuf> {
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        resolve(
            &self.dir,
            var("STATE_DIRECTORY"),
            var("XDG_STATE_HOME"),
            var("HOME"),
        )
    }
}

/// The resolution rule, apart from the environment so it can be tested.
fn resolve(
    configured: &Path,
    systemd: Option<std::ffi::OsString>,
    xdg: Option<std::ffi::OsString>,
    home: Option<std::ffi::OsString>,
) -> Option<PathBuf> {
    if !configured.as_os_str().is_empty() {
        return Some(configured.to_path_buf());
    }
    if let Some(s) = systemd {
        // systemd may list several directories, separated by colons; the
        // first is the one named by StateDirectory=.
        let first = s.to_string_lossy().split(':').next().map(PathBuf::from);
        return first.filter(|p| !p.as_os_str().is_empty());
    }
    if let Some(x) = xdg {
        return Some(PathBuf::from(x).join("vitrine"));
    }
    home.map(|h| PathBuf::from(h).join(".local/state/vitrine"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Option<std::ffi::OsString> {
        Some(v.into())
    }

    #[test]
    fn the_directory_follows_config_then_systemd_then_xdg_then_home() {
        let none = Path::new("");
        assert_eq!(
            resolve(Path::new("/srv/v"), s("/var/lib/vitrine"), None, None),
            Some("/srv/v".into())
        );
        assert_eq!(
            resolve(none, s("/var/lib/vitrine:/var/lib/other"), s("/x"), s("/h")),
            Some("/var/lib/vitrine".into())
        );
        assert_eq!(
            resolve(none, None, s("/x"), s("/h")),
            Some("/x/vitrine".into())
        );
        assert_eq!(
            resolve(none, None, None, s("/h")),
            Some("/h/.local/state/vitrine".into())
        );
        assert_eq!(resolve(none, None, None, None), None);
    }
}
