//! Thrift benchmark: `whatsLoaded` calls per second and p50/p99 latency with 1 and 64 clients (binary protocol, buffered transport, as the stock generators talk), against Apache Thrift 0.25's own Python `TThreadedServer` serving the same IDL with a trivial handler (stock pure-Python protocol, and the C-accelerated one), in the same run.
//!
//! `cargo bench --bench thrift` starts a headless vitrine showing the demo and
//! drives it for 10 s per client count, then does the same to
//! `benches/thrift_server.py` run by `target/thrift-venv` on the stubs in
//! `target/thrift-gen` (both made by `make thrift-interop`). Run by
//! `cargo test`, it does a short smoke run instead.

mod load;

use std::net::TcpStream;
use std::process::Command;
use std::time::Duration;

use load::{drive, report, spawn};

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

/// One client: a stock binary buffered connection doing `whatsLoaded`.
fn client(port: u16) -> Box<dyn FnMut()> {
    let s = TcpStream::connect(("127.0.0.1", port)).expect("connects");
    s.set_nodelay(true).expect("nodelay");
    let r = s.try_clone().expect("a second handle");
    let mut i = TBinaryInputProtocol::new(TBufferedReadTransport::new(r), true);
    let mut o = TBinaryOutputProtocol::new(TBufferedWriteTransport::new(s), true);
    let mut seq = 0;
    Box::new(move || {
        seq += 1;
        whats_loaded(&mut i, &mut o, seq).expect("an answer");
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
        "--no-remote",
        "--no-admin",
        "--size",
        "1280x720",
        "--thrift-port",
        "0",
        "--config",
        "/nonexistent/vitrine.toml",
    ])
    .env("RUST_LOG", "info");
    let (mut vitrine, port) = spawn(cmd, true, " thrift=");
    // Let the demo finish loading.
    std::thread::sleep(Duration::from_secs(2));
    println!("thrift benchmark: whatsLoaded, binary buffered, over 127.0.0.1, {seconds} s per run");
    let ours: Vec<f64> = counts
        .iter()
        .map(|&n| report("vitrine", n, "calls", &drive(port, n, seconds, client)))
        .collect();
    let _ = vitrine.kill();
    let _ = vitrine.wait();

    let root = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
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
        let (mut py, py_port) = spawn(cmd, false, " thrift=");
        let label = format!("python thrift 0.25 {mode}");
        for (i, &n) in counts.iter().enumerate() {
            let theirs = report(&label, n, "calls", &drive(py_port, n, seconds, client));
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
