//! One connection's life: reading frames with one deadline per message, handing each payload to the server, writing replies, and closing when a deadline passes or the framing breaks.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::codec::{Decoded, Decoder, Framing, encode};

/// The bounds one connection lives by.
#[derive(Clone, Debug)]
pub struct Limits {
    /// The largest frame payload.
    pub max_message_bytes: u32,
    /// How long a whole message may take, from its first byte.
    pub read_timeout: Duration,
    /// How long the connection may wait between messages.
    pub idle_timeout: Duration,
}

/// What the connection is waiting for, which decides its deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Wait {
    /// The first byte of the next message.
    Idle,
    /// The rest of a message that has begun.
    Message,
}

/// Serves one connection until the peer closes, a deadline passes or the
/// framing breaks. `handle` turns one payload into its reply (`None` for a
/// notification).
pub fn serve(
    mut stream: TcpStream,
    peer: &str,
    limits: &Limits,
    mut handle: impl FnMut(&[u8]) -> Option<Value>,
) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(limits.read_timeout));
    let mut decoder = Decoder::new(limits.max_message_bytes);
    let mut buf: Vec<u8> = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    // When the message being read began, or when the wait for the next one
    // did. Each message gets one deadline from here: re-arming the timeout on
    // every read would let one byte every few seconds keep a frame open
    // forever.
    let mut since = Instant::now();
    loop {
        let (start, end) = match decoder.decode(&buf) {
            Ok(Decoded::Frame { start, end }) => (start, end),
            Ok(Decoded::NeedMore(_)) => {
                let wait = if buf.is_empty() {
                    Wait::Idle
                } else {
                    Wait::Message
                };
                let timeout = match wait {
                    Wait::Idle => limits.idle_timeout,
                    Wait::Message => limits.read_timeout,
                };
                let left = (since + timeout).saturating_duration_since(Instant::now());
                if left.is_zero() {
                    closed_at_deadline(wait, peer, timeout);
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
            Err(e) => {
                tracing::warn!(%peer, %e, "bad frame; connection closed");
                return;
            }
        };
        let framing = decoder.framing().unwrap_or(Framing::V2);
        let reply = handle(&buf[start..end]);
        buf.drain(..end);
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

/// Logs why a connection is closed at a deadline. Silence between messages
/// is ordinary; a message that does not finish in time is worth a warning.
fn closed_at_deadline(wait: Wait, peer: &str, timeout: Duration) {
    match wait {
        Wait::Idle => {
            tracing::debug!(%peer, ?timeout, "idle connection closed (remote.idle_timeout)");
        }
        Wait::Message => tracing::warn!(
            %peer,
            ?timeout,
            "message not complete within remote.read_timeout of its first byte; connection closed"
        ),
    }
}
