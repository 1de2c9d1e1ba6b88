//! Live updates for the admin page as Server-Sent Events, fed by the same event bus as socket subscribers: one bounded subscription and one thread per watching page.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use super::conn::Conn;
use super::http::{Response, SECURITY_HEADERS, status_line};
use super::session::Sessions;
use vitrine_api::events::{Bus, TypeSet};

// None of these is a key. They pace a stream, not what it carries, and
// each is far inside what proxies and phones need: 10 s is below every
// common proxy's idle timeout (nginx and load balancers: 60 s), and a page
// reconnects at once after its lifetime, unseen by the manager.

/// A quiet stream sends a comment this often, so a page that went away is
/// noticed (the write fails) and its slot freed.
const KEEPALIVE: Duration = Duration::from_secs(10);

/// How long sent bytes may go unacknowledged before the kernel drops the
/// connection: a phone that left the shop's Wi-Fi frees its place in
/// seconds, not in the quarter of an hour TCP would otherwise wait.
const UNACKED_TIMEOUT: Duration = Duration::from_secs(30);

/// How often a stream makes sure its session is still live.
const SESSION_CHECK: Duration = Duration::from_secs(1);

/// A stream ends after this long, and the page reconnects at once (the
/// `retry:` below): nothing holds a watcher's place forever.
const LIFETIME: Duration = Duration::from_secs(300);

/// A place among the watching pages, given back when dropped.
pub struct Watcher<'a>(&'a AtomicUsize);

impl Drop for Watcher<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Takes a place among at most `max` watching pages.
pub fn admit(count: &AtomicUsize, max: usize) -> Option<Watcher<'_>> {
    count
        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| {
            (n < max).then_some(n + 1)
        })
        .ok()
        .map(|_| Watcher(count))
}

/// Streams every event to the page until it goes away, the session ends,
/// the stream's lifetime is over or the bus refuses; a write may block for
/// `write_timeout`. Runs on the connection's own thread.
pub fn stream(
    mut out: Conn,
    bus: &Arc<Bus>,
    sessions: &Sessions,
    session_id: &str,
    write_timeout: Duration,
) -> std::io::Result<()> {
    let sub = match bus.subscribe(TypeSet::ALL) {
        Ok(s) => s,
        Err(e) => return Response::error(503, &e.to_string()).write(&mut out),
    };
    out.tcp().set_write_timeout(Some(write_timeout))?;
    if let Err(e) = socket2::SockRef::from(out.tcp()).set_tcp_user_timeout(Some(UNACKED_TIMEOUT)) {
        tracing::debug!(%e, "admin page: no unacknowledged-data timeout on an event stream");
    }
    let ends = std::time::Instant::now() + LIFETIME;
    let head = format!(
        "{}Content-Type: text/event-stream\r\nX-Accel-Buffering: no\r\n{SECURITY_HEADERS}Connection: close\r\n\r\n\
         retry: 2000\n: the kiosk's events, as they happen\n\n",
        status_line(200)
    );
    out.write_all(head.as_bytes())?;
    out.flush()?;
    // The session is looked up once a second, not once per event.
    let mut next_check = std::time::Instant::now();
    while std::time::Instant::now() < ends {
        if std::time::Instant::now() >= next_check {
            if sessions.check(Some(session_id)).is_none() {
                // The page logs in again and reconnects.
                out.write_all(b"event: expired\ndata: {}\n\n")?;
                return out.flush();
            }
            next_check = std::time::Instant::now() + SESSION_CHECK;
        }
        match sub.next_within(KEEPALIVE) {
            Err(_closed) => return Ok(()),
            Ok(None) => out.write_all(b": keepalive\n\n")?,
            Ok(Some(delivery)) => {
                // A notification is one JSON line, so it is one data line.
                out.write_all(b"data: ")?;
                out.write_all(&delivery.notification())?;
                out.write_all(b"\n\n")?;
            }
        }
        out.flush()?;
    }
    Ok(())
}
