//! The Thrift endpoint's listener: the loopback rule, then the shared listener skeleton with a connection table of its own.

use std::net::SocketAddr;
use std::sync::Arc;

use super::conn::{Limits, serve};
use crate::listen::{self, Caps, FrontEnd, Table};
use vitrine_api::Dispatch;
use vitrine_config::{RemoteConfig, ThriftConfig};

/// Why the endpoint did not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ThriftError {
    /// Thrift has no token: a non-loopback address must be allowed outright.
    #[error(
        "refusing to serve Thrift on {0}: the Thrift interface has no token, so anyone who reaches it \
         could drive the kiosk; use a loopback address, or set thrift.allow_unauthenticated = true \
         if the network is trusted"
    )]
    Unauthenticated(String),
    #[error("thrift.bind {0:?} is not an IP address")]
    BadAddress(String),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
}

/// A running endpoint.
pub struct ThriftServer {
    addr: SocketAddr,
}

impl ThriftServer {
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }
}

/// Whether the endpoint stays off because `remote.token` is set: Thrift's
/// IDL carries no token, so serving it would be an open side door next to
/// a socket whose owner asked for one, unless `thrift.allow_without_token`
/// says so.
pub fn off_for_token(config: &ThriftConfig, remote: &RemoteConfig) -> bool {
    !remote.token.is_empty() && !config.allow_without_token
}

/// Binds `config`'s address (`port` overrides its port) and serves the
/// `displaymanager` service through `dispatch`, within `remote`'s bounds.
pub fn start(
    config: &ThriftConfig,
    port: Option<u16>,
    remote: &RemoteConfig,
    dispatch: Arc<Dispatch>,
) -> Result<ThriftServer, ThriftError> {
    let addr = listen::address(&config.bind, port.unwrap_or(config.port))
        .ok_or_else(|| ThriftError::BadAddress(config.bind.clone()))?;
    if !addr.ip().is_loopback() && !config.allow_unauthenticated {
        return Err(ThriftError::Unauthenticated(addr.to_string()));
    }
    let bind_error = |source| ThriftError::Bind {
        addr: addr.to_string(),
        source,
    };
    let (listener, addr) = listen::bind(addr).map_err(bind_error)?;
    let limits = Limits {
        max_message_bytes: remote.max_message_bytes,
        read_timeout: remote.read_timeout,
        idle_timeout: remote.idle_timeout,
        first_message_timeout: remote.first_message_timeout,
    };
    // The socket's caps, in a table of Thrift's own. The oldest connection
    // that never made a valid call makes room, as on the socket: idle
    // sockets cannot lock a client out.
    let table = Table::new(Caps {
        total: remote.max_connections,
        total_key: "remote.max_connections",
        per_peer: remote.max_connections_per_peer,
        per_peer_key: "remote.max_connections_per_peer",
    });
    let front = FrontEnd {
        name: "thrift",
        accept_thread: "vitrine-thrift",
        conn_thread: "vitrine-thrift-conn",
    };
    listen::spawn(
        listener,
        front,
        table,
        |_, _| {},
        move |stream, peer, slot| {
            serve(stream, &peer.to_string(), &limits, &slot, &dispatch);
        },
    )
    .map_err(bind_error)?;
    Ok(ThriftServer { addr })
}
