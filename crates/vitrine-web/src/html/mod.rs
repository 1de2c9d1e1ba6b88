//! HTML cards: HTML+CSS rendered by blitz into RGBA pages on a bounded pool of page threads, within size, depth, element and time limits.
//!
//! Nothing here knows about the scene or the GPU. A page leaves as an
//! [`Rgba8Image`](vitrine_pixels::Rgba8Image) at the scale it was asked for,
//! and a link hit test leaves as a URL.

pub mod card;
mod document;
mod fonts;
mod guard;
mod limits;
mod net;
mod page;
mod pool;
mod skeleton;

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, SendError, Sender, channel};
use std::time::Instant;

use crate::content::Policy;
use vitrine_wake::Wake;

pub use card::{CARD_VIEWPORT, error_card_html};
pub use document::{
    HtmlError, HtmlSettings, PageEvent, PageId, PageSource, Rendered, ResourceBudget,
    check_document, quick_check,
};
pub use limits::nesting_depth;
pub use net::decode_data_url;
pub use page::physical;

use fonts::SharedFonts;
use page::Env;
use pool::{Msg, Note, Worker};

/// A page. Dropping the handle ends the page: its queued jobs are skipped
/// and its document is dropped once the job running now, if any, is done.
pub struct PageHandle {
    id: PageId,
    jobs: Sender<Msg>,
    /// Closed or overran: no further jobs.
    gone: Arc<AtomicBool>,
    /// The live-page count of the page's thread.
    load: Arc<AtomicUsize>,
    worker: usize,
}

impl PageHandle {
    pub fn id(&self) -> PageId {
        self.id
    }
}

impl Drop for PageHandle {
    fn drop(&mut self) {
        self.gone.store(true, Ordering::SeqCst);
        self.load.fetch_sub(1, Ordering::SeqCst);
        // The thread is gone only while the app shuts down.
        let _ = self.jobs.send(Msg::Close { id: self.id });
    }
}

/// A job in flight, with the time it must be done by.
struct InFlight {
    deadline: Instant,
    worker: usize,
    /// Tells the page thread not to start the job.
    cancel: Arc<AtomicBool>,
    /// The page's own flag, set if this render overruns while running.
    gone: Arc<AtomicBool>,
}

/// Starts pages on a bounded pool of page threads and collects their news,
/// giving up on renders that overrun.
pub struct HtmlEngine {
    policy: Arc<Policy>,
    settings: HtmlSettings,
    fonts: Arc<SharedFonts>,
    tx: Sender<Note>,
    rx: Receiver<Note>,
    wake: Arc<dyn Wake>,
    workers: Vec<Worker>,
    next_id: PageId,
    next_seq: u64,
    renders: HashMap<(PageId, u64), InFlight>,
    /// Answers made here, without a page thread: jobs for a page that
    /// overran, or whose thread has ended.
    ready: VecDeque<PageEvent>,
}

impl HtmlEngine {
    pub fn new(policy: Arc<Policy>, settings: HtmlSettings, wake: Arc<dyn Wake>) -> Self {
        let (tx, rx) = channel();
        Self {
            policy,
            settings,
            fonts: Arc::new(SharedFonts::default()),
            tx,
            rx,
            wake,
            workers: Vec::new(),
            next_id: 1,
            next_seq: 1,
            renders: HashMap::new(),
            ready: VecDeque::new(),
        }
    }

    pub fn settings(&self) -> &HtmlSettings {
        &self.settings
    }

    /// Page threads started so far (at most `html.max_page_threads`).
    pub fn threads(&self) -> usize {
        self.workers.len()
    }

    /// Pages alive: opened, and whose handles have not been dropped.
    pub fn live_pages(&self) -> usize {
        self.workers
            .iter()
            .map(|w| w.pages.load(Ordering::SeqCst))
            .sum()
    }

    /// Starts a page and its first render at `scale`. Inline documents get
    /// a quick look here, at once ([`quick_check`]); the full check runs on
    /// the page thread.
    pub fn open(
        &mut self,
        source: PageSource,
        viewport: (u32, u32),
        scale: f32,
    ) -> Result<(PageHandle, u64), HtmlError> {
        if let PageSource::Inline { html, .. } = &source {
            quick_check(html, &self.settings)?;
        }
        let worker = match pool::choose(&mut self.workers, self.settings.max_page_threads) {
            Some(w) => w,
            None => {
                let index = self.workers.len();
                let started = self.start_worker(index)?;
                self.workers.push(started);
                index
            }
        };
        let id = self.next_id;
        self.next_id += 1;
        let gone = Arc::new(AtomicBool::new(false));
        let open = Msg::Open {
            id,
            source,
            viewport,
            gone: gone.clone(),
        };
        if let Err(SendError(open)) = self.workers[worker].jobs.send(open) {
            // The thread has ended, which only a panic outside a render can
            // do; a new thread takes its place, and its pages fail.
            tracing::warn!(worker, "a page thread had stopped; starting another");
            self.workers[worker] = self.start_worker(worker)?;
            self.workers[worker]
                .jobs
                .send(open)
                .map_err(|_| HtmlError::Render("the page thread has stopped".into()))?;
        }
        let w = &self.workers[worker];
        w.pages.fetch_add(1, Ordering::SeqCst);
        let handle = PageHandle {
            id,
            jobs: w.jobs.clone(),
            gone,
            load: w.pages.clone(),
            worker,
        };
        let seq = self.render(&handle, scale);
        Ok((handle, seq))
    }

    fn start_worker(&self, index: usize) -> Result<Worker, HtmlError> {
        let env = Env {
            policy: self.policy.clone(),
            settings: self.settings.clone(),
            fonts: self.fonts.clone(),
        };
        Worker::start(index, env, self.tx.clone(), self.wake.clone())
    }

    /// Asks a page to paint again at `scale`; returns the job's number. A
    /// page that once overran its time is not rendered again: the answer is
    /// a timeout at once.
    pub fn render(&mut self, page: &PageHandle, scale: f32) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        if page.gone.load(Ordering::SeqCst) {
            self.ready.push_back(self.timeout(page.id, seq));
            return seq;
        }
        let cancel = Arc::new(AtomicBool::new(false));
        let job = Msg::Render {
            id: page.id,
            seq,
            scale,
            cancel: cancel.clone(),
        };
        if page.jobs.send(job).is_err() {
            self.ready.push_back(PageEvent::Rendered {
                page: page.id,
                seq,
                result: Err(HtmlError::Render("the page thread has stopped".into())),
            });
            return seq;
        }
        self.renders.insert(
            (page.id, seq),
            InFlight {
                deadline: Instant::now() + self.settings.render_timeout,
                worker: page.worker,
                cancel,
                gone: page.gone.clone(),
            },
        );
        seq
    }

    /// Asks which link is at (x, y), in CSS pixels.
    pub fn hit(&mut self, page: &PageHandle, x: f32, y: f32) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        let job = Msg::Hit {
            id: page.id,
            seq,
            x,
            y,
        };
        if page.gone.load(Ordering::SeqCst) || page.jobs.send(job).is_err() {
            self.ready.push_back(PageEvent::Hit {
                page: page.id,
                seq,
                href: None,
            });
        }
        seq
    }

    fn timeout(&self, page: PageId, seq: u64) -> PageEvent {
        PageEvent::Rendered {
            page,
            seq,
            result: Err(HtmlError::Timeout(self.settings.render_timeout)),
        }
    }

    /// The next event: a finished render or hit test, or a render that ran
    /// out of time (its late result is then dropped).
    pub fn poll(&mut self) -> Option<PageEvent> {
        if let Some(event) = self.ready.pop_front() {
            return Some(event);
        }
        while let Ok(note) = self.rx.try_recv() {
            match note {
                Note::Skipped { page, seq } => {
                    self.renders.remove(&(page, seq));
                }
                Note::Event(event) => {
                    if let PageEvent::Rendered { page, seq, .. } = &event
                        && self.renders.remove(&(*page, *seq)).is_none()
                    {
                        continue;
                    }
                    return Some(event);
                }
            }
        }
        let now = Instant::now();
        let late = self
            .renders
            .iter()
            .find(|(_, f)| f.deadline <= now)
            .map(|(k, _)| *k)?;
        if let Some(flight) = self.renders.remove(&late)
            && self.overran(late.1, &flight)
        {
            // The page's other renders will not run either; they are
            // answered now, after this one.
            let mut others: Vec<_> = self
                .renders
                .keys()
                .filter(|k| k.0 == late.0)
                .copied()
                .collect();
            others.sort_unstable();
            for key in others {
                self.renders.remove(&key);
                self.ready.push_back(self.timeout(key.0, key.1));
            }
        }
        Some(self.timeout(late.0, late.1))
    }

    /// A render ran out of time. If it had not begun, it never will. If it is
    /// running, its page is finished (and this says so): the page thread
    /// skips its other jobs and drops its document as soon as this render
    /// returns, and new pages go to other threads meanwhile.
    fn overran(&mut self, seq: u64, flight: &InFlight) -> bool {
        flight.cancel.store(true, Ordering::SeqCst);
        let Some(worker) = self.workers.get_mut(flight.worker) else {
            return false;
        };
        if worker.running.load(Ordering::SeqCst) != seq {
            return false;
        }
        flight.gone.store(true, Ordering::SeqCst);
        worker.stuck_on = Some(seq);
        true
    }

    /// Renders still in flight.
    pub fn pending(&self) -> usize {
        self.renders.len()
    }

    /// When the next render runs out of time, if any is in flight.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.renders.values().map(|f| f.deadline).min()
    }
}
