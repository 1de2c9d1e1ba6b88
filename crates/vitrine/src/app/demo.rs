//! The built-in demo: a manifest in `assets/demo/` of images, an HTML card and a video, placed around the window.

use std::path::Path;

use serde::Deserialize;

use super::load::request::{LoadRequest, Origin, Placement, Source};

/// Why the demo could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DemoError {
    #[error("cannot read the demo manifest {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("bad demo manifest {path}: {source}")]
    Parse {
        path: String,
        source: serde_json::Error,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    items: Vec<Item>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Item {
    name: String,
    /// A file next to the manifest; its kind is sniffed like any content.
    src: String,
    /// The centre, as fractions of the window.
    at: [f64; 2],
    /// The width, as a fraction of the window's.
    width: f64,
    #[serde(default)]
    rotation: f64,
    /// The viewport of an HTML item, in CSS pixels.
    #[serde(default)]
    viewport: Option<[u32; 2]>,
    /// A poster image for a video item, next to the manifest.
    #[serde(default)]
    poster: Option<String>,
}

/// The demo's load requests, in manifest order (back to front).
pub fn requests(dir: &Path) -> Result<Vec<LoadRequest>, DemoError> {
    let path = dir.join("demo.json");
    let text = std::fs::read_to_string(&path).map_err(|source| DemoError::Read {
        path: path.display().to_string(),
        source,
    })?;
    let manifest: Manifest = serde_json::from_str(&text).map_err(|source| DemoError::Parse {
        path: path.display().to_string(),
        source,
    })?;
    Ok(manifest
        .items
        .into_iter()
        .map(|item| LoadRequest {
            name: item.name,
            source: Source::File(dir.join(&item.src)),
            placement: Placement::Relative {
                at: item.at,
                width: item.width,
                rotation: item.rotation,
            },
            origin: Origin::Startup,
            viewport: item.viewport.map(|[w, h]| (w, h)),
            poster: item.poster.map(|p| Source::File(dir.join(p))),
        })
        .collect())
}
