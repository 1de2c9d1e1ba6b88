//! Recorded gesture traces replayed through the scene core, checked against geometry worked out by hand.

use std::time::Duration;

use glam::{DAffine2, DMat2, DVec2};
use vitrine::config::Config;
use vitrine::replay::{self, Output, WidgetState};

fn replay(name: &str, until: Option<Duration>) -> Output {
    let dir = crate::support::repo().join("tests/traces");
    let scene = std::fs::read_to_string(dir.join(format!("{name}.scene.json"))).unwrap();
    let trace = std::fs::read_to_string(dir.join(format!("{name}.trace.jsonl"))).unwrap();
    replay::run(&Config::default(), &scene, &trace, until).unwrap()
}

fn widget<'a>(out: &'a Output, name: &str) -> &'a WidgetState {
    out.widgets.iter().find(|w| w.name == name).unwrap()
}

/// The corners of a `size` rectangle at `pos`, then moved by `m` in window space.
fn expected(pos: [f64; 2], size: [f64; 2], m: DAffine2) -> [[f64; 2]; 4] {
    let t = m * DAffine2::from_translation(DVec2::from(pos));
    [
        [0.0, 0.0],
        [size[0], 0.0],
        [size[0], size[1]],
        [0.0, size[1]],
    ]
    .map(|c| {
        let p = t.transform_point2(DVec2::from(c));
        [p.x, p.y]
    })
}

fn about(anchor: DVec2, m: DMat2) -> DAffine2 {
    DAffine2::from_translation(anchor)
        * DAffine2::from_mat2(m)
        * DAffine2::from_translation(-anchor)
}

fn assert_corners(got: &WidgetState, want: [[f64; 2]; 4]) {
    for (g, w) in got.corners.iter().zip(want) {
        assert!(
            (g[0] - w[0]).abs() < 1e-6 && (g[1] - w[1]).abs() < 1e-6,
            "{}: got {:?}, want {:?}",
            got.name,
            got.corners,
            want
        );
    }
}

#[test]
fn one_finger_drag_moves_by_the_finger() {
    let out = replay("drag", None);
    let m = DAffine2::from_translation(DVec2::new(150.0, 80.0));
    assert_corners(
        widget(&out, "a"),
        expected([100.0, 100.0], [300.0, 200.0], m),
    );
}

#[test]
fn two_finger_rotate_turns_a_quarter_about_the_still_finger() {
    let out = replay("rotate", None);
    let a = widget(&out, "a");
    let m = about(
        DVec2::new(400.0, 300.0),
        DMat2::from_angle(90f64.to_radians()),
    );
    assert_corners(a, expected([300.0, 150.0], [500.0, 400.0], m));
    assert!((a.rotation - 90.0).abs() < 1e-9 && (a.scale - 1.0).abs() < 1e-9);
}

#[test]
fn pinch_halves_and_spread_doubles_about_the_still_finger() {
    for (name, k) in [("pinch", 0.5), ("spread", 2.0)] {
        let out = replay(name, None);
        let a = widget(&out, "a");
        let m = about(
            DVec2::new(400.0, 300.0),
            DMat2::from_diagonal(DVec2::splat(k)),
        );
        assert_corners(a, expected([300.0, 150.0], [500.0, 400.0], m));
        assert!((a.scale - k).abs() < 1e-9, "{name}: scale {}", a.scale);
    }
}

#[test]
fn three_fingers_only_the_outer_pair_counts() {
    let out = replay("three_fingers", None);
    // The middle finger's wandering is ignored; the outer spread doubles the
    // widget about the finger at (350, 300).
    let m = about(
        DVec2::new(350.0, 300.0),
        DMat2::from_diagonal(DVec2::splat(2.0)),
    );
    assert_corners(
        widget(&out, "a"),
        expected([300.0, 200.0], [600.0, 300.0], m),
    );
}

#[test]
fn rotated_bounds_are_exact_and_a_sliding_finger_keeps_its_widget() {
    let out = replay("overlap_slide_off", None);
    // The first finger landed in top's bounding box but outside its rotated
    // square, so it dragged the widget underneath by (-50, 0).
    let under = widget(&out, "under");
    assert_corners(
        under,
        expected(
            [250.0, 80.0],
            [400.0, 300.0],
            DAffine2::from_translation(DVec2::new(-50.0, 0.0)),
        ),
    );
    // The second finger slid far off top, which followed it all the way.
    let top = widget(&out, "top");
    assert!((top.corners[0][0] - 1000.0).abs() < 1e-9 && (top.corners[0][1] - 450.0).abs() < 1e-9);
    assert!((top.rotation - 45.0).abs() < 1e-9);
    assert_eq!(out.widgets[0].name, "top", "top stayed in front");
}

#[test]
fn backdrop_swallows_touches_and_raised_widgets_stay_live() {
    let out = replay("backdrop", None);
    assert_corners(
        widget(&out, "below"),
        expected([100.0, 100.0], [300.0, 200.0], DAffine2::IDENTITY),
    );
    let m = DAffine2::from_translation(DVec2::new(100.0, 50.0));
    assert_corners(
        widget(&out, "raised"),
        expected([800.0, 300.0], [300.0, 200.0], m),
    );
}

#[test]
fn tap_toggles_a_video_and_a_drag_does_not() {
    let out = replay("video_tap_drag", None);
    let v = widget(&out, "v");
    // tap → playing, drag → still playing (and moved), tap → paused,
    // long press → still paused.
    assert_eq!(v.video_state, Some("paused"));
    assert!((v.corners[0][0] - 280.0).abs() < 1e-9);
    // Only the first tap: playing.
    let dir = crate::support::repo().join("tests/traces");
    let scene = std::fs::read_to_string(dir.join("video_tap_drag.scene.json")).unwrap();
    let trace = std::fs::read_to_string(dir.join("video_tap_drag.trace.jsonl")).unwrap();
    let first: String = trace.lines().take(2).map(|l| format!("{l}\n")).collect();
    let out = replay::run(&Config::default(), &scene, &first, None).unwrap();
    assert_eq!(out.widgets[0].video_state, Some("playing"));
}

#[test]
fn keep_on_screen_leaves_a_strip_inside_the_window() {
    let out = replay("keep_on_screen", None);
    let a = widget(&out, "a");
    // 400x300: the strip is min(64, 20 % of 400) = 64 px across and
    // min(64, 20 % of 300) = 60 px down, inside a 1280x720 window.
    assert!(
        (a.corners[0][0] - (1280.0 - 64.0)).abs() < 1e-9,
        "{:?}",
        a.corners
    );
    assert!(
        (a.corners[0][1] - (720.0 - 60.0)).abs() < 1e-9,
        "{:?}",
        a.corners
    );
}

#[test]
fn inertia_glides_speed_over_friction_then_rests() {
    let released = replay("inertia", None);
    let x0 = widget(&released, "a").corners[0][0];
    // Released after moving 320 px at 1000 px/s.
    assert!((x0 - 420.0).abs() < 1e-9);
    let later = replay("inertia", Some(Duration::from_secs(1)));
    let x1 = widget(&later, "a").corners[0][0];
    let rested = replay("inertia", Some(Duration::from_secs(10)));
    let x2 = widget(&rested, "a").corners[0][0];
    assert!(x0 < x1 && x1 < x2, "{x0} {x1} {x2}");
    // 1000 px/s with friction 4/s travels 250 px in all (the last few
    // hundredths stop at the 5 px/s rest threshold).
    assert!((x2 - x0 - 250.0).abs() < 2.0, "glided {}", x2 - x0);
    assert_eq!(widget(&rested, "a").corners[0][1], 300.0);
}

#[test]
fn a_session_trace_is_recognised_and_counted_as_the_kiosk_counts_it() {
    // Two taps, a drag and a pinch on the picture, then a tap on the video.
    let out = replay("session", None);
    let gestures: Vec<(&str, &str, u32)> = out
        .gestures
        .iter()
        .map(|g| (g.name.as_str(), g.gesture, g.fingers))
        .collect();
    assert_eq!(
        gestures,
        [
            ("pic", "tap", 1),
            ("pic", "tap", 1),
            ("pic", "drag", 1),
            ("pic", "pinch", 2),
            ("clip", "tap", 1),
        ]
    );
    let counts = |name: &str| {
        let c = &out
            .stats
            .widgets
            .iter()
            .find(|w| w.name == name)
            .unwrap()
            .counts;
        [c.touches, c.taps, c.drags, c.pinches, c.video_plays]
    };
    assert_eq!(counts("pic"), [5, 2, 1, 1, 0]);
    assert_eq!(counts("clip"), [1, 1, 0, 0, 1]);
    let t = &out.stats.total;
    assert_eq!(
        [t.touches, t.taps, t.drags, t.pinches, t.video_plays],
        [6, 3, 1, 1, 1]
    );
    // Held from each first finger down to the last finger up, on the
    // trace's clock: 16 + 16 + 176 + 208 + 16 ms.
    assert!((t.held_s - 0.432).abs() < 1e-9, "{}", t.held_s);
    assert_eq!(widget(&out, "clip").video_state, Some("playing"));
}
