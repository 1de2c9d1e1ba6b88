//! `whatsLoaded` and `currentUrl` always name what the screen shows: after a load, a touch that brings a widget to the front, `showBackdrop {above}` and `remove`.
//!
//! The kiosk runs in this test's thread with its real remote server on
//! 127.0.0.1; touches go through the kiosk's own touch entry point (the one
//! the window's input feeds), and queries go over a real socket.

use crate::support;

use std::path::{Path, PathBuf};
use std::sync::mpsc::channel;
use std::time::Duration;

use glam::{DAffine2, DVec2};
use serde_json::{Value, json};
use support::{signal, temp_dir, wait_result};
use vitrine::app::{Caller, Kiosk, LoadRequest, Origin, Placement, RemoteLink, RunOptions, Source};
use vitrine::config::Config;
use vitrine::content::file_uri;
use vitrine::pixels::Rgba8Image;
use vitrine::remote::{Client, Framing};
use vitrine::scene::Phase;
use vitrine::wake::Signal;

fn png(dir: &Path, name: &str, rgba: [u8; 4]) -> PathBuf {
    let path = dir.join(name);
    Rgba8Image::filled(100, 100, rgba).save_png(&path).unwrap();
    path
}

fn load(k: &mut Kiosk, s: &Signal, name: &str, path: &Path, x: f64) {
    let (tx, rx) = channel();
    k.load(LoadRequest {
        name: name.into(),
        source: Source::File(path.to_path_buf()),
        placement: Placement::Exact(DAffine2::from_translation(DVec2::new(x, 100.0))),
        origin: Origin::Caller(
            Caller::new(tx).0,
            std::sync::Arc::new(vitrine::state::Source::Html {
                data: String::new(),
                base_url: None,
                width: None,
                height: None,
            }),
        ),
        viewport: None,
        poster: None,
    });
    assert_eq!(wait_result(k, s, &rx), Ok("image"));
}

/// What the remote server answers to `whatsLoaded` and `currentUrl`.
fn ask(c: &mut Client) -> (Value, Value) {
    (
        c.call("whatsLoaded", json!({})).unwrap(),
        c.call("currentUrl", json!({})).unwrap(),
    )
}

/// Sends a call that the UI thread carries out, running the kiosk's loop
/// here until the answer is back.
fn call_through_ui(
    k: &mut Kiosk,
    link: &RemoteLink,
    s: &Signal,
    mut c: Client,
    method: &'static str,
    params: Value,
) -> (Client, Value) {
    let t = std::thread::spawn(move || {
        let r = c.call(method, params).unwrap();
        (c, r)
    });
    while !t.is_finished() {
        link.drain(k, None);
        k.pump();
        s.wait(Some(Duration::from_millis(5)));
    }
    t.join().unwrap()
}

#[test]
fn whats_loaded_and_current_url_follow_the_front_widget() {
    let dir = temp_dir("view");
    let (a, b) = (
        png(&dir, "a.png", [200, 0, 0, 255]),
        png(&dir, "b.png", [0, 0, 200, 255]),
    );
    let s = signal();
    let mut k = Kiosk::new(Config::default(), (800, 600), s.clone());
    let opts = RunOptions {
        remote_port: Some(0),
        no_admin: true,
        ..RunOptions::default()
    };
    let link = RemoteLink::start(&mut k, &opts, s.clone()).unwrap();
    let port = link.local_addr().expect("the server listens").port();
    let mut c = Client::connect(
        "127.0.0.1",
        port,
        Framing::V2,
        None,
        Duration::from_secs(10),
    )
    .unwrap();
    assert_eq!(ask(&mut c), (json!(""), json!("")));

    load(&mut k, &s, "a", &a, 50.0);
    load(&mut k, &s, "b", &b, 400.0);
    assert_eq!(ask(&mut c), (json!("b"), json!(file_uri(&b))));

    // A finger on `a` brings it to the front: the answers follow at once.
    k.touch(1, Phase::Start, DVec2::new(100.0, 150.0));
    k.pump();
    assert_eq!(k.scene().current().map(|w| w.name()), Some("a"));
    assert_eq!(ask(&mut c), (json!("a"), json!(file_uri(&a))));
    k.touch(1, Phase::End, DVec2::new(100.0, 150.0));
    k.pump();
    assert_eq!(ask(&mut c), (json!("a"), json!(file_uri(&a))));

    // `showBackdrop {above: [b]}` raises `b` above the dimming layer.
    let (mut c, r) = call_through_ui(
        &mut k,
        &link,
        &s,
        c,
        "showBackdrop",
        json!({"above": ["b"]}),
    );
    assert_eq!(r["status"], "SUCCESS");
    assert_eq!(ask(&mut c), (json!("b"), json!(file_uri(&b))));

    // Removing the front widget names the one now in front.
    let (mut c, r) = call_through_ui(&mut k, &link, &s, c, "remove", json!({"name": "b"}));
    assert_eq!(r["status"], "SUCCESS");
    assert_eq!(ask(&mut c), (json!("a"), json!(file_uri(&a))));
}
