//! State benchmark: what a durable acknowledgement costs. `raise` round trips (each a real change, so each is saved with two `fsync`s before its reply) against a kiosk that keeps its state on disk and one that does not.
//!
//! `cargo bench --bench state` runs 2,000 changes against each and prints
//! p50/p99 latencies; run by `cargo test --benches`, it does a short smoke
//! run instead.

mod load;

use std::process::{Child, Command};
use std::time::{Duration, Instant};

use serde_json::json;

/// Starts a headless kiosk that keeps its state under `state_home` (or
/// none, with `None`) and waits for its port.
fn start(state_home: Option<&std::path::Path>) -> (Child, u16) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vitrine"));
    match state_home {
        Some(dir) => cmd.env("XDG_STATE_HOME", dir).env_remove("STATE_DIRECTORY"),
        None => cmd.arg("--no-state"),
    };
    cmd.args([
        "--headless",
        "--no-demo",
        "--size",
        "640x360",
        "--remote-port",
        "0",
        "--no-thrift",
        "--no-admin",
        "--config",
        "/nonexistent/vitrine.toml",
    ])
    .env("RUST_LOG", "info");
    load::spawn(cmd, true, "address=")
}

/// `n` raises, alternating between two widgets; the sorted latencies.
fn raises(port: u16, n: usize) -> Vec<Duration> {
    let mut c = load::client(port);
    for name in ["a", "b"] {
        let r = c
            .call("postHtml", json!({"name": name, "data": "<h1>x</h1>"}))
            .expect("an answer");
        assert_eq!(r["status"], "SUCCESS", "{r}");
    }
    let mut lat: Vec<Duration> = (0..n)
        .map(|i| {
            let name = if i % 2 == 0 { "a" } else { "b" };
            let t = Instant::now();
            let r = c.call("raise", json!({"name": name})).expect("an answer");
            assert_eq!(r["status"], "SUCCESS", "{r}");
            t.elapsed()
        })
        .collect();
    lat.sort();
    lat
}

fn pick(lat: &[Duration], q: f64) -> f64 {
    let i = ((lat.len() as f64 * q) as usize).min(lat.len().saturating_sub(1));
    lat.get(i).map_or(0.0, |d| d.as_secs_f64() * 1e3)
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let n = if full { 2000 } else { 50 };
    let dir = std::env::temp_dir().join(format!("vitrine-bench-state-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    println!("state benchmark: {n} `raise` round trips over 127.0.0.1, each a saved change");
    for (label, home) in [
        ("state on (durable)", Some(dir.as_path())),
        ("state off (--no-state)", None),
    ] {
        let (mut kiosk, port) = start(home);
        let lat = raises(port, n);
        println!(
            "  {label:<24} p50 {:>6.2} ms, p99 {:>6.2} ms, max {:>6.2} ms",
            pick(&lat, 0.5),
            pick(&lat, 0.99),
            pick(&lat, 1.0)
        );
        let _ = kiosk.kill();
        let _ = kiosk.wait();
    }
    let _ = std::fs::remove_dir_all(&dir);
}
