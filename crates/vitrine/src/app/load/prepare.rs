//! Reading one request's source and preparing its content: files and URLs read within their limits, sniffed, and decoded or handed on.

use std::sync::Arc;

use super::request::{Content, LoadRequest, Source};
use crate::app::failures;
use crate::content::{ContentKind, ImageLimits, Policy, decode_image, file_uri, sniff};
use crate::outcome::{FailureKind, LoadFailure};

/// Limits the loader applies.
#[derive(Clone)]
pub struct Limits {
    pub image: ImageLimits,
    pub max_html_bytes: u64,
    pub policy: Arc<Policy>,
}

/// How many bytes are read to sniff a body's kind.
const SNIFF_BYTES: usize = 512;

fn io(e: &std::io::Error, what: &str) -> LoadFailure {
    let kind = if e.kind() == std::io::ErrorKind::NotFound {
        FailureKind::NotFound
    } else {
        FailureKind::Failed
    };
    LoadFailure::new(kind, format!("cannot read {what}: {e}"))
}

fn too_large(max: u64) -> LoadFailure {
    LoadFailure::new(
        FailureKind::TooLarge,
        format!("larger than the {max}-byte limit"),
    )
}

/// Reads a request's source, sniffs what it is and prepares it for its
/// widget. A video's poster is loaded here too, so the video can show with
/// its poster from its very first frame on screen.
pub fn load(request: &LoadRequest, limits: &Limits) -> Result<Content, LoadFailure> {
    let content = load_source(&request.source, limits)?;
    match (content, &request.poster) {
        (Content::Video { uri, local, .. }, Some(poster)) => {
            let image = match load_source(poster, limits) {
                Ok(Content::Image(image)) => Some(image),
                Ok(_) => {
                    tracing::warn!(poster = %poster.describe(), "the poster is not an image; the first frame serves");
                    None
                }
                Err(e) => {
                    tracing::warn!(poster = %poster.describe(), %e, "the poster cannot be loaded; the first frame serves");
                    None
                }
            };
            Ok(Content::Video {
                uri,
                poster: image,
                local,
            })
        }
        (content, _) => Ok(content),
    }
}

fn load_source(source: &Source, limits: &Limits) -> Result<Content, LoadFailure> {
    match source {
        Source::File(path) => {
            let mut file =
                std::fs::File::open(path).map_err(|e| io(&e, &path.display().to_string()))?;
            let mut head = Vec::new();
            std::io::Read::read_to_end(
                &mut std::io::Read::take(&mut file, SNIFF_BYTES as u64),
                &mut head,
            )
            .map_err(|e| io(&e, &path.display().to_string()))?;
            finish(
                Reader::File(head, Box::new(file)),
                None,
                file_uri(path),
                limits,
            )
        }
        Source::Url(url) => {
            let opened = limits.policy.open(url).map_err(|e| failures::fetch(&e))?;
            let uri = opened.url.to_string();
            let content_type = opened.content_type.clone();
            finish(Reader::Url(opened), content_type, uri, limits)
        }
    }
}

enum Reader {
    File(Vec<u8>, Box<dyn std::io::Read + Send>),
    Url(crate::content::Opened),
}

impl Reader {
    fn head(&mut self) -> Result<Vec<u8>, LoadFailure> {
        match self {
            Reader::File(head, _) => Ok(head.clone()),
            Reader::Url(o) => o.head(SNIFF_BYTES).map_err(|e| failures::fetch(&e)),
        }
    }

    fn read_all(self, max: u64) -> Result<Vec<u8>, LoadFailure> {
        let bytes = match self {
            Reader::File(head, rest) => {
                let mut bytes = head;
                std::io::Read::read_to_end(
                    &mut std::io::Read::take(rest, max.saturating_add(1)),
                    &mut bytes,
                )
                .map_err(|e| io(&e, "the file"))?;
                bytes
            }
            Reader::Url(o) => o.read_all().map_err(|e| failures::fetch(&e))?,
        };
        if bytes.len() as u64 > max {
            return Err(too_large(max));
        }
        Ok(bytes)
    }
}

fn finish(
    mut reader: Reader,
    content_type: Option<String>,
    uri: String,
    limits: &Limits,
) -> Result<Content, LoadFailure> {
    let head = reader.head()?;
    match sniff(&head, content_type.as_deref(), &uri) {
        Some(ContentKind::Image) => {
            let bytes = reader.read_all(limits.image.max_bytes)?;
            let image = decode_image(&bytes, limits.image).map_err(|e| failures::image(&e))?;
            Ok(Content::Image(Arc::new(image)))
        }
        Some(ContentKind::Html) => {
            let bytes = reader.read_all(limits.max_html_bytes)?;
            Ok(Content::Html {
                html: String::from_utf8_lossy(&bytes).into_owned(),
                base_url: Some(uri),
            })
        }
        Some(ContentKind::Video) => {
            // An HTTP(S) video is read into the offline cache (when it fits)
            // and played from there: one download, and the file that plays
            // is the one vitrine fetched under its policy.
            let local = match reader {
                Reader::Url(o) => o.into_local().map(|p| file_uri(&p)),
                _ => None,
            };
            Ok(Content::Video {
                uri,
                poster: None,
                local,
            })
        }
        None => Err(LoadFailure::new(
            FailureKind::Unsupported,
            format!(
                "unsupported content{}: not an image (PNG, JPEG, WebP), a video or an HTML page",
                content_type.map(|t| format!(" ({t})")).unwrap_or_default()
            ),
        )),
    }
}
