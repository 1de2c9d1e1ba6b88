//! The admin page's server through real HTTP on loopback: login, wrong passwords, CSRF, expiry, the live screen, uploads, events, the CSV, the bounds, and that every action gets the socket's own answer.

use crate::support;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::http::{Browser, Reply, raw};
use support::{KioskProcess, temp_dir};
use vitrine::remote::{ClientError, Framing};

fn admin_kiosk(config: &str) -> (KioskProcess, u16) {
    let kiosk = KioskProcess::start(config, &[]);
    let port = kiosk.logged_port("admin");
    (kiosk, port)
}

#[test]
fn a_password_guards_the_page_and_every_action_gets_the_sockets_answer() {
    let (kiosk, port) = admin_kiosk("[state]\nenabled = false\n[admin]\npassword = \"s3cret\"\n");
    let mut b = Browser::new(port);

    // The page itself loads without a login; its API does not.
    let page = b.send("GET", "/", b"", false);
    assert_eq!(page.status, 200);
    assert!(String::from_utf8_lossy(&page.body).contains("/js/main.js"));
    // Every module the page loads is served, and nothing else is.
    for path in [
        "/js/main.js",
        "/js/api.js",
        "/js/ui.js",
        "/js/screen.js",
        "/js/gesture.js",
        "/js/lists.js",
        "/js/day.js",
    ] {
        let js = b.send("GET", path, b"", false);
        assert_eq!(js.status, 200, "{path}");
        assert!(
            js.header("Content-Type")
                .unwrap()
                .starts_with("text/javascript")
        );
        for import in String::from_utf8_lossy(&js.body)
            .lines()
            .filter_map(|l| l.split(" from \"./").nth(1))
        {
            let file = import.trim_end_matches("\";");
            assert_eq!(
                b.send("GET", &format!("/js/{file}"), b"", false).status,
                200,
                "{path} imports {file}"
            );
        }
    }
    assert_eq!(b.send("GET", "/js/nothing.js", b"", false).status, 404);
    assert_eq!(b.send("GET", "/admin.css", b"", false).status, 200);
    assert!(
        page.header("Content-Security-Policy")
            .unwrap()
            .contains("script-src 'self'")
    );
    let session = b.send("GET", "/api/session", b"", false);
    assert_eq!(session.status, 401);
    assert_eq!(session.json()["password_required"], true);
    assert_eq!(b.rpc("listContent", json!({})).status, 401);

    // A wrong password: refused, no cookie.
    let wrong = b.login("guess");
    assert_eq!(wrong.status, 401);
    assert!(wrong.header("Set-Cookie").is_none());
    assert_eq!(wrong.json()["error"], "wrong password");

    assert_eq!(b.login("s3cret").status, 200);
    assert_eq!(b.send("GET", "/api/session", b"", false).status, 200);

    // State-changing requests without the CSRF token, or with a wrong one.
    let req = json!({"jsonrpc": "2.0", "id": 1, "method": "listContent"}).to_string();
    let missing = b.send("POST", "/api/rpc", req.as_bytes(), false);
    assert_eq!(missing.status, 403);
    assert_eq!(missing.json()["error"], "missing or wrong CSRF token");
    let mut forged = Browser::new(port);
    forged.cookie = b.cookie.clone();
    forged.csrf = Some("0".repeat(64));
    assert_eq!(forged.rpc("reset", json!({})).status, 403);

    // The same requests on the socket and the page get the same answers,
    // results and errors alike.
    let mut socket = vitrine::remote::Client::connect(
        "127.0.0.1",
        kiosk.port,
        Framing::V2,
        None,
        Duration::from_secs(30),
    )
    .unwrap();
    for (method, params) in [
        ("listContent", json!({})),
        ("whatsLoaded", json!({})),
        ("remove", json!({"name": "nothing-here"})),
        ("place", json!({"name": "nothing-here", "x": 1})),
        ("fetchUrl", json!({"name": "x", "url": "gopher://nope"})),
        ("remove", json!({})),
        ("noSuchMethod", json!({})),
    ] {
        let page = b.rpc(method, params.clone());
        assert_eq!(page.status, 200, "{method}");
        let page = page.json();
        match socket.call(method, params) {
            Ok(result) => assert_eq!(page["result"], result, "{method}"),
            Err(ClientError::Rpc { code, message }) => {
                assert_eq!(page["error"]["code"], code, "{method}");
                assert_eq!(page["error"]["message"], message.as_str(), "{method}");
            }
            Err(e) => panic!("{method}: {e}"),
        }
    }

    // Logging out ends the session.
    assert_eq!(b.send("POST", "/api/logout", b"", true).status, 200);
    assert_eq!(b.send("GET", "/api/session", b"", false).status, 401);
}

#[test]
fn wrong_passwords_are_limited_and_then_even_the_right_one_waits() {
    let (_kiosk, port) = admin_kiosk(
        "[state]\nenabled = false\n[admin]\npassword = \"s3cret\"\nlogin_attempts_per_minute = 2\n",
    );
    let mut b = Browser::new(port);
    assert_eq!(b.login("a").status, 401);
    assert_eq!(b.login("b").status, 401);
    let limited = b.login("s3cret");
    assert_eq!(limited.status, 429);
    let wait: u64 = limited.header("Retry-After").unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert!(
        limited.json()["error"]
            .as_str()
            .unwrap()
            .contains("login_attempts_per_minute")
    );
}

#[test]
fn an_expired_session_must_log_in_again() {
    let (_kiosk, port) =
        admin_kiosk("[state]\nenabled = false\n[admin]\npassword = \"pw\"\nsession_ttl = \"3s\"\n");
    let mut b = Browser::new(port);
    assert_eq!(b.login("pw").status, 200);
    assert_eq!(b.rpc("whatsLoaded", json!({})).status, 200);
    std::thread::sleep(Duration::from_millis(3500));
    assert_eq!(b.rpc("whatsLoaded", json!({})).status, 401);
    assert_eq!(b.send("GET", "/api/screen.png", b"", false).status, 401);
}

#[test]
fn an_open_address_without_a_password_refuses_to_start() {
    let out = support::run_once(
        "[admin]\nbind = \"0.0.0.0\"\n",
        &[
            "--headless",
            "--no-demo",
            "--no-state",
            "--no-remote",
            "--no-thrift",
            "--admin-port",
            "0",
            "--exit-after",
            "20s",
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("without a password") && err.contains("admin.password"),
        "{err}"
    );
}

#[test]
fn the_live_screen_is_one_capture_for_every_watcher_and_shows_the_screen() {
    let dir = temp_dir("admin-screen");
    let red = dir.join("red.png");
    vitrine::pixels::Rgba8Image::filled(200, 200, [255, 0, 0, 255])
        .save_png(&red)
        .unwrap();
    // A long interval: every watcher below gets the first capture.
    let (kiosk, port) = admin_kiosk(&format!(
        "[state]\nenabled = false\n[content]\nroots = [{:?}]\n[admin]\nscreen_interval = \"1h\"\n",
        dir.display().to_string()
    ));
    let mut socket = kiosk.client(Framing::V2);
    let url = url::Url::from_file_path(&red).unwrap();
    // The red square, centred at (160, 90) in the 640×360 screen.
    let shown = socket
        .call(
            "fetchUrl",
            json!({"name": "red", "url": url.as_str(), "placement": {"x": 160, "y": 90}}),
        )
        .unwrap();
    assert_eq!(shown["status"], "SUCCESS", "{shown}");
    let mut b = Browser::new(port);
    assert_eq!(b.login("").status, 200, "no password: any login");

    let watchers: Vec<_> = (0..8)
        .map(|_| {
            let cookie = b.cookie.clone();
            std::thread::spawn(move || {
                let mut w = Browser::new(port);
                w.cookie = cookie;
                w.send("GET", "/api/screen.png", b"", false)
            })
        })
        .collect();
    let frames: Vec<Reply> = watchers.into_iter().map(|t| t.join().unwrap()).collect();
    for f in &frames {
        assert_eq!(f.status, 200, "{}", String::from_utf8_lossy(&f.body));
        assert_eq!(f.header("Content-Type"), Some("image/png"));
        assert_eq!(
            f.header("X-Vitrine-Frame"),
            Some("1"),
            "one capture for all"
        );
    }
    let img = image::load_from_memory(&frames[0].body).unwrap().to_rgba8();
    // screen_width 640 of a 640-wide kiosk: the picture is 1:1.
    assert_eq!(img.dimensions(), (640, 360));
    let centre = img.get_pixel(160, 90).0;
    assert!(
        centre[0] > 240 && centre[1] < 20 && centre[2] < 20,
        "{centre:?}"
    );
}

#[test]
fn uploads_are_shown_named_safely_and_bounded() {
    let dir = temp_dir("admin-upload");
    let (kiosk, port) =
        admin_kiosk("[state]\nenabled = false\n[content]\nmax_download_bytes = 4096\n");
    let mut b = Browser::new(port);
    assert_eq!(b.login("").status, 200);
    let png = vitrine::pixels::Rgba8Image::filled(16, 16, [0, 200, 0, 255])
        .to_png()
        .unwrap();
    let up = b.send("PUT", "/api/upload?name=green.png&widget=promo", &png, true);
    assert_eq!(up.status, 200, "{}", String::from_utf8_lossy(&up.body));
    let up = up.json();
    assert_eq!(up["reply"]["result"]["status"], "SUCCESS", "{up}");
    let url = up["url"].as_str().unwrap();
    assert!(
        url.starts_with("file://") && url.ends_with("/uploads/green.png"),
        "{url}"
    );
    let list = kiosk
        .client(Framing::V2)
        .call("listContent", json!({}))
        .unwrap();
    let promo = list["widgets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["name"] == "promo")
        .expect("the upload is shown");
    assert_eq!(promo["url"], url);

    // A name with a folder in it, or a kind the kiosk cannot show.
    for bad in ["..%2Fx.png", "x.exe", ".hidden.png"] {
        let r = b.send("PUT", &format!("/api/upload?name={bad}"), &png, true);
        assert_eq!(r.status, 415, "{bad}");
    }
    // Over content.max_download_bytes: refused before a byte is written.
    let big = vec![0u8; 8192];
    let r = b.send("PUT", "/api/upload?name=big.png", &big, true);
    assert_eq!(r.status, 413);
    assert!(
        r.json()["error"]
            .as_str()
            .unwrap()
            .contains("content.max_download_bytes")
    );
    let uploads = std::path::Path::new(url.trim_start_matches("file://"))
        .parent()
        .unwrap();
    let names: Vec<String> = std::fs::read_dir(uploads)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["green.png"], "no partial or refused file left");
    // Without the CSRF token nothing is written.
    assert_eq!(
        b.send("PUT", "/api/upload?name=sneaky.png", &png, false)
            .status,
        403
    );
    // Nor is an empty body.
    assert_eq!(
        b.send("PUT", "/api/upload?name=green.png", b"", true)
            .status,
        411
    );
    assert!(std::fs::metadata(uploads.join("green.png")).unwrap().len() > 0);
    drop(dir);
}

#[test]
fn events_reach_the_page_and_watchers_are_bounded() {
    let (kiosk, port) = admin_kiosk("[state]\nenabled = false\n[admin]\nmax_watchers = 1\n");
    let mut b = Browser::new(port);
    assert_eq!(b.login("").status, 200);
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let cookie = b.cookie.clone().unwrap();
    write!(
        stream,
        "GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert!(line.starts_with("HTTP/1.1 200"), "{line}");
    // Read past the head before anything happens, so the subscription is in.
    let mut content_type = String::new();
    loop {
        line.clear();
        reader.read_line(&mut line).unwrap();
        if line.to_ascii_lowercase().starts_with("content-type") {
            content_type = line.clone();
        }
        if line.trim().is_empty() {
            break;
        }
    }
    assert!(content_type.contains("text/event-stream"), "{content_type}");
    reader.read_line(&mut line).unwrap();

    // A second page past admin.max_watchers gets a clear answer.
    let second = b.send("GET", "/api/events", b"", false);
    assert_eq!(second.status, 503);
    assert!(
        second.json()["error"]
            .as_str()
            .unwrap()
            .contains("admin.max_watchers")
    );

    kiosk.client(Framing::V2).call("reset", json!({})).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        assert!(Instant::now() < deadline, "no reset event");
        line.clear();
        reader.read_line(&mut line).unwrap();
        if let Some(data) = line.strip_prefix("data: ") {
            let event: Value = serde_json::from_str(data).unwrap();
            if event["params"]["type"] == "reset" {
                assert_eq!(event["params"]["cause"], "remote");
                break;
            }
        }
    }
}

#[test]
fn stats_download_as_csv() {
    let (_kiosk, port) = admin_kiosk("[state]\nenabled = false\n");
    let mut b = Browser::new(port);
    assert_eq!(b.login("").status, 200);
    let r = b.send("GET", "/api/stats.csv", b"", false);
    assert_eq!(r.status, 200);
    assert!(r.header("Content-Type").unwrap().starts_with("text/csv"));
    assert!(
        r.header("Content-Disposition")
            .unwrap()
            .contains("attachment")
    );
    let text = String::from_utf8(r.body).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(
            "name,touches,taps,drags,pinches,video_plays,video_views,held_s,first_touch,last_touch"
        )
    );
    assert!(text.lines().any(|l| l.starts_with("*total*,")), "{text}");
}

#[test]
fn bad_http_gets_a_clear_status_and_the_kiosk_carries_on() {
    let (kiosk, port) = admin_kiosk("[state]\nenabled = false\n[admin]\nmax_body_bytes = 2048\n");
    assert_eq!(raw(port, b"\x00\x01garbage\r\n\r\n").status, 400);
    let huge = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(20_000));
    assert_eq!(raw(port, huge.as_bytes()).status, 431);
    let chunked = b"POST /api/login HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
    assert_eq!(raw(port, chunked).status, 411);
    let mut b = Browser::new(port);
    assert_eq!(b.send("GET", "/nope", b"", false).status, 404);
    assert_eq!(b.send("DELETE", "/api/rpc", b"", false).status, 405);
    assert_eq!(b.login("").status, 200);
    let big = vec![b' '; 4096];
    let r = b.send("POST", "/api/rpc", &big, true);
    assert_eq!(r.status, 413);
    assert!(
        r.json()["error"]
            .as_str()
            .unwrap()
            .contains("admin.max_body_bytes")
    );
    // Not JSON: the socket's parse error, as JSON-RPC.
    let r = b.send("POST", "/api/rpc", b"{nope", true);
    assert_eq!(r.json()["error"]["code"], -32700);
    // Still serving, on both fronts.
    assert_eq!(b.rpc("whatsLoaded", json!({})).status, 200);
    assert!(kiosk.client(Framing::V2).call("ping", json!({})).is_ok());
}

#[test]
fn other_host_names_other_origins_and_open_proxies_are_refused() {
    let (_kiosk, port) =
        admin_kiosk("[state]\nenabled = false\n[admin]\nallowed_hosts = [\"kiosk-12.shop.lan\"]\n");
    let get = |host: &str, extra: &str| {
        raw(
            port,
            format!("GET /api/session HTTP/1.1\r\nHost: {host}\r\n{extra}\r\n").as_bytes(),
        )
    };
    // A name pointed at 127.0.0.1 by someone else's page (DNS rebinding).
    let rebound = get("evil.example:8080", "");
    assert_eq!(rebound.status, 403);
    assert!(
        rebound.json()["error"]
            .as_str()
            .unwrap()
            .contains("admin.allowed_hosts")
    );
    assert_eq!(get("", "").status, 403, "no host at all");
    // Addresses, localhost and the configured name are answered.
    for host in [
        "127.0.0.1",
        "127.0.0.1:8080",
        "[::1]:8080",
        "localhost:8080",
        "KIOSK-12.shop.lan",
    ] {
        assert_eq!(get(host, "").status, 401, "{host}");
    }
    // Without a password, nothing through a proxy.
    let proxied = get("127.0.0.1", "X-Forwarded-For: 10.1.2.3\r\n");
    assert_eq!(proxied.status, 403);
    assert!(
        proxied.json()["error"]
            .as_str()
            .unwrap()
            .contains("admin.password")
    );
    // A change sent from another origin, even with a session and its token.
    let mut b = Browser::new(port);
    assert_eq!(b.login("").status, 200);
    let req = json!({"jsonrpc": "2.0", "id": 1, "method": "reset"}).to_string();
    let post = |origin: &str| {
        raw(
            port,
            format!(
                "POST /api/rpc HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: {origin}\r\n\
                 Cookie: {}\r\nX-CSRF-Token: {}\r\nContent-Length: {}\r\n\r\n{req}",
                b.cookie.as_deref().unwrap(),
                b.csrf.as_deref().unwrap(),
                req.len()
            )
            .as_bytes(),
        )
    };
    assert_eq!(post("http://evil.example").status, 403);
    let same = post(&format!("http://127.0.0.1:{port}"));
    assert_eq!(same.status, 200);
    assert_eq!(same.json()["result"]["status"], "SUCCESS");
}

#[test]
fn the_upload_folder_is_bounded() {
    let (_kiosk, port) =
        admin_kiosk("[state]\nenabled = false\n[admin]\nupload_dir_max_bytes = 12288\n");
    let mut b = Browser::new(port);
    assert_eq!(b.login("").status, 200);
    let png = vitrine::pixels::Rgba8Image::filled(16, 16, [0, 0, 200, 255])
        .to_png()
        .unwrap();
    assert!(png.len() < 1000);
    let mut padded = png.clone();
    padded.resize(6000, 0);
    // Files count in 4 KiB blocks: the first (two blocks) fits in three; a
    // second would pass the bound; replacing the first (same name) needs
    // room for the new bytes beside the old until they take its place.
    assert_eq!(
        b.send("PUT", "/api/upload?name=a.png", &padded, true)
            .status,
        200
    );
    let full = b.send("PUT", "/api/upload?name=b.png", &padded, true);
    assert_eq!(full.status, 507);
    assert!(
        full.json()["error"]
            .as_str()
            .unwrap()
            .contains("admin.upload_dir_max_bytes")
    );
    assert_eq!(
        b.send("PUT", "/api/upload?name=a.png", &png, true).status,
        200
    );
}
