//! YUV → RGB on the GPU (lavapipe): NV12 and I420 test patterns with known colours decode within ±2 per channel.

use glam::{Affine2, Vec2};
use vitrine::pixels::{ColorMatrix, PlanarFrame, Plane, PlaneLayout, Rgba8Image};
use vitrine::render::{RenderOptions, Renderer};
use vitrine::scene::{ContentKey, DrawItem, DrawList, WidgetDraw};

/// Four 16x16 blocks of uniform colour in a 32x32 frame, as (y, u, v).
const BLOCKS: [[u8; 3]; 4] = [
    [81, 90, 240],
    [145, 54, 34],
    [41, 240, 110],
    [120, 100, 160],
];

/// The reference conversion, from the published coefficients (not from the
/// renderer's own derivation).
fn expected(yuv: [u8; 3], matrix: ColorMatrix, full: bool) -> [f64; 3] {
    let (y, u, v) = (
        f64::from(yuv[0]),
        f64::from(yuv[1]) - 128.0,
        f64::from(yuv[2]) - 128.0,
    );
    let rgb = match (matrix, full) {
        (ColorMatrix::Bt601, false) => {
            let y = 1.164_383_6 * (y - 16.0);
            [
                y + 1.596_026_8 * v,
                y - 0.391_762_3 * u - 0.812_967_6 * v,
                y + 2.017_232_1 * u,
            ]
        }
        (ColorMatrix::Bt709, true) => [
            y + 1.5748 * v,
            y - 0.187_324_3 * u - 0.468_124_3 * v,
            y + 1.8556 * u,
        ],
        other => panic!("no reference for {other:?}"),
    };
    rgb.map(|c| c.clamp(0.0, 255.0))
}

/// The planes of the pattern: Y at full resolution, chroma at half.
fn planes(layout: PlaneLayout) -> Vec<Vec<u8>> {
    let block = |x: usize, y: usize, size: usize| (y / size) * 2 + x / size;
    let y: Vec<u8> = (0..32 * 32)
        .map(|i| BLOCKS[block(i % 32, i / 32, 16)][0])
        .collect();
    let u: Vec<u8> = (0..16 * 16)
        .map(|i| BLOCKS[block(i % 16, i / 16, 8)][1])
        .collect();
    let v: Vec<u8> = (0..16 * 16)
        .map(|i| BLOCKS[block(i % 16, i / 16, 8)][2])
        .collect();
    match layout {
        PlaneLayout::I420 => vec![y, u, v],
        PlaneLayout::Nv12 => vec![y, u.iter().zip(&v).flat_map(|(a, b)| [*a, *b]).collect()],
        PlaneLayout::Rgba => unreachable!(),
    }
}

fn render(layout: PlaneLayout, matrix: ColorMatrix, full: bool) -> Rgba8Image {
    let mut r = Renderer::headless(&RenderOptions::default())
        .unwrap_or_else(|e| panic!("needs a GPU adapter: {e}"));
    let data = planes(layout);
    let strides = match layout {
        PlaneLayout::I420 => [32, 16, 16],
        _ => [32, 32, 0],
    };
    let frame = PlanarFrame {
        layout,
        width: 32,
        height: 32,
        planes: data
            .iter()
            .zip(strides)
            .map(|(d, stride)| Plane { data: d, stride })
            .collect(),
        matrix,
        full_range: full,
    };
    r.upload_frame(ContentKey(1), &frame).unwrap();
    let list = DrawList {
        window: Vec2::new(64.0, 64.0),
        items: vec![DrawItem::Widget(WidgetDraw {
            transform: Affine2::from_scale(Vec2::splat(2.0)),
            size: Vec2::new(32.0, 32.0),
            content: ContentKey(1),
            opacity: 1.0,
            overlay: false,
        })],
    };
    r.capture(&list, (64, 64)).unwrap()
}

fn check(layout: PlaneLayout, matrix: ColorMatrix, full: bool) {
    let img = render(layout, matrix, full);
    for (i, yuv) in BLOCKS.iter().enumerate() {
        let (bx, by) = ((i % 2) as u32, (i / 2) as u32);
        let got = img.pixel(16 + 32 * bx, 16 + 32 * by);
        let want = expected(*yuv, matrix, full);
        for c in 0..3 {
            assert!(
                (f64::from(got[c]) - want[c]).abs() <= 2.0,
                "{layout:?} {matrix:?} full={full} block {i} {yuv:?}: got {got:?}, want {want:?}"
            );
        }
    }
}

#[test]
fn nv12_bt601_limited_range() {
    check(PlaneLayout::Nv12, ColorMatrix::Bt601, false);
}

#[test]
fn i420_bt601_limited_range() {
    check(PlaneLayout::I420, ColorMatrix::Bt601, false);
}

#[test]
fn nv12_and_i420_bt709_full_range() {
    check(PlaneLayout::Nv12, ColorMatrix::Bt709, true);
    check(PlaneLayout::I420, ColorMatrix::Bt709, true);
}

#[test]
fn an_inconsistent_frame_is_refused_not_read_out_of_bounds() {
    let mut r = Renderer::headless(&RenderOptions::default())
        .unwrap_or_else(|e| panic!("needs a GPU adapter: {e}"));
    let short = vec![0u8; 100];
    let frame = PlanarFrame {
        layout: PlaneLayout::I420,
        width: 32,
        height: 32,
        planes: vec![
            Plane {
                data: &short,
                stride: 32,
            },
            Plane {
                data: &short,
                stride: 16,
            },
            Plane {
                data: &short,
                stride: 16,
            },
        ],
        matrix: ColorMatrix::Bt601,
        full_range: false,
    };
    assert!(r.upload_frame(ContentKey(1), &frame).is_err());
}
