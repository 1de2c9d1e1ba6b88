//! Every bound of the kiosk holds and answers clearly: widgets on screen, live video pipelines, URL fetch threads and waiting loads.

mod support;

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};

use support::{load_video, make_clip, signal, temp_dir, wait_result};
use vitrine::app::{
    Caller, FailureKind, Kiosk, LoadRequest, LoadResult, Origin, Placement, Source,
};
use vitrine::config::Config;
use vitrine::content::file_uri;
use vitrine::pixels::Rgba8Image;

fn request(name: &str, source: Source) -> (LoadRequest, Receiver<LoadResult>) {
    let (tx, rx) = channel();
    let r = LoadRequest {
        name: name.into(),
        source,
        placement: Placement::Default,
        origin: Origin::Caller(Caller::new(tx).0),
        viewport: None,
        poster: None,
    };
    (r, rx)
}

fn png(dir: &Path) -> PathBuf {
    let p = dir.join("still.png");
    Rgba8Image::filled(32, 32, [200, 100, 0, 255])
        .save_png(&p)
        .unwrap();
    p
}

fn kind(result: LoadResult) -> Option<FailureKind> {
    result.err().map(|f| {
        assert!(!f.message.is_empty());
        f.kind
    })
}

#[test]
fn widgets_beyond_max_widgets_are_refused_and_replacing_still_works() {
    let dir = temp_dir("max-widgets");
    let still = png(&dir);
    let mut config = Config::default();
    config.content.max_widgets = 3;
    let s = signal();
    let mut k = Kiosk::new(config, (640, 360), s.clone());
    for name in ["a", "b", "c"] {
        let (r, rx) = request(name, Source::File(still.clone()));
        k.load(r);
        assert_eq!(wait_result(&mut k, &s, &rx), Ok("image"));
    }
    let (r, rx) = request("d", Source::File(still.clone()));
    k.load(r);
    let refused = wait_result(&mut k, &s, &rx);
    assert!(
        refused
            .as_ref()
            .is_err_and(|f| f.message.contains("content.max_widgets")),
        "{refused:?}"
    );
    assert_eq!(kind(refused), Some(FailureKind::Limit));
    assert_eq!(k.scene().len(), 3);
    let (r, rx) = request("b", Source::File(still));
    k.load(r);
    assert_eq!(wait_result(&mut k, &s, &rx), Ok("image"), "replacing fits");
}

#[test]
fn videos_beyond_max_players_are_refused() {
    let dir = temp_dir("max-players");
    let clip = file_uri(&make_clip(&dir, "c.webm", "smpte", 5, 10, (160, 90)));
    let mut config = Config::default();
    config.video.max_players = 2;
    let s = signal();
    let mut k = Kiosk::new(config, (640, 360), s.clone());
    for name in ["v1", "v2"] {
        let rx = load_video(&mut k, name, &clip);
        assert_eq!(wait_result(&mut k, &s, &rx), Ok("video"));
    }
    let rx = load_video(&mut k, "v3", &clip);
    let refused = wait_result(&mut k, &s, &rx);
    assert!(
        refused
            .as_ref()
            .is_err_and(|f| f.message.contains("video.max_players")),
        "{refused:?}"
    );
    assert_eq!(kind(refused), Some(FailureKind::Limit));
    let rx = load_video(&mut k, "v1", &clip);
    assert_eq!(
        wait_result(&mut k, &s, &rx),
        Ok("video"),
        "a video replacing a video fits"
    );
}

#[test]
fn pictures_beyond_max_texture_bytes_are_refused() {
    let dir = temp_dir("max-texture-bytes");
    let still = png(&dir);
    let mut config = Config::default();
    // Two 32×32 pictures fit (4 KiB each), a third does not.
    config.content.max_texture_bytes = 10_000;
    let s = signal();
    let mut k = Kiosk::new(config, (640, 360), s.clone());
    for name in ["a", "b"] {
        let (r, rx) = request(name, Source::File(still.clone()));
        k.load(r);
        assert_eq!(wait_result(&mut k, &s, &rx), Ok("image"));
    }
    let (r, rx) = request("c", Source::File(still.clone()));
    k.load(r);
    let refused = wait_result(&mut k, &s, &rx);
    assert!(
        refused
            .as_ref()
            .is_err_and(|f| f.message.contains("content.max_texture_bytes")),
        "{refused:?}"
    );
    assert_eq!(kind(refused), Some(FailureKind::Limit));
    let (r, rx) = request("a", Source::File(still));
    k.load(r);
    assert_eq!(
        wait_result(&mut k, &s, &rx),
        Ok("image"),
        "a replacement frees what it replaces"
    );
}
