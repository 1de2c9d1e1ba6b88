//! The shared authentication throttle through real processes on loopback: wrong tokens on the socket close the connection and make the address wait (without locking out another address), the admin page's password fallback shares that throttle, Thrift stays off while a token is set unless opted in, and a dual-stack admin page counts IPv4 clients each on their own.

use crate::support;

use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use socket2::{Domain, Socket, Type};
use support::KioskProcess;
use vitrine::remote::Framing;
use vitrine::remote::codec::{Decoded, Decoder, encode};

const TOKEN: &str = "s3cret-token";

/// A TCP connection to `to` whose source address is `from` (Linux routes
/// all of 127/8 to the loopback device, so 127.0.0.2 is a second peer).
fn connect_from(from: &str, to: SocketAddr) -> TcpStream {
    let from: IpAddr = from.parse().unwrap();
    let socket = Socket::new(Domain::for_address(to), Type::STREAM, None).unwrap();
    socket.bind(&SocketAddr::new(from, 0).into()).unwrap();
    socket.connect(&to.into()).unwrap();
    let stream: TcpStream = socket.into();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream
}

/// Sends one request and reads its reply; `None` when the server closed the
/// connection instead.
fn exchange(stream: &mut TcpStream, request: &Value) -> Option<Value> {
    let bytes = serde_json::to_vec(request).unwrap();
    stream.write_all(&encode(Framing::V2, &bytes)).ok()?;
    let mut decoder = Decoder::with_framing(Framing::V2, 1 << 20);
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        if let Ok(Decoded::Frame { start, end }) = decoder.decode(&buf) {
            return serde_json::from_slice(&buf[start..end]).ok();
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

fn request(id: u64, auth: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "method": "whatsLoaded", "auth": auth})
}

/// A kiosk with a token, whose first wait is long enough that no test
/// depends on timing.
fn token_kiosk(extra: &str) -> KioskProcess {
    KioskProcess::start(
        &format!(
            "[state]\nenabled = false\n[remote]\ntoken = \"{TOKEN}\"\n\
             auth_failures_before_close = 3\nauth_delay = \"10m\"\nauth_max_delay = \"1h\"\n{extra}"
        ),
        &[],
    )
}

fn socket_addr(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], port))
}

/// Whether a reply is the throttle's refusal (and not a checked token).
fn is_waiting(reply: &Option<Value>) -> bool {
    match reply {
        None => true,
        Some(r) => {
            r["error"]["code"] == -32001
                && r["error"]["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("try again in"))
        }
    }
}

#[test]
fn wrong_tokens_close_the_connection_and_make_the_address_wait_but_not_another() {
    let kiosk = token_kiosk("");
    let addr = socket_addr(kiosk.port);

    // One connection guessing: answered a few times, then closed.
    let mut guesser = connect_from("127.0.0.2", addr);
    let mut answered = 0;
    for id in 1..=20 {
        match exchange(&mut guesser, &request(id, &format!("guess-{id}"))) {
            Some(r) => {
                assert_eq!(r["error"]["code"], -32001, "{r}");
                answered += 1;
            }
            None => break,
        }
    }
    assert!(
        (1..=3).contains(&answered),
        "the connection is closed after 3 wrong tokens, not after {answered}"
    );

    // A new connection from the same address waits, even with the right
    // token: the secret is not checked while it waits.
    for auth in ["guess-again", TOKEN] {
        let mut again = connect_from("127.0.0.2", addr);
        let reply = exchange(&mut again, &request(1, auth));
        assert!(is_waiting(&reply), "{reply:?}");
    }

    // Another address is not held up by it.
    let mut good = connect_from("127.0.0.1", addr);
    let reply = exchange(&mut good, &request(1, TOKEN)).expect("an answer");
    assert!(reply.get("result").is_some(), "{reply}");

    // The log says so a few times, not once per attempt.
    let log = kiosk.log.lock().unwrap().clone();
    let warnings = log
        .lines()
        .filter(|l| l.contains("WARN") && l.contains("127.0.0.2"))
        .count();
    assert!(warnings <= 2, "{warnings} warnings:\n{log}");
}

/// One admin-page login from `from`, as raw HTTP; the status.
fn admin_login(from: &str, to: SocketAddr, password: &str) -> u16 {
    let mut s = connect_from(from, to);
    let body = json!({ "password": password }).to_string();
    let req = format!(
        "POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).unwrap();
    let mut all = Vec::new();
    let _ = s.read_to_end(&mut all);
    let text = String::from_utf8_lossy(&all);
    text.split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status in {text:?}"))
}

#[test]
fn the_admin_password_fallback_shares_the_sockets_throttle() {
    let kiosk = token_kiosk("");
    let admin = socket_addr(kiosk.logged_port("admin"));
    let addr = socket_addr(kiosk.port);

    // Guesses on the socket make the page wait too, right password or not.
    let mut guesser = connect_from("127.0.0.2", addr);
    for id in 1..=3 {
        exchange(&mut guesser, &request(id, "guess"));
    }
    assert_eq!(admin_login("127.0.0.2", admin, TOKEN), 429);

    // Guesses on the page make the socket wait too.
    for _ in 0..3 {
        let status = admin_login("127.0.0.3", admin, "guess");
        assert!(status == 401 || status == 429, "{status}");
    }
    let mut socket = connect_from("127.0.0.3", addr);
    let reply = exchange(&mut socket, &request(1, TOKEN));
    assert!(is_waiting(&reply), "{reply:?}");

    // Another address logs in with the token.
    assert_eq!(admin_login("127.0.0.1", admin, TOKEN), 200);
}

/// Waits for `needle` in the kiosk's log.
fn logged(kiosk: &KioskProcess, needle: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if kiosk.log.lock().unwrap().contains(needle) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

#[test]
fn thrift_stays_off_while_a_token_is_set_unless_opted_in() {
    let mut kiosk = token_kiosk("");
    assert!(
        logged(&kiosk, "thrift.allow_without_token"),
        "a warning names the key:\n{}",
        kiosk.log.lock().unwrap()
    );
    let log = kiosk.log.lock().unwrap().clone();
    assert!(!log.contains(" thrift="), "thrift listens:\n{log}");
    // The kiosk itself runs on, and the socket answers with the token.
    assert!(kiosk.alive());
    let mut good = connect_from("127.0.0.1", socket_addr(kiosk.port));
    let reply = exchange(&mut good, &request(1, TOKEN)).expect("an answer");
    assert!(reply.get("result").is_some(), "{reply}");

    // Opted in: it listens, and says so loudly.
    let open = token_kiosk("[thrift]\nallow_without_token = true\n");
    let port = open.thrift_port();
    assert!(TcpStream::connect(("127.0.0.1", port)).is_ok());
    let log = open.log.lock().unwrap().clone();
    assert!(
        log.lines()
            .any(|l| l.contains("WARN") && l.contains("thrift.allow_without_token")),
        "{log}"
    );
}

#[test]
fn a_dual_stack_admin_page_counts_each_ipv4_address_on_its_own() {
    if TcpListener::bind("[::1]:0").is_err() {
        eprintln!("skipped: this machine has no IPv6 loopback (::1)");
        return;
    }
    // Plain HTTP, so the test's raw requests count addresses, not
    // handshakes (HTTPS beyond loopback is tests/it/admin_tls.rs's).
    let kiosk = KioskProcess::start(
        "[state]\nenabled = false\n[admin]\nbind = \"::\"\npassword = \"pw\"\n\
         tls = \"off\"\nallow_plain_http = true\n",
        &[],
    );
    let port = kiosk.logged_port("admin");
    let v4 = socket_addr(port);
    if TcpStream::connect(v4).is_err() {
        eprintln!("skipped: \"::\" is not dual-stack here (net.ipv6.bindv6only = 1)");
        return;
    }
    for _ in 0..5 {
        let status = admin_login("127.0.0.2", v4, "guess");
        assert!(status == 401 || status == 429, "{status}");
    }
    assert_eq!(admin_login("127.0.0.2", v4, "pw"), 429);
    assert_eq!(admin_login("127.0.0.1", v4, "pw"), 200);
    let v6 = SocketAddr::new("::1".parse().unwrap(), port);
    assert_eq!(admin_login("::1", v6, "pw"), 200);
}
