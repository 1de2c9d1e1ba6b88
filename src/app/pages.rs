//! The kiosk's HTML pages: opening them, re-painting them sharp after a pinch settles, and asking them about links.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::loader::{Origin, Placement};
use crate::content::Policy;
use crate::html::{HtmlEngine, HtmlError, HtmlSettings, PageEvent, PageHandle, PageId, PageSource};
use crate::pixels::Rgba8Image;
use crate::scene::ContentKey;
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

/// A page on screen.
struct Shown {
    handle: PageHandle,
    key: ContentKey,
    viewport: (u32, u32),
    /// The scale the texture was painted at.
    painted: f32,
    /// The scale a re-paint in flight was asked at.
    asked: Option<(u64, f32)>,
    /// The widget's scale when last observed, and since when.
    seen: f64,
    since: Instant,
}

/// What the kiosk must do about a page.
pub enum PageNews {
    /// The first paint is ready: show the widget.
    Ready {
        name: String,
        image: Rgba8Image,
        viewport: (u32, u32),
        meta: PageMeta,
    },
    /// A sharper (or smaller) paint of a page on screen.
    Repainted { name: String, image: Rgba8Image },
    /// The page failed before it showed.
    Failed {
        name: String,
        meta: PageMeta,
        error: HtmlError,
    },
    /// A tap landed on a link.
    Link { name: String, href: String },
}

/// All the kiosk's pages.
pub struct Pages {
    engine: HtmlEngine,
    pending: HashMap<PageId, Pending>,
    shown: HashMap<String, Shown>,
    hits: HashMap<u64, String>,
}

impl Pages {
    pub fn new(policy: Arc<Policy>, settings: HtmlSettings, wake: Arc<dyn Wake>) -> Self {
        Self {
            engine: HtmlEngine::new(policy, settings, wake),
            pending: HashMap::new(),
            shown: HashMap::new(),
            hits: HashMap::new(),
        }
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

    /// Drops first renders whose caller gave up.
    pub fn drop_cancelled(&mut self) {
        self.pending.retain(|_, p| !p.meta.origin.is_cancelled());
    }

    /// The texture of the page `name`, if it is on screen.
    pub fn key_of(&self, name: &str) -> Option<ContentKey> {
        self.shown.get(name).map(|s| s.key)
    }

    /// Records the texture now showing for `name`.
    pub fn set_key(&mut self, name: &str, key: ContentKey) {
        if let Some(s) = self.shown.get_mut(name) {
            s.key = key;
        }
    }

    /// Forgets the page `name`; its thread ends. Returns its texture key.
    pub fn remove(&mut self, name: &str) -> Option<ContentKey> {
        self.shown.remove(name).map(|s| s.key)
    }

    /// Asks the page `name` which link is at `local` (CSS pixels).
    pub fn hit(&mut self, name: &str, x: f32, y: f32) {
        if let Some(s) = self.shown.get(name) {
            let seq = self.engine.hit(&s.handle, x, y);
            self.hits.insert(seq, name.to_string());
        }
    }

    /// Notes each page's widget scale (`scale_of` its name; `None` skips
    /// it). Once a scale has settled for `SETTLE` and differs enough from the
    /// painted one, asks for a new paint. Runs every frame, so it walks only
    /// the pages and allocates nothing.
    pub fn observe_all(&mut self, now: Instant, scale_of: impl Fn(&str) -> Option<f64>) {
        for (name, s) in &mut self.shown {
            let Some(scale) = scale_of(name) else {
                continue;
            };
            if (scale - s.seen).abs() > 1e-9 {
                s.seen = scale;
                s.since = now;
                continue;
            }
            if now.duration_since(s.since) < SETTLE || s.asked.is_some() {
                continue;
            }
            let wanted = self.engine.settings().raster_scale(s.viewport, scale);
            if (wanted - s.painted).abs() / s.painted > RESCALE_THRESHOLD {
                let seq = self.engine.render(&s.handle, wanted);
                s.asked = Some((seq, wanted));
            }
        }
    }

    /// When the loop must look again: a settling page, or a render's deadline.
    pub fn next_deadline(&self, now: Instant) -> Option<Instant> {
        let settling = self
            .shown
            .values()
            .filter(|s| s.asked.is_none() && now.duration_since(s.since) < SETTLE)
            .map(|s| s.since + SETTLE)
            .min();
        match (settling, self.engine.next_deadline()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
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
                let name = self.hits.remove(&seq)?;
                href.map(|href| PageNews::Link { name, href })
            }
            PageEvent::Rendered { page, seq, result } => {
                if let Some(p) = self.pending.remove(&page) {
                    return Some(match result {
                        Ok(r) => {
                            // A page of the same name it replaces ends here.
                            self.shown.insert(
                                p.name.clone(),
                                Shown {
                                    handle: p.handle,
                                    key: ContentKey::default(),
                                    viewport: r.viewport,
                                    painted: r.scale,
                                    asked: None,
                                    seen: f64::from(r.scale),
                                    since: now,
                                },
                            );
                            PageNews::Ready {
                                name: p.name,
                                image: r.image,
                                viewport: r.viewport,
                                meta: p.meta,
                            }
                        }
                        Err(error) => PageNews::Failed {
                            name: p.name,
                            meta: p.meta,
                            error,
                        },
                    });
                }
                let (name, s) = self.shown.iter_mut().find(|(_, s)| s.handle.id() == page)?;
                let (asked_seq, _) = s.asked?;
                if asked_seq != seq {
                    return None;
                }
                s.asked = None;
                match result {
                    Ok(r) => {
                        s.painted = r.scale;
                        Some(PageNews::Repainted {
                            name: name.clone(),
                            image: r.image,
                        })
                    }
                    Err(e) => {
                        // The old texture stays; it is only less sharp.
                        tracing::warn!(%name, %e, "re-painting a page failed");
                        s.painted = s.seen as f32;
                        None
                    }
                }
            }
        }
    }
}
