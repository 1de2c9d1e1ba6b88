//! Unit tests of the scene as a whole: arena, z-order, capture, taps, backdrop and glides.

use std::time::Duration;

use glam::{DAffine2, DVec2};

use super::*;

fn settings() -> SceneSettings {
    SceneSettings {
        window: DVec2::new(800.0, 600.0),
        scatter: ScatterSettings {
            keep_on_screen: false,
            inertia: false,
            ..ScatterSettings::default()
        },
        ..SceneSettings::default()
    }
}

fn spec(name: &str, pos: (f64, f64), size: (f64, f64)) -> WidgetSpec {
    WidgetSpec {
        name: name.into(),
        kind: Kind::Image,
        size: DVec2::new(size.0, size.1),
        transform: DAffine2::from_translation(DVec2::new(pos.0, pos.1)),
        content: ContentKey::default(),
        scatter: None,
    }
}

fn ev(id: u64, phase: Phase, x: f64, y: f64, ms: u64) -> TouchEvent {
    TouchEvent {
        id,
        phase,
        pos: DVec2::new(x, y),
        time: Duration::from_millis(ms),
    }
}

#[test]
fn names_are_unique_and_ids_stable() {
    let mut s = Scene::new(settings());
    let a = s.add(spec("a", (0.0, 0.0), (10.0, 10.0))).unwrap();
    assert_eq!(
        s.add(spec("a", (0.0, 0.0), (10.0, 10.0))).unwrap_err(),
        SceneError::DuplicateName("a".into())
    );
    assert_eq!(
        s.add(spec("", (0.0, 0.0), (1.0, 1.0))).unwrap_err(),
        SceneError::EmptyName
    );
    s.remove(a).unwrap();
    let b = s.add(spec("b", (0.0, 0.0), (10.0, 10.0))).unwrap();
    // The slot is reused but the old id stays dead.
    assert!(s.get(a).is_none());
    assert_eq!(s.get(b).unwrap().name(), "b");
    assert_eq!(s.remove(a).unwrap_err(), SceneError::StaleId);
}

#[test]
fn bad_sizes_and_transforms_are_refused() {
    let mut s = Scene::new(settings());
    assert!(matches!(
        s.add(spec("a", (0.0, 0.0), (0.0, 10.0))),
        Err(SceneError::InvalidSize(..))
    ));
    let mut bad = spec("b", (0.0, 0.0), (10.0, 10.0));
    bad.transform = DAffine2::from_scale(DVec2::new(0.0, 1.0));
    assert_eq!(s.add(bad).unwrap_err(), SceneError::InvalidTransform);
    assert!(s.is_empty());
}

#[test]
fn touch_brings_to_front_and_current_follows() {
    let mut s = Scene::new(settings());
    let a = s.add(spec("a", (0.0, 0.0), (100.0, 100.0))).unwrap();
    s.add(spec("b", (50.0, 50.0), (100.0, 100.0))).unwrap();
    assert_eq!(s.current().unwrap().name(), "b");
    // (20, 20) is only on a.
    assert_eq!(
        s.touch(ev(1, Phase::Start, 20.0, 20.0, 0)),
        TouchOutcome::Delivered(Hit::Widget(a))
    );
    assert_eq!(s.current().unwrap().name(), "a");
    // The overlap now hits a, which is on top.
    assert_eq!(s.hit_test(DVec2::new(75.0, 75.0)), Hit::Widget(a));
}

#[test]
fn a_captured_finger_keeps_its_widget_off_bounds() {
    let mut s = Scene::new(settings());
    let a = s.add(spec("a", (0.0, 0.0), (100.0, 100.0))).unwrap();
    s.touch(ev(1, Phase::Start, 50.0, 50.0, 0));
    s.touch(ev(1, Phase::Move, 400.0, 50.0, 16));
    s.touch(ev(1, Phase::Move, 700.0, 300.0, 32));
    assert_eq!(
        s.get(a).unwrap().transform().translation,
        DVec2::new(650.0, 250.0)
    );
}

#[test]
fn tap_versus_drag_on_video() {
    let mut s = Scene::new(settings());
    let mut v = spec("v", (0.0, 0.0), (200.0, 100.0));
    v.kind = Kind::Video {
        control: VideoControl::new(EndPolicy::Loop),
        poster: None,
    };
    let id = s.add(v).unwrap();
    // A tap plays.
    s.touch(ev(1, Phase::Start, 50.0, 50.0, 0));
    assert_eq!(
        s.touch(ev(1, Phase::End, 52.0, 51.0, 100)),
        TouchOutcome::Tapped(id)
    );
    let effects: Vec<_> = s.drain_effects().collect();
    assert!(effects.contains(&Effect::Video {
        widget: id,
        command: VideoCommand::Play
    }));
    assert_eq!(
        s.get(id).unwrap().video().unwrap().state(),
        VideoState::Playing
    );
    // A drag does not toggle.
    s.touch(ev(2, Phase::Start, 50.0, 50.0, 1000));
    s.touch(ev(2, Phase::Move, 80.0, 50.0, 1050));
    s.touch(ev(2, Phase::End, 80.0, 50.0, 1100));
    assert_eq!(
        s.get(id).unwrap().video().unwrap().state(),
        VideoState::Playing
    );
    // A long press does not toggle either.
    s.touch(ev(3, Phase::Start, 90.0, 50.0, 2000));
    s.touch(ev(3, Phase::End, 90.0, 50.0, 2500));
    assert_eq!(
        s.get(id).unwrap().video().unwrap().state(),
        VideoState::Playing
    );
    // Two fingers down at once are not a tap.
    s.touch(ev(4, Phase::Start, 90.0, 50.0, 3000));
    s.touch(ev(5, Phase::Start, 120.0, 50.0, 3010));
    s.touch(ev(5, Phase::End, 120.0, 50.0, 3050));
    s.touch(ev(4, Phase::End, 90.0, 50.0, 3060));
    assert_eq!(
        s.get(id).unwrap().video().unwrap().state(),
        VideoState::Playing
    );
}

#[test]
fn backdrop_swallows_and_cancels_captures_below() {
    let mut s = Scene::new(settings());
    let a = s.add(spec("a", (0.0, 0.0), (100.0, 100.0))).unwrap();
    let b = s.add(spec("b", (300.0, 300.0), (100.0, 100.0))).unwrap();
    s.touch(ev(1, Phase::Start, 50.0, 50.0, 0));
    s.show_backdrop(None, &["b".to_string()], Duration::ZERO)
        .unwrap();
    // The finger on a was cancelled: its moves change nothing.
    let before = s.get(a).unwrap().transform();
    s.touch(ev(1, Phase::Move, 90.0, 90.0, 10));
    assert_eq!(s.get(a).unwrap().transform(), before);
    // A new finger on a lands on the backdrop.
    assert_eq!(
        s.touch(ev(2, Phase::Start, 50.0, 50.0, 20)),
        TouchOutcome::Delivered(Hit::Backdrop)
    );
    // b, raised above, stays live.
    assert_eq!(
        s.touch(ev(3, Phase::Start, 350.0, 350.0, 30)),
        TouchOutcome::Delivered(Hit::Widget(b))
    );
    assert_eq!(s.backdrop_z(), Some(1));
    assert!(
        s.show_backdrop(None, &["nope".to_string()], Duration::ZERO)
            .is_err(),
        "an unknown name is refused"
    );
}

#[test]
fn backdrop_tap_to_dismiss_and_fade_out() {
    let mut s = Scene::new(SceneSettings {
        backdrop_tap_to_dismiss: true,
        ..settings()
    });
    s.add(spec("a", (0.0, 0.0), (100.0, 100.0))).unwrap();
    s.show_backdrop(None, &[], Duration::ZERO).unwrap();
    s.touch(ev(1, Phase::Start, 500.0, 500.0, 1000));
    s.touch(ev(1, Phase::End, 500.0, 500.0, 1050));
    assert!(s.drain_effects().any(|e| e == Effect::BackdropDismissed));
    assert!(!s.backdrop().is_shown());
    // It no longer swallows, even while it fades.
    assert!(matches!(s.hit_test(DVec2::new(50.0, 50.0)), Hit::Widget(_)));
    assert!(s.is_animating(Duration::from_millis(1100)));
    s.advance(Duration::from_secs(5));
    assert_eq!(s.backdrop_z(), None);
    assert!(!s.is_animating(Duration::from_secs(5)));
}

#[test]
fn glide_after_a_throw_then_stop() {
    let mut st = settings();
    st.scatter.inertia = true;
    let mut s = Scene::new(st);
    let a = s.add(spec("a", (100.0, 100.0), (100.0, 100.0))).unwrap();
    s.touch(ev(1, Phase::Start, 150.0, 150.0, 0));
    for i in 1..=5 {
        s.touch(ev(1, Phase::Move, 150.0 + 20.0 * i as f64, 150.0, 10 * i));
    }
    s.touch(ev(1, Phase::End, 250.0, 150.0, 60));
    let released = s.get(a).unwrap().transform().translation;
    assert!(s.get(a).unwrap().is_gliding());
    s.advance(Duration::from_secs(10));
    let rested = s.get(a).unwrap().transform().translation;
    // 2000 px/s with friction 4/s glides 500 px in all.
    assert!(
        (rested.x - released.x - 500.0).abs() < 2.0,
        "{released} -> {rested}"
    );
    assert!(!s.get(a).unwrap().is_gliding());
}

#[test]
fn ignored_events() {
    let mut s = Scene::new(settings());
    s.add(spec("a", (0.0, 0.0), (100.0, 100.0))).unwrap();
    assert_eq!(
        s.touch(ev(9, Phase::Move, 1.0, 1.0, 0)),
        TouchOutcome::Ignored
    );
    assert_eq!(
        s.touch(ev(9, Phase::End, 1.0, 1.0, 0)),
        TouchOutcome::Ignored
    );
    assert_eq!(
        s.touch(ev(1, Phase::Start, f64::NAN, 1.0, 0)),
        TouchOutcome::Ignored
    );
    assert_eq!(s.finger_count(), 0);
}

#[test]
fn a_repeated_start_replaces_the_finger() {
    let mut s = Scene::new(settings());
    let a = s.add(spec("a", (0.0, 0.0), (100.0, 100.0))).unwrap();
    s.touch(ev(1, Phase::Start, 10.0, 10.0, 0));
    s.touch(ev(1, Phase::Start, 20.0, 20.0, 10));
    assert_eq!(s.finger_count(), 1);
    // Only one finger holds a, so it still translates.
    s.touch(ev(1, Phase::Move, 30.0, 20.0, 20));
    assert_eq!(
        s.get(a).unwrap().transform().translation,
        DVec2::new(10.0, 0.0)
    );
}

#[test]
fn draw_list_back_to_front_with_backdrop_and_overlay() {
    let mut s = Scene::new(settings());
    s.add(spec("a", (0.0, 0.0), (100.0, 100.0))).unwrap();
    let mut v = spec("v", (10.0, 10.0), (50.0, 50.0));
    v.content = ContentKey(7);
    v.kind = Kind::Video {
        control: VideoControl::new(EndPolicy::Loop),
        poster: Some(ContentKey(8)),
    };
    let vid = s.add(v).unwrap();
    s.show_backdrop(None, &["v".to_string()], Duration::ZERO)
        .unwrap();
    let list = s.draw(Duration::from_secs(1));
    assert_eq!(list.items.len(), 3);
    assert!(matches!(list.items[1], DrawItem::Backdrop(c) if (c.0[3] - 0.6).abs() < 1e-6));
    let DrawItem::Widget(top) = list.items[2] else {
        panic!("the video is on top")
    };
    assert!(top.overlay);
    assert_eq!(
        top.content,
        ContentKey(8),
        "the poster shows before the first play"
    );
    s.video(vid, VideoRequest::Play).unwrap();
    let DrawItem::Widget(top) = s.draw(Duration::from_secs(1)).items[2] else {
        panic!()
    };
    assert!(!top.overlay);
    assert_eq!(top.content, ContentKey(7));
}

#[test]
fn a_crossfade_draws_the_old_content_beneath_until_it_ends() {
    let mut s = Scene::new(settings());
    let a = s.add(spec("a", (10.0, 10.0), (100.0, 50.0))).unwrap();
    let old = ContentKey(1);
    s.replace_content(a, Kind::Image, DVec2::new(100.0, 50.0), old)
        .unwrap();
    let t = s.get(a).unwrap().transform();
    s.replace_content(a, Kind::Image, DVec2::new(100.0, 50.0), ContentKey(2))
        .unwrap();
    let second = Duration::from_secs(1);
    s.cross_fade(
        a,
        old,
        DVec2::new(100.0, 50.0),
        t,
        second,
        Duration::from_millis(500),
    )
    .unwrap();
    assert!(s.is_animating(second));
    let widgets = |l: &DrawList| -> Vec<(ContentKey, f32)> {
        l.items
            .iter()
            .filter_map(|i| match i {
                DrawItem::Widget(w) => Some((w.content, w.opacity)),
                _ => None,
            })
            .collect()
    };
    let halfway = s.draw(Duration::from_millis(1250));
    assert_eq!(
        widgets(&halfway),
        vec![(ContentKey(1), 1.0), (ContentKey(2), 0.5)]
    );
    s.advance(Duration::from_millis(1500));
    assert!(!s.is_animating(Duration::from_millis(1500)));
    assert!(s.get(a).unwrap().fade().is_none());
    assert_eq!(
        widgets(&s.draw(Duration::from_millis(1500))),
        vec![(ContentKey(2), 1.0)]
    );
    // A zero-length fade is a cut.
    s.cross_fade(a, old, DVec2::ONE, t, second, Duration::ZERO)
        .unwrap();
    assert_eq!(widgets(&s.draw(second)), vec![(ContentKey(2), 1.0)]);
}
