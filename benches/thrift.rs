//! Thrift benchmark: `whatsLoaded` calls per second and p50/p99 latency with 1 and 64 clients (binary protocol, buffered transport, as the stock generators talk), against Apache Thrift 0.25's own Python `TThreadedServer` serving the same IDL with a trivial handler (stock pure-Python protocol, and the C-accelerated one), in the same run.
//!
//! `cargo bench --bench thrift` starts a headless vitrine showing the demo and
//! drives it for 10 s per client count, then does the same to
//! `benches/thrift_server.py` run by `target/thrift-venv` on the stubs in
//! `target/thrift-gen` (both made by `make thrift-interop`). Run by
//! `cargo test`, it does a short smoke run instead.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use thrift::protocol::{
    TBinaryInputProtocol, TBinaryOutputProtocol, TInputProtocol, TMessageIdentifier, TMessageType,
    TOutputProtocol, TStructIdentifier, TType,
};
use thrift::transport::{TBufferedReadTransport, TBufferedWriteTransport};

/// One `whatsLoaded` round trip: the call as generated code writes it, and
/// its string result.
fn whats_loaded(
    i: &mut dyn TInputProtocol,
    o: &mut dyn TOutputProtocol,
    seq: i32,
) -> thrift::Result<String> {
    o.write_message_begin(&TMessageIdentifier::new(
        "whatsLoaded",
        TMessageType::Call,
        seq,
    ))?;
    o.write_struct_begin(&TStructIdentifier::new("whatsLoaded_args"))?;
    o.write_field_stop()?;
    o.write_struct_end()?;
    o.write_message_end()?;
    o.flush()?;
    i.read_message_begin()?;
    i.read_struct_begin()?;
    let mut answer = String::new();
    loop {
        let f = i.read_field_begin()?;
        match (f.field_type, f.id) {
            (TType::Stop, _) => break,
            (TType::String, Some(0)) => answer = i.read_string()?,
            (t, _) => i.skip(t)?,
        }
        i.read_field_end()?;
    }
    i.read_struct_end()?;
    i.read_message_end()?;
    Ok(answer)
}

struct Stats {
    calls: usize,
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
                let s = TcpStream::connect(("127.0.0.1", port)).expect("connects");
                s.set_nodelay(true).expect("nodelay");
                let r = s.try_clone().expect("a second handle");
                let mut i = TBinaryInputProtocol::new(TBufferedReadTransport::new(r), true);
                let mut o = TBinaryOutputProtocol::new(TBufferedWriteTransport::new(s), true);
                let mut lat = Vec::new();
                let mut seq = 0;
                while !stop.load(Ordering::Relaxed) {
                    seq += 1;
                    let t = Instant::now();
                    whats_loaded(&mut i, &mut o, seq).expect("an answer");
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

/// Starts a process and waits for the port it logs (` thrift=`) or prints
/// (`listening PORT`).
fn spawn(mut cmd: Command, from_stderr: bool) -> (Child, u16) {
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
    let port = loop {
        let line = lines
            .next()
            .expect("the server prints its port")
            .expect("a line");
        let found = line
            .split(" thrift=")
            .nth(1)
            .and_then(|a| {
                a.split_whitespace()
                    .next()?
                    .rsplit(':')
                    .next()
                    .map(str::to_string)
            })
            .or_else(|| line.strip_prefix("listening ").map(str::to_string));
        if let Some(p) = found.and_then(|p| p.trim().parse().ok()) {
            break p;
        }
    };
    std::thread::spawn(move || lines.for_each(drop));
    (child, port)
}

fn report(label: &str, clients: usize, s: &Stats) -> f64 {
    let rate = s.calls as f64 / s.seconds;
    println!(
        "  {label:<30} {clients:>2} clients: {rate:>9.0} calls/s, p50 {:>7.1} µs, p99 {:>7.1} µs",
        s.p50.as_secs_f64() * 1e6,
        s.p99.as_secs_f64() * 1e6
    );
    rate
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let seconds = if full { 10.0 } else { 0.5 };
    let counts: &[usize] = if full { &[1, 64] } else { &[1, 4] };
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vitrine"));
    cmd.args([
        "--headless",
        "--no-state",
        "--no-remote",
        "--size",
        "1280x720",
        "--thrift-port",
        "0",
        "--config",
        "/nonexistent/vitrine.toml",
    ])
    .env("RUST_LOG", "info");
    let (mut vitrine, port) = spawn(cmd, true);
    // Let the demo finish loading.
    std::thread::sleep(Duration::from_secs(2));
    println!("thrift benchmark: whatsLoaded, binary buffered, over 127.0.0.1, {seconds} s per run");
    let ours: Vec<f64> = counts
        .iter()
        .map(|&n| report("vitrine", n, &drive(port, n, seconds)))
        .collect();
    let _ = vitrine.kill();
    let _ = vitrine.wait();

    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let python = root.join("target/thrift-venv/bin/python");
    let stubs = root.join("target/thrift-gen/gen-py");
    if !python.exists() || !stubs.exists() {
        println!(
            "  (no target/thrift-venv or stubs: run `make thrift-interop` to compare with Python)"
        );
        return;
    }
    for mode in ["stock", "accelerated"] {
        let mut cmd = Command::new(&python);
        cmd.arg(root.join("benches/thrift_server.py"))
            .arg(&stubs)
            .arg(mode);
        let (mut py, py_port) = spawn(cmd, false);
        let label = format!("python thrift 0.25 {mode}");
        for (i, &n) in counts.iter().enumerate() {
            let theirs = report(&label, n, &drive(py_port, n, seconds));
            println!(
                "  {:<30} {n:>2} clients: {:.1}x this Python server's throughput",
                "",
                ours[i] / theirs.max(1.0)
            );
        }
        let _ = py.kill();
        let _ = py.wait();
    }
}
