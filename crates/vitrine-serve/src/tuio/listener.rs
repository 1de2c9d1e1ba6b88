//! The TUIO UDP listener: one bounded thread that decodes datagrams, keeps the cursor state and hands finger events to the UI thread through a bounded channel and a wake.

use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::sync::Arc;
use std::sync::mpsc::{SyncSender, TrySendError};
use std::time::{Duration, Instant};

use super::decode::decode;
use super::tracker::{Applied, Bounds, Phase, Touch, Tracker};
use vitrine_config::TuioConfig;
use vitrine_wake::Wake;

/// Bad datagrams are logged at most this often, with their count.
const LOG_EVERY: Duration = Duration::from_secs(10);

/// Why the listener did not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TuioError {
    #[error("tuio.bind {0:?} is not an IP address")]
    BadAddress(String),
    #[error("cannot listen for TUIO on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
}

/// A running listener.
pub struct TuioListener {
    addr: SocketAddr,
}

impl TuioListener {
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }
}

/// Counts of what went wrong, logged together now and then.
#[derive(Default)]
struct Trouble {
    bad: u64,
    late: u64,
    refused: u64,
    /// New sources refused for `tuio.max_sources_per_address`.
    per_address: u64,
    /// Fingers refused for `tuio.max_cursors`, gathered between log lines
    /// (once taken on every pass and dropped inside the window).
    cursors: u64,
    last: String,
    logged: Option<Instant>,
}

impl Trouble {
    fn log(&mut self, now: Instant, refused_cursors: u64) {
        self.cursors += refused_cursors;
        if self
            .logged
            .is_some_and(|t| now.duration_since(t) < LOG_EVERY)
        {
            return;
        }
        if self.bad + self.late + self.refused + self.per_address + self.cursors > 0 {
            tracing::warn!(
                bad = self.bad,
                late = self.late,
                too_many_sources = self.refused,
                too_many_from_one_address = self.per_address,
                too_many_cursors = self.cursors,
                last = %self.last,
                "TUIO datagrams dropped"
            );
        }
        *self = Trouble {
            logged: Some(now),
            ..Trouble::default()
        };
    }
}

/// Binds `config`'s address (`port` overrides its port) and starts the
/// listener. Finger events go to `touches`, and `wake` wakes the UI.
pub fn start(
    config: &TuioConfig,
    port: Option<u16>,
    touches: SyncSender<Touch>,
    wake: Arc<dyn Wake>,
) -> Result<TuioListener, TuioError> {
    let ip: IpAddr = config
        .bind
        .trim()
        .parse()
        .map_err(|_| TuioError::BadAddress(config.bind.clone()))?;
    let addr = SocketAddr::new(ip, port.unwrap_or(config.port));
    let bind_error = |source| TuioError::Bind {
        addr: addr.to_string(),
        source,
    };
    let socket = UdpSocket::bind(addr).map_err(bind_error)?;
    let addr = socket.local_addr().map_err(bind_error)?;
    // Wake often enough to cancel a silent source on time.
    let tick = (config.timeout / 4).clamp(Duration::from_millis(10), Duration::from_millis(100));
    socket.set_read_timeout(Some(tick)).map_err(bind_error)?;
    let bounds = Bounds {
        timeout: config.timeout,
        max_cursors: config.max_cursors,
        max_sources: config.max_sources,
        max_sources_per_address: config.max_sources_per_address,
    };
    std::thread::Builder::new()
        .name("vitrine-tuio".into())
        .spawn(move || listen(&socket, bounds, &touches, &*wake))
        .map_err(bind_error)?;
    Ok(TuioListener { addr })
}

fn listen(socket: &UdpSocket, bounds: Bounds, touches: &SyncSender<Touch>, wake: &dyn Wake) {
    // The largest UDP payload: no datagram is cut.
    let mut buf = vec![0u8; 65_536];
    let mut tracker = Tracker::new(bounds);
    let mut trouble = Trouble::default();
    let mut out = Vec::new();
    loop {
        let now = Instant::now();
        match socket.recv_from(&mut buf) {
            Ok((n, peer)) => match decode(&buf[..n]) {
                Ok(frame) => match tracker.apply(&frame, peer, now, &mut out) {
                    Applied::Applied => {}
                    Applied::Late => trouble.late += 1,
                    Applied::TooManySources => trouble.refused += 1,
                    Applied::TooManyFromAddress => {
                        trouble.per_address += 1;
                        trouble.last = format!("{peer}: too many sources from one address");
                    }
                },
                Err(e) => {
                    trouble.bad += 1;
                    trouble.last = format!("{peer}: {e}");
                }
            },
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(e) => {
                trouble.bad += 1;
                trouble.last = e.to_string();
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        if tracker.has_sources() {
            tracker.expire(Instant::now(), &mut out);
        }
        trouble.log(now, std::mem::take(&mut tracker.refused_cursors));
        if out.is_empty() {
            continue;
        }
        for t in out.drain(..) {
            let sent = if t.phase == Phase::Move {
                // A move may be dropped when the UI is behind: the next one
                // carries the position.
                match touches.try_send(t) {
                    Err(TrySendError::Disconnected(_)) => Err(()),
                    _ => Ok(()),
                }
            } else {
                // Starts and ends must arrive, or a finger sticks.
                touches.send(t).map_err(|_| ())
            };
            if sent.is_err() {
                // The kiosk is gone.
                return;
            }
        }
        wake.wake();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_fingers_are_gathered_until_the_next_log_line() {
        let start = Instant::now();
        let mut t = Trouble::default();
        t.log(start, 5);
        // Logged at once (the first line), and counted afresh after it.
        assert_eq!(t.cursors, 0);
        t.log(start + Duration::from_secs(1), 2);
        t.log(start + Duration::from_secs(2), 1);
        assert_eq!(
            t.cursors, 3,
            "refusals inside the window are kept for the next line"
        );
        t.log(start + LOG_EVERY + Duration::from_secs(1), 0);
        assert_eq!(t.cursors, 0);
    }
}
