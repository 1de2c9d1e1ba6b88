//! Removing a widget releases everything attached to it: 50 add/remove cycles of an image, an HTML page and a video leave no texture, page or player behind, and the page thread pool stays within its bound.

mod support;

use std::sync::mpsc::channel;
use std::time::{Duration, Instant};

use support::{load_video, make_clip, signal, temp_dir, threads, wait_for, wait_result};
use vitrine::app::{Caller, Kiosk, LoadRequest, Origin, Placement, Source};
use vitrine::config::Config;
use vitrine::content::file_uri;
use vitrine::pixels::Rgba8Image;
use vitrine::render::{RenderOptions, Renderer};

/// Waits (up to 30 s) for a count to come down to `at_most`, and returns it.
fn settles(what: &str, at_most: usize, count: impl Fn() -> usize) -> usize {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let n = count();
        if n <= at_most || Instant::now() > deadline {
            assert!(n <= at_most, "{what}: {n} left, expected at most {at_most}");
            return n;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn fifty_add_remove_cycles_leave_nothing_behind() {
    let dir = temp_dir("release");
    let png = dir.join("still.png");
    Rgba8Image::filled(64, 48, [10, 120, 200, 255])
        .save_png(&png)
        .unwrap();
    let clip = make_clip(&dir, "clip.webm", "smpte", 10, 30, (160, 90));
    let s = signal();
    let mut k = Kiosk::new(Config::default(), (640, 360), s.clone());
    let mut r = Renderer::headless(&RenderOptions::default())
        .unwrap_or_else(|e| panic!("this test needs a GPU adapter: {e}"));
    let mut after_first = 0;
    for cycle in 0..50 {
        let (tx, rx) = channel();
        k.load(LoadRequest {
            name: "image".into(),
            source: Source::File(png.clone()),
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
        assert_eq!(wait_result(&mut k, &s, &rx), Ok("image"));
        let (tx, rx) = channel();
        k.post_html(
            "page",
            format!("<h1>Cycle {cycle}</h1>"),
            None,
            Some((320, 200)),
            Placement::Default,
            Origin::Caller(
                Caller::new(tx).0,
                std::sync::Arc::new(vitrine::state::Source::Url {
                    url: String::new(),
                    poster: None,
                }),
            ),
        );
        assert_eq!(wait_result(&mut k, &s, &rx), Ok("html"));
        let rx = load_video(&mut k, "video", &file_uri(&clip));
        assert_eq!(wait_result(&mut k, &s, &rx), Ok("video"));

        assert_eq!(k.attachment_counts(), (3, 3), "cycle {cycle}");
        assert!(k.live_pages().0 >= 1, "the page is alive");
        assert!(threads("vitrine-video") >= 1, "a video has its bus thread");
        // All three are drawn: the image, the page and the video's frame.
        wait_for(&mut k, &s, "three textures", |k| {
            let now = k.now();
            k.frame(now);
            k.sync_textures(&mut r);
            r.texture_count() == 3
        });

        for name in ["image", "page", "video"] {
            assert!(k.remove(name), "{name} removed");
        }
        assert_eq!(k.attachment_counts(), (0, 0), "cycle {cycle}");
        let now = k.now();
        k.frame(now);
        k.sync_textures(&mut r);
        assert_eq!(r.texture_count(), 0, "cycle {cycle}: textures freed");
        // The page is released; the pool keeps its few threads for the
        // next pages.
        let pages = || {
            let (live, pool) = k.live_pages();
            assert!(pool <= Config::default().html.max_page_threads);
            live
        };
        settles("live pages", 0, pages);
        assert!(threads("vitrine-page") <= Config::default().html.max_page_threads);
        settles("video bus threads", 0, || threads("vitrine-video"));
        if cycle == 0 {
            after_first = threads("");
        }
    }
    // GStreamer and the GPU driver keep a few pooled threads of their own;
    // a leak would add one or more per cycle.
    let left = settles("threads", after_first + 4, || threads(""));
    assert!(left <= after_first + 4);
}
