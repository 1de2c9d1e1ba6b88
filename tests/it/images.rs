//! Image content end to end: real files decoded off the UI thread, EXIF orientation, and failures that become error cards.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use vitrine::app::{Kiosk, LoadRequest, Origin, Placement, Source};
use vitrine::config::Config;
use vitrine::content::{ImageError, ImageLimits, load_image_file};
use vitrine::scene::Kind;
use vitrine::wake::Signal;

fn fixture(name: &str) -> PathBuf {
    crate::support::repo().join("tests/fixtures").join(name)
}

fn limits() -> ImageLimits {
    vitrine::settings::image_limits(&Config::default().content)
}

#[test]
fn exif_orientation_is_applied() {
    // Stored 40x20, left half red; EXIF orientation 6 turns it a quarter
    // clockwise for display: 20x40 with red on top.
    let img = load_image_file(&fixture("oriented.jpg"), limits()).unwrap();
    assert_eq!((img.width(), img.height()), (20, 40));
    let top = img.pixel(10, 5);
    let bottom = img.pixel(10, 35);
    assert!(top[0] > 200 && top[2] < 60, "top is red: {top:?}");
    assert!(
        bottom[2] > 200 && bottom[0] < 60,
        "bottom is blue: {bottom:?}"
    );
}

#[test]
fn corrupt_and_missing_files_are_errors() {
    assert!(matches!(
        load_image_file(&fixture("corrupt.png"), limits()),
        Err(ImageError::Decode(_))
    ));
    assert!(matches!(
        load_image_file(&fixture("no-such-file.png"), limits()),
        Err(ImageError::Read { .. })
    ));
}

#[test]
fn a_decompression_bomb_is_refused_by_its_header() {
    let tight = ImageLimits {
        max_bytes: 1 << 20,
        max_pixels: 500,
    };
    let demo = crate::support::repo().join("assets/demo/poster.png");
    assert!(matches!(
        load_image_file(&demo, tight),
        Err(ImageError::TooManyPixels {
            width: 800,
            height: 500,
            ..
        })
    ));
}

/// Pumps the kiosk until every load has arrived.
fn settle(kiosk: &mut Kiosk, signal: &Signal) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while kiosk.pending_loads() > 0 {
        assert!(Instant::now() < deadline, "loads never finished");
        signal.wait(Some(Duration::from_millis(100)));
        kiosk.pump();
    }
}

fn request(name: &str, path: PathBuf) -> LoadRequest {
    LoadRequest {
        name: name.into(),
        source: Source::File(path),
        placement: Placement::Default,
        origin: Origin::Startup,
        viewport: None,
        poster: None,
    }
}

#[test]
fn loads_land_in_order_and_failures_become_error_cards() {
    let signal = Arc::new(Signal::default());
    let mut kiosk = Kiosk::new(Config::default(), (1280, 720), signal.clone());
    let demo = crate::support::repo().join("assets/demo");
    kiosk.queue(request("poster", demo.join("poster.png")));
    kiosk.queue(request("broken", fixture("corrupt.png")));
    kiosk.queue(request("photo", demo.join("photo.jpg")));
    settle(&mut kiosk, &signal);
    let names: Vec<&str> = kiosk.scene().front_to_back().map(|w| w.name()).collect();
    assert_eq!(names, ["photo", "broken", "poster"]);
    let broken = kiosk.scene().by_name("broken").unwrap();
    assert_eq!(broken.kind(), &Kind::ErrorCard);
    // The card is an HTML page, 640x400 CSS pixels.
    assert_eq!(broken.size().x, 640.0);
    let poster = kiosk.scene().by_name("poster").unwrap();
    assert_eq!(poster.kind(), &Kind::Image);
    assert_eq!(poster.size().x, 800.0);
    // Default placement: centred and fitted to 60 % of the window.
    let c = poster.corners();
    let width = c[1].x - c[0].x;
    let height = c[3].y - c[0].y;
    assert!((width - 0.6 * 1280.0).abs() < 1e-6 || (height - 0.6 * 720.0).abs() < 1e-6);
}

#[test]
fn reloading_a_name_replaces_it_in_place() {
    let signal = Arc::new(Signal::default());
    let mut kiosk = Kiosk::new(Config::default(), (1280, 720), signal.clone());
    let demo = crate::support::repo().join("assets/demo");
    kiosk.load(request("a", demo.join("poster.png")));
    kiosk.load(request("b", demo.join("photo.jpg")));
    settle(&mut kiosk, &signal);
    let before = kiosk.scene().by_name("a").unwrap().transform();
    kiosk.load(request("a", demo.join("sticker.webp")));
    settle(&mut kiosk, &signal);
    let a = kiosk.scene().by_name("a").unwrap();
    assert_eq!(a.transform(), before, "same transform");
    assert_eq!(a.size().x, 360.0, "new content");
    assert_eq!(kiosk.scene().len(), 2);
    assert_eq!(
        kiosk.scene().current().unwrap().name(),
        "a",
        "brought to the front"
    );
}

#[test]
fn a_callers_failed_image_is_reported_and_changes_nothing() {
    let signal = Arc::new(Signal::default());
    let mut kiosk = Kiosk::new(Config::default(), (1280, 720), signal.clone());
    let demo = crate::support::repo().join("assets/demo");
    kiosk.load(request("a", demo.join("poster.png")));
    settle(&mut kiosk, &signal);
    let before = kiosk.scene().by_name("a").unwrap().transform();
    let (tx, rx) = std::sync::mpsc::channel();
    let mut broken = request("a", fixture("corrupt.png"));
    broken.origin = Origin::Caller(
        vitrine::app::Caller::new(tx).0,
        std::sync::Arc::new(vitrine::state::Source::Url {
            url: broken.source.describe(),
            poster: None,
        }),
    );
    kiosk.load(broken);
    settle(&mut kiosk, &signal);
    assert!(rx.try_recv().unwrap().is_err());
    let a = kiosk.scene().by_name("a").unwrap();
    assert_eq!(a.kind(), &Kind::Image, "the old content stays");
    assert_eq!(a.transform(), before);
}
