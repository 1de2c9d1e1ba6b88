//! A connection's sending half, shared by the thread that answers requests and the one that pushes events, so that every frame goes out whole.

use std::io::Write;
use std::net::{Shutdown, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use super::codec::{Framing, encode};

/// How long a subscriber's connection may be silent before the system
/// starts probing whether its peer is still there.
const KEEPALIVE_IDLE: Duration = Duration::from_secs(60);
/// The time between probes; after a few unanswered ones the connection is
/// closed, and its threads end.
const KEEPALIVE_INTERVAL: Duration = Duration::from_secs(10);
/// The kernel's send buffer for a subscriber: events a peer has not read
/// wait in its bounded queue, where they are counted when dropped, rather
/// than in a buffer the system would grow to megabytes.
const PUSH_SEND_BUFFER: usize = 64 * 1024;
/// How long sent events may stay unacknowledged before the subscriber's
/// connection is given up.
const UNACKED_TIMEOUT: Duration = Duration::from_secs(120);

/// The writing side of one connection.
pub struct Line {
    stream: Mutex<TcpStream>,
    /// Events are pushed on this connection: silence between requests is
    /// then expected, not idleness.
    pushing: AtomicBool,
}

impl Line {
    pub fn new(stream: TcpStream) -> Self {
        Self {
            stream: Mutex::new(stream),
            pushing: AtomicBool::new(false),
        }
    }

    /// Writes one JSON payload as one frame; false when the connection is
    /// broken (or a write stalled past the socket's write timeout, which
    /// leaves a partial frame: the caller must close).
    pub fn send(&self, framing: Framing, json: &[u8]) -> bool {
        let frame = encode(framing, json);
        let mut s = self.stream.lock().unwrap_or_else(PoisonError::into_inner);
        if s.write_all(&frame).is_ok() {
            return true;
        }
        // A frame may be half written: nothing after it could be read, so
        // the connection ends here, for the other thread too.
        let _ = s.shutdown(Shutdown::Both);
        false
    }

    /// Marks the connection as carrying events (or no longer). While it
    /// does, the system probes a silent peer, so a subscriber that vanished
    /// without closing is found within a few minutes.
    pub fn set_pushing(&self, on: bool) {
        self.pushing.store(on, Ordering::Relaxed);
        if on {
            let s = self.stream.lock().unwrap_or_else(PoisonError::into_inner);
            let keepalive = socket2::TcpKeepalive::new()
                .with_time(KEEPALIVE_IDLE)
                .with_interval(KEEPALIVE_INTERVAL);
            let sock = socket2::SockRef::from(&*s);
            if let Err(e) = sock.set_tcp_keepalive(&keepalive) {
                tracing::debug!(%e, "no keepalive on a subscriber's connection");
            }
            // Keepalive probes only an idle connection; one whose events go
            // unacknowledged is dropped after this instead of TCP's ~15 min.
            if let Err(e) = sock.set_tcp_user_timeout(Some(UNACKED_TIMEOUT)) {
                tracing::debug!(%e, "no user timeout on a subscriber's connection");
            }
            if let Err(e) = sock.set_send_buffer_size(PUSH_SEND_BUFFER) {
                tracing::debug!(%e, "cannot bound a subscriber's send buffer");
            }
        }
    }

    pub fn pushing(&self) -> bool {
        self.pushing.load(Ordering::Relaxed)
    }

    /// Closes both directions, which also ends the thread reading it.
    pub fn shut_down(&self) {
        let s = self.stream.lock().unwrap_or_else(PoisonError::into_inner);
        let _ = s.shutdown(Shutdown::Both);
    }
}
