//! Fleet benchmark: one command to 50 kiosks through a local Mosquitto, with the kiosks simulated as 50 real fleet clients (vitrine's own `Fleet`, answering `ping` from their view) in this process: the time until all 50 replies arrive (p50/p99), and the messages the broker handled per command (from its `$SYS` counters).
//!
//! `cargo bench --bench fleet` sends 200 commands; run by `cargo test`, it
//! does a smoke run with 5 kiosks and checks every reply came.

#[path = "../tests/support/mqtt.rs"]
#[allow(dead_code)]
mod mqtt;

use std::collections::HashMap;
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use rumqttc::{Client, Event, MqttOptions, Packet, QoS};
use vitrine::api::{CallReply, Dispatch, Task, View};
use vitrine::config::FleetConfig;
use vitrine::events::Bus;
use vitrine::fleet::Fleet;

/// The simulated kiosks need no UI loop: `ping` is answered from the view,
/// and a thread answers the status's widget list.
struct NoWake;
impl vitrine::wake::Wake for NoWake {
    fn wake(&self) {}
}

/// A back office that forwards every message to the benchmark at once.
fn office(port: u16, sink: Sender<(String, Vec<u8>)>) -> Client {
    let mut o = MqttOptions::new("bench-office", "127.0.0.1", port);
    o.set_keep_alive(Duration::from_secs(30));
    let (client, mut connection) = vitrine::fleet::connect(o, 1024);
    let sub = client.clone();
    std::thread::spawn(move || {
        for event in connection.iter() {
            match event {
                Ok(Event::Incoming(Packet::ConnAck(_))) => {
                    let _ = sub.subscribe("vitrine/+/reply", QoS::AtLeastOnce);
                    let _ = sub.subscribe("vitrine/+/status", QoS::AtLeastOnce);
                    let _ = sub.subscribe("$SYS/broker/publish/messages/+", QoS::AtMostOnce);
                }
                Ok(Event::Incoming(Packet::Publish(p))) => {
                    if sink.send((p.topic.clone(), p.payload.to_vec())).is_err() {
                        return;
                    }
                }
                Ok(_) => {}
                Err(_) => std::thread::sleep(Duration::from_millis(100)),
            }
        }
    });
    client
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (count, rounds) = if full { (50, 200) } else { (5, 5) };
    println!(
        "fleet benchmark: one ping to vitrine/all/cmd, {count} fleet clients, {rounds} commands"
    );
    for (label, extra) in [
        ("Mosquitto as installed", ""),
        ("Mosquitto, set_tcp_nodelay true", "set_tcp_nodelay true\n"),
    ] {
        let broker = mqtt::Broker::start_with(extra);
        let (took, per) = phase(&broker, count, rounds);
        let pick = |q: f64| took[((took.len() as f64 * q) as usize).min(took.len() - 1)];
        println!(
            "  {label:<32} all {count} replies in p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; \
             broker PUBLISH packets per command: {:.1} in, {:.1} out",
            pick(0.5).as_secs_f64() * 1e3,
            pick(0.99).as_secs_f64() * 1e3,
            took[took.len() - 1].as_secs_f64() * 1e3,
            per.0,
            per.1,
        );
    }
}

/// `rounds` commands to `count` kiosks on `broker`: each round's time until
/// every reply arrived (sorted), and the broker's messages in and out per
/// command.
fn phase(broker: &mqtt::Broker, count: usize, rounds: usize) -> (Vec<Duration>, (f64, f64)) {
    let (tx, rx) = channel();
    let client = office(broker.port, tx);
    let mut kiosks = Vec::new();
    for i in 0..count {
        let (tasks, waiting) = channel();
        let view = Arc::new(RwLock::new(View::default()));
        let dispatch = Arc::new(Dispatch::new(
            tasks,
            Arc::new(NoWake),
            view,
            Duration::from_secs(5),
        ));
        let bus = Bus::new(4, 64);
        let config = FleetConfig {
            enabled: true,
            broker: broker.url(),
            kiosk_id: format!("bench-{i:02}"),
            groups: vec!["bench".into()],
            ..FleetConfig::default()
        };
        let fleet = Fleet::start(&config, dispatch, &bus).expect("a fleet client starts");
        // The status asks for the widget list: an empty screen answers.
        std::thread::spawn(move || {
            while let Ok(task) = waiting.recv() {
                if let Task::Call { reply, .. } = task {
                    let _ = reply.send(Ok(CallReply::Content {
                        widgets: Vec::new(),
                        revision: 0,
                        screen: [1920.0, 1080.0],
                        schedule: Default::default(),
                    }));
                }
            }
        });
        kiosks.push((fleet, bus));
    }

    // Wait until every kiosk says it is online, and read the $SYS counters.
    let mut online = std::collections::HashSet::new();
    let mut counters: HashMap<String, u64> = HashMap::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while online.len() < count || counters.len() < 2 {
        assert!(
            Instant::now() < deadline,
            "{} of {count} kiosks online",
            online.len()
        );
        if let Ok((topic, payload)) = rx.recv_timeout(Duration::from_millis(100)) {
            note(&topic, &payload, &mut online, &mut counters);
        }
    }
    // Let the $SYS counters settle past the start-up traffic.
    let settle = |rx: &std::sync::mpsc::Receiver<(String, Vec<u8>)>,
                  online: &mut _,
                  counters: &mut HashMap<String, u64>| {
        let until = Instant::now() + Duration::from_millis(2500);
        while let Some(left) = until.checked_duration_since(Instant::now()) {
            if let Ok((t, p)) = rx.recv_timeout(left) {
                note(&t, &p, online, counters);
            }
        }
        (counters["received"], counters["sent"])
    };
    let before = settle(&rx, &mut online, &mut counters);

    let mut took = Vec::new();
    for round in 0..rounds {
        let id = format!("bench-{round}");
        let body =
            serde_json::to_vec(&serde_json::json!({"jsonrpc": "2.0", "id": id, "method": "ping"}))
                .unwrap();
        let start = Instant::now();
        client
            .publish("vitrine/all/cmd", QoS::AtLeastOnce, false, body)
            .expect("published");
        let mut replies = 0;
        while replies < count {
            let (topic, payload) = rx
                .recv_timeout(Duration::from_secs(30))
                .unwrap_or_else(|_| panic!("round {round}: {replies} of {count} replies"));
            if topic.ends_with("/reply") {
                let v: serde_json::Value = serde_json::from_slice(&payload).unwrap_or_default();
                if v["id"] == id.as_str() && v["result"]["version"].is_string() {
                    replies += 1;
                }
            } else {
                note(&topic, &payload, &mut online, &mut counters);
            }
        }
        took.push(start.elapsed());
    }
    let after = settle(&rx, &mut online, &mut counters);
    took.sort();
    let per = |a: u64, b: u64| (b.saturating_sub(a)) as f64 / rounds as f64;
    drop(kiosks);
    let _ = client.disconnect();
    (took, (per(before.0, after.0), per(before.1, after.1)))
}

/// Records a status (who is online) or a `$SYS` counter.
fn note(
    topic: &str,
    payload: &[u8],
    online: &mut std::collections::HashSet<String>,
    counters: &mut HashMap<String, u64>,
) {
    if let Some(name) = topic.strip_prefix("$SYS/broker/publish/messages/") {
        if let Some(n) = std::str::from_utf8(payload)
            .ok()
            .and_then(|s| s.trim().parse().ok())
        {
            counters.insert(name.to_string(), n);
        }
    } else if topic.ends_with("/status") {
        let v: serde_json::Value = serde_json::from_slice(payload).unwrap_or_default();
        if v["online"] == true {
            online.insert(topic.to_string());
        }
    }
}
