//! One HTML page on its own thread: parse under the tree limits, check the parsed tree, fetch resources, lay out and paint with blitz; answer link hit tests.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender};
use std::time::Instant;

use anyrender_vello_cpu::VelloCpuImageRenderer;
use blitz_dom::{BaseDocument, DocumentConfig};
use blitz_html::DocumentHtmlParser;
use blitz_traits::shell::{ColorScheme, Viewport};

use super::document::{
    HtmlError, HtmlSettings, PageEvent, PageId, PageSource, Rendered, check_size,
};
use super::fonts::SharedFonts;
use super::guard;
use super::net::PolicyNet;
use super::skeleton::{Shape, shape};
use crate::content::Policy;
use crate::pixels::Rgba8Image;
use crate::wake::Wake;

/// Work for a page thread.
pub enum Job {
    /// Paint at this many device pixels per CSS pixel.
    Render { seq: u64, scale: f32 },
    /// Which link, if any, is at this point (CSS pixels).
    Hit { seq: u64, x: f32, y: f32 },
}

/// Everything a page thread needs.
pub struct PageThread {
    pub id: PageId,
    pub source: PageSource,
    pub viewport: (u32, u32),
    pub policy: Arc<Policy>,
    pub settings: HtmlSettings,
    pub fonts: Arc<SharedFonts>,
    pub events: Sender<PageEvent>,
    pub wake: Arc<dyn Wake>,
}

impl PageThread {
    fn send(&self, event: PageEvent) {
        // The receiver is gone only while the app shuts down.
        let _ = self.events.send(event);
        self.wake.wake();
    }

    /// Runs jobs until the handle is dropped. The document lives here, and
    /// only here.
    pub fn run(self, jobs: Receiver<Job>) {
        let mut doc: Option<BaseDocument> = None;
        for job in jobs {
            match job {
                Job::Render { seq, scale } => {
                    let started = Instant::now();
                    let result = self.render(&mut doc, scale).map(|image| Rendered {
                        image,
                        scale,
                        viewport: self.viewport,
                        elapsed: started.elapsed(),
                    });
                    self.send(PageEvent::Rendered {
                        page: self.id,
                        seq,
                        result,
                    });
                }
                Job::Hit { seq, x, y } => {
                    let href = doc.as_ref().and_then(|d| link_at(d, x, y));
                    self.send(PageEvent::Hit {
                        page: self.id,
                        seq,
                        href,
                    });
                }
            }
        }
    }

    fn render(&self, doc: &mut Option<BaseDocument>, scale: f32) -> Result<Rgba8Image, HtmlError> {
        if doc.is_none() {
            *doc = Some(self.build()?);
        }
        let doc = doc
            .as_mut()
            .ok_or_else(|| HtmlError::Render("no document".into()))?;
        paint(doc, self.viewport, scale)
    }

    fn build(&self) -> Result<BaseDocument, HtmlError> {
        build(
            &self.policy,
            &self.settings,
            &self.fonts,
            &self.source,
            self.viewport,
        )
    }
}

/// Fetches (for a URL), parses and checks a document, then loads its
/// resources and lays it out once. Nothing is styled, laid out or fetched for
/// the page until its parsed tree is within the limits.
fn build(
    policy: &Arc<Policy>,
    settings: &HtmlSettings,
    fonts: &SharedFonts,
    source: &PageSource,
    viewport: (u32, u32),
) -> Result<BaseDocument, HtmlError> {
    let (html, base_url) = match source {
        PageSource::Inline { html, base_url } => (html.clone(), base_url.clone()),
        PageSource::Url(url) => {
            let (final_url, _, bytes) = policy.fetch(url).map_err(HtmlError::Fetch)?;
            let html = String::from_utf8_lossy(&bytes).into_owned();
            (html, Some(final_url.to_string()))
        }
    };
    check_size(&html, settings)?;
    let net = Arc::new(PolicyNet::new(policy.clone()));
    // Laid out once, at one device pixel per CSS pixel; painting scales.
    let (w, h) = viewport;
    let config = DocumentConfig {
        viewport: Some(Viewport::new(w, h, 1.0, ColorScheme::Light)),
        base_url,
        net_provider: Some(net.clone()),
        font_ctx: Some(fonts.context()),
        ..Default::default()
    };
    let mut doc = BaseDocument::new(config);
    let limits = settings.tree_limits();
    let parsed = {
        let mut mutator = doc.mutate();
        guard::parse(DocumentHtmlParser::new(&mut mutator), &html, limits, None)
    };
    parsed.map_err(|e| settings.exceeded(e))?;
    // The guard measured depths as nodes were inserted; the finished tree is
    // measured again, before anything recurses into it.
    tree_shape(&doc, settings).map_err(|e| settings.exceeded(e))?;
    net.release();
    // Resources are fetched as the parser and the layout find them; go
    // round until a pass finds nothing new.
    let mut seen = usize::MAX;
    for _ in 0..8 {
        doc.handle_messages();
        doc.resolve(0.0);
        let now = net.fetches();
        if now == seen {
            break;
        }
        seen = now;
    }
    Ok(doc)
}

/// The depth and element count of a parsed blitz document, template
/// contents included, within the limits or not.
fn tree_shape(doc: &BaseDocument, settings: &HtmlSettings) -> Result<Shape, guard::Exceeded> {
    shape(doc.root_node().id, settings.tree_limits(), |id, out| {
        let Some(node) = doc.get_node(id) else {
            return;
        };
        out.extend(
            node.children
                .iter()
                .copied()
                .filter(|&c| doc.get_node(c).is_some_and(|n| n.is_element())),
        );
        out.extend(node.element_data().and_then(|e| e.template_contents));
    })
}

/// The device-pixel size of a viewport at `scale`.
pub fn physical(viewport: (u32, u32), scale: f32) -> (u32, u32) {
    let px = |v: u32| ((v as f32 * scale).round() as u32).max(1);
    (px(viewport.0), px(viewport.1))
}

/// Paints the document at `scale` into straight-alpha RGBA.
fn paint(
    doc: &mut BaseDocument,
    viewport: (u32, u32),
    scale: f32,
) -> Result<Rgba8Image, HtmlError> {
    let (w, h) = physical(viewport, scale);
    if w > u32::from(u16::MAX) || h > u32::from(u16::MAX) {
        return Err(HtmlError::Render(format!("{w}x{h} is too large to paint")));
    }
    doc.set_viewport(Viewport::new(w, h, scale, ColorScheme::Light));
    doc.resolve(0.0);
    let base: &mut BaseDocument = doc;
    let mut buffer = anyrender::render_to_buffer::<VelloCpuImageRenderer, _>(
        |scene| blitz_paint::paint_scene(scene, base, f64::from(scale), w, h, 0, 0),
        w,
        h,
    );
    unpremultiply(&mut buffer);
    Rgba8Image::new(w, h, buffer).map_err(|e| HtmlError::Render(e.to_string()))
}

/// vello_cpu writes premultiplied pixels; the texture upload wants straight
/// alpha (it premultiplies in linear light itself).
fn unpremultiply(px: &mut [u8]) {
    for p in px.chunks_exact_mut(4) {
        let a = u32::from(p[3]);
        if a != 0 && a != 255 {
            for c in &mut p[..3] {
                *c = ((u32::from(*c) * 255 + a / 2) / a).min(255) as u8;
            }
        }
    }
}

/// The absolute URL of the link at (x, y) in CSS pixels, if there is one.
fn link_at(doc: &BaseDocument, x: f32, y: f32) -> Option<String> {
    let mut id = doc.element_from_point(x, y);
    while let Some(node_id) = id {
        let node = doc.get_node(node_id)?;
        if let Some(el) = node.element_data()
            && &*el.name.local == "a"
            && let Some(href) = el.attr(blitz_dom::local_name!("href"))
        {
            return doc.url().join(href).ok().map(|u| u.to_string());
        }
        id = node.parent;
    }
    None
}
