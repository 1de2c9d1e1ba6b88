//! Remote control end to end: a real headless vitrine, real sockets on 127.0.0.1, a real HTTP server, every method and status.

use crate::support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use serde_json::{Value, json};
use support::{HttpServer, KioskProcess, Route, closed_port, temp_dir};
use vitrine::remote::{ClientError, Framing};

fn png(rgb: [u8; 3]) -> Vec<u8> {
    vitrine::pixels::Rgba8Image::filled(64, 48, [rgb[0], rgb[1], rgb[2], 255])
        .to_png()
        .unwrap()
}

fn status(v: &Value) -> &str {
    v["status"].as_str().unwrap_or("?")
}

fn names(kiosk: &KioskProcess) -> Vec<String> {
    let list = kiosk
        .client(Framing::V2)
        .call("listContent", json!({}))
        .unwrap();
    list["widgets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_idl_methods() {
    let server = HttpServer::start(vec![("/red.png", Route::File(png([255, 0, 0])))]);
    let kiosk = KioskProcess::start("", &[]);
    let mut c = kiosk.client(Framing::V2);
    assert_eq!(c.call("whatsLoaded", json!({})).unwrap(), json!(""));
    assert_eq!(c.call("currentUrl", json!({})).unwrap(), json!(""));

    let url = server.url("/red.png");
    let r = c
        .call("fetchUrl", json!({"name": "pic", "url": url}))
        .unwrap();
    assert_eq!(
        r,
        json!({"status": "SUCCESS", "code": 0, "kind": "image", "message": ""})
    );
    assert_eq!(c.call("whatsLoaded", json!({})).unwrap(), json!("pic"));
    assert_eq!(c.call("currentUrl", json!({})).unwrap(), json!(url));

    // The IDL's nesting, and a posted page: it comes to the front, with no URL.
    let r = c
        .call(
            "postHtml",
            json!({"html": {"name": "page", "data": "<body style='background:#00f'></body>"}}),
        )
        .unwrap();
    assert_eq!((status(&r), r["kind"].as_str()), ("SUCCESS", Some("html")));
    assert_eq!(c.call("whatsLoaded", json!([])).unwrap(), json!("page"));
    assert_eq!(c.call("currentUrl", json!(null)).unwrap(), json!(""));

    let list = c.call("listContent", json!({})).unwrap()["widgets"].clone();
    let first = &list[0];
    assert_eq!(
        (
            first["name"].as_str(),
            first["kind"].as_str(),
            first["state"].as_str()
        ),
        (Some("page"), Some("html"), Some("shown"))
    );
    assert_eq!(first["corners"].as_array().unwrap().len(), 4);
    assert_eq!(list[1]["url"], json!(url));
    assert!(first["z"].as_u64() > list[1]["z"].as_u64());

    // Replacing keeps the place and brings it to the front.
    let corners = list[1]["corners"].clone();
    let r = c.call("fetchUrl", json!(["pic", url])).unwrap();
    assert_eq!(status(&r), "SUCCESS");
    let list = c.call("listContent", json!({})).unwrap()["widgets"].clone();
    assert_eq!(
        (list[0]["name"].as_str(), &list[0]["corners"]),
        (Some("pic"), &corners)
    );

    assert_eq!(
        status(&c.call("raise", json!({"name": "page"})).unwrap()),
        "SUCCESS"
    );
    assert_eq!(
        status(&c.call("remove", json!({"name": "pic"})).unwrap()),
        "SUCCESS"
    );
    assert_eq!(
        status(&c.call("remove", json!({"name": "pic"})).unwrap()),
        "NOT_FOUND"
    );
    assert_eq!(
        status(&c.call("play", json!({"name": "page"})).unwrap()),
        "UNSUPPORTED"
    );
    assert_eq!(names(&kiosk), ["page"]);
    let ping = c.call("ping", json!({})).unwrap();
    assert!(ping["version"].is_string() && ping["uptime_s"].as_f64().unwrap() >= 0.0);
}

#[test]
fn every_push_result_and_the_screen_stays_as_it_was() {
    let root = temp_dir("remote-root");
    std::fs::create_dir_all(root.join("inside")).unwrap();
    std::fs::write(root.join("secret.txt"), "no").unwrap();
    let server = HttpServer::start(vec![
        ("/ok.png", Route::File(png([0, 255, 0]))),
        (
            "/slow.png",
            Route::Slow(png([0, 0, 255]), Duration::from_secs(4)),
        ),
        ("/text", Route::Typed(b"just words".to_vec(), "text/plain")),
    ]);
    let config = format!(
        "[remote]\nload_timeout = \"2s\"\n[content]\nroots = [\"{}\"]\n",
        root.join("inside").display()
    );
    let kiosk = KioskProcess::start(&config, &[]);
    let mut c = kiosk.client(Framing::V2);
    assert_eq!(
        status(
            &c.call(
                "fetchUrl",
                json!({"name": "keep", "url": server.url("/ok.png")})
            )
            .unwrap()
        ),
        "SUCCESS"
    );
    let before = c.call("listContent", json!({})).unwrap();
    let sneaky = format!("file://{}/inside/../secret.txt", root.display());
    let cases = [
        ("NOT_FOUND", server.url("/missing.png")),
        ("UNSUPPORTED", server.url("/text")),
        (
            "LOAD_FAILED",
            format!("http://127.0.0.1:{}/x.png", closed_port()),
        ),
        ("FORBIDDEN", "file:///etc/passwd".to_string()),
        ("FORBIDDEN", sneaky),
        ("INVALID_ARGUMENT", "not a url".to_string()),
        ("UNSUPPORTED", "gopher://example.com/".to_string()),
        ("TIMEOUT", server.url("/slow.png")),
    ];
    for (want, url) in cases {
        let r = c
            .call("fetchUrl", json!({"name": "keep", "url": url}))
            .unwrap();
        assert_eq!(status(&r), want, "{url}: {r}");
        assert!(
            !r["message"].as_str().unwrap().is_empty(),
            "a message says why"
        );
        assert_eq!(
            c.call("listContent", json!({})).unwrap(),
            before,
            "{url}: the screen changed"
        );
    }
    let deep = "<div>".repeat(100_000);
    let r = c
        .call("postHtml", json!({"name": "keep", "data": deep}))
        .unwrap();
    assert_eq!(status(&r), "INVALID_ARGUMENT");
    // The slow load that timed out was cancelled: when its bytes finally
    // arrive, nothing changes.
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(c.call("listContent", json!({})).unwrap(), before);
}

#[test]
fn a_screenshot_shows_the_posted_content() {
    let kiosk = KioskProcess::start("", &[]);
    let mut c = kiosk.client(Framing::V2);
    let page = "<body style='margin:0;background:rgb(255,0,0)'></body>";
    let r = c
        .call(
            "postHtml",
            json!({"name": "red", "data": page, "width": 400, "height": 300}),
        )
        .unwrap();
    assert_eq!(status(&r), "SUCCESS");
    let shot = c.call("screenshot", json!({"max_width": 320})).unwrap();
    assert_eq!(
        (shot["width"].as_u64(), shot["height"].as_u64()),
        (Some(320), Some(180))
    );
    let png = vitrine::html::decode_data_url(&format!(
        "data:;base64,{}",
        shot["png_base64"].as_str().unwrap()
    ))
    .unwrap();
    let img = image::load_from_memory(&png).unwrap().into_rgba8();
    assert_eq!(img.dimensions(), (320, 180));
    let centre = img.get_pixel(160, 90).0;
    assert!(
        centre[0] > 200 && centre[1] < 60 && centre[2] < 60,
        "{centre:?}"
    );
}

#[test]
fn every_framing_and_the_json_rpc_errors() {
    let kiosk = KioskProcess::start("", &[]);
    for framing in [Framing::V2, Framing::V1, Framing::Le] {
        let mut c = kiosk.client(framing);
        assert_eq!(
            c.call("whatsLoaded", json!({})).unwrap(),
            json!(""),
            "{framing:?}"
        );
        let code = |e: ClientError| match e {
            ClientError::Rpc { code, .. } => code,
            other => panic!("{other}"),
        };
        assert_eq!(code(c.call("launch", json!({})).unwrap_err()), -32601);
        assert_eq!(
            code(c.call("fetchUrl", json!({"name": 3})).unwrap_err()),
            -32602
        );
    }
    // A notification gets no reply: the next reply is the ping's.
    let mut s = TcpStream::connect(("127.0.0.1", kiosk.port)).unwrap();
    let frame =
        |v: Value| vitrine::remote::codec::encode(Framing::V2, &serde_json::to_vec(&v).unwrap());
    s.write_all(&frame(json!({"method": "hideBackdrop"})))
        .unwrap();
    s.write_all(&frame(json!({"id": 9, "method": "ping"})))
        .unwrap();
    s.write_all(&vitrine::remote::codec::encode(Framing::V2, b"{not json"))
        .unwrap();
    let reply = read_reply(&mut s);
    assert_eq!(reply["id"], 9);
    let parse_error = read_reply(&mut s);
    assert_eq!(
        (parse_error["error"]["code"].as_i64(), &parse_error["id"]),
        (Some(-32700), &Value::Null)
    );
}

fn read_reply(s: &mut TcpStream) -> Value {
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut header = [0u8; 12];
    s.read_exact(&mut header).unwrap();
    let len = u32::from_be_bytes([header[4], header[5], header[6], header[7]]) as usize;
    let mut body = vec![0; len];
    s.read_exact(&mut body).unwrap();
    serde_json::from_slice(&body).unwrap()
}

#[test]
fn a_token_is_required_when_set() {
    let kiosk = KioskProcess::start("[remote]\ntoken = \"s3cret\"\n", &[]);
    let mut anonymous = kiosk.client(Framing::V2);
    match anonymous.call("whatsLoaded", json!({})) {
        Err(ClientError::Rpc { code, .. }) => assert_eq!(code, -32001),
        other => panic!("{other:?}"),
    }
    let mut wrong = vitrine::remote::Client::connect(
        "127.0.0.1",
        kiosk.port,
        Framing::V2,
        Some("guess".into()),
        Duration::from_secs(10),
    )
    .unwrap();
    assert!(wrong.call("ping", json!({})).is_err());
    let mut right = vitrine::remote::Client::connect(
        "127.0.0.1",
        kiosk.port,
        Framing::V2,
        Some("s3cret".into()),
        Duration::from_secs(10),
    )
    .unwrap();
    assert!(right.call("ping", json!({})).is_ok());
}

#[test]
fn an_open_address_without_a_token_refuses_to_start() {
    let out = support::run_once(
        "[remote]\nbind = \"0.0.0.0\"\n",
        &[
            "--no-state",
            "--headless",
            "--no-demo",
            "--no-admin",
            "--remote-port",
            "0",
            "--exit-after",
            "5s",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("without a token"));
}

#[test]
fn ctl_speaks_to_the_kiosk() {
    let kiosk = KioskProcess::start("", &[]);
    let ctl = |args: &[&str]| support::ctl(kiosk.port, args);
    let dir = temp_dir("ctl");
    let page = dir.join("page.html");
    std::fs::write(&page, "<h1>hi</h1>").unwrap();
    let out = ctl(&["post-html", "card", page.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = ctl(&["whats-loaded"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "card");
    let out = ctl(&["fetch-url", "x", "file:///etc/passwd"]);
    assert_eq!(out.status.code(), Some(1), "a non-SUCCESS status");
    let shot = dir.join("shot.png");
    assert!(
        ctl(&["screenshot", shot.to_str().unwrap()])
            .status
            .success()
    );
    assert!(image::open(&shot).is_ok());
    let refused = support::ctl(closed_port(), &["ping"]);
    assert_eq!(refused.status.code(), Some(2), "a connection error");
}
