//! Remote benchmark: `whatsLoaded` round trips over loopback with 1 and 64 clients, against a Python jsocket 2.0.3 server answering the same request.
//!
//! `cargo bench --bench remote` starts a headless vitrine showing the demo,
//! drives it for 10 s per client count, then does the same to
//! `benches/jsocket_server.py` run by `target/jsocket2-venv` (made by
//! `make interop`). It prints requests per second and p50/p99 latencies.
//! Run by `cargo test`, it does a short smoke run instead.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;
use vitrine::remote::{Client, Framing};

struct Stats {
    requests: usize,
    seconds: f64,
    p50: Duration,
    p99: Duration,
}

/// `clients` threads doing round trips for `seconds`.
fn drive(port: u16, clients: usize, seconds: f64) -> Stats {
    let stop = Arc::new(AtomicBool::new(false));
    let threads: Vec<_> = (0..clients)
        .map(|_| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                let mut c = Client::connect(
                    "127.0.0.1",
                    port,
                    Framing::V2,
                    None,
                    Duration::from_secs(30),
                )
                .expect("connects");
                let mut lat = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    let t = Instant::now();
                    c.call("whatsLoaded", json!({})).expect("an answer");
                    lat.push(t.elapsed());
                }
                lat
            })
        })
        .collect();
    let started = Instant::now();
    std::thread::sleep(Duration::from_secs_f64(seconds));
    stop.store(true, Ordering::Relaxed);
    let mut all: Vec<Duration> = threads
        .into_iter()
        .flat_map(|t| t.join().expect("a client thread"))
        .collect();
    let elapsed = started.elapsed().as_secs_f64();
    all.sort();
    let pick = |q: f64| {
        all.get(((all.len() as f64 * q) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    Stats {
        requests: all.len(),
        seconds: elapsed,
        p50: pick(0.50),
        p99: pick(0.99),
    }
}

/// Starts a process and waits for the port it prints (or logs).
fn spawn(mut cmd: Command, from_stderr: bool) -> (Child, u16) {
    if from_stderr {
        cmd.stderr(Stdio::piped()).stdout(Stdio::null());
    } else {
        cmd.stdout(Stdio::piped()).stderr(Stdio::null());
    }
    let mut child = cmd.spawn().expect("the server starts");
    let out: Box<dyn std::io::Read + Send> = if from_stderr {
        Box::new(child.stderr.take().unwrap())
    } else {
        Box::new(child.stdout.take().unwrap())
    };
    let mut lines = BufReader::new(out).lines();
    let port = loop {
        let line = lines
            .next()
            .expect("the server prints its port")
            .expect("a line");
        let found = line
            .split("address=")
            .nth(1)
            .and_then(|a| a.trim().rsplit(':').next().map(str::to_string))
            .or_else(|| line.strip_prefix("listening ").map(str::to_string));
        if let Some(p) = found.and_then(|p| p.trim().parse().ok()) {
            break p;
        }
    };
    // Keep draining so the server never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (child, port)
}

fn report(label: &str, clients: usize, s: &Stats) -> f64 {
    let rps = s.requests as f64 / s.seconds;
    println!(
        "  {label:<28} {clients:>2} clients: {rps:>9.0} req/s, p50 {:>7.1} µs, p99 {:>7.1} µs",
        s.p50.as_secs_f64() * 1e6,
        s.p99.as_secs_f64() * 1e6
    );
    rps
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
        "--config",
        "/nonexistent/vitrine.toml",
    ])
    .env("RUST_LOG", "info");
    let (mut vitrine, port) = spawn(cmd, true);
    // Let the demo finish loading.
    std::thread::sleep(Duration::from_secs(2));
    println!("remote benchmark: whatsLoaded round trips over 127.0.0.1, {seconds} s per run");
    let ours: Vec<f64> = counts
        .iter()
        .map(|&n| report("vitrine", n, &drive(port, n, seconds)))
        .collect();
    let _ = vitrine.kill();
    let _ = vitrine.wait();

    let python =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/jsocket2-venv/bin/python");
    if !python.exists() {
        println!("  (no target/jsocket2-venv: run `make interop` to compare with Python jsocket)");
        return;
    }
    let mut cmd = Command::new(&python);
    cmd.arg(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/jsocket_server.py"));
    let (mut py, py_port) = spawn(cmd, false);
    for (i, &n) in counts.iter().enumerate() {
        let theirs = report("python jsocket 2.0.3", n, &drive(py_port, n, seconds));
        println!(
            "  {:<28} {n:>2} clients: {:.1}x the Python server's throughput",
            "",
            ours[i] / theirs.max(1.0)
        );
    }
    let _ = py.kill();
    let _ = py.wait();
}
