//! The admin page's HTTP server: binding (refusing an open address without a password), a bounded number of connection threads, and one request per connection.

use std::collections::HashMap;
use std::io::Read;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rustls::ServerConfig;

use super::conn::Conn;
use super::http::{Head, Response, read_head};
use super::live;
use super::routes::{Admin, Outcome, host_allowed, route};

/// Why the admin server did not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AdminError {
    #[error(
        "refusing to serve the admin page on {0} without a password: set admin.password \
         (or remote.token), or bind it to 127.0.0.1"
    )]
    Unauthenticated(String),
    #[error(
        "refusing to serve the admin page on {0} over plain HTTP, where anyone on the network \
         can read its password: set admin.tls = \"auto\" (the default), or bind it to \
         127.0.0.1, or set admin.allow_plain_http = true"
    )]
    PlainHttp(String),
    #[error("admin.bind {0:?} is not an IP address")]
    BadAddress(String),
    #[error("cannot serve the admin page on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
}

/// A running admin server.
pub struct AdminServer {
    addr: SocketAddr,
}

impl AdminServer {
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }
}

/// Connection threads parse, wait and copy: little stack. Not a key: it
/// follows the code, not the shop.
const CONNECTION_STACK: usize = 256 * 1024;

/// How the page is carried.
#[derive(Clone, Default)]
pub struct Security {
    /// TLS settings; `None` serves plain HTTP.
    pub tls: Option<Arc<ServerConfig>>,
    /// Plain HTTP on an address other than loopback
    /// (`admin.allow_plain_http`).
    pub allow_plain_http: bool,
}

/// Binds `bind:port` and serves `admin` on it for the life of the process,
/// within `bounds`.
pub fn start(
    bind: &str,
    port: u16,
    bounds: Bounds,
    security: Security,
    admin: Admin,
) -> Result<AdminServer, AdminError> {
    let ip: IpAddr = bind
        .trim()
        .parse()
        .map_err(|_| AdminError::BadAddress(bind.to_string()))?;
    let addr = SocketAddr::new(ip, port);
    if !ip.is_loopback() && !admin.sessions.password_required() {
        return Err(AdminError::Unauthenticated(addr.to_string()));
    }
    if !ip.is_loopback() && security.tls.is_none() && !security.allow_plain_http {
        return Err(AdminError::PlainHttp(addr.to_string()));
    }
    let bind_error = |source| AdminError::Bind {
        addr: addr.to_string(),
        source,
    };
    let listener = TcpListener::bind(addr).map_err(bind_error)?;
    let addr = listener.local_addr().map_err(bind_error)?;
    let admin = Arc::new(admin);
    std::thread::Builder::new()
        .name("vitrine-admin".into())
        .spawn(move || accept(listener, admin, bounds, security.tls))
        .map_err(bind_error)?;
    Ok(AdminServer { addr })
}

/// The live connections: how many, and how many from each address.
#[derive(Default)]
struct Live {
    total: usize,
    per_peer: HashMap<IpAddr, usize>,
}

/// A connection's place among the live ones, given back when dropped.
struct Place {
    live: Arc<Mutex<Live>>,
    peer: IpAddr,
}

impl Drop for Place {
    fn drop(&mut self) {
        let mut live = self.live.lock().unwrap_or_else(|e| e.into_inner());
        live.total = live.total.saturating_sub(1);
        if let Some(n) = live.per_peer.get_mut(&self.peer) {
            *n -= 1;
            if *n == 0 {
                live.per_peer.remove(&self.peer);
            }
        }
    }
}

/// Takes a place for a connection from `peer`, or says which bound is full.
fn admit(live: &Arc<Mutex<Live>>, peer: IpAddr, bounds: Bounds) -> Result<Place, String> {
    let mut l = live.lock().unwrap_or_else(|e| e.into_inner());
    if l.total >= bounds.max {
        return Err(format!(
            "too many connections (admin.max_connections = {})",
            bounds.max
        ));
    }
    let from_peer = l.per_peer.get(&peer).copied().unwrap_or(0);
    if from_peer >= bounds.per_peer {
        return Err(format!(
            "too many connections from {peer} (admin.max_connections_per_peer = {})",
            bounds.per_peer
        ));
    }
    l.total += 1;
    l.per_peer.insert(peer, from_peer + 1);
    Ok(Place {
        live: live.clone(),
        peer,
    })
}

/// The bounds on connections.
#[derive(Clone, Copy, Debug)]
pub struct Bounds {
    pub max: usize,
    pub per_peer: usize,
}

fn accept(
    listener: TcpListener,
    admin: Arc<Admin>,
    bounds: Bounds,
    tls: Option<Arc<ServerConfig>>,
) {
    let live = Arc::new(Mutex::new(Live::default()));
    for stream in listener.incoming() {
        let mut stream = match stream {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(%e, "admin page: accept failed");
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
        };
        let Ok(peer) = stream.peer_addr() else {
            continue;
        };
        let _ = stream.set_write_timeout(Some(admin.limits.write_timeout));
        // The same key as the auth throttle's: a mapped IPv4 address counts
        // as itself, an IPv6 host as its /64.
        let place = match admit(&live, crate::auth::peer_key(peer.ip()), bounds) {
            Ok(p) => p,
            // A TLS client would read a plain answer as garbage, and a
            // handshake here would hold up every other connection: it is
            // closed unanswered, and the browser retries.
            Err(message) if tls.is_some() => {
                tracing::debug!(%message, "admin page: a connection refused");
                continue;
            }
            Err(message) => {
                let _ = Response::error(503, &message).write(&mut stream);
                continue;
            }
        };
        let admin = admin.clone();
        let tls = tls.clone();
        let spawned = std::thread::Builder::new()
            .name("vitrine-admin-conn".into())
            .stack_size(CONNECTION_STACK)
            .spawn(move || {
                let _place = place;
                let served = catch_unwind(AssertUnwindSafe(|| serve(stream, tls.as_ref(), &admin)));
                if served.is_err() {
                    tracing::error!("admin page: a connection thread panicked; connection closed");
                }
            });
        if let Err(e) = spawned {
            tracing::warn!(%e, "admin page: cannot start a connection thread");
        }
    }
}

/// One request on `tcp`, then the connection closes (or, for the event
/// stream, stays until the page goes).
fn serve(tcp: std::net::TcpStream, tls: Option<&Arc<ServerConfig>>, admin: &Admin) {
    let Ok(peer) = tcp.peer_addr() else {
        return;
    };
    let deadline = Instant::now() + admin.limits.read_timeout;
    // The TLS handshake, like the head, must arrive by the deadline.
    if tcp
        .set_read_timeout(Some(admin.limits.read_timeout))
        .is_err()
    {
        return;
    }
    let Ok(mut stream) = Conn::accept(tcp, tls) else {
        return;
    };
    let head = match read_head(&mut stream, deadline, admin.limits.max_head_bytes) {
        Ok(h) => h,
        Err(e) => {
            if let Some(status) = e.status() {
                let _ = Response::error(status, &e.to_string()).write(&mut stream);
                linger(&mut stream);
            }
            return;
        }
    };
    if tls.is_some() && !stream.is_tls() {
        let _ = to_https(&head, admin).write(&mut stream);
        linger(&mut stream);
        return;
    }
    match route(&mut stream, &head, peer.ip(), admin, deadline) {
        Outcome::Respond(response) => {
            let _ = response.write(&mut stream);
            linger(&mut stream);
        }
        Outcome::Events(granted) => {
            let max = admin.limits.max_watchers;
            let Some(_watcher) = live::admit(&admin.watchers, max) else {
                let message = format!("too many pages watching (admin.max_watchers = {max})");
                let _ = Response::error(503, &message).write(&mut stream);
                return;
            };
            if let Err(e) = live::stream(
                stream,
                &admin.events,
                &admin.sessions,
                &granted.id,
                admin.limits.write_timeout,
            ) {
                tracing::debug!(%e, "admin page: an event stream ended");
            }
        }
    }
}

/// The answer to plain HTTP on a TLS port: the same address over HTTPS (a
/// manager who types the kiosk's address gets `http://` first), for a host
/// the page answers to.
fn to_https(head: &Head, admin: &Admin) -> Response {
    let host = head.header("host").unwrap_or_default();
    if !host_allowed(host, &admin.allowed_hosts) {
        return Response::error(400, "the admin page is served over HTTPS");
    }
    let query = if head.query.is_empty() {
        String::new()
    } else {
        format!("?{}", head.query)
    };
    Response::error(308, "the admin page is served over HTTPS")
        .with("Location", format!("https://{host}{}{query}", head.path))
}

/// After a response, reads (and drops) what the client still sends, a
/// little (1 MiB) and briefly (2 s: not keys, a courtesy with no bearing on
/// what is served), before closing: closing with unread bytes makes the
/// kernel reset the connection, and the client could lose the answer (a 413
/// to an upload that is still arriving).
fn linger(stream: &mut Conn) {
    stream.shutdown_write();
    let _ = stream
        .tcp()
        .set_read_timeout(Some(Duration::from_millis(500)));
    let mut sink = [0u8; 8192];
    let until = Instant::now() + Duration::from_secs(2);
    let mut left: usize = 1 << 20;
    while left > 0 && Instant::now() < until {
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => return,
            Ok(n) => left = left.saturating_sub(n),
        }
    }
}
