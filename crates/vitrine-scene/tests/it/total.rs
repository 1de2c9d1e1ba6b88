//! The scene core is total: no sequence of calls on its public API, with any names, numbers (NaN and infinities included) and times (going backwards included), panics, and its z-order stays consistent.
//!
//! The remote edge validates what it can, but the UI thread must not rely on
//! that: this is what makes a panic on the UI thread impossible from outside.

use std::time::Duration;

use glam::{DAffine2, DVec2};
use proptest::prelude::*;
use vitrine_scene::{
    ContentKey, EndPolicy, Kind, Phase, Rgba, Scene, SceneSettings, TouchEvent, VideoControl,
    VideoRequest, WidgetSpec,
};

/// Names from a small pool, so that duplicates, unknown and empty names come
/// up often.
const NAMES: &[&str] = &["a", "b", "c", "d", ""];

#[derive(Clone, Debug)]
enum Op {
    Add {
        name: usize,
        video: bool,
        size: (f64, f64),
        transform: [f64; 6],
    },
    Remove(usize),
    Raise(usize),
    Replace {
        name: usize,
        video: bool,
        size: (f64, f64),
    },
    SetTransform(usize, [f64; 6]),
    ShowBackdrop {
        above: Vec<usize>,
        color: Option<[f32; 4]>,
    },
    HideBackdrop,
    Touch {
        finger: u64,
        phase: u8,
        pos: (f64, f64),
    },
    Video(usize, u8),
    Window(f64, f64),
    /// Moves the clock to this many milliseconds (it may go backwards).
    Clock(u64),
}

/// Any f64, with the awkward ones over-represented.
fn num() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => -3000.0..3000.0f64,
        1 => Just(0.0),
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(f64::NEG_INFINITY),
        1 => Just(1e300),
        1 => Just(-1e-300),
        1 => any::<f64>(),
    ]
}

/// Mostly a usable placement, sometimes anything at all.
fn placement() -> impl Strategy<Value = [f64; 6]> {
    prop_oneof![
        4 => (0.2..3.0f64, -3.2..3.2f64, -200.0..1400.0f64, -200.0..900.0f64).prop_map(
            |(s, r, x, y)| {
                let (sin, cos) = r.sin_cos();
                [s * cos, s * sin, -s * sin, s * cos, x, y]
            }
        ),
        1 => prop::array::uniform6(num()),
    ]
}

/// Mostly a usable size, sometimes anything at all.
fn size() -> impl Strategy<Value = (f64, f64)> {
    prop_oneof![4 => (1.0..600.0f64, 1.0..600.0f64), 1 => (num(), num())]
}

/// A point mostly on the window, sometimes anywhere.
fn point() -> impl Strategy<Value = (f64, f64)> {
    prop_oneof![4 => (0.0..1280.0f64, 0.0..720.0f64), 1 => (num(), num())]
}

fn op() -> impl Strategy<Value = Op> {
    let name = 0..NAMES.len();
    prop_oneof![
        3 => (name.clone(), any::<bool>(), size(), placement())
            .prop_map(|(name, video, size, transform)| Op::Add { name, video, size, transform }),
        1 => name.clone().prop_map(Op::Remove),
        1 => name.clone().prop_map(Op::Raise),
        1 => (name.clone(), any::<bool>(), size())
            .prop_map(|(name, video, size)| Op::Replace { name, video, size }),
        1 => (name.clone(), placement()).prop_map(|(n, t)| Op::SetTransform(n, t)),
        2 => (
            prop::collection::vec(name.clone(), 0..6),
            prop::option::of(prop::array::uniform4(prop_oneof![
                -1.0..2.0f32,
                Just(f32::NAN)
            ]))
        )
            .prop_map(|(above, color)| Op::ShowBackdrop { above, color }),
        1 => Just(Op::HideBackdrop),
        6 => (0..4u64, 0..4u8, point())
            .prop_map(|(finger, phase, pos)| Op::Touch { finger, phase, pos }),
        1 => (name.clone(), 0..4u8).prop_map(|(n, r)| Op::Video(n, r)),
        1 => (num(), num()).prop_map(|(w, h)| Op::Window(w, h)),
        2 => (0..20_000u64).prop_map(Op::Clock),
    ]
}

fn affine(t: [f64; 6]) -> DAffine2 {
    DAffine2::from_cols_array(&t)
}

fn kind(video: bool) -> Kind {
    if video {
        Kind::Video {
            control: VideoControl::new(EndPolicy::Loop),
            poster: None,
        }
    } else {
        Kind::Image
    }
}

fn apply(s: &mut Scene, op: Op, now: &mut Duration, key: &mut u64) {
    let id = |s: &Scene, n: usize| s.id_of(NAMES[n]);
    match op {
        Op::Add {
            name,
            video,
            size,
            transform,
        } => {
            *key += 1;
            let _ = s.add(WidgetSpec {
                name: NAMES[name].to_string(),
                kind: kind(video),
                size: DVec2::new(size.0, size.1),
                transform: affine(transform),
                content: ContentKey(*key),
                scatter: None,
            });
        }
        Op::Remove(n) => {
            if let Some(id) = id(s, n) {
                let _ = s.remove(id);
            }
        }
        Op::Raise(n) => {
            if let Some(id) = id(s, n) {
                let _ = s.raise(id);
            }
        }
        Op::Replace { name, video, size } => {
            *key += 1;
            if let Some(id) = id(s, name) {
                let _ = s.replace_content(
                    id,
                    kind(video),
                    DVec2::new(size.0, size.1),
                    ContentKey(*key),
                );
            }
        }
        Op::SetTransform(n, t) => {
            if let Some(id) = id(s, n) {
                let _ = s.set_transform(id, affine(t));
            }
        }
        Op::ShowBackdrop { above, color } => {
            let names: Vec<String> = above.iter().map(|n| NAMES[*n].to_string()).collect();
            let _ = s.show_backdrop(color.map(Rgba), &names, *now);
        }
        Op::HideBackdrop => s.hide_backdrop(*now),
        Op::Touch { finger, phase, pos } => {
            let phase = [Phase::Start, Phase::Move, Phase::End, Phase::Cancel][usize::from(phase)];
            s.touch(TouchEvent {
                id: finger,
                phase,
                pos: DVec2::new(pos.0, pos.1),
                time: *now,
            });
        }
        Op::Video(n, r) => {
            let request = [
                VideoRequest::Play,
                VideoRequest::Pause,
                VideoRequest::Toggle,
                VideoRequest::EndOfStream,
            ][usize::from(r)];
            if let Some(id) = id(s, n) {
                let _ = s.video(id, request);
            }
        }
        Op::Window(w, h) => {
            let _ = s.set_window_size(DVec2::new(w, h));
        }
        Op::Clock(ms) => *now = Duration::from_millis(ms),
    }
    // What the loop does after every event: advance, look, draw.
    s.advance(*now);
    let _ = s.is_animating(*now);
    let _ = s.drain_effects().count();
    let _ = s.draw(*now);
    let _ = s.hit_test(DVec2::new(10.0, 10.0));
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 2000,
        ..ProptestConfig::default()
    })]

    #[test]
    fn no_call_sequence_panics(ops in prop::collection::vec(op(), 1..60)) {
        let mut s = Scene::new(SceneSettings {
            window: DVec2::new(1280.0, 720.0),
            ..SceneSettings::default()
        });
        let (mut now, mut key) = (Duration::ZERO, 0u64);
        for op in ops {
            apply(&mut s, op, &mut now, &mut key);
            // The z-order holds every widget once, front to back.
            let names: Vec<&str> = s.front_to_back().map(|w| w.name()).collect();
            prop_assert_eq!(names.len(), s.len());
            let mut unique = names.clone();
            unique.sort_unstable();
            unique.dedup();
            prop_assert_eq!(unique.len(), names.len());
            for w in s.front_to_back() {
                prop_assert!(s.z_of(w.id()).is_some());
            }
            if let Some(z) = s.backdrop_z() {
                prop_assert!(z <= s.len());
            }
        }
    }
}

/// The request that killed the UI thread: the same name twice in `above`.
#[test]
fn a_name_raised_twice_above_the_backdrop_is_one_raise() {
    let mut s = Scene::new(SceneSettings::default());
    s.add(WidgetSpec {
        name: "a".into(),
        kind: Kind::Image,
        size: DVec2::new(100.0, 100.0),
        transform: DAffine2::IDENTITY,
        content: ContentKey(1),
        scatter: None,
    })
    .unwrap();
    s.show_backdrop(None, &["a".into(), "a".into()], Duration::ZERO)
        .unwrap();
    assert_eq!(s.current().map(|w| w.name()), Some("a"));
    assert_eq!(s.backdrop_z(), Some(0), "the backdrop, then a");
}
