//! The idle reset, as the next customer meets it: a session drags, raises and plays, time passes with no touch, and every widget is back home, in the home order, with its video at the poster; a touch during the glide stops it for the widget touched.

use crate::support;

use std::time::Duration;

use glam::DVec2;
use support::{
    caller_load, load_video, make_clip, signal, still_png, temp_dir, wait_for, wait_result,
};
use vitrine::app::{Kiosk, Source};
use vitrine::config::Config;
use vitrine::content::file_uri;
use vitrine::scene::{Phase, VideoRequest, VideoState};

fn corners(k: &Kiosk, name: &str) -> [DVec2; 4] {
    k.scene().by_name(name).unwrap().corners()
}

fn same(a: &[DVec2; 4], b: &[DVec2; 4]) -> bool {
    a.iter().zip(b).all(|(p, q)| (*p - *q).length() < 1e-6)
}

fn order(k: &Kiosk) -> Vec<String> {
    k.scene()
        .front_to_back()
        .map(|w| w.name().to_string())
        .collect()
}

fn video_state(k: &Kiosk, name: &str) -> VideoState {
    k.scene().by_name(name).unwrap().video().unwrap().state()
}

/// A kiosk that resets after `idle` with two pictures and a video, its
/// files in a folder of its own (`name`): the tests run at once.
fn kiosk(name: &str, idle: Duration) -> (Kiosk, std::sync::Arc<vitrine::wake::Signal>) {
    let dir = temp_dir(name);
    let mut config = Config::default();
    config.kiosk.idle_reset = idle;
    // No throws: a widget rests where the finger left it.
    config.scatter.inertia = false;
    config.content.roots = vec![dir.clone()];
    let s = signal();
    let mut k = Kiosk::new(config, (1280, 720), s.clone());
    let clip = make_clip(&dir, "idle.webm", "ball", 60, 30, (160, 90));
    let rx = load_video(&mut k, "v", &file_uri(&clip));
    assert_eq!(wait_result(&mut k, &s, &rx), Ok("video"));
    for name in ["a", "b"] {
        let (r, rx) = caller_load(name, Source::File(still_png(&dir)));
        k.load(r);
        assert_eq!(wait_result(&mut k, &s, &rx), Ok("image"));
    }
    (k, s)
}

/// One finger drags from `from` by `by`.
fn drag(k: &mut Kiosk, from: DVec2, by: DVec2) {
    k.touch(1, Phase::Start, from);
    for i in 1..=10 {
        k.touch(1, Phase::Move, from + by * (f64::from(i) / 10.0));
    }
    k.touch(1, Phase::End, from + by);
}

fn centre(c: &[DVec2; 4]) -> DVec2 {
    (c[0] + c[2]) / 2.0
}

#[test]
fn an_idle_kiosk_goes_back_to_its_home_screen() {
    let (mut k, s) = kiosk("idle-home", Duration::from_millis(500));
    let home_a = corners(&k, "a");
    let home_v = corners(&k, "v");
    let home_order = order(&k);
    assert_eq!(home_order, ["b", "a", "v"]);
    let events = k.events();
    let told = events.subscribe(vitrine::events::TypeSet::ALL).unwrap();

    // A customer: drags both pictures aside, then the video behind them
    // (which comes to the front), and plays the video.
    let at = centre(&corners(&k, "b"));
    drag(&mut k, at, DVec2::new(500.0, 0.0));
    let at = centre(&corners(&k, "a"));
    drag(&mut k, at, DVec2::new(-500.0, 0.0));
    drag(&mut k, centre(&home_v), DVec2::new(0.0, 120.0));
    assert!(k.video("v", VideoRequest::Play));
    assert!(!same(&corners(&k, "a"), &home_a), "the picture moved");
    assert!(!same(&corners(&k, "v"), &home_v), "the video moved");
    assert_ne!(order(&k), home_order, "touches raised widgets");
    assert_eq!(video_state(&k, "v"), VideoState::Playing);

    // Nobody touches it: it resets by itself.
    wait_for(&mut k, &s, "the home screen", |k| {
        let now = k.now();
        k.advance(now);
        same(&corners(k, "a"), &home_a)
            && same(&corners(k, "v"), &home_v)
            && order(k) == home_order
            && video_state(k, "v") == VideoState::Poster
    });
    // What a subscriber heard: three drags, the video played, then the kiosk
    // went idle, reset and put the video back to its poster.
    let heard: Vec<String> = std::iter::from_fn(|| told.try_next())
        .map(|d| {
            let p = d.event.params();
            let what = ["gesture", "state", "cause"]
                .iter()
                .find_map(|k| p.get(*k).and_then(|v| v.as_str()))
                .unwrap_or("");
            format!("{} {what}", p["type"].as_str().unwrap_or("?"))
        })
        .filter(|e| !e.starts_with("revision"))
        .collect();
    assert_eq!(
        heard,
        [
            "touched drag",
            "touched drag",
            "touched drag",
            "video playing",
            "idle ",
            "reset idle",
            "video poster",
        ]
    );
}

#[test]
fn a_touch_during_the_glide_stops_it_for_that_widget() {
    let (mut k, s) = kiosk("idle-touch", Duration::from_millis(300));
    let home_a = corners(&k, "a");
    let home_b = corners(&k, "b");
    let at = centre(&corners(&k, "b"));
    drag(&mut k, at, DVec2::new(-400.0, 0.0));
    let at = centre(&corners(&k, "a"));
    drag(&mut k, at, DVec2::new(400.0, 0.0));
    let left = corners(&k, "a");
    // Wait for the reset to begin: "a" starts to glide.
    wait_for(&mut k, &s, "the reset to start", |k| {
        let now = k.now();
        k.advance(now);
        !same(&corners(k, "a"), &left)
    });
    // A new customer grabs "a" where it is now.
    let grab = centre(&corners(&k, "a"));
    k.touch(7, Phase::Start, grab);
    let held = corners(&k, "a");
    wait_for(&mut k, &s, "b to get home", |k| {
        let now = k.now();
        k.advance(now);
        same(&corners(k, "b"), &home_b)
    });
    std::thread::sleep(Duration::from_millis(700));
    let now = k.now();
    k.advance(now);
    assert!(
        same(&corners(&k, "a"), &held),
        "the touched widget stays put"
    );
    assert!(!same(&corners(&k, "a"), &home_a));
    k.touch(7, Phase::End, grab);
}

#[test]
fn zero_turns_the_idle_reset_off() {
    let (mut k, s) = kiosk("idle-off", Duration::ZERO);
    let home_a = corners(&k, "a");
    drag(&mut k, centre(&home_a), DVec2::new(250.0, 50.0));
    let moved = corners(&k, "a");
    // Long past any reset that would have come.
    for _ in 0..20 {
        k.pump();
        s.wait(Some(Duration::from_millis(50)));
    }
    let now = k.now();
    k.advance(now);
    assert!(same(&corners(&k, "a"), &moved));
    // The remote `reset` still works.
    k.reset_home("remote");
    wait_for(&mut k, &s, "the home screen", |k| {
        let now = k.now();
        k.advance(now);
        same(&corners(k, "a"), &home_a)
    });
}

/// Posts an HTML card for a caller, kept in the desired state as the back
/// office's document, and waits for it.
fn post_card(k: &mut Kiosk, s: &vitrine::wake::Signal, name: &str, html: &str, base: String) {
    let (tx, rx) = std::sync::mpsc::channel();
    let kept = vitrine::state::Source::Html {
        data: html.into(),
        base_url: Some(base.clone()),
        width: Some(300),
        height: Some(200),
    };
    k.post_html(
        name,
        html.into(),
        Some(base),
        Some((300, 200)),
        vitrine::app::Placement::Default,
        vitrine::app::Origin::Caller(vitrine::app::Caller::new(tx).0, std::sync::Arc::new(kept)),
    );
    assert_eq!(wait_result(k, s, &rx), Ok("html"));
}

fn screenshot(k: &mut Kiosk, r: &mut vitrine::render::Renderer) -> vitrine::pixels::Rgba8Image {
    let now = k.now();
    k.frame(now);
    k.sync_textures(r);
    r.capture(k.last_frame(), (1280, 720)).unwrap()
}

/// A screenshot once the screen has stopped changing, with the window
/// loop's per-frame check in between: a page shown at another scale is
/// painted again sharp a moment after it settles.
fn settled_screenshot(
    k: &mut Kiosk,
    s: &vitrine::wake::Signal,
    r: &mut vitrine::render::Renderer,
) -> vitrine::pixels::Rgba8Image {
    let mut last = screenshot(k, r);
    let mut same_for = 0;
    for _ in 0..100 {
        s.wait(Some(Duration::from_millis(100)));
        k.pump();
        let now = k.now();
        k.needs_redraw(now);
        let shot = screenshot(k, r);
        same_for = if shot.pixels() == last.pixels() {
            same_for + 1
        } else {
            0
        };
        last = shot;
        if same_for == 5 {
            break;
        }
    }
    last
}

#[test]
fn the_next_customer_sees_the_home_screen_to_the_pixel() {
    let (mut k, s) = kiosk("idle-pixels", Duration::from_millis(400));
    let dir = temp_dir("idle-pixels");
    std::fs::write(
        dir.join("next.html"),
        "<body style='margin:0;background:rgb(0,0,255)'><p>next page</p></body>",
    )
    .unwrap();
    let page = "<body style='margin:0;background:#fff'>\
        <a href='next.html' style='display:block;position:absolute;left:20px;top:20px;width:160px;height:60px;background:#c00'>go</a></body>";
    post_card(&mut k, &s, "card", page, file_uri(&dir.join("index.html")));
    let options = vitrine::app::render_options(k.config());
    let mut renderer = vitrine::render::Renderer::headless(&options).expect("a GPU adapter");
    let home = settled_screenshot(&mut k, &s, &mut renderer);
    let home_card = corners(&k, "card");

    // A customer: follows the card's link, drags a picture, pinches the
    // other, and plays the video.
    let link = k
        .scene()
        .by_name("card")
        .unwrap()
        .transform()
        .transform_point2(DVec2::new(100.0, 50.0));
    k.touch(5, Phase::Start, link);
    k.touch(5, Phase::End, link);
    wait_for(&mut k, &s, "the linked page", |k| {
        k.scene().by_name("card").unwrap().size() == DVec2::new(960.0, 540.0)
    });
    let at = centre(&corners(&k, "a"));
    drag(&mut k, at, DVec2::new(-300.0, 100.0));
    let c = centre(&corners(&k, "b"));
    k.touch(1, Phase::Start, c);
    k.touch(2, Phase::Start, c + DVec2::new(30.0, 0.0));
    for i in 1..=8 {
        let t = f64::from(i) / 8.0;
        k.touch(2, Phase::Move, c + DVec2::new(30.0 + 60.0 * t, 40.0 * t));
    }
    k.touch(2, Phase::End, c + DVec2::new(90.0, 40.0));
    k.touch(1, Phase::End, c);
    assert!(k.video("v", VideoRequest::Play));
    std::thread::sleep(Duration::from_millis(200));
    assert_ne!(
        screenshot(&mut k, &mut renderer).pixels(),
        home.pixels(),
        "the customer changed the screen"
    );

    // Time passes with no touch: everything goes home, the card back to
    // its page.
    wait_for(&mut k, &s, "the home screen", |k| {
        let now = k.now();
        k.advance(now);
        !k.is_animating(now)
            && k.pending_loads() == 0
            && video_state(k, "v") == VideoState::Poster
            && k.scene().by_name("card").unwrap().size() == DVec2::new(300.0, 200.0)
    });
    assert!(same(&corners(&k, "card"), &home_card));
    // The re-rendered page and the poster frame reach their textures.
    let after = settled_screenshot(&mut k, &s, &mut renderer);
    let differ = after
        .pixels()
        .chunks(4)
        .zip(home.pixels().chunks(4))
        .filter(|(a, b)| a.iter().zip(*b).any(|(x, y)| x.abs_diff(*y) > 8))
        .count();
    if differ != 0 {
        home.save_png(&dir.join("home.png")).unwrap();
        after.save_png(&dir.join("after.png")).unwrap();
    }
    assert_eq!(
        differ,
        0,
        "pixels that differ from the home screenshot (both in {})",
        dir.display()
    );
}

/// The state of `name` in a `listContent` reply.
fn listed_state(list: &serde_json::Value, name: &str) -> String {
    list["widgets"]
        .as_array()
        .and_then(|a| a.iter().find(|w| w["name"] == name))
        .map(|w| w["state"].as_str().unwrap_or("").to_string())
        .unwrap_or_default()
}

#[test]
fn through_the_remote_api_reset_rewinds_a_playing_video_and_plays_are_not_touches() {
    use serde_json::json;
    use vitrine::remote::Framing;
    let dir = temp_dir("idle-remote");
    let clip = make_clip(&dir, "remote.webm", "ball", 60, 30, (160, 90));
    let config = format!(
        "[content]\nroots = [{:?}]\n[video]\nautoplay = false\n[kiosk]\nidle_reset = \"1s\"\n[state]\nenabled = false\n",
        dir.display().to_string()
    );
    let kiosk = support::KioskProcess::start(&config, &[]);
    let mut c = kiosk.client(Framing::V2);
    let r = c
        .call("fetchUrl", json!({"name": "v", "url": file_uri(&clip)}))
        .unwrap();
    assert_eq!(r["status"], "SUCCESS", "{r}");
    let state = |c: &mut vitrine::remote::Client| {
        listed_state(&c.call("listContent", json!({})).unwrap(), "v")
    };
    assert_eq!(state(&mut c), "poster");
    c.call("play", json!({"name": "v"})).unwrap();
    assert_eq!(state(&mut c), "playing");
    // A play from the back office is no customer's touch: the idle clock
    // (1 s) leaves it playing.
    std::thread::sleep(Duration::from_millis(2500));
    assert_eq!(state(&mut c), "playing");
    // The back office's reset rewinds it at once.
    let r = c.call("reset", json!({})).unwrap();
    assert_eq!(r["status"], "SUCCESS", "{r}");
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while state(&mut c) != "poster" {
        assert!(std::time::Instant::now() < deadline, "no reset");
        std::thread::sleep(Duration::from_millis(50));
    }
}
