//! The layout API through a real process: `place` moves a widget where the back office says (gliding or at once), changes its place in the z-order, becomes its home after a restart, and refuses what cannot be a place.

use crate::support;

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::{KioskProcess, temp_dir};
use vitrine::remote::Framing;

fn status(v: &Value) -> &str {
    v["status"].as_str().unwrap_or("?")
}

fn widget<'a>(list: &'a Value, name: &str) -> &'a Value {
    list["widgets"]
        .as_array()
        .and_then(|a| a.iter().find(|w| w["name"] == name))
        .unwrap_or_else(|| panic!("no widget {name} in {list}"))
}

fn corners(w: &Value) -> Vec<[f64; 2]> {
    serde_json::from_value(w["corners"].clone()).unwrap()
}

fn close(a: &[[f64; 2]], b: &[[f64; 2]]) -> bool {
    a.iter()
        .zip(b)
        .all(|(p, q)| (p[0] - q[0]).abs() < 1e-6 && (p[1] - q[1]).abs() < 1e-6)
}

/// The corners of a 400×200 page placed with its centre at (cx, cy), 200
/// pixels wide, turned 90° clockwise: top-left, top-right, bottom-right,
/// bottom-left.
fn turned(cx: f64, cy: f64) -> Vec<[f64; 2]> {
    // Half size on screen: 100 × 50, the long side now vertical.
    vec![
        [cx + 50.0, cy - 100.0],
        [cx + 50.0, cy + 100.0],
        [cx - 50.0, cy + 100.0],
        [cx - 50.0, cy - 100.0],
    ]
}

/// Waits until the restart has restored `count` widgets, and lists them.
fn restored(kiosk: &KioskProcess, count: usize) -> Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let l = kiosk
            .client(Framing::V2)
            .call("listContent", json!({}))
            .unwrap();
        if l["widgets"].as_array().map_or(0, Vec::len) == count {
            return l;
        }
        assert!(Instant::now() < deadline, "no restore: {l}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn place_moves_a_widget_and_makes_it_home() {
    let state = temp_dir("layout-state").join("state");
    let cfg = format!("[state]\ndir = {:?}\n", state.display().to_string());
    let kiosk = KioskProcess::start(&cfg, &[]);
    let mut c = kiosk.client(Framing::V2);
    for name in ["a", "b"] {
        let r = c
            .call(
                "postHtml",
                json!({"name": name, "data": "<h1>Card</h1>", "width": 400, "height": 200}),
            )
            .unwrap();
        assert_eq!(status(&r), "SUCCESS", "{r}");
    }
    let rev = c.call("ping", json!({})).unwrap()["revision"].clone();
    assert_eq!(rev, json!(2));

    // At once.
    let r = c
        .call(
            "place",
            json!({"name": "a", "x": 300, "y": 180, "width": 200, "rotation": 90, "animate": false}),
        )
        .unwrap();
    assert_eq!(status(&r), "SUCCESS", "{r}");
    let list = c.call("listContent", json!({})).unwrap();
    assert!(
        close(&corners(widget(&list, "a")), &turned(300.0, 180.0)),
        "{list}"
    );
    assert_eq!(list["revision"], json!(3));

    // Gliding (the default): it comes to rest on the target.
    let r = c
        .call("place", json!({"name": "a", "x": 320, "y": 200}))
        .unwrap();
    assert_eq!(status(&r), "SUCCESS", "{r}");
    let want = turned(320.0, 200.0);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let list = c.call("listContent", json!({})).unwrap();
        if close(&corners(widget(&list, "a")), &want) {
            break;
        }
        assert!(Instant::now() < deadline, "the glide never arrived: {list}");
        std::thread::sleep(Duration::from_millis(50));
    }

    // To the back of the z-order, without moving.
    let r = c.call("place", json!({"name": "b", "z": 0})).unwrap();
    assert_eq!(status(&r), "SUCCESS", "{r}");
    let before = c.call("listContent", json!({})).unwrap();
    assert_eq!(widget(&before, "b")["z"], json!(0));
    assert_eq!(widget(&before, "a")["z"], json!(1));
    assert_eq!(c.call("whatsLoaded", json!({})).unwrap(), json!("a"));
    assert_eq!(before["revision"], json!(5));

    // What cannot be a place is refused and changes nothing.
    let r = c.call("place", json!({"name": "nope", "x": 1})).unwrap();
    assert_eq!(status(&r), "NOT_FOUND");
    assert!(c.call("place", json!({"name": "a", "scale": 0})).is_err());
    assert!(
        c.call("place", json!({"name": "a", "rotation": "left"}))
            .is_err()
    );
    assert_eq!(c.call("listContent", json!({})).unwrap(), before);

    // The places are homes: a restart puts everything back there.
    drop(c);
    drop(kiosk);
    let kiosk = KioskProcess::start(&cfg, &[]);
    let after = restored(&kiosk, 2);
    assert_eq!(after["revision"], json!(5));
    assert!(close(&corners(widget(&after, "a")), &want), "{after}");
    assert_eq!(widget(&after, "b")["z"], json!(0));
    assert_eq!(widget(&after, "a")["z"], json!(1));
}

#[test]
fn ctl_place_sends_a_place() {
    let kiosk = KioskProcess::start("[state]\nenabled = false\n", &[]);
    let mut c = kiosk.client(Framing::V2);
    let r = c
        .call(
            "postHtml",
            json!({"name": "p", "data": "<h1>P</h1>", "width": 400, "height": 200}),
        )
        .unwrap();
    assert_eq!(status(&r), "SUCCESS", "{r}");
    let out = support::ctl(
        kiosk.port,
        &[
            "place",
            "p",
            "--x",
            "300",
            "--y",
            "180",
            "--width",
            "200",
            "--rotation",
            "90",
            "--no-animate",
        ],
    );
    assert!(out.status.success(), "{out:?}");
    let list = c.call("listContent", json!({})).unwrap();
    assert!(
        close(&corners(widget(&list, "p")), &turned(300.0, 180.0)),
        "{list}"
    );
    // Without state, the revision still counts the changes.
    assert_eq!(list["revision"], json!(2));

    // Gesture switches: only dragging, then pinned; a second card comes in
    // filling the screen, at the back.
    let ctl = |args: &[&str]| {
        let out = support::ctl(kiosk.port, args);
        assert!(out.status.success(), "{args:?}: {out:?}");
    };
    ctl(&["place", "p", "--gestures", "translate"]);
    let g = &widget(&c.call("listContent", json!({})).unwrap(), "p")["gestures"].clone();
    assert_eq!(g["translate"], json!(true));
    assert_eq!(g["rotate"], json!(false));
    assert_eq!(g["scale"], json!(false));
    ctl(&["place", "p", "--pin"]);
    let g = &widget(&c.call("listContent", json!({})).unwrap(), "p")["gestures"].clone();
    assert_eq!(g["pinned"], json!(true));
    let page = temp_dir("layout-ctl").join("bg.html");
    std::fs::write(&page, "<body style='background:#123'></body>").unwrap();
    ctl(&[
        "post-html",
        "bg",
        page.to_str().unwrap(),
        "--fill",
        "screen",
    ]);
    let list = c.call("listContent", json!({})).unwrap();
    let bg = widget(&list, "bg");
    assert_eq!(bg["z"], json!(0), "{list}");
    assert_eq!(bg["gestures"]["fill"], json!("screen"));
    // The headless kiosk is 640×360: the page covers it.
    let c0 = corners(bg);
    assert!(
        c0[0][0] <= 0.0 && c0[0][1] <= 0.0 && c0[2][0] >= 640.0 && c0[2][1] >= 360.0,
        "{bg}"
    );
}

#[test]
fn a_load_can_say_where_its_content_goes() {
    let state = temp_dir("layout-load-state").join("state");
    let cfg = format!("[state]\ndir = {:?}\n", state.display().to_string());
    let kiosk = KioskProcess::start(&cfg, &[]);
    let mut c = kiosk.client(Framing::V2);
    let r = c
        .call(
            "postHtml",
            json!({"name": "p", "data": "<h1>P</h1>", "width": 400, "height": 200,
                   "placement": {"x": 300, "y": 180, "width": 200, "rotation": 90}}),
        )
        .unwrap();
    assert_eq!(status(&r), "SUCCESS", "{r}");
    let list = c.call("listContent", json!({})).unwrap();
    assert!(
        close(&corners(widget(&list, "p")), &turned(300.0, 180.0)),
        "{list}"
    );
    // New content with a placement moves the widget it replaces, and that
    // is its new home.
    let r = c
        .call(
            "postHtml",
            json!({"name": "p", "data": "<h1>Q</h1>", "width": 400, "height": 200,
                   "placement": {"x": 420}}),
        )
        .unwrap();
    assert_eq!(status(&r), "SUCCESS", "{r}");
    let before = c.call("listContent", json!({})).unwrap();
    assert!(
        close(&corners(widget(&before, "p")), &turned(420.0, 180.0)),
        "{before}"
    );
    // A placement that is not one is refused.
    for bad in [
        json!({"x": "left"}),
        json!({"scale": -1}),
        json!({"height": 3}),
        json!(7),
    ] {
        let e = c.call(
            "postHtml",
            json!({"name": "p", "data": "<h1>R</h1>", "placement": bad}),
        );
        assert!(e.is_err(), "{bad} was accepted");
    }
    drop(c);
    drop(kiosk);
    let kiosk = KioskProcess::start(&cfg, &[]);
    let after = restored(&kiosk, 1);
    assert!(
        close(&corners(widget(&after, "p")), &turned(420.0, 180.0)),
        "{after}"
    );
}
