//! One HTML page on a page thread: parse under the tree limits, check the parsed tree, fetch resources, lay out and paint with blitz; answer link hit tests.

use std::sync::Arc;

use anyrender_vello_cpu::VelloCpuImageRenderer;
use blitz_dom::{BaseDocument, DocumentConfig};
use blitz_html::DocumentHtmlParser;
use blitz_traits::shell::{ColorScheme, Viewport};

use super::document::{HtmlError, HtmlSettings, PageSource, check_size};
use super::fonts::SharedFonts;
use super::guard;
use super::net::PolicyNet;
use super::skeleton::{Shape, shape};
use crate::content::Policy;
use vitrine_pixels::Rgba8Image;

/// What every page on a thread shares.
pub struct Env {
    pub policy: Arc<Policy>,
    pub settings: HtmlSettings,
    pub fonts: Arc<SharedFonts>,
}

/// A page and, once it has been built, its document. The document lives on
/// the page thread that built it, and only there.
pub struct Page {
    source: PageSource,
    viewport: (u32, u32),
    doc: Option<BaseDocument>,
}

impl Page {
    pub fn new(source: PageSource, viewport: (u32, u32)) -> Self {
        Self {
            source,
            viewport,
            doc: None,
        }
    }

    pub fn viewport(&self) -> (u32, u32) {
        self.viewport
    }

    /// Paints the page at `scale`, building its document first if need be.
    pub fn render(&mut self, env: &Env, scale: f32) -> Result<Rgba8Image, HtmlError> {
        let doc = match &mut self.doc {
            Some(doc) => doc,
            None => self.doc.insert(build(env, &self.source, self.viewport)?),
        };
        paint(doc, self.viewport, scale)
    }

    /// The absolute URL of the link at (x, y) in CSS pixels, if there is one.
    pub fn hit(&self, x: f32, y: f32) -> Option<String> {
        let doc = self.doc.as_ref()?;
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
}

/// Fetches (for a URL), parses and checks a document, then loads its
/// resources and lays it out once. Nothing is styled, laid out or fetched for
/// the page until its parsed tree is within the limits.
fn build(env: &Env, source: &PageSource, viewport: (u32, u32)) -> Result<BaseDocument, HtmlError> {
    let (html, base_url) = match source {
        PageSource::Inline { html, base_url } => (html.clone(), base_url.clone()),
        PageSource::Url(url) => {
            let (final_url, _, bytes) = env.policy.fetch(url).map_err(HtmlError::Fetch)?;
            let html = String::from_utf8_lossy(&bytes).into_owned();
            (html, Some(final_url.to_string()))
        }
    };
    check_size(&html, &env.settings)?;
    let net = Arc::new(PolicyNet::new(env.policy.clone(), env.settings.resources));
    // Laid out once, at one device pixel per CSS pixel; painting scales.
    let (w, h) = viewport;
    let config = DocumentConfig {
        viewport: Some(Viewport::new(w, h, 1.0, ColorScheme::Light)),
        base_url,
        net_provider: Some(net.clone()),
        font_ctx: Some(env.fonts.context()),
        ..Default::default()
    };
    let mut doc = BaseDocument::new(config);
    let limits = env.settings.tree_limits();
    let parsed = {
        let mut mutator = doc.mutate();
        guard::parse(DocumentHtmlParser::new(&mut mutator), &html, limits, None)
    };
    parsed.map_err(|e| env.settings.exceeded(e))?;
    // The guard measured depths as nodes were inserted; the finished tree is
    // measured again, before anything recurses into it.
    tree_shape(&doc, &env.settings).map_err(|e| env.settings.exceeded(e))?;
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
