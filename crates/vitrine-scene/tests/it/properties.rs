//! Property tests of the scene core: fingers stay on their points, and hit tests match brute force.

use std::time::Duration;

use glam::{DAffine2, DVec2};
use proptest::prelude::*;
use vitrine_scene::{
    ContentKey, Hit, Kind, Phase, ScatterSettings, Scene, SceneSettings, TouchEvent, WidgetSpec,
};

fn free() -> ScatterSettings {
    ScatterSettings {
        keep_on_screen: false,
        inertia: false,
        scale_min: 1e-9,
        scale_max: 1e9,
        ..ScatterSettings::default()
    }
}

fn scene_with(transform: DAffine2, size: DVec2) -> Scene {
    let mut s = Scene::new(SceneSettings {
        window: DVec2::new(1920.0, 1080.0),
        scatter: free(),
        ..SceneSettings::default()
    });
    s.add(WidgetSpec {
        name: "a".into(),
        kind: Kind::Image,
        size,
        transform,
        content: ContentKey(0),
        scatter: None,
    })
    .unwrap();
    s
}

fn ev(id: u64, phase: Phase, p: DVec2, step: u64) -> TouchEvent {
    TouchEvent {
        id,
        phase,
        pos: p,
        time: Duration::from_millis(step * 16),
    }
}

fn transform() -> impl Strategy<Value = DAffine2> {
    (
        200.0..1600.0f64,
        200.0..900.0f64,
        -180.0..180.0f64,
        0.3..3.0f64,
    )
        .prop_map(|(x, y, r, s)| {
            DAffine2::from_scale_angle_translation(
                DVec2::splat(s),
                r.to_radians(),
                DVec2::new(x, y),
            )
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The point under a single dragging finger stays under it.
    #[test]
    fn a_dragging_finger_stays_on_its_point(
        t in transform(),
        grab in (0.05..0.95f64, 0.05..0.95f64),
        moves in prop::collection::vec((-300.0..300.0f64, -300.0..300.0f64), 1..40),
    ) {
        let size = DVec2::new(300.0, 200.0);
        let mut s = scene_with(t, size);
        let local = size * DVec2::new(grab.0, grab.1);
        let mut p = t.transform_point2(local);
        s.touch(ev(1, Phase::Start, p, 0));
        for (i, (dx, dy)) in moves.into_iter().enumerate() {
            p += DVec2::new(dx, dy);
            s.touch(ev(1, Phase::Move, p, i as u64 + 1));
            let now = s.by_name("a").unwrap().to_local(p);
            prop_assert!(now.distance(local) < 1e-6, "drifted to {now} from {local}");
        }
    }

    /// During a two-finger gesture without clamping, both fingers keep their
    /// local points.
    #[test]
    fn two_fingers_keep_their_local_points(
        t in transform(),
        a in (0.1..0.45f64, 0.1..0.9f64),
        b in (0.55..0.9f64, 0.1..0.9f64),
        moves in prop::collection::vec((any::<bool>(), -60.0..60.0f64, -60.0..60.0f64), 1..60),
    ) {
        let size = DVec2::new(400.0, 300.0);
        let mut s = scene_with(t, size);
        let la = size * DVec2::new(a.0, a.1);
        let lb = size * DVec2::new(b.0, b.1);
        let mut pa = t.transform_point2(la);
        let mut pb = t.transform_point2(lb);
        s.touch(ev(1, Phase::Start, pa, 0));
        s.touch(ev(2, Phase::Start, pb, 0));
        for (i, (first, dx, dy)) in moves.into_iter().enumerate() {
            let d = DVec2::new(dx, dy);
            // Keep the fingers apart: a collapse to one point is degenerate.
            let (p, other) = if first { (&mut pa, pb) } else { (&mut pb, pa) };
            if (*p + d).distance(other) < 20.0 {
                continue;
            }
            *p += d;
            let (id, pos) = if first { (1, pa) } else { (2, pb) };
            s.touch(ev(id, Phase::Move, pos, i as u64 + 1));
            let w = s.by_name("a").unwrap();
            prop_assert!(w.to_local(pa).distance(la) < 1e-3, "finger 1 drifted");
            prop_assert!(w.to_local(pb).distance(lb) < 1e-3, "finger 2 drifted");
        }
    }

    /// The hit test agrees with a brute-force point-in-polygon test on the
    /// transformed corners, top-most first.
    #[test]
    fn hit_test_matches_point_in_polygon(
        widgets in prop::collection::vec((transform(), 50.0..400.0f64, 50.0..300.0f64), 1..12),
        points in prop::collection::vec((0.0..1920.0f64, 0.0..1080.0f64), 64),
    ) {
        let mut s = Scene::new(SceneSettings { window: DVec2::new(1920.0, 1080.0), scatter: free(), ..SceneSettings::default() });
        let mut ids = Vec::new();
        for (i, (t, w, h)) in widgets.iter().enumerate() {
            ids.push(s.add(WidgetSpec {
                name: format!("w{i}"),
                kind: Kind::Image,
                size: DVec2::new(*w, *h),
                transform: *t,
                content: ContentKey(0),
                scatter: None,
            }).unwrap());
        }
        for (x, y) in points {
            let p = DVec2::new(x, y);
            let mut want = Hit::Nothing;
            let mut ambiguous = false;
            for (i, (t, w, h)) in widgets.iter().enumerate().rev() {
                let c = vitrine_scene::corners(t, DVec2::new(*w, *h));
                match inside_convex(&c, p) {
                    Some(true) => { want = Hit::Widget(ids[i]); break; }
                    Some(false) => {}
                    None => { ambiguous = true; break; }
                }
            }
            if !ambiguous {
                prop_assert_eq!(s.hit_test(p), want);
            }
        }
    }
}

/// Point in a convex quadrilateral by edge cross products. `None` when the
/// point lies within a hair of an edge, where rounding may go either way.
fn inside_convex(c: &[DVec2; 4], p: DVec2) -> Option<bool> {
    let mut sign = 0.0f64;
    for i in 0..4 {
        let a = c[i];
        let b = c[(i + 1) % 4];
        let edge = b - a;
        let cross = edge.perp_dot(p - a) / edge.length();
        if cross.abs() < 1e-6 {
            return None;
        }
        if sign == 0.0 {
            sign = cross.signum();
        } else if cross.signum() != sign {
            return Some(false);
        }
    }
    Some(true)
}
