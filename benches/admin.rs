//! Admin page benchmark: the page's weight, and the kiosk's extra CPU while 1 and 10 pages watch its live screen at one refresh a second (1280×720, captured at 640 wide), against the same kiosk with nobody watching, and how long a refresh takes.
//!
//! `cargo bench --bench admin` runs each phase for 20 s. Run by `cargo
//! test`, it does a short smoke run with 2 watchers and checks that each got
//! pictures.

#[path = "../tests/support/http.rs"]
#[allow(dead_code)]
mod http;
mod load;

use std::process::{Child, Command};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// A headless 1280×720 kiosk with ten HTML cards; returns it with its JSON
/// and admin ports.
fn kiosk(dir: &std::path::Path) -> (Child, u16, u16) {
    let config = dir.join("admin-bench.toml");
    std::fs::write(&config, "[kiosk]\nidle_reset = \"0s\"\n").expect("config written");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vitrine"));
    cmd.args(["--headless", "--no-state", "--no-demo", "--no-thrift"])
        .args([
            "--size",
            "1280x720",
            "--remote-port",
            "0",
            "--admin-port",
            "0",
        ])
        .arg("--config")
        .arg(&config)
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("RUST_LOG", "info");
    let (child, ports) = load::spawn_ports(cmd, true, &["address=", " admin="]);
    (child, ports[0], ports[1])
}

/// What one watching page saw.
struct Watched {
    pictures: usize,
    bytes: usize,
    latencies: Vec<Duration>,
}

/// `count` pages, each logged in on its own, fetching the screen once a
/// second (each at its own offset within the second, as independent
/// browsers would) until `stop`.
fn watchers(
    port: u16,
    count: usize,
    stop: &Arc<AtomicBool>,
) -> Vec<std::thread::JoinHandle<Watched>> {
    (0..count)
        .map(|i| {
            let stop = stop.clone();
            let mut page = http::Browser::new(port);
            assert_eq!(page.login("").status, 200, "logged in");
            std::thread::spawn(move || {
                let mut seen = Watched {
                    pictures: 0,
                    bytes: 0,
                    latencies: Vec::new(),
                };
                let offset = Duration::from_millis(1000 * i as u64 / count as u64);
                let start = Instant::now() + offset;
                std::thread::sleep(offset);
                let mut n = 0u32;
                while !stop.load(Ordering::Relaxed) {
                    let t = Instant::now();
                    let r = page.send("GET", "/api/screen.png", b"", false);
                    seen.latencies.push(t.elapsed());
                    if r.status == 200 && r.body.starts_with(b"\x89PNG") {
                        seen.pictures += 1;
                        seen.bytes = r.body.len();
                    }
                    n += 1;
                    let next = start + Duration::from_secs(1) * n;
                    std::thread::sleep(next.saturating_duration_since(Instant::now()));
                }
                seen
            })
        })
        .collect()
}

/// The kiosk's CPU (share of one core) over `seconds` with `count`
/// watchers, and what they saw.
fn phase(pid: u32, port: u16, count: usize, seconds: f64) -> (f64, Vec<Watched>) {
    let stop = Arc::new(AtomicBool::new(false));
    let threads = watchers(port, count, &stop);
    // Let every watcher make its first request before measuring.
    std::thread::sleep(Duration::from_millis(1100));
    let cpu = load::cpu_seconds(pid);
    let t = Instant::now();
    std::thread::sleep(Duration::from_secs_f64(seconds));
    let share = (load::cpu_seconds(pid) - cpu) / t.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    let seen = threads
        .into_iter()
        .map(|t| t.join().expect("a watcher thread"))
        .collect();
    (share, seen)
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let seconds = if full { 20.0 } else { 1.5 };
    let counts: &[usize] = if full { &[1, 10] } else { &[2] };
    let dir = std::env::temp_dir().join(format!("vitrine-bench-admin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let (mut vitrine, port, admin) = kiosk(&dir);
    load::cards(port, 10);
    println!(
        "admin benchmark: pages watching the live screen once a second, {seconds} s per phase"
    );
    // What a phone downloads before it can draw anything: the HTML, the
    // stylesheet and the modules, uncompressed (the time to interactive on
    // a phone profile is measured in a browser: `make admin-browser`).
    println!(
        "  the page's weight: {:.1} KiB of HTML, CSS and JavaScript",
        vitrine::admin::page::weight() as f64 / 1024.0
    );
    let pid = vitrine.id();
    let (alone, _) = phase(pid, admin, 0, seconds);
    println!(
        "  kiosk CPU, nobody watching  {:>6.1} % of a core",
        alone * 100.0
    );
    for &count in counts {
        let (share, seen) = phase(pid, admin, count, seconds);
        let least = seen.iter().map(|w| w.pictures).min().unwrap_or(0);
        assert!(least > 0, "every watcher got pictures");
        let bytes = seen.iter().map(|w| w.bytes).max().unwrap_or(0);
        let mut lat: Vec<Duration> = seen.into_iter().flat_map(|w| w.latencies).collect();
        lat.sort();
        let pick = |q: f64| lat[((lat.len() as f64 * q) as usize).min(lat.len() - 1)];
        let extra = (share - alone) * 100.0;
        println!(
            "  kiosk CPU, {count:>2} watching      {:>6.1} % of a core (+{extra:.1}, {:.1} per watcher); \
             refresh p50 {:.1} ms, p99 {:.1} ms; {} KiB a picture",
            share * 100.0,
            extra / count as f64,
            pick(0.5).as_secs_f64() * 1e3,
            pick(0.99).as_secs_f64() * 1e3,
            bytes / 1024
        );
    }
    let _ = vitrine.kill();
    let _ = vitrine.wait();
    let _ = std::fs::remove_dir_all(&dir);
}
