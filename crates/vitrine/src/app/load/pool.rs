//! The loader: files read on one thread in request order, URLs fetched by a small pool, each behind a bounded queue, with results coming back over a channel plus a wake.

use std::sync::mpsc::{Receiver, SyncSender, TrySendError, channel, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use super::prepare::{Limits, load};
use super::request::{LoadRequest, Loaded, Source};
use crate::outcome::{FailureKind, LoadFailure};
use crate::wake::Wake;

/// How many loads run and wait.
#[derive(Clone, Copy, Debug)]
pub struct Bounds {
    /// URL fetches that run at once (`content.max_fetches`).
    pub fetchers: usize,
    /// Loads of each kind (files, URLs) that may wait for a worker
    /// (`content.max_queued_loads`).
    pub queue: usize,
}

/// Loads files on one worker thread, in request order, so startup content
/// stacks in the order asked for. URLs go to a pool of `fetchers` threads, so
/// a slow server holds up nothing else and a flood of requests starts no
/// more threads. Each queue is bounded; a load that does not fit is refused
/// at once.
pub struct Loader {
    files: Option<SyncSender<LoadRequest>>,
    urls: Option<SyncSender<LoadRequest>>,
    results: Receiver<Loaded>,
    file_worker: Option<JoinHandle<()>>,
    bounds: Bounds,
    in_flight: usize,
}

/// Runs requests from `jobs` until the queue closes. A request whose caller
/// gave up while it waited is not fetched at all.
fn work(
    jobs: &Mutex<Receiver<LoadRequest>>,
    results: &std::sync::mpsc::Sender<Loaded>,
    wake: &dyn Wake,
    limits: &Limits,
) {
    loop {
        // Only the thread holding the lock waits on the queue; the others
        // wait for the lock. A poisoned lock means a worker panicked while
        // merely receiving, which leaves the queue intact.
        let next = jobs.lock().unwrap_or_else(|e| e.into_inner()).recv();
        let Ok(request) = next else { return };
        let result = if request.origin.is_cancelled() {
            Err(LoadFailure::new(
                FailureKind::TimedOut,
                "the caller gave up before the load started",
            ))
        } else {
            // A panic while reading or decoding (a bug in a decoder, say)
            // fails this load, not the worker or the kiosk.
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| load(&request, limits)))
                .unwrap_or_else(|panic| {
                    let why = crate::wake::panic_message(panic.as_ref());
                    tracing::error!(name = %request.name, %why, "a load panicked");
                    Err(LoadFailure::new(
                        FailureKind::Failed,
                        format!("the loader failed: {why}"),
                    ))
                })
        };
        // The receiver lives as long as the app; once it is gone the app is
        // shutting down and results are moot.
        if results.send(Loaded { request, result }).is_err() {
            return;
        }
        wake.wake();
    }
}

/// Starts `count` workers named `name` on one queue of `depth` requests.
fn pool(
    name: &str,
    count: usize,
    depth: usize,
    results: &std::sync::mpsc::Sender<Loaded>,
    wake: &Arc<dyn Wake>,
    limits: &Limits,
) -> (Option<SyncSender<LoadRequest>>, Vec<JoinHandle<()>>) {
    let (tx, rx) = sync_channel::<LoadRequest>(depth);
    let jobs = Arc::new(Mutex::new(rx));
    let mut handles = Vec::new();
    for _ in 0..count {
        let (jobs, results, wake, limits) =
            (jobs.clone(), results.clone(), wake.clone(), limits.clone());
        match std::thread::Builder::new()
            .name(name.into())
            .spawn(move || work(&jobs, &results, wake.as_ref(), &limits))
        {
            Ok(h) => handles.push(h),
            Err(e) => tracing::error!(%e, name, "cannot start a loader thread"),
        }
    }
    if handles.is_empty() {
        tracing::error!(name, "no loader thread could start; these loads will fail");
        return (None, handles);
    }
    (Some(tx), handles)
}

impl Loader {
    pub fn new(wake: Arc<dyn Wake>, limits: Limits, bounds: Bounds) -> Self {
        // Unbounded in type only: every result answers a request that took a
        // queue slot, so at most two queues and their workers' worth wait.
        let (res_tx, res_rx) = channel();
        let queue = bounds.queue.max(1);
        let (files, mut file_workers) = pool("vitrine-loader", 1, queue, &res_tx, &wake, &limits);
        let (urls, _) = pool(
            "vitrine-fetch",
            bounds.fetchers.max(1),
            queue,
            &res_tx,
            &wake,
            &limits,
        );
        Self {
            files,
            urls,
            results: res_rx,
            file_worker: file_workers.pop(),
            bounds,
            in_flight: 0,
        }
    }

    /// Starts a load; the result arrives via [`Loader::poll`]. A load that
    /// finds its queue full is handed back with why.
    pub fn start(&mut self, request: LoadRequest) -> Result<(), Box<(LoadRequest, LoadFailure)>> {
        let queue = match &request.source {
            Source::File(_) => &self.files,
            Source::Url(_) => &self.urls,
        };
        let Some(tx) = queue else {
            let why = LoadFailure::new(FailureKind::Failed, "the loader is not running");
            return Err(Box::new((request, why)));
        };
        match tx.try_send(request) {
            Ok(()) => {
                self.in_flight += 1;
                Ok(())
            }
            Err(TrySendError::Full(request)) => {
                let why = LoadFailure::new(
                    FailureKind::Limit,
                    format!(
                        "{} loads are already waiting (content.max_queued_loads); try again later",
                        self.bounds.queue
                    ),
                );
                Err(Box::new((request, why)))
            }
            Err(TrySendError::Disconnected(request)) => {
                let why = LoadFailure::new(FailureKind::Failed, "the loader stopped");
                Err(Box::new((request, why)))
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
        // Closing the queues ends the workers' loops. The file worker is
        // joined so no thread outlives the loader; URL workers end within
        // `content.fetch_timeout` of their current fetch, on their own.
        self.files = None;
        self.urls = None;
        if let Some(worker) = self.file_worker.take() {
            let _ = worker.join();
        }
    }
}
