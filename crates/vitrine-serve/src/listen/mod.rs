//! One listener skeleton for every TCP front end (the JSON socket, Thrift and the admin page): parsing the bind address, the accept loop, admission through the connection table, a thread per connection, and the linger after a last reply. The front ends differ only in their protocol and in who may bind beyond loopback.

mod accept;
mod linger;
mod table;

pub use accept::{FrontEnd, spawn};
pub use linger::{Lingering, linger};
pub use table::{Admission, Caps, Evicted, Refused, Slot, Table};

use std::net::{IpAddr, SocketAddr, TcpListener};

/// `text` (a config's `bind`) and `port` as an address; `None` when `text`
/// is no IP address.
pub fn address(text: &str, port: u16) -> Option<SocketAddr> {
    let ip: IpAddr = text.trim().parse().ok()?;
    Some(SocketAddr::new(ip, port))
}

/// Binds `addr` and says where it listens (the port, when 0 asked for any).
pub fn bind(addr: SocketAddr) -> std::io::Result<(TcpListener, SocketAddr)> {
    let listener = TcpListener::bind(addr)?;
    let local = listener.local_addr()?;
    Ok((listener, local))
}
