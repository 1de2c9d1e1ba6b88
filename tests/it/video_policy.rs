//! Every byte a video reads passes the content policy: GStreamer may not follow a redirect the policy never saw, and a file is played from the path that was checked.

use crate::support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::channel;

use support::{HttpServer, Route, make_clip, signal, temp_dir, wait_result};
use vitrine::app::{Caller, Kiosk, LoadRequest, Origin, Placement, Source};
use vitrine::config::Config;

#[test]
fn a_redirect_only_gstreamer_would_see_is_not_followed() {
    let dir = temp_dir("video-redirect");
    let clip = std::fs::read(make_clip(&dir, "c.webm", "smpte", 10, 10, (160, 90))).unwrap();
    let secret_hits = Arc::new(AtomicUsize::new(0));
    // The secret is served by the same server, but under a host name the
    // policy does not allow.
    let server = HttpServer::start(vec![(
        "/secret.webm",
        Route::Counted(clip, secret_hits.clone()),
    )]);
    // The secret is served by the same machine, but under a host name the
    // policy does not allow; vitrine's own check sees the clip, and only a
    // second request is redirected.
    let forbidden = format!("http://localhost:{}/secret.webm", server.port);
    let served = Arc::new(AtomicUsize::new(0));
    let redirecting = HttpServer::start(vec![(
        "/promo.webm",
        Route::RedirectAfter {
            first: 1,
            data: std::fs::read(dir.join("c.webm")).unwrap(),
            to: forbidden,
            served: served.clone(),
        },
    )]);
    let mut config = Config::default();
    config.content.allowed_hosts = vec!["127.0.0.1".into()];
    let s = signal();
    let mut k = Kiosk::new(config, (640, 360), s.clone());
    let rx = support::load_url(&mut k, "promo", redirecting.url("/promo.webm"));
    let result = wait_result(&mut k, &s, &rx);
    assert!(
        served.load(Ordering::SeqCst) >= 2,
        "GStreamer asked again, and was redirected"
    );
    assert_eq!(
        secret_hits.load(Ordering::SeqCst),
        0,
        "the forbidden host was never asked (result {result:?})"
    );
    assert!(result.is_err(), "the video did not show: {result:?}");
    assert!(k.scene().by_name("promo").is_none());
}

/// A video named through a symbolic link plays from the path the policy
/// checked, so swapping the link afterwards changes nothing.
#[test]
fn a_file_video_plays_from_the_checked_path() {
    let dir = temp_dir("video-link");
    let root = dir.join("root");
    std::fs::create_dir_all(&root).unwrap();
    make_clip(&root, "real.webm", "smpte", 10, 10, (160, 90));
    let link = root.join("link.webm");
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink(root.join("real.webm"), &link).unwrap();
    let mut config = Config::default();
    config.content.roots = vec![root.clone()];
    let s = signal();
    let mut k = Kiosk::new(config, (640, 360), s.clone());
    let (tx, rx) = channel();
    let url = url::Url::from_file_path(&link).unwrap().to_string();
    k.load(LoadRequest {
        name: "v".into(),
        source: Source::Url(url),
        placement: Placement::Default,
        origin: Origin::Caller(
            Caller::new(tx).0,
            std::sync::Arc::new(vitrine::state::Source::Url {
                url: String::new(),
                poster: None,
            }),
        ),
        viewport: None,
        poster: None,
    });
    assert_eq!(wait_result(&mut k, &s, &rx), Ok("video"));
    let list_url = k.current().current_url;
    assert!(
        list_url.ends_with("/real.webm"),
        "GStreamer got the resolved path: {list_url}"
    );
}

/// A TCP server on 127.0.0.2 that must see no request: it counts every
/// connection and answers 404.
fn canary() -> (u16, Arc<AtomicUsize>) {
    let listener = std::net::TcpListener::bind("127.0.0.2:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            counted.fetch_add(1, Ordering::SeqCst);
            use std::io::Write;
            let _ = stream.write_all(
                b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
        }
    });
    (port, hits)
}

/// An HLS playlist whose segments are on the canary, which
/// `content.allowed_hosts` does not allow.
fn playlist(canary: u16) -> Vec<u8> {
    let mut p = String::from(
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n",
    );
    for i in 0..3 {
        p.push_str(&format!(
            "#EXTINF:2.0,\nhttp://127.0.0.2:{canary}/seg{i}.ts\n"
        ));
    }
    p.push_str("#EXT-X-ENDLIST\n");
    p.into_bytes()
}

fn unsupported(result: &vitrine::outcome::LoadResult) -> bool {
    matches!(result, Err(f) if f.kind == vitrine::outcome::FailureKind::Unsupported)
}

/// A URL that claims to be an MP4 but is an HLS playlist is refused as
/// UNSUPPORTED: GStreamer's adaptive demuxer would fetch its segments from a
/// host the policy never checked.
#[test]
fn an_adaptive_playlist_is_refused_and_its_segments_never_fetched() {
    let (canary_port, canary_hits) = canary();
    let server = HttpServer::start(vec![(
        "/promo.mp4",
        Route::Typed(playlist(canary_port), "video/mp4"),
    )]);
    let mut config = Config::default();
    config.content.allowed_hosts = vec!["127.0.0.1".into()];
    let s = signal();
    let mut k = Kiosk::new(config, (640, 360), s.clone());
    let rx = support::load_url(&mut k, "promo", server.url("/promo.mp4"));
    let result = wait_result(&mut k, &s, &rx);
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert_eq!(
        canary_hits.load(Ordering::SeqCst),
        0,
        "a segment was fetched from outside the policy (result {result:?})"
    );
    assert!(unsupported(&result), "{result:?}");
    assert!(k.scene().by_name("promo").is_none());
}

/// Past the sniffer too: a playlist handed straight to the player (as if
/// the sniffer had missed it) is refused by the pipeline, which never plugs
/// an adaptive demuxer.
#[test]
fn the_player_never_plugs_an_adaptive_demuxer() {
    let dir = temp_dir("video-hls");
    let (canary_port, canary_hits) = canary();
    let path = dir.join("promo.m3u8");
    std::fs::write(&path, playlist(canary_port)).unwrap();
    let s = signal();
    let mut k = Kiosk::new(Config::default(), (640, 360), s.clone());
    let rx = support::load_video(&mut k, "v", &vitrine::content::file_uri(&path));
    let result = wait_result(&mut k, &s, &rx);
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert_eq!(
        canary_hits.load(Ordering::SeqCst),
        0,
        "the demuxer fetched a segment (result {result:?})"
    );
    assert!(unsupported(&result), "{result:?}");
}
