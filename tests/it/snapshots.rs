//! Snapshot tests of the renderer on a software GPU (Mesa lavapipe): known scenes against reference PNGs.
//!
//! Tolerance: a pixel counts as different when any channel differs by more
//! than 24 (of 255); a snapshot fails when more than 0.5 % of its pixels
//! differ. On failure, `NAME-actual.png` and `NAME-diff.png` are written next
//! to the reference. `VITRINE_UPDATE_SNAPSHOTS=1` rewrites the references.

use std::path::PathBuf;
use std::time::Duration;

use glam::{DAffine2, DVec2};
use vitrine::pixels::Rgba8Image;
use vitrine::render::{RenderOptions, Renderer};
use vitrine::scene::{ContentKey, EndPolicy, Kind, Scene, SceneSettings, VideoControl, WidgetSpec};

const CHANNEL_TOLERANCE: u8 = 24;
const MAX_DIFFERENT: f64 = 0.005;

fn renderer() -> Renderer {
    match Renderer::headless(&RenderOptions::default()) {
        Ok(r) => r,
        Err(e) => panic!("snapshot tests need a GPU adapter: {e}"),
    }
}

/// A test texture: a diagonal gradient with a dark grid and a bright corner
/// marker, so orientation and scale are visible.
fn pattern(w: u32, h: u32, tint: [u8; 3]) -> Rgba8Image {
    let mut px = Vec::with_capacity((w * h * 4) as usize);
    for y in 0..h {
        for x in 0..w {
            let t = (x + y) as f32 / (w + h) as f32;
            let grid = x % 16 == 0 || y % 16 == 0;
            let corner = x < w / 5 && y < h / 5;
            let c = if corner {
                [255, 255, 255]
            } else if grid {
                [20, 20, 20]
            } else {
                [
                    (f32::from(tint[0]) * (0.4 + 0.6 * t)) as u8,
                    (f32::from(tint[1]) * (0.4 + 0.6 * t)) as u8,
                    (f32::from(tint[2]) * (0.4 + 0.6 * t)) as u8,
                ]
            };
            px.extend_from_slice(&[c[0], c[1], c[2], 255]);
        }
    }
    Rgba8Image::new(w, h, px).unwrap()
}

/// A disc with soft, semi-transparent edges, to show alpha blending.
fn disc(side: u32, rgb: [u8; 3]) -> Rgba8Image {
    let mut px = Vec::with_capacity((side * side * 4) as usize);
    let r = side as f32 / 2.0;
    for y in 0..side {
        for x in 0..side {
            let d = ((x as f32 + 0.5 - r).powi(2) + (y as f32 + 0.5 - r).powi(2)).sqrt();
            let a = ((r - d) / 6.0).clamp(0.0, 1.0) * 200.0;
            px.extend_from_slice(&[rgb[0], rgb[1], rgb[2], a as u8]);
        }
    }
    Rgba8Image::new(side, side, px).unwrap()
}

fn scene(w: f64, h: f64) -> Scene {
    Scene::new(SceneSettings {
        window: DVec2::new(w, h),
        ..SceneSettings::default()
    })
}

fn add(scene: &mut Scene, name: &str, kind: Kind, size: (f64, f64), t: DAffine2, key: u64) {
    scene
        .add(WidgetSpec {
            name: name.into(),
            kind,
            size: DVec2::new(size.0, size.1),
            transform: t,
            content: ContentKey(key),
            scatter: None,
        })
        .unwrap();
}

fn video() -> Kind {
    Kind::Video {
        control: VideoControl::new(EndPolicy::Loop),
        poster: None,
    }
}

fn at(x: f64, y: f64, deg: f64, s: f64) -> DAffine2 {
    DAffine2::from_scale_angle_translation(DVec2::splat(s), deg.to_radians(), DVec2::new(x, y))
}

fn reference(name: &str) -> PathBuf {
    crate::support::repo().join(format!("tests/snapshots/{name}.png"))
}

fn check(name: &str, actual: &Rgba8Image) {
    let path = reference(name);
    let sibling = |suffix: &str| path.with_file_name(format!("{name}-{suffix}.png"));
    if std::env::var_os("VITRINE_UPDATE_SNAPSHOTS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        actual.save_png(&path).unwrap();
        return;
    }
    let expected = match image::open(&path) {
        Ok(img) => Rgba8Image::from_image(img.into_rgba8()),
        Err(e) => {
            actual.save_png(&sibling("actual")).unwrap();
            panic!(
                "no reference {} ({e}); run with VITRINE_UPDATE_SNAPSHOTS=1 to create it",
                path.display()
            );
        }
    };
    assert_eq!(
        (actual.width(), actual.height()),
        (expected.width(), expected.height()),
        "{name}: size differs from the reference"
    );
    let mut diff = Vec::with_capacity(actual.pixels().len());
    let mut different = 0usize;
    for (a, e) in actual
        .pixels()
        .chunks_exact(4)
        .zip(expected.pixels().chunks_exact(4))
    {
        let worst = a
            .iter()
            .zip(e)
            .map(|(x, y)| x.abs_diff(*y))
            .max()
            .unwrap_or(0);
        if worst > CHANNEL_TOLERANCE {
            different += 1;
            diff.extend_from_slice(&[255, 0, 255, 255]);
        } else {
            let g = e[0] / 3 + e[1] / 3 + e[2] / 3;
            diff.extend_from_slice(&[g / 2, g / 2, g / 2, 255]);
        }
    }
    let total = (actual.width() * actual.height()) as usize;
    let share = different as f64 / total as f64;
    if share > MAX_DIFFERENT {
        actual.save_png(&sibling("actual")).unwrap();
        Rgba8Image::new(actual.width(), actual.height(), diff)
            .unwrap()
            .save_png(&sibling("diff"))
            .unwrap();
        panic!(
            "{name}: {different} of {total} pixels ({:.2} %) differ by more than {CHANNEL_TOLERANCE}; \
             see {name}-actual.png and {name}-diff.png next to the reference",
            share * 100.0
        );
    }
}

fn shoot(r: &mut Renderer, scene: &Scene, size: (u32, u32)) -> Rgba8Image {
    let list = scene.draw(Duration::from_secs(10));
    r.capture(&list, size).unwrap()
}

#[test]
fn rotated_and_scaled_images() {
    let mut r = renderer();
    r.upload(ContentKey(1), &pattern(160, 100, [240, 120, 40]));
    r.upload(ContentKey(2), &pattern(120, 120, [60, 160, 240]));
    let mut s = scene(480.0, 320.0);
    add(
        &mut s,
        "a",
        Kind::Image,
        (160.0, 100.0),
        at(40.0, 60.0, -15.0, 1.0),
        1,
    );
    add(
        &mut s,
        "b",
        Kind::Image,
        (120.0, 120.0),
        at(300.0, 20.0, 30.0, 1.4),
        2,
    );
    check("rotated_scaled", &shoot(&mut r, &s, (480, 320)));
}

#[test]
fn overlapping_z_order_with_alpha() {
    let mut r = renderer();
    r.upload(ContentKey(1), &pattern(200, 140, [200, 200, 60]));
    r.upload(ContentKey(2), &disc(140, [220, 30, 60]));
    r.upload(ContentKey(3), &pattern(140, 100, [60, 200, 120]));
    let mut s = scene(400.0, 300.0);
    add(
        &mut s,
        "back",
        Kind::Image,
        (200.0, 140.0),
        at(40.0, 40.0, 0.0, 1.0),
        1,
    );
    add(
        &mut s,
        "disc",
        Kind::Image,
        (140.0, 140.0),
        at(150.0, 80.0, 0.0, 1.0),
        2,
    );
    add(
        &mut s,
        "front",
        Kind::Image,
        (140.0, 100.0),
        at(220.0, 170.0, 10.0, 1.0),
        3,
    );
    check("z_order", &shoot(&mut r, &s, (400, 300)));
}

#[test]
fn backdrop_with_a_raised_widget() {
    let mut r = renderer();
    r.upload(ContentKey(1), &pattern(160, 120, [240, 240, 240]));
    r.upload(ContentKey(2), &pattern(160, 120, [240, 140, 40]));
    let mut s = scene(400.0, 300.0);
    add(
        &mut s,
        "below",
        Kind::Image,
        (160.0, 120.0),
        at(30.0, 40.0, 0.0, 1.0),
        1,
    );
    add(
        &mut s,
        "raised",
        Kind::Image,
        (160.0, 120.0),
        at(200.0, 140.0, -5.0, 1.0),
        2,
    );
    s.show_backdrop(None, &["raised".to_string()], Duration::ZERO)
        .unwrap();
    check("backdrop_raised", &shoot(&mut r, &s, (400, 300)));
}

#[test]
fn play_overlay_at_half_scale() {
    let mut r = renderer();
    r.upload(ContentKey(1), &pattern(160, 90, [90, 90, 200]));
    let mut s = scene(200.0, 120.0);
    add(
        &mut s,
        "half",
        video(),
        (160.0, 90.0),
        at(20.0, 20.0, 0.0, 0.5),
        1,
    );
    check("overlay_half", &shoot(&mut r, &s, (200, 120)));
}

#[test]
fn play_overlay_at_four_times() {
    let mut r = renderer();
    r.upload(ContentKey(1), &pattern(160, 90, [90, 90, 200]));
    let mut s = scene(300.0, 200.0);
    add(
        &mut s,
        "x4",
        video(),
        (60.0, 34.0),
        at(30.0, 30.0, 0.0, 4.0),
        1,
    );
    let img = shoot(&mut r, &s, (300, 200));
    check("overlay_4x", &img);
}

#[test]
fn a_missing_texture_draws_a_placeholder_not_garbage() {
    let mut r = renderer();
    let mut s = scene(200.0, 100.0);
    add(
        &mut s,
        "pending",
        Kind::Image,
        (100.0, 60.0),
        at(50.0, 20.0, 0.0, 1.0),
        99,
    );
    let img = shoot(&mut r, &s, (200, 100));
    let inside = img.pixel(100, 50);
    let outside = img.pixel(10, 10);
    assert_ne!(inside, outside, "the placeholder is drawn");
    assert_eq!(inside[3], 255);
}

#[test]
fn capture_scales_the_window_onto_any_target_size() {
    let mut r = renderer();
    r.upload(ContentKey(1), &Rgba8Image::filled(4, 4, [255, 0, 0, 255]));
    let mut s = scene(200.0, 100.0);
    // The right half of the window is red.
    add(
        &mut s,
        "right",
        Kind::Image,
        (100.0, 100.0),
        at(100.0, 0.0, 0.0, 1.0),
        1,
    );
    // An odd width exercises the row padding of the readback.
    let img = shoot(&mut r, &s, (101, 50));
    assert_eq!((img.width(), img.height()), (101, 50));
    assert_eq!(img.pixel(90, 25), [255, 0, 0, 255]);
    assert_ne!(img.pixel(10, 25), [255, 0, 0, 255]);
}

#[test]
fn a_custom_overlay_image_replaces_the_built_in_play_button() {
    let options = RenderOptions {
        overlay_image: Some(Rgba8Image::filled(8, 8, [0, 255, 0, 255])),
        ..RenderOptions::default()
    };
    let mut r = Renderer::headless(&options).unwrap_or_else(|e| panic!("needs a GPU adapter: {e}"));
    r.upload(ContentKey(1), &Rgba8Image::filled(4, 4, [0, 0, 255, 255]));
    let mut s = scene(200.0, 200.0);
    add(
        &mut s,
        "v",
        video(),
        (100.0, 100.0),
        at(50.0, 50.0, 0.0, 1.0),
        1,
    );
    let img = shoot(&mut r, &s, (200, 200));
    // The centre shows the custom image; the corner of the widget its frame.
    assert_eq!(img.pixel(100, 100), [0, 255, 0, 255]);
    assert_eq!(img.pixel(55, 55), [0, 0, 255, 255]);
}
