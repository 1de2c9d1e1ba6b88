//! Touch analytics from a scripted session through a real TUIO port (two taps, a drag, a pinch, a video played to its end): `stats` counts exactly what the scene recognised and the `touched` events said; the counters survive `kill -9` once saved; a reset is durable before it is acknowledged; `vitrine ctl stats --csv` writes them.

use crate::support;

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::tuio::Sender;
use support::{KioskProcess, make_clip, temp_dir};
use vitrine::remote::Framing;

fn config(dir: &Path) -> String {
    format!(
        "[content]\nroots = [{root:?}]\n[state]\ndir = {state:?}\n[scatter]\ninertia = false\n\
         [video]\nend = \"pause\"\n[analytics]\nsave_interval = \"200ms\"\n",
        root = dir.display().to_string(),
        state = dir.join("state").display().to_string(),
    )
}

fn widget<'a>(stats: &'a Value, name: &str) -> &'a Value {
    stats["widgets"]
        .as_array()
        .and_then(|a| a.iter().find(|w| w["name"] == name))
        .unwrap_or_else(|| panic!("no {name} in {stats}"))
}

/// The counters that matter here, as a tuple.
fn counts(w: &Value) -> [u64; 6] {
    [
        "touches",
        "taps",
        "drags",
        "pinches",
        "video_plays",
        "video_views",
    ]
    .map(|k| w[k].as_u64().unwrap_or_else(|| panic!("{k} in {w}")))
}

#[test]
fn a_scripted_session_is_counted_as_the_scene_saw_it_and_survives_a_crash() {
    let dir = temp_dir("stats");
    vitrine::pixels::Rgba8Image::filled(200, 100, [200, 50, 50, 255])
        .save_png(&dir.join("pic.png"))
        .unwrap();
    let clip = make_clip(&dir, "clip.webm", "ball", 20, 20, (160, 90));
    let cfg = config(&dir);
    let kiosk = KioskProcess::start(&cfg, &["--tuio-port", "0"]);
    let mut c = kiosk.client(Framing::V2);
    for (name, path, x, y) in [
        ("pic", dir.join("pic.png"), 160, 180),
        ("clip", clip, 540, 60),
    ] {
        let r = c
            .call(
                "fetchUrl",
                json!({"name": name, "url": vitrine::content::file_uri(&path),
                       "placement": {"x": x, "y": y, "scale": 1}}),
            )
            .unwrap();
        assert_eq!(r["status"], "SUCCESS", "{r}");
    }
    let mut events = kiosk.client(Framing::V2);
    events
        .call("subscribe", json!({"events": ["touched", "video"]}))
        .unwrap();

    let mut tuio = Sender::new(kiosk.logged_port("tuio"), "sim@stats");
    // Two taps on the picture (at 0.25, 0.5 of a 640×360 screen).
    for id in [1, 2] {
        tuio.frame(&[(id, 0.25, 0.5)], None);
        tuio.frame(&[], None);
    }
    // A drag of 64 pixels to the right.
    for i in 0..=10 {
        tuio.frame(&[(3, 0.25 + 0.01 * i as f32, 0.5)], None);
    }
    tuio.frame(&[], None);
    // A pinch: finger 4 stays, finger 5 spreads away from it (to 1.4
    // times the picture's size).
    tuio.frame(&[(4, 0.33, 0.5)], None);
    for i in 0..=8 {
        tuio.frame(&[(4, 0.33, 0.5), (5, 0.38 + 0.0025 * i as f32, 0.5)], None);
    }
    tuio.frame(&[(4, 0.33, 0.5)], None);
    tuio.frame(&[], None);
    // A tap on the video (top right), which then plays to its end (one
    // second).
    tuio.frame(&[(6, 0.84, 0.17)], None);
    tuio.frame(&[], None);

    let mut told = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !told.iter().any(|(t, s)| t == "video" && s == "ended") {
        assert!(Instant::now() < deadline, "the video never ended: {told:?}");
        if let Some(e) = events.next_event(Some(Duration::from_secs(5))).unwrap() {
            let what = e["gesture"].as_str().or(e["state"].as_str()).unwrap_or("");
            told.push((
                e["type"].as_str().unwrap_or("").to_string(),
                what.to_string(),
            ));
        }
    }
    let told: Vec<(&str, &str)> = told.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    assert_eq!(
        told,
        [
            ("touched", "tap"),
            ("touched", "tap"),
            ("touched", "drag"),
            ("touched", "pinch"),
            // The tap starts the video as the finger lifts, which also ends
            // the interaction.
            ("video", "playing"),
            ("touched", "tap"),
            ("video", "ended"),
        ]
    );

    let stats = c.call("stats", json!({})).unwrap();
    // touches, taps, drags, pinches, video plays, video views.
    assert_eq!(counts(widget(&stats, "pic")), [5, 2, 1, 1, 0, 0], "{stats}");
    assert_eq!(
        counts(widget(&stats, "clip")),
        [1, 1, 0, 0, 1, 1],
        "{stats}"
    );
    assert_eq!(counts(&stats["total"]), [6, 3, 1, 1, 1, 1], "{stats}");
    let pic = widget(&stats, "pic");
    assert!(pic["held_s"].as_f64().unwrap() > 0.2, "{pic}");
    assert!(
        pic["first_touch"].as_f64() < pic["last_touch"].as_f64(),
        "{pic}"
    );
    assert!(stats["counting_since"].as_f64().unwrap() <= pic["first_touch"].as_f64().unwrap());
    // `since` after the last touch leaves nothing.
    let later = pic["last_touch"]
        .as_f64()
        .unwrap()
        .max(widget(&stats, "clip")["last_touch"].as_f64().unwrap())
        + 1.0;
    let none = c.call("stats", json!({"since": later})).unwrap();
    assert_eq!(none["widgets"], json!([]), "{none}");

    // Saved within the save interval: a crash after that loses nothing.
    let file = dir.join("state").join("stats.json");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !std::fs::read_to_string(&file).is_ok_and(|s| s.contains("\"video_views\":1")) {
        assert!(Instant::now() < deadline, "stats.json was never saved");
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(c);
    drop(events);
    drop(kiosk); // kill -9
    let kiosk = KioskProcess::start(&cfg, &[]);
    let mut c = kiosk.client(Framing::V2);
    let back = c.call("stats", json!({})).unwrap();
    assert_eq!(back["widgets"], stats["widgets"], "{back}");
    assert_eq!(back["counting_since"], stats["counting_since"]);

    // `vitrine ctl stats --csv` writes them.
    let out = support::ctl(kiosk.port, &["stats", "--csv"]);
    assert!(out.status.success(), "{out:?}");
    let csv = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(
        lines[0].starts_with("name,touches,taps,drags,pinches,video_plays,video_views"),
        "{csv}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with("pic,5,2,1,1,0,0,")),
        "{csv}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with("*total*,6,3,1,1,1,1,")),
        "{csv}"
    );

    // A reset ends every count, so it does not go with `since`.
    let e = c
        .call("stats", json!({"since": 1.0, "reset": true}))
        .unwrap_err()
        .to_string();
    assert!(e.contains("-32602") && e.contains("since and reset"), "{e}");

    // A reset answers with the counts it ends, and is saved before it
    // answers: a crash right after keeps it.
    let r = c.call("stats", json!({"reset": true})).unwrap();
    assert_eq!(r["total"]["touches"], 6);
    drop(c);
    drop(kiosk);
    let kiosk = KioskProcess::start(&cfg, &[]);
    let after = kiosk.client(Framing::V2).call("stats", json!({})).unwrap();
    assert_eq!(after["widgets"], json!([]), "{after}");
    assert_eq!(after["total"]["touches"], 0);
}
