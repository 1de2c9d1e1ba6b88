//! One connection's life: reading frames with one deadline per message and a first-message deadline, a small frame cap until it authenticates, handing each payload to the server (a panic answered, not spread), writing replies, and closing when a bound is hit or the framing breaks.

use std::cell::Cell;
use std::io::{ErrorKind, Read};
use std::net::{IpAddr, TcpStream};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::codec::{CodecError, Decoded, Decoder, Framing};
use super::head::{self, Leading};
use super::line::Line;
use crate::auth::Throttle;
use crate::listen::{Slot, linger};
use vitrine_api::protocol::{codes, error_reply};

/// The bounds one connection lives by.
#[derive(Clone, Debug)]
pub struct Limits {
    /// The largest frame payload.
    pub max_message_bytes: u32,
    /// With a token set: the token, and the frame cap until a request has
    /// shown it.
    pub before_auth: Option<BeforeAuth>,
    /// How long a whole message may take, from its first byte.
    pub read_timeout: Duration,
    /// How long the connection may wait between messages.
    pub idle_timeout: Duration,
    /// How long a new connection may take to send its first whole message.
    pub first_message_timeout: Duration,
}

/// How a connection is held before it has authenticated.
#[derive(Clone, Debug)]
pub struct BeforeAuth {
    pub token: String,
    /// The largest frame payload until then.
    pub max_message_bytes: u32,
    /// The throttle on wrong tokens, shared with every front end.
    pub throttle: Arc<Throttle>,
}

/// The most buffer capacity a connection keeps between messages.
const KEPT_BUFFER: usize = 64 * 1024;

/// What the connection is waiting for, which decides its deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Wait {
    /// The whole first message of a new connection.
    First,
    /// The first byte of the next message.
    Idle,
    /// The rest of a message that has begun.
    Message,
}

/// One connection's socket and the bytes read from it.
struct Conn<'a> {
    stream: TcpStream,
    /// The sending half, shared with a thread pushing events.
    line: Arc<Line>,
    peer: &'a str,
    /// The peer's address, which the auth throttle counts by.
    ip: IpAddr,
    limits: &'a Limits,
    buf: Vec<u8>,
    chunk: Vec<u8>,
    /// When the message being read began, or when the wait for the next one
    /// did. Each message gets one deadline from here: re-arming the timeout
    /// on every read would let one byte every few seconds keep a frame open
    /// forever.
    since: Instant,
    /// A connection that has sent nothing whole yet is held to this, so
    /// silent connections cannot fill the table.
    first_deadline: Instant,
    had_message: bool,
}

impl Conn<'_> {
    /// Reads more bytes before the current deadline; false when the
    /// connection is to be closed (the peer left, or the deadline passed).
    fn read_more(&mut self) -> bool {
        let limits = self.limits;
        loop {
            let (wait, deadline) = if self.buf.is_empty() {
                (Wait::Idle, self.since + limits.idle_timeout)
            } else {
                (Wait::Message, self.since + limits.read_timeout)
            };
            let (wait, deadline) = if !self.had_message && self.first_deadline < deadline {
                (Wait::First, self.first_deadline)
            } else {
                (wait, deadline)
            };
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() && wait == Wait::Idle && self.line.pushing() {
                // A subscriber may stay silent: the events flow the other
                // way, and keepalive finds a peer that is gone.
                self.since = Instant::now();
                continue;
            }
            if left.is_zero() {
                closed_at_deadline(wait, self.peer, limits);
                return false;
            }
            let _ = self.stream.set_read_timeout(Some(left));
            match self.stream.read(&mut self.chunk) {
                Ok(0) => return false,
                Ok(n) => {
                    if self.buf.is_empty() {
                        self.since = Instant::now();
                    }
                    self.buf.extend_from_slice(&self.chunk[..n]);
                    return true;
                }
                // A timed-out read comes round again, and the deadline check
                // closes the connection.
                Err(e)
                    if matches!(
                        e.kind(),
                        ErrorKind::Interrupted | ErrorKind::WouldBlock | ErrorKind::TimedOut
                    ) => {}
                Err(e) => {
                    if !self.buf.is_empty() {
                        tracing::info!(peer = %self.peer, %e, "connection closed mid-message");
                    }
                    return false;
                }
            }
        }
    }

    /// Whether a frame over the cap before auth shows the valid token as
    /// its first member: `None` while too little of it is here to tell. The
    /// look is bounded by the cap, so nothing large is read to decide.
    fn shows_token(&self, framing: Option<Framing>, len: u64) -> Option<bool> {
        let (Some(before), Some(framing)) = (&self.limits.before_auth, framing) else {
            return Some(false);
        };
        if len > u64::from(self.limits.max_message_bytes) {
            return Some(false);
        }
        let payload = self.buf.get(framing.header_len()..).unwrap_or_default();
        let window = payload.len().min(before.max_message_bytes as usize);
        match head::leading_auth(&payload[..window]) {
            // A waiting address's token is not checked; a wrong one counts
            // as a failure like any other.
            Leading::Auth(_) if before.throttle.check(self.ip, "remote socket").is_err() => {
                Some(false)
            }
            Leading::Auth(auth) => {
                let right = head::same_secret(&auth, &before.token);
                if !right {
                    before.throttle.failed(self.ip, "remote socket");
                }
                Some(right)
            }
            Leading::NotYet if window < before.max_message_bytes as usize => None,
            Leading::NotYet | Leading::Other => Some(false),
        }
    }
}

/// One request as the server's handler sees it.
pub struct Request<'a> {
    pub payload: &'a [u8],
    /// The connection's place in the table, proven once a request passes
    /// the auth check.
    pub slot: &'a Slot,
    /// Where a subscription writes its events.
    pub line: &'a Arc<Line>,
    /// The framing the request came in, which its reply (and events it
    /// subscribes to) go out in.
    pub framing: Framing,
    /// The peer's address.
    pub ip: IpAddr,
    /// Set by the handler to close the connection after this reply (too
    /// many wrong tokens).
    pub close: &'a Cell<bool>,
}

/// Serves one connection until the peer closes, a deadline passes or the
/// framing breaks. `handle` turns one request into its reply (`None` for a
/// notification).
pub fn serve(
    stream: TcpStream,
    peer: &str,
    limits: &Limits,
    slot: &Slot,
    mut handle: impl FnMut(Request<'_>) -> Option<Value>,
) {
    let Ok(ip) = stream.peer_addr().map(|a| a.ip()) else {
        return;
    };
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(limits.read_timeout));
    let line = match stream.try_clone() {
        Ok(s) => Arc::new(Line::new(s)),
        Err(e) => {
            tracing::warn!(%peer, %e, "cannot share the connection's socket; closed");
            return;
        }
    };
    let now = Instant::now();
    let mut conn = Conn {
        line,
        stream,
        peer,
        ip,
        limits,
        buf: Vec::new(),
        chunk: vec![0u8; 64 * 1024],
        since: now,
        first_deadline: now + limits.first_message_timeout,
        had_message: false,
    };
    let mut decoder = Decoder::new(limits.max_message_bytes);
    // Until a request has shown the token, frames are held to a small cap,
    // so a stranger cannot make the kiosk read a large one.
    let cap = limits.before_auth.as_ref().map(|b| b.max_message_bytes);
    let mut capped = cap.is_some();
    decoder.set_cap(cap.unwrap_or(u32::MAX));
    loop {
        let (start, end) = match decoder.decode(&conn.buf) {
            Ok(Decoded::Frame { start, end }) => (start, end),
            Ok(Decoded::NeedMore(_)) => {
                if !conn.read_more() {
                    return;
                }
                continue;
            }
            Err(CodecError::TooLarge { len, .. }) => {
                // A client that sends its token first (as `vitrine ctl`
                // does) may send one large frame before it has proven itself.
                match capped.then(|| conn.shows_token(decoder.framing(), len)) {
                    Some(Some(true)) => decoder.set_cap(u32::MAX),
                    Some(None) => {
                        if !conn.read_more() {
                            return;
                        }
                    }
                    Some(Some(false)) | None => {
                        let framing = decoder.framing();
                        refuse_too_large(&mut conn, framing, len, cap, capped);
                        return;
                    }
                }
                continue;
            }
            Err(e) => {
                tracing::warn!(%peer, %e, "bad frame; connection closed");
                return;
            }
        };
        let framing = decoder.framing().unwrap_or(Framing::V2);
        conn.had_message = true;
        let close = Cell::new(false);
        // A panic while handling one request is answered and logged, and the
        // connection goes on: no request can take the server down.
        let request = Request {
            payload: &conn.buf[start..end],
            slot,
            line: &conn.line,
            framing,
            ip,
            close: &close,
        };
        let reply = catch_unwind(AssertUnwindSafe(|| handle(request))).unwrap_or_else(|panic| {
            tracing::error!(%peer, panic = vitrine_wake::panic_message(panic.as_ref()), "a request panicked");
            Some(error_reply(None, codes::INTERNAL, "internal error"))
        });
        conn.buf.drain(..end);
        // A large message leaves a large buffer behind; an idle connection
        // should not keep megabytes for the rest of its life.
        if conn.buf.capacity() > KEPT_BUFFER {
            conn.buf.shrink_to(KEPT_BUFFER);
        }
        // The cap stays until a request has really passed the auth check; a
        // frame let through for its leading token that then fails the check
        // does not lift it.
        capped = cap.is_some() && !slot.is_proven();
        decoder.set_cap(if capped {
            cap.unwrap_or(u32::MAX)
        } else {
            u32::MAX
        });
        // Bytes already here belong to the next message, which begins now;
        // otherwise the wait for it does.
        conn.since = Instant::now();
        if let Some(reply) = reply
            && !send(&conn.line, framing, &reply)
        {
            return;
        }
        if close.get() {
            // The reply goes out before the close; what the peer still
            // sends is dropped, briefly.
            linger(&mut conn.stream);
            return;
        }
    }
}

/// Writes one reply; false when the connection is broken.
fn send(line: &Line, framing: Framing, reply: &Value) -> bool {
    let bytes = serde_json::to_vec(reply).unwrap_or_default();
    line.send(framing, &bytes)
}

/// Answers a frame over the cap or the limit before its payload is read
/// (beyond the cap), and closes. The answer is sent in the client's framing
/// when its header settles it; otherwise (both readings of a legacy header
/// are over the cap) it cannot be framed, and the connection is only closed.
fn refuse_too_large(
    conn: &mut Conn<'_>,
    framing: Option<Framing>,
    len: u64,
    cap: Option<u32>,
    capped: bool,
) {
    let (limits, peer) = (conn.limits, conn.peer);
    let message = match cap {
        Some(cap) if capped && len <= u64::from(limits.max_message_bytes) => format!(
            "request too large before authentication (limit {cap} bytes): send a small request \
             with the token first, or auth as the request's first member"
        ),
        _ => format!(
            "request too large (limit {} bytes)",
            limits.max_message_bytes
        ),
    };
    tracing::warn!(%peer, len, answered = framing.is_some(), "{message}; connection closed");
    let Some(framing) = framing else {
        return;
    };
    if send(
        &conn.line,
        framing,
        &error_reply(None, codes::INVALID_REQUEST, &message),
    ) {
        linger(&mut conn.stream);
    }
}

/// Logs why a connection is closed at a deadline. Silence between messages
/// is ordinary; a message that does not finish in time is worth a warning.
fn closed_at_deadline(wait: Wait, peer: &str, limits: &Limits) {
    match wait {
        Wait::Idle => tracing::debug!(
            %peer,
            timeout = ?limits.idle_timeout,
            "idle connection closed (remote.idle_timeout)"
        ),
        Wait::First => tracing::info!(
            %peer,
            timeout = ?limits.first_message_timeout,
            "no whole first message within remote.first_message_timeout; connection closed"
        ),
        Wait::Message => tracing::warn!(
            %peer,
            timeout = ?limits.read_timeout,
            "message not complete within remote.read_timeout of its first byte; connection closed"
        ),
    }
}
