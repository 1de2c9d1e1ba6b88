//! The screen's power on a real kiosk process: `display off` shows one black frame and pauses playing videos, is kept across a `kill -9`, comes back with `display on`; a touch (through TUIO) only wakes the screen; `display.off_after_idle` turns it off by itself; and bad requests are refused.

use crate::support;

use serde_json::{Value, json};
use std::time::Duration;
use support::tuio::Sender;
use support::{KioskProcess, eventually, make_clip, screenshot, temp_dir};
use vitrine::remote::{Client, Framing};

fn all_black(shot: &image::RgbaImage) -> bool {
    shot.pixels().all(|p| p.0[..3] == [0, 0, 0])
}

fn state_of(c: &mut Client, name: &str) -> String {
    let list = c.call("listContent", json!({})).unwrap();
    list["widgets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["name"] == name)
        .map(|w| w["state"].as_str().unwrap().to_string())
        .unwrap_or_default()
}

fn centre(c: &mut Client, name: &str) -> (f64, f64) {
    let list = c.call("listContent", json!({})).unwrap();
    let w = list["widgets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["name"] == name)
        .unwrap()
        .clone();
    let k = w["corners"].as_array().unwrap();
    let x = k.iter().map(|p| p[0].as_f64().unwrap()).sum::<f64>() / 4.0;
    let y = k.iter().map(|p| p[1].as_f64().unwrap()).sum::<f64>() / 4.0;
    (x, y)
}

fn display(c: &mut Client, params: Value) -> Value {
    c.call("display", params).unwrap()
}

fn kiosk(dir: &std::path::Path, extra: &str) -> KioskProcess {
    let config = format!(
        "[content]\nroots = [{:?}]\n[state]\ndir = {:?}\n[scatter]\ninertia = false\n{extra}",
        dir.display().to_string(),
        dir.join("state").display().to_string()
    );
    KioskProcess::start(&config, &["--tuio-port", "0"])
}

#[test]
fn off_is_black_pauses_videos_survives_a_kill_and_comes_back() {
    let dir = temp_dir("display-power");
    let clip = make_clip(&dir, "clip.webm", "ball", 300, 30, (160, 120));
    let k = kiosk(&dir, "");
    let mut c = k.client(Framing::V2);
    let r = c
        .call(
            "postHtml",
            json!({"name": "red", "data": "<body style='margin:0;background:#e00000'></body>",
                   "width": 200, "height": 100, "placement": {"x": 200, "y": 180}}),
        )
        .unwrap();
    assert_eq!(r["status"], "SUCCESS", "{r}");
    let r = c
        .call(
            "fetchUrl",
            json!({"name": "clip", "url": vitrine::content::file_uri(&clip),
                   "placement": {"x": 480, "y": 180}}),
        )
        .unwrap();
    assert_eq!(r["status"], "SUCCESS", "{r}");
    assert_eq!(
        c.call("play", json!({"name": "clip"})).unwrap()["status"],
        "SUCCESS"
    );
    assert!(eventually(Duration::from_secs(20), || state_of(
        &mut c, "clip"
    ) == "playing"));
    let before = c.call("listContent", json!({})).unwrap();
    assert!(!all_black(&screenshot(&mut c)));

    let off = display(&mut c, json!({"power": "off"}));
    assert_eq!(off["status"], "SUCCESS", "{off}");
    assert_eq!(off["power"], "off");
    assert_eq!(off["method"], "black-frame");
    assert!(all_black(&screenshot(&mut c)), "the screen is not black");
    assert_eq!(state_of(&mut c, "clip"), "paused");
    // The content stays; only the screen is off.
    let names = |l: &Value| {
        l["widgets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["name"].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(&c.call("listContent", json!({})).unwrap()),
        names(&before)
    );
    let on = display(&mut c, json!({"power": "on"}));
    assert_eq!(on["power"], "on");
    assert!(!all_black(&screenshot(&mut c)));
    assert!(eventually(Duration::from_secs(20), || state_of(
        &mut c, "clip"
    ) == "playing"));

    // Off, then killed outright: it starts again off.
    assert_eq!(display(&mut c, json!(["off"]))["status"], "SUCCESS");
    drop(c);
    drop(k);
    let k = kiosk(&dir, "");
    let mut c = k.client(Framing::V2);
    assert!(eventually(Duration::from_secs(30), || {
        c.call("listContent", json!({})).unwrap()["widgets"]
            .as_array()
            .is_some_and(|w| w.len() == 2)
    }));
    assert_eq!(display(&mut c, json!({}))["power"], "off");
    assert!(all_black(&screenshot(&mut c)));
    assert_eq!(display(&mut c, json!({"power": "on"}))["power"], "on");
    assert!(!all_black(&screenshot(&mut c)));

    // What is not a power is refused, and changes nothing.
    for bad in [
        json!({"power": "dim"}),
        json!({"power": true}),
        json!(["sideways"]),
    ] {
        let e = c.call("display", bad.clone());
        assert!(e.is_err(), "{bad} was taken: {e:?}");
    }
    assert_eq!(display(&mut c, json!({}))["power"], "on");
}

#[test]
fn a_touch_only_wakes_the_screen_and_idle_turns_it_off() {
    let dir = temp_dir("display-wake");
    vitrine::pixels::Rgba8Image::filled(200, 100, [200, 50, 50, 255])
        .save_png(&dir.join("pic.png"))
        .unwrap();
    let k = kiosk(&dir, "[display]\noff_after_idle = \"2s\"\n");
    let port = k.logged_port("tuio");
    let mut c = k.client(Framing::V2);
    let r = c
        .call(
            "fetchUrl",
            json!({"name": "pic", "url": vitrine::content::file_uri(&dir.join("pic.png")),
                   "placement": {"x": 320, "y": 180, "scale": 1}}),
        )
        .unwrap();
    assert_eq!(r["status"], "SUCCESS", "{r}");
    // No touch and no change for 2 s: the screen goes off by itself.
    assert!(
        eventually(
            Duration::from_secs(20),
            || display(&mut c, json!({}))["power"] == "off"
        ),
        "the idle timer did not turn the screen off"
    );
    let at = centre(&mut c, "pic");

    // A drag on the dark screen: its first finger only wakes it.
    let mut tracker = Sender::new(port, "wake");
    for i in 0..=10 {
        tracker.frame(&[(1, 0.5 + 0.01 * i as f32, 0.5)], None);
    }
    tracker.frame(&[], None);
    assert!(eventually(Duration::from_secs(10), || display(
        &mut c,
        json!({})
    )["power"]
        == "on"));
    assert_eq!(
        centre(&mut c, "pic"),
        at,
        "the waking touch moved the picture"
    );
    // The next drag is a drag.
    for i in 0..=10 {
        tracker.frame(&[(2, 0.5 + 0.01 * i as f32, 0.5)], None);
    }
    tracker.frame(&[], None);
    assert!(eventually(Duration::from_secs(10), || centre(
        &mut c, "pic"
    )
    .0 > at.0 + 30.0));
}
