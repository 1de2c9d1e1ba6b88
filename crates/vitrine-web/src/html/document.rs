//! What a page is: where it comes from, the limits it is held to (size before parsing, depth and element count on the parsed tree), why it fails, and the events its thread sends.

use std::time::Duration;

use super::guard::{self, Exceeded, TreeLimits};
use super::skeleton::Skeleton;
use crate::content::FetchError;
use vitrine_pixels::Rgba8Image;

/// Identifies a page in the events it sends.
pub type PageId = u64;

/// Limits and defaults for pages.
#[derive(Clone, Debug)]
pub struct HtmlSettings {
    /// How long one render may take before it is given up.
    pub render_timeout: Duration,
    /// The largest document, in bytes.
    pub max_html_bytes: u64,
    /// The deepest element nesting accepted, in the parsed tree (`<html>` is
    /// at depth 1, `<body>` at 2).
    pub max_depth: usize,
    /// The most elements a parsed document may have.
    pub max_elements: usize,
    /// The most threads that render pages; pages share them.
    pub max_page_threads: usize,
    /// The largest texture side a page may be painted at, in device pixels.
    pub max_texture_side: u32,
    /// The most device pixels per CSS pixel a page is painted at.
    pub max_scale: f32,
    /// What one page may load besides itself.
    pub resources: ResourceBudget,
}

/// One page's budget for its resources: how many, how many bytes in all, and
/// how long in all, counted from its first fetch.
#[derive(Clone, Copy, Debug)]
pub struct ResourceBudget {
    pub count: usize,
    pub bytes: u64,
    pub time: Duration,
}

impl Default for ResourceBudget {
    fn default() -> Self {
        Self {
            count: 64,
            bytes: 32 * 1024 * 1024,
            time: Duration::from_secs(10),
        }
    }
}

impl Default for HtmlSettings {
    fn default() -> Self {
        Self {
            render_timeout: Duration::from_secs(5),
            max_html_bytes: 4 * 1024 * 1024,
            max_depth: 256,
            max_elements: 50_000,
            max_page_threads: 4,
            max_texture_side: 8192,
            max_scale: 4.0,
            resources: ResourceBudget::default(),
        }
    }
}

impl HtmlSettings {
    /// The depth and element limits of a parsed document.
    pub fn tree_limits(&self) -> TreeLimits {
        TreeLimits {
            max_depth: self.max_depth,
            max_elements: self.max_elements,
        }
    }

    /// The error for a document past one of the tree limits.
    pub(crate) fn exceeded(&self, what: Exceeded) -> HtmlError {
        match what {
            Exceeded::Depth => HtmlError::TooDeep {
                max: self.max_depth,
            },
            Exceeded::Elements => HtmlError::TooManyElements {
                max: self.max_elements,
            },
            Exceeded::Steps => HtmlError::TooComplex {
                max_steps: self.tree_limits().max_steps(),
            },
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
    /// The parsed document has more than `html.max_elements` elements.
    #[error("the HTML document has more than {max} elements")]
    TooManyElements { max: usize },
    /// Parsing the document would take more steps than a page within the
    /// depth and element limits ever needs (end tags that close nothing, each
    /// walked down a deep stack).
    #[error("the HTML document takes more than {max_steps} steps to parse")]
    TooComplex { max_steps: u64 },
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

/// How much of an inline document [`quick_check`] parses.
const QUICK_BYTES: usize = 16 * 1024;

/// Checks a document against the size limit, and against the depth and
/// element limits on its parsed tree. The parse stops as soon as a limit is
/// passed, so a hostile document is refused after bounded work; a page is
/// held to exactly these limits when it is built.
pub fn check_document(html: &str, settings: &HtmlSettings) -> Result<(), HtmlError> {
    check_size(html, settings)?;
    let limits = settings.tree_limits();
    let skeleton = guard::parse(Skeleton::default(), html, limits, None)
        .map_err(|e| settings.exceeded(e))?
        .ok_or_else(|| HtmlError::Render("the parse did not finish".into()))?;
    skeleton
        .shape(limits)
        .map(|_| ())
        .map_err(|e| settings.exceeded(e))
}

/// The part of [`check_document`] cheap enough to run before a page is
/// started: the size, and the tree limits on the first 16 KiB. What this
/// refuses, the whole check refuses too; the rest is checked on the page's
/// thread.
pub fn quick_check(html: &str, settings: &HtmlSettings) -> Result<(), HtmlError> {
    check_size(html, settings)?;
    guard::parse(
        Skeleton::default(),
        html,
        settings.tree_limits(),
        Some(QUICK_BYTES),
    )
    .map(|_| ())
    .map_err(|e| settings.exceeded(e))
}

/// Refuses a document larger than `content.max_html_bytes`.
pub(crate) fn check_size(html: &str, settings: &HtmlSettings) -> Result<(), HtmlError> {
    if html.len() as u64 > settings.max_html_bytes {
        return Err(HtmlError::TooLarge {
            size: html.len() as u64,
            max: settings.max_html_bytes,
        });
    }
    Ok(())
}
