//! The admin page's bounds an operator may need to change are keys, and they hold: a head past `admin.max_head_bytes` gets 431 naming the key while the default takes it, a long password (or `remote.token` used as one) can always log in, a zero `admin.write_timeout` is refused at start, and silent connections make room for a real request.

use crate::support;

use support::KioskProcess;
use support::http::{Browser, raw};

/// A request whose head is about 3 KiB: a proxy's cookies and headers.
fn big_head(port: u16) -> Vec<u8> {
    format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Forwarded-Claims: {}\r\n\r\n",
        "c".repeat(3000)
    )
    .into_bytes()
}

#[test]
fn the_head_bound_is_a_key_and_names_itself() {
    let small = KioskProcess::start(
        "[state]\nenabled = false\n[admin]\nmax_head_bytes = 2048\n",
        &[],
    );
    let port = small.logged_port("admin");
    let refused = raw(port, &big_head(port));
    assert_eq!(refused.status, 431);
    let why = refused.json()["error"].as_str().unwrap().to_string();
    assert!(
        why.contains("admin.max_head_bytes") && why.contains("2048"),
        "{why}"
    );

    let default = KioskProcess::start("[state]\nenabled = false\n", &[]);
    let port = default.logged_port("admin");
    assert_eq!(raw(port, &big_head(port)).status, 200);
}

#[test]
fn a_password_longer_than_four_kibibytes_still_logs_in() {
    // Once the login body was bounded at 4 KiB, so this token could never
    // open the page it guards.
    let token = "t".repeat(5000);
    let kiosk = KioskProcess::start(
        &format!("[state]\nenabled = false\n[remote]\ntoken = \"{token}\"\n"),
        &[],
    );
    let port = kiosk.logged_port("admin");
    let mut b = Browser::new(port);
    assert_eq!(b.login("wrong").status, 401);
    let r = b.login(&token);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(b.rpc("whatsLoaded", serde_json::json!({})).status, 200);
}

#[test]
fn a_write_timeout_of_zero_is_refused_at_start() {
    let out = support::run_once(
        "[admin]\nwrite_timeout = \"0s\"\n",
        &["--headless", "--no-demo"],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("admin.write_timeout"), "{err}");
}

#[test]
fn silent_connections_make_room_for_a_real_request() {
    // The admin page admits through the same connection table as the
    // socket: once, two silent sockets from one address held its whole
    // share and a real request got 503.
    let kiosk = KioskProcess::start(
        "[state]\nenabled = false\n[admin]\nmax_connections_per_peer = 2\nread_timeout = \"60s\"\n",
        &[],
    );
    let port = kiosk.logged_port("admin");
    let silent: Vec<_> = (0..2)
        .map(|_| std::net::TcpStream::connect(("127.0.0.1", port)).unwrap())
        .collect();
    // Both are connected before the request: the kernel hands connections
    // to the accept thread in the order they came.
    let r = raw(
        port,
        format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    kiosk.wait_log(&["admin.max_connections_per_peer", "to make room"]);
    drop(silent);
}
