//! `[admin]`: the store manager's web page: where it listens, its password, and the bounds on sessions, connections, watchers and uploads.

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::duration;

/// `[admin]`: the web page served by the kiosk itself.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AdminConfig {
    /// Serve the page with the app.
    pub enabled: bool,
    /// Address to listen on. Anything but loopback needs a password
    /// (`admin.password`, or `remote.token` when that is empty).
    pub bind: String,
    /// TCP port; 0 picks a free one.
    pub port: u16,
    /// The page's password; empty means `remote.token`, and with both empty
    /// the page asks for none (loopback only).
    pub password: String,
    /// How long a login lasts.
    #[serde(with = "duration")]
    pub session_ttl: Duration,
    /// The most sessions at once; a new login past it ends the oldest.
    pub max_sessions: usize,
    /// Wrong passwords allowed from one address per minute; past it, logins
    /// from that address are refused until the minute is over.
    pub login_attempts_per_minute: u32,
    /// Host names (besides IP addresses and `localhost`) the page answers
    /// to, such as `"kiosk-12.shop.lan"`. A request for any other name is
    /// refused, so a web page elsewhere cannot reach the kiosk through a
    /// name it points at 127.0.0.1 (DNS rebinding).
    pub allowed_hosts: Vec<String>,
    /// The most HTTP connections served at once.
    pub max_connections: usize,
    /// The most connections from one address at once.
    pub max_connections_per_peer: usize,
    /// The most pages receiving live updates at once (each holds a
    /// connection and a thread).
    pub max_watchers: usize,
    /// How long a request may take to arrive, from its first byte.
    #[serde(with = "duration")]
    pub read_timeout: Duration,
    /// How long writing a response (or an event to a watching page) may
    /// block before the client counts as gone.
    #[serde(with = "duration")]
    pub write_timeout: Duration,
    /// The largest request head (request line, headers and cookies); a
    /// larger one gets 431. Raise it behind a proxy that adds big headers.
    pub max_head_bytes: usize,
    /// The largest request body accepted, uploads aside, in bytes.
    pub max_body_bytes: u64,
    /// How long an upload's body may take to arrive (uploads are bounded by
    /// `content.max_download_bytes`).
    #[serde(with = "duration")]
    pub upload_timeout: Duration,
    /// The most bytes the upload folder may hold; an upload that would pass
    /// it is refused.
    pub upload_dir_max_bytes: u64,
    /// Where uploads are written. It must lie inside one of
    /// `content.roots`; empty means `uploads` in the state directory, which
    /// is then added to `content.roots`.
    pub upload_dir: PathBuf,
    /// The live screen's width in pixels (the height follows the screen).
    pub screen_width: u32,
    /// The live screen is captured and encoded at most this often, however
    /// many pages watch it.
    #[serde(with = "duration")]
    pub screen_interval: Duration,
    /// HTTPS: `"auto"` serves it on any address but loopback, `"on"`
    /// everywhere, `"off"` nowhere (plain HTTP then needs loopback or
    /// `admin.allow_plain_http`).
    pub tls: TlsMode,
    /// The certificate chain (PEM) to serve, such as one from the shop's
    /// own authority; empty makes a self-signed one in the state folder
    /// (`<state.dir>/admin-tls/`), kept and reused.
    pub tls_cert: PathBuf,
    /// The private key (PEM) of `admin.tls_cert`.
    pub tls_key: PathBuf,
    /// Serve plain HTTP on an address other than loopback (with
    /// `admin.tls = "off"`), where anyone on the network can read the
    /// password. For a page behind a TLS proxy on another machine.
    pub allow_plain_http: bool,
}

/// When the admin page is served over HTTPS.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TlsMode {
    /// On any address but loopback.
    #[default]
    Auto,
    /// On every address, loopback too.
    On,
    /// Never.
    Off,
}

impl TlsMode {
    /// Whether a page bound to an address that `loopback` or not is served
    /// over HTTPS.
    pub fn applies(self, loopback: bool) -> bool {
        match self {
            TlsMode::Auto => !loopback,
            TlsMode::On => true,
            TlsMode::Off => false,
        }
    }
}

impl Default for AdminConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            bind: "127.0.0.1".into(),
            port: 8080,
            password: String::new(),
            session_ttl: Duration::from_secs(12 * 3600),
            max_sessions: 32,
            login_attempts_per_minute: 5,
            allowed_hosts: Vec::new(),
            max_connections: 32,
            max_connections_per_peer: 16,
            max_watchers: 16,
            read_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(10),
            max_head_bytes: 16 * 1024,
            max_body_bytes: 16 * 1024 * 1024,
            upload_timeout: Duration::from_secs(600),
            upload_dir_max_bytes: 2 * 1024 * 1024 * 1024,
            upload_dir: PathBuf::new(),
            screen_width: 640,
            screen_interval: Duration::from_secs(1),
            tls: TlsMode::Auto,
            tls_cert: PathBuf::new(),
            tls_key: PathBuf::new(),
            allow_plain_http: false,
        }
    }
}

impl AdminConfig {
    /// Checks the values, naming the first bad key.
    pub fn validate(&self) -> Result<(), (&'static str, &'static str)> {
        if self.bind.trim().parse::<std::net::IpAddr>().is_err() {
            return Err((
                "bind",
                "must be an IP address such as \"127.0.0.1\" or \"0.0.0.0\"",
            ));
        }
        for (key, d) in [
            ("session_ttl", self.session_ttl),
            ("read_timeout", self.read_timeout),
            ("write_timeout", self.write_timeout),
            ("upload_timeout", self.upload_timeout),
            ("screen_interval", self.screen_interval),
        ] {
            if d.is_zero() {
                return Err((key, "must be longer than zero"));
            }
        }
        for (key, n) in [
            ("max_sessions", self.max_sessions),
            ("max_connections", self.max_connections),
            ("max_connections_per_peer", self.max_connections_per_peer),
            ("max_watchers", self.max_watchers),
        ] {
            if n == 0 {
                return Err((key, "must be at least 1"));
            }
        }
        if self.max_watchers >= self.max_connections {
            return Err((
                "max_watchers",
                "must be less than admin.max_connections, so pages that watch leave room for requests",
            ));
        }
        if self.login_attempts_per_minute == 0 {
            return Err(("login_attempts_per_minute", "must be at least 1"));
        }
        if !(16..=4096).contains(&self.screen_width) {
            return Err(("screen_width", "must be between 16 and 4096"));
        }
        if self
            .upload_dir
            .components()
            .any(|c| c == std::path::Component::ParentDir)
        {
            return Err(("upload_dir", "must not contain \"..\""));
        }
        if self.tls_cert.as_os_str().is_empty() != self.tls_key.as_os_str().is_empty() {
            return Err((
                "tls_cert",
                "and admin.tls_key go together: set both, or neither for a self-signed certificate",
            ));
        }
        if !(1024..=1024 * 1024).contains(&self.max_head_bytes) {
            return Err(("max_head_bytes", "must be between 1024 and 1048576"));
        }
        if self.max_body_bytes < 1024 {
            return Err(("max_body_bytes", "must be at least 1024"));
        }
        Ok(())
    }
}
