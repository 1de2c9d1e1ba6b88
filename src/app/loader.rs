//! Background loading: a file or URL is read off the UI thread, sniffed, and decoded or handed on, with results coming back over a channel plus a wake.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

use glam::DAffine2;

use super::failures;
use crate::content::{ContentKind, ImageLimits, Policy, decode_image, file_uri, sniff};
use crate::outcome::{Caller, FailureKind, LoadFailure};
use crate::pixels::Rgba8Image;
use crate::wake::Wake;

/// Where new content goes once it is ready.
#[derive(Clone, Debug, PartialEq)]
pub enum Placement {
    /// Centred, fitted to 60 % of the window, cascaded.
    Default,
    /// Centred at a fraction of the window, `width` a fraction of the window
    /// width, turned by `rotation` degrees clockwise.
    Relative {
        at: [f64; 2],
        width: f64,
        rotation: f64,
    },
    /// An exact local → window transform.
    Exact(DAffine2),
}

/// Who asked for content, which decides what a failure does.
#[derive(Clone, Debug)]
pub enum Origin {
    /// The config or the demo: no one to tell, so a failure shows an error
    /// card in the content's place (and the log says why).
    Startup,
    /// Someone who waits for the outcome: a failure is reported to them and
    /// nothing on screen changes.
    Caller(Caller),
    /// A tap on a link: a failure is logged and nothing on screen changes.
    Tap,
}

impl Origin {
    /// The caller waiting for the outcome, if there is one.
    pub fn caller(&self) -> Option<&Caller> {
        match self {
            Origin::Caller(c) => Some(c),
            Origin::Startup | Origin::Tap => None,
        }
    }

    /// Claims the load to show it: false when its caller gave up first, and
    /// then it must change nothing. Loads nobody waits for are always shown.
    pub fn claim(&self) -> bool {
        match self {
            Origin::Caller(c) => c.claim(),
            Origin::Startup | Origin::Tap => true,
        }
    }

    /// A caller who stopped waiting: the load must change nothing.
    pub fn is_cancelled(&self) -> bool {
        matches!(self, Origin::Caller(c) if c.is_cancelled())
    }

    pub fn is_startup(&self) -> bool {
        matches!(self, Origin::Startup)
    }
}

/// What to load.
#[derive(Clone, Debug)]
pub enum Source {
    /// A local file named by the operator (the command line, the demo). It is
    /// trusted: the content policy governs URLs, not these.
    File(PathBuf),
    /// A URL, fetched under the content policy.
    Url(String),
}

impl Source {
    pub fn describe(&self) -> String {
        match self {
            Source::File(p) => p.display().to_string(),
            Source::Url(u) => u.clone(),
        }
    }
}

/// A request to load content into the widget called `name`.
#[derive(Clone, Debug)]
pub struct LoadRequest {
    pub name: String,
    pub source: Source,
    pub placement: Placement,
    pub origin: Origin,
    /// The viewport of an HTML page, in CSS pixels; `None` takes the config's.
    pub viewport: Option<(u32, u32)>,
    /// For a video: an image shown until it first plays, instead of its
    /// first frame.
    pub poster: Option<Source>,
}

/// Loaded content, ready for the next stage.
pub enum Content {
    /// A decoded image.
    Image(Arc<Rgba8Image>),
    /// An HTML document to render, with the URL relative links resolve against.
    Html {
        html: String,
        base_url: Option<String>,
    },
    /// A video, played by GStreamer from its URI, with its poster image if
    /// one was asked for and could be loaded.
    Video {
        uri: String,
        poster: Option<Arc<Rgba8Image>>,
    },
}

/// A finished load.
pub struct Loaded {
    pub request: LoadRequest,
    pub result: Result<Content, LoadFailure>,
}

/// Limits the loader applies.
#[derive(Clone)]
struct Limits {
    image: ImageLimits,
    max_html_bytes: u64,
    policy: Arc<Policy>,
}

/// How many bytes are read to sniff a body's kind.
const SNIFF_BYTES: usize = 512;

/// Loads files on one worker thread, in request order, so startup content
/// stacks in the order asked for. URLs each get a thread, so a slow server
/// holds up nothing else.
pub struct Loader {
    requests: Option<Sender<LoadRequest>>,
    results_tx: Sender<Loaded>,
    results: Receiver<Loaded>,
    worker: Option<std::thread::JoinHandle<()>>,
    wake: Arc<dyn Wake>,
    limits: Limits,
    in_flight: usize,
}

impl Loader {
    pub fn new(
        wake: Arc<dyn Wake>,
        image: ImageLimits,
        max_html_bytes: u64,
        policy: Arc<Policy>,
    ) -> Self {
        let limits = Limits {
            image,
            max_html_bytes,
            policy,
        };
        let (req_tx, req_rx) = channel::<LoadRequest>();
        let (res_tx, res_rx) = channel();
        let (worker_tx, worker_wake, worker_limits) =
            (res_tx.clone(), wake.clone(), limits.clone());
        let worker = std::thread::Builder::new()
            .name("vitrine-loader".into())
            .spawn(move || {
                for request in req_rx {
                    let result = load(&request, &worker_limits);
                    // The receiver lives as long as the app; once it is gone
                    // the app is shutting down and results are moot.
                    if worker_tx.send(Loaded { request, result }).is_err() {
                        break;
                    }
                    worker_wake.wake();
                }
            });
        let (requests, worker) = match worker {
            Ok(handle) => (Some(req_tx), Some(handle)),
            Err(e) => {
                tracing::error!(%e, "cannot start the loader thread; no file will load");
                (None, None)
            }
        };
        Self {
            requests,
            results_tx: res_tx,
            results: res_rx,
            worker,
            wake,
            limits,
            in_flight: 0,
        }
    }

    /// Starts a load; the result arrives via [`Loader::poll`].
    pub fn start(&mut self, request: LoadRequest) {
        match &request.source {
            Source::File(_) => {
                if let Some(tx) = &self.requests
                    && tx.send(request).is_ok()
                {
                    self.in_flight += 1;
                }
            }
            Source::Url(_) => {
                let (tx, wake, limits) = (
                    self.results_tx.clone(),
                    self.wake.clone(),
                    self.limits.clone(),
                );
                let spawned = std::thread::Builder::new()
                    .name("vitrine-fetch".into())
                    .spawn(move || {
                        let result = load(&request, &limits);
                        let _ = tx.send(Loaded { request, result });
                        wake.wake();
                    });
                match spawned {
                    Ok(_) => self.in_flight += 1,
                    Err(e) => tracing::error!(%e, "cannot start a fetch thread"),
                }
            }
        }
    }

    /// The next finished load, if any.
    pub fn poll(&mut self) -> Option<Loaded> {
        let done = self.results.try_recv().ok()?;
        self.in_flight = self.in_flight.saturating_sub(1);
        Some(done)
    }

    /// Loads started and not yet collected.
    pub fn in_flight(&self) -> usize {
        self.in_flight
    }
}

impl Drop for Loader {
    fn drop(&mut self) {
        // Closing the queue ends the worker's loop; join it so no thread
        // outlives the loader. URL threads finish on their own.
        self.requests = None;
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

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
fn load(request: &LoadRequest, limits: &Limits) -> Result<Content, LoadFailure> {
    let content = load_source(&request.source, limits)?;
    match (content, &request.poster) {
        (Content::Video { uri, .. }, Some(poster)) => {
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
            Ok(Content::Video { uri, poster: image })
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
        Some(ContentKind::Video) => Ok(Content::Video { uri, poster: None }),
        None => Err(LoadFailure::new(
            FailureKind::Unsupported,
            format!(
                "unsupported content{}: not an image (PNG, JPEG, WebP), a video or an HTML page",
                content_type.map(|t| format!(" ({t})")).unwrap_or_default()
            ),
        )),
    }
}
