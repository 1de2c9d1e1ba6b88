//! HTML cards: HTML+CSS rendered by blitz into RGBA pages, each page on its own thread, within size, depth, element and time limits.
//!
//! Nothing here knows about the scene or the GPU. A page leaves as an
//! [`Rgba8Image`](crate::pixels::Rgba8Image) at the scale it was asked for,
//! and a link hit test leaves as a URL.

pub mod card;
mod document;
mod fonts;
mod guard;
mod limits;
mod net;
mod page;
mod skeleton;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Instant;

use crate::content::Policy;
use crate::wake::Wake;

pub use card::{CARD_VIEWPORT, error_card_html};
pub use document::{
    HtmlError, HtmlSettings, PageEvent, PageId, PageSource, Rendered, check_document, quick_check,
};
pub use limits::nesting_depth;
pub use net::decode_data_url;
pub use page::physical;

use fonts::SharedFonts;
use page::{Job, PageThread};

/// A page's thread. Dropping the handle ends the thread once its current
/// job is done.
pub struct PageHandle {
    id: PageId,
    jobs: Sender<Job>,
}

impl PageHandle {
    pub fn id(&self) -> PageId {
        self.id
    }
}

/// A job in flight, with the time it must be done by.
struct InFlight {
    deadline: Instant,
}

/// Starts pages and collects their news, giving up on renders that overrun.
pub struct HtmlEngine {
    policy: Arc<Policy>,
    settings: HtmlSettings,
    /// The font collection every page's document starts from.
    fonts: Arc<SharedFonts>,
    tx: Sender<PageEvent>,
    rx: Receiver<PageEvent>,
    wake: Arc<dyn Wake>,
    next_id: PageId,
    next_seq: u64,
    renders: HashMap<(PageId, u64), InFlight>,
}

/// Page threads recurse through deep documents in Stylo and Taffy; a large
/// stack (reserved, not committed) keeps them well clear of overflow.
const PAGE_STACK: usize = 64 * 1024 * 1024;

impl HtmlEngine {
    pub fn new(policy: Arc<Policy>, settings: HtmlSettings, wake: Arc<dyn Wake>) -> Self {
        let (tx, rx) = channel();
        Self {
            policy,
            settings,
            fonts: Arc::new(SharedFonts::default()),
            tx,
            rx,
            wake,
            next_id: 1,
            next_seq: 1,
            renders: HashMap::new(),
        }
    }

    pub fn settings(&self) -> &HtmlSettings {
        &self.settings
    }

    /// Starts a page and its first render at `scale`. Inline documents get
    /// a quick look here, at once ([`quick_check`]); the full check runs on
    /// the page thread.
    pub fn open(
        &mut self,
        source: PageSource,
        viewport: (u32, u32),
        scale: f32,
    ) -> Result<(PageHandle, u64), HtmlError> {
        if let PageSource::Inline { html, .. } = &source {
            quick_check(html, &self.settings)?;
        }
        let id = self.next_id;
        self.next_id += 1;
        let (jobs, rx) = channel();
        let thread = PageThread {
            id,
            source,
            viewport,
            policy: self.policy.clone(),
            settings: self.settings.clone(),
            fonts: self.fonts.clone(),
            events: self.tx.clone(),
            wake: self.wake.clone(),
        };
        std::thread::Builder::new()
            .name(format!("vitrine-page-{id}"))
            .stack_size(PAGE_STACK)
            .spawn(move || thread.run(rx))
            .map_err(|e| HtmlError::Render(format!("cannot start a page thread: {e}")))?;
        let handle = PageHandle { id, jobs };
        let seq = self.render(&handle, scale);
        Ok((handle, seq))
    }

    /// Asks a page to paint again at `scale`; returns the job's number.
    pub fn render(&mut self, page: &PageHandle, scale: f32) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        if page.jobs.send(Job::Render { seq, scale }).is_ok() {
            self.renders.insert(
                (page.id, seq),
                InFlight {
                    deadline: Instant::now() + self.settings.render_timeout,
                },
            );
        }
        seq
    }

    /// Asks which link is at (x, y), in CSS pixels.
    pub fn hit(&mut self, page: &PageHandle, x: f32, y: f32) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        let _ = page.jobs.send(Job::Hit { seq, x, y });
        seq
    }

    /// The next event: a finished render or hit test, or a render that ran
    /// out of time (its late result is then dropped).
    pub fn poll(&mut self) -> Option<PageEvent> {
        while let Ok(event) = self.rx.try_recv() {
            if let PageEvent::Rendered { page, seq, .. } = &event
                && self.renders.remove(&(*page, *seq)).is_none()
            {
                continue;
            }
            return Some(event);
        }
        let now = Instant::now();
        let late = self
            .renders
            .iter()
            .find(|(_, f)| f.deadline <= now)
            .map(|(k, _)| *k)?;
        self.renders.remove(&late);
        Some(PageEvent::Rendered {
            page: late.0,
            seq: late.1,
            result: Err(HtmlError::Timeout(self.settings.render_timeout)),
        })
    }

    /// Renders still in flight.
    pub fn pending(&self) -> usize {
        self.renders.len()
    }

    /// When the next render runs out of time, if any is in flight.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.renders.values().map(|f| f.deadline).min()
    }
}
