//! Renderer benchmark: a 1920x1080 frame with 32 textured scatters, the backdrop and 4 play overlays, against a clear-only frame.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use glam::{DAffine2, DVec2};
use vitrine::pixels::Rgba8Image;
use vitrine::render::{RenderOptions, Renderer};
use vitrine::scene::{
    ContentKey, DrawList, EndPolicy, Kind, Scene, SceneSettings, VideoControl, WidgetSpec,
};

const SIZE: (u32, u32) = (1920, 1080);

fn texture(i: u32) -> Rgba8Image {
    let (w, h) = (512u32, 384u32);
    let mut px = Vec::with_capacity((w * h * 4) as usize);
    for y in 0..h {
        for x in 0..w {
            px.extend_from_slice(&[(x + i * 7) as u8, (y + i * 13) as u8, (x ^ y) as u8, 255]);
        }
    }
    Rgba8Image::new(w, h, px).unwrap()
}

fn busy_scene(renderer: &mut Renderer) -> DrawList {
    let mut scene = Scene::new(SceneSettings {
        window: DVec2::new(f64::from(SIZE.0), f64::from(SIZE.1)),
        ..SceneSettings::default()
    });
    let mut names = Vec::new();
    for i in 0..32u32 {
        renderer.upload(ContentKey(u64::from(i)), &texture(i));
        let video = i >= 28;
        let kind = if video {
            Kind::Video {
                control: VideoControl::new(EndPolicy::Loop),
                poster: None,
            }
        } else {
            Kind::Image
        };
        let (col, row) = (f64::from(i % 8), f64::from(i / 8));
        let t = DAffine2::from_scale_angle_translation(
            DVec2::splat(0.5 + 0.05 * f64::from(i % 5)),
            (f64::from(i) * 17.0 - 40.0).to_radians(),
            DVec2::new(60.0 + col * 230.0, 60.0 + row * 250.0),
        );
        let name = format!("w{i}");
        scene
            .add(WidgetSpec {
                name: name.clone(),
                kind,
                size: DVec2::new(512.0, 384.0),
                transform: t,
                content: ContentKey(u64::from(i)),
                scatter: None,
            })
            .unwrap();
        if video {
            names.push(name);
        }
    }
    // The backdrop dims 28 images; the 4 videos with their overlays sit above it.
    scene.show_backdrop(None, &names, Duration::ZERO).unwrap();
    scene.draw(Duration::from_secs(1))
}

fn frames(c: &mut Criterion) {
    let mut renderer = match Renderer::headless(&RenderOptions::default()) {
        Ok(r) => r,
        Err(e) => panic!("the render benchmark needs a GPU adapter: {e}"),
    };
    eprintln!(
        "render benchmark adapter: {}",
        renderer.gpu().adapter_name()
    );
    let busy = busy_scene(&mut renderer);
    let empty = DrawList {
        window: busy.window,
        items: Vec::new(),
    };
    let mut group = c.benchmark_group("render_1920x1080");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(8));
    group.bench_function("clear_only", |b| {
        b.iter(|| {
            renderer.render_offscreen(black_box(&empty), SIZE);
            renderer.wait_idle();
        })
    });
    group.bench_function("32_scatters_backdrop_4_overlays", |b| {
        b.iter(|| {
            renderer.render_offscreen(black_box(&busy), SIZE);
            renderer.wait_idle();
        })
    });
    group.finish();
}

criterion_group!(benches, frames);
criterion_main!(benches);
