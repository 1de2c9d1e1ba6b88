//! The event bus: each event is numbered and encoded once, then offered to every subscriber's bounded queue; a full queue drops events and counts them, so a slow subscriber never slows the kiosk.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU16, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};

use super::event::{Event, TypeSet};

/// Why a subscription was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BusError {
    #[error("too many event subscribers (remote.max_subscribers = {0})")]
    Full(usize),
}

/// An event with its number and time, encoded once for every subscriber.
#[derive(Debug)]
pub struct Stamped {
    pub seq: u64,
    /// Unix time in seconds, to the microsecond.
    pub time: f64,
    /// The notification's `params`: the event's fields, `type`, `seq` and
    /// `time`.
    params: Map<String, Value>,
    /// The whole notification as JSON, without `dropped`.
    notification: Vec<u8>,
}

impl Stamped {
    pub fn params(&self) -> &Map<String, Value> {
        &self.params
    }
}

/// One event for one subscriber, with the events dropped just before it.
#[derive(Clone, Debug)]
pub struct Delivery {
    pub event: Arc<Stamped>,
    pub dropped: u64,
}

impl Delivery {
    /// The JSON-RPC notification, with `"dropped": N` in its params when
    /// events were dropped before it.
    pub fn notification(&self) -> std::borrow::Cow<'_, [u8]> {
        if self.dropped == 0 {
            return std::borrow::Cow::Borrowed(&self.event.notification);
        }
        let mut params = self.event.params.clone();
        params.insert("dropped".into(), json!(self.dropped));
        let v = json!({"jsonrpc": "2.0", "method": "event", "params": params});
        std::borrow::Cow::Owned(serde_json::to_vec(&v).unwrap_or_default())
    }

    /// The notification when it has at most `max` bytes; else a marker in
    /// its place that keeps what is small (its type and the widget's name,
    /// which are bounded) and says it was cut and how large it was, so a
    /// transport with a packet limit (MQTT) never breaks on one event.
    pub fn fitted(&self, max: usize) -> std::borrow::Cow<'_, [u8]> {
        let full = self.notification();
        if full.len() <= max {
            return full;
        }
        let mut params = Map::new();
        for key in ["type", "name", "status", "state", "gesture"] {
            if let Some(v) = self.event.params.get(key).filter(|v| !v.is_array()) {
                params.insert(key.into(), v.clone());
            }
        }
        params.insert("truncated".into(), json!(true));
        params.insert("bytes".into(), json!(full.len()));
        if self.dropped > 0 {
            params.insert("dropped".into(), json!(self.dropped));
        }
        let v = json!({"jsonrpc": "2.0", "method": "event", "params": params});
        let marker = serde_json::to_vec(&v).unwrap_or_default();
        if marker.len() <= max {
            std::borrow::Cow::Owned(marker)
        } else {
            std::borrow::Cow::Owned(Vec::new())
        }
    }
}

struct Waiting {
    items: VecDeque<Delivery>,
    /// Events dropped since the last one queued.
    dropped: u64,
    closed: bool,
}

/// One subscriber's queue.
struct Queue {
    waiting: Mutex<Waiting>,
    ready: Condvar,
    types: AtomicU16,
    capacity: usize,
}

impl Queue {
    fn lock(&self) -> MutexGuard<'_, Waiting> {
        self.waiting.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn offer(&self, event: &Arc<Stamped>) {
        let mut w = self.lock();
        if w.closed {
            return;
        }
        if w.items.len() >= self.capacity {
            w.dropped += 1;
            return;
        }
        let dropped = std::mem::take(&mut w.dropped);
        w.items.push_back(Delivery {
            event: event.clone(),
            dropped,
        });
        drop(w);
        self.ready.notify_one();
    }

    fn close(&self) {
        self.lock().closed = true;
        self.ready.notify_all();
    }
}

/// The kiosk's event bus, shared by the UI thread (which publishes) and the
/// remote server (which subscribes).
pub struct Bus {
    seq: AtomicU64,
    subscribers: Mutex<Vec<Arc<Queue>>>,
    /// How many subscribers there are, read without the lock so an event
    /// nobody listens to costs no encoding.
    live: AtomicUsize,
    max_subscribers: usize,
    queue_len: usize,
}

impl Bus {
    /// A bus for at most `max_subscribers`, each queueing at most
    /// `queue_len` events.
    pub fn new(max_subscribers: usize, queue_len: usize) -> Arc<Bus> {
        Arc::new(Bus {
            seq: AtomicU64::new(0),
            subscribers: Mutex::new(Vec::new()),
            live: AtomicUsize::new(0),
            max_subscribers,
            queue_len: queue_len.max(1),
        })
    }

    fn subscribers(&self) -> MutexGuard<'_, Vec<Arc<Queue>>> {
        self.subscribers.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The number of the last event published.
    pub fn seq(&self) -> u64 {
        self.seq.load(Ordering::Relaxed)
    }

    pub fn subscriber_count(&self) -> usize {
        self.live.load(Ordering::Relaxed)
    }

    /// A new subscriber to the events in `types`.
    pub fn subscribe(self: &Arc<Self>, types: TypeSet) -> Result<Subscription, BusError> {
        let mut subs = self.subscribers();
        if subs.len() >= self.max_subscribers {
            return Err(BusError::Full(self.max_subscribers));
        }
        let queue = Arc::new(Queue {
            waiting: Mutex::new(Waiting {
                items: VecDeque::new(),
                dropped: 0,
                closed: false,
            }),
            ready: Condvar::new(),
            types: AtomicU16::new(types.bits()),
            capacity: self.queue_len,
        });
        subs.push(queue.clone());
        self.live.store(subs.len(), Ordering::Relaxed);
        Ok(Subscription {
            queue,
            bus: self.clone(),
        })
    }

    /// Numbers `event`, and offers it to every subscriber that wants its
    /// type. Never blocks on a subscriber: a full queue drops it.
    pub fn publish(&self, event: Event) -> u64 {
        let seq = self.seq.fetch_add(1, Ordering::Relaxed) + 1;
        if self.live.load(Ordering::Relaxed) == 0 {
            return seq;
        }
        let kind = event.kind();
        let time = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or(Duration::ZERO);
        // Microseconds, so latency can be measured from it.
        let time = (time.as_micros() as f64) / 1e6;
        let mut params = match serde_json::to_value(&event) {
            Ok(Value::Object(m)) => m,
            _ => Map::new(),
        };
        params.insert("seq".into(), json!(seq));
        params.insert("time".into(), json!(time));
        let notification =
            serde_json::to_vec(&json!({"jsonrpc": "2.0", "method": "event", "params": params}))
                .unwrap_or_default();
        let stamped = Arc::new(Stamped {
            seq,
            time,
            params,
            notification,
        });
        for q in self.subscribers().iter() {
            if TypeSet::from_bits(q.types.load(Ordering::Relaxed)).contains(kind) {
                q.offer(&stamped);
            }
        }
        seq
    }

    fn remove(&self, queue: &Arc<Queue>) {
        let mut subs = self.subscribers();
        subs.retain(|q| !Arc::ptr_eq(q, queue));
        self.live.store(subs.len(), Ordering::Relaxed);
    }
}

/// One subscriber: taken by the thread that delivers its events. Dropping
/// it leaves the bus.
pub struct Subscription {
    queue: Arc<Queue>,
    bus: Arc<Bus>,
}

/// The subscription was closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Closed;

/// A handle on a subscription from another thread: to change its types or
/// end it.
#[derive(Clone)]
pub struct Control {
    queue: Arc<Queue>,
}

impl Control {
    pub fn set_types(&self, types: TypeSet) {
        self.queue.types.store(types.bits(), Ordering::Relaxed);
    }

    /// Ends the subscription: its thread's next wait returns `None`.
    pub fn close(&self) {
        self.queue.close();
    }
}

impl Subscription {
    pub fn control(&self) -> Control {
        Control {
            queue: self.queue.clone(),
        }
    }

    /// The next event, waiting for one; `None` once closed.
    pub fn next(&self) -> Option<Delivery> {
        let mut w = self.queue.lock();
        loop {
            if w.closed {
                return None;
            }
            if let Some(d) = w.items.pop_front() {
                return Some(d);
            }
            w = self.queue.ready.wait(w).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// The next event, waiting at most `wait`: `Ok(None)` when none came in
    /// time, `Err(Closed)` once closed. A stream that must show it is alive
    /// (a web page's) writes something in the quiet spells.
    pub fn next_within(&self, wait: Duration) -> Result<Option<Delivery>, Closed> {
        let mut w = self.queue.lock();
        let deadline = std::time::Instant::now() + wait;
        loop {
            if w.closed {
                return Err(Closed);
            }
            if let Some(d) = w.items.pop_front() {
                return Ok(Some(d));
            }
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                return Ok(None);
            }
            w = self
                .queue
                .ready
                .wait_timeout(w, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    /// The next event if one waits now.
    pub fn try_next(&self) -> Option<Delivery> {
        self.queue.lock().items.pop_front()
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.queue.close();
        self.bus.remove(&self.queue);
    }
}

#[cfg(test)]
mod tests;
