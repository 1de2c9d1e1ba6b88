//! One admin page connection, plain TCP or TLS over TCP (rustls), with the socket's timeouts and an orderly close either way.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use rustls::{ServerConfig, ServerConnection, StreamOwned};

/// What the HTTP reader needs of a connection: bytes both ways, and a
/// bound on how long a read may wait.
pub trait Transport: Read + Write {
    fn set_read_timeout(&self, timeout: Option<Duration>) -> std::io::Result<()>;
}

impl Transport for TcpStream {
    fn set_read_timeout(&self, timeout: Option<Duration>) -> std::io::Result<()> {
        TcpStream::set_read_timeout(self, timeout)
    }
}

/// A connection to the page.
pub enum Conn {
    Plain(TcpStream),
    Tls(Box<StreamOwned<ServerConnection, TcpStream>>),
}

/// The first byte of every TLS connection (a handshake record). A plain
/// HTTP request starts with a method's letter instead.
const TLS_HANDSHAKE: u8 = 0x16;

impl Conn {
    /// Wraps `tcp` in TLS when `tls` is set and the client starts a TLS
    /// handshake. A client that speaks plain HTTP to a TLS port gets a
    /// plain connection (`Ok(Conn::Plain)`), to be answered with a
    /// redirect. The wait for the first byte is bounded by the socket's
    /// read timeout, which the caller sets.
    pub fn accept(tcp: TcpStream, tls: Option<&Arc<ServerConfig>>) -> std::io::Result<Conn> {
        let Some(config) = tls else {
            return Ok(Conn::Plain(tcp));
        };
        let mut first = [0u8; 1];
        if tcp.peek(&mut first)? == 0 || first[0] != TLS_HANDSHAKE {
            return Ok(Conn::Plain(tcp));
        }
        let server = ServerConnection::new(config.clone()).map_err(std::io::Error::other)?;
        Ok(Conn::Tls(Box::new(StreamOwned::new(server, tcp))))
    }

    /// The TCP socket under it, for its options.
    pub fn tcp(&self) -> &TcpStream {
        match self {
            Conn::Plain(s) => s,
            Conn::Tls(s) => s.get_ref(),
        }
    }

    pub fn is_tls(&self) -> bool {
        matches!(self, Conn::Tls(_))
    }

    /// Ends the sending side: TLS's close_notify first (so the client can
    /// tell the answer is whole), then the TCP write half.
    pub fn shutdown_write(&mut self) {
        if let Conn::Tls(s) = self {
            s.conn.send_close_notify();
            let _ = s.flush();
        }
        let _ = self.tcp().shutdown(Shutdown::Write);
    }
}

impl Transport for Conn {
    fn set_read_timeout(&self, timeout: Option<Duration>) -> std::io::Result<()> {
        self.tcp().set_read_timeout(timeout)
    }
}

impl Read for Conn {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Conn::Plain(s) => s.read(buf),
            Conn::Tls(s) => s.read(buf),
        }
    }
}

impl Write for Conn {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Conn::Plain(s) => s.write(buf),
            Conn::Tls(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Conn::Plain(s) => s.flush(),
            Conn::Tls(s) => s.flush(),
        }
    }
}

/// The TLS settings for a certificate: TLS 1.2 and 1.3 with rustls's safe
/// defaults and ring, HTTP/1.1 only.
pub fn server_config(cert: &super::cert::Certificate) -> Result<Arc<ServerConfig>, rustls::Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(cert.chain.clone(), cert.key.clone_key())?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

impl crate::listen::Lingering for Conn {
    fn shut_write(&mut self) {
        self.shutdown_write();
    }

    fn set_read_timeout(&mut self, timeout: std::time::Duration) -> std::io::Result<()> {
        self.tcp().set_read_timeout(Some(timeout))
    }
}
