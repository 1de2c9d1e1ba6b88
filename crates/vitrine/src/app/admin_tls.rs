//! Whether the admin page is served over HTTPS in this run, and with which certificate: the configured one, or the self-signed one in the state folder, naming every address and name the kiosk answers to.

use std::net::IpAddr;
use std::time::SystemTime;

use crate::admin::{CertError, Certificate, Security};
use crate::config::Config;

/// The page's carriage for `config`: TLS when `admin.tls` asks for it on
/// this bind, with its certificate and its fingerprint logged.
pub fn security(config: &Config) -> Result<Security, CertError> {
    let a = &config.admin;
    let loopback = a
        .bind
        .trim()
        .parse::<IpAddr>()
        .is_ok_and(|ip| ip.is_loopback());
    let security = Security {
        tls: None,
        allow_plain_http: a.allow_plain_http,
    };
    if !a.tls.applies(loopback) {
        return Ok(security);
    }
    let cert = certificate(config)?;
    let tls = crate::admin::server_config(&cert).map_err(|e| CertError::Cert {
        path: cert.path.clone(),
        reason: e.to_string(),
    })?;
    if cert.made {
        tracing::warn!(
            fingerprint = %cert.fingerprint,
            file = %cert.path.display(),
            "admin page: made a new self-signed certificate; a manager's browser must trust it again \
             (check this fingerprint against the browser's)"
        );
    } else {
        tracing::info!(fingerprint = %cert.fingerprint, file = %cert.path.display(), "admin page: certificate");
    }
    Ok(Security {
        tls: Some(tls),
        ..security
    })
}

/// The configured certificate, or the self-signed one.
pub fn certificate(config: &Config) -> Result<Certificate, CertError> {
    let a = &config.admin;
    if !a.tls_cert.as_os_str().is_empty() {
        return crate::admin::configured(&a.tls_cert, &a.tls_key);
    }
    let dir = config.state.resolve_dir().ok_or(CertError::NoStateDir)?;
    crate::admin::self_signed(&dir, &names(config), SystemTime::now())
}

/// What a self-signed certificate names: `localhost` and loopback, the
/// machine's host name, the bound address (or, on every address, each of
/// the machine's but link-local ones), and `admin.allowed_hosts`. Sorted,
/// so the same machine asks for the same list every time.
pub fn names(config: &Config) -> Vec<String> {
    let mut names: Vec<String> = vec!["localhost".into(), "127.0.0.1".into(), "::1".into()];
    if let Some(host) = host_name() {
        names.push(format!("{host}.local"));
        names.push(host);
    }
    match config.admin.bind.trim().parse::<IpAddr>() {
        Ok(ip) if ip.is_unspecified() => {
            let own = if_addrs::get_if_addrs().unwrap_or_default();
            names.extend(
                own.iter()
                    .map(|i| i.ip())
                    .filter(|ip| ip.is_ipv4() || !ip.is_unspecified())
                    .map(|ip| ip.to_string()),
            );
        }
        Ok(ip) => names.push(ip.to_string()),
        Err(_) => {}
    }
    names.extend(
        config
            .admin
            .allowed_hosts
            .iter()
            .filter(|h| dns_name(h))
            .cloned(),
    );
    names.sort();
    names.dedup();
    names
}

/// The kernel's host name, when it is one a certificate can carry.
fn host_name() -> Option<String> {
    let name = std::fs::read_to_string("/proc/sys/kernel/hostname").ok()?;
    let name = name.trim().to_ascii_lowercase();
    dns_name(&name).then_some(name)
}

/// Letters, digits, hyphens and dots, as a DNS name in a certificate has.
fn dns_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 253
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
}
