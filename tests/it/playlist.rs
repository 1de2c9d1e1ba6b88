//! Playlists: three colours at one second each, captured about thirty times a second for four seconds, show all three in order and never a blank frame, with a cut and with a crossfade; a restart comes back at the item the time calls for; a video item plays to its end, a tapped one holds the turn, and an item the content policy refuses is skipped; a playlist that cannot hold is refused whole; items from an origin that went away take turns from the offline cache.

use crate::support;

use std::path::Path;
use std::time::{Duration, Instant};

use glam::DVec2;
use serde_json::{Value, json};
use support::{KioskProcess, eventually, screenshot, temp_dir};
use vitrine::api::{Call, CallReply, CallResult, Task};
use vitrine::app::Kiosk;
use vitrine::config::Config;
use vitrine::remote::{Client, Framing};
use vitrine::scene::{Phase, VideoState};
use vitrine::state::Document;

const RED: [u8; 3] = [220, 30, 30];
const GREEN: [u8; 3] = [30, 200, 60];
const BLUE: [u8; 3] = [30, 40, 220];

/// A PNG of one colour in `dir`, as a `file://` URL.
fn colour(dir: &Path, name: &str, rgb: [u8; 3]) -> String {
    let path = dir.join(format!("{name}.png"));
    vitrine::pixels::Rgba8Image::filled(64, 36, [rgb[0], rgb[1], rgb[2], 255])
        .save_png(&path)
        .unwrap();
    vitrine::content::file_uri(&path)
}

/// A document whose one widget, `show`, fills the screen with a playlist.
fn playlist_doc(items: Value, transition: &str) -> Value {
    json!({
        "format": "vitrine-state",
        "version": 2,
        "state": {
            "revision": 1,
            "widgets": [{
                "name": "show",
                "source": {"type": "playlist", "transition": transition, "items": items},
                "home": {"x": 0.0, "y": 0.0, "scale": 1.0, "rotation": 0.0},
                "gestures": {"fill": "screen"},
            }],
        }
    })
}

/// A kiosk process with `doc` as its stored state and `extra` config.
fn kiosk(dir: &Path, doc: &Value, extra: &str, args: &[&str]) -> KioskProcess {
    let state_dir = dir.join("state");
    std::fs::create_dir_all(&state_dir).unwrap();
    std::fs::write(state_dir.join("state.json"), doc.to_string()).unwrap();
    let config = format!(
        "[content]\nroots = [{:?}]\n[state]\ndir = {:?}\n{extra}",
        dir.display().to_string(),
        state_dir.display().to_string()
    );
    KioskProcess::start(&config, args)
}

/// An sRGB value in linear light, where the renderer blends.
fn linear(c: u8) -> f64 {
    let c = f64::from(c) / 255.0;
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

/// The middle of a capture, in linear light.
fn middle(shot: &image::RgbaImage) -> [f64; 3] {
    let p = shot.get_pixel(shot.width() / 2, shot.height() / 2).0;
    [linear(p[0]), linear(p[1]), linear(p[2])]
}

fn f(c: [u8; 3]) -> [f64; 3] {
    c.map(linear)
}

/// How far `p` is from the segment `a`–`b` (a blend of the two, in linear
/// light), and where along it (0 at `a`).
fn from_blend(p: [f64; 3], a: [f64; 3], b: [f64; 3]) -> (f64, f64) {
    let d: Vec<f64> = (0..3).map(|i| b[i] - a[i]).collect();
    let len2: f64 = d.iter().map(|x| x * x).sum();
    let t = ((0..3).map(|i| (p[i] - a[i]) * d[i]).sum::<f64>() / len2).clamp(0.0, 1.0);
    let dist = (0..3)
        .map(|i| (a[i] + t * d[i] - p[i]).powi(2))
        .sum::<f64>()
        .sqrt();
    (dist, t)
}

/// Captures the screen about 30 times a second for four seconds, and
/// checks every capture: a colour of the list, or (with a crossfade) a
/// blend of one and the next; never anything else. Returns the order the
/// colours came in, each run once.
fn watch(c: &mut Client, colours: &[[u8; 3]], fades: bool) -> Vec<usize> {
    let mut order: Vec<usize> = Vec::new();
    let (mut captures, mut blends) = (0, 0);
    let start = Instant::now();
    let mut next = start;
    while start.elapsed() < Duration::from_secs(4) {
        std::thread::sleep(next.saturating_duration_since(Instant::now()));
        next += Duration::from_millis(33);
        let p = middle(&screenshot(c));
        captures += 1;
        let mut nearest = (f64::MAX, 0, 0.0);
        for i in 0..colours.len() {
            let (dist, t) = from_blend(p, f(colours[i]), f(colours[(i + 1) % colours.len()]));
            if dist < nearest.0 {
                nearest = (dist, i, t);
            }
        }
        let (dist, i, t) = nearest;
        assert!(
            dist < 0.03,
            "capture {captures} is no colour of the list: {p:?}"
        );
        let which = if t < 0.06 {
            i
        } else if t > 0.94 {
            (i + 1) % colours.len()
        } else {
            assert!(
                fades,
                "capture {captures} is a blend, but the playlist cuts: {p:?}"
            );
            blends += 1;
            continue;
        };
        if order.last() != Some(&which) {
            order.push(which);
        }
    }
    assert!(captures >= 20, "only {captures} captures in four seconds");
    assert!(!fades || blends > 0, "no capture caught a crossfade");
    eprintln!("{captures} captures, {blends} mid-fade, order {order:?}");
    order
}

fn three_colours(transition: &'static str) {
    let dir = temp_dir(&format!("playlist-{transition}"));
    let colours = [RED, GREEN, BLUE];
    let items: Vec<Value> = colours
        .iter()
        .enumerate()
        .map(|(i, c)| json!({"url": colour(&dir, &format!("c{i}"), *c), "seconds": 1}))
        .collect();
    let kiosk = kiosk(&dir, &playlist_doc(json!(items), transition), "", &[]);
    let mut c = kiosk.client(Framing::V2);
    assert!(
        eventually(Duration::from_secs(60), || {
            c.call("listContent", json!({})).unwrap()["widgets"][0]["name"] == "show"
        }),
        "the playlist never showed"
    );
    let order = watch(&mut c, &colours, transition == "crossfade");
    // Four seconds of one-second turns: at least three changes, each to the
    // next colour of the list.
    assert!(order.len() >= 4, "{order:?}");
    for pair in order.windows(2) {
        assert_eq!(pair[1], (pair[0] + 1) % 3, "out of order: {order:?}");
    }
    let state = c.call("getState", json!({})).unwrap();
    assert_eq!(state["version"], 2, "a playlist is a version 2 document");
    assert_eq!(state["state"]["widgets"][0]["source"]["type"], "playlist");
}

#[test]
fn three_colours_take_turns_in_order_and_never_a_blank_frame() {
    let fading = std::thread::spawn(|| three_colours("crossfade"));
    three_colours("cut");
    fading.join().unwrap();
}

/// The URL `listContent` reports for the playlist widget.
fn showing(c: &mut Client) -> Value {
    c.call("listContent", json!({})).unwrap()["widgets"][0]["url"].clone()
}

#[test]
fn a_restart_comes_back_at_the_item_the_time_calls_for() {
    let dir = temp_dir("playlist-restart");
    let urls: Vec<String> = [RED, GREEN, BLUE]
        .iter()
        .enumerate()
        .map(|(i, c)| colour(&dir, &format!("c{i}"), *c))
        .collect();
    let items: Vec<Value> = urls
        .iter()
        .map(|u| json!({"url": u, "seconds": 100}))
        .collect();
    let doc = playlist_doc(json!(items), "cut");
    let mut first = kiosk(&dir, &doc, "", &["--clock", "2027-01-04T10:00:00Z"]);
    let mut c = first.client(Framing::V2);
    assert!(eventually(Duration::from_secs(60), || showing(&mut c)
        == json!(urls[0])));
    assert!(eventually(Duration::from_secs(10), || {
        dir.join("state/playlists.json").exists()
    }));
    // A crash, and the kiosk comes back 250 s later on its clock: the first
    // two items have had their 200 s, the third is on.
    let _ = std::process::Command::new("kill")
        .args(["-9", &first.pid().to_string()])
        .status();
    assert!(eventually(Duration::from_secs(10), || !first.alive()));
    let second = kiosk(&dir, &doc, "", &["--clock", "2027-01-04T10:04:10Z"]);
    let mut c = second.client(Framing::V2);
    assert!(
        eventually(Duration::from_secs(60), || showing(&mut c)
            == json!(urls[2])),
        "after the restart: {}",
        showing(&mut c)
    );
}

/// Sends one call as the remote server would, and returns its answer.
fn call(k: &mut Kiosk, call: Call) -> CallResult {
    let (tx, rx) = std::sync::mpsc::channel();
    k.task(Task::Call { call, reply: tx }, None);
    rx.recv_timeout(Duration::from_secs(10))
        .expect("the call is answered")
}

/// Applies `doc` with `setState`; the answer.
fn set_state(k: &mut Kiosk, doc: Value) -> CallResult {
    let document = serde_json::from_value::<Document>(doc)
        .unwrap()
        .into_checked()
        .map_err(|e| e.to_string());
    match document {
        Ok(d) => call(
            k,
            Call::SetState {
                document: Box::new(d),
            },
        ),
        Err(why) => panic!("the document does not parse: {why}"),
    }
}

/// What the playlist widget shows: its kind and URL.
fn on_screen(k: &Kiosk) -> Option<(String, Option<String>)> {
    let w = k.scene().by_name("show")?;
    Some((w.kind().name().to_string(), k.url_of("show")))
}

/// Pumps `k` until `done`, recording each change of what `show` shows.
fn pump_until(
    k: &mut Kiosk,
    s: &vitrine::wake::Signal,
    seen: &mut Vec<(String, Option<String>)>,
    what: &str,
    mut done: impl FnMut(&Kiosk, &[(String, Option<String>)]) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        k.pump();
        if let Some(now) = on_screen(k)
            && seen.last() != Some(&now)
        {
            seen.push(now);
        }
        if done(k, seen) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}: {seen:?}"
        );
        s.wait(Some(Duration::from_millis(20)));
    }
}

#[test]
fn a_video_item_plays_to_its_end_a_tap_holds_its_turn_and_a_refused_item_is_skipped() {
    let dir = temp_dir("playlist-video");
    let clip = support::make_clip(&dir, "clip.webm", "ball", 45, 15, (160, 120));
    let clip = vitrine::content::file_uri(&clip);
    let red = colour(&dir, "red", RED);
    let mut config = Config::default();
    config.content.roots = vec![dir.clone()];
    config.kiosk.idle_reset = Duration::from_secs(600);
    let s = support::signal();
    let mut k = Kiosk::new(config, (640, 360), s.clone());
    // The clip is three seconds long but may play two: without a tap it
    // gives way at two.
    let items = json!([
        {"url": clip, "max_seconds": 2},
        {"url": "file:///etc/hostname"},
        {"url": red, "seconds": 1},
    ]);
    let reply = set_state(&mut k, playlist_doc(items, "cut"));
    assert!(
        matches!(reply, Ok(CallReply::Applied { applied: true, .. })),
        "{reply:?}"
    );

    let mut seen = Vec::new();
    let video = |k: &Kiosk| on_screen(k).is_some_and(|(kind, _)| kind == "video");
    pump_until(&mut k, &s, &mut seen, "the video", |k, _| video(k));
    // A customer taps it: it pauses, and its turn waits past its two seconds.
    k.touch(1, Phase::Start, DVec2::new(320.0, 180.0));
    k.touch(1, Phase::End, DVec2::new(320.0, 180.0));
    let tapped = Instant::now();
    pump_until(&mut k, &s, &mut seen, "four seconds", |_, _| {
        tapped.elapsed() > Duration::from_secs(4)
    });
    assert!(video(&k), "the tapped video kept its turn: {seen:?}");
    assert_eq!(
        k.scene().by_name("show").unwrap().video().unwrap().state(),
        VideoState::Paused
    );
    // Tapped again, it plays on to its end, and the red image comes next:
    // the item the content policy refuses is skipped.
    k.touch(2, Phase::Start, DVec2::new(320.0, 180.0));
    k.touch(2, Phase::End, DVec2::new(320.0, 180.0));
    pump_until(&mut k, &s, &mut seen, "the image", |k, _| {
        on_screen(k).is_some_and(|(kind, _)| kind == "image")
    });
    // Untouched, the video comes round again and gives way at its cap.
    pump_until(&mut k, &s, &mut seen, "the second round", |_, seen| {
        seen.len() >= 4
    });
    let urls: Vec<Option<String>> = seen.iter().map(|(_, u)| u.clone()).collect();
    assert_eq!(
        urls[..4],
        [
            Some(clip.clone()),
            Some(red.clone()),
            Some(clip.clone()),
            Some(red.clone())
        ],
        "{seen:?}"
    );
    assert!(!urls.contains(&Some("file:///etc/hostname".into())));
}

#[test]
fn a_playlist_that_cannot_hold_is_refused_whole_with_its_reason() {
    let checked = |items: Value| {
        serde_json::from_value::<Document>(playlist_doc(items, "cut"))
            .map_err(|e| e.to_string())
            .and_then(|d| d.into_checked())
    };
    let refused = [
        (json!([]), "at least one item"),
        (json!([{"url": "a.png", "html": "<p>"}]), "not both"),
        (json!([{"url": "a.png", "seconds": -1}]), "seconds must be"),
        (json!([{"html": "<p>", "max_seconds": 3}]), "for a video"),
        (json!([{"url": "a.png", "volume": 3}]), "unknown field"),
    ];
    for (items, why) in refused {
        let err = checked(items.clone()).unwrap_err();
        assert!(err.contains(why), "{items}: {err}");
    }
    // A version 1 document cannot hold a playlist.
    let mut v1 = playlist_doc(json!([{"url": "a.png"}]), "cut");
    v1["version"] = json!(1);
    let err = serde_json::from_value::<Document>(v1)
        .unwrap()
        .into_checked()
        .unwrap_err();
    assert!(err.contains("version 2"), "{err}");

    // The kiosk's own bound, `playlist.max_items`, refuses a longer list
    // and keeps its revision.
    let dir = temp_dir("playlist-bounds");
    let mut config = Config::default();
    config.content.roots = vec![dir.clone()];
    config.playlist.max_items = 2;
    let mut k = Kiosk::new(config, (640, 360), support::signal());
    let items = json!([{"url": "a.png"}, {"url": "b.png"}, {"url": "c.png"}]);
    let err = set_state(&mut k, playlist_doc(items, "crossfade")).unwrap_err();
    assert!(
        err.message.contains("playlist.max_items"),
        "{}",
        err.message
    );
    let reply = call(&mut k, Call::GetState);
    assert!(
        matches!(&reply, Ok(CallReply::State(desired)) if desired.revision == 0),
        "{reply:?}"
    );
}

#[test]
fn a_playlist_from_an_origin_that_went_away_still_takes_turns_from_the_cache() {
    use support::{HttpServer, Route};
    let dir = temp_dir("playlist-offline");
    let png = |rgb: [u8; 3]| {
        vitrine::pixels::Rgba8Image::filled(64, 36, [rgb[0], rgb[1], rgb[2], 255])
            .to_png()
            .unwrap()
    };
    let server = HttpServer::start(vec![
        ("/red.png", Route::File(png(RED))),
        ("/blue.png", Route::File(png(BLUE))),
    ]);
    let urls = [server.url("/red.png"), server.url("/blue.png")];
    let items: Vec<Value> = urls
        .iter()
        .map(|u| json!({"url": u, "seconds": 1}))
        .collect();
    let doc = playlist_doc(json!(items), "cut");
    // Both items shown once, from the origin.
    let mut first = kiosk(&dir, &doc, "", &[]);
    let mut c = first.client(Framing::V2);
    let seen_both = |c: &mut Client| {
        let mut seen = Vec::new();
        eventually(Duration::from_secs(30), || {
            let now = showing(c);
            if !seen.contains(&now) {
                seen.push(now);
            }
            seen.contains(&json!(urls[0])) && seen.contains(&json!(urls[1]))
        })
    };
    assert!(seen_both(&mut c), "both items from the origin");
    // The origin goes away, and the kiosk restarts: the list goes on from
    // the offline cache.
    server.stop();
    let _ = std::process::Command::new("kill")
        .args(["-9", &first.pid().to_string()])
        .status();
    assert!(eventually(Duration::from_secs(10), || !first.alive()));
    let second = kiosk(&dir, &doc, "", &[]);
    let mut c = second.client(Framing::V2);
    assert!(seen_both(&mut c), "both items from the cache");
    let list = c.call("listContent", json!({})).unwrap();
    assert_ne!(list["widgets"][0]["kind"], "error", "{list}");
}

#[test]
fn a_first_item_with_no_room_gives_way_to_the_next_a_turn_later() {
    let dir = temp_dir("playlist-no-room");
    let picture = |name: &str, w: u32| {
        let path = dir.join(format!("{name}.png"));
        vitrine::pixels::Rgba8Image::filled(w, w, [200, 40, 40, 255])
            .save_png(&path)
            .unwrap();
        vitrine::content::file_uri(&path)
    };
    let (big, small) = (picture("big", 400), picture("small", 40));
    let mut config = Config::default();
    config.content.roots = vec![dir.clone()];
    // 400x400 pictures (640,000 bytes) do not fit; 40x40 ones do.
    config.content.max_texture_bytes = 100_000;
    config.playlist.seconds = Duration::from_secs(1);
    let s = support::signal();
    let mut k = Kiosk::new(config, (640, 360), s.clone());
    let items = json!([{"url": big}, {"url": small}]);
    let reply = set_state(&mut k, playlist_doc(items, "cut"));
    assert!(
        matches!(reply, Ok(CallReply::Applied { applied: true, .. })),
        "{reply:?}"
    );
    let mut seen = Vec::new();
    pump_until(&mut k, &s, &mut seen, "the small item", |k, _| {
        on_screen(k).is_some_and(|(_, url)| url.as_deref() == Some(small.as_str()))
    });
    assert!(
        !seen.iter().any(|(_, u)| u.as_deref() == Some(big.as_str())),
        "{seen:?}"
    );
}
