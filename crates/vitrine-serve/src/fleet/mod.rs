//! The fleet: an MQTT client that connects the kiosk out to a broker, takes commands and a desired state from it, and publishes replies, events and a retained status.
//!
//! Three threads, each bounded: `vitrine-fleet-net` drives the connection
//! (and reconnects forever), `vitrine-fleet-work` answers commands one at a
//! time through the socket's own command path and applies desired states,
//! and `vitrine-fleet-events` forwards the event bus. The kiosk never waits
//! on the broker: every publish is queued without blocking, and a full
//! queue drops the message with a log line.

mod broker;
mod dedupe;
mod net;
pub mod topics;
mod worker;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::sync_channel;
use std::thread::JoinHandle;
use std::time::Duration;

use rumqttc::{Client, QoS};
use serde_json::Value;

pub use broker::{FleetError, address, client_options, connect};
pub use dedupe::Remembered;
pub use topics::Topics;
use vitrine_api::dispatch::Dispatch;
use vitrine_api::events::{Bus, Control, TypeSet};
use vitrine_config::FleetConfig;
pub use worker::{fitted_status, refusal};

/// The kiosk id: `fleet.kiosk_id`, or the host name made fit for a topic.
pub fn kiosk_id(config: &FleetConfig) -> String {
    if !config.kiosk_id.is_empty() {
        return config.kiosk_id.clone();
    }
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for its whole length, and gethostname
    // writes at most that many bytes.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    let raw = if rc == 0 {
        let end = buf.iter().position(|b| *b == 0).unwrap_or(buf.len());
        String::from_utf8_lossy(&buf[..end]).into_owned()
    } else {
        String::new()
    };
    let id: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .take(64)
        .collect();
    if id.is_empty() || id == "all" || id == "group" {
        "kiosk".into()
    } else {
        id
    }
}

/// The running fleet link. Dropping it says goodbye: the status goes
/// offline and the connection closes.
pub struct Fleet {
    client: Client,
    topics: Topics,
    stop: Arc<AtomicBool>,
    connected: Arc<AtomicBool>,
    events: Control,
    gate: Arc<worker::Gate>,
    net: Option<JoinHandle<()>>,
}

impl Fleet {
    /// Starts the link for `config`, answering through `dispatch` and
    /// forwarding `bus`. The broker need not be up: the link connects when
    /// it can.
    pub fn start(
        config: &FleetConfig,
        dispatch: Arc<Dispatch>,
        bus: &Arc<Bus>,
    ) -> Result<Fleet, FleetError> {
        let names = vitrine_api::protocol::bounds::DEFAULT_MAX_NAME_BYTES;
        Self::start_with(config, names, dispatch, bus)
    }

    /// As [`Fleet::start`], with names in commands and desired states of at
    /// most `max_name_bytes` (`remote.max_name_bytes`).
    pub fn start_with(
        config: &FleetConfig,
        max_name_bytes: usize,
        dispatch: Arc<Dispatch>,
        bus: &Arc<Bus>,
    ) -> Result<Fleet, FleetError> {
        let topics = Topics::new(&kiosk_id(config), &config.groups);
        let will = serde_json::to_vec(&topics.status_document(false)).unwrap_or_default();
        let options = broker::options(config, &topics, will)?;
        let (client, connection) = broker::connect(options, 256);
        let (jobs_tx, jobs) = sync_channel(config.max_queued_commands);
        let desires = Arc::new(worker::Desires::default());
        let dirty = Arc::new(AtomicBool::new(true));
        let stop = Arc::new(AtomicBool::new(false));
        let connected = Arc::new(AtomicBool::new(false));
        let gate = Arc::new(worker::Gate::default());
        let subscription = bus.subscribe(TypeSet::ALL)?;
        let control = subscription.control();

        let w = worker::Worker {
            client: client.clone(),
            topics: topics.clone(),
            dispatch,
            remembered: dedupe::Remembered::new(config.remembered_ids, config.max_command_id_bytes),
            desires: desires.clone(),
            dirty: dirty.clone(),
            status_interval: config.status_interval,
            screenshot_width: config.screenshot_width,
            desired_error: None,
            gate: gate.clone(),
            max_packet: broker::max_packet(config),
            max_payload: config.max_payload_bytes,
            max_name_bytes,
        };
        std::thread::Builder::new()
            .name("vitrine-fleet-work".into())
            .stack_size(512 * 1024)
            .spawn(move || w.run(jobs))?;

        let (events_client, events_topic, events_dirty) =
            (client.clone(), topics.events(), dirty.clone());
        let plays_topic = topics.plays();
        let publish_events = config.events;
        // An event larger than a packet would drop the connection: it goes
        // as a marker that says it was cut.
        let max_event = config.max_payload_bytes;
        let events_jobs = jobs_tx.clone();
        std::thread::Builder::new()
            .name("vitrine-fleet-events".into())
            .stack_size(128 * 1024)
            .spawn(move || {
                while let Some(d) = subscription.next() {
                    let body = if publish_events {
                        d.fitted(max_event).into_owned()
                    } else {
                        Vec::new()
                    };
                    if !body.is_empty() {
                        let _ = events_client.try_publish(
                            events_topic.as_str(),
                            QoS::AtMostOnce,
                            false,
                            body,
                        );
                    }
                    let kind = d.event.params().get("type").and_then(Value::as_str);
                    // A day's proof of play is kept for the back office:
                    // retained, at least once.
                    if kind == Some("summary") {
                        match serde_json::to_vec(d.event.params()) {
                            Ok(body) if body.len() <= max_event => {
                                let _ = events_client.try_publish(
                                    plays_topic.as_str(),
                                    QoS::AtLeastOnce,
                                    true,
                                    body,
                                );
                            }
                            _ => tracing::warn!(
                                "fleet: a day's summary is larger than fleet.max_payload_bytes; not kept"
                            ),
                        }
                    }
                    if matches!(
                        kind,
                        Some("loaded" | "removed" | "revision" | "backdrop" | "layout")
                    ) {
                        events_dirty.store(true, Ordering::Relaxed);
                        let _ = events_jobs.try_send(worker::Job::Status);
                    }
                }
            })?;

        let n = net::Net {
            connection,
            client: client.clone(),
            topics: topics.clone(),
            jobs: jobs_tx,
            desires,
            dirty,
            max_payload: config.max_payload_bytes,
            reconnect_max: config.reconnect_max,
            stop: stop.clone(),
            connected: connected.clone(),
            gate: gate.clone(),
            keep_alive: config.keep_alive,
        };
        let net = std::thread::Builder::new()
            .name("vitrine-fleet-net".into())
            .stack_size(512 * 1024)
            .spawn(move || n.run())?;
        tracing::info!(kiosk = topics.id(), broker = %config.broker, groups = ?config.groups, "fleet: connecting");
        Ok(Fleet {
            client,
            topics,
            stop,
            connected,
            events: control,
            gate,
            net: Some(net),
        })
    }

    /// This kiosk's topics.
    pub fn topics(&self) -> &Topics {
        &self.topics
    }

    /// Whether the broker is connected now.
    pub fn is_connected(&self) -> bool {
        self.connected.load(Ordering::Relaxed)
    }
}

impl Drop for Fleet {
    fn drop(&mut self) {
        self.events.close();
        // The goodbye goes last: no status of the worker's can follow it
        // and leave the kiosk "online".
        let connected = self.is_connected();
        self.gate.close(|| {
            if connected {
                let offline =
                    serde_json::to_vec(&self.topics.status_document(false)).unwrap_or_default();
                let _ =
                    self.client
                        .try_publish(self.topics.status(), QoS::AtLeastOnce, true, offline);
            }
        });
        let _ = self.client.try_disconnect();
        // Give the goodbye a moment to leave; the process may be ending.
        let deadline = std::time::Instant::now() + Duration::from_secs(1);
        while self.net.as_ref().is_some_and(|h| !h.is_finished())
            && std::time::Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_millis(10));
        }
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.net.take().filter(JoinHandle::is_finished) {
            let _ = h.join();
        }
    }
}
