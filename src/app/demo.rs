//! The built-in demo: a manifest in `assets/demo/` of images placed around the window.

use std::path::Path;

use serde::Deserialize;

use super::kiosk::VideoLoad;
use super::loader::{ImageRole, LoadRequest, Origin, Placement};

/// One item of the demo.
pub enum DemoItem {
    Image(LoadRequest),
    Video(VideoLoad),
}

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
    src: String,
    at: [f64; 2],
    width: f64,
    #[serde(default)]
    rotation: f64,
    #[serde(default)]
    kind: ItemKind,
}

#[derive(Deserialize, Default, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum ItemKind {
    #[default]
    Image,
    Html,
    Video,
}

/// The demo's items, in manifest order (back to front).
pub fn items(dir: &Path) -> Result<Vec<DemoItem>, DemoError> {
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
        .map(|item| {
            let placement = Placement::Relative {
                at: item.at,
                width: item.width,
                rotation: item.rotation,
            };
            let path = dir.join(&item.src);
            let image = |role| {
                DemoItem::Image(LoadRequest {
                    name: item.name.clone(),
                    path: path.clone(),
                    role,
                    placement: placement.clone(),
                    origin: Origin::Startup,
                })
            };
            match item.kind {
                ItemKind::Image => image(ImageRole::Image),
                ItemKind::Html => image(ImageRole::HtmlPlaceholder),
                ItemKind::Video => DemoItem::Video(VideoLoad {
                    name: item.name.clone(),
                    uri: crate::content::file_uri(&path),
                    placement: placement.clone(),
                    origin: Origin::Startup,
                }),
            }
        })
        .collect())
}
