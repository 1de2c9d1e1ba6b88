//! What a load is: the widget it goes into, its source, where it is placed, who waits for it, and what comes back.

use std::path::PathBuf;
use std::sync::Arc;

use glam::DAffine2;

use crate::outcome::{Caller, LoadFailure};
use crate::pixels::Rgba8Image;

/// Where new content goes once it is ready.
#[derive(Clone, Debug, PartialEq)]
pub enum Placement {
    /// Centred, fitted to 60 % of the window, cascaded.
    Default,
    /// Centred at a fraction of the window, `width` a fraction of the window
    /// width, turned by `rotation` degrees clockwise.
    Relative {
        at: [f64; 2],
        width: f64,
        rotation: f64,
    },
    /// An exact local → window transform.
    Exact(DAffine2),
    /// Where the back office said, with `fetchUrl` or `postHtml`: what it
    /// leaves out comes from the default placement. It also moves a widget
    /// whose content it replaces.
    Spec(crate::api::PlaceSpec),
    /// Where the widget is now, keeping its place in the z-order: a card
    /// going back to its page on a reset. A new widget gets the default.
    InPlace,
    /// A home from the desired state (its top-left corner in window pixels,
    /// scale and clockwise rotation in degrees) and its gesture switches.
    Home(crate::state::Home, crate::scene::Gestures),
}

/// Who asked for content, which decides what a failure does.
#[derive(Clone, Debug)]
pub enum Origin {
    /// The config or the demo: no one to tell, so a failure shows an error
    /// card in the content's place (and the log says why).
    Startup,
    /// Someone who waits for the outcome: a failure is reported to them and
    /// nothing on screen changes. Once shown, the source is kept in the
    /// desired state.
    Caller(Caller, Arc<crate::state::Source>),
    /// A tap on a link: a failure is logged and nothing on screen changes.
    Tap,
    /// A playlist's next item, loaded before its turn: it waits off screen
    /// until the item showing has had its time. A failure skips the item.
    Playlist(Turn),
    /// Content for a layout preview (its number): drawn offscreen once,
    /// never shown. A failure leaves the widget out of the preview.
    Preview(u64),
}

/// Which playlist item a load is for: the playlist's generation (a new
/// document or source starts a new one, and a load for an older one is
/// dropped) and the item's index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Turn {
    pub generation: u64,
    pub item: usize,
}

impl Origin {
    /// The caller waiting for the outcome, if there is one.
    pub fn caller(&self) -> Option<&Caller> {
        match self {
            Origin::Caller(c, _) => Some(c),
            Origin::Startup | Origin::Tap | Origin::Playlist(_) | Origin::Preview(_) => None,
        }
    }

    /// Claims the load to show it: false when its caller gave up first, and
    /// then it must change nothing. Loads nobody waits for are always shown.
    pub fn claim(&self) -> bool {
        match self {
            Origin::Caller(c, _) => c.claim(),
            Origin::Startup | Origin::Tap | Origin::Playlist(_) | Origin::Preview(_) => true,
        }
    }

    /// A caller who stopped waiting: the load must change nothing.
    pub fn is_cancelled(&self) -> bool {
        matches!(self, Origin::Caller(c, _) if c.is_cancelled())
    }

    pub fn is_startup(&self) -> bool {
        matches!(self, Origin::Startup)
    }
}

/// What to load.
#[derive(Clone, Debug)]
pub enum Source {
    /// A local file named by the operator (the command line, the demo). It is
    /// trusted: the content policy governs URLs, not these.
    File(PathBuf),
    /// A URL, fetched under the content policy.
    Url(String),
}

impl Source {
    pub fn describe(&self) -> String {
        match self {
            Source::File(p) => p.display().to_string(),
            Source::Url(u) => u.clone(),
        }
    }
}

/// A request to load content into the widget called `name`.
#[derive(Clone, Debug)]
pub struct LoadRequest {
    pub name: String,
    pub source: Source,
    pub placement: Placement,
    pub origin: Origin,
    /// The viewport of an HTML page, in CSS pixels; `None` takes the config's.
    pub viewport: Option<(u32, u32)>,
    /// For a video: an image shown until it first plays, instead of its
    /// first frame.
    pub poster: Option<Source>,
}

/// How to show again what a card was given.
#[derive(Clone, Debug)]
pub enum WayBack {
    /// A file or URL, with the card's viewport.
    Load(Source, (u32, u32)),
    /// A posted document.
    Html {
        html: String,
        base_url: Option<String>,
        viewport: (u32, u32),
    },
}

/// Loaded content, ready for the next stage.
pub enum Content {
    /// A decoded image.
    Image(Arc<Rgba8Image>),
    /// An HTML document to render, with the URL relative links resolve against.
    Html {
        html: String,
        base_url: Option<String>,
    },
    /// A video, played by GStreamer from its URI, with its poster image if
    /// one was asked for and could be loaded.
    Video {
        uri: String,
        poster: Option<Arc<Rgba8Image>>,
        /// A local copy of the whole video to play instead of `uri` (the
        /// offline cache's), so it plays with the origin gone too.
        local: Option<String>,
    },
}

/// A finished load.
pub struct Loaded {
    pub request: LoadRequest,
    pub result: Result<Content, LoadFailure>,
}

/// An item of the startup queue.
pub enum Queued {
    /// A file or URL.
    Load(LoadRequest),
    /// A restored `postHtml` document.
    Html {
        name: String,
        html: String,
        base_url: Option<String>,
        viewport: Option<(u32, u32)>,
        placement: Placement,
    },
}
