//! The admin page's HTTP server: binding (refusing an open address without a password, or over plain HTTP), then the shared listener skeleton, and one request per connection.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use rustls::ServerConfig;

use super::conn::Conn;
use super::http::{Head, Response, read_head};
use super::live;
use super::routes::{Admin, Outcome, host_allowed, route};
use crate::listen::{self, Caps, FrontEnd, Slot, Table, linger};

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
    let addr =
        listen::address(bind, port).ok_or_else(|| AdminError::BadAddress(bind.to_string()))?;
    if !addr.ip().is_loopback() && !admin.sessions.password_required() {
        return Err(AdminError::Unauthenticated(addr.to_string()));
    }
    if !addr.ip().is_loopback() && security.tls.is_none() && !security.allow_plain_http {
        return Err(AdminError::PlainHttp(addr.to_string()));
    }
    let bind_error = |source| AdminError::Bind {
        addr: addr.to_string(),
        source,
    };
    let (listener, addr) = listen::bind(addr).map_err(bind_error)?;
    let table = Table::new(Caps {
        total: bounds.max,
        total_key: "admin.max_connections",
        per_peer: bounds.per_peer,
        per_peer_key: "admin.max_connections_per_peer",
    });
    let front = FrontEnd {
        name: "admin page",
        accept_thread: "vitrine-admin",
        conn_thread: "vitrine-admin-conn",
    };
    let admin = Arc::new(admin);
    let tls = security.tls;
    let plain = tls.is_none();
    // Over plain HTTP a refused browser reads why. A TLS client would read a
    // plain answer as garbage, and a handshake here would hold up every
    // other connection: it is closed unanswered, and the browser retries.
    let refuse = move |stream: &mut std::net::TcpStream, refused: &listen::Refused| {
        if plain {
            let _ = Response::error(503, &refused.to_string()).write(stream);
        }
    };
    listen::spawn(listener, front, table, refuse, move |stream, _, slot| {
        let _ = stream.set_write_timeout(Some(admin.limits.write_timeout));
        serve(stream, tls.as_ref(), &admin, &slot);
    })
    .map_err(bind_error)?;
    Ok(AdminServer { addr })
}

/// The bounds on connections.
#[derive(Clone, Copy, Debug)]
pub struct Bounds {
    pub max: usize,
    pub per_peer: usize,
}

/// One request on `tcp`, then the connection closes (or, for the event
/// stream, stays until the page goes).
fn serve(tcp: std::net::TcpStream, tls: Option<&Arc<ServerConfig>>, admin: &Admin, slot: &Slot) {
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
    // A whole request head: no longer a socket someone only opened, so no
    // new connection can evict it (an upload or an event stream).
    slot.prove();
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
