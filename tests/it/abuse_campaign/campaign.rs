//! What every front end's part of the abuse campaign shares: its share of the hostile budget, connections from a second loopback address, and a healthy client's record.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Where attackers come from on the front ends whose bounds count per
/// address (the admin page's connections and login throttle, TUIO's sources
/// per address): a second host on the store network. The healthy clients
/// are on 127.0.0.1, as a manager's laptop or the real tracker would be.
pub const ATTACKER_IP: [u8; 4] = [127, 0, 0, 2];

/// One front end's share of the hostile frames, handed out one at a time
/// to its attacker threads, and how many of them could not be sent.
pub struct Share {
    pub budget: usize,
    next: AtomicUsize,
    missed: AtomicUsize,
}

impl Share {
    pub fn new(budget: usize) -> Self {
        Self {
            budget,
            next: AtomicUsize::new(0),
            missed: AtomicUsize::new(0),
        }
    }

    /// The next frame's number, or `None` once the share is spent.
    pub fn take(&self) -> Option<usize> {
        let i = self.next.fetch_add(1, Ordering::SeqCst);
        (i < self.budget).then_some(i)
    }

    /// Counts a frame that could not be sent (no connection).
    pub fn miss(&self) {
        self.missed.fetch_add(1, Ordering::SeqCst);
    }

    /// The frames sent.
    pub fn sent(&self) -> usize {
        self.budget - self.missed.load(Ordering::SeqCst).min(self.budget)
    }
}

/// A TCP connection to 127.0.0.1:`port` from `from`.
///
/// The address is bound without a port (`IP_BIND_ADDRESS_NO_PORT`), so the
/// port is chosen at connect time, where the kernel may reuse one still in
/// TIME_WAIT from an earlier attack. A plain bind may not: tens of thousands
/// of short connections a minute from one address then run out of ports,
/// and connects first slow down, then fail. It closes with a reset
/// (linger 0) when dropped before the server closes, as a slowloris does.
pub fn connect_from(from: [u8; 4], port: u16) -> std::io::Result<TcpStream> {
    use std::os::fd::AsRawFd;
    let s = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None)?;
    s.set_linger(Some(Duration::ZERO))?;
    let on: libc::c_int = 1;
    // SAFETY: the descriptor is the socket just made, and the option's
    // value is a c_int that lives across the call, its size passed along.
    let rc = unsafe {
        libc::setsockopt(
            s.as_raw_fd(),
            libc::IPPROTO_IP,
            libc::IP_BIND_ADDRESS_NO_PORT,
            (&raw const on).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    if rc != 0 {
        return Err(std::io::Error::last_os_error());
    }
    s.bind(&SocketAddr::from((from, 0)).into())?;
    s.connect_timeout(
        &SocketAddr::from(([127, 0, 0, 1], port)).into(),
        Duration::from_secs(10),
    )?;
    let s: TcpStream = s.into();
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    Ok(s)
}

/// Writes `bytes`, closes the sending side and reads what comes back until
/// the server closes (or 30 s pass).
pub fn send_and_drain(mut s: TcpStream, bytes: &[u8]) -> Vec<u8> {
    let _ = s.write_all(bytes);
    let _ = s.shutdown(Shutdown::Write);
    let mut back = Vec::new();
    let _ = s.read_to_end(&mut back);
    back
}

/// What a healthy client saw: one latency per round trip (reported, never
/// asserted), and what it says about itself.
pub struct Healthy {
    pub latencies: Vec<Duration>,
    pub what: String,
}

impl Healthy {
    /// The `q` quantile of the latencies.
    pub fn quantile(&self, q: f64) -> Duration {
        let mut l = self.latencies.clone();
        l.sort();
        l.get(((l.len().saturating_sub(1)) as f64 * q) as usize)
            .copied()
            .unwrap_or_default()
    }
}
