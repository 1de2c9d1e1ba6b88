//! Durable desired state, through real processes: what was acknowledged comes back after `kill -9`, restored content never covers newer pushes, and a bad state file never stops the kiosk.
//!
//! `make crash-test` runs the crash loop long (`VITRINE_CRASH_OPS`, 1,000
//! changes); CI runs 150.

use crate::support;

use std::io::Write;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::{HttpServer, KioskProcess, Lcg, Route, temp_dir};
use vitrine::pixels::Rgba8Image;
use vitrine::remote::Framing;

fn config(content: &Path, state: &Path) -> String {
    format!(
        "[content]\nroots = [{:?}]\n[state]\ndir = {:?}\n",
        content.display().to_string(),
        state.display().to_string()
    )
}

/// A content folder with three pictures of different sizes and colours.
fn pictures(name: &str) -> PathBuf {
    let dir = temp_dir(name);
    for (i, rgb) in [[200, 40, 40], [40, 200, 40], [40, 40, 200]]
        .iter()
        .enumerate()
    {
        Rgba8Image::filled(60 + 30 * i as u32, 40, [rgb[0], rgb[1], rgb[2], 255])
            .save_png(&dir.join(format!("p{i}.png")))
            .unwrap();
    }
    dir
}

fn file_url(dir: &Path, name: &str) -> String {
    url::Url::from_file_path(dir.join(name))
        .unwrap()
        .to_string()
}

fn status(v: &Value) -> &str {
    v["status"].as_str().unwrap_or("?")
}

fn list(kiosk: &KioskProcess) -> Value {
    kiosk
        .client(Framing::V2)
        .call("listContent", json!({}))
        .unwrap()
}

/// Waits until the restored screen holds `count` widgets, and returns it.
fn restored(kiosk: &KioskProcess, count: usize) -> Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let l = list(kiosk);
        if l["widgets"].as_array().map_or(0, Vec::len) == count {
            // Let a restored backdrop, shown after the last widget, settle.
            std::thread::sleep(Duration::from_millis(400));
            return list(kiosk);
        }
        assert!(
            Instant::now() < deadline,
            "the restore did not finish: {l}\n{}",
            kiosk.log.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_restart_shows_what_was_acknowledged() {
    let content = pictures("state-restart");
    let state = temp_dir("state-restart-dir").join("state");
    let cfg = config(&content, &state);
    let kiosk = KioskProcess::start(&cfg, &[]);
    let mut c = kiosk.client(Framing::V2);
    let r = c
        .call(
            "fetchUrl",
            json!({"name": "a", "url": file_url(&content, "p0.png")}),
        )
        .unwrap();
    assert_eq!(status(&r), "SUCCESS", "{r}");
    let r = c
        .call(
            "postHtml",
            json!({"name": "b", "data": "<body style='background:#258'><h1>Offer</h1></body>",
                   "width": 300, "height": 200}),
        )
        .unwrap();
    assert_eq!(status(&r), "SUCCESS", "{r}");
    let r = c
        .call(
            "fetchUrl",
            json!({"name": "c", "url": file_url(&content, "p1.png")}),
        )
        .unwrap();
    assert_eq!(status(&r), "SUCCESS", "{r}");
    assert_eq!(
        status(&c.call("raise", json!({"name": "a"})).unwrap()),
        "SUCCESS"
    );
    assert_eq!(
        status(&c.call("showBackdrop", json!({"above": ["b"]})).unwrap()),
        "SUCCESS"
    );
    // Five changes, five revisions; a failed request changes none.
    assert_eq!(list(&kiosk)["revision"], json!(5));
    let r = c.call("remove", json!({"name": "nope"})).unwrap();
    assert_eq!(status(&r), "NOT_FOUND");
    std::thread::sleep(Duration::from_millis(400));
    let before = list(&kiosk);
    assert_eq!(before["revision"], json!(5));
    assert_eq!(c.call("ping", json!({})).unwrap()["revision"], json!(5));
    assert_eq!(c.call("whatsLoaded", json!({})).unwrap(), json!("b"));
    drop(c);
    drop(kiosk); // SIGKILL

    let kiosk = KioskProcess::start(&cfg, &[]);
    let after = restored(&kiosk, 3);
    assert_eq!(after, before, "the restored screen is the acknowledged one");
    let mut c = kiosk.client(Framing::V2);
    assert_eq!(c.call("whatsLoaded", json!({})).unwrap(), json!("b"));
    assert_eq!(c.call("ping", json!({})).unwrap()["revision"], json!(5));
    let log = kiosk.log.lock().unwrap().clone();
    assert!(log.contains("restoring the desired state"), "{log}");

    // Removing a widget is kept too, and the revision goes on from there.
    assert_eq!(
        status(&c.call("remove", json!({"name": "c"})).unwrap()),
        "SUCCESS"
    );
    assert_eq!(
        status(&c.call("hideBackdrop", json!({})).unwrap()),
        "SUCCESS"
    );
    std::thread::sleep(Duration::from_millis(400));
    let before = list(&kiosk);
    assert_eq!(before["revision"], json!(7));
    drop(c);
    drop(kiosk);
    let kiosk = KioskProcess::start(&cfg, &[]);
    assert_eq!(restored(&kiosk, 2), before);
}

#[test]
fn restored_content_never_covers_newer_pushes() {
    let content = pictures("state-order");
    let state = temp_dir("state-order-dir").join("state");
    let png = std::fs::read(content.join("p2.png")).unwrap();
    let server = HttpServer::start(vec![(
        "/slow.png",
        Route::Slow(png, Duration::from_millis(1500)),
    )]);
    let cfg = config(&content, &state);
    let kiosk = KioskProcess::start(&cfg, &[]);
    let mut c = kiosk.client(Framing::V2);
    for (name, url) in [
        ("back", file_url(&content, "p0.png")),
        ("slow", server.url("/slow.png")),
    ] {
        let r = c
            .call("fetchUrl", json!({"name": name, "url": url}))
            .unwrap();
        assert_eq!(status(&r), "SUCCESS", "{r}");
    }
    drop(c);
    drop(kiosk);

    // The restore takes "back" at once and "slow" after 1.5 s; a push lands
    // in between, and "slow" must come back below it.
    let kiosk = KioskProcess::start(&cfg, &[]);
    let mut c = kiosk.client(Framing::V2);
    let r = c
        .call("postHtml", json!({"name": "new", "data": "<h1>New</h1>"}))
        .unwrap();
    assert_eq!(status(&r), "SUCCESS", "{r}");
    let after = restored(&kiosk, 3);
    let names: Vec<&str> = after["widgets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["new", "slow", "back"], "front to back");
    assert_eq!(c.call("whatsLoaded", json!({})).unwrap(), json!("new"));
    assert_eq!(c.call("currentUrl", json!({})).unwrap(), json!(""));
}

#[test]
fn a_bad_state_file_never_stops_the_kiosk() {
    let content = pictures("state-bad");
    type Breaker<'a> = &'a dyn Fn(&Path);
    let cases: [(&str, Breaker); 3] = [
        ("corrupt", &|p| {
            std::fs::write(p, b"{\"format\": garbage").unwrap()
        }),
        ("truncated", &|p| {
            let text = std::fs::read(p).unwrap();
            std::fs::write(p, &text[..text.len() / 2]).unwrap();
        }),
        ("unreadable", &|p| {
            std::fs::remove_file(p).unwrap();
            std::fs::create_dir(p).unwrap();
        }),
    ];
    for (case, breaker) in cases {
        let state = temp_dir(&format!("state-bad-{case}")).join("state");
        let cfg = config(&content, &state);
        let kiosk = KioskProcess::start(&cfg, &[]);
        let mut c = kiosk.client(Framing::V2);
        for (name, file) in [("a", "p0.png"), ("b", "p1.png")] {
            let r = c
                .call(
                    "fetchUrl",
                    json!({"name": name, "url": file_url(&content, file)}),
                )
                .unwrap();
            assert_eq!(status(&r), "SUCCESS", "{r}");
        }
        drop(c);
        drop(kiosk);
        breaker(&state.join("state.json"));
        let kiosk = KioskProcess::start(&cfg, &[]);
        // The previous good copy (revision 1: only "a") comes back.
        let after = restored(&kiosk, 1);
        assert_eq!(after["revision"], json!(1), "{case}");
        assert_eq!(after["widgets"][0]["name"], json!("a"), "{case}");
        let log = kiosk.log.lock().unwrap().clone();
        assert!(log.contains("restored the previous copy"), "{case}: {log}");
        assert!(log.contains("kept the bad file as"), "{case}: {log}");
        let kept = std::fs::read_dir(&state)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with("state.json.bad-")
            })
            .count();
        assert_eq!(kept, 1, "{case}: the bad file is kept for inspection");
    }
}

#[test]
fn the_demo_config_never_writes_state() {
    let state_home = temp_dir("state-demo");
    let demo = crate::support::repo().join("config/demo.toml");
    let out = support::vitrine()
        .arg("--config")
        .arg(&demo)
        .args([
            "--headless",
            "--size",
            "320x200",
            "--no-remote",
            "--no-admin",
        ])
        .args(["--exit-after", "2s"])
        .env("XDG_STATE_HOME", &state_home)
        .env("RUST_LOG", "info")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(log.contains("desired state is not kept"), "{log}");
    assert!(!state_home.join("vitrine").exists());
}

/// Sends one request without waiting for its answer: the kiosk is killed
/// while it is in flight.
fn send_blind(port: u16, method: &str, params: Value) {
    if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) {
        let request = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
        let frame = vitrine::remote::codec::encode(Framing::V2, request.to_string().as_bytes());
        let _ = s.write_all(&frame);
    }
}

/// Whether two `listContent` answers describe the same screen. Corners may
/// differ in the last bits: a home is stored as scale and angle, and turning
/// a transform into those and back is not exact in floating point.
fn same_screen(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => (x - y).abs() < 1e-6,
            _ => x == y,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_screen(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_screen(v, w)))
        }
        _ => a == b,
    }
}

/// The widgets' names, front to back.
fn names(l: &Value) -> Vec<String> {
    l["widgets"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|w| w["name"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn acknowledged_changes_survive_sigkill() {
    let ops: usize = std::env::var("VITRINE_CRASH_OPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150);
    let content = pictures("state-crash");
    let state = temp_dir("state-crash-dir").join("state");
    let cfg = config(&content, &state);
    let mut rng = Lcg(0xc0ffee);
    let mut kiosk = KioskProcess::start(&cfg, &[]);
    let mut c = kiosk.client(Framing::V2);
    // The state after the last acknowledged change.
    let mut acked = list(&kiosk);
    let (mut kills, mut lost, mut in_flight_kept) = (0, 0, 0);
    let names_pool = ["a", "b", "c", "d", "e"];
    for i in 0..ops {
        let name = names_pool[rng.below(names_pool.len() as u64) as usize];
        let (method, params) = match rng.below(8) {
            0 | 1 => (
                "fetchUrl",
                json!({"name": name, "url": file_url(&content, &format!("p{}.png", rng.below(3)))}),
            ),
            2 => (
                "postHtml",
                json!({"name": name, "data": format!("<h2 style='color:#{:06x}'>Offer {i}</h2>", rng.below(0xffffff)),
                       "width": 200 + rng.below(200), "height": 150}),
            ),
            3 => ("remove", json!({"name": name})),
            6 | 7 => {
                // Where the back office puts it, and how it answers fingers;
                // at once, so the listing after the answer is its home.
                let mut p = json!({"name": name, "animate": false,
                    "x": rng.below(640), "y": rng.below(360),
                    "rotation": rng.below(360), "width": 60 + rng.below(200),
                    "gestures": {"rotate": rng.below(2) == 0}});
                match rng.below(6) {
                    0 => p = json!({"name": name, "fill": "screen"}),
                    1 => p = json!({"name": name, "fill": "none", "z": rng.below(5)}),
                    2 => p["pinned"] = json!(rng.below(2) == 0),
                    3 => p["z"] = json!(rng.below(5)),
                    _ => {}
                }
                ("place", p)
            }
            4 => ("raise", json!({"name": name})),
            _ => {
                if rng.below(2) == 0 {
                    ("showBackdrop", json!({"above": [name]}))
                } else {
                    ("hideBackdrop", json!({}))
                }
            }
        };
        let kill_now = rng.below(8) == 0;
        if kill_now {
            // Kill while this change is in flight, or just before it lands.
            send_blind(kiosk.port, method, params);
            std::thread::sleep(Duration::from_millis(rng.below(40)));
            drop(c);
            drop(kiosk);
            kills += 1;
            kiosk = KioskProcess::start(&cfg, &[]);
            c = kiosk.client(Framing::V2);
            let rev = acked["revision"].as_u64().unwrap();
            // Wait for the restore of whichever revision survived.
            let deadline = Instant::now() + Duration::from_secs(60);
            let now = loop {
                let l = list(&kiosk);
                let want = if l["revision"].as_u64() == Some(rev) {
                    names(&acked).len()
                } else {
                    usize::MAX
                };
                if names(&l).len() == want || Instant::now() > deadline {
                    break l;
                }
                if l["revision"].as_u64() == Some(rev + 1) {
                    // The change in flight was saved before the kill: the
                    // acknowledged state plus that one change.
                    std::thread::sleep(Duration::from_secs(2));
                    break list(&kiosk);
                }
                std::thread::sleep(Duration::from_millis(50));
            };
            std::thread::sleep(Duration::from_millis(400));
            let now = if now["revision"].as_u64() == Some(rev) {
                list(&kiosk)
            } else {
                now
            };
            match now["revision"].as_u64() {
                Some(r) if r == rev => {
                    if !same_screen(&now, &acked) {
                        lost += 1;
                        eprintln!("after kill {kills}: expected\n{acked}\ngot\n{now}");
                    }
                }
                Some(r) if r == rev + 1 => {
                    // Everything but the change's own widget stays as it was.
                    in_flight_kept += 1;
                    let others = |l: &Value| -> Vec<String> {
                        names(l).into_iter().filter(|n| n != name).collect()
                    };
                    if others(&now) != others(&acked) {
                        lost += 1;
                        eprintln!(
                            "after kill {kills} (in-flight change kept): expected\n{acked}\ngot\n{now}"
                        );
                    }
                }
                _ => {
                    lost += 1;
                    eprintln!("after kill {kills}: revision {rev} expected, got\n{now}");
                }
            }
            acked = list(&kiosk);
            continue;
        }
        let r = c.call(method, params).unwrap();
        let ok = r == json!(null) || status(&r) == "SUCCESS";
        if ok {
            // Answered, so durable: what the screen shows now must come back.
            std::thread::sleep(Duration::from_millis(250));
            acked = list(&kiosk);
        }
    }
    eprintln!(
        "crash test: {ops} changes, {kills} kills survived, {in_flight_kept} in-flight changes kept, {lost} acknowledgements lost"
    );
    assert!(kills > 0, "the loop killed the kiosk");
    assert_eq!(lost, 0, "acknowledged changes were lost");
}
