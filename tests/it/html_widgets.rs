//! HTML widgets in the kiosk: posted pages, limits that change nothing, sharp re-paints after a pinch, and link taps.

use crate::support;

use std::sync::mpsc::channel;
use std::time::Duration;

use glam::DVec2;
use support::{signal, temp_dir, wait_for, wait_result};
use vitrine::app::{Kiosk, LoadResult, Origin, Placement};
use vitrine::config::Config;
use vitrine::scene::{Kind, Phase};
use vitrine::wake::Signal;

fn kiosk_with_root(root: Option<std::path::PathBuf>, s: &std::sync::Arc<Signal>) -> Kiosk {
    let mut config = Config::default();
    config.scatter.inertia = false;
    config.content.roots.extend(root);
    Kiosk::new(config, (1280, 720), s.clone())
}

fn post(
    k: &mut Kiosk,
    name: &str,
    html: &str,
    base: Option<String>,
    viewport: (u32, u32),
) -> std::sync::mpsc::Receiver<LoadResult> {
    let (tx, rx) = channel();
    k.post_html(
        name,
        html.into(),
        base,
        Some(viewport),
        Placement::Default,
        Origin::Caller(
            vitrine::app::Caller::new(tx).0,
            std::sync::Arc::new(vitrine::state::Source::Url {
                url: String::new(),
                poster: None,
            }),
        ),
    );
    rx
}

const PAGE: &str =
    "<body style='margin:0;background:#ffffff'><p style='font:24px sans-serif'>Hello</p></body>";

#[test]
fn posted_html_becomes_a_widget_of_its_viewport() {
    let s = signal();
    let mut k = kiosk_with_root(None, &s);
    let rx = post(&mut k, "card", PAGE, None, (400, 300));
    assert_eq!(wait_result(&mut k, &s, &rx), Ok("html"));
    let w = k.scene().by_name("card").unwrap();
    assert_eq!(w.kind(), &Kind::Html);
    assert_eq!(w.size(), DVec2::new(400.0, 300.0));
    // Fitted to 60 % of 1280x720: scale 1.44, so painted at 1.44x.
    let scale = w.scale();
    let (tw, th) = k.texture_size("card").unwrap();
    assert_eq!(tw, (400.0 * scale).round() as u32);
    assert_eq!(th, (300.0 * scale).round() as u32);
}

#[test]
fn refused_documents_change_nothing() {
    let s = signal();
    let mut k = kiosk_with_root(None, &s);
    let rx = post(&mut k, "card", PAGE, None, (400, 300));
    assert_eq!(wait_result(&mut k, &s, &rx), Ok("html"));
    let before = (
        k.scene().by_name("card").unwrap().transform(),
        k.texture_size("card"),
    );
    for bad in [
        "<div>".repeat(100_000),
        format!("<p>{}</p>", "x".repeat(5 << 20)),
    ] {
        let rx = post(&mut k, "card", &bad, None, (400, 300));
        let result = wait_result(&mut k, &s, &rx);
        assert!(result.is_err(), "{result:?}");
        let w = k.scene().by_name("card").unwrap();
        assert_eq!((w.transform(), k.texture_size("card")), before);
        assert_eq!(w.kind(), &Kind::Html);
    }
}

/// A two-finger spread that multiplies the widget's scale by `k` about its
/// centre.
fn spread(kiosk: &mut Kiosk, name: &str, k: f64) {
    let w = kiosk.scene().by_name(name).unwrap();
    let c = w.transform().transform_point2(w.size() / 2.0);
    let a = c - DVec2::new(40.0, 0.0);
    kiosk.touch(1, Phase::Start, a);
    kiosk.touch(2, Phase::Start, c + DVec2::new(40.0, 0.0));
    for i in 1..=10 {
        let d = 40.0 + (80.0 * k - 40.0) * f64::from(i) / 10.0;
        kiosk.touch(2, Phase::Move, a + DVec2::new(d, 0.0));
    }
    kiosk.touch(2, Phase::End, a + DVec2::new(80.0 * k, 0.0));
    kiosk.touch(1, Phase::End, a);
}

#[test]
fn a_page_is_painted_again_sharp_after_a_pinch_settles() {
    let s = signal();
    let mut k = kiosk_with_root(None, &s);
    // 800x400 fits 60 % of the window at scale 0.96: room to zoom in.
    let rx = post(&mut k, "card", PAGE, None, (800, 400));
    assert_eq!(wait_result(&mut k, &s, &rx), Ok("html"));
    let (w1, _) = k.texture_size("card").unwrap();
    let scale1 = k.scene().by_name("card").unwrap().scale();
    spread(&mut k, "card", 1.5);
    let scale2 = k.scene().by_name("card").unwrap().scale();
    assert!((scale2 / scale1 - 1.5).abs() < 0.01, "{scale1} -> {scale2}");
    // Nothing changes while the pinch may go on; then a sharper paint lands.
    wait_for(&mut k, &s, "the sharper paint", |k| {
        let now = k.now();
        k.needs_redraw(now);
        k.texture_size("card").unwrap().0 > w1
    });
    let (w2, _) = k.texture_size("card").unwrap();
    assert_eq!(w2, (800.0 * scale2).round() as u32);
}

#[test]
fn a_tap_on_a_link_navigates_and_a_drag_across_it_does_not() {
    let root = temp_dir("links");
    std::fs::write(
        root.join("next.html"),
        "<body style='margin:0;background:rgb(0,0,255)'><p>next page</p></body>",
    )
    .unwrap();
    let base = vitrine::content::file_uri(&root.join("index.html"));
    let page = "<body style='margin:0;background:#fff'>\
        <a href='next.html' style='display:block;position:absolute;left:20px;top:20px;width:160px;height:60px;background:#c00'>go</a></body>";
    let s = signal();
    let mut k = kiosk_with_root(Some(root.clone()), &s);
    let rx = post(&mut k, "card", page, Some(base), (400, 300));
    assert_eq!(wait_result(&mut k, &s, &rx), Ok("html"));
    let at = |k: &Kiosk, x: f64, y: f64| {
        k.scene()
            .by_name("card")
            .unwrap()
            .transform()
            .transform_point2(DVec2::new(x, y))
    };
    let first = k.texture_size("card");

    // A drag that starts on the link moves the widget and follows nothing.
    let from = at(&k, 100.0, 50.0);
    k.touch(7, Phase::Start, from);
    for i in 1..=5 {
        k.touch(7, Phase::Move, from + DVec2::new(f64::from(i) * 20.0, 0.0));
    }
    k.touch(7, Phase::End, from + DVec2::new(100.0, 0.0));
    std::thread::sleep(Duration::from_millis(300));
    k.pump();
    assert_eq!(k.pending_loads(), 0, "no navigation started");
    assert_eq!(k.texture_size("card"), first);

    // A tap on it loads next.html into the same widget.
    let id = k.scene().id_of("card").unwrap();
    let p = at(&k, 100.0, 50.0);
    k.touch(8, Phase::Start, p);
    k.touch(8, Phase::End, p);
    // next.html loads at the config's 960x540 viewport.
    wait_for(&mut k, &s, "the linked page", |k| {
        k.scene().by_name("card").unwrap().size() == DVec2::new(960.0, 540.0)
    });
    assert_eq!(k.scene().id_of("card"), Some(id), "the same widget");
    assert_eq!(k.scene().len(), 1);
}

#[test]
fn a_link_the_policy_forbids_is_not_followed() {
    let s = signal();
    let mut config = Config::default();
    config.content.allowed_hosts = vec!["example.com".into()];
    let mut k = Kiosk::new(config, (1280, 720), s.clone());
    let page = "<body style='margin:0'><a href='http://127.0.0.1:9/x.html' style='display:block;width:400px;height:300px'>x</a></body>";
    let rx = post(&mut k, "card", page, None, (400, 300));
    assert_eq!(wait_result(&mut k, &s, &rx), Ok("html"));
    let before = k.texture_size("card");
    let p = k
        .scene()
        .by_name("card")
        .unwrap()
        .transform()
        .transform_point2(DVec2::new(200.0, 150.0));
    k.touch(1, Phase::Start, p);
    k.touch(1, Phase::End, p);
    std::thread::sleep(Duration::from_millis(300));
    k.pump();
    assert_eq!(k.pending_loads(), 0);
    assert_eq!(k.texture_size("card"), before);
}
