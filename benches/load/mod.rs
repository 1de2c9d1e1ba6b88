//! What the remote benchmarks share: a server process started and its ports read, a client, closed-loop clients driven for a while, the throughput and latency they saw, and a process's CPU time.
// Each benchmark includes this file and uses a part of it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

pub struct Stats {
    pub calls: usize,
    pub seconds: f64,
    pub p50: Duration,
    pub p99: Duration,
}

/// `clients` threads, each with its own connection from `connect`, doing
/// round trips for `seconds`.
pub fn drive(
    port: u16,
    clients: usize,
    seconds: f64,
    connect: fn(u16) -> Box<dyn FnMut()>,
) -> Stats {
    let stop = Arc::new(AtomicBool::new(false));
    let threads: Vec<_> = (0..clients)
        .map(|_| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                let mut call = connect(port);
                let mut lat = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    let t = Instant::now();
                    call();
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
        calls: all.len(),
        seconds: elapsed,
        p50: pick(0.50),
        p99: pick(0.99),
    }
}

/// Starts a process and waits for the port it logs after `key` (as in
/// `address=127.0.0.1:PORT`) or prints (`listening PORT`).
pub fn spawn(cmd: Command, from_stderr: bool, key: &str) -> (Child, u16) {
    let (child, ports) = spawn_ports(cmd, from_stderr, &[key]);
    (child, ports[0])
}

/// The port logged after `key` on `line`, or printed as `listening PORT`.
fn port_in(line: &str, key: &str) -> Option<u16> {
    line.split(key)
        .nth(1)
        .and_then(|a| a.split_whitespace().next()?.rsplit(':').next())
        .or_else(|| line.strip_prefix("listening "))
        .and_then(|p| p.trim().parse().ok())
}

/// Starts a process and waits until it has logged a port after each of
/// `keys`; the ports come back in the order of `keys`.
pub fn spawn_ports(mut cmd: Command, from_stderr: bool, keys: &[&str]) -> (Child, Vec<u16>) {
    if from_stderr {
        cmd.stderr(Stdio::piped()).stdout(Stdio::null());
    } else {
        cmd.stdout(Stdio::piped()).stderr(Stdio::null());
    }
    let mut child = cmd.spawn().expect("the server starts");
    let out: Box<dyn std::io::Read + Send> = if from_stderr {
        Box::new(child.stderr.take().expect("piped"))
    } else {
        Box::new(child.stdout.take().expect("piped"))
    };
    let mut lines = BufReader::new(out).lines();
    let mut ports: Vec<Option<u16>> = vec![None; keys.len()];
    while ports.iter().any(Option::is_none) {
        let line = lines
            .next()
            .expect("the server prints its ports")
            .expect("a line");
        for (port, key) in ports.iter_mut().zip(keys) {
            *port = port.or_else(|| port_in(&line, key));
        }
    }
    // Keep draining so the server never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (child, ports.into_iter().flatten().collect())
}

/// A JSON socket client of the server on `port`, with a 30 s timeout.
pub fn client(port: u16) -> vitrine::remote::Client {
    vitrine::remote::Client::connect(
        "127.0.0.1",
        port,
        vitrine::remote::Framing::V2,
        None,
        Duration::from_secs(30),
    )
    .expect("connects")
}

/// Prints one run's line; returns its throughput.
pub fn report(label: &str, clients: usize, unit: &str, s: &Stats) -> f64 {
    let rate = s.calls as f64 / s.seconds;
    println!(
        "  {label:<30} {clients:>2} clients: {rate:>9.0} {unit}/s, p50 {:>7.1} µs, p99 {:>7.1} µs",
        s.p50.as_secs_f64() * 1e6,
        s.p99.as_secs_f64() * 1e6
    );
    rate
}

/// CPU seconds (user + system) the process has used.
pub fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name, which is in parentheses.
    let rest = stat.rsplit(')').next().unwrap_or_default();
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the whole line: 11 and 12 here.
    (ticks(11) + ticks(12)) / 100.0
}

/// `count` 200×150 HTML cards named `w0`, `w1`, …, five to a row on a
/// 1280×720 screen, each under where a finger of the TUIO benchmarks lands.
pub fn cards(port: u16, count: u32) {
    let mut c = client(port);
    for f in 0..count {
        let html = format!("<body style='background:#48c'><h1>{f}</h1></body>");
        let (col, row) = (f % 5, f / 5);
        let r = c
            .call(
                "postHtml",
                serde_json::json!({"name": format!("w{f}"), "data": html, "width": 200, "height": 150,
                       "placement": {"x": 128 + 256 * col, "y": 216 + 288 * row, "scale": 1}}),
            )
            .expect("a card");
        assert_eq!(r["status"], "SUCCESS", "{r}");
    }
}
