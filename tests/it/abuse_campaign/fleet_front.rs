//! The fleet's part of the abuse campaign, through a real Mosquitto: 16 classes of hostile messages on the kiosk's command and desired-state topics (garbage, bodies that are no request, wrong types, unknown methods, event streams, ids past the bound, payloads past `fleet.max_payload_bytes`, revisions past 2^53-1, names past the bound, repeated ids, notifications), and a back office that keeps asking `whatsLoaded` with a fresh id and waiting for its reply.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use rumqttc::{Client, Event, MqttOptions, Packet, QoS};
use serde_json::{Value, json};

use super::campaign::{Healthy, Share};
use crate::support::Lcg;

/// The kiosk's id on the fleet.
pub const KIOSK: &str = "abuse";
/// The kiosk's `fleet.max_payload_bytes` in the campaign: small, so that
/// payloads past it are cheap to send by the thousand.
pub const MAX_PAYLOAD: usize = 65_536;
/// Hostile messages sent before the attacker waits for a marker's reply.
/// Mosquitto queues at most 1,000 messages for a client (and keeps 20 in
/// flight); a sender that never waits would have the broker drop commands,
/// the healthy one's among them, which tests the broker, not the kiosk.
const PACE: usize = 50;

/// An MQTT client subscribed to `topics`; what it receives comes out of the
/// receiver as (topic, payload).
pub struct Office {
    pub client: Client,
    pub rx: Receiver<(String, Vec<u8>)>,
}

impl Office {
    pub fn connect(port: u16, name: &str, topics: &[String]) -> Office {
        let mut o = MqttOptions::new(name, "127.0.0.1", port);
        o.set_keep_alive(Duration::from_secs(30));
        o.set_max_packet_size(4 << 20, 4 << 20);
        // Nagle off, as the kiosk has it: otherwise the latencies are the
        // client's delayed acks (40 ms), not the kiosk's.
        let (client, mut connection) = vitrine::fleet::connect(o, 256);
        let (tx, rx) = channel();
        let (subscribed, granted) = channel();
        let (sub, wanted) = (client.clone(), topics.to_vec());
        std::thread::spawn(move || {
            for event in connection.iter() {
                match event {
                    Ok(Event::Incoming(Packet::ConnAck(_))) => {
                        for t in &wanted {
                            let _ = sub.subscribe(t.as_str(), QoS::AtLeastOnce);
                        }
                    }
                    Ok(Event::Incoming(Packet::SubAck(_))) => {
                        let _ = subscribed.send(());
                    }
                    Ok(Event::Incoming(Packet::Publish(p))) => {
                        if tx.send((p.topic.clone(), p.payload.to_vec())).is_err() {
                            return;
                        }
                    }
                    Ok(_) => {}
                    Err(_) => std::thread::sleep(Duration::from_millis(200)),
                }
            }
        });
        for _ in 0..topics.len() {
            granted
                .recv_timeout(Duration::from_secs(30))
                .expect("subscribed to the broker");
        }
        Office { client, rx }
    }

    fn command(&self, topic: &str, payload: Vec<u8>) {
        self.client
            .publish(topic, QoS::AtLeastOnce, false, payload)
            .expect("the broker takes the message");
    }

    /// Waits for the reply with `id`, skipping every other message.
    pub fn reply(&self, id: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(60);
        let topic = format!("vitrine/{KIOSK}/reply");
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let Ok((t, payload)) = self.rx.recv_timeout(left) else {
                panic!("no fleet reply {id} in 60 s");
            };
            if t != topic {
                continue;
            }
            let v: Value = serde_json::from_slice(&payload).unwrap_or(Value::Null);
            if v["id"] == id {
                return v;
            }
        }
    }

    /// Waits until the kiosk's status says it is online.
    pub fn online(&self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        let topic = format!("vitrine/{KIOSK}/status");
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let Ok((t, payload)) = self.rx.recv_timeout(left) else {
                panic!("the kiosk never came online on the fleet");
            };
            let v: Value = serde_json::from_slice(&payload).unwrap_or(Value::Null);
            if t == topic && v["online"] == true {
                return;
            }
        }
    }
}

fn request(id: &str, method: &str, params: Value) -> Vec<u8> {
    serde_json::to_vec(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
        .unwrap_or_default()
}

/// A desired-state document at `revision` that would replace the screen.
fn desired(revision: Value) -> Vec<u8> {
    serde_json::to_vec(&json!({"format": "vitrine-state", "version": 1, "state": {
        "revision": revision, "widgets": [{"name": "hijack",
        "home": {"x": 10.0, "y": 10.0, "scale": 1.0, "rotation": 0.0},
        "source": {"type": "html", "data": "<p>hijacked</p>", "width": 100, "height": 50}}]}}))
    .unwrap_or_default()
}

/// Hostile message `i`: its topic and payload.
fn hostile(i: usize, rng: &mut Lcg) -> (String, Vec<u8>) {
    let cmd = if i.is_multiple_of(7) {
        "vitrine/all/cmd".to_string()
    } else {
        format!("vitrine/{KIOSK}/cmd")
    };
    let id = format!("hostile-{i}");
    let payload = match i % 16 {
        0 => {
            let n = rng.below(300) as usize;
            rng.bytes(n)
        }
        1 => [
            &b""[..],
            b"[]",
            b"42",
            b"null",
            b"\"x\"",
            &[0xff, 0xfe, 0x00, 0x80],
        ][i / 16 % 6]
            .to_vec(),
        2 => {
            let mut nested = "[".repeat(30_000);
            nested.push_str(&"]".repeat(30_000));
            nested.into_bytes()
        }
        3 => request(&id, "postHtml", json!({"name": 5, "data": ["x"]})),
        4 => request(&id, ["formatDisk", "", "rm -rf /"][i / 16 % 3], json!({})),
        5 => request(&id, "subscribe", json!({})),
        // Ids past fleet.max_command_id_bytes, and ids that are no id.
        6 => {
            let long = "i".repeat(4096);
            let bad =
                [json!(long), json!({"a": 1}), json!([1, 2]), json!(1.5e300)][i / 16 % 4].clone();
            serde_json::to_vec(&json!({"jsonrpc": "2.0", "id": bad, "method": "whatsLoaded"}))
                .unwrap_or_default()
        }
        // Past fleet.max_payload_bytes.
        7 => request(
            &id,
            "postHtml",
            json!({"name": "big", "data": "x".repeat(MAX_PAYLOAD)}),
        ),
        // setState past 2^53-1, or at 2^64-1.
        8 => {
            let revision =
                [json!(1u64 << 53), json!(u64::MAX), json!(-1), json!("x")][i / 16 % 4].clone();
            let doc: Value = serde_json::from_slice(&desired(revision)).unwrap_or(Value::Null);
            request(&id, "setState", doc)
        }
        // Names past remote.max_name_bytes, and unsafe in a topic or a CSV.
        9 => {
            let name = [
                "n".repeat(300),
                "a/#+".into(),
                "x\n,y".into(),
                "\u{202e}rtl".into(),
            ][i / 16 % 4]
                .clone();
            request(
                &id,
                "postHtml",
                json!({"name": name, "data": "<p>", "width": 100, "height": 50}),
            )
        }
        // Refused loads: a viewport no page may have, files outside the roots.
        10 => match i / 16 % 2 {
            0 => request(
                &id,
                "postHtml",
                json!({"name": "x", "data": "<p>", "width": 600000, "height": 600000}),
            ),
            _ => request(
                &id,
                "fetchUrl",
                json!({"name": "x", "url": "file:///etc/shadow"}),
            ),
        },
        // One id again and again, on calls that change nothing.
        11 => request(
            "again",
            ["remove", "raise", "pause"][i / 16 % 3],
            json!({"name": "nope"}),
        ),
        // Notifications: no id, nothing to answer.
        12 => serde_json::to_vec(
            &json!({"jsonrpc": "2.0", "method": "remove", "params": {"name": "nope"}}),
        )
        .unwrap_or_default(),
        // Desired states that are no document, or past 2^53-1.
        13 | 14 => {
            let topic = if i.is_multiple_of(2) {
                format!("vitrine/{KIOSK}/desired")
            } else {
                "vitrine/all/desired".into()
            };
            let payload = match i / 16 % 4 {
                0 => desired(json!(1u64 << 53)),
                1 => desired(json!(u64::MAX)),
                2 => b"{\"format\": \"nope\"}".to_vec(),
                _ => rng.bytes(64),
            };
            return (topic, payload);
        }
        // One bit flipped in a request.
        _ => {
            let mut b = request(&id, "whatsLoaded", json!({}));
            let at = rng.below(b.len() as u64) as usize;
            b[at] ^= 1 << rng.below(8);
            b
        }
    };
    (cmd, payload)
}

/// The attacker: messages of its share through the broker until it is
/// spent, a marker every `PACE` messages whose reply it waits for.
pub fn attacker(port: u16, share: &Share, seed: u64) {
    let mut rng = Lcg(seed);
    let office = Office::connect(port, "abuse-attacker", &[format!("vitrine/{KIOSK}/reply")]);
    let cmd = format!("vitrine/{KIOSK}/cmd");
    let mut sent = 0;
    let mut last = None;
    while let Some(i) = share.take() {
        let (topic, payload) = hostile(i, &mut rng);
        office.command(&topic, payload);
        last = Some(i);
        sent += 1;
        if sent % PACE == 0 {
            let id = format!("pace-{i}");
            office.command(&cmd, request(&id, "ping", json!({})));
            office.reply(&id);
        }
    }
    let id = format!("pace-end-{}", last.unwrap_or(0));
    office.command(&cmd, request(&id, "ping", json!({})));
    office.reply(&id);
}

/// The back office: `whatsLoaded` with a fresh id until `done`, each reply
/// waited for and right. A "busy" refusal (`fleet.max_queued_commands`) is
/// asked again and counted; its latency runs from the first ask.
pub fn healthy(office: &Office, done: &Arc<AtomicBool>) -> Healthy {
    let cmd = format!("vitrine/{KIOSK}/cmd");
    let (mut latencies, mut retries, mut n) = (Vec::new(), 0, 0);
    loop {
        let t = Instant::now();
        let reply = loop {
            n += 1;
            let id = format!("healthy-{n}");
            office.command(&cmd, request(&id, "whatsLoaded", json!({})));
            let r = office.reply(&id);
            let busy = r["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("busy"));
            if !busy {
                break r;
            }
            retries += 1;
        };
        latencies.push(t.elapsed());
        assert_eq!(reply["result"], "steady", "fleet whatsLoaded: {reply}");
        if done.load(Ordering::SeqCst) {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    Healthy {
        latencies,
        what: format!("whatsLoaded through Mosquitto ({retries} asked again when busy)"),
    }
}
