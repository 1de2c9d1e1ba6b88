//! Video widgets end to end: real GStreamer pipelines, real clips made at test time, a real HTTP server, lavapipe rendering.

use crate::support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::channel;

use support::{
    HttpServer, Route, closed_port, load_video, make_clip, make_clip_with_audio, signal, temp_dir,
    wait_for, wait_result,
};
use vitrine::app::{Kiosk, Origin, Placement};
use vitrine::config::Config;
use vitrine::content::file_uri;
use vitrine::render::{RenderOptions, Renderer};
use vitrine::scene::{DrawItem, Kind, VideoRequest, VideoState};
use vitrine::wake::Signal;

fn kiosk(signal: &Arc<Signal>) -> Kiosk {
    Kiosk::new(Config::default(), (640, 360), signal.clone())
}

fn fixture(name: &str) -> std::path::PathBuf {
    crate::support::repo().join("tests/fixtures").join(name)
}

fn renderer() -> Renderer {
    Renderer::headless(&RenderOptions::default())
        .unwrap_or_else(|e| panic!("video tests need a GPU adapter: {e}"))
}

fn state(kiosk: &Kiosk, name: &str) -> Option<VideoState> {
    kiosk
        .scene()
        .by_name(name)
        .and_then(|w| w.video())
        .map(|v| v.state())
}

fn overlay_drawn(kiosk: &mut Kiosk) -> bool {
    let now = kiosk.now();
    kiosk
        .frame(now)
        .items
        .iter()
        .any(|i| matches!(i, DrawItem::Widget(w) if w.overlay))
}

#[test]
fn the_poster_is_the_first_frame_with_the_play_overlay() {
    let dir = temp_dir("poster");
    let clip = make_clip(&dir, "bars.webm", "smpte", 30, 30, (320, 180));
    let s = signal();
    let mut k = kiosk(&s);
    let rx = load_video(&mut k, "v", &file_uri(&clip));
    assert_eq!(wait_result(&mut k, &s, &rx), Ok("video"));
    assert_eq!(state(&k, "v"), Some(VideoState::Poster));
    let mut r = renderer();
    let now = k.now();
    k.frame(now);
    k.sync_textures(&mut r);
    let img = r.capture(k.last_frame(), (640, 360)).unwrap();
    // Fitted to 60 % of 640x360: 384x216 at (128, 72). SMPTE bars run
    // grey, yellow, cyan, green, magenta, red, blue across the top.
    let bar = |i: f64| img.pixel((128.0 + 384.0 * (i + 0.5) / 7.0) as u32, 90);
    let yellow = bar(1.0);
    assert!(
        yellow[0] > 150 && yellow[1] > 150 && yellow[2] < 60,
        "yellow bar: {yellow:?}"
    );
    let blue = bar(6.0);
    assert!(
        blue[2] > 150 && blue[0] < 60 && blue[1] < 60,
        "blue bar: {blue:?}"
    );
    // The play triangle is white at the centre.
    let centre = img.pixel(322, 180);
    assert!(
        centre.iter().take(3).all(|c| *c > 220),
        "play button: {centre:?}"
    );
}

#[test]
fn play_brings_new_frames_and_pause_brings_the_overlay_back() {
    let dir = temp_dir("play");
    let clip = make_clip(&dir, "ball.webm", "ball", 90, 30, (160, 90));
    let s = signal();
    let mut k = kiosk(&s);
    let rx = load_video(&mut k, "v", &file_uri(&clip));
    assert_eq!(wait_result(&mut k, &s, &rx), Ok("video"));
    assert!(overlay_drawn(&mut k));
    let before = k.video_frames().0;
    assert!(k.video("v", VideoRequest::Play));
    assert_eq!(state(&k, "v"), Some(VideoState::Playing));
    wait_for(&mut k, &s, "new frames", |k| {
        k.video_frames().0 >= before + 10
    });
    assert!(!overlay_drawn(&mut k));
    assert!(k.video("v", VideoRequest::Pause));
    assert_eq!(state(&k, "v"), Some(VideoState::Paused));
    assert!(overlay_drawn(&mut k));
}

#[test]
fn a_one_second_clip_loops_past_three_seconds() {
    let dir = temp_dir("loop");
    let clip = make_clip(&dir, "one-second.webm", "ball", 24, 24, (160, 90));
    let s = signal();
    let mut k = kiosk(&s);
    let rx = load_video(&mut k, "v", &file_uri(&clip));
    assert_eq!(wait_result(&mut k, &s, &rx), Ok("video"));
    k.video("v", VideoRequest::Play);
    // 80 frames of a 24-frame clip: three and a third seconds of video.
    wait_for(&mut k, &s, "frames past three loops", |k| {
        k.video_frames().0 >= 80
    });
    assert_eq!(state(&k, "v"), Some(VideoState::Playing));
    assert!(matches!(
        k.scene().by_name("v").unwrap().kind(),
        Kind::Video { .. }
    ));
}

/// A WebM whose codec id is patched to one no decoder knows.
fn unsupported_codec(dir: &std::path::Path) -> std::path::PathBuf {
    let clip = make_clip(dir, "vp8.webm", "smpte", 10, 10, (64, 36));
    let mut bytes = std::fs::read(&clip).unwrap();
    let at = bytes
        .windows(5)
        .position(|w| w == b"V_VP8")
        .expect("a VP8 codec id");
    bytes[at..at + 5].copy_from_slice(b"V_QQQ");
    let out = dir.join("unknown-codec.webm");
    std::fs::write(&out, bytes).unwrap();
    out
}

#[test]
fn up_front_failures_are_reported_and_change_nothing() {
    let dir = temp_dir("failures");
    let good = make_clip(&dir, "good.webm", "smpte", 10, 10, (64, 36));
    let corrupt = dir.join("corrupt.webm");
    std::fs::write(
        &corrupt,
        (0..20_000u32)
            .map(|i| (i * 7919 % 251) as u8)
            .collect::<Vec<_>>(),
    )
    .unwrap();
    let unknown = unsupported_codec(&dir);
    let server = HttpServer::start(vec![(
        "/good.webm",
        Route::File(std::fs::read(&good).unwrap()),
    )]);

    let s = signal();
    let mut k = kiosk(&s);
    let rx = load_video(&mut k, "shown", &file_uri(&good));
    assert_eq!(wait_result(&mut k, &s, &rx), Ok("video"));
    let before = k.scene().by_name("shown").unwrap().transform();

    let cases = [
        ("missing file", file_uri(&dir.join("no-such-clip.webm"))),
        ("corrupt file", file_uri(&corrupt)),
        ("unsupported codec", file_uri(&unknown)),
        ("HTTP 404", server.url("/missing.webm")),
        (
            "connection refused",
            format!("http://127.0.0.1:{}/clip.webm", closed_port()),
        ),
    ];
    for (what, uri) in cases {
        // Loading into the name already on screen: a failure must not touch it.
        let rx = load_video(&mut k, "shown", &uri);
        let result = wait_result(&mut k, &s, &rx);
        assert!(result.is_err(), "{what}: {result:?}");
        let w = k.scene().by_name("shown").unwrap();
        assert!(
            matches!(w.kind(), Kind::Video { .. }),
            "{what}: the old video stays"
        );
        assert_eq!(w.transform(), before, "{what}");
        assert_eq!(k.scene().len(), 1, "{what}");
    }
    // And it still plays.
    let frames = k.video_frames().0;
    k.video("shown", VideoRequest::Play);
    wait_for(&mut k, &s, "frames after the failures", |k| {
        k.video_frames().0 > frames
    });
}

#[test]
fn an_http_video_plays_and_a_stream_dying_mid_play_becomes_an_error_card() {
    let dir = temp_dir("dying");
    let clip = make_clip(&dir, "long.webm", "ball", 300, 30, (160, 90));
    let data = std::fs::read(&clip).unwrap();
    let die = Arc::new(AtomicBool::new(false));
    let cut = data.len() / 3;
    let server = HttpServer::start(vec![(
        "/clip.webm",
        Route::Dying {
            data,
            cut,
            die: die.clone(),
        },
    )]);
    let s = signal();
    let mut k = kiosk(&s);
    let rx = load_video(&mut k, "v", &server.url("/clip.webm"));
    assert_eq!(wait_result(&mut k, &s, &rx), Ok("video"));
    k.video("v", VideoRequest::Play);
    wait_for(&mut k, &s, "frames over HTTP", |k| k.video_frames().0 >= 5);
    let before = k.scene().by_name("v").unwrap().transform();
    die.store(true, Ordering::SeqCst);
    wait_for(&mut k, &s, "the error card", |k| {
        k.scene()
            .by_name("v")
            .is_some_and(|w| w.kind() == &Kind::ErrorCard)
    });
    assert_eq!(
        k.scene().by_name("v").unwrap().transform(),
        before,
        "in place"
    );
}

#[test]
fn an_h264_mp4_plays() {
    let s = signal();
    let mut k = kiosk(&s);
    let rx = load_video(&mut k, "v", &file_uri(&fixture("smpte-h264.mp4")));
    assert_eq!(wait_result(&mut k, &s, &rx), Ok("video"));
    assert_eq!(k.scene().by_name("v").unwrap().size().x, 160.0);
    let before = k.video_frames().0;
    k.video("v", VideoRequest::Play);
    wait_for(&mut k, &s, "H.264 frames", |k| {
        k.video_frames().0 >= before + 10
    });
}

#[test]
fn audio_is_dropped_or_played_and_never_stalls_the_video() {
    let dir = temp_dir("audio");
    let clip = make_clip_with_audio(&dir, "tone.webm", 2);
    for audio in [false, true] {
        let s = signal();
        let mut config = Config::default();
        config.video.audio = audio;
        let mut k = Kiosk::new(config, (640, 360), s.clone());
        let rx = load_video(&mut k, "v", &file_uri(&clip));
        assert_eq!(wait_result(&mut k, &s, &rx), Ok("video"), "audio={audio}");
        k.video("v", VideoRequest::Play);
        // Past the end of the two-second clip: 45 frames at 15 fps, looping.
        wait_for(&mut k, &s, "frames with an audio track", |k| {
            k.video_frames().0 >= 45
        });
        assert!(
            matches!(k.scene().by_name("v").unwrap().kind(), Kind::Video { .. }),
            "audio={audio}"
        );
    }
}

#[test]
fn autoplay_starts_videos_as_they_appear() {
    let dir = temp_dir("autoplay");
    let clip = make_clip(&dir, "auto.webm", "ball", 30, 30, (160, 90));
    let s = signal();
    let mut config = Config::default();
    config.video.autoplay = true;
    let mut k = Kiosk::new(config, (640, 360), s.clone());
    let rx = load_video(&mut k, "v", &file_uri(&clip));
    assert_eq!(wait_result(&mut k, &s, &rx), Ok("video"));
    assert_eq!(state(&k, "v"), Some(VideoState::Playing));
    wait_for(&mut k, &s, "autoplayed frames", |k| {
        k.video_frames().0 >= 10
    });
}

#[test]
fn the_pause_and_stop_end_policies() {
    let dir = temp_dir("policies");
    let clip = make_clip(&dir, "short.webm", "ball", 10, 30, (160, 90));
    for (policy, after) in [
        (vitrine::scene::EndPolicy::Pause, VideoState::Ended),
        (vitrine::scene::EndPolicy::Stop, VideoState::Poster),
    ] {
        let s = signal();
        let mut config = Config::default();
        config.video.end = policy;
        let mut k = Kiosk::new(config, (640, 360), s.clone());
        let rx = load_video(&mut k, "v", &file_uri(&clip));
        assert_eq!(wait_result(&mut k, &s, &rx), Ok("video"));
        k.video("v", VideoRequest::Play);
        wait_for(&mut k, &s, "the end of the clip", |k| {
            state(k, "v") == Some(after)
        });
        assert!(
            overlay_drawn(&mut k),
            "{policy:?}: the overlay shows at the end"
        );
    }
}

#[test]
fn a_poster_image_shows_until_the_first_play() {
    let dir = temp_dir("poster-image");
    let clip = make_clip(&dir, "clip.webm", "smpte", 30, 30, (320, 180));
    let poster = dir.join("poster.png");
    vitrine::pixels::Rgba8Image::filled(32, 18, [0, 200, 0, 255])
        .save_png(&poster)
        .unwrap();
    let s = signal();
    let mut k = kiosk(&s);
    let (tx, rx) = channel();
    k.load(vitrine::app::LoadRequest {
        name: "v".into(),
        source: vitrine::app::Source::File(clip),
        placement: Placement::Default,
        origin: Origin::Caller(
            vitrine::app::Caller::new(tx).0,
            std::sync::Arc::new(vitrine::state::Source::Url {
                url: String::new(),
                poster: None,
            }),
        ),
        viewport: None,
        poster: Some(vitrine::app::Source::File(poster)),
    });
    assert_eq!(wait_result(&mut k, &s, &rx), Ok("video"));
    let mut r = renderer();
    let shot = |k: &mut Kiosk, r: &mut Renderer| {
        let now = k.now();
        k.frame(now);
        k.sync_textures(r);
        r.capture(k.last_frame(), (640, 360)).unwrap()
    };
    // Green poster, not the SMPTE bars, away from the play button.
    let img = shot(&mut k, &mut r);
    let p = img.pixel(150, 100);
    assert!(p[1] > 150 && p[0] < 60 && p[2] < 60, "poster: {p:?}");
    k.video("v", VideoRequest::Play);
    wait_for(&mut k, &s, "frames", |k| k.video_frames().0 >= 5);
    let img = shot(&mut k, &mut r);
    let p = img.pixel(150, 100);
    assert!(
        !(p[1] > 150 && p[0] < 60 && p[2] < 60),
        "the video replaced the poster: {p:?}"
    );
}
