//! What a layout holds: widgets (a name, a source, a home, gesture switches) and a backdrop, as the document writes them.

use serde::{Deserialize, Serialize};

use super::playlist::{Item, Transition};
use crate::gestures::Gestures;

/// One widget the back office created.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Widget {
    pub name: String,
    pub source: Source,
    /// Where the widget rests, in window pixels.
    pub home: Home,
    /// Its gesture switches, pinning and fill; left out when the defaults.
    #[serde(default, skip_serializing_if = "Gestures::is_default")]
    pub gestures: Gestures,
}

/// Where a widget's content comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
pub enum Source {
    /// `fetchUrl`: a URL (`file://` included), its kind sniffed on load,
    /// and for a video the image URL shown until it first plays.
    Url {
        url: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        poster: Option<String>,
    },
    /// `postHtml`: a document, with the URL its relative links resolve
    /// against and its viewport in CSS pixels.
    Html {
        data: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        base_url: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        width: Option<u32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        height: Option<u32>,
    },
    /// Items that take turns in the widget, looping (version 2).
    Playlist {
        items: Vec<Item>,
        #[serde(default, skip_serializing_if = "Transition::is_cut")]
        transition: Transition,
    },
}

impl Source {
    pub fn is_playlist(&self) -> bool {
        matches!(self, Source::Playlist { .. })
    }
}

/// A widget's resting place: where its content's top-left corner sits, in
/// window pixels, its scale and its clockwise rotation (degrees) about that
/// corner. This is the widget's transform itself, so content that replaces
/// a widget keeps its home exactly as it keeps its place on screen.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Home {
    pub x: f64,
    pub y: f64,
    pub scale: f64,
    pub rotation: f64,
}

impl Home {
    /// Whether every number is finite and the scale positive: a document
    /// that says otherwise is not restored.
    pub fn is_valid(&self) -> bool {
        [self.x, self.y, self.scale, self.rotation]
            .iter()
            .all(|v| v.is_finite())
            && self.scale > 0.0
    }
}

/// The backdrop and the widgets above it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Backdrop {
    /// RGBA, straight alpha; `None` is the config's colour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<[f32; 4]>,
    /// The widgets above the backdrop, back to front: always the front-most
    /// widgets of [`Desired::widgets`], as on screen, where content that
    /// arrives or is raised later goes above the backdrop too.
    #[serde(default)]
    pub above: Vec<String>,
}
