//! A day in the store in seconds: kiosks started with `--clock` just before a boundary (the spring-forward night in Paris, a Friday's midnight) show the right layout in captures before and after it, the screen goes off on the clock, a change waits while a customer's finger is down, a schedule that cannot hold is refused whole, a retained `desired` message with a schedule is followed on time, and the attract loop runs after the idle reset until a touch that does nothing else.

use crate::support;

use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use glam::DVec2;
use serde_json::{Value, json};
use support::{KioskProcess, eventually, screenshot, signal, temp_dir, wait_for};
use vitrine::api::{Call, CallReply, CallResult, Task};
use vitrine::app::Kiosk;
use vitrine::config::Config;
use vitrine::plan::{Clock, Timestamp};
use vitrine::remote::{Client, Framing};
use vitrine::scene::Phase;
use vitrine::state::{Desired, Document};

/// The kiosk process's screen.
const SIZE: (u32, u32) = (640, 360);

/// A PNG of one colour that fills the screen, in `dir`.
fn colour(dir: &Path, name: &str, rgb: [u8; 3]) -> String {
    let path = dir.join(format!("{name}.png"));
    vitrine::pixels::Rgba8Image::filled(SIZE.0, SIZE.1, [rgb[0], rgb[1], rgb[2], 255])
        .save_png(&path)
        .unwrap();
    vitrine::content::file_uri(&path)
}

/// A layout of one full-screen widget called `name`.
fn layout(name: &str, url: &str) -> Value {
    json!({"widgets": [{
        "name": name,
        "source": {"type": "url", "url": url},
        "home": {"x": 0.0, "y": 0.0, "scale": 1.0, "rotation": 0.0},
    }]})
}

/// A desired state: `default` as the default layout, `layouts` by name,
/// and `entries` as the schedule.
fn state(default: Value, layouts: Value, entries: Value) -> Value {
    json!({
        "format": "vitrine-state",
        "version": 2,
        "state": {
            "revision": 1,
            "widgets": default["widgets"],
            "layouts": layouts,
            "schedule": {"entries": entries},
        }
    })
}

/// A kiosk process in Paris whose clock starts at `clock`, with `doc` as
/// its stored state (so it starts on the layout the time of day picks).
fn kiosk(dir: &Path, clock: &str, doc: &Value) -> KioskProcess {
    let state_dir = dir.join("state");
    std::fs::create_dir_all(&state_dir).unwrap();
    std::fs::write(state_dir.join("state.json"), doc.to_string()).unwrap();
    let config = format!(
        "[kiosk]\ntimezone = \"Europe/Paris\"\n[content]\nroots = [{:?}]\n[state]\ndir = {:?}\n",
        dir.display().to_string(),
        state_dir.display().to_string()
    );
    KioskProcess::start(&config, &["--clock", clock])
}

/// The colour at the middle of a capture.
fn middle(shot: &image::RgbaImage) -> [u8; 3] {
    let p = shot.get_pixel(shot.width() / 2, shot.height() / 2).0;
    [p[0], p[1], p[2]]
}

fn near(a: [u8; 3], b: [u8; 3]) -> bool {
    a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= 8)
}

/// The names on screen, front first.
fn shown(c: &mut Client) -> Vec<String> {
    let list = c.call("listContent", json!({})).unwrap();
    list["widgets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["name"].as_str().unwrap().to_string())
        .collect()
}

/// Waits until the screen shows exactly `names` and the schedule reports
/// `layout` (`null`: the default one); the last `ping`.
fn settle_on(c: &mut Client, names: &[&str], layout: Value) -> Value {
    let mut last = Value::Null;
    let ok = eventually(Duration::from_secs(60), || {
        last = c.call("ping", json!({})).unwrap();
        last["schedule"]["layout"] == layout && shown(c) == names
    });
    assert!(ok, "never settled on {names:?} ({layout}): {last}");
    last
}

const RED: [u8; 3] = [220, 30, 30];
const BLUE: [u8; 3] = [30, 40, 220];
const GREEN: [u8; 3] = [30, 200, 60];

/// Paris springs forward on 2027-03-28: at 02:00 the clocks read 03:00.
/// A night layout from 02:30, a time the clocks skip, starts with the
/// jump, 20 s after the start.
fn spring_forward_in_paris() {
    let dir = temp_dir("schedule-spring");
    let doc = state(
        layout("home", &colour(&dir, "red", RED)),
        json!({"night": layout("night", &colour(&dir, "blue", BLUE))}),
        json!([{"from": "02:30", "to": "05:00", "layout": "night"}]),
    );
    let kiosk = kiosk(&dir, "2027-03-28T01:59:40+01:00", &doc);
    let mut c = kiosk.client(Framing::V2);
    let before = settle_on(&mut c, &["home"], Value::Null);
    assert_eq!(
        before["schedule"]["next_change"],
        json!({"at": "2027-03-28T03:00:00+02:00", "layout": "night", "display": null}),
    );
    let shot = screenshot(&mut c);
    let still_before = c.call("ping", json!({})).unwrap();
    assert_eq!(
        still_before["schedule"]["layout"],
        Value::Null,
        "the capture came too late to be a 'before' (a very slow start): {still_before}"
    );
    assert!(near(middle(&shot), RED), "{:?}", middle(&shot));

    let after = settle_on(&mut c, &["night"], json!("night"));
    assert!(near(middle(&screenshot(&mut c)), BLUE));
    // The next change is the window's end, 05:00 summer time.
    assert_eq!(
        after["schedule"]["next_change"]["at"],
        json!("2027-03-28T05:00:00+02:00")
    );
}

/// A Friday's late layout runs past midnight to 02:00; Saturday's early
/// one, of a higher priority, takes over at midnight, and the screen is off
/// from midnight to 07:00.
fn across_midnight_with_the_screen_off() {
    let dir = temp_dir("schedule-midnight");
    let doc = state(
        layout("home", &colour(&dir, "red", RED)),
        json!({
            "late": layout("late", &colour(&dir, "green", GREEN)),
            "early": layout("early", &colour(&dir, "blue", BLUE)),
        }),
        json!([
            {"days": ["fri"], "from": "20:00", "to": "02:00", "layout": "late"},
            {"days": ["sat"], "from": "00:00", "to": "06:00", "layout": "early", "priority": 1},
            {"days": ["sat"], "from": "00:00", "to": "07:00", "display": "off"},
        ]),
    );
    // 2026-12-11 is a Friday.
    let kiosk = kiosk(&dir, "2026-12-11T23:59:40+01:00", &doc);
    let mut c = kiosk.client(Framing::V2);
    let before = settle_on(&mut c, &["late"], json!("late"));
    assert_eq!(before["display"]["power"], "on");
    assert_eq!(
        before["schedule"]["next_change"],
        json!({"at": "2026-12-12T00:00:00+01:00", "layout": "early", "display": "off"}),
    );
    assert!(near(middle(&screenshot(&mut c)), GREEN));

    let after = settle_on(&mut c, &["early"], json!("early"));
    assert!(eventually(Duration::from_secs(30), || {
        c.call("ping", json!({})).unwrap()["display"]["power"] == "off"
    }));
    let shot = screenshot(&mut c);
    assert!(
        shot.pixels().all(|p| p.0[..3] == [0, 0, 0]),
        "off shows black"
    );
    assert_eq!(
        after["schedule"]["next_change"]["at"],
        json!("2026-12-12T06:00:00+01:00")
    );
}

#[test]
fn a_day_in_seconds_shows_the_right_layout_before_and_after_each_boundary() {
    // Both kiosks run at once: each waits 20 s for its boundary.
    let spring = std::thread::spawn(spring_forward_in_paris);
    across_midnight_with_the_screen_off();
    spring.join().unwrap();
}

/// Sends one call as the remote server would, and returns its answer.
fn call(k: &mut Kiosk, call: Call) -> CallResult {
    let (tx, rx) = mpsc::channel();
    k.task(Task::Call { call, reply: tx }, None);
    rx.recv_timeout(Duration::from_secs(10))
        .expect("the call is answered")
}

fn active_layout(k: &mut Kiosk) -> Option<String> {
    match call(k, Call::ListContent) {
        Ok(CallReply::Content { schedule, .. }) => schedule.layout,
        other => panic!("{other:?}"),
    }
}

/// A kiosk in this process with its files in `dir`, reading the clock in
/// UTC, resetting after `idle` with no touch, and no throws.
fn local_kiosk(dir: &Path, idle: Duration) -> (Kiosk, std::sync::Arc<vitrine::wake::Signal>) {
    let mut config = Config::default();
    config.content.roots = vec![dir.to_path_buf()];
    config.kiosk.idle_reset = idle;
    config.kiosk.timezone = "UTC".into();
    config.scatter.inertia = false;
    let s = signal();
    (Kiosk::new(config, SIZE, s.clone()), s)
}

/// Applies `doc` with `setState`, as the remote server would.
fn apply(k: &mut Kiosk, doc: Value) {
    let reply = call(
        k,
        Call::SetState {
            document: Box::new(desired(doc)),
        },
    );
    assert!(
        matches!(reply, Ok(CallReply::Applied { applied: true, .. })),
        "{reply:?}"
    );
}

fn desired(doc: Value) -> Desired {
    serde_json::from_value::<Document>(doc)
        .unwrap()
        .into_checked()
        .unwrap()
}

#[test]
fn a_boundary_during_a_touch_session_waits_until_the_customer_leaves() {
    let dir = temp_dir("schedule-session");
    let (mut k, s) = local_kiosk(&dir, Duration::from_secs(1));
    // Noon comes 10 s after this.
    let start: Timestamp = "2026-12-07T11:59:50Z".parse().unwrap();
    let t0 = Instant::now();
    k.set_clock(Clock::starting_at(start, Timestamp::now()));
    let doc = state(
        layout("home", &colour(&dir, "red", RED)),
        json!({"noon": layout("noon", &colour(&dir, "blue", BLUE))}),
        json!([{"from": "12:00", "to": "13:00", "layout": "noon"}]),
    );
    apply(&mut k, doc);
    wait_for(&mut k, &s, "home", |k| k.scene().by_name("home").is_some());

    // A finger goes down before noon and stays past it.
    assert!(
        t0.elapsed() < Duration::from_secs(9),
        "the home layout took too long to load to test a boundary after it"
    );
    assert_eq!(active_layout(&mut k), None);
    k.touch(7, Phase::Start, DVec2::new(320.0, 180.0));
    let held_until = t0 + Duration::from_secs(13);
    while Instant::now() < held_until {
        k.touch(7, Phase::Move, DVec2::new(321.0, 181.0));
        k.pump();
        s.wait(Some(Duration::from_millis(50)));
    }
    assert_eq!(active_layout(&mut k), None, "the customer keeps the screen");
    assert!(k.scene().by_name("home").is_some());
    assert!(k.scene().by_name("noon").is_none());

    // The finger lifts: once the kiosk is idle (1 s), noon's layout comes.
    k.touch(7, Phase::End, DVec2::new(321.0, 181.0));
    wait_for(&mut k, &s, "noon's layout", |k| {
        k.scene().by_name("noon").is_some() && k.scene().by_name("home").is_none()
    });
    assert_eq!(active_layout(&mut k).as_deref(), Some("noon"));
}

#[test]
fn a_schedule_that_cannot_hold_is_refused_whole_with_its_reason() {
    let dir = temp_dir("schedule-refused");
    let kiosk = KioskProcess::start(
        &format!(
            "[content]\nroots = [{:?}]\n[schedule]\nmax_layouts = 1\n",
            dir.display().to_string()
        ),
        &["--no-state"],
    );
    let mut c = kiosk.client(Framing::V2);
    let url = colour(&dir, "red", RED);
    // Refused by the protocol (an error), or by the kiosk's own bounds (a
    // failed call): either way with the reason, and nothing applied.
    let refused = |c: &mut Client, doc: Value| match c.call("setState", doc) {
        Err(e) => e.to_string(),
        Ok(v) => {
            assert_eq!(v["status"], "LOAD_FAILED", "{v}");
            v["message"].as_str().unwrap().to_string()
        }
    };
    let cases = [
        (
            state(
                layout("a", &url),
                json!({}),
                json!([{"from": "07:00", "to": "08:00", "layout": "gone"}]),
            ),
            "\"gone\"",
        ),
        (
            state(
                layout("a", &url),
                json!({"x": layout("b", &url)}),
                json!([
                    {"from": "07:00", "to": "09:00", "layout": "x"},
                    {"from": "08:00", "to": "10:00", "layout": "x"},
                ]),
            ),
            "same priority",
        ),
        (
            state(
                layout("a", &url),
                json!({"x": layout("b", &url)}),
                json!([{"from": "07:00", "to": "07:00", "layout": "x"}]),
            ),
            "empty window",
        ),
        (
            {
                let mut d = state(layout("a", &url), json!({}), json!([]));
                d["state"]["schedule"]["timezone"] = json!("Mars/Olympus");
                d
            },
            "Mars/Olympus",
        ),
        (
            state(
                layout("a", &url),
                json!({"x": layout("b", &url), "y": layout("c", &url)}),
                json!([]),
            ),
            "schedule.max_layouts (1)",
        ),
    ];
    for (doc, why) in cases {
        let whole = refused(&mut c, doc);
        assert!(whole.contains(why), "{why}: {whole}");
    }
    // Nothing was applied: the kiosk is still at revision 0.
    assert_eq!(c.call("ping", json!({})).unwrap()["revision"], 0);
}

/// A schedule in a retained `desired` message reaches a kiosk that was
/// offline when it was published, and it changes layout at the right time
/// (told through the fleet's status too).
#[test]
fn a_schedule_in_a_retained_desired_message_is_followed_on_time() {
    use support::mqtt::{Backoffice, Broker};
    let dir = temp_dir("schedule-fleet");
    let broker = Broker::start();
    let office = Backoffice::connect(&broker, "office-schedule");
    let mut doc = state(
        layout("home", &colour(&dir, "red", RED)),
        json!({"evening": layout("evening", &colour(&dir, "blue", BLUE))}),
        json!([{"days": ["mon"], "from": "18:00", "to": "22:00", "layout": "evening"}]),
    );
    doc["state"]["schedule"]["timezone"] = json!("Europe/Paris");
    // Published while the kiosk is down.
    office.publish("vitrine/ks/desired", doc.to_string(), true);
    std::thread::sleep(Duration::from_millis(300));
    let config = format!(
        "[fleet]\nenabled = true\nbroker = {url:?}\nkiosk_id = \"ks\"\nreconnect_max = \"2s\"\n\
         [kiosk]\ntimezone = \"UTC\"\n[content]\nroots = [{roots:?}]\n[state]\ndir = {state:?}\n",
        url = broker.url(),
        roots = dir.display().to_string(),
        state = dir.join("state").display().to_string(),
    );
    // 2026-12-07 is a Monday: 18:00 in Paris (the document's zone, not the
    // kiosk's UTC) is 20 s after the start.
    let kiosk = KioskProcess::start(&config, &["--clock", "2026-12-07T17:59:40+01:00"]);
    let before = office.status("ks", "showing home, evening next", |v| {
        v["revision"] == 1 && v["shown"] == json!(["home"]) && v["schedule"]["layout"].is_null()
    });
    assert_eq!(
        before["schedule"]["next_change"]["at"],
        "2026-12-07T18:00:00+01:00"
    );
    let mut c = kiosk.client(Framing::V2);
    assert!(near(middle(&screenshot(&mut c)), RED));
    office.status("ks", "showing the evening layout", |v| {
        v["shown"] == json!(["evening"]) && v["schedule"]["layout"] == "evening"
    });
    assert!(near(middle(&screenshot(&mut c)), BLUE));
    let kept = c.call("getState", json!({})).unwrap();
    assert_eq!(kept["state"]["schedule"], doc["state"]["schedule"]);
}

#[test]
fn the_attract_loop_runs_after_the_idle_reset_and_the_first_touch_only_dismisses_it() {
    let dir = temp_dir("schedule-attract");
    let (mut k, s) = local_kiosk(&dir, Duration::from_secs(1));
    let mut doc = state(
        layout("home", &colour(&dir, "red", RED)),
        json!({"loop": layout("promo", &colour(&dir, "blue", BLUE))}),
        json!([]),
    );
    doc["state"]["attract"] = json!("loop");
    apply(&mut k, doc);
    wait_for(&mut k, &s, "home", |k| k.scene().by_name("home").is_some());
    let home = k.scene().by_name("home").unwrap().corners();

    // A customer drags, then leaves: after the idle reset, the loop runs.
    k.touch(1, Phase::Start, DVec2::new(300.0, 200.0));
    k.touch(1, Phase::Move, DVec2::new(350.0, 220.0));
    k.touch(1, Phase::End, DVec2::new(350.0, 220.0));
    wait_for(&mut k, &s, "the attract loop", |k| {
        k.scene().by_name("promo").is_some() && k.scene().by_name("home").is_none()
    });
    assert_eq!(active_layout(&mut k).as_deref(), Some("loop"));

    // The next finger dismisses it and does nothing else, even as it moves
    // over the home layout coming back.
    let mut at = DVec2::new(100.0, 100.0);
    k.touch(2, Phase::Start, at);
    wait_for(&mut k, &s, "the home layout back", |k| {
        at += DVec2::new(1.0, 0.5);
        k.touch(2, Phase::Move, at);
        k.scene().by_name("home").is_some() && k.scene().by_name("promo").is_none()
    });
    for _ in 0..20 {
        at += DVec2::new(5.0, 3.0);
        k.touch(2, Phase::Move, at);
        k.pump();
    }
    assert_eq!(
        k.scene().finger_count(),
        0,
        "the dismissing finger never reached the scene"
    );
    k.touch(2, Phase::End, at);
    k.pump();
    assert_eq!(active_layout(&mut k), None);
    let back = k.scene().by_name("home").unwrap().corners();
    assert!(
        home.iter().zip(back).all(|(a, b)| (*a - b).length() < 1e-6),
        "the dismissing finger moved nothing: {home:?} {back:?}"
    );

    // The dismissal counts as someone at the screen: a second later the
    // loop runs again. Reading the kiosk leaves it be; a change from the
    // back office brings the interactive layout back first.
    wait_for(&mut k, &s, "the attract loop again", |k| {
        k.scene().by_name("promo").is_some() && k.scene().by_name("home").is_none()
    });
    assert_eq!(active_layout(&mut k).as_deref(), Some("loop"));
    assert!(call(&mut k, Call::GetState).is_ok());
    assert_eq!(active_layout(&mut k).as_deref(), Some("loop"));
    let hidden = call(&mut k, Call::HideBackdrop);
    assert!(hidden.is_ok(), "{hidden:?}");
    assert_eq!(active_layout(&mut k), None);
    wait_for(&mut k, &s, "home back for the back office", |k| {
        k.scene().by_name("home").is_some() && k.scene().by_name("promo").is_none()
    });
}

/// The documents in docs/schedule.md are ones the kiosk takes.
#[test]
fn the_documented_examples_are_valid_documents() {
    let text = std::fs::read_to_string(support::repo().join("docs/schedule.md")).unwrap();
    let examples: Vec<&str> = text
        .split("```json\n")
        .skip(1)
        .filter_map(|b| b.split("\n```").next())
        .filter(|b| b.starts_with(r#"{"format""#))
        .collect();
    assert!(examples.len() >= 2, "{examples:?}");
    for e in examples {
        let doc: Document = serde_json::from_str(e).unwrap_or_else(|err| panic!("{err}: {e}"));
        assert_eq!(doc.version, 2);
        let d = doc
            .into_checked()
            .unwrap_or_else(|err| panic!("{err}: {e}"));
        assert!(!d.layouts.is_empty());
    }
}

/// A widget in both layouts stays on screen (the same widget, not loaded
/// again) and glides to its home in the new one; the others come and go.
#[test]
fn a_widget_in_both_layouts_stays_and_glides_to_its_new_home() {
    let dir = temp_dir("schedule-glide");
    let (mut k, s) = local_kiosk(&dir, Duration::from_secs(90));
    let start: Timestamp = "2026-12-07T11:59:59Z".parse().unwrap();
    k.set_clock(Clock::starting_at(start, Timestamp::now()));
    let logo = colour(&dir, "logo", GREEN);
    let placed = |name: &str, url: &str, x: f64| {
        json!({"name": name, "source": {"type": "url", "url": url},
               "home": {"x": x, "y": 20.0, "scale": 0.25, "rotation": 0.0}})
    };
    let doc = json!({"format": "vitrine-state", "version": 2, "state": {
        "revision": 1,
        "widgets": [placed("logo", &logo, 10.0), placed("morning", &colour(&dir, "red", RED), 300.0)],
        "layouts": {"noon": {"widgets": [placed("logo", &logo, 400.0), placed("lunch", &colour(&dir, "blue", BLUE), 100.0)]}},
        "schedule": {"entries": [{"from": "12:00", "to": "13:00", "layout": "noon"}]},
    }});
    apply(&mut k, doc);
    wait_for(&mut k, &s, "the morning", |k| {
        k.scene().by_name("logo").is_some() && k.scene().by_name("morning").is_some()
    });
    let id = k.scene().by_name("logo").unwrap().id();
    assert_eq!(
        k.scene().by_name("logo").unwrap().transform().translation.x,
        10.0
    );
    wait_for(&mut k, &s, "noon's layout", |k| {
        k.scene().by_name("lunch").is_some() && k.scene().by_name("morning").is_none()
    });
    let logo_now = k.scene().by_name("logo").unwrap();
    assert_eq!(logo_now.id(), id, "the logo stayed: the same widget");
    wait_for(&mut k, &s, "the logo at its noon home", |k| {
        // The window loop advances glides with each frame.
        let now = k.now();
        k.advance(now);
        let x = k.scene().by_name("logo").unwrap().transform().translation.x;
        (x - 400.0).abs() < 1e-6
    });
}
