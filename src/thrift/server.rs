//! The Thrift endpoint's listener: the loopback rule, the shared connection table, and a thread per connection.

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::time::Duration;

use super::conn::{Limits, serve};
use crate::config::{RemoteConfig, ThriftConfig};
use crate::remote::Dispatch;
use crate::remote::table::Table;

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

/// Connection threads need little stack: they parse and wait.
const CONNECTION_STACK: usize = 256 * 1024;

/// Binds `config`'s address (`port` overrides its port) and serves the
/// `displaymanager` service through `dispatch`, within `remote`'s bounds.
pub fn start(
    config: &ThriftConfig,
    port: Option<u16>,
    remote: &RemoteConfig,
    dispatch: Arc<Dispatch>,
) -> Result<ThriftServer, ThriftError> {
    let ip: IpAddr = config
        .bind
        .trim()
        .parse()
        .map_err(|_| ThriftError::BadAddress(config.bind.clone()))?;
    let addr = SocketAddr::new(ip, port.unwrap_or(config.port));
    if !ip.is_loopback() && !config.allow_unauthenticated {
        return Err(ThriftError::Unauthenticated(addr.to_string()));
    }
    let bind_error = |source| ThriftError::Bind {
        addr: addr.to_string(),
        source,
    };
    let listener = TcpListener::bind(addr).map_err(bind_error)?;
    let addr = listener.local_addr().map_err(bind_error)?;
    let limits = Limits {
        max_message_bytes: remote.max_message_bytes,
        read_timeout: remote.read_timeout,
        idle_timeout: remote.idle_timeout,
        first_message_timeout: remote.first_message_timeout,
    };
    let table = Table::new(remote.max_connections, remote.max_connections_per_peer);
    std::thread::Builder::new()
        .name("vitrine-thrift".into())
        .spawn(move || accept(listener, table, limits, dispatch))
        .map_err(bind_error)?;
    Ok(ThriftServer { addr })
}

fn accept(listener: TcpListener, table: Arc<Table>, limits: Limits, dispatch: Arc<Dispatch>) {
    for stream in listener.incoming() {
        let stream = match stream {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(%e, "thrift accept failed");
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
        };
        let Ok(peer_addr) = stream.peer_addr() else {
            continue;
        };
        let peer = peer_addr.to_string();
        let Ok(clone) = stream.try_clone() else {
            continue;
        };
        // The oldest connection that never made a valid call makes room, as
        // on the JSON socket: idle sockets cannot lock a client out.
        let admission = match table.admit(peer_addr.ip(), clone) {
            Ok(a) => a,
            Err(refused) => {
                tracing::warn!(%peer, %refused, "thrift connection refused");
                continue;
            }
        };
        if let Some(e) = &admission.evicted {
            tracing::info!(evicted = %e.peer, age = ?e.age, cap = e.cap, "closed the oldest thrift connection without a valid call to make room");
        }
        let slot = admission.slot;
        let (limits, dispatch) = (limits.clone(), dispatch.clone());
        let spawned = std::thread::Builder::new()
            .name("vitrine-thrift-conn".into())
            .stack_size(CONNECTION_STACK)
            .spawn(move || {
                let served = catch_unwind(AssertUnwindSafe(|| {
                    serve(stream, &peer, &limits, &slot, &dispatch);
                }));
                if served.is_err() {
                    tracing::error!(%peer, "thrift connection thread panicked; connection closed");
                }
            });
        if let Err(e) = spawned {
            tracing::warn!(%e, "cannot start a thrift connection thread");
        }
    }
}
