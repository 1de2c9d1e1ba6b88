//! Finding vitrine's own assets, so the binary runs from any working directory.

use std::path::{Path, PathBuf};

/// No assets directory was found anywhere vitrine looks.
#[derive(Debug, thiserror::Error)]
#[error("cannot find vitrine's assets (looked in: {}); set VITRINE_ASSETS to the assets directory", .looked.join(", "))]
pub struct AssetsNotFound {
    looked: Vec<String>,
}

/// The candidate assets directories, most specific first: `$VITRINE_ASSETS`,
/// next to the executable, the installed share directory, and the source tree
/// the binary was built from.
fn candidates() -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Some(dir) = std::env::var_os("VITRINE_ASSETS") {
        out.push(PathBuf::from(dir));
    }
    if let Some(exe_dir) = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
    {
        out.push(exe_dir.join("assets"));
        out.push(exe_dir.join("../share/vitrine/assets"));
    }
    // The repository's own, for `cargo run` and the tests.
    out.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets"));
    out
}

/// The assets directory: the first candidate that holds the demo.
pub fn dir() -> Result<PathBuf, AssetsNotFound> {
    let all = candidates();
    all.iter()
        .find(|d| d.join("demo").is_dir())
        .cloned()
        .ok_or_else(|| AssetsNotFound {
            looked: all.iter().map(|p| p.display().to_string()).collect(),
        })
}

/// The built-in demo's directory.
pub fn demo_dir() -> Result<PathBuf, AssetsNotFound> {
    dir().map(|d| d.join("demo"))
}
