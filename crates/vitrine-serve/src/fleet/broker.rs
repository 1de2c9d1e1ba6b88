//! The connection options for the broker: its address from `fleet.broker`, credentials, the last will, packet bounds and TLS (rustls with ring, trusting `fleet.ca_file` or the system's authorities).

use std::path::Path;
use std::sync::Arc;

use rumqttc::{LastWill, MqttOptions, QoS, TlsConfiguration, Transport};

use super::topics::Topics;
use vitrine_api::events::BusError;
use vitrine_config::FleetConfig;

/// Why the fleet link could not start.
#[derive(Debug, thiserror::Error)]
pub enum FleetError {
    #[error("fleet.broker {0}")]
    Broker(String),
    #[error("fleet TLS: {0}")]
    Tls(String),
    /// The password would cross the network in clear; the message says
    /// how to fix it.
    #[error("{0}")]
    Cleartext(String),
    #[error("fleet events: {0}")]
    Events(#[from] BusError),
    #[error("cannot start a fleet thread: {0}")]
    Thread(#[from] std::io::Error),
}

/// The options to connect kiosk `topics.id()` with; `will` is the retained
/// status the broker publishes when the kiosk vanishes.
pub fn options(
    config: &FleetConfig,
    topics: &Topics,
    will: Vec<u8>,
) -> Result<MqttOptions, FleetError> {
    let mut o = client_options(config, &format!("vitrine-{}", topics.id()))?;
    // The broker keeps the session while the kiosk is away, so a command
    // sent during a short outage is delivered when it is back (QoS 1), and
    // a command is acked only once answered.
    o.set_clean_session(false);
    o.set_manual_acks(true);
    o.set_last_will(LastWill::new(topics.status(), will, QoS::AtLeastOnce, true));
    Ok(o)
}

/// The options any fleet client (a kiosk, `vitrine ctl --fleet`) connects
/// with as `client_id`: address, credentials, bounds and TLS.
pub fn client_options(config: &FleetConfig, client_id: &str) -> Result<MqttOptions, FleetError> {
    let (tls, host, port) = address(&config.broker)?;
    // Refused before anything is sent: not even a connection is tried.
    if let Some(why) = config.password_in_clear(tls, &host) {
        return Err(FleetError::Cleartext(why));
    }
    let mut o = MqttOptions::new(client_id, host, port);
    o.set_keep_alive(config.keep_alive);
    // Room for one payload over the bound, so it can be answered with a
    // clear error rather than dropping the connection.
    let incoming = config
        .max_payload_bytes
        .saturating_mul(2)
        .saturating_add(64 * 1024);
    o.set_max_packet_size(incoming, incoming.max(16 * 1024 * 1024));
    o.set_request_channel_capacity(256);
    if !config.username.is_empty() {
        o.set_credentials(config.username.clone(), config.password.clone());
    }
    if tls {
        o.set_transport(Transport::tls_with_config(TlsConfiguration::Rustls(
            client_config(&config.ca_file)?,
        )));
    }
    Ok(o)
}

/// The largest packet a fleet client reads or sends: room for one payload
/// over `fleet.max_payload_bytes`, so it can be answered with a clear error
/// rather than a dropped connection.
pub fn max_packet(config: &FleetConfig) -> usize {
    config
        .max_payload_bytes
        .saturating_mul(2)
        .saturating_add(64 * 1024)
}

/// A client and its connection for `options`, with Nagle's algorithm off:
/// replies and commands are small and should leave at once.
pub fn connect(options: MqttOptions, cap: usize) -> (rumqttc::Client, rumqttc::Connection) {
    let (client, mut connection) = rumqttc::Client::new(options, cap);
    let mut net = rumqttc::NetworkOptions::new();
    net.set_tcp_nodelay(true);
    net.set_connection_timeout(10);
    connection.eventloop.set_network_options(net);
    (client, connection)
}

/// `(tls, host, port)` of an `mqtt://` or `mqtts://` URL.
pub fn address(broker: &str) -> Result<(bool, String, u16), FleetError> {
    let bad = |why: &str| FleetError::Broker(format!("{broker:?}: {why}"));
    let url = url::Url::parse(broker).map_err(|e| bad(&e.to_string()))?;
    let tls = match url.scheme() {
        "mqtt" => false,
        "mqtts" => true,
        _ => return Err(bad("the scheme must be mqtt or mqtts")),
    };
    // Credentials here would be ignored (they go in fleet.username and
    // fleet.password); `vitrine ctl --broker` comes here too.
    if !url.username().is_empty() || url.password().is_some() {
        return Err(FleetError::Broker(
            "must not hold a user name or password (user:password@): put them in fleet.username and fleet.password".into(),
        ));
    }
    let host = url
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| bad("no host"))?;
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();
    let port = url.port().unwrap_or(if tls { 8883 } else { 1883 });
    Ok((tls, host, port))
}

/// A TLS client trusting the authorities in `ca_file`, or the system's.
fn client_config(ca_file: &Path) -> Result<Arc<rustls::ClientConfig>, FleetError> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;

    let tls = |why: String| FleetError::Tls(why);
    let mut roots = rustls::RootCertStore::empty();
    if ca_file.as_os_str().is_empty() {
        let found = rustls_native_certs::load_native_certs();
        let (added, _) = roots.add_parsable_certificates(found.certs);
        if added == 0 {
            return Err(tls(
                "no system certificate authorities found (install ca-certificates, or set fleet.ca_file)".into(),
            ));
        }
    } else {
        let certs = CertificateDer::pem_file_iter(ca_file)
            .map_err(|e| tls(format!("{}: {e}", ca_file.display())))?;
        for cert in certs {
            let cert = cert.map_err(|e| tls(format!("{}: {e}", ca_file.display())))?;
            roots
                .add(cert)
                .map_err(|e| tls(format!("{}: {e}", ca_file.display())))?;
        }
        if roots.is_empty() {
            return Err(tls(format!("{}: no certificate in it", ca_file.display())));
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| tls(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broker_addresses_take_their_default_ports() {
        assert_eq!(
            address("mqtt://127.0.0.1").unwrap(),
            (false, "127.0.0.1".into(), 1883)
        );
        assert_eq!(
            address("mqtts://broker.example:9000").unwrap(),
            (true, "broker.example".into(), 9000)
        );
        assert_eq!(
            address("mqtts://[::1]").unwrap(),
            (true, "::1".into(), 8883)
        );
        assert!(address("http://x").is_err());
        assert!(address("mqtt://").is_err());
        let e = address("mqtt://kiosk:s3cret@broker.example").unwrap_err();
        assert!(e.to_string().contains("fleet.username"), "{e}");
        assert!(!e.to_string().contains("s3cret"), "{e}");
    }

    #[test]
    fn a_password_in_clear_to_another_machine_gets_no_options() {
        let mut c = FleetConfig {
            broker: "mqtt://192.0.2.1:1883".into(),
            username: "kiosk".into(),
            password: "s3cret".into(),
            ..FleetConfig::default()
        };
        let e = client_options(&c, "t").unwrap_err();
        assert!(matches!(e, FleetError::Cleartext(_)), "{e}");
        c.broker = "mqtt://[::1]:1883".into();
        assert!(client_options(&c, "t").is_ok(), "loopback");
    }

    #[test]
    fn a_missing_ca_file_is_a_clear_error() {
        let e = client_config(Path::new("/nonexistent/ca.pem")).unwrap_err();
        assert!(e.to_string().contains("/nonexistent/ca.pem"), "{e}");
    }
}
