//! Why a config file could not be used, with the key and line it is about, and where vitrine looks for its config.

use std::path::{Path, PathBuf};

/// Why a config file could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file exists but could not be read.
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file is not valid TOML, or a key or value does not fit.
    #[error("{}", located(path, *line, key.as_deref(), message))]
    Parse {
        path: PathBuf,
        line: Option<usize>,
        key: Option<String>,
        message: String,
    },
}

impl ConfigError {
    /// The dotted key the error is about, when known.
    pub fn key(&self) -> Option<&str> {
        match self {
            ConfigError::Parse { key, .. } => key.as_deref(),
            ConfigError::Read { .. } => None,
        }
    }

    /// The 1-based line the error is about, when known.
    pub fn line(&self) -> Option<usize> {
        match self {
            ConfigError::Parse { line, .. } => *line,
            ConfigError::Read { .. } => None,
        }
    }
}

fn located(path: &Path, line: Option<usize>, key: Option<&str>, message: &str) -> String {
    let mut s = format!("config error in {}", path.display());
    if let Some(line) = line {
        s.push_str(&format!(" at line {line}"));
    }
    if let Some(key) = key {
        s.push_str(&format!(", key `{key}`"));
    }
    s.push_str(": ");
    s.push_str(message);
    s
}

/// Where vitrine looks for its config when `--config` is not given:
/// `$VITRINE_CONFIG`, else `/etc/vitrine/vitrine.toml`.
pub fn default_path() -> PathBuf {
    std::env::var_os("VITRINE_CONFIG")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/etc/vitrine/vitrine.toml"))
}

/// A value that passed parsing but not validation: the dotted key and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Invalid {
    pub key: String,
    pub message: String,
}
