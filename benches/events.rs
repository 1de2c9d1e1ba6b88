//! Event fan-out benchmark: 64 subscribers on the JSON socket while ten TUIO fingers work ten widgets at 60 Hz; the kiosk's extra CPU against the same gesture with nobody subscribed, and the delivery latency (event time to arrival) p50/p99.
//!
//! `cargo bench --bench events` runs each phase for 10 s. Run by
//! `cargo test`, it does a short smoke run with 4 subscribers instead and
//! checks that every subscriber heard the touches.

mod load;
#[path = "../tests/support/tuio.rs"]
#[allow(dead_code)]
mod tuio;

use std::process::{Child, Command};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::json;

const FINGERS: i32 = 10;

/// A headless kiosk with TUIO on; returns it with its JSON and TUIO ports.
fn kiosk(dir: &std::path::Path) -> (Child, u16, u16) {
    let config = dir.join("events-bench.toml");
    std::fs::write(
        &config,
        format!(
            "[content]\nroots = [{:?}]\n[scatter]\ninertia = false\n[kiosk]\nidle_reset = \"0s\"\n[remote]\nmax_connections_per_peer = 128\n",
            dir.display().to_string()
        ),
    )
    .expect("config written");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vitrine"));
    cmd.args([
        "--headless",
        "--no-state",
        "--no-demo",
        "--no-thrift",
        "--no-admin",
    ])
    .args([
        "--size",
        "1280x720",
        "--remote-port",
        "0",
        "--tuio-port",
        "0",
    ])
    .arg("--config")
    .arg(&config)
    .env("RUST_LOG", "info");
    let (child, ports) = load::spawn_ports(cmd, true, &["address=", " tuio="]);
    (child, ports[0], ports[1])
}

fn now_unix() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// Ten fingers at 60 Hz for `seconds`: each works its own widget, pressing
/// for 12 frames while it drags it 56 pixels (right, then back on the next
/// touch), then lifting for 3, out of step with the others, so touches end
/// all the time. Returns the frames sent.
fn gesture(sender: &mut tuio::Sender, seconds: f64) -> u64 {
    let frame = Duration::from_secs_f64(1.0 / 60.0);
    let start = Instant::now();
    let mut n: u64 = 0;
    let mut ids = [0i32; FINGERS as usize];
    while start.elapsed().as_secs_f64() < seconds {
        let mut cursors = Vec::new();
        for f in 0..FINGERS {
            let phase = (n + 2 * f as u64) % 15;
            if phase == 0 {
                // A new touch: TUIO gives each its own session id.
                ids[f as usize] += 1;
            }
            if phase < 12 {
                let (col, row) = (f % 5, f / 5);
                // Right on one touch and back on the next, so the widget
                // stays under its finger.
                let step = if ids[f as usize] % 2 == 0 {
                    phase
                } else {
                    11 - phase
                };
                let x = 0.1 + 0.2 * col as f32 + 0.004 * step as f32;
                let y = 0.3 + 0.4 * row as f32;
                cursors.push((f * 100_000 + ids[f as usize], x, y));
            }
        }
        let bytes = sender.bundle(&cursors, None);
        sender.raw(&bytes);
        n += 1;
        let next = start + frame * n as u32;
        std::thread::sleep(next.saturating_duration_since(Instant::now()));
    }
    // Every finger up.
    let bytes = sender.bundle(&[], None);
    sender.raw(&bytes);
    n
}

struct Heard {
    events: usize,
    latencies: Vec<f64>,
}

/// `count` subscribers to `touched`, each on its own thread, until `stop`.
fn subscribers(
    port: u16,
    count: usize,
    stop: Arc<AtomicBool>,
) -> Vec<std::thread::JoinHandle<Heard>> {
    (0..count)
        .map(|_| {
            let stop = stop.clone();
            let mut c = load::client(port);
            c.call("subscribe", json!({"events": ["touched"]}))
                .expect("subscribed");
            std::thread::spawn(move || {
                let mut heard = Heard {
                    events: 0,
                    latencies: Vec::new(),
                };
                while !stop.load(Ordering::Relaxed) {
                    if let Ok(Some(e)) = c.next_event(Some(Duration::from_millis(200))) {
                        let arrived = now_unix();
                        heard.events += 1;
                        if std::env::var_os("DBG").is_some() {
                            eprintln!("{e}");
                        }
                        if let Some(t) = e["time"].as_f64() {
                            heard.latencies.push(arrived - t);
                        }
                    }
                }
                heard
            })
        })
        .collect()
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let seconds = if full { 10.0 } else { 1.0 };
    let count = if full { 64 } else { 4 };
    let dir = std::env::temp_dir().join(format!("vitrine-bench-events-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let (mut vitrine, port, tuio_port) = kiosk(&dir);
    load::cards(port, FINGERS as u32);
    println!(
        "events benchmark: {FINGERS} TUIO fingers at 60 Hz, `touched` to {count} subscribers, {seconds} s per phase"
    );
    let pid = vitrine.id();
    // One source for both phases: its frame numbers must keep growing, or
    // the kiosk drops the second phase's bundles as late.
    let mut sender = tuio::Sender::new(tuio_port, "bench@events");

    // Without subscribers.
    let cpu = load::cpu_seconds(pid);
    let t = Instant::now();
    gesture(&mut sender, seconds);
    let alone = (load::cpu_seconds(pid) - cpu) / t.elapsed().as_secs_f64();

    // With them.
    let stop = Arc::new(AtomicBool::new(false));
    let threads = subscribers(port, count, stop.clone());
    let cpu = load::cpu_seconds(pid);
    let t = Instant::now();
    let frames = gesture(&mut sender, seconds);
    let shared = (load::cpu_seconds(pid) - cpu) / t.elapsed().as_secs_f64();
    std::thread::sleep(Duration::from_millis(500));
    stop.store(true, Ordering::Relaxed);
    let heard: Vec<Heard> = threads
        .into_iter()
        .map(|t| t.join().expect("a subscriber thread"))
        .collect();
    let _ = vitrine.kill();
    let _ = vitrine.wait();
    let _ = std::fs::remove_dir_all(&dir);

    let per = heard.iter().map(|h| h.events).min().unwrap_or(0);
    assert!(per > 0, "every subscriber hears the touches");
    let mut lat: Vec<f64> = heard.into_iter().flat_map(|h| h.latencies).collect();
    lat.sort_by(f64::total_cmp);
    let pick = |q: f64| lat[((lat.len() as f64 * q) as usize).min(lat.len() - 1)] * 1e3;
    println!(
        "  frames sent                  {frames} ({:.0} touches ended per subscriber per second)",
        per as f64 / seconds
    );
    println!(
        "  kiosk CPU, nobody subscribed {:>6.1} % of a core",
        alone * 100.0
    );
    println!(
        "  kiosk CPU, {count} subscribers   {:>6.1} % of a core (+{:.1})",
        shared * 100.0,
        (shared - alone) * 100.0
    );
    println!(
        "  delivery latency             p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        pick(0.5),
        pick(0.99),
        pick(1.0)
    );
}
