//! What a page is: where it comes from, the limits it is held to (checked before any parser sees it), why it fails, and the events its thread sends.

use std::time::Duration;

use super::limits::nesting_depth;
use crate::content::FetchError;
use crate::pixels::Rgba8Image;

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
