//! A live abuse campaign: many connections send hostile frames and requests of every known class while a healthy client keeps calling `ping` and `whatsLoaded`; the kiosk must not crash, the healthy client must get correct answers throughout, and the screen must not change.
//!
//! `cargo test` sends 5,000 frames; `make abuse` sends 100,000
//! (`VITRINE_ABUSE_FRAMES`). It prints the healthy client's p99, and the
//! kiosk's peak RSS and threads during the campaign.

mod support;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;
use support::{KioskProcess, Lcg, usage};
use vitrine::remote::Framing;
use vitrine::remote::codec::{crc32, encode};

fn frame(json: serde_json::Value) -> Vec<u8> {
    encode(Framing::V2, &serde_json::to_vec(&json).unwrap())
}

/// Sends one hostile frame of class `i % 16` on a new connection, and reads
/// whatever comes back until the server closes it.
fn attack(addr: (&str, u16), i: usize, rng: &mut Lcg) {
    let Ok(mut s) = TcpStream::connect(addr) else {
        return;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(30)));
    let valid = frame(json!({"jsonrpc": "2.0", "id": i, "method": "whatsLoaded"}));
    let bytes: Vec<u8> = match i % 16 {
        // Garbage.
        0 => {
            let n = 1 + (rng.next() % 300) as usize;
            rng.bytes(n)
        }
        // A frame cut short.
        1 => valid[..valid.len() / 2].to_vec(),
        // A huge length, refused before anything is allocated.
        2 => {
            let mut f = b"JSN1".to_vec();
            f.extend_from_slice(&u32::MAX.to_be_bytes());
            f.extend_from_slice(&[0; 4]);
            f
        }
        // A bad checksum.
        3 => {
            let mut f = valid.clone();
            f[8] ^= 0x55;
            f
        }
        // Invalid UTF-8 under a correct checksum.
        4 => {
            let payload = [0xC3, 0x28, 0xFF, 0xFE];
            let mut f = b"JSN1".to_vec();
            f.extend_from_slice(&(payload.len() as u32).to_be_bytes());
            f.extend_from_slice(&crc32(&payload).to_be_bytes());
            f.extend_from_slice(&payload);
            f
        }
        // JSON that is not an object, and an unknown method.
        5 => encode(Framing::V1, b"[1, 2, 3]"),
        6 => frame(json!({"id": 1, "method": "launchMissiles"})),
        // Wrong parameter types.
        7 => frame(json!({"id": 1, "method": "fetchUrl", "params": {"name": [], "url": 7}})),
        // The name twice above the backdrop (once a crash).
        8 => frame(
            json!({"id": 1, "method": "showBackdrop", "params": {"above": ["steady", "steady"]}}),
        ),
        // A viewport no page may have (once a 30000² canvas).
        9 => frame(
            json!({"id": 1, "method": "postHtml", "params": {"name": "x", "data": "<p>", "width": 600000, "height": 600000}}),
        ),
        // Files outside the roots, existing or not.
        10 => frame(
            json!({"id": 1, "method": "fetchUrl", "params": {"name": "x", "url": (["file:///etc/shadow", "file:///etc/nope", "file:///root/x"][i % 3])}}),
        ),
        // A burst of notifications for widgets that do not exist.
        11 => (0..10)
            .flat_map(|_| frame(json!({"method": "remove", "params": {"name": "nope"}})))
            .collect(),
        // Calls on names that do not exist.
        12 => frame(
            json!({"id": 1, "method": (["raise", "play", "pause", "remove"][i % 4]), "params": {"name": "nope"}}),
        ),
        // One byte flipped in a valid frame.
        13 => {
            let mut f = valid.clone();
            let at = (rng.next() as usize) % f.len();
            f[at] ^= 1 << (rng.next() % 8);
            f
        }
        // A trickle: half a frame, a pause, then the connection goes away.
        14 => {
            let _ = s.write_all(&valid[..5]);
            std::thread::sleep(Duration::from_millis(20));
            return;
        }
        // Rarely, a document that nests 400,000 deep through `<div/>`.
        _ if i % 4096 == 15 => frame(
            json!({"id": 1, "method": "postHtml", "params": {"name": "x", "data": "<div/>".repeat(400_000)}}),
        ),
        _ => {
            let mut f = valid.clone();
            f.extend_from_slice(&rng.bytes(7));
            f
        }
    };
    let _ = s.write_all(&bytes);
    let _ = s.shutdown(Shutdown::Write);
    let mut sink = Vec::new();
    let _ = s.read_to_end(&mut sink);
}

#[test]
fn a_campaign_of_hostile_traffic_changes_nothing() {
    let frames: usize = std::env::var("VITRINE_ABUSE_FRAMES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_000);
    let mut kiosk = KioskProcess::start("", &[]);
    let pid = kiosk.pid();
    let mut good = kiosk.client(Framing::V2);
    let r = good
        .call(
            "postHtml",
            json!({"name": "steady", "data": "<p>steady</p>", "width": 200, "height": 100}),
        )
        .unwrap();
    assert_eq!(r["status"], "SUCCESS");
    let before = good.call("listContent", json!({})).unwrap();
    let port = kiosk.port;

    let done = Arc::new(AtomicBool::new(false));
    // The kiosk's peak memory and threads, sampled while it is under attack.
    let peak = Arc::new(Mutex::new((0u64, 0usize)));
    let monitor = {
        let (done, peak) = (done.clone(), peak.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::SeqCst) {
                let (rss, threads, _) = usage(pid);
                let mut p = peak.lock().unwrap();
                *p = (p.0.max(rss), p.1.max(threads));
                drop(p);
                std::thread::sleep(Duration::from_millis(50));
            }
        })
    };
    // The healthy client: correct answers all along; its latencies are
    // reported, not asserted.
    let healthy = {
        let done = done.clone();
        std::thread::spawn(move || {
            let mut c = vitrine::remote::Client::connect(
                "127.0.0.1",
                port,
                Framing::V2,
                None,
                Duration::from_secs(30),
            )
            .unwrap();
            let mut latencies = Vec::new();
            while !done.load(Ordering::SeqCst) {
                let t = Instant::now();
                let pong = c.call("ping", json!({}));
                let name = c.call("whatsLoaded", json!({}));
                latencies.push(t.elapsed());
                assert!(pong.is_ok(), "ping: {pong:?}");
                assert_eq!(name.unwrap(), json!("steady"));
                std::thread::sleep(Duration::from_millis(2));
            }
            latencies
        })
    };
    // Silent connections that stay open through the campaign.
    let silent: Vec<TcpStream> = (0..100)
        .filter_map(|_| TcpStream::connect(("127.0.0.1", port)).ok())
        .collect();
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let attackers: Vec<_> = (0..8)
        .map(|t| {
            let next = next.clone();
            std::thread::spawn(move || {
                let mut rng = Lcg(0x5eed + t);
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= frames {
                        return;
                    }
                    attack(("127.0.0.1", port), i, &mut rng);
                }
            })
        })
        .collect();
    for a in attackers {
        a.join().unwrap();
    }
    let took = started.elapsed();
    done.store(true, Ordering::SeqCst);
    let mut latencies = healthy
        .join()
        .expect("the healthy client was always answered");
    monitor.join().unwrap();
    drop(silent);

    assert!(kiosk.alive(), "the kiosk crashed");
    assert_eq!(good.call("listContent", json!({})).unwrap(), before);
    latencies.sort();
    let p = |q: f64| latencies[((latencies.len() - 1) as f64 * q) as usize];
    let (rss, threads) = *peak.lock().unwrap();
    eprintln!(
        "abuse: {frames} hostile frames on 8 connections at a time in {:.1} s, 0 crashes; \
         healthy client: {} round trips (ping + whatsLoaded), p50 {:?}, p99 {:?}; \
         kiosk peak RSS {} MiB, peak threads {threads}",
        took.as_secs_f64(),
        latencies.len(),
        p(0.5),
        p(0.99),
        rss / 1024,
    );
}
