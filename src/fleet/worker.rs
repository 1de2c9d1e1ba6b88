//! The fleet's worker thread: commands answered through the socket's own command path (once per id), the newest desired state applied, and the retained status kept current.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use rumqttc::{Client, QoS};
use serde_json::{Value, json};

use super::dedupe::{self, Remembered};
use super::topics::Topics;
use crate::remote::answer::{answer, parse_failure, reply};
use crate::remote::command::{Call, CallReply, Command};
use crate::remote::dispatch::Dispatch;
use crate::remote::protocol::{codes, error_reply, parse_request};

/// What the network thread hands the worker.
pub enum Job {
    /// A command's payload (within `fleet.max_payload_bytes`).
    Command(Vec<u8>),
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
}

impl Worker {
    /// Runs until the network thread ends (it holds the job sender).
    pub fn run(mut self, jobs: Receiver<Job>) {
        let mut last_status: Option<Instant> = None;
        loop {
            let wait = last_status.map_or(Duration::ZERO, |t| {
                self.status_interval.saturating_sub(t.elapsed())
            });
            match jobs.recv_timeout(wait) {
                Ok(Job::Command(payload)) => self.command(&payload),
                Ok(Job::Desired | Job::Status) => {}
                Err(RecvTimeoutError::Timeout) => self.dirty.store(true, Ordering::Relaxed),
                Err(RecvTimeoutError::Disconnected) => return,
            }
            self.apply_desired();
            let due = last_status.is_none_or(|t| t.elapsed() >= self.status_interval);
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
        let request = match parse_request(payload) {
            Ok(r) => r,
            Err(e) => {
                tracing::warn!(error = %e.message, "fleet: a bad command");
                if let Some(v) = parse_failure(&e) {
                    self.send_reply(&v);
                }
                return;
            }
        };
        let key = request.id.as_ref().map(dedupe::key);
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
        let reply = reply(request.id, result);
        let bytes = reply.as_ref().and_then(|v| serde_json::to_vec(v).ok());
        if let Some(k) = key {
            self.remembered.insert(k, bytes.as_deref());
        }
        if let Some(b) = bytes {
            self.publish(self.topics.reply(), QoS::AtLeastOnce, false, b);
        }
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
            self.publish(self.topics.screenshot(), QoS::AtMostOnce, false, png);
        }
    }

    /// Applies the newest of the desired states that arrived (the highest
    /// revision, whichever topic it came on). The kiosk itself applies it
    /// only when it is newer than its own.
    fn apply_desired(&mut self) {
        let mut best: Option<(String, crate::state::Desired)> = None;
        for (topic, payload) in self.desires.take() {
            let parsed = serde_json::from_slice::<crate::state::Document>(&payload)
                .map_err(|e| format!("not a state document: {e}"))
                .and_then(crate::state::Document::into_checked);
            match parsed {
                Ok(d) if best.as_ref().is_none_or(|(_, b)| d.revision > b.revision) => {
                    best = Some((topic, d));
                }
                Ok(_) => {}
                Err(why) => {
                    tracing::warn!(%topic, %why, "fleet: a desired state was refused");
                    self.desired_error = Some(format!("{topic}: {why}"));
                    self.dirty.store(true, Ordering::Relaxed);
                }
            }
        }
        let Some((topic, desired)) = best else {
            return;
        };
        let revision = desired.revision;
        match self.dispatch.call(Call::SetState {
            document: Box::new(desired),
        }) {
            Ok(Ok(CallReply::Applied {
                applied: true,
                revision,
            })) => {
                tracing::info!(%topic, revision, "fleet: applied the desired state");
                self.desired_error = None;
            }
            Ok(Ok(_)) => {
                tracing::info!(%topic, revision, "fleet: the desired state is not newer than the kiosk's");
            }
            Ok(Err(f)) => {
                tracing::warn!(%topic, revision, error = %f, "fleet: the desired state was not applied");
                self.desired_error = Some(format!("{topic}: {f}"));
            }
            Err(e) => {
                tracing::warn!(%topic, revision, %e, "fleet: the desired state was not applied");
                self.desired_error = Some(format!("{topic}: {e}"));
            }
        }
        self.dirty.store(true, Ordering::Relaxed);
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
        status["shown"] = json!(shown);
        status["current"] = json!(self.dispatch.read(|v| v.current_name.clone()));
        status["uptime_s"] = json!(self.dispatch.uptime().as_secs_f64());
        if let Some(e) = &self.desired_error {
            status["desired_error"] = json!(e);
        }
        if let Ok(bytes) = serde_json::to_vec(&status) {
            self.publish(self.topics.status(), QoS::AtLeastOnce, true, bytes);
        }
    }
}
