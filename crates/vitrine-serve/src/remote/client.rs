//! The client side of the protocol, for `vitrine ctl` and the tests: one connection, requests answered in order, and events pushed on it held until read.

use std::collections::VecDeque;
use std::io::{ErrorKind, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use serde_json::{Value, json};

use super::codec::{Decoded, Decoder, Framing, encode};
use vitrine_api::command::Command;

/// Why a call failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// The connection failed or broke.
    #[error("connection: {0}")]
    Io(#[from] std::io::Error),
    /// The server answered with a JSON-RPC error.
    #[error("error {code}: {message}")]
    Rpc { code: i64, message: String },
    /// The server's bytes made no sense.
    #[error("protocol: {0}")]
    Protocol(String),
}

/// A connection to a vitrine.
pub struct Client {
    stream: TcpStream,
    framing: Framing,
    token: Option<String>,
    next_id: u64,
    buf: Vec<u8>,
    /// Events that arrived while a reply was awaited, oldest first.
    events: VecDeque<Value>,
    timeout: Duration,
}

/// The most events held while waiting for replies; older ones go first.
const MAX_HELD_EVENTS: usize = 4096;

/// Replies can be large (screenshots).
const MAX_REPLY: u32 = 256 * 1024 * 1024;

impl Client {
    /// Connects to `host:port`, speaking `framing`.
    pub fn connect(
        host: &str,
        port: u16,
        framing: Framing,
        token: Option<String>,
        timeout: Duration,
    ) -> Result<Client, ClientError> {
        let addr = (host, port)
            .to_socket_addrs()?
            .next()
            .ok_or_else(|| ClientError::Protocol(format!("{host} has no address")))?;
        let stream = TcpStream::connect_timeout(&addr, timeout)?;
        stream.set_read_timeout(Some(timeout))?;
        stream.set_write_timeout(Some(timeout))?;
        let _ = stream.set_nodelay(true);
        Ok(Client {
            stream,
            framing,
            token,
            next_id: 1,
            buf: Vec::new(),
            events: VecDeque::new(),
            timeout,
        })
    }

    /// Sends a typed command and returns its result.
    pub fn send(&mut self, command: &Command) -> Result<Value, ClientError> {
        let id = self.take_id();
        let request = command.to_request(id, self.token.as_deref());
        self.exchange(&request)
    }

    /// Calls `method` with `params`, as given, and returns its result. Tests
    /// use it to send what no typed command would.
    pub fn call(&mut self, method: &str, params: Value) -> Result<Value, ClientError> {
        let id = self.take_id();
        let mut request = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        if let Some(t) = &self.token {
            request["auth"] = json!(t);
        }
        self.exchange(&request)
    }

    fn take_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// Writes one request and reads its reply.
    fn exchange(&mut self, request: &Value) -> Result<Value, ClientError> {
        let bytes =
            serde_json::to_vec(request).map_err(|e| ClientError::Protocol(e.to_string()))?;
        self.stream.write_all(&encode(self.framing, &bytes))?;
        let reply = loop {
            let message = self.read()?;
            if is_notification(&message) {
                if self.events.len() == MAX_HELD_EVENTS {
                    self.events.pop_front();
                }
                self.events.push_back(message);
                continue;
            }
            break message;
        };
        if let Some(err) = reply.get("error") {
            return Err(ClientError::Rpc {
                code: err["code"].as_i64().unwrap_or(0),
                message: err["message"].as_str().unwrap_or_default().to_string(),
            });
        }
        reply
            .get("result")
            .cloned()
            .ok_or_else(|| ClientError::Protocol("a reply with neither result nor error".into()))
    }

    /// The next event pushed on this connection (after `subscribe`), as its
    /// `params`: one held already, or the next to arrive within `wait`
    /// (`None`: as long as it takes). `Ok(None)` when none came in time.
    pub fn next_event(&mut self, wait: Option<Duration>) -> Result<Option<Value>, ClientError> {
        loop {
            if let Some(e) = self.events.pop_front() {
                return Ok(Some(e["params"].clone()));
            }
            self.stream.set_read_timeout(wait)?;
            let message = self.read();
            self.stream.set_read_timeout(Some(self.timeout))?;
            match message {
                Ok(m) if is_notification(&m) => self.events.push_back(m),
                Ok(m) => {
                    return Err(ClientError::Protocol(format!(
                        "a reply nobody asked for: {m}"
                    )));
                }
                Err(ClientError::Io(e))
                    if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) =>
                {
                    return Ok(None);
                }
                Err(e) => return Err(e),
            }
        }
    }

    fn read(&mut self) -> Result<Value, ClientError> {
        let mut decoder = Decoder::with_framing(self.framing, MAX_REPLY);
        let mut chunk = vec![0u8; 64 * 1024];
        loop {
            match decoder
                .decode(&self.buf)
                .map_err(|e| ClientError::Protocol(e.to_string()))?
            {
                Decoded::Frame { start, end } => {
                    let value = serde_json::from_slice(&self.buf[start..end])
                        .map_err(|e| ClientError::Protocol(e.to_string()))?;
                    self.buf.drain(..end);
                    return Ok(value);
                }
                Decoded::NeedMore(_) => {
                    let n = self.stream.read(&mut chunk)?;
                    if n == 0 {
                        return Err(ClientError::Protocol(
                            "the server closed the connection".into(),
                        ));
                    }
                    self.buf.extend_from_slice(&chunk[..n]);
                }
            }
        }
    }
}

/// Whether a message is a notification (an event) rather than a reply.
fn is_notification(message: &Value) -> bool {
    message.get("method").is_some() && message.get("id").is_none()
}
