//! The kiosk's HTML pages: first renders, re-painting sharp after a pinch settles, and link hits, with the paint state a widget keeps for its page once it shows.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::load::request::{Origin, Placement};
use crate::content::Policy;
use crate::html::{
    HtmlEngine, HtmlError, HtmlSettings, PageEvent, PageHandle, PageId, PageSource, Rendered,
};
use crate::pixels::Rgba8Image;
use crate::scene::WidgetId;
use crate::wake::Wake;

/// A page is painted again this long after its scale last changed.
pub const SETTLE: Duration = Duration::from_millis(150);

/// A scale change smaller than this (relative) keeps the current texture.
const RESCALE_THRESHOLD: f32 = 0.15;

/// What the kiosk needs to know about a page once it shows or fails.
#[derive(Clone, Debug)]
pub struct PageMeta {
    pub placement: Placement,
    pub origin: Origin,
    /// An error card rather than content.
    pub card: bool,
    /// What to name in messages: a URL or "posted HTML".
    pub source: String,
    /// The page's URL, for `currentUrl`: `None` for posted HTML.
    pub url: Option<String>,
}

/// A page rendering for the first time.
struct Pending {
    handle: PageHandle,
    name: String,
    meta: PageMeta,
}

/// A page on screen, owned by its widget's entry. Dropping it ends the
/// page; its thread in the engine's pool serves other pages.
pub struct PageState {
    handle: PageHandle,
    viewport: (u32, u32),
    /// The scale the texture was painted at.
    painted: f32,
    /// The re-paint in flight: its job number and scale.
    asked: Option<(u64, f32)>,
    /// The widget's scale when last observed, and since when.
    seen: f64,
    since: Instant,
}

impl PageState {
    pub fn id(&self) -> PageId {
        self.handle.id()
    }

    /// When this page must be looked at again: once its scale has settled.
    pub fn settles_at(&self, now: Instant) -> Option<Instant> {
        (self.asked.is_none() && now.duration_since(self.since) < SETTLE)
            .then_some(self.since + SETTLE)
    }

    /// A render of this page finished: the new picture if it is the re-paint
    /// asked for. A failed re-paint keeps the old texture, only less sharp.
    pub fn repainted(
        &mut self,
        seq: u64,
        result: Result<Rendered, HtmlError>,
    ) -> Option<Rgba8Image> {
        let (asked, _) = self.asked?;
        if asked != seq {
            return None;
        }
        self.asked = None;
        match result {
            Ok(r) => {
                self.painted = r.scale;
                Some(r.image)
            }
            Err(e) => {
                tracing::warn!(%e, "re-painting a page failed");
                self.painted = self.seen as f32;
                None
            }
        }
    }
}

/// What the kiosk must do about a page.
pub enum PageNews {
    /// The first paint is ready: show the widget with this page.
    Ready {
        name: String,
        image: Rgba8Image,
        viewport: (u32, u32),
        meta: PageMeta,
        page: PageState,
    },
    /// The page failed before it showed.
    Failed {
        name: String,
        meta: PageMeta,
        error: HtmlError,
    },
    /// A later render of a page on screen finished (or ran out of time).
    Rendered {
        page: PageId,
        seq: u64,
        result: Result<Rendered, HtmlError>,
    },
    /// A tap on the widget landed on a link.
    Link { widget: WidgetId, href: String },
}

/// The HTML engine, the pages still on their first render, and the link
/// hits in flight.
pub struct Pages {
    engine: HtmlEngine,
    pending: HashMap<PageId, Pending>,
    hits: HashMap<u64, WidgetId>,
}

impl Pages {
    pub fn new(policy: Arc<Policy>, settings: HtmlSettings, wake: Arc<dyn Wake>) -> Self {
        Self {
            engine: HtmlEngine::new(policy, settings, wake),
            pending: HashMap::new(),
            hits: HashMap::new(),
        }
    }

    /// Pages alive in the engine, on screen or rendering, and the page
    /// threads serving them: for leak tests.
    pub fn live(&self) -> (usize, usize) {
        (self.engine.live_pages(), self.engine.threads())
    }

    /// Pages rendering for the first time.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// Starts a page for the widget `name`, painted at `scale`.
    pub fn open(
        &mut self,
        name: &str,
        source: PageSource,
        viewport: (u32, u32),
        scale: f64,
        meta: PageMeta,
    ) -> Result<(), HtmlError> {
        let scale = self.engine.settings().raster_scale(viewport, scale);
        let (handle, _) = self.engine.open(source, viewport, scale)?;
        self.pending.insert(
            handle.id(),
            Pending {
                handle,
                name: name.to_string(),
                meta,
            },
        );
        Ok(())
    }

    /// Drops first renders whose caller gave up; their pages end.
    pub fn drop_cancelled(&mut self) {
        self.pending.retain(|_, p| !p.meta.origin.is_cancelled());
    }

    /// Asks the page of `widget` which link is at (x, y), in CSS pixels.
    pub fn hit(&mut self, widget: WidgetId, page: &PageState, x: f32, y: f32) {
        let seq = self.engine.hit(&page.handle, x, y);
        self.hits.insert(seq, widget);
    }

    /// Notes the widget's current `scale`. Once it has settled for `SETTLE`
    /// and differs enough from the painted one, asks for a new paint. Runs
    /// every frame, so it allocates nothing.
    pub fn observe(&mut self, page: &mut PageState, scale: f64, now: Instant) {
        if (scale - page.seen).abs() > 1e-9 {
            page.seen = scale;
            page.since = now;
            return;
        }
        if now.duration_since(page.since) < SETTLE || page.asked.is_some() {
            return;
        }
        let wanted = self.engine.settings().raster_scale(page.viewport, scale);
        if (wanted - page.painted).abs() / page.painted > RESCALE_THRESHOLD {
            let seq = self.engine.render(&page.handle, wanted);
            page.asked = Some((seq, wanted));
        }
    }

    /// When a render in flight runs out of time, if any is.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.engine.next_deadline()
    }

    /// The next piece of news from the pages.
    pub fn poll(&mut self, now: Instant) -> Option<PageNews> {
        loop {
            let event = self.engine.poll()?;
            if let Some(news) = self.handle(event, now) {
                return Some(news);
            }
        }
    }

    fn handle(&mut self, event: PageEvent, now: Instant) -> Option<PageNews> {
        match event {
            PageEvent::Hit { seq, href, .. } => {
                let widget = self.hits.remove(&seq)?;
                href.map(|href| PageNews::Link { widget, href })
            }
            PageEvent::Rendered { page, seq, result } => {
                let Some(p) = self.pending.remove(&page) else {
                    return Some(PageNews::Rendered { page, seq, result });
                };
                Some(match result {
                    Ok(r) => PageNews::Ready {
                        name: p.name,
                        image: r.image,
                        viewport: r.viewport,
                        meta: p.meta,
                        page: PageState {
                            handle: p.handle,
                            viewport: r.viewport,
                            painted: r.scale,
                            asked: None,
                            seen: f64::from(r.scale),
                            since: now,
                        },
                    },
                    Err(error) => PageNews::Failed {
                        name: p.name,
                        meta: p.meta,
                        error,
                    },
                })
            }
        }
    }
}
