//! Playlist benchmark: the CPU one transition costs. A kiosk in this process (with the headless renderer, so each item's texture is uploaded as on screen) runs a full-screen playlist of four 1280x720 pictures at 0.2 s each, with a cut and with a crossfade, and the same loop with a one-item playlist (no transitions) as the baseline; the difference in the process's CPU time, divided by the transitions, is what a transition costs: loading and decoding the next item off screen, its upload, the swap and the fade's end.
//!
//! `cargo bench --bench playlist` runs 10 s per case; run by `cargo test
//! --benches`, it does a short smoke run instead. Frames are not drawn:
//! a frame costs the same with or without a playlist.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use vitrine::api::{Call, CallReply, Task};
use vitrine::app::Kiosk;
use vitrine::config::Config;
use vitrine::render::{RenderOptions, Renderer};
use vitrine::state::Document;
use vitrine::wake::Signal;

fn picture(dir: &std::path::Path, i: usize) -> String {
    let path = dir.join(format!("p{i}.png"));
    let shade = (40 + 50 * i) as u8;
    vitrine::pixels::Rgba8Image::filled(1280, 720, [shade, 255 - shade, 90, 255])
        .save_png(&path)
        .expect("the picture is written");
    vitrine::content::file_uri(&path)
}

/// The process's CPU time (user and system) so far.
fn cpu() -> Duration {
    // SAFETY: getrusage writes one plain struct that we own.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: RUSAGE_SELF with a valid pointer to that struct.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return Duration::ZERO;
    }
    let t = |tv: libc::timeval| {
        Duration::from_secs(tv.tv_sec as u64) + Duration::from_micros(tv.tv_usec as u64)
    };
    t(usage.ru_utime) + t(usage.ru_stime)
}

/// Runs `items` as the playlist of a fresh kiosk for `length`; the CPU
/// time it took and the transitions it made.
fn run(
    renderer: &mut Renderer,
    items: Value,
    transition: &str,
    length: Duration,
) -> (Duration, u32) {
    let mut config = Config::default();
    config.kiosk.idle_reset = Duration::ZERO;
    config.content.roots = vec![std::env::temp_dir()];
    let signal = Arc::new(Signal::default());
    let mut kiosk = Kiosk::new(config, (1280, 720), signal.clone());
    let doc = json!({"format": "vitrine-state", "version": 2, "state": {"revision": 1, "widgets": [{
        "name": "show",
        "source": {"type": "playlist", "transition": transition, "items": items},
        "home": {"x": 0.0, "y": 0.0, "scale": 1.0, "rotation": 0.0},
        "gestures": {"fill": "screen"},
    }]}});
    let desired = serde_json::from_value::<Document>(doc)
        .expect("a document")
        .into_checked()
        .expect("a valid document");
    let (tx, rx) = std::sync::mpsc::channel();
    let call = Call::SetState {
        document: Box::new(desired),
    };
    kiosk.task(Task::Call { call, reply: tx }, None);
    let applied = rx.recv_timeout(Duration::from_secs(10));
    assert!(
        matches!(applied, Ok(Ok(CallReply::Applied { applied: true, .. }))),
        "{applied:?}"
    );
    // Until the first item is on screen: not counted.
    let deadline = Instant::now() + Duration::from_secs(30);
    while kiosk.scene().by_name("show").is_none() {
        kiosk.pump();
        assert!(Instant::now() < deadline, "the playlist never showed");
        signal.wait(Some(Duration::from_millis(5)));
    }
    let (start, cpu0) = (Instant::now(), cpu());
    let mut last = kiosk.url_of("show");
    let mut transitions = 0;
    while start.elapsed() < length {
        kiosk.pump();
        kiosk.advance(kiosk.now());
        kiosk.sync_textures(renderer);
        let now = kiosk.url_of("show");
        if now != last {
            transitions += 1;
            last = now;
        }
        // A 60 Hz loop's pace.
        signal.wait(Some(Duration::from_millis(16)));
    }
    (cpu().saturating_sub(cpu0), transitions)
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let length = if full {
        Duration::from_secs(10)
    } else {
        Duration::from_millis(1500)
    };
    let mut renderer = match Renderer::headless(&RenderOptions::default()) {
        Ok(r) => r,
        Err(e) => panic!("the playlist benchmark needs a GPU adapter: {e}"),
    };
    let dir = std::env::temp_dir().join(format!("vitrine-bench-playlist-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a folder for the pictures");
    let urls: Vec<String> = (0..4).map(|i| picture(&dir, i)).collect();
    let items = |n: usize| -> Value {
        json!(
            urls[..n]
                .iter()
                .map(|u| json!({"url": u, "seconds": 0.2}))
                .collect::<Vec<_>>()
        )
    };
    let (base, _) = run(&mut renderer, items(1), "cut", length);
    println!(
        "playlist benchmark: four 1280x720 pictures at 0.2 s each, {:.1} s per case, adapter {}",
        length.as_secs_f64(),
        renderer.gpu().adapter_name()
    );
    println!(
        "  baseline (one item, no transition): {:.1} ms of CPU per second",
        base.as_secs_f64() * 1e3 / length.as_secs_f64()
    );
    for transition in ["cut", "crossfade"] {
        let (spent, n) = run(&mut renderer, items(4), transition, length);
        assert!(n > 0, "no transition in {length:?}");
        let per = spent.saturating_sub(base).as_secs_f64() * 1e3 / f64::from(n);
        println!("  {transition:9}: {n} transitions, {per:.1} ms of CPU each");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
