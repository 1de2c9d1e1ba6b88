//! The doctor's admin page check: whether the page is carried over HTTPS or plain HTTP, and the certificate's SHA-256 fingerprint that a manager compares with the browser's before trusting it.

use std::net::IpAddr;

use super::report::Check;
use crate::config::Config;

/// How the admin page would be served, and with which certificate. Reads
/// the certificate; never makes one.
pub fn admin_page(config: &Config) -> Check {
    let a = &config.admin;
    if !a.enabled {
        return Check::ok("admin", "the admin page is off (admin.enabled = false)");
    }
    let loopback = a
        .bind
        .trim()
        .parse::<IpAddr>()
        .is_ok_and(|ip| ip.is_loopback());
    if !a.tls.applies(loopback) {
        return plain(a.bind.trim(), loopback, a.allow_plain_http);
    }
    if !a.tls_cert.as_os_str().is_empty() {
        return match crate::admin::fingerprint_of(&a.tls_cert) {
            Ok(f) => Check::ok(
                "admin",
                format!(
                    "HTTPS with {}; SHA-256 fingerprint {f}",
                    a.tls_cert.display()
                ),
            ),
            Err(e) => Check::warn(
                "admin",
                format!(
                    "admin.tls_cert {} cannot be read: {e}; the page would stay off",
                    a.tls_cert.display()
                ),
                "point admin.tls_cert and admin.tls_key at a readable PEM certificate and key",
            ),
        };
    }
    let Some(dir) = config.state.resolve_dir() else {
        return Check::warn(
            "admin",
            "HTTPS needs a self-signed certificate, and there is no state folder to keep it in; the page would stay off",
            "set state.dir, or admin.tls_cert and admin.tls_key",
        );
    };
    let path = crate::admin::self_signed_path(&dir);
    match crate::admin::fingerprint_of(&path) {
        Ok(f) => Check::ok(
            "admin",
            format!(
                "HTTPS with the self-signed {}; SHA-256 fingerprint {f}",
                path.display()
            ),
        ),
        Err(_) => Check::ok(
            "admin",
            format!(
                "HTTPS with a self-signed certificate, made at the first start in {}; its fingerprint is logged then",
                path.display()
            ),
        ),
    }
}

fn plain(bind: &str, loopback: bool, allowed: bool) -> Check {
    if loopback {
        return Check::ok("admin", format!("plain HTTP on {bind}, this machine only"));
    }
    if allowed {
        return Check::warn(
            "admin",
            format!("plain HTTP on {bind}: anyone on the network can read the page's password"),
            "set admin.tls = \"auto\", unless a TLS proxy on another machine carries the page",
        );
    }
    Check::missing(
        "admin",
        format!(
            "plain HTTP on {bind} is refused at start: the password would cross the network in clear"
        ),
        "set admin.tls = \"auto\" (the default), or admin.allow_plain_http = true",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::TlsMode;
    use crate::doctor::report::Verdict;

    #[test]
    fn plain_http_on_the_network_is_reported_and_loopback_is_fine() {
        let mut c = Config::default();
        c.admin.tls = TlsMode::Off;
        assert_eq!(admin_page(&c).verdict, Verdict::Ok);
        c.admin.bind = "0.0.0.0".into();
        let check = admin_page(&c);
        assert_eq!(check.verdict, Verdict::Missing, "{}", check.detail);
        assert!(check.detail.contains("refused"), "{}", check.detail);
        c.admin.allow_plain_http = true;
        assert_eq!(admin_page(&c).verdict, Verdict::Warn);
    }

    #[test]
    fn a_kept_certificate_is_shown_by_its_fingerprint() {
        let dir = std::env::temp_dir().join(format!("vitrine-doctor-tls-{}", std::process::id()));
        let mut c = Config::default();
        c.state.dir = dir.clone();
        c.admin.tls = TlsMode::On;
        assert!(admin_page(&c).detail.contains("made at the first start"));
        let made =
            crate::admin::self_signed(&dir, &["localhost".into()], std::time::SystemTime::now())
                .unwrap();
        let check = admin_page(&c);
        assert_eq!(check.verdict, Verdict::Ok);
        assert!(check.detail.contains(&made.fingerprint), "{}", check.detail);
        let _ = std::fs::remove_dir_all(dir);
    }
}
