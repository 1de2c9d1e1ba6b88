//! Thrift's part of the abuse campaign: 14 classes of hostile bytes, each on a new connection (garbage, huge declared strings, lists and frames, cut and flipped messages, unknown methods, messages that are no call, structs nested past any skip depth, refused arguments), and a healthy client that keeps calling `whatsLoaded` and `currentUrl` on one connection.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use thrift::protocol::{
    TBinaryOutputProtocol, TFieldIdentifier, TMessageIdentifier, TMessageType, TOutputProtocol,
    TStructIdentifier, TType,
};

use super::campaign::{Healthy, Share, connect_from, send_and_drain};
use crate::support::Lcg;
use crate::support::thrift::{Client, Wire, header};

/// A strict binary message: `method` of type `kind`, whose args struct
/// is written by `args`.
fn message(
    method: &str,
    kind: TMessageType,
    args: impl FnOnce(&mut dyn TOutputProtocol),
) -> Vec<u8> {
    let mut buf = Vec::new();
    {
        let mut o = TBinaryOutputProtocol::new(&mut buf, true);
        let _ = o.write_message_begin(&TMessageIdentifier::new(method, kind, 1));
        let _ = o.write_struct_begin(&TStructIdentifier::new("args"));
        args(&mut o);
        let _ = o.write_field_stop();
        let _ = o.write_struct_end();
        let _ = o.write_message_end();
    }
    buf
}

/// Field 1 of the args: the request struct, with string fields
/// (id, value) and i32 fields.
fn request(o: &mut dyn TOutputProtocol, strings: &[(i16, &str)], ints: &[(i16, i32)]) {
    let _ = o.write_field_begin(&TFieldIdentifier::new("arg", TType::Struct, 1));
    let _ = o.write_struct_begin(&TStructIdentifier::new("arg"));
    for (id, s) in strings {
        let _ = o.write_field_begin(&TFieldIdentifier::new("s", TType::String, *id));
        let _ = o.write_string(s);
        let _ = o.write_field_end();
    }
    for (id, n) in ints {
        let _ = o.write_field_begin(&TFieldIdentifier::new("n", TType::I32, *id));
        let _ = o.write_i32(*n);
        let _ = o.write_field_end();
    }
    let _ = o.write_field_stop();
    let _ = o.write_struct_end();
    let _ = o.write_field_end();
}

fn whats_loaded() -> Vec<u8> {
    message("whatsLoaded", TMessageType::Call, |_| {})
}

/// The bytes of hostile message `i`.
fn hostile(i: usize, rng: &mut Lcg) -> Vec<u8> {
    match i % 14 {
        // Garbage first bytes, and another protocol altogether.
        0 => {
            let n = 1 + rng.below(300) as usize;
            rng.bytes(n)
        }
        1 => b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".to_vec(),
        // A string of 2^31-1 bytes declared, and a list of a billion.
        2 => {
            let mut b = header("fetchUrl", 11);
            b.extend_from_slice(&0x7fff_ffffu32.to_be_bytes());
            b
        }
        3 => {
            let mut b = header("fetchUrl", 15);
            b.push(11);
            b.extend_from_slice(&1_000_000_000u32.to_be_bytes());
            b
        }
        // A message cut short.
        4 => {
            let full = header("postHtml", 11);
            let cut = 1 + rng.below(full.len() as u64 - 1) as usize;
            full[..cut].to_vec()
        }
        // A framed header declaring an almost 16 MiB frame, never sent.
        5 => vec![0x00, 0xff, 0xff, 0x00, 0x80, 0x01],
        // Unknown methods (an exception each, then the connection goes on
        // to the next message), and messages that are no call.
        6 => {
            let mut b = message(
                ["reboot", "", "fetchUrl2"][i / 14 % 3],
                TMessageType::Call,
                |_| {},
            );
            b.extend(whats_loaded());
            b
        }
        7 => message(
            "whatsLoaded",
            [TMessageType::Reply, TMessageType::Exception][i / 14 % 2],
            |_| {},
        ),
        // Structs nested far past the skip depth in a field nobody knows.
        8 => message("whatsLoaded", TMessageType::Call, |o| {
            for _ in 0..2000 {
                let _ = o.write_field_begin(&TFieldIdentifier::new("n", TType::Struct, 9));
                let _ = o.write_struct_begin(&TStructIdentifier::new("n"));
            }
        }),
        // Arguments the kiosk refuses: a viewport no page may have, a name
        // past remote.max_name_bytes, files outside the roots, wrong types.
        9 => message("postHtml", TMessageType::Call, |o| {
            request(o, &[(1, "x"), (2, "<p>")], &[(4, 600_000), (5, 600_000)]);
        }),
        10 => {
            let long = "n".repeat(300);
            let url = ["file:///etc/shadow", "file:///etc/nope", "gopher://x/"][i / 14 % 3];
            let name = if (i / 14).is_multiple_of(2) {
                "x"
            } else {
                long.as_str()
            };
            message("fetchUrl", TMessageType::Call, |o| {
                request(o, &[(1, name), (2, url)], &[]);
            })
        }
        11 => message("postHtml", TMessageType::Call, |o| {
            request(o, &[(3, "base")], &[(1, 7), (2, -1)]);
        }),
        // A compact protocol id followed by garbage.
        12 => {
            let mut b = vec![0x82, 0x21];
            let n = 1 + rng.below(64) as usize;
            b.extend(rng.bytes(n));
            b
        }
        // One bit flipped in a valid call.
        _ => {
            let mut b = whats_loaded();
            let at = rng.below(b.len() as u64) as usize;
            b[at] ^= 1 << rng.below(8);
            b
        }
    }
}

/// One attacker: messages of its share until it is spent, each on a new
/// connection from 127.0.0.1, the healthy client's own address (the
/// connection table makes room by closing the oldest that never called).
pub fn attacker(port: u16, share: &Share, seed: u64) {
    let mut rng = Lcg(seed);
    while let Some(i) = share.take() {
        match connect_from([127, 0, 0, 1], port) {
            Ok(s) => {
                send_and_drain(s, &hostile(i, &mut rng));
            }
            Err(_) => share.miss(),
        }
    }
}

/// The healthy client: `whatsLoaded` and `currentUrl` over the compact
/// framed wire until `done`, every answer right.
pub fn healthy(port: u16, done: &Arc<AtomicBool>) -> Healthy {
    let mut c = Client::connect(port, Wire::CompactFramed);
    let mut latencies = Vec::new();
    loop {
        let t = Instant::now();
        let name = c.text("whatsLoaded");
        let url = c.text("currentUrl");
        latencies.push(t.elapsed());
        assert_eq!(name, "steady", "thrift whatsLoaded");
        assert_eq!(url, "", "thrift currentUrl");
        if done.load(Ordering::SeqCst) {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    Healthy {
        latencies,
        what: "whatsLoaded + currentUrl".into(),
    }
}
