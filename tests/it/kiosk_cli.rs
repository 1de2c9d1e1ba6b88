//! The kiosk binary end to end: headless screenshots, a real window under Xvfb, the no-display fallback, and idle frames.

use crate::support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use vitrine::pixels::Rgba8Image;

/// The binary with a clean environment (`support::vitrine`), logging at
/// info.
fn vitrine() -> Command {
    let mut c = support::vitrine();
    c.env("RUST_LOG", "info");
    c
}

fn out_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vitrine-kiosk-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(mut c: Command) -> Output {
    let out = c.output().expect("the vitrine binary runs");
    assert!(
        out.status.success(),
        "vitrine failed ({:?}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn load_png(path: &Path) -> Rgba8Image {
    Rgba8Image::from_image(image::open(path).expect("a PNG was written").into_rgba8())
}

/// Whether an image has real content: many distinct colours.
fn distinct_colours(img: &Rgba8Image) -> usize {
    let mut seen = std::collections::HashSet::new();
    for p in img.pixels().chunks_exact(4).step_by(7) {
        seen.insert([p[0], p[1], p[2]]);
    }
    seen.len()
}

/// A number from the "stopped frames=N video_decoded=N …" log line.
fn stat(out: &Output, key: &str) -> u64 {
    let err = String::from_utf8_lossy(&out.stderr);
    let line = err
        .lines()
        .rev()
        .find(|l| l.contains("stopped"))
        .expect("a stopped line");
    let n = line
        .split(&format!(" {key}="))
        .nth(1)
        .expect("the number in the stopped line");
    n.split_whitespace()
        .next()
        .unwrap()
        .parse()
        .expect("a number")
}

fn frames(out: &Output) -> u64 {
    stat(out, "frames")
}

fn xvfb() -> Command {
    let found = Command::new("sh")
        .args(["-c", "command -v xvfb-run"])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "the real-window tests need xvfb-run: apt-get install xvfb xauth"
    );
    let mut c = Command::new("xvfb-run");
    c.args([
        "-a",
        "-s",
        "-screen 0 1280x720x24",
        env!("CARGO_BIN_EXE_vitrine"),
    ])
    .env("RUST_LOG", "info")
    .env_remove("VITRINE_CONFIG")
    .env_remove("STATE_DIRECTORY")
    .env("XDG_STATE_HOME", support::temp_dir("kiosk-cli-state"));
    c
}

#[test]
fn headless_screenshot_of_the_demo() {
    let png = out_dir("headless").join("demo.png");
    let mut c = vitrine();
    c.args(["--headless", "--size", "640x360", "--screenshot"])
        .arg(&png);
    run(c);
    let img = load_png(&png);
    assert_eq!((img.width(), img.height()), (640, 360));
    assert!(distinct_colours(&img) > 200, "the demo is drawn");
}

#[test]
fn no_display_falls_back_to_headless() {
    let png = out_dir("nodisplay").join("shot.png");
    let mut c = vitrine();
    c.env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .args(["--size", "320x200", "--after", "0.2s", "--screenshot"])
        .arg(&png);
    let out = run(c);
    assert!(String::from_utf8_lossy(&out.stderr).contains("no display"));
    assert_eq!(load_png(&png).width(), 320);
}

#[test]
fn a_real_window_under_xvfb_renders_the_demo() {
    let png = out_dir("window").join("window.png");
    let mut c = xvfb();
    c.arg("--screenshot").arg(&png);
    let out = run(c);
    assert!(String::from_utf8_lossy(&out.stderr).contains("window open"));
    let img = load_png(&png);
    // Fullscreen on the 1280x720 virtual screen.
    assert_eq!((img.width(), img.height()), (1280, 720));
    assert!(distinct_colours(&img) > 200, "the demo is drawn");
}

#[test]
fn a_headless_kiosk_draws_only_when_pixels_are_asked_for() {
    let mut c = vitrine();
    c.args(["--headless", "--size", "320x200", "--exit-after", "3s"]);
    assert_eq!(frames(&run(c)), 0, "no screenshot, no frames");
    let png = out_dir("one-frame").join("shot.png");
    let mut c = vitrine();
    c.args([
        "--headless",
        "--size",
        "320x200",
        "--after",
        "1s",
        "--screenshot",
    ])
    .arg(&png);
    assert_eq!(frames(&run(c)), 1, "one screenshot, one frame");
}

#[test]
fn a_video_plays_headless_in_real_time() {
    let dir = out_dir("headless-video");
    let config = dir.join("autoplay.toml");
    std::fs::write(&config, "[video]\nautoplay = true\n").unwrap();
    let clip = crate::support::repo().join("assets/demo/clip.webm");
    let mut c = vitrine();
    c.arg("--config").arg(&config);
    c.args([
        "--headless",
        "--size",
        "320x200",
        "--exit-after",
        "3s",
        "--load",
    ])
    .arg(&clip);
    let out = run(c);
    // 24 fps for about three seconds would be 72; a pipeline that stalls
    // after its preroll decodes one. A third of real time still passes on
    // a machine loaded by other tests.
    let decoded = stat(&out, "video_decoded");
    assert!(decoded >= 24, "{decoded} frames decoded");
}

#[test]
fn an_idle_window_draws_no_frames() {
    // One still image: a frame to start, one when it arrives, and perhaps
    // one for an expose from the X server; then nothing for three seconds.
    // A loop that redraws continuously would draw well over a hundred.
    let image = crate::support::repo().join("assets/demo/poster.png");
    let mut c = xvfb();
    c.args([
        "--windowed",
        "--size",
        "320x200",
        "--no-remote",
        "--exit-after",
        "3s",
        "--load",
    ])
    .arg(&image);
    let out = run(c);
    let n = frames(&out);
    assert!((1..=4).contains(&n), "{n} frames");
}

#[test]
fn a_bad_size_is_a_usage_error() {
    let out = vitrine()
        .args(["--headless", "--size", "big"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
