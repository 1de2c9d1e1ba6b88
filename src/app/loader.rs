//! Background loading: content is read and decoded on a worker thread, and results come back over a channel plus a wake.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

use glam::DAffine2;

use crate::content::{ImageError, ImageLimits, load_image_file};
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

/// What kind of widget an image becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageRole {
    Image,
    /// A placeholder card standing in for an HTML widget.
    HtmlPlaceholder,
}

/// The result a caller gets: the kind of widget shown, or why nothing changed.
pub type LoadResult = Result<&'static str, String>;

/// Who asked for content, which decides what a failure does.
#[derive(Clone, Debug)]
pub enum Origin {
    /// The config or the demo: no one to tell, so a failure shows an error
    /// card in the content's place (and the log says why).
    Startup,
    /// Someone who waits for the outcome: a failure is reported to them and
    /// nothing on screen changes.
    Caller(Sender<LoadResult>),
}

impl Origin {
    /// Tells the caller, if there is one. A caller that stopped waiting is
    /// not an error.
    pub fn reply(&self, result: LoadResult) {
        if let Origin::Caller(tx) = self {
            let _ = tx.send(result);
        }
    }
}

/// A request to load an image from a file.
#[derive(Clone, Debug)]
pub struct LoadRequest {
    pub name: String,
    pub path: PathBuf,
    pub role: ImageRole,
    pub placement: Placement,
    pub origin: Origin,
}

/// A finished load.
pub struct Loaded {
    pub request: LoadRequest,
    pub result: Result<Arc<Rgba8Image>, ImageError>,
}

/// Decodes on one worker thread, in request order, so content appears in the
/// order it was asked for; results come back over a channel plus a wake.
pub struct Loader {
    requests: Option<Sender<LoadRequest>>,
    results: Receiver<Loaded>,
    worker: Option<std::thread::JoinHandle<()>>,
    in_flight: usize,
}

impl Loader {
    pub fn new(wake: Arc<dyn Wake>, limits: ImageLimits) -> Self {
        let (req_tx, req_rx) = channel::<LoadRequest>();
        let (res_tx, res_rx) = channel();
        let worker = std::thread::Builder::new()
            .name("vitrine-loader".into())
            .spawn(move || {
                for request in req_rx {
                    let result = load_image_file(&request.path, limits).map(Arc::new);
                    // The receiver lives as long as the app; once it is gone
                    // the app is shutting down and results are moot.
                    if res_tx.send(Loaded { request, result }).is_err() {
                        break;
                    }
                    wake.wake();
                }
            });
        let (requests, worker) = match worker {
            Ok(handle) => (Some(req_tx), Some(handle)),
            Err(e) => {
                tracing::error!(%e, "cannot start the loader thread; nothing will load");
                (None, None)
            }
        };
        Self {
            requests,
            results: res_rx,
            worker,
            in_flight: 0,
        }
    }

    /// Queues a load; the result arrives via [`Loader::poll`].
    pub fn start(&mut self, request: LoadRequest) {
        if let Some(tx) = &self.requests
            && tx.send(request).is_ok()
        {
            self.in_flight += 1;
        }
    }

    /// The next finished load, if any.
    pub fn poll(&mut self) -> Option<Loaded> {
        let done = self.results.try_recv().ok()?;
        self.in_flight = self.in_flight.saturating_sub(1);
        Some(done)
    }

    /// Loads queued and not yet collected.
    pub fn in_flight(&self) -> usize {
        self.in_flight
    }
}

impl Drop for Loader {
    fn drop(&mut self) {
        // Closing the queue ends the worker's loop; join it so no thread
        // outlives the loader.
        self.requests = None;
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}
