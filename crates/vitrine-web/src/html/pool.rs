//! A bounded pool of long-lived page threads: each page lives on one thread for its whole life, threads start as pages need them (up to `html.max_page_threads`), and none exits while the engine lives.
//!
//! Threads are kept rather than started per page because Stylo leaves a
//! thread-local style-sharing cache (about 31 KB) behind with every thread
//! that exits, and because a bound on pages must not be a bound on threads.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Instant;

use super::document::{HtmlError, PageEvent, PageId, PageSource, Rendered};
use super::page::{Env, Page};
use vitrine_wake::{Wake, panic_message};

/// Page threads recurse through documents in Stylo and Taffy; a large stack
/// (reserved, not committed) keeps them well clear of overflow. The tree
/// limits keep documents shallow enough for it.
const PAGE_STACK: usize = 64 * 1024 * 1024;

/// Work for a page thread.
pub enum Msg {
    /// A new page; it is built on its first render.
    Open {
        id: PageId,
        source: PageSource,
        viewport: (u32, u32),
        /// Set when the page is closed or has overrun: its queued jobs are
        /// skipped and its document is dropped.
        gone: Arc<AtomicBool>,
    },
    /// Paint at this many device pixels per CSS pixel.
    Render {
        id: PageId,
        seq: u64,
        scale: f32,
        /// Set when the engine has given up on this render before it began.
        cancel: Arc<AtomicBool>,
    },
    /// Which link, if any, is at this point (CSS pixels).
    Hit {
        id: PageId,
        seq: u64,
        x: f32,
        y: f32,
    },
    /// Drop the page and its document.
    Close { id: PageId },
}

/// What a page thread tells the engine.
pub enum Note {
    Event(PageEvent),
    /// A render that was not run: its page was closed, or it was cancelled.
    Skipped {
        page: PageId,
        seq: u64,
    },
}

/// The engine's side of one page thread.
pub struct Worker {
    pub jobs: Sender<Msg>,
    /// Live pages on this thread; handles decrement it when dropped.
    pub pages: Arc<AtomicUsize>,
    /// The render job running now, or 0.
    pub running: Arc<AtomicU64>,
    /// A render that overran and was still running when last looked at.
    pub stuck_on: Option<u64>,
}

impl Worker {
    /// Starts a page thread.
    pub fn start(
        index: usize,
        env: Env,
        notes: Sender<Note>,
        wake: Arc<dyn Wake>,
    ) -> Result<Self, HtmlError> {
        let (jobs, rx) = channel();
        let running = Arc::new(AtomicU64::new(0));
        let busy = running.clone();
        std::thread::Builder::new()
            .name(format!("vitrine-page-{index}"))
            .stack_size(PAGE_STACK)
            .spawn(move || {
                // Documents cannot move between threads, so the page table
                // is made on the thread that keeps it.
                let thread = Thread {
                    env,
                    notes,
                    wake,
                    running: busy,
                    pages: HashMap::new(),
                };
                thread.run(rx)
            })
            .map_err(|e| HtmlError::Render(format!("cannot start a page thread: {e}")))?;
        Ok(Self {
            jobs,
            pages: Arc::new(AtomicUsize::new(0)),
            running,
            stuck_on: None,
        })
    }

    /// Whether this thread is still busy with a render that overran.
    pub fn is_stuck(&mut self) -> bool {
        if let Some(seq) = self.stuck_on
            && self.running.load(Ordering::SeqCst) != seq
        {
            self.stuck_on = None;
        }
        self.stuck_on.is_some()
    }
}

/// Which thread a new page goes to: an idle thread that is not stuck, else a
/// new thread while there may be more, else the least busy thread that is
/// not stuck, else the least busy. `None` means start a new one.
pub fn choose(workers: &mut [Worker], max: usize) -> Option<usize> {
    let load = |w: &Worker| w.pages.load(Ordering::SeqCst);
    let free: Vec<usize> = (0..workers.len())
        .filter(|&i| !workers[i].is_stuck())
        .collect();
    if let Some(&i) = free.iter().find(|&&i| load(&workers[i]) == 0) {
        return Some(i);
    }
    if workers.len() < max {
        return None;
    }
    let pool: Vec<usize> = if free.is_empty() {
        (0..workers.len()).collect()
    } else {
        free
    };
    pool.into_iter().min_by_key(|&i| load(&workers[i]))
}

/// A page and the flag that ends it.
struct Hosted {
    page: Page,
    gone: Arc<AtomicBool>,
}

/// The page thread itself: its pages, and the way back to the engine.
struct Thread {
    env: Env,
    notes: Sender<Note>,
    wake: Arc<dyn Wake>,
    running: Arc<AtomicU64>,
    pages: HashMap<PageId, Hosted>,
}

impl Thread {
    fn send(&self, note: Note) {
        // The receiver is gone only while the app shuts down.
        let _ = self.notes.send(note);
        self.wake.wake();
    }

    /// Runs jobs until the engine and every handle are gone.
    fn run(mut self, jobs: Receiver<Msg>) {
        for msg in jobs {
            // A page that was closed or overran is dropped at the first look:
            // before each job, and after it (a render that overran returns).
            self.pages.retain(|_, h| !h.gone.load(Ordering::SeqCst));
            match msg {
                Msg::Open {
                    id,
                    source,
                    viewport,
                    gone,
                } => {
                    let page = Page::new(source, viewport);
                    self.pages.insert(id, Hosted { page, gone });
                }
                Msg::Render {
                    id,
                    seq,
                    scale,
                    cancel,
                } => self.render(id, seq, scale, &cancel),
                Msg::Hit { id, seq, x, y } => {
                    let href = self.pages.get(&id).and_then(|h| {
                        catch_unwind(AssertUnwindSafe(|| h.page.hit(x, y))).unwrap_or_else(|p| {
                            tracing::error!(page = id, message = %panic_message(p.as_ref()), "a link hit test panicked");
                            None
                        })
                    });
                    self.send(Note::Event(PageEvent::Hit {
                        page: id,
                        seq,
                        href,
                    }));
                }
                Msg::Close { id } => {
                    self.pages.remove(&id);
                }
            }
            self.pages.retain(|_, h| !h.gone.load(Ordering::SeqCst));
        }
    }

    fn render(&mut self, id: PageId, seq: u64, scale: f32, cancel: &AtomicBool) {
        let Some(hosted) = self.pages.get_mut(&id) else {
            self.send(Note::Skipped { page: id, seq });
            return;
        };
        if cancel.load(Ordering::SeqCst) {
            self.send(Note::Skipped { page: id, seq });
            return;
        }
        self.running.store(seq, Ordering::SeqCst);
        let started = Instant::now();
        // Nothing here can be interrupted: blitz has no cancellation hook in
        // parsing, styling, layout or painting. The tree limits are what keep
        // one render short.
        let env = &self.env;
        let page = &mut hosted.page;
        let outcome = catch_unwind(AssertUnwindSafe(|| page.render(env, scale)));
        let viewport = page.viewport();
        let result = match outcome {
            Ok(result) => result,
            Err(panic) => {
                // The page's document may be half changed; it goes, and the
                // thread carries on with its other pages.
                let message = panic_message(panic.as_ref());
                tracing::error!(page = id, %message, "rendering a page panicked");
                self.pages.remove(&id);
                Err(HtmlError::Render(format!(
                    "the renderer panicked: {message}"
                )))
            }
        }
        .map(|image| Rendered {
            image,
            scale,
            viewport,
            elapsed: started.elapsed(),
        });
        self.running.store(0, Ordering::SeqCst);
        self.send(Note::Event(PageEvent::Rendered {
            page: id,
            seq,
            result,
        }));
    }
}
