//! Portrait and upside-down panels: at each rotation the panel shows the upright picture turned (pixel for pixel), headless mode lays out the turned size, a real window under Xvfb maps a pointer at a physical point onto the widget drawn there, and a rotation that is no quarter turn is refused.

use crate::support;

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use glam::DVec2;
use serde_json::{Value, json};
use support::x11::{windowed_kiosk, xdotool, xvfb};
use support::{caller_load, signal, temp_dir, wait_result};
use vitrine::app::{Kiosk, Source, render_options};
use vitrine::config::Config;
use vitrine::pixels::Rgba8Image;
use vitrine::remote::{Client, Framing};
use vitrine::render::Renderer;
use vitrine::rotation::Rotation;

const ALL: [Rotation; 4] = [
    Rotation::Deg0,
    Rotation::Deg90,
    Rotation::Deg180,
    Rotation::Deg270,
];

/// Two pictures of different colours and sizes, so every turn and mirror
/// of the frame looks different.
fn pictures(dir: &Path) -> [std::path::PathBuf; 2] {
    let red = dir.join("red.png");
    Rgba8Image::filled(120, 60, [220, 30, 30, 255])
        .save_png(&red)
        .unwrap();
    let blue = dir.join("blue.png");
    Rgba8Image::filled(40, 90, [30, 60, 220, 255])
        .save_png(&blue)
        .unwrap();
    [red, blue]
}

fn pixel(img: &Rgba8Image, x: u32, y: u32) -> [u8; 4] {
    img.pixel(x, y)
}

fn load_png(path: &Path) -> Rgba8Image {
    Rgba8Image::from_image(image::open(path).unwrap().to_rgba8())
}

#[test]
fn each_rotation_shows_the_upright_picture_turned() {
    let dir = temp_dir("rotation-panel");
    let [red, blue] = pictures(&dir);
    let mut config = Config::default();
    config.content.roots = vec![dir.clone()];
    let s = signal();
    // The kiosk's upright size; the panel is this turned.
    let upright = (200u32, 120u32);
    let mut k = Kiosk::new(config.clone(), upright, s.clone());
    for (name, path) in [("red", &red), ("blue", &blue)] {
        let (r, rx) = caller_load(name, Source::File(path.clone()));
        k.load(r);
        assert_eq!(wait_result(&mut k, &s, &rx), Ok("image"));
    }
    let mut renderer = Renderer::headless(&render_options(&config)).expect("a GPU adapter");
    let now = k.now();
    k.frame(now);
    k.sync_textures(&mut renderer);
    let list = k.last_frame().clone();
    let snapshot = renderer.capture(&list, upright).unwrap();
    let logical = DVec2::new(f64::from(upright.0), f64::from(upright.1));
    for r in ALL {
        let panel = r.logical_size(upright);
        let shown = renderer
            .capture_turned(&list, panel, r.quarter_turns())
            .unwrap();
        assert_eq!((shown.width(), shown.height()), panel, "{r:?}");
        let physical = DVec2::new(f64::from(panel.0), f64::from(panel.1));
        let mut differ = 0;
        for y in 0..panel.1 {
            for x in 0..panel.0 {
                // The upright pixel whose centre this panel pixel shows.
                let centre = DVec2::new(f64::from(x) + 0.5, f64::from(y) + 0.5);
                let p = r.to_logical(centre, physical);
                assert!(p.x > 0.0 && p.y > 0.0 && p.x < logical.x && p.y < logical.y);
                let want = pixel(&snapshot, p.x as u32, p.y as u32);
                let got = pixel(&shown, x, y);
                if want.iter().zip(got).any(|(a, b)| a.abs_diff(b) > 24) {
                    differ += 1;
                }
            }
        }
        // Antialiased edges may round differently; the picture may not.
        let total = panel.0 * panel.1;
        assert!(
            differ * 200 < total,
            "{r:?}: {differ} of {total} pixels differ"
        );
    }
    // The test can fail: an unturned picture on a portrait panel is not
    // the turned one.
    let wrong = renderer.capture(&list, (120, 200)).unwrap();
    assert_ne!(
        wrong.pixels(),
        renderer
            .capture_turned(&list, (120, 200), 1)
            .unwrap()
            .pixels()
    );
}

fn vitrine(args: &[&str]) -> Output {
    support::vitrine()
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("vitrine runs")
}

/// A headless screenshot with the two pictures loaded.
fn headless_shot(dir: &Path, name: &str, size: &str, rotation: &str) -> Rgba8Image {
    let [red, blue] = pictures(dir);
    let out = dir.join(format!("{name}.png"));
    let o = vitrine(&[
        "--headless",
        "--no-state",
        "--no-remote",
        "--no-admin",
        "--size",
        size,
        "--rotation",
        rotation,
        "--load",
        red.to_str().unwrap(),
        "--load",
        blue.to_str().unwrap(),
        "--screenshot",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    load_png(&out)
}

#[test]
fn headless_lays_out_the_turned_size() {
    let dir = temp_dir("rotation-headless");
    let turned = headless_shot(&dir, "turned", "320x180", "90");
    assert_eq!((turned.width(), turned.height()), (180, 320));
    // Exactly what an upright 180×320 kiosk shows.
    let upright = headless_shot(&dir, "upright", "180x320", "0");
    assert_eq!(turned.pixels(), upright.pixels());
    let flipped = headless_shot(&dir, "flipped", "320x180", "180");
    assert_eq!((flipped.width(), flipped.height()), (320, 180));
}

#[test]
fn a_rotation_that_is_no_quarter_turn_is_refused() {
    let o = vitrine(&["--rotation", "45", "--print-config"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("0, 90, 180 or 270"));
    let dir = temp_dir("rotation-config");
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "[window]\nrotation = 45\n").unwrap();
    let o = vitrine(&["--config", bad.to_str().unwrap(), "--print-config"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("window.rotation") && err.contains("0, 90, 180 or 270"),
        "{err}"
    );
}

fn centre_of(list: &Value, name: &str) -> DVec2 {
    let w = list["widgets"]
        .as_array()
        .and_then(|a| a.iter().find(|w| w["name"] == name))
        .unwrap_or_else(|| panic!("no {name} in {list}"));
    let c: Vec<[f64; 2]> = serde_json::from_value(w["corners"].clone()).unwrap();
    DVec2::new(c[0][0] + c[2][0], c[0][1] + c[2][1]) / 2.0
}

/// Drags the X pointer from `from` by `by`, in panel (screen) pixels.
fn pointer_drag(display: &str, from: DVec2, by: DVec2) {
    let to = from + by;
    let mut args: Vec<String> = vec!["mousemove".into()];
    args.extend([from.x.round().to_string(), from.y.round().to_string()]);
    args.extend(["mousedown".into(), "1".into()]);
    // A few steps, as a hand moves.
    for i in 1..=4 {
        let p = from + by * (f64::from(i) / 4.0);
        args.extend([
            "mousemove".into(),
            p.x.round().to_string(),
            p.y.round().to_string(),
        ]);
        args.extend(["sleep".into(), "0.05".into()]);
    }
    args.extend([
        "mousemove".into(),
        to.x.round().to_string(),
        to.y.round().to_string(),
    ]);
    args.extend(["mouseup".into(), "1".into()]);
    xdotool(display, &args);
}

/// Waits until `name`'s centre is near `want` (upright pixels).
fn settles_at(c: &mut Client, name: &str, want: DVec2) -> DVec2 {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let l = c.call("listContent", json!({})).unwrap();
        let at = centre_of(&l, name);
        if (at - want).length() < 3.0 || Instant::now() > deadline {
            return at;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_pointer_at_a_physical_point_moves_the_widget_drawn_there() {
    let found = Command::new("sh")
        .args(["-c", "command -v xdotool"])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(found, "this test needs xdotool: apt-get install xdotool");
    let dir = temp_dir("rotation-window");
    let [red, _] = pictures(&dir);
    let config = dir.join("rotation.toml");
    std::fs::write(
        &config,
        format!(
            "[content]\nroots = [{:?}]\n[window]\nfullscreen = false\n[scatter]\ninertia = false\n",
            dir.display().to_string()
        ),
    )
    .unwrap();
    let (_x, display) = xvfb();
    // The panel is the X screen's 1280×720, turned a quarter clockwise: an
    // upright 720×1280 kiosk.
    let (_kiosk, port) = windowed_kiosk(
        &display,
        &config,
        &["--size", "1280x720", "--rotation", "90"],
    );
    let mut c = Client::connect(
        "127.0.0.1",
        port,
        Framing::V2,
        None,
        Duration::from_secs(30),
    )
    .unwrap();
    let start = DVec2::new(200.0, 300.0);
    let r = c
        .call(
            "fetchUrl",
            json!({"name": "red", "url": format!("file://{}", red.display()),
                   "placement": {"x": start.x, "y": start.y, "width": 240}}),
        )
        .unwrap();
    assert_eq!(r["status"], "SUCCESS", "{r}");
    let shot = c.call("screenshot", json!({})).unwrap();
    assert_eq!(
        (shot["width"].clone(), shot["height"].clone()),
        (json!(720), json!(1280))
    );

    let rotation = Rotation::Deg90;
    let panel = DVec2::new(1280.0, 720.0);
    // Where the widget is drawn on the panel: a drag there moves it. A
    // panel drag of +100 in x is, upright, -100 in y.
    let drawn = rotation.to_physical(start, panel);
    pointer_drag(&display, drawn, DVec2::new(100.0, 0.0));
    let want = start + DVec2::new(0.0, -100.0);
    let at = settles_at(&mut c, "red", want);
    assert!((at - want).length() < 3.0, "moved to {at}, not {want}");

    // Where it would be on an unturned panel, nothing is drawn: a drag
    // there moves nothing.
    pointer_drag(&display, want, DVec2::new(150.0, 150.0));
    std::thread::sleep(Duration::from_millis(300));
    let l = c.call("listContent", json!({})).unwrap();
    let still = centre_of(&l, "red");
    assert!((still - want).length() < 3.0, "{still} moved from {want}");
}
