//! The fleet's worker thread: commands answered through the socket's own command path (once per id), the newest desired state applied, and the retained status kept current.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use rumqttc::{Client, QoS};
use serde_json::{Value, json};

use super::dedupe::Remembered;
use super::topics::Topics;
use vitrine_api::answer::{answer, parse_failure, reply};
use vitrine_api::command::{Call, CallReply, Command};
use vitrine_api::dispatch::Dispatch;
use vitrine_api::protocol::{codes, error_reply, parse_request_bounded};

/// What the network thread hands the worker.
pub enum Job {
    /// A command (its payload within `fleet.max_payload_bytes`), acked to
    /// the broker once it has been answered.
    Command(rumqttc::Publish),
    /// A desired state waits in the mailbox.
    Desired,
    /// The status should be published again.
    Status,
}

/// The newest desired-state payload of each topic (one per topic the
/// kiosk subscribes to), so none is lost when the job queue is full.
#[derive(Default)]
pub struct Desires(Mutex<BTreeMap<String, Vec<u8>>>);

impl Desires {
    pub fn put(&self, topic: String, payload: Vec<u8>) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(topic, payload);
    }

    fn take(&self) -> BTreeMap<String, Vec<u8>> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// When the retained status may be published: only once the kiosk is
/// subscribed (so "online" means "listening"), and never after the
/// goodbye, which would otherwise be overwritten by a late "online".
#[derive(Default)]
pub struct Gate {
    pub subscribed: AtomicBool,
    closing: Mutex<bool>,
}

impl Gate {
    /// Runs `publish` unless the link is closing; the lock keeps a status
    /// and the goodbye in order.
    fn publish_status(&self, publish: impl FnOnce()) {
        let closing = self.closing.lock().unwrap_or_else(|e| e.into_inner());
        if !*closing && self.subscribed.load(Ordering::Relaxed) {
            publish();
        }
    }

    /// Marks the link closing, then runs `goodbye`: no status follows it.
    pub fn close(&self, goodbye: impl FnOnce()) {
        let mut closing = self.closing.lock().unwrap_or_else(|e| e.into_inner());
        *closing = true;
        goodbye();
    }
}

/// The JSON-RPC error for a command that is refused before it is parsed
/// (over a bound): it names the request's `id` when the payload has one.
pub fn refusal(payload: &[u8], code: i64, message: &str) -> Vec<u8> {
    #[derive(serde::Deserialize)]
    struct IdOnly {
        id: Option<Value>,
    }
    let id = serde_json::from_slice::<IdOnly>(payload)
        .ok()
        .and_then(|r| r.id);
    serde_json::to_vec(&error_reply(id, code, message)).unwrap_or_default()
}

/// The worker and what it shares with the other fleet threads.
pub struct Worker {
    pub client: Client,
    pub topics: Topics,
    pub dispatch: Arc<Dispatch>,
    pub remembered: Remembered,
    pub desires: Arc<Desires>,
    /// Something the status shows changed.
    pub dirty: Arc<AtomicBool>,
    pub status_interval: Duration,
    pub screenshot_width: u32,
    /// Why the last desired state was refused, for the status.
    pub desired_error: Option<String>,
    pub gate: Arc<Gate>,
    /// The largest packet the client may send; a larger reply becomes an
    /// error, since the broker would never take it.
    pub max_packet: usize,
    /// `fleet.max_payload_bytes`: the retained status is cut to fit it (a
    /// broker set up as documented refuses anything larger).
    pub max_payload: usize,
    /// `remote.max_name_bytes`, for commands and desired states.
    pub max_name_bytes: usize,
}

/// The longest `desired_error` the status carries: it may quote what the
/// broker delivered.
const MAX_STATUS_ERROR: usize = 512;

/// `message` cut to at most `max` bytes (on a character boundary), marked.
fn cut(message: &str, max: usize) -> String {
    if message.len() <= max {
        return message.to_string();
    }
    let mut end = max;
    while !message.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… (cut from {} bytes)", &message[..end], message.len())
}

/// The status with as many of the `shown` names as fit in `max` bytes; a
/// status that had to leave names out says `"truncated": true` and how many
/// there were. `None` when not even the status without names fits.
pub fn fitted_status(mut status: Value, shown: &[String], max: usize) -> Option<Vec<u8>> {
    status["shown"] = json!(shown);
    let full = serde_json::to_vec(&status).ok()?;
    if full.len() <= max {
        return Some(full);
    }
    status["shown"] = json!([]);
    status["truncated"] = json!(true);
    status["shown_total"] = json!(shown.len());
    let mut size = serde_json::to_vec(&status).ok()?.len();
    let mut kept = Vec::new();
    for name in shown {
        // A name costs its JSON string and a comma; names are of a set
        // that JSON does not escape, but count it as JSON does anyway.
        let cost = serde_json::to_vec(name).ok()?.len() + 1;
        if size + cost > max {
            break;
        }
        size += cost;
        kept.push(name.clone());
    }
    status["shown"] = json!(kept);
    serde_json::to_vec(&status).ok().filter(|b| b.len() <= max)
}

impl Worker {
    /// Runs until the network thread ends (it holds the job sender).
    pub fn run(mut self, jobs: Receiver<Job>) {
        let mut last_status: Option<Instant> = None;
        loop {
            // Until subscribed there is no status to publish: wait for the
            // network thread's word (or a command) rather than spin.
            let wait = if !self.gate.subscribed.load(Ordering::Relaxed) {
                self.status_interval
            } else {
                last_status.map_or(Duration::ZERO, |t| {
                    self.status_interval.saturating_sub(t.elapsed())
                })
            };
            match jobs.recv_timeout(wait) {
                Ok(Job::Command(publish)) => {
                    self.command(&publish.payload);
                    if let Err(e) = self.client.try_ack(&publish) {
                        tracing::warn!(%e, "fleet: cannot queue an ack; the broker will deliver the command again");
                    }
                }
                Ok(Job::Desired | Job::Status) => {}
                Err(RecvTimeoutError::Timeout) => self.dirty.store(true, Ordering::Relaxed),
                Err(RecvTimeoutError::Disconnected) => return,
            }
            self.apply_desired();
            let due = last_status.is_none_or(|t| t.elapsed() >= self.status_interval);
            if !self.gate.subscribed.load(Ordering::Relaxed) {
                // Published once the network thread says it is subscribed.
                continue;
            }
            if self.dirty.swap(false, Ordering::Relaxed) || due {
                self.publish_status();
                last_status = Some(Instant::now());
            }
        }
    }

    fn publish(&self, topic: String, qos: QoS, retain: bool, payload: Vec<u8>) {
        if let Err(e) = self
            .client
            .try_publish(topic.as_str(), qos, retain, payload)
        {
            tracing::warn!(%topic, %e, "fleet: cannot queue a message for the broker");
        }
    }

    /// One command: parsed as on the socket, answered once per id.
    fn command(&mut self, payload: &[u8]) {
        // The id's bound is the fleet's own (below), answered with its key.
        let request = match parse_request_bounded(payload, self.max_name_bytes, usize::MAX) {
            Ok(r) => r,
            Err(e) => {
                tracing::warn!(error = %e.message, "fleet: a bad command");
                if let Some(v) = parse_failure(&e) {
                    self.send_reply(&v);
                }
                return;
            }
        };
        // An id past fleet.max_command_id_bytes is refused, and not echoed.
        let key = match request
            .id
            .as_ref()
            .map(|id| self.remembered.key(id, payload))
        {
            Some(Err(message)) => {
                tracing::warn!(%message, "fleet: a command was refused");
                self.send_reply(&error_reply(None, codes::INVALID_REQUEST, &message));
                return;
            }
            key => key.and_then(Result::ok),
        };
        if let Some(k) = &key
            && let Some(previous) = self.remembered.seen(k)
        {
            tracing::info!(id = %k, method = request.command.method(), "fleet: a command delivered again; applied once already");
            let again = match previous {
                Some(bytes) => bytes.to_vec(),
                None => serde_json::to_vec(&json!({
                    "jsonrpc": "2.0", "id": request.id,
                    "result": {"duplicate": true, "message": "applied already; its reply was too large to keep"},
                }))
                .unwrap_or_default(),
            };
            self.publish(self.topics.reply(), QoS::AtLeastOnce, false, again);
            return;
        }
        let command = match request.command {
            Command::Call(Call::Screenshot { max_width: None }) => {
                Command::Call(Call::Screenshot {
                    max_width: Some(self.screenshot_width),
                })
            }
            // A preview is a picture too: as wide as the fleet's screenshots.
            Command::Call(Call::Preview {
                layout,
                max_width: None,
            }) => Command::Call(Call::Preview {
                layout,
                max_width: Some(self.screenshot_width),
            }),
            other => other,
        };
        let screenshot = matches!(command, Command::Call(Call::Screenshot { .. }));
        let result = match command {
            Command::Stream(_) => Err((
                codes::INVALID_REQUEST,
                format!("events are published on {}", self.topics.events()),
            )),
            other => answer(other, &self.dispatch),
        };
        if screenshot && let Ok(v) = &result {
            self.publish_screenshot(v);
        }
        let id = request.id.clone();
        let reply = reply(request.id, result);
        let mut bytes = reply.as_ref().and_then(|v| serde_json::to_vec(v).ok());
        if let Some(b) = &bytes
            && !self.fits(&self.topics.reply(), b.len())
        {
            let message = format!(
                "the reply has {} bytes, more than the fleet may send ({}, twice fleet.max_payload_bytes): ask for less (a smaller max_width)",
                b.len(),
                self.max_packet
            );
            tracing::warn!(%message, "fleet: a reply was too large");
            bytes = serde_json::to_vec(&error_reply(id, codes::LIMIT, &message)).ok();
        }
        if let Some(k) = key {
            self.remembered.insert(k, bytes.as_deref());
        }
        if let Some(b) = bytes {
            self.publish(self.topics.reply(), QoS::AtLeastOnce, false, b);
        }
    }

    /// Whether a publish of `len` bytes on `topic` fits a packet.
    fn fits(&self, topic: &str, len: usize) -> bool {
        len.saturating_add(topic.len()).saturating_add(16) <= self.max_packet
    }

    fn send_reply(&self, v: &Value) {
        if let Ok(b) = serde_json::to_vec(v) {
            self.publish(self.topics.reply(), QoS::AtLeastOnce, false, b);
        }
    }

    /// The PNG itself on the screenshot topic, for clients that show it
    /// as it is.
    fn publish_screenshot(&self, result: &Value) {
        if let Some(png) = result["png_base64"]
            .as_str()
            .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        {
            if self.fits(&self.topics.screenshot(), png.len()) {
                self.publish(self.topics.screenshot(), QoS::AtMostOnce, false, png);
            } else {
                tracing::warn!(
                    bytes = png.len(),
                    "fleet: a screenshot too large to publish"
                );
            }
        }
    }

    /// Applies the newest of the desired states that arrived (the highest
    /// revision, whichever topic it came on). The kiosk itself applies it
    /// only when it is newer than its own; one that fails to apply gives way
    /// to the next newest.
    fn apply_desired(&mut self) {
        let mut found: Vec<(String, vitrine_api::document::Desired)> = Vec::new();
        for (topic, payload) in self.desires.take() {
            let parsed = serde_json::from_slice::<vitrine_api::document::Document>(&payload)
                .map_err(|e| format!("not a state document: {e}"))
                .and_then(|d| d.into_checked_within(self.max_name_bytes));
            match parsed {
                Ok(d) => found.push((topic, d)),
                Err(why) => {
                    let why = cut(&why, MAX_STATUS_ERROR);
                    tracing::warn!(%topic, %why, "fleet: a desired state was refused");
                    self.desired_error = Some(format!("{topic}: {why}"));
                    self.dirty.store(true, Ordering::Relaxed);
                }
            }
        }
        found.sort_by_key(|(_, d)| std::cmp::Reverse(d.revision));
        for (topic, desired) in found {
            let revision = desired.revision;
            self.dirty.store(true, Ordering::Relaxed);
            let failure = match self.dispatch.call(Call::SetState {
                document: Box::new(desired),
            }) {
                Ok(Ok(CallReply::Applied { applied: true, .. })) => {
                    tracing::info!(%topic, revision, "fleet: applied the desired state");
                    self.desired_error = None;
                    return;
                }
                Ok(Ok(_)) => {
                    tracing::info!(%topic, revision, "fleet: the desired state is not newer than the kiosk's");
                    return;
                }
                Ok(Err(f)) => f.to_string(),
                Err(e) => e.to_string(),
            };
            let failure = cut(&failure, MAX_STATUS_ERROR);
            tracing::warn!(%topic, revision, error = %failure, "fleet: the desired state was not applied");
            self.desired_error = Some(format!("{topic}: {failure}"));
        }
    }

    /// The retained status: online, and what the kiosk shows.
    fn publish_status(&self) {
        let (shown, revision) = match self.dispatch.call(Call::ListContent) {
            Ok(Ok(CallReply::Content {
                widgets, revision, ..
            })) => (widgets.into_iter().map(|w| w.name).collect(), revision),
            _ => (Vec::new(), self.dispatch.read(|v| v.revision)),
        };
        let mut status = self.topics.status_document(true);
        status["revision"] = json!(revision);
        status["current"] = json!(self.dispatch.read(|v| v.current_name.clone()));
        status["schedule"] = self.dispatch.read(|v| v.schedule.to_json());
        status["uptime_s"] = json!(self.dispatch.uptime().as_secs_f64());
        if let Some(e) = &self.desired_error {
            status["desired_error"] = json!(cut(e, MAX_STATUS_ERROR));
        }
        // The status must fit the broker's limit: one too large would drop
        // the connection on every publish, forever.
        let max = self.max_payload.min(
            self.max_packet
                .saturating_sub(self.topics.status().len() + 16),
        );
        match fitted_status(status, &shown, max) {
            Some(bytes) => self.gate.publish_status(|| {
                self.publish(self.topics.status(), QoS::AtLeastOnce, true, bytes);
            }),
            None => tracing::warn!(
                max,
                "fleet: the status does not fit fleet.max_payload_bytes"
            ),
        }
    }
}
