//! The Thrift endpoint through a real process and Apache Thrift's Rust protocols as the client: all four methods over binary and compact, buffered and framed; the JSON socket and Thrift agree after every step; unknown methods and malformed messages get their exceptions; hostile bytes never disturb a good client.

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use serde_json::json;
use support::{KioskProcess, temp_dir};
use thrift::protocol::{
    TBinaryInputProtocol, TBinaryOutputProtocol, TCompactInputProtocol, TCompactOutputProtocol,
    TFieldIdentifier, TInputProtocol, TMessageIdentifier, TMessageType, TOutputProtocol,
    TStructIdentifier, TType,
};
use thrift::transport::{TFramedReadTransport, TFramedWriteTransport};
use vitrine::remote::Framing;

/// A client of one wire, as a generated stub would talk.
struct Client {
    i: Box<dyn TInputProtocol>,
    o: Box<dyn TOutputProtocol>,
    seq: i32,
}

#[derive(Clone, Copy, Debug)]
enum Wire {
    BinaryBuffered,
    BinaryFramed,
    CompactBuffered,
    CompactFramed,
}

const WIRES: [Wire; 4] = [
    Wire::BinaryBuffered,
    Wire::BinaryFramed,
    Wire::CompactBuffered,
    Wire::CompactFramed,
];

/// An argument value, as the IDL's structs hold them.
enum Arg<'a> {
    Str(i16, &'a str),
    I32(i16, i32),
}

impl Client {
    fn connect(port: u16, wire: Wire) -> Client {
        let s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let r = s.try_clone().unwrap();
        let (i, o): (Box<dyn TInputProtocol>, Box<dyn TOutputProtocol>) = match wire {
            Wire::BinaryBuffered => (
                Box::new(TBinaryInputProtocol::new(r, true)),
                Box::new(TBinaryOutputProtocol::new(s, true)),
            ),
            Wire::BinaryFramed => (
                Box::new(TBinaryInputProtocol::new(
                    TFramedReadTransport::new(r),
                    true,
                )),
                Box::new(TBinaryOutputProtocol::new(
                    TFramedWriteTransport::new(s),
                    true,
                )),
            ),
            Wire::CompactBuffered => (
                Box::new(TCompactInputProtocol::new(r)),
                Box::new(TCompactOutputProtocol::new(s)),
            ),
            Wire::CompactFramed => (
                Box::new(TCompactInputProtocol::new(TFramedReadTransport::new(r))),
                Box::new(TCompactOutputProtocol::new(TFramedWriteTransport::new(s))),
            ),
        };
        Client { i, o, seq: 0 }
    }

    /// Sends `method` with its one struct argument (none when `args` is
    /// `None`), and reads field 0 of the result, or the exception.
    fn call(&mut self, method: &str, args: Option<&[Arg]>) -> Result<Reply, String> {
        self.seq += 1;
        let o = &mut self.o;
        o.write_message_begin(&TMessageIdentifier::new(
            method,
            TMessageType::Call,
            self.seq,
        ))
        .unwrap();
        o.write_struct_begin(&TStructIdentifier::new("args"))
            .unwrap();
        if let Some(fields) = args {
            o.write_field_begin(&TFieldIdentifier::new("arg", TType::Struct, 1))
                .unwrap();
            o.write_struct_begin(&TStructIdentifier::new("arg"))
                .unwrap();
            for f in fields {
                match f {
                    Arg::Str(id, s) => {
                        o.write_field_begin(&TFieldIdentifier::new("s", TType::String, *id))
                            .unwrap();
                        o.write_string(s).unwrap();
                    }
                    Arg::I32(id, v) => {
                        o.write_field_begin(&TFieldIdentifier::new("n", TType::I32, *id))
                            .unwrap();
                        o.write_i32(*v).unwrap();
                    }
                }
                o.write_field_end().unwrap();
            }
            o.write_field_stop().unwrap();
            o.write_struct_end().unwrap();
            o.write_field_end().unwrap();
        }
        o.write_field_stop().unwrap();
        o.write_struct_end().unwrap();
        o.write_message_end().unwrap();
        o.flush().unwrap();
        let i = &mut self.i;
        let m = i.read_message_begin().map_err(|e| e.to_string())?;
        assert_eq!(m.sequence_number, self.seq, "the reply answers this call");
        if m.message_type == TMessageType::Exception {
            let e = thrift::Error::read_application_error_from_in_protocol(&mut **i)
                .map_err(|e| e.to_string())?;
            i.read_message_end().unwrap();
            return Err(format!("{:?}: {}", e.kind, e.message));
        }
        i.read_struct_begin().unwrap();
        let mut reply = None;
        loop {
            let f = i.read_field_begin().unwrap();
            match (f.field_type, f.id) {
                (TType::Stop, _) => break,
                (TType::I32, Some(0)) => reply = Some(Reply::Push(i.read_i32().unwrap())),
                (TType::String, Some(0)) => reply = Some(Reply::Text(i.read_string().unwrap())),
                (t, _) => i.skip(t).unwrap(),
            }
            i.read_field_end().unwrap();
        }
        i.read_struct_end().unwrap();
        i.read_message_end().unwrap();
        reply.ok_or_else(|| "no result".to_string())
    }

    fn text(&mut self, method: &str) -> String {
        match self.call(method, None) {
            Ok(Reply::Text(s)) => s,
            other => panic!("{method}: {other:?}"),
        }
    }

    fn push(&mut self, method: &str, args: &[Arg]) -> i32 {
        match self.call(method, Some(args)) {
            Ok(Reply::Push(p)) => p,
            other => panic!("{method}: {other:?}"),
        }
    }
}

#[derive(Debug, PartialEq)]
enum Reply {
    Push(i32),
    Text(String),
}

// The IDL's pushResult values.
const SUCCESS: i32 = 0;
const NOT_FOUND: i32 = 2;
const FORBIDDEN: i32 = 5;

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

/// A strict binary call header for `method`, then its args struct opening
/// with field 1 of type `ty`.
fn header(method: &str, ty: u8) -> Vec<u8> {
    let mut b = vec![0x80, 0x01, 0x00, 0x01];
    b.extend_from_slice(&(method.len() as u32).to_be_bytes());
    b.extend_from_slice(method.as_bytes());
    b.extend_from_slice(&1u32.to_be_bytes());
    // args struct: field 1 (pushUrl), a struct; in it field 1 of `ty`.
    b.extend_from_slice(&[12, 0, 1, ty, 0, 1]);
    b
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
    let dir = temp_dir("thrift-bind");
    let cfg = dir.join("open.toml");
    std::fs::write(&cfg, "[thrift]\nbind = \"0.0.0.0\"\nport = 0\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .args([
            "--headless",
            "--no-demo",
            "--no-state",
            "--no-remote",
            "--no-admin",
        ])
        .arg("--config")
        .arg(&cfg)
        .args(["--exit-after", "5s"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("thrift.allow_unauthenticated"), "{err}");
}
