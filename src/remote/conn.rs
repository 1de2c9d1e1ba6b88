//! One connection's life: reading frames with one deadline per message and a first-message deadline, a small frame cap until it authenticates, handing each payload to the server (a panic answered, not spread), writing replies, and closing when a bound is hit or the framing breaks.

use std::any::Any;
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::codec::{CodecError, Decoded, Decoder, Framing, encode};
use super::protocol::{codes, error_reply};
use super::table::Slot;

/// The bounds one connection lives by.
#[derive(Clone, Debug)]
pub struct Limits {
    /// The largest frame payload.
    pub max_message_bytes: u32,
    /// The largest frame payload until the connection has proven itself,
    /// when a token is set.
    pub max_unauthenticated_message_bytes: Option<u32>,
    /// How long a whole message may take, from its first byte.
    pub read_timeout: Duration,
    /// How long the connection may wait between messages.
    pub idle_timeout: Duration,
    /// How long a new connection may take to send its first whole message.
    pub first_message_timeout: Duration,
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

/// Serves one connection until the peer closes, a deadline passes or the
/// framing breaks. `handle` turns one payload into its reply (`None` for a
/// notification), and proves the connection in its `slot` once a request
/// passes the auth check.
pub fn serve(
    mut stream: TcpStream,
    peer: &str,
    limits: &Limits,
    slot: &Slot,
    mut handle: impl FnMut(&[u8], &Slot) -> Option<Value>,
) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(limits.read_timeout));
    let mut decoder = Decoder::new(limits.max_message_bytes);
    // Until a request has shown the token, frames are held to a small cap,
    // so a stranger cannot make the kiosk read a large one.
    let mut capped = false;
    if let Some(cap) = limits.max_unauthenticated_message_bytes {
        decoder.set_cap(cap);
        capped = true;
    }
    let mut buf: Vec<u8> = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    // When the message being read began, or when the wait for the next one
    // did. Each message gets one deadline from here: re-arming the timeout on
    // every read would let one byte every few seconds keep a frame open
    // forever.
    let mut since = Instant::now();
    // A connection that has sent nothing whole yet is held to a short
    // deadline, so silent connections cannot fill the table.
    let first_deadline = since + limits.first_message_timeout;
    let mut had_message = false;
    loop {
        let (start, end) = match decoder.decode(&buf) {
            Ok(Decoded::Frame { start, end }) => (start, end),
            Ok(Decoded::NeedMore(_)) => {
                let (wait, deadline) = if buf.is_empty() {
                    (Wait::Idle, since + limits.idle_timeout)
                } else {
                    (Wait::Message, since + limits.read_timeout)
                };
                let (wait, deadline) = if !had_message && first_deadline < deadline {
                    (Wait::First, first_deadline)
                } else {
                    (wait, deadline)
                };
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    closed_at_deadline(wait, peer, limits);
                    return;
                }
                let _ = stream.set_read_timeout(Some(left));
                match stream.read(&mut chunk) {
                    Ok(0) => return,
                    Ok(n) => {
                        if buf.is_empty() {
                            since = Instant::now();
                        }
                        buf.extend_from_slice(&chunk[..n]);
                    }
                    // A timed-out read comes back here, and the deadline
                    // check above closes the connection.
                    Err(e)
                        if matches!(
                            e.kind(),
                            ErrorKind::Interrupted | ErrorKind::WouldBlock | ErrorKind::TimedOut
                        ) => {}
                    Err(e) => {
                        if !buf.is_empty() {
                            tracing::info!(%peer, %e, "connection closed mid-message");
                        }
                        return;
                    }
                }
                continue;
            }
            Err(CodecError::TooLarge { len, .. }) => {
                refuse_too_large(&mut stream, decoder.framing(), len, capped, limits, peer);
                return;
            }
            Err(e) => {
                tracing::warn!(%peer, %e, "bad frame; connection closed");
                return;
            }
        };
        let framing = decoder.framing().unwrap_or(Framing::V2);
        had_message = true;
        // A panic while handling one request is answered and logged, and the
        // connection goes on: no request can take the server down.
        let reply = catch_unwind(AssertUnwindSafe(|| handle(&buf[start..end], slot)))
            .unwrap_or_else(|panic| {
                tracing::error!(%peer, panic = panic_message(&*panic), "a request panicked");
                Some(error_reply(None, codes::INTERNAL, "internal error"))
            });
        buf.drain(..end);
        // A large message leaves a large buffer behind; an idle connection
        // should not keep megabytes for the rest of its life.
        if buf.capacity() > KEPT_BUFFER {
            buf.shrink_to(KEPT_BUFFER);
        }
        if capped && slot.is_proven() {
            capped = false;
            decoder.set_cap(u32::MAX);
        }
        // Bytes already here belong to the next message, which begins now;
        // otherwise the wait for it does.
        since = Instant::now();
        if let Some(reply) = reply
            && !send(&mut stream, framing, &reply)
        {
            return;
        }
    }
}

/// Writes one reply; false when the connection is broken.
fn send(stream: &mut TcpStream, framing: Framing, reply: &Value) -> bool {
    let bytes = serde_json::to_vec(reply).unwrap_or_default();
    stream.write_all(&encode(framing, &bytes)).is_ok()
}

/// How long a refused connection's incoming bytes are read and dropped after
/// the last reply, so that closing with unread data (which resets the
/// connection) does not throw the reply away before the client reads it.
const LINGER: Duration = Duration::from_secs(2);

/// Answers a frame over the cap or the limit from its header alone, before
/// anything of its payload is read or allocated, and closes. The answer is
/// sent in the client's framing when its header settles it; otherwise (both
/// readings of a legacy header are over the cap) it cannot be framed, and
/// the connection is only closed.
fn refuse_too_large(
    stream: &mut TcpStream,
    framing: Option<Framing>,
    len: u64,
    capped: bool,
    limits: &Limits,
    peer: &str,
) {
    let message = match limits.max_unauthenticated_message_bytes {
        Some(cap) if capped && len <= u64::from(limits.max_message_bytes) => format!(
            "request too large before authentication (limit {cap} bytes): send a small request \
             with the token first"
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
        stream,
        framing,
        &error_reply(None, codes::INVALID_REQUEST, &message),
    ) {
        linger(stream);
    }
}

/// Closes the sending side and drops what the client still sends, for at
/// most [`LINGER`], so that the last reply reaches it.
fn linger(stream: &mut TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let until = Instant::now() + LINGER;
    let mut sink = [0u8; 8192];
    loop {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return;
        }
        match stream.read(&mut sink) {
            Ok(0) => return,
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return,
        }
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

/// The message a panic was raised with, for the log.
pub fn panic_message(panic: &(dyn Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a panic without a message")
}
