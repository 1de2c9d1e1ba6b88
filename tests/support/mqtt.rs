//! A real Mosquitto broker on a free loopback port for the fleet tests, and a back office built on rumqttc that records every message it sees.

use std::collections::VecDeque;
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rumqttc::{Client, Event, MqttOptions, Packet, QoS};
use serde_json::Value;

/// A Mosquitto process; killed on drop.
pub struct Broker {
    child: Option<Child>,
    pub port: u16,
    conf: PathBuf,
}

fn mosquitto() -> &'static str {
    if std::path::Path::new("/usr/sbin/mosquitto").exists() {
        "/usr/sbin/mosquitto"
    } else {
        "mosquitto"
    }
}

impl Broker {
    /// Starts Mosquitto on a free port, with `set_tcp_nodelay true`.
    pub fn start() -> Broker {
        Self::start_with("set_tcp_nodelay true\n")
    }

    /// Starts Mosquitto on a free port with `extra` lines of config.
    pub fn start_with(extra: &str) -> Broker {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        Self::start_on(port, extra)
    }

    /// Starts Mosquitto on `port` and waits until it accepts connections.
    pub fn start_on(port: u16, extra: &str) -> Broker {
        let dir = std::env::temp_dir().join(format!("vitrine-mosquitto-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let conf = dir.join(format!("mosquitto-{port}.conf"));
        std::fs::write(
            &conf,
            format!(
                "listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n\
                 log_dest stderr\nmessage_size_limit 0\nsys_interval 1\n{extra}"
            ),
        )
        .unwrap();
        let mut b = Broker {
            child: None,
            port,
            conf,
        };
        b.restart();
        b
    }

    /// Kills the broker (as a crash would).
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Starts it again on the same port.
    pub fn restart(&mut self) {
        self.kill();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let mut child = Command::new(mosquitto())
                .arg("-c")
                .arg(&self.conf)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("mosquitto runs (make test installs it)");
            let up = Instant::now() + Duration::from_secs(5);
            while Instant::now() < up {
                if TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                    self.child = Some(child);
                    return;
                }
                if child.try_wait().ok().flatten().is_some() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            let _ = child.wait();
            // The port may still be held by the broker just killed.
            assert!(
                Instant::now() < deadline,
                "mosquitto did not start on {}",
                self.port
            );
            std::thread::sleep(Duration::from_millis(300));
        }
    }

    /// A free port for a second listener.
    pub fn free_port() -> u16 {
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    }

    pub fn url(&self) -> String {
        format!("mqtt://127.0.0.1:{}", self.port)
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        self.kill();
    }
}

/// One message seen by the back office.
#[derive(Clone, Debug)]
pub struct Seen {
    pub topic: String,
    pub payload: Vec<u8>,
    pub retain: bool,
}

impl Seen {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.payload).unwrap_or(Value::Null)
    }
}

/// A back office: subscribed to `vitrine/#`, it keeps every message.
pub struct Backoffice {
    pub client: Client,
    seen: Arc<Mutex<VecDeque<Seen>>>,
}

impl Backoffice {
    pub fn connect(broker: &Broker, name: &str) -> Backoffice {
        Self::connect_port(broker.port, name)
    }

    /// The same, on another of the broker's listeners.
    pub fn connect_port(port: u16, name: &str) -> Backoffice {
        let mut o = MqttOptions::new(name, "127.0.0.1", port);
        o.set_keep_alive(Duration::from_secs(5));
        o.set_max_packet_size(64 << 20, 64 << 20);
        let (client, mut connection) = Client::new(o, 64);
        let seen = Arc::new(Mutex::new(VecDeque::new()));
        let sink = seen.clone();
        let sub = client.clone();
        let (granted, subscribed) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for event in connection.iter() {
                match event {
                    Ok(Event::Incoming(Packet::ConnAck(_))) => {
                        let _ = sub.subscribe("vitrine/#", QoS::AtLeastOnce);
                    }
                    Ok(Event::Incoming(Packet::SubAck(_))) => {
                        let _ = granted.send(());
                    }
                    Ok(Event::Incoming(Packet::Publish(p))) => {
                        sink.lock().unwrap().push_back(Seen {
                            topic: p.topic.clone(),
                            payload: p.payload.to_vec(),
                            retain: p.retain,
                        })
                    }
                    Ok(_) => {}
                    Err(_) => std::thread::sleep(Duration::from_millis(200)),
                }
            }
        });
        // Subscribed before the test publishes anything it expects back.
        subscribed
            .recv_timeout(Duration::from_secs(30))
            .expect("the back office subscribes");
        Backoffice { client, seen }
    }

    pub fn publish(&self, topic: &str, payload: impl Into<Vec<u8>>, retain: bool) {
        self.client
            .publish(topic, QoS::AtLeastOnce, retain, payload.into())
            .unwrap();
    }

    /// Every message so far on `topic`.
    pub fn on(&self, topic: &str) -> Vec<Seen> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|s| s.topic == topic)
            .cloned()
            .collect()
    }

    /// Waits for a message on `topic` whose JSON satisfies `pred`.
    pub fn wait(&self, topic: &str, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(v) = self.on(topic).iter().map(Seen::json).find(|v| pred(v)) {
                return v;
            }
            assert!(
                Instant::now() < deadline,
                "no {what} on {topic}; saw: {:?}",
                self.on(topic)
                    .iter()
                    .map(|s| String::from_utf8_lossy(&s.payload).into_owned())
                    .collect::<Vec<_>>()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits for the reply with `id` from `kiosk`.
    pub fn reply(&self, kiosk: &str, id: &str) -> Value {
        self.wait(
            &format!("vitrine/{kiosk}/reply"),
            &format!("reply {id}"),
            |v| v["id"] == id,
        )
    }

    /// Waits until `kiosk`'s latest status satisfies `pred`.
    pub fn status(&self, kiosk: &str, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let topic = format!("vitrine/{kiosk}/status");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(v) = self.on(&topic).last().map(Seen::json)
                && pred(&v)
            {
                return v;
            }
            assert!(
                Instant::now() < deadline,
                "{kiosk}'s status never became {what}; last: {:?}",
                self.on(&topic).last().map(Seen::json)
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// A JSON-RPC request with a string id.
    pub fn request(id: &str, method: &str, params: Value) -> Vec<u8> {
        serde_json::to_vec(
            &serde_json::json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}),
        )
        .unwrap()
    }
}
