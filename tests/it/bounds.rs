//! Every bound of the kiosk holds and answers clearly: widgets on screen, live video pipelines, URL fetch threads and waiting loads.

use crate::support;

use support::{caller_load, load_video, make_clip, signal, still_png, temp_dir, wait_result};
use vitrine::app::{FailureKind, Kiosk, LoadResult, Source};
use vitrine::config::Config;
use vitrine::content::file_uri;

fn kind(result: LoadResult) -> Option<FailureKind> {
    result.err().map(|f| {
        assert!(!f.message.is_empty());
        f.kind
    })
}

#[test]
fn widgets_beyond_max_widgets_are_refused_and_replacing_still_works() {
    let dir = temp_dir("max-widgets");
    let still = still_png(&dir);
    let mut config = Config::default();
    config.content.max_widgets = 3;
    let s = signal();
    let mut k = Kiosk::new(config, (640, 360), s.clone());
    for name in ["a", "b", "c"] {
        let (r, rx) = caller_load(name, Source::File(still.clone()));
        k.load(r);
        assert_eq!(wait_result(&mut k, &s, &rx), Ok("image"));
    }
    let (r, rx) = caller_load("d", Source::File(still.clone()));
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
    let (r, rx) = caller_load("b", Source::File(still));
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
    let still = still_png(&dir);
    let mut config = Config::default();
    // Two 32×32 pictures fit (4 KiB each), a third does not.
    config.content.max_texture_bytes = 10_000;
    let s = signal();
    let mut k = Kiosk::new(config, (640, 360), s.clone());
    for name in ["a", "b"] {
        let (r, rx) = caller_load(name, Source::File(still.clone()));
        k.load(r);
        assert_eq!(wait_result(&mut k, &s, &rx), Ok("image"));
    }
    let (r, rx) = caller_load("c", Source::File(still.clone()));
    k.load(r);
    let refused = wait_result(&mut k, &s, &rx);
    assert!(
        refused
            .as_ref()
            .is_err_and(|f| f.message.contains("content.max_texture_bytes")),
        "{refused:?}"
    );
    assert_eq!(kind(refused), Some(FailureKind::Limit));
    let (r, rx) = caller_load("a", Source::File(still));
    k.load(r);
    assert_eq!(
        wait_result(&mut k, &s, &rx),
        Ok("image"),
        "a replacement frees what it replaces"
    );
}
