//! Events pushed over real sockets: subscribers hear loads, touches (from a real TUIO sender), placement, the backdrop, resets and removals in order and in their own framing; a subscriber that never reads slows neither the kiosk nor other clients and later learns how many events it lost; the subscriber bound answers clearly; `vitrine ctl watch` prints JSON lines.

use crate::support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::tuio::Sender;
use support::{KioskProcess, temp_dir};
use vitrine::remote::Framing;
use vitrine::remote::codec::{Decoded, Decoder, encode};

/// A kiosk with TUIO on, a 200×100 picture at its left and file access to
/// `dir`.
fn kiosk(dir: &std::path::Path, extra: &str) -> KioskProcess {
    vitrine::pixels::Rgba8Image::filled(200, 100, [200, 50, 50, 255])
        .save_png(&dir.join("pic.png"))
        .unwrap();
    let config = format!(
        "[content]\nroots = [{:?}]\n[state]\nenabled = false\n[scatter]\ninertia = false\n{extra}",
        dir.display().to_string()
    );
    KioskProcess::start(&config, &["--tuio-port", "0"])
}

fn pic_url(dir: &std::path::Path) -> String {
    vitrine::content::file_uri(&dir.join("pic.png"))
}

/// The next event on `c`, within a generous deadline.
fn next(c: &mut vitrine::remote::Client) -> Value {
    c.next_event(Some(Duration::from_secs(20)))
        .unwrap()
        .expect("an event within 20 s")
}

#[test]
fn subscribers_hear_what_happens_in_order_in_their_own_framing() {
    let dir = temp_dir("events-order");
    let k = kiosk(&dir, "");
    let mut all = k.client(Framing::V2);
    let r = all.call("subscribe", json!({})).unwrap();
    assert_eq!(
        r["events"].as_array().unwrap().len(),
        vitrine::events::EventType::ALL.len(),
        "{r}"
    );
    let start = r["seq"].as_u64().unwrap();
    let mut touches = k.client(Framing::V1);
    let r = touches
        .call("subscribe", json!({"events": ["touched"]}))
        .unwrap();
    assert_eq!(r["events"], json!(["touched"]));
    let mut c = k.client(Framing::Le);

    let r = c
        .call(
            "fetchUrl",
            json!({"name": "pic", "url": pic_url(&dir), "placement": {"x": 160, "y": 180, "scale": 1}}),
        )
        .unwrap();
    assert_eq!(r["status"], "SUCCESS", "{r}");
    let mut tuio = Sender::new(k.logged_port("tuio"), "sim@events");
    tuio.frame(&[(1, 0.25, 0.5)], None);
    tuio.frame(&[], None);
    // A request on the subscribed connection itself: its reply comes back
    // among the events.
    let l = all.call("listContent", json!({})).unwrap();
    assert_eq!(l["widgets"][0]["name"], "pic");
    for (method, params) in [
        ("place", json!({"name": "pic", "x": 200, "animate": false})),
        ("showBackdrop", json!({"above": ["pic"]})),
        ("hideBackdrop", json!({})),
        ("reset", json!({})),
        ("remove", json!({"name": "pic"})),
    ] {
        let r = c.call(method, params).unwrap();
        assert_eq!(r["status"], "SUCCESS", "{method}: {r}");
    }
    let r = c
        .call(
            "fetchUrl",
            json!({"name": "gone", "url": vitrine::content::file_uri(&dir.join("missing.png"))}),
        )
        .unwrap();
    assert_eq!(r["status"], "NOT_FOUND", "{r}");

    let expected = [
        "loaded", "revision", "touched", "revision", "backdrop", "revision", "backdrop",
        "revision", "reset", "removed", "revision", "played", "failed",
    ];
    let events: Vec<Value> = expected.iter().map(|_| next(&mut all)).collect();
    let types: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(types, expected, "{events:#?}");
    for (i, e) in events.iter().enumerate() {
        assert_eq!(
            e["seq"].as_u64(),
            Some(start + 1 + i as u64),
            "no gaps: {e}"
        );
        assert!(e["time"].as_f64().unwrap() > 1.7e9, "{e}");
        assert!(e.get("dropped").is_none(), "{e}");
    }
    assert_eq!(events[0]["name"], "pic");
    assert_eq!(events[0]["kind"], "image");
    assert_eq!(events[0]["url"], pic_url(&dir));
    assert_eq!(events[1]["revision"], 1);
    assert_eq!(events[2]["gesture"], "tap");
    assert_eq!(events[2]["fingers"], 1);
    assert_eq!(events[4]["state"], "shown");
    assert_eq!(events[4]["above"], json!(["pic"]));
    assert_eq!(events[6]["state"], "hidden");
    assert_eq!(events[8]["cause"], "remote");
    assert_eq!(events[9]["name"], "pic");
    // Proof of play for the picture's time on screen, once it was gone.
    assert_eq!(events[11]["name"], "pic");
    assert_eq!(events[11]["item"], pic_url(&dir));
    assert!(
        events[11]["seconds"].as_f64().unwrap() > 0.0,
        "{}",
        events[11]
    );
    assert_eq!(events[12]["status"], "NOT_FOUND");

    // The touch subscriber got the touch and nothing else.
    let t = next(&mut touches);
    assert_eq!(
        (t["type"].as_str(), t["seq"].as_u64()),
        (Some("touched"), events[2]["seq"].as_u64())
    );

    // After unsubscribing, nothing more comes.
    assert_eq!(
        all.call("unsubscribe", json!({})).unwrap()["unsubscribed"],
        true
    );
    let r = c
        .call("fetchUrl", json!({"name": "again", "url": pic_url(&dir)}))
        .unwrap();
    assert_eq!(r["status"], "SUCCESS");
    assert_eq!(
        all.next_event(Some(Duration::from_millis(500))).unwrap(),
        None
    );
    assert!(
        touches
            .next_event(Some(Duration::from_millis(200)))
            .unwrap()
            .is_none()
    );
}

/// A raw connection that subscribes and then reads nothing, with a small
/// receive buffer so the kiosk's side fills soon.
fn stalled_subscriber(port: u16) -> TcpStream {
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    socket.connect(&addr.into()).unwrap();
    let mut s: TcpStream = socket.into();
    let request = json!({"jsonrpc": "2.0", "id": 1, "method": "subscribe", "params": {"events": ["revision"]}});
    s.write_all(&encode(Framing::V2, request.to_string().as_bytes()))
        .unwrap();
    let reply = drain_until(&mut s, |f| f["id"] == 1);
    assert!(reply[0]["result"]["seq"].is_u64(), "{reply:?}");
    s
}

/// Reads frames from a raw V2 connection until one passes `done`.
fn drain_until(s: &mut TcpStream, done: impl Fn(&Value) -> bool) -> Vec<Value> {
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut buf = Vec::new();
    let mut chunk = [0u8; 65536];
    let mut out = Vec::new();
    loop {
        let mut d = Decoder::with_framing(Framing::V2, 1 << 20);
        match d.decode(&buf).unwrap() {
            Decoded::Frame { start, end } => {
                out.push(serde_json::from_slice::<Value>(&buf[start..end]).unwrap());
                buf.drain(..end);
                if done(out.last().unwrap()) {
                    return out;
                }
            }
            Decoded::NeedMore(_) => {
                let n = s.read(&mut chunk).unwrap();
                assert!(n > 0, "the kiosk closed the stalled subscriber");
                buf.extend_from_slice(&chunk[..n]);
            }
        }
    }
}

#[test]
fn a_subscriber_that_never_reads_slows_neither_the_kiosk_nor_other_clients() {
    let dir = temp_dir("events-stall");
    let k = kiosk(
        &dir,
        "[remote]\nevent_queue = 64\nread_timeout = \"120s\"\n",
    );
    let mut stalled = stalled_subscriber(k.port);
    let mut healthy = k.client(Framing::V2);
    healthy
        .call("subscribe", json!({"events": ["revision"]}))
        .unwrap();
    // The healthy subscriber reads as events come. The sender lets it
    // catch up every 32 moves, so it never has more than 32 waiting (its
    // queue holds 64) however the threads are scheduled: only the stalled
    // one can fall behind.
    let moves = 3000;
    let caught_up = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let seen_by_reader = caught_up.clone();
    let reader = std::thread::spawn(move || {
        let mut seqs = Vec::new();
        let mut last_revision = 0;
        while last_revision < moves + 1 {
            let e = next(&mut healthy);
            assert!(e.get("dropped").is_none(), "{e}");
            last_revision = e["revision"].as_u64().unwrap();
            seen_by_reader.store(last_revision, std::sync::atomic::Ordering::SeqCst);
            seqs.push(e["seq"].as_u64().unwrap());
        }
        seqs
    });
    let mut c = k.client(Framing::V2);
    let r = c
        .call(
            "fetchUrl",
            json!({"name": "pic", "url": pic_url(&dir), "placement": {"x": 160, "y": 180}}),
        )
        .unwrap();
    assert_eq!(r["status"], "SUCCESS");
    // Each move is a new revision, so an event for every subscriber.
    for i in 0..moves {
        let x = if i % 2 == 0 { 200 } else { 160 };
        let r = c
            .call("place", json!({"name": "pic", "x": x, "animate": false}))
            .unwrap();
        assert_eq!(r["status"], "SUCCESS", "move {i}: {r}");
        if i % 32 == 31 {
            // The fetch was revision 1, so move i is revision i + 2.
            let deadline = Instant::now() + Duration::from_secs(20);
            while caught_up.load(std::sync::atomic::Ordering::SeqCst) < i + 2 {
                assert!(Instant::now() < deadline, "the healthy subscriber stopped");
                std::thread::sleep(Duration::from_millis(1));
            }
        }
    }
    // The healthy subscriber got every revision, in order, with no loss.
    let seen = reader.join().unwrap();
    assert_eq!(seen.len() as u64, moves + 1);
    assert!(seen.windows(2).all(|w| w[1] > w[0]));
    // The kiosk still answers at once.
    assert_eq!(c.call("whatsLoaded", json!({})).unwrap(), "pic");

    // The stalled one lost events, and says exactly how many.
    let last = *seen.last().unwrap();
    // It reads at last, and events go on until one newer than the flood
    // reaches it: that one carries the count of what was dropped before it.
    let drain = std::thread::spawn(move || {
        drain_until(&mut stalled, |f| f["params"]["seq"].as_u64() > Some(last))
    });
    let mut x = 240;
    while !drain.is_finished() {
        x = if x == 240 { 260 } else { 240 };
        let r = c
            .call("place", json!({"name": "pic", "x": x, "animate": false}))
            .unwrap();
        assert_eq!(r["status"], "SUCCESS");
        std::thread::sleep(Duration::from_millis(50));
    }
    let frames = drain.join().unwrap();
    let events: Vec<&Value> = frames.iter().map(|f| &f["params"]).collect();
    let dropped: u64 = events.iter().filter_map(|e| e["dropped"].as_u64()).sum();
    assert!(dropped > 0, "a stalled subscriber must lose events");
    // Every revision since it subscribed is either delivered or counted as
    // dropped.
    let newest = events.last().unwrap()["revision"].as_u64().unwrap();
    assert_eq!(
        events.len() as u64 + dropped,
        newest,
        "delivered {} + dropped {dropped}",
        events.len()
    );
}

#[test]
fn the_subscriber_bound_is_answered_clearly() {
    let dir = temp_dir("events-bound");
    let k = kiosk(&dir, "[remote]\nmax_subscribers = 2\n");
    let mut a = k.client(Framing::V2);
    let mut b = k.client(Framing::V2);
    let mut c = k.client(Framing::V2);
    a.call("subscribe", json!({})).unwrap();
    b.call("subscribe", json!({})).unwrap();
    let e = c.call("subscribe", json!({})).unwrap_err().to_string();
    assert!(
        e.contains("-32002") && e.contains("remote.max_subscribers = 2"),
        "{e}"
    );
    let e = c
        .call("subscribe", json!({"events": ["loaded", "nonsense"]}))
        .unwrap_err()
        .to_string();
    assert!(e.contains("-32602") && e.contains("nonsense"), "{e}");
    // A subscriber that leaves makes room.
    drop(a);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match c.call("subscribe", json!({})) {
            Ok(r) => {
                assert_eq!(
                    r["events"].as_array().unwrap().len(),
                    vitrine::events::EventType::ALL.len()
                );
                break;
            }
            Err(e) if Instant::now() < deadline => {
                assert!(e.to_string().contains("-32002"), "{e}");
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(e) => panic!("no room after a subscriber left: {e}"),
        }
    }
}

#[test]
fn ctl_watch_prints_events_as_json_lines() {
    let dir = temp_dir("events-ctl");
    let k = kiosk(&dir, "");
    let mut watch = support::vitrine()
        .args([
            "ctl",
            "--port",
            &k.port.to_string(),
            "watch",
            "loaded",
            "removed",
        ])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(watch.stdout.take().unwrap()).lines();
    let mut c = k.client(Framing::V2);
    // The watcher may not have subscribed yet: load until it reports.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in lines.by_ref().map_while(Result::ok) {
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    let first = loop {
        let r = c
            .call("fetchUrl", json!({"name": "pic", "url": pic_url(&dir)}))
            .unwrap();
        assert_eq!(r["status"], "SUCCESS");
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(300)) {
            break line;
        }
        assert!(Instant::now() < deadline, "ctl watch printed nothing");
    };
    let e: Value = serde_json::from_str(&first).unwrap();
    assert_eq!(
        (e["type"].as_str(), e["name"].as_str()),
        (Some("loaded"), Some("pic"))
    );
    c.call("remove", json!({"name": "pic"})).unwrap();
    let line = loop {
        let l = rx.recv_timeout(Duration::from_secs(20)).unwrap();
        if !l.contains("\"loaded\"") {
            break l;
        }
    };
    let e: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(e["type"], "removed", "{line}");
    let _ = watch.kill();
    let _ = watch.wait();
}
