//! TUIO 1.1 through a real UDP port into a headless kiosk: a one-finger drag and a two-finger pinch move and scale a widget exactly as the same trace through `vitrine replay` predicts; a late bundle is dropped; a silent source's finger is cancelled; bad datagrams change nothing.

use crate::support;

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::tuio::Sender;
use support::{KioskProcess, temp_dir};
use vitrine::remote::Framing;

const W: f64 = 640.0;
const H: f64 = 360.0;

/// The kiosk's corners of `name`, once they stop changing.
fn settled(kiosk: &KioskProcess, name: &str) -> Vec<[f64; 2]> {
    let mut c = kiosk.client(Framing::V2);
    let mut last: Option<Vec<[f64; 2]>> = None;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        std::thread::sleep(Duration::from_millis(100));
        let l = c.call("listContent", json!({})).unwrap();
        let w = l["widgets"]
            .as_array()
            .and_then(|a| a.iter().find(|w| w["name"] == name))
            .unwrap_or_else(|| panic!("no {name}: {l}"));
        let now: Vec<[f64; 2]> = serde_json::from_value(w["corners"].clone()).unwrap();
        if last.as_ref() == Some(&now) || Instant::now() > deadline {
            return now;
        }
        last = Some(now);
    }
}

/// What `vitrine replay` says the same touches do to the same widget.
fn replay(dir: &std::path::Path, trace: &[Value]) -> Vec<[f64; 2]> {
    let scene = dir.join("tuio.scene.json");
    std::fs::write(
        &scene,
        json!({"window": [W, H], "widgets": [
            {"name": "pic", "size": [200, 100], "pos": [220, 130], "scatter": {"inertia": false}}
        ]})
        .to_string(),
    )
    .unwrap();
    let path = dir.join("tuio.trace.jsonl");
    let lines: Vec<String> = trace.iter().map(Value::to_string).collect();
    std::fs::write(&path, lines.join("\n")).unwrap();
    let out = support::vitrine()
        .arg("replay")
        .arg("--scene")
        .arg(&scene)
        .arg("--trace")
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    serde_json::from_value(v["widgets"][0]["corners"].clone()).unwrap()
}

fn close(a: &[[f64; 2]], b: &[[f64; 2]]) -> bool {
    a.iter()
        .zip(b)
        .all(|(p, q)| (p[0] - q[0]).abs() < 1e-6 && (p[1] - q[1]).abs() < 1e-6)
}

/// A trace event at time `t` for finger `id`, at the pixel a TUIO position
/// lands on.
fn ev(t: f64, id: u64, phase: &str, x: f32, y: f32) -> Value {
    json!({"t": t, "id": id, "phase": phase, "x": f64::from(x) * W, "y": f64::from(y) * H})
}

/// A headless kiosk listening for TUIO on a free port, showing a 200×100
/// picture of `rgba` at (320, 180) with no inertia, from a folder it
/// returns; fingers of a source silent for `timeout` end.
fn kiosk_with_picture(
    name: &str,
    rgba: [u8; 4],
    timeout: &str,
) -> (KioskProcess, u16, std::path::PathBuf) {
    let dir = temp_dir(name);
    vitrine::pixels::Rgba8Image::filled(200, 100, rgba)
        .save_png(&dir.join("pic.png"))
        .unwrap();
    let config = format!(
        "[content]\nroots = [{:?}]\n[state]\nenabled = false\n[scatter]\ninertia = false\n[tuio]\ntimeout = {timeout:?}\n",
        dir.display().to_string()
    );
    let kiosk = KioskProcess::start(&config, &["--tuio-port", "0"]);
    let port = kiosk.logged_port("tuio");
    let r = kiosk
        .client(Framing::V2)
        .call(
            "fetchUrl",
            json!({"name": "pic", "url": vitrine::content::file_uri(&dir.join("pic.png")),
                   "placement": {"x": 320, "y": 180, "scale": 1}}),
        )
        .unwrap();
    assert_eq!(r["status"], "SUCCESS", "{r}");
    (kiosk, port, dir)
}

#[test]
fn tuio_cursors_drive_the_scene_as_replay_predicts() {
    let (kiosk, port, dir) = kiosk_with_picture("tuio", [200, 50, 50, 255], "300ms");
    let mut trace = Vec::new();
    let mut t = 0.0;
    let mut step = |trace: &mut Vec<Value>, id, phase, x, y| {
        t += 0.015;
        trace.push(ev(t, id, phase, x, y));
    };

    // A one-finger drag from the centre.
    let mut tuio = Sender::new(port, "sim@a");
    for i in 0..=10 {
        let (x, y) = (0.5 + 0.01 * i as f32, 0.5 + 0.005 * i as f32);
        tuio.frame(&[(1, x, y)], None);
        step(&mut trace, 1, if i == 0 { "start" } else { "move" }, x, y);
    }
    tuio.frame(&[], None);
    step(&mut trace, 1, "end", 0.6, 0.55);
    let dragged = settled(&kiosk, "pic");
    assert!(close(&dragged, &replay(&dir, &trace)), "{dragged:?}");
    assert!(
        (dragged[0][0] - 284.0).abs() < 0.01,
        "moved by 64 px: {dragged:?}"
    );

    // A two-finger pinch: cursor 2 stays, cursor 3 spreads away from it.
    tuio.frame(&[(2, 0.55, 0.52)], None);
    step(&mut trace, 2, "start", 0.55, 0.52);
    tuio.frame(&[(2, 0.55, 0.52), (3, 0.62, 0.56)], None);
    step(&mut trace, 3, "start", 0.62, 0.56);
    for i in 1..=8 {
        let (x, y) = (0.62 + 0.01 * i as f32, 0.56 + 0.01 * i as f32);
        tuio.frame(&[(2, 0.55, 0.52), (3, x, y)], None);
        step(&mut trace, 3, "move", x, y);
    }
    tuio.frame(&[(2, 0.55, 0.52)], None);
    step(&mut trace, 3, "end", 0.70, 0.64);
    tuio.frame(&[], None);
    step(&mut trace, 2, "end", 0.55, 0.52);
    let pinched = settled(&kiosk, "pic");
    let predicted = replay(&dir, &trace);
    assert!(close(&pinched, &predicted), "{pinched:?} vs {predicted:?}");
    let width = (pinched[1][0] - pinched[0][0]).hypot(pinched[1][1] - pinched[0][1]);
    assert!(width > 210.0, "the spread scaled it up: {width}");

    // A late bundle (an older fseq) is dropped: the finger ends where the
    // newer frame put it.
    let before = settled(&kiosk, "pic");
    tuio.frame(&[(4, 0.6, 0.55)], Some(100));
    tuio.frame(&[(4, 0.65, 0.55)], Some(101));
    tuio.frame(&[(4, 0.30, 0.20)], Some(99));
    tuio.frame(&[], Some(102));
    let after = settled(&kiosk, "pic");
    let dx = after[0][0] - before[0][0];
    assert!(
        (dx - 0.05 * W).abs() < 0.01,
        "moved by the newer frame only: {dx}"
    );

    // Garbage and hostile datagrams change nothing.
    tuio.raw(b"not osc at all");
    tuio.raw(&[b'#'; 100]);
    let mut arrays = b"/tuio/2Dcur\0,".to_vec();
    arrays.extend(std::iter::repeat_n(b'[', 3000));
    tuio.raw(&arrays);
    std::thread::sleep(Duration::from_millis(200));
    assert!(close(&settled(&kiosk, "pic"), &after));

    // A source that goes silent with a finger down has it cancelled: a drag
    // by another source afterwards is a plain one-finger drag (with the
    // stuck finger still held, it would pinch about it).
    let mut silent = Sender::new(port, "sim@b");
    silent.frame(&[(1, 0.62, 0.56)], None);
    std::thread::sleep(Duration::from_millis(800));
    let before = settled(&kiosk, "pic");
    let mut other = Sender::new(port, "sim@c");
    for i in 0..=5 {
        other.frame(&[(1, 0.62 + 0.01 * i as f32, 0.56)], None);
    }
    other.frame(&[], None);
    let after = settled(&kiosk, "pic");
    for (p, q) in after.iter().zip(&before) {
        assert!(
            ((p[0] - q[0]) - 0.05 * W).abs() < 0.01,
            "{after:?} vs {before:?}"
        );
        assert!((p[1] - q[1]).abs() < 0.01);
    }
}

/// A second host that sends frames under the real tracker's source name
/// (with a later `fseq` and an empty `alive`) neither lifts the real
/// tracker's finger nor makes its frames look late: the 192 px drag moves
/// the widget the full 192 px.
#[test]
fn a_spoofed_source_name_does_not_lift_another_hosts_fingers() {
    let (kiosk, port, _dir) = kiosk_with_picture("tuio-spoof", [50, 50, 200, 255], "2s");
    let before = settled(&kiosk, "pic");
    let mut real = Sender::from_ip(port, "tracker@store", "127.0.0.1");
    let mut spoof = Sender::from_ip(port, "tracker@store", "127.0.0.2");
    for i in 0..=10 {
        let x = 0.5 + 0.03 * i as f32;
        real.frame(&[(1, x, 0.5)], None);
        // Ahead of the real tracker's numbering, and nothing alive.
        let ahead = real.fseq + 500;
        spoof.frame(&[], Some(ahead));
    }
    real.frame(&[], None);
    let after = settled(&kiosk, "pic");
    let dx = after[0][0] - before[0][0];
    assert!(
        (dx - 192.0).abs() < 0.01,
        "the drag moved the widget {dx} px, not 192: {before:?} -> {after:?}"
    );
    assert!((after[0][1] - before[0][1]).abs() < 0.01, "{after:?}");
}
