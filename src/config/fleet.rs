//! `[fleet]`: the MQTT link to a broker shared by many kiosks: where the broker is, who this kiosk is, and the bounds on what it takes and keeps.

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::scene::duration;

/// `[fleet]`: commands, replies, events, status and desired state through
/// an MQTT broker the kiosk connects out to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FleetConfig {
    /// Connect to the broker.
    pub enabled: bool,
    /// `mqtt://host[:port]` (1883 by default) or `mqtts://host[:port]`
    /// (TLS, 8883 by default).
    pub broker: String,
    /// This kiosk's name in topics; empty means the host name. Letters,
    /// digits, `-`, `_` and `.` only, and not `all` or `group`.
    pub kiosk_id: String,
    /// The groups whose commands and desired state this kiosk takes, such
    /// as `["store-12", "window-displays"]` (same characters as the id).
    pub groups: Vec<String>,
    /// The broker's user name; empty sends none.
    pub username: String,
    /// The broker's password (sent only with a user name).
    pub password: String,
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
            ca_file: PathBuf::new(),
            keep_alive: Duration::from_secs(30),
            reconnect_max: Duration::from_secs(60),
            max_payload_bytes: 4 * 1024 * 1024,
            max_queued_commands: 64,
            remembered_ids: 1024,
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

impl FleetConfig {
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
}
