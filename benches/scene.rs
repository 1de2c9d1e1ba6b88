//! Scene core benchmarks: hit-testing 1,000 rotated widgets, a 10-finger frame, and a 10,000-event replay.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use glam::{DAffine2, DVec2};
use vitrine::config::Config;
use vitrine::scene::{
    ContentKey, Kind, Phase, ScatterSettings, Scene, SceneSettings, TouchEvent, WidgetSpec,
};

/// A small deterministic generator, so every run measures the same scene.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.next()
    }
}

fn settings() -> SceneSettings {
    SceneSettings {
        window: DVec2::new(1920.0, 1080.0),
        scatter: ScatterSettings {
            inertia: false,
            ..ScatterSettings::default()
        },
        ..SceneSettings::default()
    }
}

fn widget(name: String, t: DAffine2, size: DVec2) -> WidgetSpec {
    WidgetSpec {
        name,
        kind: Kind::Image,
        size,
        transform: t,
        content: ContentKey(0),
        scatter: None,
    }
}

fn rotated_scene(n: usize, rng: &mut Lcg) -> Scene {
    let mut scene = Scene::new(settings());
    for i in 0..n {
        let t = DAffine2::from_scale_angle_translation(
            DVec2::splat(rng.range(0.3, 1.5)),
            rng.range(-3.1, 3.1),
            DVec2::new(rng.range(0.0, 1920.0), rng.range(0.0, 1080.0)),
        );
        let size = DVec2::new(rng.range(40.0, 200.0), rng.range(40.0, 200.0));
        scene.add(widget(format!("w{i}"), t, size)).unwrap();
    }
    scene
}

fn hit_test(c: &mut Criterion) {
    let mut rng = Lcg(1);
    let scene = rotated_scene(1000, &mut rng);
    let points: Vec<DVec2> = (0..1024)
        .map(|_| DVec2::new(rng.range(0.0, 1920.0), rng.range(0.0, 1080.0)))
        .collect();
    let mut i = 0;
    c.bench_function("hit_test/1000_rotated/random_point", |b| {
        b.iter(|| {
            i = (i + 1) % points.len();
            black_box(scene.hit_test(black_box(points[i])))
        })
    });
    // A point off every widget visits all 1,000: the worst case.
    c.bench_function("hit_test/1000_rotated/miss", |b| {
        b.iter(|| black_box(scene.hit_test(black_box(DVec2::new(-500.0, -500.0)))))
    });
}

fn ten_finger_frame(c: &mut Criterion) {
    // Five widgets, two fingers each: every move rotates and scales.
    let mut scene = Scene::new(settings());
    let mut fingers = Vec::new();
    for i in 0..5u64 {
        let origin = DVec2::new(50.0 + 370.0 * i as f64, 300.0);
        let t = DAffine2::from_translation(origin);
        scene
            .add(widget(format!("w{i}"), t, DVec2::new(300.0, 300.0)))
            .unwrap();
        for (j, off) in [DVec2::new(60.0, 150.0), DVec2::new(240.0, 150.0)]
            .into_iter()
            .enumerate()
        {
            let id = i * 2 + j as u64;
            let pos = origin + off;
            scene.touch(TouchEvent {
                id,
                phase: Phase::Start,
                pos,
                time: Duration::ZERO,
            });
            fingers.push((id, pos));
        }
    }
    let mut frame = 0u64;
    c.bench_function("dispatch/10_finger_frame", |b| {
        b.iter(|| {
            frame += 1;
            // Small circles keep the gesture bounded however long it runs.
            let phase = frame as f64 * 0.05;
            let time = Duration::from_millis(frame * 16);
            for (k, (id, base)) in fingers.iter().enumerate() {
                let wobble = DVec2::new(phase.cos(), phase.sin()) * (3.0 + k as f64 % 3.0);
                scene.touch(TouchEvent {
                    id: *id,
                    phase: Phase::Move,
                    pos: *base + wobble,
                    time,
                });
            }
            scene.drain_effects().for_each(drop);
        })
    });
}

/// A 10,000-event trace over a 20-widget scene: fingers land, wander and lift.
fn long_trace() -> (String, String) {
    let mut rng = Lcg(7);
    let mut widgets = Vec::new();
    for i in 0..20 {
        widgets.push(format!(
            r#"{{"name":"w{i}","size":[{:.1},{:.1}],"pos":[{:.1},{:.1}],"rotation":{:.1}}}"#,
            rng.range(100.0, 400.0),
            rng.range(100.0, 300.0),
            rng.range(0.0, 1500.0),
            rng.range(0.0, 800.0),
            rng.range(-90.0, 90.0)
        ));
    }
    let scene = format!(
        r#"{{"window":[1920,1080],"widgets":[{}]}}"#,
        widgets.join(",")
    );
    let mut trace = String::new();
    let mut down: Vec<(u64, f64, f64)> = Vec::new();
    let mut next = 0u64;
    let mut t = 0.0;
    for _ in 0..10_000 {
        t += 0.004;
        let r = rng.next();
        let (phase, id, x, y) = if down.is_empty() || (r < 0.05 && down.len() < 10) {
            next += 1;
            let (x, y) = (rng.range(0.0, 1920.0), rng.range(0.0, 1080.0));
            down.push((next, x, y));
            ("start", next, x, y)
        } else if r < 0.1 {
            let (id, x, y) =
                down.swap_remove((rng.next() * down.len() as f64) as usize % down.len());
            ("end", id, x, y)
        } else {
            let k = (rng.next() * down.len() as f64) as usize % down.len();
            down[k].1 += rng.range(-10.0, 10.0);
            down[k].2 += rng.range(-10.0, 10.0);
            ("move", down[k].0, down[k].1, down[k].2)
        };
        trace.push_str(&format!(
            "{{\"t\":{t:.3},\"id\":{id},\"phase\":\"{phase}\",\"x\":{x:.2},\"y\":{y:.2}}}\n"
        ));
    }
    (scene, trace)
}

fn replay_trace(c: &mut Criterion) {
    let (scene, trace) = long_trace();
    let config = Config::default();
    c.bench_function("replay/10000_events", |b| {
        b.iter(|| black_box(vitrine::replay::run(&config, &scene, &trace, None).unwrap()))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    targets = hit_test, ten_finger_frame, replay_trace
}
criterion_main!(benches);
