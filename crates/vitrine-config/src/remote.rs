//! `[remote]`: the JSON socket server: where it listens, its token, and the bounds on messages, connections and event subscribers.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::duration;

/// `[remote]`: the JSON socket server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RemoteConfig {
    /// Start the server with the app.
    pub enabled: bool,
    /// Address to listen on. Anything but loopback needs `token` (or
    /// `allow_unauthenticated`).
    pub bind: String,
    /// TCP port; 5489 is jsocket's default.
    pub port: u16,
    /// Shared secret every request must carry as `auth`; empty means none.
    pub token: String,
    /// Allow a non-loopback `bind` with no token.
    pub allow_unauthenticated: bool,
    /// The largest frame payload accepted, in bytes.
    pub max_message_bytes: u32,
    /// With a token set, the largest frame payload accepted from a connection
    /// that has not yet sent a request with the valid token, in bytes. It
    /// keeps a stranger from making the kiosk read and parse a large request
    /// before the token is checked.
    pub max_unauthenticated_message_bytes: u32,
    /// How long a whole message may take, counted from its first byte, so
    /// that a trickled message cannot stay open.
    #[serde(with = "duration")]
    pub read_timeout: Duration,
    /// How long a new connection may take to send its first complete
    /// message, so that silent connections cannot hold the table.
    #[serde(with = "duration")]
    pub first_message_timeout: Duration,
    /// How long a connection may stay silent between messages.
    #[serde(with = "duration")]
    pub idle_timeout: Duration,
    /// How long fetchUrl and postHtml wait for their content before
    /// answering TIMEOUT (the load is then cancelled).
    #[serde(with = "duration")]
    pub load_timeout: Duration,
    /// The most connections served at once. When the table is full, the
    /// oldest connection that has not yet sent a valid request (or, with a
    /// token, authenticated) makes room for a new one.
    pub max_connections: usize,
    /// The most connections from one IP address at once, so one peer cannot
    /// fill the table; past it, that peer's own oldest unproven connection
    /// makes room.
    pub max_connections_per_peer: usize,
    /// The most connections subscribed to events at once; each has a thread
    /// that writes its events.
    pub max_subscribers: usize,
    /// The events each subscriber may have waiting; past it, events are
    /// dropped for that subscriber and the next one says how many.
    pub event_queue: usize,
    /// The longest widget name (and any other name a request gives, and a
    /// string request id) in bytes, from 1 to [`MAX_NAME_BYTES_CEILING`]. Names are copied into
    /// the fleet's status, events, the CSV and the state file; every front
    /// end refuses a longer one with -32602.
    pub max_name_bytes: usize,
    /// Wrong tokens (or admin passwords) in a row from one address before
    /// its connection is closed and the address must wait. Shared by the
    /// socket and the admin page.
    pub auth_failures_before_close: u32,
    /// The first wait after that; each further failure doubles it. While
    /// it waits, the address's attempts are refused unchecked.
    #[serde(with = "duration")]
    pub auth_delay: Duration,
    /// The longest wait.
    #[serde(with = "duration")]
    pub auth_max_delay: Duration,
    /// The most addresses whose failures are remembered; past it, the one
    /// whose last failure is oldest is forgotten.
    pub auth_tracked_peers: usize,
}

/// The most `remote.max_name_bytes` may be: a name is an identifier, and
/// every status, event and CSV line carries it.
pub const MAX_NAME_BYTES_CEILING: usize = 1024;

impl Default for RemoteConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            bind: "127.0.0.1".into(),
            port: 5489,
            token: String::new(),
            allow_unauthenticated: false,
            max_message_bytes: 16 * 1024 * 1024,
            max_unauthenticated_message_bytes: 64 * 1024,
            read_timeout: Duration::from_secs(10),
            first_message_timeout: Duration::from_secs(5),
            idle_timeout: Duration::from_secs(300),
            load_timeout: Duration::from_secs(15),
            max_connections: 512,
            max_connections_per_peer: 64,
            max_subscribers: 64,
            event_queue: 256,
            max_name_bytes: vitrine_api::protocol::bounds::DEFAULT_MAX_NAME_BYTES,
            auth_failures_before_close: 3,
            auth_delay: Duration::from_secs(1),
            auth_max_delay: Duration::from_secs(60),
            auth_tracked_peers: 4096,
        }
    }
}
