//! The fleet's network thread: drives the MQTT connection, reconnects with backoff forever, subscribes again on every connection, and routes what arrives to the worker without ever waiting on it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{SyncSender, TrySendError};
use std::time::{Duration, Instant};

use rumqttc::{
    Client, Connection, ConnectionError, Event, Packet, Publish, QoS, Request, StateError,
    Subscribe, SubscribeFilter, SubscribeReasonCode,
};

use super::topics::{Incoming, Topics};
use super::worker::{Desires, Gate, Job, refusal};
use vitrine_api::protocol::codes;

/// The largest refusal that echoes the command's id; past it the id is
/// left out. A constant: an id that long is refused by the worker anyway
/// (`fleet.max_command_id_bytes` is at most 64 KiB).
const MAX_REFUSAL_BYTES: usize = 80 * 1024;

pub struct Net {
    pub connection: Connection,
    pub client: Client,
    pub topics: Topics,
    pub jobs: SyncSender<Job>,
    pub desires: Arc<Desires>,
    pub dirty: Arc<AtomicBool>,
    pub max_payload: usize,
    pub reconnect_max: Duration,
    pub stop: Arc<AtomicBool>,
    /// Whether the kiosk is connected now, for `doctor` and tests.
    pub connected: Arc<AtomicBool>,
    pub gate: Arc<Gate>,
    /// A connection that lasted this long was healthy: the backoff starts
    /// over after it drops.
    pub keep_alive: Duration,
}

/// Whether the connection broke on a packet over the size bound, coming
/// or going.
fn oversize(e: &ConnectionError) -> bool {
    matches!(
        e,
        ConnectionError::MqttState(StateError::Deserialization(
            rumqttc::mqttbytes::Error::PayloadSizeLimitExceeded(_)
                | rumqttc::mqttbytes::Error::OutgoingPacketTooLarge { .. }
        ))
    )
}

impl Net {
    pub fn run(mut self) {
        let first = Duration::from_secs(1);
        let mut backoff = first;
        let mut was_up = true;
        let mut up_since: Option<Instant> = None;
        loop {
            let event = match self.connection.recv() {
                Ok(e) => e,
                // The event loop has no requests left to take: nothing
                // more can happen on this link.
                Err(_) => return,
            };
            if self.stop.load(Ordering::Relaxed) {
                return;
            }
            match event {
                Ok(Event::Incoming(Packet::ConnAck(_))) => {
                    tracing::info!(kiosk = self.topics.id(), "fleet: connected to the broker");
                    was_up = true;
                    up_since = Some(Instant::now());
                    self.connection
                        .eventloop
                        .mqtt_options
                        .set_clean_session(false);
                    self.connected.store(true, Ordering::Relaxed);
                    // First thing on the new connection, ahead of whatever
                    // waited during the outage: a full queue must not cost
                    // the subscriptions.
                    let subs = self
                        .topics
                        .subscriptions()
                        .into_iter()
                        .map(|t| SubscribeFilter::new(t, QoS::AtLeastOnce));
                    self.connection
                        .eventloop
                        .pending
                        .push_front(Request::Subscribe(Subscribe::new_many(subs)));
                }
                Ok(Event::Incoming(Packet::SubAck(ack))) => {
                    let refused = ack
                        .return_codes
                        .iter()
                        .filter(|c| matches!(c, SubscribeReasonCode::Failure))
                        .count();
                    if refused > 0 {
                        tracing::warn!(
                            refused,
                            "fleet: the broker refused subscriptions (check its ACL for this kiosk)"
                        );
                    }
                    self.gate.subscribed.store(true, Ordering::Relaxed);
                    self.dirty.store(true, Ordering::Relaxed);
                    let _ = self.jobs.try_send(Job::Status);
                }
                Ok(Event::Incoming(Packet::Publish(p))) => self.route(p),
                // The kiosk said goodbye (its offline status went first).
                Ok(Event::Outgoing(rumqttc::Outgoing::Disconnect)) => return,
                Ok(_) => {}
                Err(e) => {
                    self.connected.store(false, Ordering::Relaxed);
                    self.gate.subscribed.store(false, Ordering::Relaxed);
                    // Only a connection that lasted starts the backoff over:
                    // one the broker drops at once (a message it keeps
                    // resending, a second kiosk with this id) backs off.
                    if up_since
                        .take()
                        .is_some_and(|t| t.elapsed() >= self.keep_alive)
                    {
                        backoff = first;
                    }
                    if oversize(&e) {
                        // The broker would deliver the same message again
                        // on the kept session: start a clean one instead.
                        tracing::warn!(%e, "fleet: a message far over fleet.max_payload_bytes; dropping the session that holds it");
                        self.connection
                            .eventloop
                            .mqtt_options
                            .set_clean_session(true);
                    }
                    if was_up {
                        tracing::warn!(%e, "fleet: the broker is unreachable; retrying with backoff up to fleet.reconnect_max");
                        was_up = false;
                    } else {
                        tracing::debug!(%e, retry_in = ?backoff, "fleet: still no broker");
                    }
                    if self.sleep(backoff) {
                        return;
                    }
                    backoff = (backoff * 2).min(self.reconnect_max);
                }
            }
        }
    }

    /// Sleeps `d`, waking early to stop; says whether to stop.
    fn sleep(&self, d: Duration) -> bool {
        let step = Duration::from_millis(100);
        let mut left = d;
        while !left.is_zero() {
            if self.stop.load(Ordering::Relaxed) {
                return true;
            }
            let s = left.min(step);
            std::thread::sleep(s);
            left -= s;
        }
        self.stop.load(Ordering::Relaxed)
    }

    fn route(&self, p: Publish) {
        let Some(kind) = self.topics.classify(&p.topic) else {
            self.ack(&p);
            return;
        };
        if p.payload.len() > self.max_payload {
            let message = format!(
                "the message has {} bytes, more than fleet.max_payload_bytes ({})",
                p.payload.len(),
                self.max_payload
            );
            tracing::warn!(topic = %p.topic, %message, "fleet: a message was refused");
            self.ack(&p);
            if kind == Incoming::Command {
                self.reply(refusal(
                    &p.payload[..p.payload.len().min(4096)],
                    codes::LIMIT,
                    &message,
                ));
            }
            return;
        }
        match kind {
            // The worker acks a command once it has been answered, so one
            // lost with the kiosk (kill -9) is delivered again.
            Incoming::Command => match self.jobs.try_send(Job::Command(p)) {
                Ok(()) => {}
                Err(TrySendError::Full(Job::Command(p))) => {
                    let message = "the kiosk is busy: fleet.max_queued_commands commands wait already; send it again later";
                    tracing::warn!(topic = %p.topic, "fleet: {message}");
                    self.ack(&p);
                    // The refusal names the command's id, unless the id is
                    // so long that echoing it would be the larger message.
                    let mut bytes = refusal(&p.payload, codes::LIMIT, message);
                    if bytes.len() > MAX_REFUSAL_BYTES {
                        bytes = refusal(b"", codes::LIMIT, message);
                    }
                    self.reply(bytes);
                }
                Err(_) => {}
            },
            Incoming::Desired => {
                self.ack(&p);
                // An empty retained message clears the topic: nothing to apply.
                if p.payload.is_empty() {
                    return;
                }
                self.desires.put(p.topic.clone(), p.payload.to_vec());
                let _ = self.jobs.try_send(Job::Desired);
            }
        }
    }

    /// Acks a message the worker will not see (it acks commands itself).
    fn ack(&self, p: &Publish) {
        if let Err(e) = self.client.try_ack(p) {
            tracing::warn!(%e, "fleet: cannot queue an ack");
        }
    }

    fn reply(&self, bytes: Vec<u8>) {
        if let Err(e) = self
            .client
            .try_publish(self.topics.reply(), QoS::AtLeastOnce, false, bytes)
        {
            tracing::warn!(%e, "fleet: cannot queue a reply");
        }
    }
}
