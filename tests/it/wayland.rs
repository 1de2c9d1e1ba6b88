//! The kiosk session as shops run it: vitrine as the only client of cage (as the package's unit runs it) and under sway, on wlroots' headless backend as an unprivileged user, checked by its own `listContent` and by grim's capture of what the compositor shows, through an output that changes its mode.
//!
//! cage 0.1.4 (Debian 12) scans a focused client's buffer out to the output
//! directly whenever the buffer matches the output, and on the headless
//! backend grim then captures black, although the frames are taken (their
//! callbacks come back). A real output shows them: a GPU's buffers scan out,
//! and shared-memory ones (lavapipe) cannot, so cage composites them. The
//! captures below therefore turn the output 180° (`-r -r`): a buffer that
//! does not match the output's transform is composited, as on a real
//! screen, and the picture keeps its size.

use crate::support;

use serde_json::{Value, json};
use std::time::Duration;
use support::eventually;
use support::wayland::{Compositor, Session};
use support::wayland_pointer::Pointer;

/// The size `listContent` reports, once it has one.
fn screen(session: &Session) -> (f64, f64) {
    let mut c = session.client();
    let list = c.call("listContent", json!({})).unwrap();
    (
        list["screen"]["width"].as_f64().unwrap(),
        list["screen"]["height"].as_f64().unwrap(),
    )
}

/// Waits for the kiosk to report `want`, then asserts it.
fn fills(session: &Session, want: (f64, f64)) {
    let _ = eventually(Duration::from_secs(30), || screen(session) == want);
    assert_eq!(screen(session), want, "{}", session.log());
}

/// Waits for the demo's widgets, then for the picture to settle.
fn demo_shown(session: &Session) {
    let _ = eventually(Duration::from_secs(60), || {
        session.client().call("listContent", json!({})).unwrap()["widgets"]
            .as_array()
            .is_some_and(|w| w.len() >= 4)
    });
    std::thread::sleep(Duration::from_secs(2));
}

/// Captures the screen: it is `size`, every edge pixel is the kiosk's
/// background (a client-side frame once drew a line down the right and
/// along the bottom, and left a black band below), and the demo is on it.
/// With `overhang`, widgets may cross the edges (the keep-on-screen rule
/// holds only a strip of each), so an edge pixel need only not be black.
fn edge_to_edge(session: &Session, size: (u32, u32), overhang: bool) {
    let shot = session.capture();
    assert_eq!(shot.dimensions(), size);
    let background = *shot.get_pixel(2, 2);
    assert_ne!(
        background.0[..3],
        [0, 0, 0],
        "the capture is black: {}",
        session.log()
    );
    let (w, h) = size;
    let edges = (0..w)
        .flat_map(|x| [(x, 0), (x, h - 1)])
        .chain((0..h).flat_map(|y| [(0, y), (w - 1, y)]));
    for (x, y) in edges {
        let p = shot.get_pixel(x, y);
        let near =
            p.0.iter()
                .zip(background.0)
                .all(|(a, b)| a.abs_diff(b) <= 3)
                || (overhang && p.0[..3] != [0, 0, 0]);
        assert!(
            near,
            "({x}, {y}) is {p:?}, not the background {background:?}"
        );
    }
    let other = shot
        .pixels()
        .filter(|p| {
            p.0.iter()
                .zip(background.0)
                .any(|(a, b)| a.abs_diff(b) > 30)
        })
        .count();
    assert!(
        other > (w * h / 10) as usize,
        "only {other} pixels are not background"
    );
}

/// Every widget keeps the part the keep-on-screen rule holds inside the
/// screen: on each axis, a strip of 64 px or a fifth of its bounding box,
/// whichever is smaller (the defaults).
fn all_kept_on_screen(session: &Session) {
    let list = session.client().call("listContent", json!({})).unwrap();
    let (w, h) = (
        list["screen"]["width"].as_f64().unwrap(),
        list["screen"]["height"].as_f64().unwrap(),
    );
    for widget in list["widgets"].as_array().unwrap() {
        let corners: Vec<(f64, f64)> = widget["corners"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
            .collect();
        let axis = |pick: fn(&(f64, f64)) -> f64, side: f64| {
            let min = corners.iter().map(pick).fold(f64::MAX, f64::min);
            let max = corners.iter().map(pick).fold(f64::MIN, f64::max);
            let strip = ((max - min) * 0.2).min(64.0);
            max >= strip - 0.5 && min <= side - strip + 0.5
        };
        assert!(
            axis(|p| p.0, w) && axis(|p| p.1, h),
            "{} is off a {w} x {h} screen: {corners:?}",
            widget["name"]
        );
    }
}

#[test]
fn under_sway_the_kiosk_fills_its_output_and_follows_a_new_mode() {
    let session = Session::start("wayland-sway", Compositor::Sway, "");
    fills(&session, (1280.0, 720.0));
    demo_shown(&session);
    edge_to_edge(&session, (1280, 720), false);
    // A TV switched on at another mode: the kiosk follows, fills the new
    // size, keeps every widget on screen and says so in its log.
    session.swaymsg(&["output", "HEADLESS-1", "mode", "1024x768"]);
    fills(&session, (1024.0, 768.0));
    assert!(
        session
            .swaymsg(&["-t", "get_outputs"])
            .contains("\"width\": 1024")
    );
    std::thread::sleep(Duration::from_secs(2));
    edge_to_edge(&session, (1024, 768), true);
    all_kept_on_screen(&session);
    eprintln!(
        "sway: first frame taken {:?} ms after the window opened",
        session.first_frame_ms()
    );
    // The doctor, inside the session, names the compositor, its protocols
    // and the first frame this run took.
    let table = session.doctor();
    let row = &table[table
        .find("wayland")
        .unwrap_or_else(|| panic!("no wayland row:\n{table}"))..];
    assert!(row.contains("sway (pid"), "{table}");
    assert!(
        row.contains("output power (zwlr_output_power_manager_v1): yes"),
        "{table}"
    );
    assert!(row.contains("first frame taken"), "{table}");
    assert!(
        session.log().contains("window resized"),
        "{}",
        session.log()
    );
}

/// A widget's centre, from `listContent`.
fn centre_of(list: &Value, name: &str) -> (f64, f64) {
    let w = list["widgets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {list}"));
    let c = w["corners"].as_array().unwrap();
    let x = c.iter().map(|p| p[0].as_f64().unwrap()).sum::<f64>() / 4.0;
    let y = c.iter().map(|p| p[1].as_f64().unwrap()).sum::<f64>() / 4.0;
    (x, y)
}

#[test]
fn under_sway_a_real_pointer_drags_a_widget_and_a_tap_plays_a_video() {
    let session = Session::start(
        "wayland-pointer",
        Compositor::Sway,
        "[scatter]\ninertia = false\n",
    );
    fills(&session, (1280.0, 720.0));
    demo_shown(&session);
    let mut c = session.client();
    let list = c.call("listContent", json!({})).unwrap();
    let widgets = list["widgets"].as_array().unwrap();
    // The front-most widget that is not a video: nothing covers its centre.
    let card = widgets.iter().find(|w| w["kind"] != "video").unwrap()["name"]
        .as_str()
        .unwrap()
        .to_string();
    let video = widgets
        .iter()
        .find(|w| w["kind"] == "video")
        .expect("the demo has a video")["name"]
        .as_str()
        .unwrap()
        .to_string();
    let from = centre_of(&list, &card);
    let mut pointer = Pointer::connect(&session.wayland_socket(), (1280, 720));
    pointer.drag(from, (150.0, 60.0), 10);
    let want = (from.0 + 150.0, from.1 + 60.0);
    let moved = eventually(Duration::from_secs(20), || {
        let at = centre_of(&c.call("listContent", json!({})).unwrap(), &card);
        (at.0 - want.0).abs() < 3.0 && (at.1 - want.1).abs() < 3.0
    });
    let at = centre_of(&c.call("listContent", json!({})).unwrap(), &card);
    assert!(moved, "{card} at {at:?}, not {want:?}");

    let list = c.call("listContent", json!({})).unwrap();
    let (x, y) = centre_of(&list, &video);
    pointer.tap(x, y);
    let playing = eventually(Duration::from_secs(20), || {
        let list = c.call("listContent", json!({})).unwrap();
        list["widgets"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["name"] == video.as_str() && w["state"] == "playing")
    });
    assert!(
        playing,
        "a tap on {video} did not play it: {}",
        c.call("listContent", json!({})).unwrap()
    );
}

/// The number of pixels that differ between two captures inside the box
/// around `corners`.
fn changed_inside(a: &image::RgbaImage, b: &image::RgbaImage, corners: &[Value]) -> usize {
    let xs = corners.iter().map(|p| p[0].as_f64().unwrap());
    let ys = corners.iter().map(|p| p[1].as_f64().unwrap());
    let (x0, x1) = (
        xs.clone().fold(f64::MAX, f64::min),
        xs.fold(f64::MIN, f64::max),
    );
    let (y0, y1) = (
        ys.clone().fold(f64::MAX, f64::min),
        ys.fold(f64::MIN, f64::max),
    );
    let mut n = 0;
    for y in (y0.max(0.0) as u32)..(y1.min(f64::from(a.height() - 1)) as u32) {
        for x in (x0.max(0.0) as u32)..(x1.min(f64::from(a.width() - 1)) as u32) {
            if a.get_pixel(x, y) != b.get_pixel(x, y) {
                n += 1;
            }
        }
    }
    n
}

#[test]
fn under_sway_a_playing_video_moves_and_a_turned_kiosk_shows_turned() {
    video_moves_and_turned_shows_turned(&|name, config| {
        Session::start(name, Compositor::Sway, config)
    });
}

#[test]
fn under_cage_d_a_playing_video_moves_and_a_turned_kiosk_shows_turned() {
    // `-r -r` turns the output half a turn, which keeps cage 0.1.4 from
    // scanning the kiosk's buffer out directly (grim would capture black);
    // grim captures the output as it is laid out, so coordinates hold.
    video_moves_and_turned_shows_turned(&|name, config| {
        Session::cage(name, &["-d", "-r", "-r"], config)
    });
}

/// Under the compositor `start` runs: the demo's video, once playing,
/// changes the captured picture, and a kiosk turned a quarter clockwise
/// shows a card at its top left at the output's top right.
fn video_moves_and_turned_shows_turned(start: &dyn Fn(&str, &str) -> Session) {
    let session = start("wayland-video", "");
    fills(&session, (1280.0, 720.0));
    demo_shown(&session);
    let mut c = session.client();
    let list = c.call("listContent", json!({})).unwrap();
    let video = list["widgets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["kind"] == "video")
        .expect("the demo has a video")
        .clone();
    let r = c.call("play", json!({"name": video["name"]})).unwrap();
    assert_eq!(r["status"], "SUCCESS", "{r}");
    std::thread::sleep(Duration::from_secs(1));
    let first = session.capture();
    std::thread::sleep(Duration::from_millis(1500));
    let second = session.capture();
    let corners = video["corners"].as_array().unwrap();
    let changed = changed_inside(&first, &second, corners);
    assert!(
        changed > 500,
        "the playing video's picture changed in {changed} pixels only"
    );
    drop(c);
    drop(session);

    // Turned a quarter clockwise (a portrait panel): a card at the
    // kiosk's top left shows at the output's top right.
    let turned = start("wayland-turned", "[window]\nrotation = 90\n");
    fills(&turned, (720.0, 1280.0));
    let mut c = turned.client();
    let r = c
        .call(
            "postHtml",
            json!({"name": "red", "data": "<body style='margin:0;background:#e00000'></body>",
                   "width": 200, "height": 200, "placement": {"x": 150.0, "y": 150.0}}),
        )
        .unwrap();
    assert_eq!(r["status"], "SUCCESS", "{r}");
    let red = |p: &image::Rgba<u8>| p.0[0] > 180 && p.0[1] < 60 && p.0[2] < 60;
    let shows = eventually(Duration::from_secs(30), || {
        red(turned.capture().get_pixel(1280 - 150, 150))
    });
    assert!(shows, "the card is not at the output's top right");
    assert!(
        !red(turned.capture().get_pixel(150, 150)),
        "the picture is not turned"
    );
}

/// How many times sway's debug log says it turned `HEADLESS-1` `what`.
fn turned(session: &Session, what: &str) -> usize {
    session
        .log()
        .matches(&format!("Turning {what} output HEADLESS-1"))
        .count()
}

#[test]
fn under_sway_display_off_asks_the_compositor_and_shows_black_until_on() {
    let session = Session::start("wayland-power", Compositor::Sway, "");
    fills(&session, (1280.0, 720.0));
    demo_shown(&session);
    let (offs, ons) = (turned(&session, "off"), turned(&session, "on"));
    let mut c = session.client();
    let off = c.call("display", json!({"power": "off"})).unwrap();
    assert_eq!(off["status"], "SUCCESS", "{off}");
    assert_eq!(off["method"], "wayland-output-power", "{off}");
    // sway took the request through the output-power protocol. (Its
    // headless backend cannot disable an output: the commit fails, as it
    // does for `swaymsg output HEADLESS-1 dpms off`, so the output stays on
    // here, and shows the kiosk's black frame.)
    assert!(
        eventually(Duration::from_secs(10), || turned(&session, "off") > offs),
        "sway was not asked to turn the output off:\n{}",
        session.log()
    );
    assert!(eventually(Duration::from_secs(10), || {
        session.capture().pixels().all(|p| p.0[..3] == [0, 0, 0])
    }));
    let on = c.call("display", json!({"power": "on"})).unwrap();
    assert_eq!(on["power"], "on", "{on}");
    assert!(eventually(Duration::from_secs(10), || turned(
        &session, "on"
    ) > ons));
    std::thread::sleep(Duration::from_secs(1));
    edge_to_edge(&session, (1280, 720), false);
}

#[test]
fn under_cage_ready_means_the_compositor_took_a_frame() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::net::UnixDatagram;
    let dir = support::temp_dir("wayland-notify");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = dir.join("notify.sock");
    let _ = std::fs::remove_file(&path);
    let socket = UnixDatagram::bind(&path).unwrap();
    // The kiosk runs as another user, as under the unit.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o777)).unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let session = Session::start_with_env(
        "wayland-ready",
        Compositor::Cage(&["-s"]),
        "",
        &[("NOTIFY_SOCKET", path.to_str().unwrap())],
    );
    let mut buf = [0u8; 4096];
    let ready = loop {
        let n = socket
            .recv(&mut buf)
            .expect("a notification within a minute");
        let message = String::from_utf8_lossy(&buf[..n]).into_owned();
        if message.lines().any(|l| l == "READY=1") {
            break message;
        }
    };
    // The frame was taken before READY=1 was sent (the line is logged
    // first).
    let ms = session.first_frame_ms();
    assert!(
        ms.is_some(),
        "READY=1 ({ready:?}) before a frame was taken:\n{}",
        session.log()
    );
    // cage 0.1.4 offers no output power: the doctor says so.
    let table = session.doctor();
    assert!(table.contains("cage (pid"), "{table}");
    assert!(
        table.contains("output power (zwlr_output_power_manager_v1): no"),
        "{table}"
    );
    eprintln!(
        "cage -s: first frame taken {} ms after the window opened",
        ms.unwrap_or(0)
    );
}

#[test]
fn under_cage_the_kiosk_fills_its_output_with_no_frame() {
    // Once a client-side frame took 8 × 32 pixels: 1272 × 688 under `cage -s`.
    for flags in [["-s"], ["-d"]] {
        let session = Session::cage("wayland-fill", &flags, "");
        fills(&session, (1280.0, 720.0));
    }
    let turned = Session::cage("wayland-turned", &["-s"], "[window]\nrotation = 90\n");
    fills(&turned, (720.0, 1280.0));
}

#[test]
fn under_cage_a_capture_shows_the_demo_edge_to_edge_and_a_push() {
    for flags in [["-s", "-r", "-r"], ["-d", "-r", "-r"]] {
        demo_and_push_show(&Session::cage("wayland-capture", &flags, ""));
    }
}

/// The demo shows edge to edge, and a pushed card shows where
/// `listContent` puts it.
fn demo_and_push_show(session: &Session) {
    fills(session, (1280.0, 720.0));
    demo_shown(session);
    edge_to_edge(session, (1280, 720), false);

    // A push shows: a red card, in front, where listContent puts it.
    let mut c = session.client();
    let r = c
        .call(
            "postHtml",
            json!({"name": "red", "data": "<body style='margin:0;background:#e00000'></body>", "width": 300, "height": 200}),
        )
        .unwrap();
    assert_eq!(r["status"], "SUCCESS", "{r}");
    let list = c.call("listContent", json!({})).unwrap();
    let red: &Value = list["widgets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["name"] == "red")
        .unwrap();
    let corners = red["corners"].as_array().unwrap();
    let cx = corners.iter().map(|p| p[0].as_f64().unwrap()).sum::<f64>() / 4.0;
    let cy = corners.iter().map(|p| p[1].as_f64().unwrap()).sum::<f64>() / 4.0;
    let shows = eventually(Duration::from_secs(30), || {
        let p = *session.capture().get_pixel(cx as u32, cy as u32);
        p.0[0] > 180 && p.0[1] < 60 && p.0[2] < 60
    });
    assert!(
        shows,
        "the pushed card is not at ({cx}, {cy}) in the capture"
    );
}
