//! Remote benchmark: `whatsLoaded` round trips over loopback with 1 and 64 clients, against a Python jsocket 2.0.3 server answering the same request.
//!
//! `cargo bench --bench remote` starts a headless vitrine showing the demo,
//! drives it for 10 s per client count, then does the same to
//! `benches/jsocket_server.py` run by `target/jsocket2-venv` (made by
//! `make interop`). It prints requests per second and p50/p99 latencies.
//! Run by `cargo test`, it does a short smoke run instead.

mod load;

use std::process::Command;
use std::time::Duration;

use load::{drive, report, spawn};
use serde_json::json;

/// One client: a connection doing `whatsLoaded` round trips.
fn client(port: u16) -> Box<dyn FnMut()> {
    let mut c = load::client(port);
    Box::new(move || {
        c.call("whatsLoaded", json!({})).expect("an answer");
    })
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let seconds = if full { 10.0 } else { 0.5 };
    let counts: &[usize] = if full { &[1, 64] } else { &[1, 4] };
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vitrine"));
    cmd.args([
        "--headless",
        "--no-state",
        "--size",
        "1280x720",
        "--remote-port",
        "0",
        "--no-thrift",
        "--no-admin",
        "--config",
        "/nonexistent/vitrine.toml",
    ])
    .env("RUST_LOG", "info");
    let (mut vitrine, port) = spawn(cmd, true, "address=");
    // Let the demo finish loading.
    std::thread::sleep(Duration::from_secs(2));
    println!("remote benchmark: whatsLoaded round trips over 127.0.0.1, {seconds} s per run");
    let ours: Vec<f64> = counts
        .iter()
        .map(|&n| report("vitrine", n, "req", &drive(port, n, seconds, client)))
        .collect();
    let _ = vitrine.kill();
    let _ = vitrine.wait();

    let python = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .join("target/jsocket2-venv/bin/python");
    if !python.exists() {
        println!("  (no target/jsocket2-venv: run `make interop` to compare with Python jsocket)");
        return;
    }
    let mut cmd = Command::new(&python);
    cmd.arg(
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
            .join("benches/jsocket_server.py"),
    );
    let (mut py, py_port) = spawn(cmd, false, "address=");
    for (i, &n) in counts.iter().enumerate() {
        let theirs = report(
            "python jsocket 2.0.3",
            n,
            "req",
            &drive(py_port, n, seconds, client),
        );
        println!(
            "  {:<28} {n:>2} clients: {:.1}x the Python server's throughput",
            "",
            ours[i] / theirs.max(1.0)
        );
    }
    let _ = py.kill();
    let _ = py.wait();
}
