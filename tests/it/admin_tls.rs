//! The admin page over HTTPS: on any address but loopback it is served with TLS (a self-signed certificate made once in the state folder and kept across restarts, its fingerprint logged and shown by `vitrine doctor`, or a configured one), its cookie is `Secure`, plain HTTP gets a redirect, and plain HTTP on the network is refused unless allowed.

use crate::support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use support::http::raw;
use support::{KioskProcess, temp_dir};

/// One request over TLS to 127.0.0.1:`port`, trusting only the certificate
/// in `cert` (PEM), as a manager's browser does once told to; the response
/// whole, head and body.
fn https(port: u16, cert: &Path, request: &str) -> Result<String, String> {
    let mut roots = rustls::RootCertStore::empty();
    for c in CertificateDer::pem_file_iter(cert).unwrap() {
        roots.add(c.unwrap()).unwrap();
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = ServerName::try_from("127.0.0.1").unwrap();
    let conn = rustls::ClientConnection::new(Arc::new(config), name).unwrap();
    let tcp = TcpStream::connect(("127.0.0.1", port)).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    tls.write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut all = Vec::new();
    tls.read_to_end(&mut all).map_err(|e| e.to_string())?;
    Ok(String::from_utf8_lossy(&all).into_owned())
}

fn login_request(port: u16, password: &str) -> String {
    let body = format!("{{\"password\":\"{password}\"}}");
    format!(
        "POST /api/login HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
}

fn fingerprint_logged(kiosk: &KioskProcess) -> String {
    let log = kiosk.log.lock().unwrap().clone();
    log.lines()
        .find_map(|l| l.split("fingerprint=").nth(1))
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no fingerprint in the log:\n{log}"))
        .to_string()
}

fn on_every_address(state: &Path) -> String {
    format!(
        "[admin]\nbind = \"0.0.0.0\"\npassword = \"s3cret\"\n[state]\ndir = {:?}\n",
        state.display().to_string()
    )
}

#[test]
fn on_the_network_the_page_is_https_with_a_kept_certificate_and_a_secure_cookie() {
    let state = temp_dir("admin-tls-auto").join("state");
    let kiosk = KioskProcess::start(&on_every_address(&state), &[]);
    let port = kiosk.logged_port("admin");
    let cert = vitrine::admin::self_signed_path(&state);
    let fingerprint = fingerprint_logged(&kiosk);
    assert_eq!(vitrine::admin::fingerprint_of(&cert).unwrap(), fingerprint);
    assert!(
        kiosk
            .log
            .lock()
            .unwrap()
            .contains("made a new self-signed certificate")
    );

    let answer = https(port, &cert, &login_request(port, "s3cret")).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let cookie = answer
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))
        .unwrap_or_else(|| panic!("no cookie in {answer}"));
    assert!(cookie.contains("; Secure"), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");

    // Plain HTTP to the same port is sent to HTTPS, with nothing served.
    let plain = raw(
        port,
        format!("GET /api/session?x=1 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").as_bytes(),
    );
    assert_eq!(plain.status, 308);
    assert_eq!(
        plain.header("location"),
        Some(format!("https://127.0.0.1:{port}/api/session?x=1").as_str())
    );
    // A certificate it was not told to trust is refused by the client.
    let other = temp_dir("admin-tls-other");
    let stranger =
        vitrine::admin::self_signed(&other, &["127.0.0.1".into()], std::time::SystemTime::now())
            .unwrap();
    let refused = https(port, &stranger.path, &login_request(port, "s3cret"));
    assert!(refused.is_err(), "{refused:?}");
    drop(kiosk);

    // The next start serves the same certificate: nothing to trust again.
    let again = KioskProcess::start(&on_every_address(&state), &[]);
    let port = again.logged_port("admin");
    assert_eq!(fingerprint_logged(&again), fingerprint);
    assert!(!again.log.lock().unwrap().contains("made a new"));
    let answer = https(port, &cert, &login_request(port, "wrong")).unwrap();
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");

    // `vitrine doctor` shows the fingerprint a manager compares.
    let out = support::run_once(&on_every_address(&state), &["--headless", "doctor"]);
    let table = String::from_utf8_lossy(&out.stdout);
    let row = table
        .lines()
        .find(|l| l.split("  ").next().map(str::trim) == Some("admin"))
        .unwrap_or_else(|| panic!("no admin row in:\n{table}"));
    assert!(row.contains(&fingerprint), "{row}");
}

#[test]
fn plain_http_on_the_network_is_refused_unless_allowed() {
    let out = support::run_once(
        "[admin]\nbind = \"0.0.0.0\"\npassword = \"s3cret\"\ntls = \"off\"\n",
        &[
            "--headless",
            "--no-demo",
            "--remote-port",
            "0",
            "--thrift-port",
            "0",
            "--admin-port",
            "0",
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("admin.allow_plain_http"), "{err}");

    let allowed = KioskProcess::start(
        "[admin]\nbind = \"0.0.0.0\"\npassword = \"s3cret\"\ntls = \"off\"\nallow_plain_http = true\n",
        &[],
    );
    let port = allowed.logged_port("admin");
    let reply = raw(port, login_request(port, "s3cret").as_bytes());
    assert_eq!(reply.status, 200);
    assert!(!reply.header("set-cookie").unwrap().contains("Secure"));
}

#[test]
fn a_configured_certificate_is_served_and_a_broken_one_leaves_only_the_page_off() {
    let dir = temp_dir("admin-tls-configured");
    let made = vitrine::admin::self_signed(
        &dir.join("ca"),
        &["127.0.0.1".into()],
        std::time::SystemTime::now(),
    )
    .unwrap();
    let key = made.path.with_file_name("key.pem");
    let config = format!(
        "[admin]\ntls = \"on\"\ntls_cert = {:?}\ntls_key = {:?}\n",
        made.path.display().to_string(),
        key.display().to_string()
    );
    let kiosk = KioskProcess::start(&config, &[]);
    let port = kiosk.logged_port("admin");
    assert_eq!(fingerprint_logged(&kiosk), made.fingerprint);
    let answer = https(
        port,
        &made.path,
        &format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"),
    )
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("<html"), "{answer}");
    drop(kiosk);

    // A key that cannot be read: the page stays off, the kiosk serves on.
    let broken = config.replace("key.pem", "missing-key.pem");
    let mut kiosk = KioskProcess::start(&broken, &[]);
    let mut client = kiosk.client(vitrine::remote::Framing::V2);
    assert!(client.call("ping", serde_json::json!({})).is_ok());
    assert!(kiosk.alive());
    let log = kiosk.log.lock().unwrap().clone();
    assert!(
        log.contains("admin.tls_key") && log.contains("admin page disabled"),
        "{log}"
    );
}
