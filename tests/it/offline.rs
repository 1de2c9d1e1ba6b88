//! The offline restart: content served by a real HTTP server on loopback is shown and kept in the state directory's cache; with the server stopped, a restarted kiosk shows the same screen from the cache (a picture, a page with its stylesheet and image, a video) and says so in `listContent`; when the origin comes back, a new `fetchUrl` refreshes from it.

use crate::support;

use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Value, json};
use support::{HttpServer, KioskProcess, Route, make_clip, temp_dir};
use vitrine::pixels::Rgba8Image;
use vitrine::remote::Framing;

fn png(w: u32, h: u32, rgba: [u8; 4]) -> Vec<u8> {
    Rgba8Image::filled(w, h, rgba).to_png().unwrap()
}

fn routes(logo: [u8; 4], clip: &[u8]) -> Vec<(&'static str, Route)> {
    vec![
        ("/logo.png", Route::File(png(160, 90, logo))),
        (
            "/page.html",
            Route::File(
                b"<html><head><link rel='stylesheet' href='style.css'></head>\
                  <body><img src='pic.png' width='120' height='60'></body></html>"
                    .to_vec(),
            ),
        ),
        (
            "/style.css",
            Route::Typed(
                b"body { margin: 0; background: rgb(20, 160, 90); }".to_vec(),
                "text/css",
            ),
        ),
        ("/pic.png", Route::File(png(120, 60, [240, 200, 20, 255]))),
        ("/clip.webm", Route::File(clip.to_vec())),
    ]
}

fn call(kiosk: &KioskProcess, method: &str, params: Value) -> Value {
    kiosk.client(Framing::V2).call(method, params).unwrap()
}

fn screenshot(kiosk: &KioskProcess) -> Rgba8Image {
    let shot = call(kiosk, "screenshot", json!({}));
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(shot["png_base64"].as_str().unwrap())
        .unwrap();
    Rgba8Image::from_image(image::load_from_memory(&bytes).unwrap().to_rgba8())
}

/// Pixels that differ by more than a little in any channel.
fn differing(a: &Rgba8Image, b: &Rgba8Image) -> usize {
    a.pixels()
        .chunks(4)
        .zip(b.pixels().chunks(4))
        .filter(|(p, q)| p.iter().zip(*q).any(|(x, y)| x.abs_diff(*y) > 8))
        .count()
}

/// Waits until the kiosk shows `count` widgets, none of them an error card.
fn shown(kiosk: &KioskProcess, count: usize) -> Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let l = call(kiosk, "listContent", json!({}));
        let widgets = l["widgets"].as_array().cloned().unwrap_or_default();
        if widgets.len() == count && widgets.iter().all(|w| w["kind"] != "error") {
            // Let the last page's first paint reach the screen.
            std::thread::sleep(Duration::from_millis(300));
            return call(kiosk, "listContent", json!({}));
        }
        assert!(
            Instant::now() < deadline,
            "not shown: {l}\n{}",
            kiosk.log.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_restart_with_the_origin_gone_shows_the_same_screen_from_the_cache() {
    let dir = temp_dir("offline");
    let clip = std::fs::read(make_clip(&dir, "offline.webm", "smpte", 30, 30, (160, 90))).unwrap();
    let server = HttpServer::start(routes([200, 40, 40, 255], &clip));
    let state = dir.join("state");
    let config = format!(
        "[state]\ndir = {:?}\n[video]\nautoplay = false\n",
        state.display().to_string()
    );
    let kiosk = KioskProcess::start(&config, &[]);
    for (name, path, x) in [
        ("logo", "/logo.png", 120),
        ("page", "/page.html", 320),
        ("clip", "/clip.webm", 520),
    ] {
        let r = call(
            &kiosk,
            "fetchUrl",
            json!({"name": name, "url": server.url(path),
                   "placement": {"x": x, "y": 180, "width": 180}}),
        );
        assert_eq!(r["status"], "SUCCESS", "{name}: {r}");
    }
    let before = shown(&kiosk, 3);
    assert!(
        before["widgets"]
            .as_array()
            .unwrap()
            .iter()
            .all(|w| w.get("cached").is_none()),
        "fresh from the origin: {before}"
    );
    let home = screenshot(&kiosk);
    assert!(
        state.join("cache").is_dir(),
        "the cache lives in the state directory"
    );
    drop(kiosk);

    // The origin goes away; the kiosk restarts.
    server.stop();
    let kiosk = KioskProcess::start(&config, &[]);
    let after = shown(&kiosk, 3);
    for w in after["widgets"].as_array().unwrap() {
        assert_eq!(w["cached"], json!(true), "{w}");
    }
    let again = screenshot(&kiosk);
    let off = differing(&home, &again);
    assert_eq!(off, 0, "pixels that differ after the offline restart");

    // The origin comes back with a new logo: a fetchUrl refreshes it.
    let server = HttpServer::start_on(server.port, routes([40, 40, 200, 255], &clip));
    let r = call(
        &kiosk,
        "fetchUrl",
        json!({"name": "logo", "url": server.url("/logo.png")}),
    );
    assert_eq!(r["status"], "SUCCESS", "{r}");
    let l = call(&kiosk, "listContent", json!({}));
    let logo = l["widgets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["name"] == "logo")
        .unwrap()
        .clone();
    assert!(logo.get("cached").is_none(), "fresh again: {logo}");
    assert!(
        differing(&home, &screenshot(&kiosk)) > 0,
        "the new logo shows"
    );
}
