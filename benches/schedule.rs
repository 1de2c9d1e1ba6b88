//! Schedule benchmark: from a boundary to the new layout on screen. A kiosk in this process with two layouts of full-screen pictures (each change loads the other's picture, decoded again; its file is in the OS's cache) has its clock moved across a boundary; the time until the new layout's widget is in the scene and the old one gone, p50/p99.
//!
//! `cargo bench --bench schedule` runs 200 changes; run by `cargo test
//! --benches`, it does a short smoke run instead. The frame that then
//! draws the change is not counted (one frame: at most 16.7 ms at 60 Hz).

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;
use vitrine::api::{Call, CallReply, Task};
use vitrine::app::Kiosk;
use vitrine::config::Config;
use vitrine::plan::{Clock, Timestamp};
use vitrine::state::Document;
use vitrine::wake::Signal;

fn picture(dir: &std::path::Path, name: &str, rgb: [u8; 3]) -> String {
    let path = dir.join(format!("{name}.png"));
    vitrine::pixels::Rgba8Image::filled(1280, 720, [rgb[0], rgb[1], rgb[2], 255])
        .save_png(&path)
        .expect("the picture is written");
    vitrine::content::file_uri(&path)
}

fn layout(name: &str, url: &str) -> serde_json::Value {
    json!({"widgets": [{"name": name, "source": {"type": "url", "url": url},
        "home": {"x": 0.0, "y": 0.0, "scale": 1.0, "rotation": 0.0}}]})
}

fn pick(lat: &[Duration], q: f64) -> f64 {
    let i = ((lat.len() as f64 * q) as usize).min(lat.len().saturating_sub(1));
    lat.get(i).map_or(0.0, |d| d.as_secs_f64() * 1e3)
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let n = if full { 200 } else { 6 };
    let dir = std::env::temp_dir().join(format!("vitrine-bench-schedule-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a folder for the pictures");
    let mut config = Config::default();
    config.content.roots = vec![dir.clone()];
    config.kiosk.timezone = "UTC".into();
    config.kiosk.idle_reset = Duration::ZERO;
    let signal = Arc::new(Signal::default());
    let mut kiosk = Kiosk::new(config, (1280, 720), signal.clone());
    let doc = json!({"format": "vitrine-state", "version": 2, "state": {
        "revision": 1,
        "widgets": layout("day", &picture(&dir, "day", [200, 40, 40]))["widgets"],
        "layouts": {"noon": layout("noon", &picture(&dir, "noon", [40, 40, 200]))},
        "schedule": {"entries": [{"from": "12:00", "to": "13:00", "layout": "noon"}]},
    }});
    let desired = serde_json::from_value::<Document>(doc)
        .expect("a document")
        .into_checked()
        .expect("a valid document");
    let (tx, rx) = std::sync::mpsc::channel();
    kiosk.task(
        Task::Call {
            call: Call::SetState {
                document: Box::new(desired),
            },
            reply: tx,
        },
        None,
    );
    let applied = rx.recv_timeout(Duration::from_secs(10));
    assert!(
        matches!(applied, Ok(Ok(CallReply::Applied { applied: true, .. }))),
        "{applied:?}"
    );
    let shows = |k: &Kiosk, on: &str, off: &str| {
        k.scene().by_name(on).is_some() && k.scene().by_name(off).is_none()
    };
    let mut lat = Vec::with_capacity(n);
    // The first change to each is not counted: the decoder threads warm up.
    for i in 0..n + 2 {
        let (at, on, off) = if i % 2 == 0 {
            ("2026-12-07T12:30:00Z", "noon", "day")
        } else {
            ("2026-12-07T13:30:00Z", "day", "noon")
        };
        let at: Timestamp = at.parse().expect("an instant");
        let start = Instant::now();
        kiosk.set_clock(Clock::starting_at(at, Timestamp::now()));
        let deadline = start + Duration::from_secs(30);
        loop {
            kiosk.pump();
            if shows(&kiosk, on, off) {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the layout never changed to {on}"
            );
            signal.wait(Some(Duration::from_millis(1)));
        }
        if i >= 2 {
            lat.push(start.elapsed());
        }
    }
    lat.sort();
    println!(
        "schedule benchmark: {n} boundaries, each to a layout of a 1280x720 picture not on screen"
    );
    println!(
        "  boundary to the new layout in the scene  p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        pick(&lat, 0.5),
        pick(&lat, 0.99),
        pick(&lat, 1.0)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
