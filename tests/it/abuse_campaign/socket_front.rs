//! The JSON socket's part of the abuse campaign: 16 classes of hostile frames, each on a new connection, and a healthy client that keeps calling `ping` and `whatsLoaded`.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;
use vitrine::remote::Framing;
use vitrine::remote::codec::{crc32, encode};

use super::campaign::{Healthy, Share};
use crate::support::Lcg;

fn frame(json: serde_json::Value) -> Vec<u8> {
    encode(Framing::V2, &serde_json::to_vec(&json).unwrap())
}

/// Sends one hostile frame of class `i % 16` on a new connection, and reads
/// whatever comes back until the server closes it; false when it could not
/// connect.
fn attack(addr: (&str, u16), i: usize, rng: &mut Lcg) -> bool {
    let Ok(mut s) = TcpStream::connect(addr) else {
        return false;
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
            return true;
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
    true
}

/// One attacker: frames of its share until it is spent.
pub fn attacker(port: u16, share: &Share, seed: u64) {
    let mut rng = Lcg(seed);
    while let Some(i) = share.take() {
        if !attack(("127.0.0.1", port), i, &mut rng) {
            share.miss();
        }
    }
}

/// The healthy client: `ping` and `whatsLoaded` on one connection until
/// `done`, every answer right.
pub fn healthy(mut c: vitrine::remote::Client, done: &Arc<AtomicBool>) -> Healthy {
    let mut latencies = Vec::new();
    loop {
        let t = Instant::now();
        let pong = c.call("ping", json!({}));
        let name = c.call("whatsLoaded", json!({}));
        latencies.push(t.elapsed());
        assert!(pong.is_ok(), "socket ping: {pong:?}");
        assert_eq!(name.unwrap(), json!("steady"), "socket whatsLoaded");
        if done.load(Ordering::SeqCst) {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    Healthy {
        latencies,
        what: "ping + whatsLoaded".into(),
    }
}
