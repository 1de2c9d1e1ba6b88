//! A store's day at its edges: a boundary that a customer holds past `schedule.max_defer` comes anyway, and a kiosk that restarts inside an "off" window comes back dark, while a manager's `display on` inside the window outlasts a crash.

use crate::support;

use std::path::Path;
use std::time::{Duration, Instant};

use glam::DVec2;
use serde_json::{Value, json};
use support::{KioskProcess, eventually, signal, temp_dir};
use vitrine::api::{Call, CallReply, Task};
use vitrine::app::Kiosk;
use vitrine::config::Config;
use vitrine::plan::{Clock, Timestamp};
use vitrine::remote::Framing;
use vitrine::scene::Phase;
use vitrine::state::Document;

/// A picture of one colour, as a `file://` URL.
fn picture(dir: &Path, name: &str) -> String {
    let path = dir.join(format!("{name}.png"));
    vitrine::pixels::Rgba8Image::filled(64, 36, [90, 90, 200, 255])
        .save_png(&path)
        .unwrap();
    vitrine::content::file_uri(&path)
}

fn widget(name: &str, url: &str) -> Value {
    json!({"name": name, "source": {"type": "url", "url": url},
           "home": {"x": 0.0, "y": 0.0, "scale": 1.0, "rotation": 0.0}})
}

#[test]
fn a_boundary_held_past_max_defer_comes_though_the_finger_stays() {
    let dir = temp_dir("schedule-max-defer");
    let mut config = Config::default();
    config.content.roots = vec![dir.clone()];
    config.kiosk.timezone = "UTC".into();
    config.kiosk.idle_reset = Duration::from_secs(600);
    config.schedule.max_defer = Duration::from_secs(3);
    config.scatter.inertia = false;
    let s = signal();
    let mut k = Kiosk::new(config, (640, 360), s.clone());
    // Noon comes 6 s after this.
    let start: Timestamp = "2026-12-07T11:59:54Z".parse().unwrap();
    k.set_clock(Clock::starting_at(start, Timestamp::now()));
    let t0 = Instant::now();
    let doc = json!({"format": "vitrine-state", "version": 2, "state": {"revision": 1,
        "widgets": [widget("home", &picture(&dir, "home"))],
        "layouts": {"noon": {"widgets": [widget("noon", &picture(&dir, "noon"))]}},
        "schedule": {"entries": [{"from": "12:00", "to": "13:00", "layout": "noon"}]}}});
    let document = serde_json::from_value::<Document>(doc)
        .unwrap()
        .into_checked()
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    k.task(
        Task::Call {
            call: Call::SetState {
                document: Box::new(document),
            },
            reply: tx,
        },
        None,
    );
    assert!(matches!(
        rx.recv_timeout(Duration::from_secs(10)),
        Ok(Ok(CallReply::Applied { applied: true, .. }))
    ));
    support::wait_for(&mut k, &s, "home", |k| k.scene().by_name("home").is_some());
    assert!(
        t0.elapsed() < Duration::from_secs(5),
        "home took too long to load to test noon"
    );

    // A finger goes down before noon and never lifts.
    k.touch(7, Phase::Start, DVec2::new(320.0, 180.0));
    let noon = t0 + Duration::from_secs(6);
    let mut at_noon_plus_one = None;
    let mut changed_at = None;
    let deadline = t0 + Duration::from_secs(30);
    while Instant::now() < deadline && changed_at.is_none() {
        k.touch(7, Phase::Move, DVec2::new(321.0, 181.0));
        k.pump();
        let now = Instant::now();
        if now >= noon + Duration::from_secs(1) && at_noon_plus_one.is_none() {
            at_noon_plus_one = Some(k.scene().by_name("home").is_some());
        }
        if k.scene().by_name("noon").is_some() {
            changed_at = Some(now);
        }
        s.wait(Some(Duration::from_millis(50)));
    }
    assert_eq!(
        at_noon_plus_one,
        Some(true),
        "the customer kept the screen past noon"
    );
    let changed_at = changed_at.expect("noon's layout came though the finger stayed");
    assert!(
        changed_at >= noon + Duration::from_secs(3),
        "it waited max_defer (3 s) first"
    );
    assert_eq!(k.scene().finger_count(), 1, "the finger is still down");
}

/// A kiosk in Paris with `doc` stored and its clock at `clock`.
fn kiosk(dir: &Path, doc: &Value, clock: &str) -> KioskProcess {
    let state = dir.join("state");
    std::fs::create_dir_all(&state).unwrap();
    std::fs::write(state.join("state.json"), doc.to_string()).unwrap();
    let config = format!(
        "[kiosk]\ntimezone = \"Europe/Paris\"\n[content]\nroots = [{:?}]\n[state]\ndir = {:?}\n",
        dir.display().to_string(),
        state.display().to_string()
    );
    KioskProcess::start(&config, &["--clock", clock])
}

fn power(c: &mut vitrine::remote::Client) -> Value {
    c.call("ping", json!({})).unwrap()["display"]["power"].clone()
}

#[test]
fn a_restart_inside_an_off_window_comes_back_dark_and_a_managers_on_outlasts_a_crash() {
    let dir = temp_dir("schedule-off-restart");
    let doc = json!({"format": "vitrine-state", "version": 2, "state": {"revision": 1,
        "widgets": [widget("home", &picture(&dir, "home"))],
        "schedule": {"entries": [{"from": "22:00", "to": "07:00", "display": "off"}]}}});
    // 23:00: inside the window, and the kiosk never saw it begin.
    let mut first = kiosk(&dir, &doc, "2026-12-07T23:00:00+01:00");
    let mut c = first.client(Framing::V2);
    assert!(
        eventually(Duration::from_secs(30), || power(&mut c) == "off"),
        "dark at 23:00"
    );
    // A manager turns it on for the night's stocktake.
    let r = c.call("display", json!({"power": "on"})).unwrap();
    assert_eq!(r["status"], "SUCCESS", "{r}");
    assert_eq!(power(&mut c), "on");
    let _ = std::process::Command::new("kill")
        .args(["-9", &first.pid().to_string()])
        .status();
    assert!(eventually(Duration::from_secs(10), || !first.alive()));
    // Back a few minutes later, still inside the window: the manager's on
    // holds, since the schedule has said nothing new.
    let second = kiosk(&dir, &doc, "2026-12-07T23:05:00+01:00");
    let mut c = second.client(Framing::V2);
    assert!(eventually(Duration::from_secs(30), || {
        c.call("listContent", json!({})).unwrap()["widgets"][0]["name"] == "home"
    }));
    assert_eq!(power(&mut c), "on", "the manager's on outlasts the crash");
    assert_eq!(
        c.call("ping", json!({})).unwrap()["schedule"]["next_change"]["at"],
        "2026-12-08T07:00:00+01:00"
    );
}
