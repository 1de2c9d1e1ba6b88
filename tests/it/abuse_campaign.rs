//! A live abuse campaign on every front end at once: one kiosk with its JSON socket, admin page, Thrift endpoint, TUIO listener and fleet link (through a real Mosquitto) takes hostile frames and requests of every known class on all of them together, while a healthy client on each keeps working; the kiosk must not crash, every healthy answer must be right, and the screen must not change.
//!
//! `cargo test` sends 20,000 frames in all; `make abuse` sends 100,000
//! (`VITRINE_ABUSE_FRAMES`), split among the front ends by `SHARES`. It
//! prints, per front end, the frames sent and the healthy client's round
//! trips, p50 and p99, and the kiosk's peak RSS and threads.

use crate::support;

mod admin_front;
mod campaign;
mod fleet_front;
mod socket_front;
mod thrift_front;
mod tuio_front;

use std::collections::BTreeMap;
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use campaign::{Healthy, Share};
use serde_json::json;
use support::http::Browser;
use support::mqtt::Broker;
use support::{KioskProcess, usage};
use vitrine::remote::Framing;

/// Each front end's share of the hostile frames, in percent, and how many
/// attacker threads send them. The socket, the admin page and Thrift parse
/// on a connection each; TUIO datagrams and fleet messages are paced (see
/// their modules), so fewer of them fit in the same time.
const SHARES: [(&str, usize, usize); 5] = [
    ("socket", 30, 4),
    ("admin", 25, 4),
    ("thrift", 25, 3),
    ("tuio", 10, 1),
    ("fleet", 10, 1),
];
const PASSWORD: &str = "abuse-s3cret";

/// The kiosk's config: every front end on, on loopback; the admin page with
/// a password; the fleet on `broker`. Nothing moves by itself (no inertia,
/// no idle reset), so only the healthy tracker's drags may move anything.
fn config(broker: &Broker) -> String {
    format!(
        "[kiosk]\nidle_reset = \"0\"\n[scatter]\ninertia = false\n\
         [admin]\npassword = {PASSWORD:?}\n\
         [tuio]\nenabled = true\nbind = \"127.0.0.1\"\ntimeout = \"1s\"\n\
         [fleet]\nenabled = true\nbroker = {:?}\nkiosk_id = {:?}\nreconnect_max = \"2s\"\n\
         max_payload_bytes = {}\n",
        broker.url(),
        fleet_front::KIOSK,
        fleet_front::MAX_PAYLOAD,
    )
}

#[test]
fn a_campaign_of_hostile_traffic_changes_nothing() {
    let frames: usize = std::env::var("VITRINE_ABUSE_FRAMES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let broker = Broker::start();
    let mut kiosk = KioskProcess::start(&config(&broker), &["--tuio-port", "0"]);
    let pid = kiosk.pid();
    let ports = (
        kiosk.port,
        kiosk.logged_port("admin"),
        kiosk.thrift_port(),
        kiosk.logged_port("tuio"),
    );
    let (socket, admin, thrift, tuio) = ports;
    let mut good = kiosk.client(Framing::V2);
    let r = good
        .call(
            "postHtml",
            json!({"name": "steady", "data": "<p>steady</p>", "width": 200, "height": 100,
                   "placement": {"x": 320, "y": 180, "scale": 1}}),
        )
        .unwrap();
    assert_eq!(r["status"], "SUCCESS");
    let before = good.call("listContent", json!({})).unwrap();
    // The manager logs in before the campaign and keeps the session.
    let mut manager = Browser::new(admin);
    assert_eq!(manager.login(PASSWORD).status, 200);
    let office = fleet_front::Office::connect(
        broker.port,
        "abuse-office",
        &[
            format!("vitrine/{0}/status", fleet_front::KIOSK),
            format!("vitrine/{0}/reply", fleet_front::KIOSK),
        ],
    );
    office.online();

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
    // The healthy socket clients prove themselves (a request answered)
    // before the silent connections below arrive: when the table is full,
    // the oldest connection that has not is evicted, and a client still
    // on its way to its first request would be that one.
    let proven = || {
        let mut c = kiosk.client(Framing::V2);
        assert!(c.call("ping", json!({})).is_ok());
        c
    };
    let (steady_socket, steady_tuio) = (proven(), proven());
    let healthy: Vec<(&str, std::thread::JoinHandle<Healthy>)> = {
        let d = || done.clone();
        let (d1, d2, d3, d4, d5) = (d(), d(), d(), d(), d());
        vec![
            (
                "socket",
                std::thread::spawn(move || socket_front::healthy(steady_socket, &d1)),
            ),
            (
                "admin",
                std::thread::spawn(move || admin_front::healthy(manager, &d2)),
            ),
            (
                "thrift",
                std::thread::spawn(move || thrift_front::healthy(thrift, &d3)),
            ),
            (
                "tuio",
                std::thread::spawn(move || tuio_front::healthy(tuio, steady_tuio, &d4)),
            ),
            (
                "fleet",
                std::thread::spawn(move || fleet_front::healthy(&office, &d5)),
            ),
        ]
    };
    // Silent connections that stay open through the campaign (the
    // admin page's are the slowloris attackers').
    let silent: Vec<TcpStream> = (0..100)
        .filter_map(|_| TcpStream::connect(("127.0.0.1", socket)).ok())
        .chain((0..32).filter_map(|_| TcpStream::connect(("127.0.0.1", thrift)).ok()))
        .collect();

    // The budget, split: the socket takes what rounding leaves.
    let mut budgets: Vec<usize> = SHARES
        .iter()
        .map(|(_, pct, _)| frames * pct / 100)
        .collect();
    budgets[0] += frames - budgets.iter().sum::<usize>();
    let shares: Vec<Arc<Share>> = budgets.iter().map(|b| Arc::new(Share::new(*b))).collect();
    let started = Instant::now();
    let mut attackers = Vec::new();
    for (f, (name, _, threads)) in SHARES.iter().enumerate() {
        for t in 0..*threads {
            let share = shares[f].clone();
            let seed = 0x5eed + (f * 16 + t) as u64;
            let broker_port = broker.port;
            let name = *name;
            attackers.push(std::thread::spawn(move || {
                let mut answers = BTreeMap::new();
                match name {
                    "socket" => socket_front::attacker(socket, &share, seed),
                    "admin" => answers = admin_front::attacker(admin, &share, seed),
                    "thrift" => thrift_front::attacker(thrift, &share, seed),
                    "tuio" => tuio_front::attacker(tuio, &share, seed),
                    _ => fleet_front::attacker(broker_port, &share, seed),
                }
                (f, started.elapsed(), answers)
            }));
        }
    }
    // The admin page's answers to the attackers, by status, and when each
    // front end's last attacker was done.
    let mut answers: BTreeMap<u16, usize> = BTreeMap::new();
    let mut finished = [Duration::ZERO; SHARES.len()];
    for a in attackers {
        let (f, at, statuses) = a.join().expect("an attacker thread");
        finished[f] = finished[f].max(at);
        for (status, n) in statuses {
            *answers.entry(status).or_insert(0) += n;
        }
    }
    let took = started.elapsed();
    done.store(true, Ordering::SeqCst);
    let healthy: Vec<(&str, Healthy)> = healthy
        .into_iter()
        .map(|(name, h)| {
            (
                name,
                h.join()
                    .unwrap_or_else(|_| panic!("the healthy {name} client failed")),
            )
        })
        .collect();
    monitor.join().unwrap();
    drop(silent);

    assert!(kiosk.alive(), "the kiosk crashed");
    // A connection thread's panic is caught and the kiosk carries on, but
    // it is a crash all the same.
    let log = kiosk.log.lock().unwrap().clone();
    let panics: Vec<&str> = log.lines().filter(|l| l.contains("panicked")).collect();
    assert!(panics.is_empty(), "caught panics in the kiosk: {panics:#?}");
    // The healthy drags end where they began: the screen is as it was.
    assert_eq!(good.call("listContent", json!({})).unwrap(), before);
    // Every hostile request is refused: none has a 2xx, the forged
    // sessions and the wrong passwords among them.
    assert!(
        !answers.keys().any(|s| (200..300).contains(s)),
        "a hostile admin request succeeded: {answers:?}"
    );
    let (rss, threads) = *peak.lock().unwrap();
    eprintln!(
        "abuse: {frames} hostile frames and requests on every front end at once in {:.1} s, \
         0 crashes; kiosk peak RSS {} MiB, peak threads {threads}, {} log lines ({} KiB)",
        took.as_secs_f64(),
        rss / 1024,
        log.lines().count(),
        log.len() / 1024,
    );
    let answers: Vec<String> = answers.iter().map(|(s, n)| format!("{s}: {n}")).collect();
    eprintln!(
        "abuse:   admin answers to attackers by status (0: none): {}",
        answers.join(", ")
    );
    for (f, (name, h)) in healthy.iter().enumerate() {
        eprintln!(
            "abuse:   {name:<6} {:>6} frames sent of {} ({} attackers, {:.1} s); healthy {}: {} round trips, p50 {:.2?}, p99 {:.2?}",
            shares[f].sent(),
            budgets[f],
            SHARES[f].2,
            finished[f].as_secs_f64(),
            h.what,
            h.latencies.len(),
            h.quantile(0.5),
            h.quantile(0.99),
        );
    }
}
