//! Creating and removing 200 videos, and playing one for 300 frames, keep threads, file descriptors and memory flat (alone in its process, so counts are its own).

mod support;

use support::{load_video, make_clip, signal, temp_dir, wait_result};
use vitrine::app::Kiosk;
use vitrine::config::Config;
use vitrine::content::file_uri;
use vitrine::render::{RenderOptions, Renderer};

fn count(dir: &str) -> usize {
    std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0)
}

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

#[test]
fn creating_and_removing_200_videos_keeps_threads_fds_and_memory_flat() {
    let dir = temp_dir("leak");
    let clip = make_clip(&dir, "short.webm", "smpte", 10, 10, (640, 360));
    let uri = file_uri(&clip);
    let s = signal();
    let mut k = Kiosk::new(Config::default(), (640, 360), s.clone());
    let mut r = Renderer::headless(&RenderOptions::default())
        .unwrap_or_else(|e| panic!("needs a GPU adapter: {e}"));
    let mut cycle = |k: &mut Kiosk, i: usize| {
        let rx = load_video(k, "v", &uri);
        assert_eq!(wait_result(k, &s, &rx), Ok("video"), "video {i}");
        let now = k.now();
        k.frame(now);
        k.sync_textures(&mut r);
        r.render_offscreen(k.last_frame(), (640, 360));
        assert!(k.remove("v"));
        let now = k.now();
        k.frame(now);
        k.sync_textures(&mut r);
        r.render_offscreen(k.last_frame(), (640, 360));
        r.wait_idle();
    };
    for i in 0..30 {
        cycle(&mut k, i);
    }
    settle();
    let (threads, fds, rss) = (count("/proc/self/task"), count("/proc/self/fd"), rss_kib());
    for i in 30..200 {
        cycle(&mut k, i);
    }
    // Players are torn down on the reaper thread, off the UI thread: let it
    // finish before counting what is left.
    // Both threads and descriptors: a player's sockets and pipes close as
    // its teardown finishes, a moment after its threads may have gone.
    let settled = || count("/proc/self/task") <= threads + 4 && count("/proc/self/fd") <= fds + 8;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !settled() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let (threads2, fds2, rss2) = (count("/proc/self/task"), count("/proc/self/fd"), rss_kib());
    // A leak of one thread or fd per video would be 170 more; allow a
    // little slack for GStreamer's own pools.
    assert!(threads2 <= threads + 4, "threads {threads} -> {threads2}");
    assert!(fds2 <= fds + 8, "fds {fds} -> {fds2}");
    assert!(rss2 <= rss + 32 * 1024, "RSS {rss} KiB -> {rss2} KiB");
    playing_for_300_frames_keeps_memory_flat();
}

/// Waits until the thread count has stopped falling: the reaper has torn
/// down every player it was handed.
fn settle() {
    let mut last = count("/proc/self/task");
    loop {
        std::thread::sleep(std::time::Duration::from_millis(200));
        let now = count("/proc/self/task");
        if now >= last {
            return;
        }
        last = now;
    }
}

/// Runs after the create/remove cycles, in the same test, so that no other
/// test's threads share the process while counts are taken.
fn playing_for_300_frames_keeps_memory_flat() {
    let dir = temp_dir("steady");
    let clip = make_clip(&dir, "loop.webm", "ball", 30, 30, (640, 360));
    let s = signal();
    let mut k = Kiosk::new(Config::default(), (640, 360), s.clone());
    let mut r = Renderer::headless(&RenderOptions::default())
        .unwrap_or_else(|e| panic!("needs a GPU adapter: {e}"));
    let rx = load_video(&mut k, "v", &file_uri(&clip));
    assert_eq!(wait_result(&mut k, &s, &rx), Ok("video"));
    k.video("v", vitrine::scene::VideoRequest::Play);
    let mut rss = 0;
    loop {
        k.pump();
        let now = k.now();
        if k.needs_redraw(now) {
            k.frame(now);
            k.sync_textures(&mut r);
            r.render_offscreen(k.last_frame(), (640, 360));
        }
        let shown = k.video_frames().1;
        if shown == 60 && rss == 0 {
            r.wait_idle();
            rss = rss_kib();
        }
        if shown >= 300 {
            break;
        }
        s.wait(Some(std::time::Duration::from_millis(100)));
    }
    r.wait_idle();
    let rss2 = rss_kib();
    // One leaked frame per draw would be 240 × 350 KB = 84 MB.
    assert!(
        rss2 <= rss + 16 * 1024,
        "RSS {rss} KiB -> {rss2} KiB over 240 frames"
    );
}
