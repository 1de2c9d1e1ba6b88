//! TUIO's part of the abuse campaign: 13 classes of hostile datagrams from a second loopback address (garbage, deep bundles and arrays, the real tracker's source name spoofed, many sources, huge and many ids, non-finite positions, wrong types, other profiles, frame numbers out of order), and a healthy tracker on 127.0.0.1 that keeps dragging the steady widget 60 px right and back, each drag seen exactly in `listContent`.

use std::net::UdpSocket;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rosc::{OscBundle, OscMessage, OscPacket, OscTime, OscType};
use serde_json::{Value, json};

use super::campaign::{ATTACKER_IP, Healthy, Share};
use crate::support::Lcg;
use crate::support::tuio::{Sender, msg, s};

/// The healthy tracker's source name, which attackers also send.
pub const TRACKER: &str = "tracker@store";
/// The healthy drag: its finger moves from the screen's centre in steps of
/// 1/64 of the width (10 px: binary fractions, so every position and every
/// step is exact in f32 and f64, and a drag there and back ends exactly
/// where it began).
const STEP: f32 = 1.0 / 64.0;
const STEPS: i32 = 6;
pub const DRAG_PX: f64 = 60.0;

fn bundle(content: Vec<OscPacket>) -> Vec<u8> {
    rosc::encoder::encode(&OscPacket::Bundle(OscBundle {
        timetag: OscTime::from((0, 1)),
        content,
    }))
    .unwrap_or_default()
}

/// A frame of `source` with cursors (id, x, y) all alive, and `fseq`.
fn frame(source: &str, cursors: &[(i32, f32, f32)], fseq: i32) -> Vec<u8> {
    let mut content = vec![msg(vec![s("source"), s(source)])];
    let mut alive = vec![s("alive")];
    alive.extend(cursors.iter().map(|c| OscType::Int(c.0)));
    content.push(msg(alive));
    for &(id, x, y) in cursors {
        content.push(msg(vec![
            s("set"),
            OscType::Int(id),
            OscType::Float(x),
            OscType::Float(y),
            OscType::Float(0.0),
            OscType::Float(0.0),
            OscType::Float(0.0),
        ]));
    }
    content.push(msg(vec![s("fseq"), OscType::Int(fseq)]));
    bundle(content)
}

/// A position no widget is at: off the screen, or in its top-left corner
/// (the steady widget never comes near it). Hostile fingers are real
/// fingers, so they must land where they cannot move the steady widget,
/// or the screen's check could not be exact.
fn nowhere(rng: &mut Lcg) -> (f32, f32) {
    match rng.below(4) {
        0 => (-5.0, 0.5),
        1 => (1.0e9, -1.0e9),
        2 => (0.02, 0.02),
        _ => (0.01 + rng.below(5) as f32 / 100.0, 0.01),
    }
}

/// The bytes of hostile datagram `i`.
fn hostile(i: usize, rng: &mut Lcg) -> Vec<u8> {
    let fseq = i as i32;
    match i % 13 {
        0 => {
            let n = 1 + rng.below(600) as usize;
            rng.bytes(n)
        }
        1 => {
            let mut b = b"#bundle\0".to_vec();
            let n = rng.below(200) as usize;
            b.extend(rng.bytes(n));
            b
        }
        // Arrays TUIO never sends, opened thousands deep.
        2 => {
            let mut b = b"/tuio/2Dcur\0,".to_vec();
            b.extend(std::iter::repeat_n(b'[', 3000));
            b.extend_from_slice(b"\0\0\0");
            b
        }
        // Bundles in bundles, deeper than the bound.
        3 => {
            let mut p = msg(vec![s("fseq"), OscType::Int(fseq)]);
            for _ in 0..12 {
                p = OscPacket::Bundle(OscBundle {
                    timetag: OscTime::from((0, 1)),
                    content: vec![p],
                });
            }
            rosc::encoder::encode(&p).unwrap_or_default()
        }
        // The real tracker's name from another host: far ahead in fseq,
        // nothing alive, or a finger nowhere.
        4 => frame(TRACKER, &[], fseq + 1_000_000),
        5 => {
            let (x, y) = nowhere(rng);
            frame(TRACKER, &[(1, x, y)], fseq)
        }
        // A new source name every time: past tuio.max_sources_per_address.
        6 => {
            let (x, y) = nowhere(rng);
            frame(&format!("evil-{i}"), &[(7, x, y)], 1)
        }
        // Huge and negative ids, 40 of them: more than tuio.max_cursors.
        7 => {
            let base = [i32::MAX - 39, i32::MIN, -20][i / 13 % 3];
            let cursors: Vec<(i32, f32, f32)> = (0..40)
                .map(|k| {
                    let (x, y) = nowhere(rng);
                    (base + k, x, y)
                })
                .collect();
            frame("many@evil", &cursors, fseq)
        }
        // An alive list of 10,000 ids.
        8 => {
            let mut alive = vec![s("alive")];
            alive.extend((0..10_000).map(OscType::Int));
            bundle(vec![msg(vec![s("source"), s("alive@evil")]), msg(alive)])
        }
        // Positions that are not numbers.
        9 => bundle(vec![
            msg(vec![s("alive"), OscType::Int(3)]),
            msg(vec![
                s("set"),
                OscType::Int(3),
                OscType::Float([f32::NAN, f32::INFINITY, f32::NEG_INFINITY][i / 13 % 3]),
                OscType::Float(0.5),
            ]),
        ]),
        // Wrong types and unknown commands.
        10 => bundle(vec![
            msg(vec![s("alive"), OscType::Float(1.5)]),
            msg(vec![s("set"), s("id"), OscType::Int(1), OscType::Int(2)]),
            msg(vec![s("fseq"), s("seven")]),
            msg(vec![s("hello")]),
            msg(vec![]),
            msg(vec![s("source")]),
        ]),
        // Other profiles, which are ignored.
        11 => bundle(vec![
            OscPacket::Message(OscMessage {
                addr: "/tuio/2Dobj".into(),
                args: vec![s("alive"), OscType::Int(1)],
            }),
            OscPacket::Message(OscMessage {
                addr: "/tuio/3Dcur".into(),
                args: vec![s("set"), OscType::Int(1), OscType::Float(0.5)],
            }),
        ]),
        // Frame numbers backwards, negative and at the ends of i32.
        _ => {
            let (x, y) = nowhere(rng);
            let f = [-1, i32::MAX, i32::MIN, 5, 4, 3][i / 13 % 6];
            frame("order@evil", &[(2, x, y)], f)
        }
    }
}

/// The attacker: datagrams of its share from 127.0.0.2 until it is spent.
/// It pauses a millisecond between datagrams: a faster sender only fills
/// the kernel's receive buffer, which drops datagrams (its own and the
/// tracker's alike) before the kiosk sees them, testing the kernel.
pub fn attacker(port: u16, share: &Share, seed: u64) {
    let mut rng = Lcg(seed);
    let Ok(socket) = UdpSocket::bind((std::net::Ipv4Addr::from(ATTACKER_IP), 0)) else {
        panic!("cannot send from 127.0.0.2");
    };
    while let Some(i) = share.take() {
        if socket
            .send_to(&hostile(i, &mut rng), ("127.0.0.1", port))
            .is_err()
        {
            share.miss();
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// The steady widget's corners.
fn corners(c: &mut vitrine::remote::Client) -> Vec<[f64; 2]> {
    let l = c.call("listContent", json!({})).unwrap();
    let w: Option<&Value> = l["widgets"]
        .as_array()
        .and_then(|a| a.iter().find(|w| w["name"] == "steady"));
    serde_json::from_value(w.map_or(Value::Null, |w| w["corners"].clone())).unwrap_or_default()
}

/// The healthy tracker: drags the steady widget (centred on the screen)
/// `DRAG_PX` right and back until `done`, as a tracker would (a frame every
/// 15 ms, the lift sent three times as trackers repeat frames). Each drag
/// must move the widget exactly; its latency is from the lift to the
/// position showing in `listContent`.
pub fn healthy(tuio: u16, mut c: vitrine::remote::Client, done: &Arc<AtomicBool>) -> Healthy {
    let home = corners(&mut c);
    assert_eq!(home.len(), 4, "the steady widget is shown");
    let mut tracker = Sender::new(tuio, TRACKER);
    let mut latencies = Vec::new();
    let mut id = 0;
    loop {
        for (from, to, dx) in [(0, STEPS, DRAG_PX), (STEPS, 0, 0.0)] {
            id += 1;
            let dir = if to > from { 1 } else { -1 };
            let mut k = from;
            loop {
                tracker.frame(&[(id, 0.5 + k as f32 * STEP, 0.5)], None);
                if k == to {
                    break;
                }
                k += dir;
            }
            for _ in 0..3 {
                tracker.frame(&[], None);
            }
            let t = Instant::now();
            let want: Vec<[f64; 2]> = home.iter().map(|p| [p[0] + dx, p[1]]).collect();
            let deadline = t + Duration::from_secs(30);
            loop {
                let now = corners(&mut c);
                if now == want {
                    break;
                }
                assert!(
                    Instant::now() < deadline,
                    "the healthy TUIO drag to {dx} px ended at {now:?}, not {want:?}"
                );
                std::thread::sleep(Duration::from_millis(2));
            }
            latencies.push(t.elapsed());
        }
        if done.load(Ordering::SeqCst) {
            break;
        }
    }
    Healthy {
        latencies,
        what: format!("drags of {DRAG_PX} px, lift to position"),
    }
}
