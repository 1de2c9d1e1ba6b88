//! The remote server's bounds against a real headless vitrine on 127.0.0.1: one deadline per message, silent connections, the per-peer cap, the frame cap before auth, and zero timeouts refused.
//!
//! No timing is asserted beyond generous bounds: the tests configure tiny
//! timeouts and check what happens (a reply, a closed connection, a client
//! that is still served).

use crate::support;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::{KioskProcess, temp_dir};
use vitrine::remote::codec::encode;
use vitrine::remote::{Client, ClientError, Framing};

/// Far longer than any bound the tests configure: a server that has not
/// closed a connection by then never will.
const GENEROUS: Duration = Duration::from_secs(20);

fn connect(kiosk: &KioskProcess) -> TcpStream {
    TcpStream::connect(("127.0.0.1", kiosk.port)).unwrap()
}

fn frame(framing: Framing, request: &Value) -> Vec<u8> {
    encode(framing, &serde_json::to_vec(request).unwrap())
}

/// Reads one reply in `framing`, or `None` when the server closed first.
fn reply(s: &mut TcpStream, framing: Framing) -> Option<Value> {
    s.set_read_timeout(Some(GENEROUS)).unwrap();
    let header_len = if framing == Framing::V2 { 12 } else { 4 };
    let mut header = vec![0u8; header_len];
    s.read_exact(&mut header).ok()?;
    let len = match framing {
        Framing::V2 => u32::from_be_bytes([header[4], header[5], header[6], header[7]]),
        Framing::V1 => u32::from_be_bytes([header[0], header[1], header[2], header[3]]),
        Framing::Le => u32::from_le_bytes([header[0], header[1], header[2], header[3]]),
    };
    let mut body = vec![0; len as usize];
    s.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// Whether the server closes `s` within `within`; anything it sends first is
/// read and dropped.
fn closed_by_server(s: &mut TcpStream, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    let mut sink = [0u8; 4096];
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        s.set_read_timeout(Some(left.max(Duration::from_millis(1))))
            .unwrap();
        match s.read(&mut sink) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return true,
        }
    }
    false
}

fn ping(s: &mut TcpStream, id: u64) -> Option<Value> {
    s.write_all(&frame(Framing::V2, &json!({"id": id, "method": "ping"})))
        .ok()?;
    reply(s, Framing::V2)
}

fn token_client(kiosk: &KioskProcess, token: &str) -> Client {
    Client::connect(
        "127.0.0.1",
        kiosk.port,
        Framing::V2,
        Some(token.into()),
        Duration::from_secs(30),
    )
    .unwrap()
}

/// Waits for the kiosk's log to mention `what`.
fn logged(kiosk: &KioskProcess, what: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if kiosk.log.lock().unwrap().contains(what) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// Item 4: one byte every 300 ms used to re-arm the read timeout forever.
/// Now the whole message has `read_timeout` from its first byte.
#[test]
fn a_trickled_message_is_closed_at_its_deadline() {
    let kiosk = KioskProcess::start("[remote]\nread_timeout = \"1s\"\n", &[]);
    let mut s = connect(&kiosk);
    // A first whole message, so only the per-message deadline is at work.
    assert!(ping(&mut s, 1).is_some_and(|r| r["result"]["version"].is_string()));
    // A header that promises 1000 bytes, then one byte every 300 ms.
    let mut header = b"JSN1".to_vec();
    header.extend_from_slice(&1000u32.to_be_bytes());
    header.extend_from_slice(&[0; 4]);
    s.write_all(&header).unwrap();
    let started = Instant::now();
    let mut closed = false;
    while started.elapsed() < GENEROUS {
        if s.write_all(b" ").is_err() || closed_by_server(&mut s, Duration::from_millis(300)) {
            closed = true;
            break;
        }
    }
    assert!(closed, "a trickled frame stayed open for {GENEROUS:?}");
    assert!(logged(&kiosk, "read_timeout"), "the close is logged");
    // The server is fine for everyone else.
    assert_eq!(
        kiosk
            .client(Framing::V1)
            .call("whatsLoaded", json!({}))
            .unwrap(),
        json!("")
    );
}

/// Item 5a: a connection that never sends a whole first message is closed
/// after `first_message_timeout`, however patient its idle timeout.
#[test]
fn a_silent_connection_is_closed_after_the_first_message_timeout() {
    let kiosk = KioskProcess::start("[remote]\nfirst_message_timeout = \"1s\"\n", &[]);
    let mut silent = connect(&kiosk);
    let mut begun = connect(&kiosk);
    begun.write_all(b"JSN1").unwrap();
    assert!(
        closed_by_server(&mut silent, GENEROUS),
        "a silent connection"
    );
    assert!(closed_by_server(&mut begun, GENEROUS), "a half header");
    // A client that speaks at once is not affected, and its connection then
    // lives by the idle timeout: it still answers after the first deadline.
    let mut c = kiosk.client(Framing::V2);
    assert_eq!(c.call("whatsLoaded", json!({})).unwrap(), json!(""));
    std::thread::sleep(Duration::from_millis(2500));
    assert_eq!(c.call("whatsLoaded", json!({})).unwrap(), json!(""));
}

/// Item 5c: a full table of silent connections used to lock every client
/// out. Now the oldest unproven connection makes room.
#[test]
fn silent_connections_make_room_for_a_real_client() {
    let kiosk = KioskProcess::start(
        "[remote]\nmax_connections = 8\nfirst_message_timeout = \"60s\"\n",
        &[],
    );
    let mut silent: Vec<TcpStream> = (0..8).map(|_| connect(&kiosk)).collect();
    // Let the accept thread take all eight before the real client comes.
    std::thread::sleep(Duration::from_millis(500));
    let mut c = kiosk.client(Framing::V2);
    let pong = c.call("ping", json!({})).unwrap();
    assert!(pong["version"].is_string(), "{pong}");
    assert!(
        closed_by_server(&mut silent[0], GENEROUS),
        "the oldest silent connection made room"
    );
    // A proven client is never evicted: eight more silent connections push
    // out silent ones only.
    let more: Vec<TcpStream> = (0..8).map(|_| connect(&kiosk)).collect();
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(c.call("whatsLoaded", json!({})).unwrap(), json!(""));
    drop(more);
}

/// Item 5b: one address cannot hold more than `max_connections_per_peer`.
#[test]
fn one_peer_is_capped() {
    let kiosk = KioskProcess::start(
        "[remote]\nmax_connections_per_peer = 4\nfirst_message_timeout = \"60s\"\n",
        &[],
    );
    // Four proven connections fill this peer's share.
    let mut proven: Vec<TcpStream> = (0..4).map(|_| connect(&kiosk)).collect();
    for (i, s) in proven.iter_mut().enumerate() {
        assert!(ping(s, i as u64).is_some());
    }
    // None of them is evictable, so a fifth is closed at once.
    let mut fifth = connect(&kiosk);
    assert!(
        closed_by_server(&mut fifth, GENEROUS),
        "a fifth connection from one address"
    );
    assert!(
        logged(&kiosk, "max_connections_per_peer"),
        "the refusal is logged"
    );
    for (i, s) in proven.iter_mut().enumerate() {
        assert!(ping(s, 10 + i as u64).is_some(), "proven connection {i}");
    }
    // With one of them gone and a silent one in its place, a real client
    // pushes the silent one out and is served.
    drop(proven.pop());
    std::thread::sleep(Duration::from_millis(500));
    let mut silent = connect(&kiosk);
    std::thread::sleep(Duration::from_millis(500));
    let mut real = connect(&kiosk);
    assert!(ping(&mut real, 99).is_some(), "a real client is served");
    assert!(
        closed_by_server(&mut silent, GENEROUS),
        "the silent one made room"
    );
}

/// Item 6: with a token set, a large frame from a connection that has not
/// authenticated is refused as soon as its first bytes show no token, before
/// the rest is read: the reply comes though the rest was never sent.
#[test]
fn a_large_request_before_auth_is_refused_from_its_header() {
    let token = "s3cret";
    let mut kiosk = KioskProcess::start(&format!("[remote]\ntoken = \"{token}\"\n"), &[]);
    for framing in [Framing::V2, Framing::V1] {
        let mut s = connect(&kiosk);
        // A 100 000-byte request whose first member is not auth: its header
        // and first 16 bytes, and not one byte more. (Its length read
        // little-endian is over the 16 MiB limit, so the header alone says
        // the legacy framing is big-endian.)
        let mut payload = br#"{"id":1,"method":"postHtml","params":{"data":""#.to_vec();
        payload.resize(100_000 - 4, b'x');
        payload.extend_from_slice(br#""}}"#);
        payload.push(b' ');
        let big = encode(framing, &payload);
        let header_len = if framing == Framing::V2 { 12 } else { 4 };
        s.write_all(&big[..header_len + 16]).unwrap();
        let r = reply(&mut s, framing).unwrap_or_else(|| panic!("{framing:?}: no reply"));
        assert_eq!(r["error"]["code"], -32600, "{framing:?}: {r}");
        let message = r["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("before authentication") && message.contains("65536"),
            "{message}"
        );
        assert!(closed_by_server(&mut s, GENEROUS), "{framing:?}: closed");
    }
    // A whole over-size request with the right token at its end is refused
    // too: the server does not read that far before auth.
    let page = format!("<p>{}</p>", "x".repeat(200_000));
    let params = json!({"name": "big", "data": page});
    let auth_last = format!(r#"{{"id":1,"method":"postHtml","params":{params},"auth":"{token}"}}"#);
    let mut s = connect(&kiosk);
    s.write_all(&encode(Framing::V2, auth_last.as_bytes()))
        .unwrap();
    let r = reply(&mut s, Framing::V2).expect("a reply");
    assert_eq!(r["error"]["code"], -32600, "{r}");
    // With the token as its first member, the server sees it within the
    // first bytes, and the large request is served on a new connection, as
    // `vitrine ctl` sends it.
    let auth_first =
        format!(r#"{{"auth":"{token}","id":2,"method":"postHtml","params":{params}}}"#);
    let mut s = connect(&kiosk);
    s.write_all(&encode(Framing::V2, auth_first.as_bytes()))
        .unwrap();
    let r = reply(&mut s, Framing::V2).expect("a reply");
    assert_eq!(r["result"]["status"], "SUCCESS", "{r}");
    let wrong_first = auth_first.replace(token, "guess!");
    let mut s = connect(&kiosk);
    s.write_all(&encode(Framing::V2, wrong_first.as_bytes()))
        .unwrap();
    let r = reply(&mut s, Framing::V2).expect("a reply");
    assert_eq!(r["error"]["code"], -32600, "{r}");
    let file = temp_dir("pre-auth").join("big.html");
    std::fs::write(&file, &page).unwrap();
    let ctl = support::ctl(
        kiosk.port,
        &[
            "--token",
            token,
            "post-html",
            "ctl-big",
            file.to_str().unwrap(),
        ],
    );
    assert!(
        ctl.status.success(),
        "{}",
        String::from_utf8_lossy(&ctl.stderr)
    );
    // After a small authenticated request, the same page is accepted on
    // that connection.
    let mut c = token_client(&kiosk, token);
    assert!(c.call("ping", json!({})).is_ok());
    let r = c
        .call("postHtml", json!({"name": "big", "data": page}))
        .unwrap();
    assert_eq!(r["status"], "SUCCESS", "{r}");
    // A wrong token keeps the small limit, and gets -32001 for small requests.
    let mut wrong = token_client(&kiosk, "guess");
    match wrong.call("ping", json!({})) {
        Err(ClientError::Rpc { code, .. }) => assert_eq!(code, -32001),
        other => panic!("{other:?}"),
    }
    assert!(
        wrong
            .call("postHtml", json!({"name": "big", "data": page}))
            .is_err()
    );
    assert_eq!(c.call("whatsLoaded", json!({})).unwrap(), json!("big"));
    assert!(kiosk.alive());
}

/// Item 12: a zero timeout used to turn the bound off silently; now the
/// config is refused with exit code 2, naming the key and its line.
#[test]
fn zero_timeouts_are_refused_naming_key_and_line() {
    for (section, key) in [
        ("remote", "read_timeout"),
        ("remote", "first_message_timeout"),
        ("remote", "idle_timeout"),
        ("remote", "load_timeout"),
        ("html", "render_timeout"),
        ("content", "fetch_timeout"),
    ] {
        let out = support::run_once(
            &format!("[{section}]\n\n{key} = \"0s\"\n"),
            &["--print-config"],
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{section}.{key}: {err}");
        assert!(
            err.contains(&format!("{section}.{key}")) && err.contains("line 3"),
            "{section}.{key}: {err}"
        );
    }
}
