//! The layout preview being drawn (`Previews`): the layout's widgets, the content loaded for each (or borrowed from the screen), what is still loading, who waits for the picture and until when.

use std::collections::{HashMap, HashSet};
use std::sync::mpsc::Sender;
use std::time::Instant;

use glam::DVec2;

use crate::api::CallResult;
use crate::app::widgets::Entry;
use crate::scene::{ContentKey, Kind};
use crate::state::{Backdrop, Widget};

/// One widget's content in a preview.
pub enum Part {
    /// Loaded for the preview alone: freed once it is drawn.
    Loaded { size: DVec2, entry: Entry },
    /// On screen already with the same source: its texture as it is.
    Shown {
        kind: Kind,
        size: DVec2,
        key: ContentKey,
    },
}

/// A preview on its way.
pub struct Job {
    pub id: u64,
    /// The layout's widgets, back to front, and its backdrop.
    pub widgets: Vec<Widget>,
    pub backdrop: Option<Backdrop>,
    pub parts: HashMap<String, Part>,
    /// Widgets whose content still loads.
    pub waiting: HashSet<String>,
    pub reply: Sender<CallResult>,
    /// When it is drawn with what has loaded, loaded or not.
    pub deadline: Instant,
    /// The picture's size.
    pub size: (u32, u32),
}

/// At most one preview at a time: each loads content of its own, and a
/// second asks again once the first is drawn.
#[derive(Default)]
pub struct Previews {
    pub job: Option<Job>,
    ids: u64,
}

impl Previews {
    pub fn next_id(&mut self) -> u64 {
        self.ids += 1;
        self.ids
    }

    /// Takes the content that arrived for widget `name` of preview `id`;
    /// hands it back when no preview waits for it.
    pub fn arrived(&mut self, id: u64, name: &str, size: DVec2, entry: Entry) -> Option<Entry> {
        let Some(job) = self.job.as_mut().filter(|j| j.id == id) else {
            return Some(entry);
        };
        if !job.waiting.remove(name) {
            return Some(entry);
        }
        job.parts
            .insert(name.to_string(), Part::Loaded { size, entry });
        None
    }

    /// Widget `name`'s content could not be loaded: it is left out.
    pub fn failed(&mut self, id: u64, name: &str) {
        if let Some(job) = &mut self.job
            && job.id == id
        {
            job.waiting.remove(name);
        }
    }

    /// Whether the preview is ready to draw at `now`: nothing loads any
    /// more, or its time is up.
    pub fn due(&self, now: Instant) -> bool {
        self.job
            .as_ref()
            .is_some_and(|j| j.waiting.is_empty() || now >= j.deadline)
    }

    pub fn deadline(&self) -> Option<Instant> {
        self.job.as_ref().map(|j| j.deadline)
    }
}
