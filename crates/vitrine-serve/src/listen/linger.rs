//! The linger after a connection's last reply: shut the write side, then read and drop what the peer still sends, a little and briefly, so that closing with unread bytes (which makes the kernel reset the connection) cannot throw the reply away before the peer reads it.

use std::io::{ErrorKind, Read};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

/// How long, at most, a closing connection is read. Not a key: a courtesy
/// with no bearing on what is served.
const LINGER: Duration = Duration::from_secs(2);

/// How much, at most, a closing connection is read: a frame or an upload
/// still arriving after its refusal is read to its end within [`LINGER`]
/// on any local network, and no more is read past it.
const LINGER_BYTES: usize = 64 << 20;

/// A connection that can linger: plain TCP, or the admin page's TLS.
pub trait Lingering: Read {
    /// Ends the sending side (after a TLS close_notify, where there is TLS).
    fn shut_write(&mut self);
    fn set_read_timeout(&mut self, timeout: Duration) -> std::io::Result<()>;
}

impl Lingering for TcpStream {
    fn shut_write(&mut self) {
        let _ = self.shutdown(Shutdown::Write);
    }

    fn set_read_timeout(&mut self, timeout: Duration) -> std::io::Result<()> {
        TcpStream::set_read_timeout(self, Some(timeout))
    }
}

/// Shuts `stream`'s write side and reads what follows until the peer
/// closes, for at most [`LINGER`] and [`LINGER_BYTES`].
pub fn linger(stream: &mut impl Lingering) {
    stream.shut_write();
    let until = Instant::now() + LINGER;
    let mut sink = [0u8; 8192];
    let mut left = LINGER_BYTES;
    while left > 0 {
        let wait = until.saturating_duration_since(Instant::now());
        if wait.is_zero() || stream.set_read_timeout(wait).is_err() {
            return;
        }
        match stream.read(&mut sink) {
            Ok(0) => return,
            Ok(n) => left = left.saturating_sub(n),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return,
        }
    }
}
