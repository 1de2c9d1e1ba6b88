//! The JSON socket server: accepting connections, a thread for each, auth, and requests to the shared dispatch.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};

use super::conn::{self, BeforeAuth, Limits, Request};
use super::head;
use super::push::{Pusher, subscribed};
use crate::auth::Throttle;
use crate::listen::{self, Caps, FrontEnd, Table};
use vitrine_api::answer::{answer, parse_failure, reply};
use vitrine_api::command::{Command, Stream};
use vitrine_api::dispatch::Dispatch;
use vitrine_api::events::Bus;
use vitrine_api::protocol::{codes, error_reply, parse_request_within};
use vitrine_config::RemoteConfig;

/// How the server runs.
#[derive(Clone, Debug)]
pub struct ServerSettings {
    pub bind: String,
    /// 0 picks a free port.
    pub port: u16,
    pub token: Option<String>,
    pub allow_unauthenticated: bool,
    pub max_message_bytes: u32,
    /// With a token set, the frame limit until a connection has sent a
    /// request with the valid token.
    pub max_unauthenticated_message_bytes: u32,
    /// How long a whole message may take, from its first byte.
    pub read_timeout: Duration,
    /// How long a new connection may take to send its first whole message.
    pub first_message_timeout: Duration,
    /// How long a connection may wait between messages.
    pub idle_timeout: Duration,
    /// How long `fetchUrl` and `postHtml` wait for their content.
    pub load_timeout: Duration,
    pub max_connections: usize,
    /// The most connections from one IP address.
    pub max_connections_per_peer: usize,
    /// The longest widget name a request may give (`remote.max_name_bytes`).
    pub max_name_bytes: usize,
}

impl ServerSettings {
    /// The bounds each connection lives by.
    fn limits(&self, throttle: &Arc<Throttle>) -> Limits {
        Limits {
            max_message_bytes: self.max_message_bytes,
            before_auth: self.token.as_ref().map(|token| BeforeAuth {
                token: token.clone(),
                max_message_bytes: self.max_unauthenticated_message_bytes,
                throttle: throttle.clone(),
            }),
            read_timeout: self.read_timeout,
            idle_timeout: self.idle_timeout,
            first_message_timeout: self.first_message_timeout,
        }
    }

    pub fn from_config(c: &RemoteConfig) -> Self {
        Self {
            bind: c.bind.clone(),
            port: c.port,
            token: Some(c.token.clone()).filter(|t| !t.is_empty()),
            allow_unauthenticated: c.allow_unauthenticated,
            max_message_bytes: c.max_message_bytes,
            max_unauthenticated_message_bytes: c.max_unauthenticated_message_bytes,
            read_timeout: c.read_timeout,
            first_message_timeout: c.first_message_timeout,
            idle_timeout: c.idle_timeout,
            load_timeout: c.load_timeout,
            max_connections: c.max_connections,
            max_connections_per_peer: c.max_connections_per_peer,
            max_name_bytes: c.max_name_bytes,
        }
    }
}

/// Why the server did not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServerError {
    /// A non-loopback address with no token.
    #[error(
        "refusing to listen on {0} without a token: set remote.token, or remote.allow_unauthenticated = true \
         if the network is trusted"
    )]
    Unauthenticated(String),
    /// The address does not parse.
    #[error("remote.bind {0:?} is not an IP address")]
    BadAddress(String),
    /// The port is taken or the address is not ours.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
}

struct Shared {
    settings: ServerSettings,
    dispatch: Arc<Dispatch>,
    /// The kiosk's events, for connections that subscribe.
    events: Arc<Bus>,
    /// Wrong tokens, counted with the other front ends'.
    throttle: Arc<Throttle>,
}

/// A running server.
pub struct Server {
    addr: SocketAddr,
}

impl Server {
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }
}

/// Binds and starts accepting. Connections are served on their own threads
/// for the life of the process.
/// `events` is the bus subscribers are fed from; `throttle` counts wrong
/// tokens, shared with the other front ends that check a secret.
pub fn start(
    settings: ServerSettings,
    dispatch: Arc<Dispatch>,
    events: Arc<Bus>,
    throttle: Arc<Throttle>,
) -> Result<Server, ServerError> {
    let addr = listen::address(&settings.bind, settings.port)
        .ok_or_else(|| ServerError::BadAddress(settings.bind.clone()))?;
    if !addr.ip().is_loopback() && settings.token.is_none() && !settings.allow_unauthenticated {
        return Err(ServerError::Unauthenticated(addr.to_string()));
    }
    let bind_error = |source| ServerError::Bind {
        addr: addr.to_string(),
        source,
    };
    let (listener, addr) = listen::bind(addr).map_err(bind_error)?;
    let table = Table::new(Caps {
        total: settings.max_connections,
        total_key: "remote.max_connections",
        per_peer: settings.max_connections_per_peer,
        per_peer_key: "remote.max_connections_per_peer",
    });
    let shared = Arc::new(Shared {
        settings,
        dispatch,
        events,
        throttle,
    });
    let front = FrontEnd {
        name: FRONT,
        accept_thread: "vitrine-remote",
        conn_thread: "vitrine-conn",
    };
    // A refused connection is closed unanswered.
    listen::spawn(
        listener,
        front,
        table,
        |_, _| {},
        move |stream, peer, slot| {
            let peer = peer.to_string();
            let limits = shared.settings.limits(&shared.throttle);
            // The connection's subscription, if it makes one: it ends with the
            // connection.
            let mut pusher = None;
            conn::serve(stream, &peer, &limits, &slot, |request| {
                handle(request, &shared, &peer, &mut pusher)
            });
        },
    )
    .map_err(bind_error)?;
    Ok(Server { addr })
}

/// How the socket is named in the throttle's log lines.
const FRONT: &str = "remote socket";

/// One request to its reply (`None` for a notification). A request that
/// passes the auth check proves its connection before it is carried out, so
/// a slow load cannot be evicted while it waits.
fn handle(
    request: Request<'_>,
    shared: &Shared,
    peer: &str,
    pusher: &mut Option<Pusher>,
) -> Option<Value> {
    let Request { payload, slot, .. } = request;
    if let Some(token) = &shared.settings.token {
        let throttle = &shared.throttle;
        // An address that must wait is refused before its token is looked
        // at, and its connection closed.
        if let Err(waiting) = throttle.check(request.ip, FRONT) {
            request.close.set(true);
            let id = head::peek(payload).ok().and_then(|h| h.id);
            return id.map(|id| error_reply(Some(id), codes::UNAUTHORIZED, &waiting.to_string()));
        }
        // The token is checked on a typed look at the id and auth alone,
        // before anything is built from the rest of the payload.
        let look = match head::peek(payload) {
            Ok(h) => h,
            Err(e) => return parse_failure(&e),
        };
        match look.auth.as_deref() {
            Some(a) if head::same_secret(a, token) => {
                // Once per connection: its failures are forgotten.
                if !slot.is_proven() {
                    throttle.succeeded(request.ip);
                }
            }
            Some(_) => {
                // A guess: counted, and logged by the throttle at most once
                // per address per interval.
                if throttle.failed(request.ip, FRONT).close {
                    request.close.set(true);
                }
                return look
                    .id
                    .map(|id| error_reply(Some(id), codes::UNAUTHORIZED, "unauthorized"));
            }
            None => {
                // No token at all guesses nothing: answered, not counted,
                // and not worth a warning each time.
                tracing::debug!(%peer, "request without an auth token refused");
                return look
                    .id
                    .map(|id| error_reply(Some(id), codes::UNAUTHORIZED, "unauthorized"));
            }
        }
        slot.prove();
    }
    let parsed = match parse_request_within(payload, shared.settings.max_name_bytes) {
        Ok(r) => r,
        Err(e) => return parse_failure(&e),
    };
    slot.prove();
    let id = parsed.id.clone();
    let result = match parsed.command {
        Command::Stream(s) => stream(s, &request, shared, peer, pusher),
        other => answer(other, &shared.dispatch),
    };
    reply(id, result)
}

/// `subscribe` and `unsubscribe`, on the connection they came on.
fn stream(
    s: Stream,
    request: &Request<'_>,
    shared: &Shared,
    peer: &str,
    pusher: &mut Option<Pusher>,
) -> Result<Value, (i64, String)> {
    match s {
        Stream::Subscribe { events } => {
            match pusher {
                Some(p) => p.set_types(events),
                None => {
                    let line = request.line.clone();
                    let p = Pusher::start(&shared.events, events, line, request.framing, peer)
                        .map_err(|e| (codes::LIMIT, e.to_string()))?;
                    *pusher = Some(p);
                }
            }
            Ok(subscribed(events, &shared.events))
        }
        Stream::Unsubscribe => {
            let was = pusher.take().is_some();
            Ok(json!({"unsubscribed": was}))
        }
    }
}
