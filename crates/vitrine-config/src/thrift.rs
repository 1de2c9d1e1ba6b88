//! `[thrift]`: the Apache Thrift endpoint that serves `crates/vitrine-serve/src/thrift/displaymanager.thrift` next to the JSON socket.

use serde::{Deserialize, Serialize};

/// `[thrift]`: where the Thrift endpoint listens. Its bounds (connections,
/// message size, deadlines, load timeout) are `[remote]`'s.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ThriftConfig {
    /// Serve the Thrift endpoint.
    pub enabled: bool,
    /// The address to listen on. Thrift has no token, so an address other
    /// than loopback needs `allow_unauthenticated`.
    pub bind: String,
    /// The TCP port (Thrift's customary 9090); 0 picks a free one.
    pub port: u16,
    /// Listen on a non-loopback address although anyone who reaches it can
    /// drive the kiosk.
    pub allow_unauthenticated: bool,
    /// Serve Thrift although `remote.token` is set. Thrift's IDL carries no
    /// token, so by default the endpoint stays off while a token is set
    /// (the kiosk runs on, and says why in its log); this opts back in to
    /// unauthenticated control on `bind`, logged as a warning at start.
    pub allow_without_token: bool,
}

impl Default for ThriftConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            bind: "127.0.0.1".into(),
            port: 9090,
            allow_unauthenticated: false,
            allow_without_token: false,
        }
    }
}
