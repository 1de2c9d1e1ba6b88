//! `vitrine ctl --fleet TARGET`: one command to a kiosk, a group or every kiosk through the broker, and a table of who answered what and who did not.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use rumqttc::{Event, Packet, QoS};
use serde_json::Value;

use vitrine::api::Command;
use vitrine::config::Config;
use vitrine::fleet::topics::{command_topic, kiosk_of};

/// How long retained statuses have to arrive after the subscription is
/// granted: they tell which kiosks should answer.
const STATUS_GRACE: Duration = Duration::from_millis(500);

/// One kiosk's line in the table.
#[derive(Default)]
struct Kiosk {
    online: bool,
    /// The target names it (by id, group or all).
    addressed: bool,
    /// Addressed and online: its answer is waited for.
    expected: bool,
    answer: Option<Value>,
}

/// What gathering came to.
pub struct Gathered {
    pub answered: usize,
    pub failed: usize,
    pub silent: usize,
    /// Addressed but offline: the broker keeps the command for its session.
    pub offline: usize,
}

/// Whether a kiosk with `status` is addressed by `target`.
fn addressed(target: &str, id: &str, status: &Value) -> bool {
    match target.split_once(':') {
        Some(("group", g)) => status["groups"]
            .as_array()
            .is_some_and(|gs| gs.iter().any(|x| x.as_str() == Some(g))),
        _ => target == "all" || target == id,
    }
}

/// A reply in a few words: its status and message, its error, or its JSON.
fn summary(reply: &Value) -> (bool, String) {
    if let Some(e) = reply.get("error") {
        return (
            false,
            format!(
                "error {}: {}",
                e["code"],
                e["message"].as_str().unwrap_or("")
            ),
        );
    }
    let r = &reply["result"];
    match r.get("status").and_then(Value::as_str) {
        Some(s) => {
            let msg = r["message"].as_str().unwrap_or("");
            let rev = r
                .get("revision")
                .map(|v| format!(" (revision {v})"))
                .unwrap_or_default();
            (s == "SUCCESS", format!("{s}{rev} {msg}").trim().to_string())
        }
        None => {
            let mut text = match r {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            if text.len() > 100 {
                let mut cut = 97;
                while !text.is_char_boundary(cut) {
                    cut -= 1;
                }
                text.truncate(cut);
                text.push_str("...");
            }
            (true, text)
        }
    }
}

/// A fresh id no other sender will use: 64 random bits, or the time and
/// the process id should the OS have no randomness to give.
fn fresh_id() -> String {
    let mut b = [0u8; 8];
    if getrandom::fill(&mut b).is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        return format!("ctl-{nanos:x}-{}", std::process::id());
    }
    format!(
        "ctl-{}",
        b.iter().map(|x| format!("{x:02x}")).collect::<String>()
    )
}

/// Sends `command` to `target` and prints who answered what.
pub fn run(
    config: &Config,
    broker: Option<&str>,
    target: &str,
    command: &Command,
    timeout: Duration,
) -> Result<Gathered, String> {
    let topic = command_topic(target)
        .ok_or_else(|| format!("--fleet {target:?}: name a kiosk id, group:NAME or all"))?;
    let mut fc = config.fleet.clone();
    if let Some(b) = broker {
        fc.broker = b.to_string();
    }
    let id = fresh_id();
    let mut options = vitrine::fleet::client_options(&fc, &id).map_err(|e| e.to_string())?;
    options.set_clean_session(true);
    let (client, mut connection) = vitrine::fleet::connect(options, 16);
    // The connection runs on its own thread: a timeout on this one must not
    // cancel a connect or a read in progress (a remote broker's TLS
    // handshake takes longer than one wait here). It is the only one, it
    // hands over at most 256 events, and it ends at its first event after
    // this function returns and drops the receiver (ctl exits then anyway).
    let (events, incoming) = std::sync::mpsc::sync_channel(256);
    std::thread::spawn(move || {
        for event in connection.iter() {
            let failed = event.is_err();
            if events.send(event).is_err() {
                return;
            }
            if failed {
                std::thread::sleep(Duration::from_millis(500));
            }
        }
    });
    let mut request = command.to_request(0, None);
    request["id"] = Value::String(id.clone());
    let payload = serde_json::to_vec(&request).map_err(|e| e.to_string())?;

    let deadline = Instant::now() + timeout;
    let mut kiosks: BTreeMap<String, Kiosk> = BTreeMap::new();
    let mut sent_at: Option<Instant> = None;
    let mut granted_at: Option<Instant> = None;
    loop {
        let now = Instant::now();
        if now >= deadline {
            break;
        }
        // Send once the retained statuses have had their moment.
        if sent_at.is_none() && granted_at.is_some_and(|t| now >= t + STATUS_GRACE) {
            client
                .try_publish(topic.as_str(), QoS::AtLeastOnce, false, payload.clone())
                .map_err(|e| e.to_string())?;
            sent_at = Some(now);
        }
        if let Some(sent) = sent_at {
            let expected = kiosks.values().filter(|k| k.expected).count();
            let waiting = kiosks.values().any(|k| k.expected && k.answer.is_none());
            // Everyone addressed answered; or nobody online was addressed,
            // and a moment for kiosks without a status has passed.
            if (expected > 0 && !waiting) || (expected == 0 && now >= sent + 2 * STATUS_GRACE) {
                break;
            }
        }
        let wait = (deadline - now).min(Duration::from_millis(100));
        let event = match incoming.recv_timeout(wait) {
            Ok(Ok(e)) => e,
            Ok(Err(e)) => {
                if granted_at.is_none() {
                    return Err(format!("cannot reach the broker {}: {e}", fc.broker));
                }
                continue;
            }
            Err(_) => continue,
        };
        match event {
            Event::Incoming(Packet::ConnAck(_)) => {
                client
                    .try_subscribe("vitrine/+/status", QoS::AtLeastOnce)
                    .and_then(|()| client.try_subscribe("vitrine/+/reply", QoS::AtLeastOnce))
                    .map_err(|e| e.to_string())?;
            }
            Event::Incoming(Packet::SubAck(_)) => {
                granted_at.get_or_insert_with(Instant::now);
            }
            Event::Incoming(Packet::Publish(p)) => {
                let Ok(v) = serde_json::from_slice::<Value>(&p.payload) else {
                    continue;
                };
                if let Some(k) = kiosk_of(&p.topic, "status") {
                    let online = v["online"].as_bool() == Some(true);
                    let e = kiosks.entry(k.to_string()).or_default();
                    e.online = online;
                    e.addressed = addressed(target, k, &v);
                    e.expected = online && e.addressed;
                } else if let Some(k) = kiosk_of(&p.topic, "reply")
                    && v["id"].as_str() == Some(id.as_str())
                {
                    kiosks.entry(k.to_string()).or_default().answer = Some(v);
                }
            }
            _ => {}
        }
    }
    let _ = client.try_disconnect();
    if sent_at.is_none() {
        return Err(format!(
            "cannot reach the broker {} within {timeout:?}",
            fc.broker
        ));
    }
    Ok(print(&kiosks, target))
}

fn print(kiosks: &BTreeMap<String, Kiosk>, target: &str) -> Gathered {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let mut g = Gathered {
        answered: 0,
        failed: 0,
        silent: 0,
        offline: 0,
    };
    let rows: Vec<(&String, &Kiosk)> = kiosks
        .iter()
        .filter(|(_, k)| k.addressed || k.answer.is_some())
        .collect();
    let width = rows
        .iter()
        .map(|(id, _)| id.len())
        .max()
        .unwrap_or(5)
        .max(5);
    let _ = writeln!(out, "{:width$}  ANSWER", "KIOSK");
    for (id, k) in &rows {
        let line = match &k.answer {
            Some(a) => {
                let (ok, text) = summary(a);
                g.answered += 1;
                if !ok {
                    g.failed += 1;
                }
                text
            }
            None if k.online => {
                g.silent += 1;
                "no answer".to_string()
            }
            None => {
                g.offline += 1;
                "offline (the broker keeps the command for it)".to_string()
            }
        };
        let _ = writeln!(out, "{id:width$}  {line}");
    }
    let _ = writeln!(
        out,
        "{} answered, {} failed, {} did not answer, {} offline ({target})",
        g.answered, g.failed, g.silent, g.offline
    );
    g
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn targets_pick_kiosks_by_id_group_or_all() {
        let s = json!({"groups": ["north"]});
        assert!(addressed("all", "k1", &s));
        assert!(addressed("k1", "k1", &s));
        assert!(!addressed("k2", "k1", &s));
        assert!(addressed("group:north", "k1", &s));
        assert!(!addressed("group:south", "k1", &s));
    }

    #[test]
    fn replies_are_summed_up_in_a_line() {
        let ok = json!({"id": "x", "result": {"status": "SUCCESS", "code": 0, "kind": "html", "message": ""}});
        assert_eq!(summary(&ok), (true, "SUCCESS".to_string()));
        let err = json!({"id": "x", "error": {"code": -32602, "message": "name is required"}});
        assert_eq!(
            summary(&err),
            (false, "error -32602: name is required".to_string())
        );
        assert_eq!(
            summary(&json!({"result": "sticker"})),
            (true, "sticker".to_string())
        );
    }
}
