//! Gesture switches, pinning and full-screen fill through the remote calls a back office sends: a widget answers only the gestures it is allowed, a pinned one still takes taps and stays behind, one that fills the screen covers it at the back (after a resize too), and all of it survives a restart.

use crate::support;

use std::sync::mpsc;
use std::time::Duration;

use glam::DVec2;
use support::{
    caller_load, load_video, make_clip, signal, still_png, temp_dir, wait_for, wait_result,
};
use vitrine::api::gestures::{Fill, GestureChange};
use vitrine::api::{Call, CallReply, CallResult, PlaceSpec, Task};
use vitrine::app::{Kiosk, Source};
use vitrine::config::Config;
use vitrine::content::file_uri;
use vitrine::scene::{Phase, VideoState};
use vitrine::state::Store;

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

fn centre(c: &[DVec2; 4]) -> DVec2 {
    (c[0] + c[2]) / 2.0
}

/// One finger drags from `from` by `by`.
fn drag(k: &mut Kiosk, from: DVec2, by: DVec2) {
    k.touch(1, Phase::Start, from);
    for i in 1..=10 {
        k.touch(1, Phase::Move, from + by * (f64::from(i) / 10.0));
    }
    k.touch(1, Phase::End, from + by);
}

/// Sends one call as the remote server would, and returns its answer.
fn call(k: &mut Kiosk, call: Call) -> CallResult {
    let (tx, rx) = mpsc::channel();
    k.task(Task::Call { call, reply: tx }, None);
    rx.recv_timeout(Duration::from_secs(10))
        .expect("the call is answered")
}

fn switch(name: &str, gestures: GestureChange) -> Call {
    Call::Place {
        name: name.into(),
        at: PlaceSpec {
            gestures,
            ..PlaceSpec::default()
        },
        z: None,
        animate: false,
    }
}

/// A kiosk with two pictures ("a" behind "b"), no throws, in `dir`.
fn kiosk(dir: &std::path::Path) -> (Kiosk, std::sync::Arc<vitrine::wake::Signal>) {
    kiosk_with(dir, |_| {})
}

/// The same, with `change` made to the config first.
fn kiosk_with(
    dir: &std::path::Path,
    change: impl FnOnce(&mut Config),
) -> (Kiosk, std::sync::Arc<vitrine::wake::Signal>) {
    let mut config = Config::default();
    change(&mut config);
    config.scatter.inertia = false;
    config.kiosk.idle_reset = Duration::ZERO;
    config.content.roots = vec![dir.to_path_buf()];
    let s = signal();
    let mut k = Kiosk::new(config, (1280, 720), s.clone());
    for name in ["a", "b"] {
        let (r, rx) = caller_load(name, Source::File(still_png(dir)));
        k.load(r);
        assert_eq!(wait_result(&mut k, &s, &rx), Ok("image"));
    }
    (k, s)
}

#[test]
fn a_widget_answers_only_the_gestures_it_is_allowed() {
    let dir = temp_dir("gestures-switches");
    let (mut k, _s) = kiosk(&dir);
    // "a" may not move: a drag leaves it in place (it still comes to the
    // front, since it still answers rotate and scale).
    let r = call(
        &mut k,
        switch(
            "a",
            GestureChange {
                translate: Some(false),
                ..GestureChange::default()
            },
        ),
    );
    assert_eq!(r, Ok(CallReply::Done));
    // Move "b" out of the way first: it answers every gesture.
    let b = corners(&k, "b");
    drag(&mut k, centre(&b), DVec2::new(300.0, 0.0));
    assert!(!same(&corners(&k, "b"), &b), "b moves");
    let a = corners(&k, "a");
    drag(&mut k, centre(&a), DVec2::new(-200.0, 50.0));
    assert!(same(&corners(&k, "a"), &a), "a stays");
    assert_eq!(order(&k)[0], "a", "a touched widget still comes forward");

    // A pinch on "a" now scales and turns it.
    let c = centre(&a);
    k.touch(1, Phase::Start, c - DVec2::new(20.0, 0.0));
    k.touch(2, Phase::Start, c + DVec2::new(20.0, 0.0));
    k.touch(2, Phase::Move, c + DVec2::new(0.0, 60.0));
    k.touch(2, Phase::End, c + DVec2::new(0.0, 60.0));
    k.touch(1, Phase::End, c - DVec2::new(20.0, 0.0));
    let turned = k.scene().by_name("a").unwrap();
    assert!(turned.rotation_degrees() > 1.0, "a turned");

    // Switched back on, it drags again.
    call(
        &mut k,
        switch(
            "a",
            GestureChange {
                translate: Some(true),
                ..GestureChange::default()
            },
        ),
    )
    .unwrap();
    let a = corners(&k, "a");
    drag(&mut k, centre(&a), DVec2::new(-100.0, 0.0));
    assert!(!same(&corners(&k, "a"), &a), "a moves again");

    let listed = match call(&mut k, Call::ListContent) {
        Ok(CallReply::Content { widgets, .. }) => widgets,
        other => panic!("{other:?}"),
    };
    let a = listed.iter().find(|w| w.name == "a").unwrap();
    assert!(a.gestures.translate && a.gestures.rotate && !a.gestures.pinned);
}

#[test]
fn a_pinned_video_stays_put_and_behind_but_still_plays_on_a_tap() {
    let dir = temp_dir("gestures-pinned");
    let (mut k, s) = kiosk(&dir);
    let clip = make_clip(&dir, "pinned.webm", "ball", 60, 30, (160, 90));
    let rx = load_video(&mut k, "v", &file_uri(&clip));
    assert_eq!(wait_result(&mut k, &s, &rx), Ok("video"));
    // Behind the pictures, then pinned.
    let r = call(
        &mut k,
        Call::Place {
            name: "v".into(),
            at: PlaceSpec {
                x: Some(1000.0),
                y: Some(500.0),
                gestures: GestureChange {
                    pinned: Some(true),
                    ..GestureChange::default()
                },
                ..PlaceSpec::default()
            },
            z: Some(0),
            animate: false,
        },
    );
    assert_eq!(r, Ok(CallReply::Done));
    let v = corners(&k, "v");
    drag(&mut k, centre(&v), DVec2::new(-300.0, -200.0));
    assert!(same(&corners(&k, "v"), &v), "a pinned widget does not move");
    assert_eq!(
        order(&k).last().map(String::as_str),
        Some("v"),
        "nor come forward"
    );
    // A tap still plays it.
    k.touch(3, Phase::Start, centre(&v));
    k.touch(3, Phase::End, centre(&v));
    wait_for(&mut k, &s, "the pinned video to play", |k| {
        k.scene().by_name("v").unwrap().video().unwrap().state() == VideoState::Playing
    });
}

#[test]
fn a_widget_that_fills_the_screen_covers_it_at_the_back_and_survives_a_restart() {
    let dir = temp_dir("gestures-fill");
    let state = dir.join("state");
    let (store, opened) = Store::open(&state).unwrap();
    let (mut k, s) = kiosk(&dir);
    k.keep_state(store, opened.state);
    // The pictures were loaded before the state was kept: push them again
    // so the desired state holds them too.
    for name in ["a", "b", "bg"] {
        let (r, rx) = caller_load(name, Source::File(still_png(&dir)));
        k.load(r);
        assert_eq!(wait_result(&mut k, &s, &rx), Ok("image"));
    }
    let r = call(
        &mut k,
        switch(
            "bg",
            GestureChange {
                fill: Some(Fill::Screen),
                ..GestureChange::default()
            },
        ),
    );
    assert_eq!(r, Ok(CallReply::Done));
    let covers = |k: &Kiosk, w: f64, h: f64| {
        let c = corners(k, "bg");
        // A square picture: it spans the window's long side exactly and is
        // cropped across the short one, centred both ways.
        let (side, long) = (c[2].x - c[0].x, w.max(h));
        c[0].x <= 1e-6
            && c[0].y <= 1e-6
            && c[2].x >= w - 1e-6
            && c[2].y >= h - 1e-6
            && (side - long).abs() < 1e-6
            && ((c[0].x + c[2].x) / 2.0 - w / 2.0).abs() < 1e-6
            && ((c[0].y + c[2].y) / 2.0 - h / 2.0).abs() < 1e-6
    };
    assert!(covers(&k, 1280.0, 720.0), "{:?}", corners(&k, "bg"));
    assert_eq!(
        order(&k).last().map(String::as_str),
        Some("bg"),
        "at the back"
    );
    // A placement with a position is refused while it fills.
    let r = call(
        &mut k,
        Call::Place {
            name: "bg".into(),
            at: PlaceSpec {
                x: Some(10.0),
                ..PlaceSpec::default()
            },
            z: None,
            animate: false,
        },
    );
    assert!(r.is_err(), "{r:?}");
    // A drag on the background where nothing else is changes nothing, and
    // a picture pushed now goes in front of it.
    drag(&mut k, DVec2::new(20.0, 20.0), DVec2::new(300.0, 300.0));
    assert!(covers(&k, 1280.0, 720.0));
    // A resize (a portrait turn) keeps it covering the window.
    k.resize((720, 1280));
    assert!(covers(&k, 720.0, 1280.0), "{:?}", corners(&k, "bg"));
    k.resize((1280, 720));
    let before = order(&k);

    // A restart: the state comes back with the fill and the order.
    let (store, opened) = Store::open(&state).unwrap();
    let restored = opened.state.expect("a state was saved");
    let bg = restored.widget("bg").unwrap();
    assert_eq!(bg.gestures.fill, Fill::Screen);
    assert!(bg.gestures.pinned);
    let mut config = Config::default();
    config.content.roots = vec![dir.clone()];
    let s2 = signal();
    let mut k2 = Kiosk::new(config, (1280, 720), s2.clone());
    k2.keep_state(store, Some(restored));
    wait_for(&mut k2, &s2, "the restore", |k| k.scene().len() == 3);
    assert_eq!(order(&k2), before);
    assert!(covers(&k2, 1280.0, 720.0), "{:?}", corners(&k2, "bg"));
    assert!(k2.scene().by_name("bg").unwrap().gestures().pinned);
}

#[test]
fn a_refused_place_changes_nothing() {
    let dir = temp_dir("gestures-refused");
    // A limit that lets a scale through that no transform can hold.
    let (mut k, _s) = kiosk_with(&dir, |c| c.scatter.scale_max = 1e300);
    let before = corners(&k, "a");
    let r = call(
        &mut k,
        Call::Place {
            name: "a".into(),
            at: PlaceSpec {
                scale: Some(1e300),
                gestures: GestureChange {
                    pinned: Some(true),
                    ..GestureChange::default()
                },
                ..PlaceSpec::default()
            },
            z: None,
            animate: false,
        },
    );
    assert!(r.is_err(), "{r:?}");
    let a = k.scene().by_name("a").unwrap();
    assert!(!a.gestures().pinned, "the switch did not stick");
    assert!(same(&corners(&k, "a"), &before));
}

#[test]
fn a_place_past_the_scale_limits_is_held_to_them() {
    let dir = temp_dir("gestures-limits");
    let (mut k, _s) = kiosk_with(&dir, |c| {
        c.scatter.scale_min = 0.5;
        c.scatter.scale_max = 2.0;
    });
    for (asked, held) in [(5.0, 2.0), (0.1, 0.5)] {
        let r = call(
            &mut k,
            Call::Place {
                name: "a".into(),
                at: PlaceSpec {
                    scale: Some(asked),
                    ..PlaceSpec::default()
                },
                z: None,
                animate: false,
            },
        );
        assert!(r.is_ok(), "{r:?}");
        let scale = k.scene().by_name("a").unwrap().scale();
        assert!((scale - held).abs() < 1e-9, "asked {asked}, got {scale}");
    }
}
