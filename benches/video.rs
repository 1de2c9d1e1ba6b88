//! Video CPU benchmark: vitrine playing a 1280x720@30 clip for 10 s, against GStreamer's own decode floor on the same file.
//!
//! `cargo bench --bench video` makes the clip (H.264 with x264enc when it is
//! installed, else VP8), then measures the CPU time (user + system, from
//! /proc) of:
//! - the floor: `gst-launch-1.0 filesrc ! decodebin ! fakesink sync=true`;
//! - `vitrine --headless --load CLIP` with autoplay, for the same 10 s;
//! - `vitrine --windowed` under `xvfb-run`, when it is installed, where every
//!   frame is also composed and presented (on lavapipe, by the CPU).
//!
//! Run by `cargo test`, it does the same with a 2-second 320x180 clip, as a
//! smoke test of the harness.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The CPU time of this process's waited-for children so far, in seconds.
fn children_cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("/proc/self/stat");
    // Fields after the command name, which is in parentheses: cutime and
    // cstime are the 16th and 17th fields of the whole line.
    let rest = &stat[stat.rfind(')').expect("a command name") + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = fields[13].parse::<f64>().unwrap() + fields[14].parse::<f64>().unwrap();
    ticks / clock_ticks()
}

fn clock_ticks() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

/// Runs a command to completion and returns its CPU seconds and stderr.
fn measure(mut c: Command) -> (f64, String) {
    let before = children_cpu();
    let out = c.output().expect("the command runs");
    assert!(
        out.status.success(),
        "{c:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        children_cpu() - before,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn has_element(name: &str) -> bool {
    Command::new("gst-inspect-1.0")
        .arg(name)
        .output()
        .is_ok_and(|o| o.status.success())
}

fn make_clip(dir: &Path, size: (u32, u32), seconds: u32) -> PathBuf {
    let h264 = has_element("x264enc");
    let name = format!(
        "bench-{}x{}-{seconds}s.{}",
        size.0,
        size.1,
        if h264 { "mp4" } else { "webm" }
    );
    let out = dir.join(name);
    if out.exists() {
        return out;
    }
    let encode = if h264 {
        "x264enc speed-preset=veryfast bitrate=2500 key-int-max=60 ! video/x-h264,profile=main ! mp4mux"
    } else {
        "vp8enc deadline=1 threads=2 target-bitrate=2500000 keyframe-max-dist=60 ! webmmux"
    };
    let pipeline = format!(
        "videotestsrc num-buffers={} pattern=zone-plate kx2=20 ky2=20 kt=1 \
         ! video/x-raw,width={},height={},framerate=30/1 ! {encode} ! filesink location={}",
        seconds * 30,
        size.0,
        size.1,
        out.display()
    );
    let status = Command::new("gst-launch-1.0")
        .arg("-q")
        .args(pipeline.split_whitespace())
        .status()
        .expect("gst-launch-1.0 runs");
    assert!(status.success(), "cannot make the benchmark clip");
    out
}

fn stat(log: &str, key: &str) -> u64 {
    log.lines()
        .rev()
        .find(|l| l.contains("stopped"))
        .and_then(|l| l.split(&format!(" {key}=")).nth(1))
        .and_then(|n| n.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (size, seconds) = if full {
        ((1280, 720), 10)
    } else {
        ((320, 180), 2)
    };
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("video-bench");
    std::fs::create_dir_all(&dir).unwrap();
    let clip = make_clip(&dir, size, seconds);
    let config = dir.join("autoplay.toml");
    std::fs::write(&config, "[video]\nautoplay = true\n").unwrap();
    let run_for = format!("{}ms", seconds * 1000 + 300);
    let vitrine = env!("CARGO_BIN_EXE_vitrine");

    let mut floor = Command::new("gst-launch-1.0");
    floor.arg("-q").args(
        format!(
            "filesrc location={} ! decodebin ! fakesink sync=true",
            clip.display()
        )
        .split_whitespace(),
    );
    let (floor_cpu, _) = measure(floor);

    let mut headless = Command::new(vitrine);
    headless
        .env("RUST_LOG", "info")
        .arg("--config")
        .arg(&config)
        .args([
            "--headless",
            "--no-admin",
            "--size",
            &format!("{}x{}", size.0, size.1),
            "--exit-after",
            &run_for,
            "--load",
        ]);
    headless.arg(&clip);
    let (headless_cpu, log) = measure(headless);

    println!(
        "video CPU benchmark: {}x{}@30, {seconds} s, {}",
        size.0,
        size.1,
        clip.display()
    );
    println!("  decode floor (gst-launch … fakesink sync=true): {floor_cpu:.2} s CPU");
    println!(
        "  vitrine --headless: {headless_cpu:.2} s CPU ({:.2}x the floor), {} frames decoded, {} composed (on demand)",
        headless_cpu / floor_cpu.max(0.01),
        stat(&log, "video_decoded"),
        stat(&log, "frames"),
    );
    let xvfb = Command::new("sh")
        .args(["-c", "command -v xvfb-run"])
        .output()
        .is_ok_and(|o| o.status.success());
    if xvfb {
        let mut windowed = Command::new("xvfb-run");
        windowed
            .env("RUST_LOG", "info")
            .args([
                "-a",
                "-s",
                &format!("-screen 0 {}x{}x24", size.0, size.1),
                vitrine,
            ])
            .arg("--config")
            .arg(&config)
            .args([
                "--windowed",
                "--size",
                &format!("{}x{}", size.0, size.1),
                "--exit-after",
                &run_for,
                "--load",
            ])
            .arg(&clip);
        let (cpu, log) = measure(windowed);
        println!(
            "  vitrine --windowed under Xvfb: {cpu:.2} s CPU ({:.2}x the floor), {} frames decoded, {} displayed",
            cpu / floor_cpu.max(0.01),
            stat(&log, "video_decoded"),
            stat(&log, "video_displayed"),
        );
    }
}
