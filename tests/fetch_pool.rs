//! URL loads share a bounded pool of fetch threads, and a full queue refuses a load at once instead of growing.
//!
//! Alone in its test binary, so the thread count is this kiosk's own.

mod support;

use std::time::Duration;

use support::{HttpServer, Route, caller_load, signal, still_png, temp_dir, threads, wait_result};
use vitrine::app::{Kiosk, Source};
use vitrine::config::Config;

#[test]
fn url_loads_share_a_bounded_pool_and_a_full_queue_refuses_at_once() {
    let dir = temp_dir("pool");
    let body = std::fs::read(still_png(&dir)).unwrap();
    let server = HttpServer::start(vec![(
        "/slow.png",
        Route::Slow(body, Duration::from_secs(3)),
    )]);
    let mut config = Config::default();
    config.content.max_fetches = 1;
    config.content.max_queued_loads = 1;
    let s = signal();
    let mut k = Kiosk::new(config, (640, 360), s.clone());
    // The pool has exactly its threads, whatever comes (a thread names
    // itself as it starts, so give it a moment).
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while threads("vitrine-fetch") < 1 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(threads("vitrine-fetch"), 1);
    // The first runs, the second waits, the third finds the queue full. The
    // worker may not have taken the first yet, so allow one more try.
    let mut waiting = Vec::new();
    let mut refused = None;
    for i in 0..4 {
        let (r, rx) = caller_load(&format!("u{i}"), Source::Url(server.url("/slow.png")));
        k.load(r);
        k.pump();
        match rx.try_recv() {
            Ok(result) => {
                refused = Some(result);
                break;
            }
            Err(_) => waiting.push(rx),
        }
    }
    let refused = refused.expect("a full queue refuses at once");
    assert!(
        refused
            .as_ref()
            .is_err_and(|f| f.message.contains("content.max_queued_loads")),
        "{refused:?}"
    );
    // No thread per request: the one worker, and at most one short-lived
    // helper the HTTP client starts to resolve a name (a thread inherits
    // the name of the thread that starts it).
    assert!(threads("vitrine-fetch") <= 2, "no thread per request");
    // Those that were accepted finish, and the pool is back to its size.
    for rx in &waiting {
        assert_eq!(wait_result(&mut k, &s, rx), Ok("image"));
    }
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while threads("vitrine-fetch") > 1 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(threads("vitrine-fetch"), 1);
}
