//! The Thrift endpoint through a real process and Apache Thrift's Rust protocols as the client: all four methods over binary and compact, buffered and framed; the JSON socket and Thrift agree after every step; unknown methods and malformed messages get their exceptions; hostile bytes never disturb a good client.

use crate::support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use serde_json::json;
use support::thrift::{Arg, Client, FORBIDDEN, NOT_FOUND, SUCCESS, WIRES, Wire, header};
use support::{KioskProcess, temp_dir};
use thrift::protocol::{TBinaryInputProtocol, TInputProtocol, TMessageType};
use vitrine::remote::Framing;

fn kiosk(name: &str) -> (KioskProcess, std::path::PathBuf) {
    let dir = temp_dir(name);
    vitrine::pixels::Rgba8Image::filled(40, 30, [10, 200, 30, 255])
        .save_png(&dir.join("a.png"))
        .unwrap();
    let config = format!(
        "[content]\nroots = [{:?}]\n[state]\nenabled = false\n",
        dir.display().to_string()
    );
    (KioskProcess::start(&config, &[]), dir)
}

#[test]
fn every_wire_serves_the_four_methods_and_agrees_with_the_json_socket() {
    let (kiosk, dir) = kiosk("thrift-wires");
    let port = kiosk.thrift_port();
    let mut json = kiosk.client(Framing::V2);
    let png = vitrine::content::file_uri(&dir.join("a.png"));
    let agree = |json: &mut vitrine::remote::Client, t: &mut Client| {
        let name = json.call("whatsLoaded", json!({})).unwrap();
        let url = json.call("currentUrl", json!({})).unwrap();
        assert_eq!(json!(t.text("whatsLoaded")), name);
        assert_eq!(json!(t.text("currentUrl")), url);
    };
    for (n, wire) in WIRES.into_iter().enumerate() {
        let mut t = Client::connect(port, wire);
        agree(&mut json, &mut t);
        // A posted page becomes whatsLoaded.
        let card = format!("card{n}");
        let html = format!("<h1>{wire:?}</h1>");
        let r = t.push(
            "postHtml",
            &[Arg::Str(1, &card), Arg::Str(2, &html), Arg::I32(4, 320)],
        );
        assert_eq!(r, SUCCESS, "{wire:?}");
        assert_eq!(t.text("whatsLoaded"), card);
        assert_eq!(t.text("currentUrl"), "");
        agree(&mut json, &mut t);
        // A fetched file becomes currentUrl.
        let pic = format!("pic{n}");
        assert_eq!(
            t.push("fetchUrl", &[Arg::Str(1, &pic), Arg::Str(2, &png)]),
            SUCCESS
        );
        assert_eq!(t.text("whatsLoaded"), pic);
        assert_eq!(t.text("currentUrl"), png);
        agree(&mut json, &mut t);
        // The JSON socket's change shows through Thrift too.
        let r = json
            .call(
                "postHtml",
                json!({"name": format!("j{n}"), "data": "<p>j</p>"}),
            )
            .unwrap();
        assert_eq!(r["status"], "SUCCESS");
        agree(&mut json, &mut t);
        // Refusals, with the IDL's statuses.
        let passwd = "file:///etc/passwd";
        assert_eq!(
            t.push("fetchUrl", &[Arg::Str(1, "x"), Arg::Str(2, passwd)]),
            FORBIDDEN
        );
        let missing = vitrine::content::file_uri(&dir.join("missing.png"));
        assert_eq!(
            t.push("fetchUrl", &[Arg::Str(1, "x"), Arg::Str(2, &missing)]),
            NOT_FOUND
        );
        // An unknown method: an exception, and the connection goes on.
        let e = t.call("reboot", None).unwrap_err();
        assert!(e.contains("UnknownMethod"), "{e}");
        assert_eq!(t.text("whatsLoaded"), format!("j{n}"));
    }
}

/// Sends raw bytes on a new connection and returns what comes back before
/// the server closes it (or 2 s pass).
fn raw(port: u16, bytes: &[u8]) -> Vec<u8> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    let _ = s.write_all(bytes);
    let mut back = Vec::new();
    let _ = s.read_to_end(&mut back);
    back
}

#[test]
fn hostile_bytes_never_disturb_a_good_client() {
    let (kiosk, _dir) = kiosk("thrift-abuse");
    let port = kiosk.thrift_port();
    let mut good = Client::connect(port, Wire::BinaryBuffered);
    assert_eq!(good.text("whatsLoaded"), "");

    // Garbage first bytes: closed without an answer.
    assert!(raw(port, b"GET / HTTP/1.1\r\n\r\n").is_empty());
    assert!(raw(port, &[0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 0]).is_empty());
    // A string of 2^31-1 bytes declared: refused as its length is read,
    // with a PROTOCOL_ERROR exception.
    let mut huge = header("fetchUrl", 11);
    huge.extend_from_slice(&0x7fff_ffffu32.to_be_bytes());
    let back = raw(port, &huge);
    assert!(!back.is_empty(), "an exception comes back");
    let mut i = TBinaryInputProtocol::new(&back[..], true);
    let m = i.read_message_begin().unwrap();
    assert_eq!(m.message_type, TMessageType::Exception);
    let e = thrift::Error::read_application_error_from_in_protocol(&mut i).unwrap();
    assert_eq!(e.kind, thrift::ApplicationErrorKind::ProtocolError, "{e:?}");
    // A list of a billion elements declared and never sent.
    let mut list = header("fetchUrl", 15);
    list.push(11);
    list.extend_from_slice(&1_000_000_000u32.to_be_bytes());
    let back = raw(port, &list);
    assert!(!back.is_empty(), "refused at once, not waited for");
    // A half-sent message: the connection closes at the deadline, and the
    // good client is served meanwhile.
    let mut half = TcpStream::connect(("127.0.0.1", port)).unwrap();
    half.write_all(&header("postHtml", 11)[..9]).unwrap();
    assert_eq!(good.text("currentUrl"), "");
    // A framed header declaring an almost 16 MiB frame, never sent: it
    // allocates nothing ahead and holds up nobody.
    let mut framed = TcpStream::connect(("127.0.0.1", port)).unwrap();
    framed
        .write_all(&[0x00, 0xff, 0xff, 0x00, 0x80, 0x01])
        .unwrap();
    assert_eq!(good.text("whatsLoaded"), "");
    // 512 idle connections: the oldest that never called make room.
    let idle: Vec<TcpStream> = (0..512)
        .filter_map(|_| TcpStream::connect(("127.0.0.1", port)).ok())
        .collect();
    let mut late = Client::connect(port, Wire::CompactFramed);
    assert_eq!(late.text("whatsLoaded"), "");
    assert_eq!(good.text("whatsLoaded"), "");
    drop(idle);
    drop(half);
    drop(framed);
    // The process is still up, and the JSON socket still answers.
    let r = kiosk.client(Framing::V2).call("ping", json!({})).unwrap();
    assert!(r["version"].is_string());
}

#[test]
fn a_non_loopback_address_needs_an_explicit_yes() {
    let out = support::run_once(
        "[thrift]\nbind = \"0.0.0.0\"\nport = 0\n",
        &[
            "--headless",
            "--no-demo",
            "--no-state",
            "--no-remote",
            "--no-admin",
            "--exit-after",
            "5s",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("thrift.allow_unauthenticated"), "{err}");
}
