//! Abuse: 1,000 random and mutated frames, 300 idle connections and 50 half-header stallers, while a well-behaved client keeps getting correct answers.

use crate::support;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::Duration;

use serde_json::json;
use support::KioskProcess;
use vitrine::remote::Framing;
use vitrine::remote::codec::{crc32, encode};

/// A small deterministic generator.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

/// One hostile frame of kind `i % 10`.
fn hostile(i: usize, rng: &mut Lcg) -> Vec<u8> {
    let valid =
        serde_json::to_vec(&json!({"jsonrpc": "2.0", "id": i, "method": "whatsLoaded"})).unwrap();
    match i % 10 {
        // Pure garbage.
        0 => {
            let n = 1 + (rng.next() % 200) as usize;
            rng.bytes(n)
        }
        // A length longer than what follows.
        1 => {
            let mut f = encode(Framing::V1, &valid);
            f.truncate(f.len() / 2);
            f
        }
        // A huge length, refused before allocating.
        2 => {
            let mut f = b"JSN1".to_vec();
            f.extend_from_slice(&u32::MAX.to_be_bytes());
            f.extend_from_slice(&[0; 4]);
            f
        }
        // A bad checksum.
        3 => {
            let mut f = encode(Framing::V2, &valid);
            f[8] ^= 0x55;
            f
        }
        // Invalid UTF-8 with a correct checksum.
        4 => {
            let payload = [0xC3, 0x28, 0xFF, 0xFE];
            let mut f = b"JSN1".to_vec();
            f.extend_from_slice(&(payload.len() as u32).to_be_bytes());
            f.extend_from_slice(&crc32(&payload).to_be_bytes());
            f.extend_from_slice(&payload);
            f
        }
        // JSON that is not an object.
        5 => encode(Framing::V2, b"[1, 2, 3]"),
        // Wrong parameter types.
        6 => encode(
            Framing::V2,
            br#"{"id":1,"method":"fetchUrl","params":{"name":[],"url":7}}"#,
        ),
        // A mutated valid frame: one byte flipped somewhere.
        7 => {
            let mut f = encode(Framing::V1, &valid);
            let at = (rng.next() as usize) % f.len();
            f[at] ^= 1 << (rng.next() % 8);
            f
        }
        // Random JSON-ish text under a correct header.
        8 => {
            let text = format!(
                "{{\"method\":\"{}\",\"params\":{}}}",
                rng.next(),
                rng.next()
            );
            encode(Framing::Le, text.as_bytes())
        }
        // A valid request split across writes with a stray tail.
        _ => {
            let mut f = encode(Framing::V2, &valid);
            f.extend_from_slice(&rng.bytes(7));
            f
        }
    }
}

#[test]
fn hostile_traffic_changes_nothing_for_a_good_client() {
    // Every connection here comes from 127.0.0.1, and the point is that the
    // server holds hundreds of idle ones and stallers at once while it
    // serves: so this peer may hold the whole table, and silent connections
    // stay for the length of the test. (With the defaults, 64 per address
    // and 5 s to a first message, most of them would be closed early, which
    // tests/it/remote_hardening.rs covers.)
    let config = "[remote]\nmax_connections_per_peer = 512\nfirst_message_timeout = \"60s\"\n";
    let mut kiosk = KioskProcess::start(config, &[]);
    let mut good = kiosk.client(Framing::V2);
    let r = good
        .call(
            "postHtml",
            json!({"name": "steady", "data": "<p>steady</p>", "width": 200, "height": 100}),
        )
        .unwrap();
    assert_eq!(r["status"], "SUCCESS");
    let before = good.call("listContent", json!({})).unwrap();

    let addr = ("127.0.0.1", kiosk.port);
    let idle: Vec<TcpStream> = (0..300)
        .map(|_| TcpStream::connect(addr).unwrap())
        .collect();
    let stallers: Vec<TcpStream> = (0..50)
        .map(|_| {
            let mut s = TcpStream::connect(addr).unwrap();
            s.write_all(b"JS").unwrap();
            s
        })
        .collect();

    let mut rng = Lcg(0x5eed);
    for i in 0..1000 {
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
        let _ = s.write_all(&hostile(i, &mut rng));
        let _ = s.shutdown(Shutdown::Write);
        // Whatever comes back (an error reply, or nothing), the server must
        // close this connection rather than hang on it.
        let mut sink = Vec::new();
        let _ = s.read_to_end(&mut sink);
        if i % 50 == 0 {
            assert_eq!(
                good.call("whatsLoaded", json!({})).unwrap(),
                json!("steady"),
                "after {i} hostile frames"
            );
        }
    }
    // With all the idle connections and stallers still open, a new client
    // is served at once.
    let mut late = kiosk.client(Framing::V1);
    assert_eq!(
        late.call("whatsLoaded", json!({})).unwrap(),
        json!("steady")
    );
    assert_eq!(good.call("listContent", json!({})).unwrap(), before);
    assert!(kiosk.alive());
    drop(idle);
    drop(stallers);
}
