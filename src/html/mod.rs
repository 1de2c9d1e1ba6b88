//! HTML cards: HTML+CSS rendered by blitz into RGBA pages, each page on its own thread, within size, depth and time limits.
//!
//! Nothing here knows about the scene or the GPU. A page leaves as an
//! [`Rgba8Image`](crate::pixels::Rgba8Image) at the scale it was asked for,
//! and a link hit test leaves as a URL.

pub mod card;
mod limits;
mod net;
mod page;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use crate::content::{FetchError, Policy};
use crate::pixels::Rgba8Image;
use crate::wake::Wake;

pub use card::{CARD_VIEWPORT, error_card_html};
pub use limits::nesting_depth;
pub use net::decode_data_url;
pub use page::physical;

use page::{Job, PageThread};

/// Identifies a page in the events it sends.
pub type PageId = u64;

/// Limits and defaults for pages.
#[derive(Clone, Debug)]
pub struct HtmlSettings {
    /// How long one render may take before it is given up.
    pub render_timeout: Duration,
    /// The largest document, in bytes.
    pub max_html_bytes: u64,
    /// The deepest element nesting accepted.
    pub max_depth: usize,
    /// The largest texture side a page may be painted at, in device pixels.
    pub max_texture_side: u32,
    /// The most device pixels per CSS pixel a page is painted at.
    pub max_scale: f32,
}

impl Default for HtmlSettings {
    fn default() -> Self {
        Self {
            render_timeout: Duration::from_secs(5),
            max_html_bytes: 4 * 1024 * 1024,
            max_depth: 256,
            max_texture_side: 8192,
            max_scale: 4.0,
        }
    }
}

impl HtmlSettings {
    /// The settings `[html]` and `[content]` describe.
    pub fn from_config(config: &crate::config::Config) -> Self {
        Self {
            render_timeout: config.html.render_timeout,
            max_html_bytes: config.content.max_html_bytes,
            max_depth: config.html.max_depth,
            max_texture_side: Self::default().max_texture_side,
            max_scale: config.html.max_scale,
        }
    }

    /// The scale a page of `viewport` is painted at to look sharp at
    /// `wanted`, within the texture and scale limits.
    pub fn raster_scale(&self, viewport: (u32, u32), wanted: f64) -> f32 {
        let side = viewport.0.max(viewport.1).max(1) as f32;
        let cap = (self.max_texture_side as f32 / side).min(self.max_scale);
        (wanted as f32).clamp(0.05, cap.max(0.05))
    }
}

/// Why a page could not be shown. The screen is untouched by a failure.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum HtmlError {
    /// The document is larger than `content.max_html_bytes`.
    #[error("the HTML document is {size} bytes, more than the {max} allowed")]
    TooLarge { size: u64, max: u64 },
    /// The document nests elements deeper than allowed.
    #[error("the HTML document nests elements more than {max} deep")]
    TooDeep { max: usize },
    /// Rendering took longer than `html.render_timeout`.
    #[error("rendering the page took longer than {0:?}")]
    Timeout(Duration),
    /// Fetching the page failed.
    #[error("cannot fetch the page: {0}")]
    Fetch(FetchError),
    /// Painting failed.
    #[error("cannot render the page: {0}")]
    Render(String),
}

/// Where a page comes from.
#[derive(Clone, Debug)]
pub enum PageSource {
    /// A document given inline; relative URLs resolve against `base_url`.
    Inline {
        html: String,
        base_url: Option<String>,
    },
    /// A URL fetched on the page's thread, under the content policy.
    Url(String),
}

/// A painted page.
#[derive(Clone, Debug)]
pub struct Rendered {
    pub image: Rgba8Image,
    /// Device pixels per CSS pixel.
    pub scale: f32,
    /// The viewport in CSS pixels: the widget's size.
    pub viewport: (u32, u32),
    pub elapsed: Duration,
}

/// News from a page.
#[derive(Clone, Debug)]
pub enum PageEvent {
    Rendered {
        page: PageId,
        seq: u64,
        result: Result<Rendered, HtmlError>,
    },
    Hit {
        page: PageId,
        seq: u64,
        href: Option<String>,
    },
}

/// Checks a document against the size and depth limits, quickly and before
/// any parser sees it.
pub fn check_document(html: &str, settings: &HtmlSettings) -> Result<(), HtmlError> {
    if html.len() as u64 > settings.max_html_bytes {
        return Err(HtmlError::TooLarge {
            size: html.len() as u64,
            max: settings.max_html_bytes,
        });
    }
    if nesting_depth(html, settings.max_depth) > settings.max_depth {
        return Err(HtmlError::TooDeep {
            max: settings.max_depth,
        });
    }
    Ok(())
}

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

    /// Starts a page and its first render at `scale`. Inline documents are
    /// checked against the limits here, at once.
    pub fn open(
        &mut self,
        source: PageSource,
        viewport: (u32, u32),
        scale: f32,
    ) -> Result<(PageHandle, u64), HtmlError> {
        if let PageSource::Inline { html, .. } = &source {
            check_document(html, &self.settings)?;
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
