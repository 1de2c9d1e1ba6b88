//! `[fleet]`: the MQTT link to a broker shared by many kiosks: where the broker is, who this kiosk is, and the bounds on what it takes and keeps.

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::duration;

/// `[fleet]`: commands, replies, events, status and desired state through
/// an MQTT broker the kiosk connects out to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FleetConfig {
    /// Connect to the broker.
    pub enabled: bool,
    /// `mqtt://host[:port]` (1883 by default) or `mqtts://host[:port]`
    /// (TLS, 8883 by default). No user name or password in it: those go
    /// in `username` and `password`.
    pub broker: String,
    /// This kiosk's name in topics; empty means the host name. Letters,
    /// digits, `-`, `_` and `.` only, and not `all` or `group`.
    pub kiosk_id: String,
    /// The groups whose commands and desired state this kiosk takes, such
    /// as `["store-12", "window-displays"]` (same characters as the id).
    pub groups: Vec<String>,
    /// The broker's user name; empty sends none.
    pub username: String,
    /// The broker's password (sent only with a user name). Over plain
    /// `mqtt://` to a broker that is not on this machine it would cross
    /// the network in clear: the fleet then stays off unless
    /// `allow_plaintext_password` is set.
    pub password: String,
    /// Send `password` over plain `mqtt://` to a broker on another
    /// machine anyway (anyone on the network can read it).
    pub allow_plaintext_password: bool,
    /// For `mqtts://`: a PEM file of the certificate authorities to trust;
    /// empty trusts the system's (`/etc/ssl/certs`).
    pub ca_file: PathBuf,
    /// How often the kiosk and the broker check the connection; the broker
    /// declares the kiosk offline (its last will) after 1.5 times this.
    #[serde(with = "duration")]
    pub keep_alive: Duration,
    /// The longest wait between two tries to reach the broker (the wait
    /// starts at one second and doubles).
    #[serde(with = "duration")]
    pub reconnect_max: Duration,
    /// The largest command or desired-state message taken, in bytes; a
    /// larger one is answered with an error and not read further. Set the
    /// broker's `message_size_limit` to this too.
    pub max_payload_bytes: usize,
    /// Commands waiting for the kiosk at once; past this, a command is
    /// answered with an error at once.
    pub max_queued_commands: usize,
    /// Command ids remembered, so a command delivered twice (QoS 1) is
    /// applied once; its first reply is sent again.
    pub remembered_ids: usize,
    /// The longest command id taken, in bytes (a string id's own bytes, a
    /// number's text); a longer one is answered with an error (-32600).
    pub max_command_id_bytes: usize,
    /// Publish every event on `vitrine/<kiosk_id>/events`.
    pub events: bool,
    /// The retained status is published on every change and at least this
    /// often (for its uptime).
    #[serde(with = "duration")]
    pub status_interval: Duration,
    /// The width of a screenshot sent on `vitrine/<kiosk_id>/screenshot`
    /// when the command gives none.
    pub screenshot_width: u32,
}

impl Default for FleetConfig {
    fn default() -> Self {
        Self {
            enabled: false,
            broker: "mqtt://127.0.0.1:1883".into(),
            kiosk_id: String::new(),
            groups: Vec::new(),
            username: String::new(),
            password: String::new(),
            allow_plaintext_password: false,
            ca_file: PathBuf::new(),
            keep_alive: Duration::from_secs(30),
            reconnect_max: Duration::from_secs(60),
            max_payload_bytes: 4 * 1024 * 1024,
            max_queued_commands: 64,
            remembered_ids: 1024,
            max_command_id_bytes: 128,
            events: true,
            status_interval: Duration::from_secs(60),
            screenshot_width: 320,
        }
    }
}

/// Whether `name` can be one level of a topic: non-empty, at most 64
/// characters of `[A-Za-z0-9._-]`. MQTT's wildcards and separator are
/// thereby excluded.
pub fn is_topic_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// Whether `host` (a name or an address, IPv6 without brackets) is this
/// machine: a loopback address or `localhost`. Any other name counts as
/// another machine: it is not looked up, so nothing is sent to find out.
pub fn is_loopback_host(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.to_canonical().is_loopback())
}

impl FleetConfig {
    /// What lies between `scheme://` and the path of `broker`.
    fn authority(&self) -> &str {
        let rest = self.broker.split_once("://").map_or("", |(_, r)| r);
        rest.split(['/', '?', '#']).next().unwrap_or("")
    }

    /// Why the password would cross the network in clear to `host` over
    /// plain MQTT (`tls` false), and how to fix it; `None` when it would
    /// not (TLS, a broker on this machine, no password sent, or allowed).
    pub fn password_in_clear(&self, tls: bool, host: &str) -> Option<String> {
        let sent = !self.username.is_empty() && !self.password.is_empty();
        if !sent || tls || self.allow_plaintext_password || is_loopback_host(host) {
            return None;
        }
        Some(format!(
            "fleet.password would cross the network in clear to {host} (mqtt:// is not encrypted): \
             switch to mqtts:// (TLS, with fleet.ca_file), or set fleet.allow_plaintext_password = true to send it anyway"
        ))
    }

    /// Checks the values, naming the first bad key.
    pub fn validate(&self) -> Result<(), (&'static str, &'static str)> {
        let scheme_ok = ["mqtt://", "mqtts://"]
            .iter()
            .any(|s| self.broker.starts_with(s) && self.broker.len() > s.len());
        if !scheme_ok {
            return Err((
                "broker",
                "must be mqtt://host[:port] or mqtts://host[:port]",
            ));
        }
        // A user name or password in the URL would be ignored (and the
        // password then shown wherever the URL is logged).
        if self.authority().contains('@') {
            return Err((
                "broker",
                "must not hold a user name or password (user:password@): put them in fleet.username and fleet.password",
            ));
        }
        if !self.kiosk_id.is_empty()
            && (!is_topic_name(&self.kiosk_id) || matches!(self.kiosk_id.as_str(), "all" | "group"))
        {
            return Err((
                "kiosk_id",
                "must be 1 to 64 of A-Z, a-z, 0-9, '.', '_', '-', and not \"all\" or \"group\"",
            ));
        }
        if !self.groups.iter().all(|g| is_topic_name(g)) {
            return Err((
                "groups",
                "each must be 1 to 64 of A-Z, a-z, 0-9, '.', '_', '-'",
            ));
        }
        if self.groups.len() > 32 {
            return Err(("groups", "at most 32 groups"));
        }
        if self.keep_alive < Duration::from_secs(5) || self.keep_alive > Duration::from_secs(3600) {
            return Err(("keep_alive", "must be from 5s to 1h"));
        }
        for (key, d) in [
            ("reconnect_max", self.reconnect_max),
            ("status_interval", self.status_interval),
        ] {
            if d < Duration::from_secs(1) {
                return Err((key, "must be at least 1s"));
            }
        }
        if !(1024..=256 * 1024 * 1024).contains(&self.max_payload_bytes) {
            return Err(("max_payload_bytes", "must be from 1 KiB to 256 MiB"));
        }
        for (key, n) in [
            ("max_queued_commands", self.max_queued_commands),
            ("remembered_ids", self.remembered_ids),
        ] {
            if n == 0 {
                return Err((key, "must be at least 1"));
            }
        }
        if !(1..=65536).contains(&self.max_command_id_bytes) {
            return Err(("max_command_id_bytes", "must be from 1 to 65536"));
        }
        if !(16..=4096).contains(&self.screenshot_width) {
            return Err(("screenshot_width", "must be between 16 and 4096"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_would_break_a_topic_are_refused() {
        for ok in ["kiosk-1", "store_12.front", "A"] {
            assert!(is_topic_name(ok), "{ok}");
        }
        for bad in ["", "a/b", "+", "#", "a b", "é", &"x".repeat(65)] {
            assert!(!is_topic_name(bad), "{bad}");
        }
        let mut c = FleetConfig {
            kiosk_id: "all".into(),
            ..FleetConfig::default()
        };
        assert_eq!(c.validate().unwrap_err().0, "kiosk_id");
        c.kiosk_id = "k1".into();
        c.groups = vec!["g/1".into()];
        assert_eq!(c.validate().unwrap_err().0, "groups");
        c.groups = vec!["g1".into()];
        assert!(c.validate().is_ok());
        c.broker = "http://x".into();
        assert_eq!(c.validate().unwrap_err().0, "broker");
    }

    #[test]
    fn credentials_in_the_broker_url_are_refused_naming_the_keys_to_use() {
        for url in [
            "mqtt://user:pass@broker.example",
            "mqtt://user@127.0.0.1:1883",
            "mqtts://:pass@[::1]:8883/x",
        ] {
            let c = FleetConfig {
                broker: url.into(),
                ..FleetConfig::default()
            };
            let (key, message) = c.validate().unwrap_err();
            assert_eq!(key, "broker", "{url}");
            assert!(
                message.contains("fleet.username") && message.contains("fleet.password"),
                "{message}"
            );
        }
        // An '@' past the host is no credential.
        let c = FleetConfig {
            broker: "mqtt://broker.example/a@b".into(),
            ..FleetConfig::default()
        };
        assert!(c.validate().is_ok());
    }

    #[test]
    fn a_password_in_clear_to_another_machine_is_refused_unless_allowed() {
        let mut c = FleetConfig {
            username: "kiosk".into(),
            password: "s3cret".into(),
            ..FleetConfig::default()
        };
        let why = c.password_in_clear(false, "192.0.2.1").unwrap();
        assert!(
            why.contains("fleet.allow_plaintext_password") && why.contains("mqtts://"),
            "{why}"
        );
        assert!(!why.contains("s3cret"), "{why}");
        assert!(
            c.password_in_clear(false, "broker.example").is_some(),
            "names are not trusted"
        );
        assert!(c.password_in_clear(false, "::ffff:192.0.2.1").is_some());
        for here in [
            "127.0.0.1",
            "127.8.9.1",
            "::1",
            "::ffff:127.0.0.1",
            "LOCALHOST",
        ] {
            assert_eq!(c.password_in_clear(false, here), None, "{here}");
        }
        assert_eq!(c.password_in_clear(true, "192.0.2.1"), None, "over TLS");
        c.username.clear();
        assert_eq!(
            c.password_in_clear(false, "192.0.2.1"),
            None,
            "no user name: not sent"
        );
        c.username = "kiosk".into();
        c.allow_plaintext_password = true;
        assert_eq!(c.password_in_clear(false, "192.0.2.1"), None, "allowed");
        // The id bound is checked.
        c.max_command_id_bytes = 0;
        assert_eq!(c.validate().unwrap_err().0, "max_command_id_bytes");
    }
}
