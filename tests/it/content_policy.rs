//! The content policy's address rules through real sockets: link-local and unspecified addresses are refused (as URL hosts, and after a redirect) even with `content.allowed_hosts` empty, unless the list names them; store LAN and loopback addresses stay allowed.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use vitrine::config::ContentConfig;
use vitrine::content::{FetchError, Policy};

/// A real HTTP server on `ip`, answering every request with `body`, or with
/// a redirect to `redirect` when one is given; counts its requests.
fn serve(ip: &str, body: &'static [u8], redirect: Option<String>) -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind((ip, 0)).unwrap();
    let port = listener.local_addr().unwrap().port();
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            counted.fetch_add(1, Ordering::SeqCst);
            answer(stream, body, redirect.as_deref());
        }
    });
    (port, hits)
}

fn answer(mut stream: TcpStream, body: &[u8], redirect: Option<&str>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
    }
    let head = match redirect {
        Some(to) => format!("HTTP/1.1 302 Found\r\nLocation: {to}\r\nContent-Length: 0\r\n"),
        None => format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n",
            body.len()
        ),
    };
    let _ = stream.write_all(format!("{head}Connection: close\r\n\r\n").as_bytes());
    if redirect.is_none() {
        let _ = stream.write_all(body);
    }
}

fn policy(hosts: &[&str]) -> Policy {
    let config = ContentConfig {
        allowed_hosts: hosts.iter().map(|h| h.to_string()).collect(),
        fetch_timeout: Duration::from_secs(2),
        ..ContentConfig::default()
    };
    vitrine::settings::policy(&config, None)
}

fn forbidden(result: Result<impl Sized, FetchError>, kind: &str) -> String {
    match result {
        Err(FetchError::Forbidden(m))
            if m.contains(kind) && m.contains("content.allowed_hosts") =>
        {
            m
        }
        Err(e) => panic!("expected a {kind} refusal, got {e:?}"),
        Ok(_) => panic!("expected a {kind} refusal, but it was fetched"),
    }
}

/// The cloud metadata address is refused by the policy before any
/// connection, in its usual and its IPv4-mapped spelling.
#[test]
fn link_local_metadata_address_is_refused() {
    let any = policy(&[]);
    let m = forbidden(
        any.fetch("http://169.254.169.254/latest/meta-data/"),
        "link-local",
    );
    assert!(m.contains("169.254.169.254"), "{m}");
    forbidden(any.fetch("http://[::ffff:169.254.169.254]/"), "link-local");
    forbidden(any.fetch("http://[fe80::1]/"), "link-local");
}

/// A server really listens on 0.0.0.0, so a refusal is the policy's and not
/// a refused connection. Named in `allowed_hosts`, it is fetched.
#[test]
fn unspecified_address_is_refused_unless_named() {
    let (port, hits) = serve("0.0.0.0", b"inside the kiosk", None);
    let url = format!("http://0.0.0.0:{port}/secret");
    forbidden(policy(&[]).fetch(&url), "unspecified");
    // With other hosts listed, it is refused too, as a host not listed.
    assert!(matches!(
        policy(&["10.0.0.5"]).fetch(&url),
        Err(FetchError::Forbidden(_))
    ));
    // Loopback reaches the same server: it is allowed.
    let (_, _, body) = policy(&[])
        .fetch(&format!("http://127.0.0.1:{port}/ok"))
        .unwrap();
    assert_eq!(body, b"inside the kiosk");
    assert_eq!(
        hits.load(Ordering::SeqCst),
        1,
        "only the allowed fetch connected"
    );
    let (_, _, body) = policy(&["0.0.0.0"]).fetch(&url).unwrap();
    assert_eq!(body, b"inside the kiosk");
    assert_eq!(hits.load(Ordering::SeqCst), 2);
}

/// An allowed server that redirects to an unspecified address does not get
/// the kiosk there.
#[test]
fn a_redirect_to_a_refused_address_is_refused() {
    let (target, hits) = serve("0.0.0.0", b"secret", None);
    let (port, _) = serve(
        "127.0.0.1",
        b"",
        Some(format!("http://0.0.0.0:{target}/secret")),
    );
    forbidden(
        policy(&[]).fetch(&format!("http://127.0.0.1:{port}/promo")),
        "unspecified",
    );
    assert_eq!(hits.load(Ordering::SeqCst), 0);
}

/// A name is checked on the addresses it resolves to (a name resolving
/// to a refused address is the resolver's unit test in `content::addr`);
/// `localhost` resolves to loopback, which stays allowed.
#[test]
fn a_name_resolving_to_allowed_addresses_connects() {
    let (port, _) = serve("127.0.0.1", b"hello", None);
    let (_, _, body) = policy(&[])
        .fetch(&format!("http://localhost:{port}/"))
        .unwrap();
    assert_eq!(body, b"hello");
}
