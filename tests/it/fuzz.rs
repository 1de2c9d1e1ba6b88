//! Fuzzing on stable Rust: every parser of outside input gets random and mutated inputs and must answer without panicking.
//!
//! Targets: the jsocket framing codec, the JSON-RPC request parser, the
//! config loader, the trace and scene parsers (run through the real scene),
//! the content sniffer, the HTML limits, the image decoder, and the Thrift
//! wire detection and call reader (binary and compact), and the TUIO
//! decoder with the cursor tracker (one sender, and several), the state
//! document (as a file and inside `setState`), the admin page's request
//! reader on a real loopback connection, and MQTT command payloads through
//! the fleet's id bound, refusal and dedupe key, and schedules (read,
//! checked and evaluated in two time zones). Each is a
//! proptest over byte mutations (flips, inserts, deletes, truncations,
//! duplications) of valid seeds, plus plain random bytes. `cargo test` runs
//! a short pass of each (`VITRINE_FUZZ_CASES`, 1,000 by default); `make
//! fuzz` runs 500,000 cases per target.

use std::path::Path;

use proptest::prelude::*;
use vitrine::api::protocol::parse_request;
use vitrine::api::{Call, Command, Load, PlaceSpec, Query};
use vitrine::config::Config;
use vitrine::content::{ImageLimits, decode_image, sniff};
use vitrine::html::{HtmlSettings, check_document, nesting_depth};
use vitrine::pixels::Rgba8Image;
use vitrine::remote::codec::{Decoded, Decoder, Framing, encode};
use vitrine::replay::format::{parse_scene, parse_trace};
use vitrine::scene::ScatterSettings;
use vitrine::thrift::detect::detect;
use vitrine::thrift::service::read_call;
use vitrine::tuio::decode::decode as decode_tuio;

fn cases() -> u32 {
    std::env::var("VITRINE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: cases(),
        // Failures are shrunk and printed; persisting them next to the test
        // is left to whoever investigates.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// One change to a byte string.
#[derive(Clone, Debug)]
enum Mutation {
    Flip(usize, u8),
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Truncate(usize),
    Duplicate(usize, usize),
    Set(usize, u8),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0..8u8).prop_map(|(p, b)| Mutation::Flip(p, b)),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(p, b)| Mutation::Insert(p, b)),
        (any::<usize>(), 1..32usize).prop_map(|(p, n)| Mutation::Delete(p, n)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), 1..64usize).prop_map(|(p, n)| Mutation::Duplicate(p, n)),
        (
            any::<usize>(),
            prop_oneof![
                Just(0u8),
                Just(0xff),
                Just(b'{'),
                Just(b'"'),
                Just(b'<'),
                Just(b'\n')
            ]
        )
            .prop_map(|(p, b)| Mutation::Set(p, b)),
    ]
}

fn mutate(mut data: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let at = |p: usize, len: usize| if len == 0 { 0 } else { p % (len + 1) };
        match m {
            Mutation::Flip(p, bit) if !data.is_empty() => {
                let i = p % data.len();
                data[i] ^= 1 << bit;
            }
            Mutation::Insert(p, bytes) => {
                let i = at(*p, data.len());
                data.splice(i..i, bytes.iter().copied());
            }
            Mutation::Delete(p, n) if !data.is_empty() => {
                let i = p % data.len();
                let end = (i + n).min(data.len());
                data.drain(i..end);
            }
            Mutation::Truncate(p) => data.truncate(at(*p, data.len())),
            Mutation::Duplicate(p, n) if !data.is_empty() => {
                let i = p % data.len();
                let end = (i + n).min(data.len());
                let copy = data[i..end].to_vec();
                data.splice(end..end, copy);
            }
            Mutation::Set(p, b) if !data.is_empty() => {
                let i = p % data.len();
                data[i] = *b;
            }
            _ => {}
        }
    }
    data
}

/// Mutations of one of `seeds`, or plain random bytes.
fn input(seeds: Vec<Vec<u8>>) -> impl Strategy<Value = Vec<u8>> {
    let n = seeds.len();
    prop_oneof![
        6 => (0..n, prop::collection::vec(mutation(), 0..8))
            .prop_map(move |(i, m)| mutate(seeds[i].clone(), &m)),
        1 => prop::collection::vec(any::<u8>(), 0..512),
    ]
}

fn requests() -> Vec<Command> {
    vec![
        Command::Query(Query::WhatsLoaded),
        Command::Query(Query::Ping),
        Command::Load(Load::FetchUrl {
            name: "promo".into(),
            url: "https://example.com/a.webm".into(),
            poster: Some("https://example.com/p.png".into()),
            placement: PlaceSpec::default(),
        }),
        Command::Load(Load::PostHtml {
            name: "card".into(),
            data: "<h1>Hi</h1>".into(),
            base_url: None,
            width: Some(800),
            height: Some(600),
            placement: PlaceSpec::default(),
        }),
        Command::Call(Call::ShowBackdrop {
            color: Some([0.0, 0.0, 0.0, 0.6]),
            above: vec!["card".into()],
        }),
        Command::Call(Call::Remove { name: "x".into() }),
        Command::Call(Call::Timeline {
            date: Some("2027-03-28".into()),
        }),
    ]
}

fn request_seeds() -> Vec<Vec<u8>> {
    let mut seeds: Vec<Vec<u8>> = requests()
        .iter()
        .map(|c| serde_json::to_vec(&c.to_request(1, Some("token"))).unwrap())
        .collect();
    seeds.push(br#"{"id":1,"method":"fetchUrl","params":["a","file:///x"]}"#.to_vec());
    seeds.push(
        br#"{"id":"z","method":"postHtml","params":{"html":{"name":"b","data":"<p>"}}}"#.to_vec(),
    );
    seeds
}

/// Valid Thrift calls of all four methods, binary then compact.
fn thrift_seeds() -> Vec<Vec<u8>> {
    use thrift::protocol::{
        TBinaryOutputProtocol, TCompactOutputProtocol, TFieldIdentifier, TMessageIdentifier,
        TMessageType, TOutputProtocol, TStructIdentifier, TType,
    };
    let call = |o: &mut dyn TOutputProtocol, method: &str, arg: bool| {
        o.write_message_begin(&TMessageIdentifier::new(method, TMessageType::Call, 1))
            .unwrap();
        o.write_struct_begin(&TStructIdentifier::new("args"))
            .unwrap();
        if arg {
            o.write_field_begin(&TFieldIdentifier::new("a", TType::Struct, 1))
                .unwrap();
            o.write_struct_begin(&TStructIdentifier::new("a")).unwrap();
            for (id, v) in [(1, "name"), (2, "file:///x.png")] {
                o.write_field_begin(&TFieldIdentifier::new("s", TType::String, id))
                    .unwrap();
                o.write_string(v).unwrap();
                o.write_field_end().unwrap();
            }
            o.write_field_begin(&TFieldIdentifier::new("p", TType::Struct, 4))
                .unwrap();
            o.write_struct_begin(&TStructIdentifier::new("p")).unwrap();
            o.write_field_begin(&TFieldIdentifier::new("x", TType::Double, 1))
                .unwrap();
            o.write_double(10.5).unwrap();
            o.write_field_end().unwrap();
            o.write_field_stop().unwrap();
            o.write_struct_end().unwrap();
            o.write_field_end().unwrap();
            o.write_field_stop().unwrap();
            o.write_struct_end().unwrap();
            o.write_field_end().unwrap();
        }
        o.write_field_stop().unwrap();
        o.write_struct_end().unwrap();
        o.write_message_end().unwrap();
    };
    let mut seeds = Vec::new();
    for (method, arg) in [
        ("fetchUrl", true),
        ("postHtml", true),
        ("whatsLoaded", false),
        ("currentUrl", false),
    ] {
        let mut b = Vec::new();
        call(&mut TBinaryOutputProtocol::new(&mut b, true), method, arg);
        seeds.push(b);
        let mut c = Vec::new();
        call(&mut TCompactOutputProtocol::new(&mut c), method, arg);
        seeds.push(c);
    }
    seeds
}

/// TUIO bundles: a cursor set, and an empty frame.
fn tuio_seeds() -> Vec<Vec<u8>> {
    use rosc::{OscBundle, OscMessage, OscPacket, OscTime, OscType};
    let m = |args: Vec<OscType>| {
        OscPacket::Message(OscMessage {
            addr: "/tuio/2Dcur".into(),
            args,
        })
    };
    let s = |v: &str| OscType::String(v.into());
    let frame = |cursors: &[i32]| {
        let mut content = vec![m(vec![s("source"), s("fuzz@host")])];
        let mut alive = vec![s("alive")];
        alive.extend(cursors.iter().map(|c| OscType::Int(*c)));
        content.push(m(alive));
        for c in cursors {
            content.push(m(vec![
                s("set"),
                OscType::Int(*c),
                OscType::Float(0.5),
                OscType::Float(0.25),
                OscType::Float(0.0),
                OscType::Float(0.0),
                OscType::Float(0.0),
            ]));
        }
        content.push(m(vec![s("fseq"), OscType::Int(7)]));
        rosc::encoder::encode(&OscPacket::Bundle(OscBundle {
            timetag: OscTime::from((0, 1)),
            content,
        }))
        .unwrap()
    };
    vec![frame(&[1, 2]), frame(&[])]
}

fn repo_file(path: &str) -> Vec<u8> {
    std::fs::read(crate::support::repo().join(path)).unwrap()
}

fn repo_files(dir: &str, suffix: &str) -> Vec<Vec<u8>> {
    let dir = crate::support::repo().join(dir);
    let mut out: Vec<Vec<u8>> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    out.sort();
    out
}

/// State documents as `state.json`, a retained `desired` and `setState`
/// carry them: a widget of each source, a backdrop, and revisions at and
/// past 2^53-1.
fn state_seeds() -> Vec<Vec<u8>> {
    let doc = |revision: &str| {
        format!(
            r#"{{"format":"vitrine-state","version":1,"state":{{"revision":{revision},"widgets":[
            {{"name":"promo","source":{{"type":"url","url":"https://example.com/a.webm"}},
             "home":{{"x":10.0,"y":20.0,"scale":1.0,"rotation":0.0}}}},
            {{"name":"card one","source":{{"type":"html","data":"<p>hi</p>"}},
             "home":{{"x":1.0,"y":2.0,"scale":2.0,"rotation":30.0}}}}],
            "backdrop":{{"color":[0.0,0.0,0.0,0.6],"above":["card one"]}}}}}}"#
        )
    };
    // Version 2: named layouts (one with a playlist) and a schedule that
    // picks them.
    let v2 = r#"{"format":"vitrine-state","version":2,"state":{"revision":5,"widgets":[],
        "layouts":{"night":{"widgets":[{"name":"n","source":{"type":"url","url":"https://example.com/n.png"},
          "home":{"x":0.0,"y":0.0,"scale":1.0,"rotation":0.0}},
          {"name":"turns","source":{"type":"playlist","transition":"crossfade","items":[
            {"url":"https://example.com/a.png","seconds":8},{"url":"https://example.com/b.webm","max_seconds":60},
            {"html":"<h1>Sale</h1>","width":800,"height":450,"seconds":10.5}]},
          "home":{"x":0.0,"y":0.0,"scale":1.0,"rotation":0.0},"gestures":{"fill":"screen"}}]}},
        "schedule":{"timezone":"Europe/Paris","entries":[
          {"days":["fri","sat"],"from":"22:00","to":"02:00","layout":"night","priority":1},
          {"from":"23:00","to":"06:00","display":"off","dates":{"from":"2026-12-01","to":"2027-01-31"}}]}}}"#;
    let mut seeds = vec![
        format!(r#"{{"id":1,"method":"setState","params":{{"document":{v2}}}}}"#).into_bytes(),
        v2.as_bytes().to_vec(),
    ];
    for revision in [
        "4",
        "9007199254740991",
        "9007199254740992",
        "18446744073709551615",
    ] {
        let d = doc(revision);
        seeds.push(
            format!(r#"{{"id":1,"method":"setState","params":{{"document":{d}}}}}"#).into_bytes(),
        );
        seeds.push(d.into_bytes());
    }
    seeds
}

/// The state seeds are what they claim: the version 2 document and the
/// first revisions are taken in both shapes, the ones past 2^53-1 are
/// refused in both.
#[test]
fn state_seeds_are_valid_up_to_the_largest_revision() {
    let seeds = state_seeds();
    for (i, seed) in seeds.iter().enumerate() {
        let parsed = if i % 2 == 0 {
            parse_request(seed)
                .map(|_| ())
                .map_err(|e| format!("{e:?}"))
        } else {
            serde_json::from_slice::<vitrine::state::Document>(seed)
                .map_err(|e| e.to_string())
                .and_then(|d| d.into_checked().map(|_| ()))
        };
        assert_eq!(parsed.is_ok(), i < 6, "seed {i}: {parsed:?}");
    }
}

/// Admin page requests: a login, an action with its CSRF token, an upload
/// head and an event stream.
fn schedule_seeds() -> Vec<Vec<u8>> {
    [
        r#"{"entries": [{"days": ["mon","fri"], "from": "07:00", "to": "11:00", "layout": "a"}]}"#,
        r#"{"timezone": "Europe/Paris", "entries": [{"from": "22:00", "to": "07:00", "display": "off", "priority": 3}]}"#,
        r#"{"entries": [{"from": "00:00", "to": "24:00", "layout": "a", "dates": {"from": "2026-12-24", "to": "2026-12-26"}}]}"#,
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect()
}

fn http_seeds() -> Vec<Vec<u8>> {
    vec![
        b"POST /api/login HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Type: application/json\r\nContent-Length: 20\r\n\r\n{\"password\":\"pw\"}".to_vec(),
        b"POST /api/rpc HTTP/1.1\r\nHost: localhost\r\nCookie: vitrine_session=abc\r\nX-CSRF-Token: def\r\nOrigin: http://localhost\r\nContent-Length: 2\r\n\r\n{}".to_vec(),
        b"PUT /api/upload?name=a.png HTTP/1.1\r\nHost: [::1]:8080\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n".to_vec(),
        b"GET /api/events HTTP/1.1\r\nHost: 10.0.0.5\r\nAccept: text/event-stream\r\n\r\n".to_vec(),
    ]
}

/// The admin page's TLS settings, with a certificate made once for every
/// case.
fn admin_tls() -> &'static std::sync::Arc<rustls::ServerConfig> {
    static TLS: std::sync::OnceLock<std::sync::Arc<rustls::ServerConfig>> =
        std::sync::OnceLock::new();
    TLS.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("vitrine-fuzz-tls-{}", std::process::id()));
        let cert =
            vitrine::admin::self_signed(&dir, &["127.0.0.1".into()], std::time::SystemTime::now())
                .unwrap();
        vitrine::admin::server_config(&cert).unwrap()
    })
}

/// TLS openings: real ClientHellos from rustls (TLS 1.3 and 1.2), and a
/// plain request to the TLS port.
fn tls_seeds() -> Vec<Vec<u8>> {
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let mut seeds: Vec<Vec<u8>> = [&rustls::version::TLS13, &rustls::version::TLS12]
        .into_iter()
        .map(|version| {
            let config = rustls::ClientConfig::builder_with_provider(provider.clone())
                .with_protocol_versions(&[version])
                .unwrap()
                .with_root_certificates(rustls::RootCertStore::empty())
                .with_no_client_auth();
            let name = rustls::pki_types::ServerName::try_from("127.0.0.1").unwrap();
            let mut client =
                rustls::ClientConnection::new(std::sync::Arc::new(config), name).unwrap();
            let mut hello = Vec::new();
            client.write_tls(&mut hello).unwrap();
            hello
        })
        .collect();
    seeds.push(http_seeds().remove(0));
    seeds
}

proptest! {
    #![proptest_config(config())]

    /// Anything sent to the admin page's TLS port: a handshake record is
    /// taken as TLS and anything else as plain HTTP (to be redirected), by
    /// its first byte; either way the reader ends with a head or a clear
    /// refusal, never a panic, well before its deadline.
    #[test]
    fn admin_tls_opening(data in input(tls_seeds())) {
        use std::io::Write as _;
        use std::time::{Duration, Instant};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let mut client = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        client.write_all(&data).unwrap();
        client.shutdown(std::net::Shutdown::Write).unwrap();
        let (server, _) = listener.accept().unwrap();
        server.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let Ok(mut conn) = vitrine::admin::Conn::accept(server, Some(admin_tls())) else {
            // An empty connection: nothing to read.
            prop_assert!(data.is_empty());
            return Ok(());
        };
        prop_assert_eq!(conn.is_tls(), data.first() == Some(&0x16));
        match vitrine::admin::read_head(&mut conn, Instant::now() + Duration::from_secs(5), 16 * 1024) {
            // Only a plain request can have a head: no client finished a
            // handshake.
            Ok(_) => prop_assert!(!conn.is_tls()),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    /// Frames in all three framings, cut and corrupted, decoded as a
    /// connection would: every frame found lies inside the buffer.
    #[test]
    fn codec(data in input(
        request_seeds()
            .into_iter()
            .flat_map(|p| [Framing::V2, Framing::V1, Framing::Le].map(|f| {
                let mut two = encode(f, &p);
                two.extend(encode(f, b"{}"));
                two
            }))
            .collect()
    ), max in prop_oneof![Just(64u32), Just(4096), Just(16 << 20)]) {
        let mut decoder = Decoder::new(max);
        let mut buf = data;
        for _ in 0..64 {
            match decoder.decode(&buf) {
                Ok(Decoded::Frame { start, end }) => {
                    prop_assert!(start <= end && end <= buf.len());
                    prop_assert!((end - start) as u64 <= u64::from(max));
                    buf.drain(..end);
                }
                Ok(Decoded::NeedMore(_)) | Err(_) => break,
            }
        }
    }

    /// Requests: anything parses or is refused, and what parses says the
    /// same when written back and parsed again.
    #[test]
    fn request_parser(data in input(request_seeds())) {
        if let Ok(r) = parse_request(&data) {
            let again = serde_json::to_vec(&r.command.to_request(1, None)).unwrap();
            prop_assert_eq!(parse_request(&again).unwrap().command, r.command);
        }
    }

    /// Config files: anything loads or is refused with a message.
    #[test]
    fn config_loader(data in input(vec![
        repo_file("config/vitrine.toml"),
        repo_file("config/demo.toml"),
    ])) {
        let text = String::from_utf8_lossy(&data);
        if let Err(e) = Config::parse(&text, Path::new("fuzz.toml")) {
            prop_assert!(!e.to_string().is_empty());
        }
    }

    /// Scenes and traces: whatever parses is played through the real scene.
    #[test]
    fn trace_parser(
        scene in input(repo_files("tests/traces", ".scene.json")),
        trace in input(repo_files("tests/traces", ".trace.jsonl")),
    ) {
        let scene = parse_scene(&String::from_utf8_lossy(&scene), &ScatterSettings::default());
        let trace = parse_trace(&String::from_utf8_lossy(&trace));
        if let (Ok(scene), Ok(trace)) = (scene, trace)
            && let Ok(mut s) = vitrine::replay::build_scene(&Config::default(), &scene)
        {
            let seen = vitrine::replay::play(&mut s, &trace, None);
            let _ = vitrine::replay::snapshot(&s, seen);
        }
    }

    /// The sniffer reads any head, type and name.
    #[test]
    fn content_sniffer(
        head in input(vec![
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(),
            b"\xff\xd8\xff\xe0".to_vec(),
            b"RIFF\0\0\0\0WEBPVP8 ".to_vec(),
            b"\x1aE\xdf\xa3".to_vec(),
            b"\0\0\0\x18ftypmp42".to_vec(),
            b"<!doctype html><html>".to_vec(),
        ]),
        content_type in prop::option::of("[ -~]{0,40}"),
        url in "[ -~]{0,60}",
    ) {
        let _ = sniff(&head, content_type.as_deref(), &url);
    }

    /// HTML limits: the pre-scan and the document check answer anything.
    #[test]
    fn html_limits(data in input(vec![
        b"<div><div><p>x</p></div></div>".to_vec(),
        b"<div/><div/></x><table><tr><td><p><p>".to_vec(),
        b"<!-- <div> --><script><div></script><style>a{}</style>".to_vec(),
        "<ul><li>\u{e9}<li><b><i></b></i>".as_bytes().to_vec(),
    ])) {
        let html = String::from_utf8_lossy(&data);
        let depth = nesting_depth(&html, 64);
        prop_assert!(depth <= html.len() + 1);
        let _ = check_document(&html, &HtmlSettings::default());
    }

    /// Images: corrupt and hostile files are errors, never panics, and stay
    /// within the pixel limit.
    #[test]
    fn image_decoder(data in input(vec![
        Rgba8Image::filled(7, 5, [1, 2, 3, 255]).to_png().unwrap(),
        repo_file("tests/fixtures/oriented.jpg"),
        repo_file("tests/fixtures/corrupt.png"),
    ])) {
        let limits = ImageLimits { max_bytes: 1 << 20, max_pixels: 1 << 16 };
        if let Ok(img) = decode_image(&data, limits) {
            prop_assert!(u64::from(img.width()) * u64::from(img.height()) <= 1 << 16);
        }
    }

    /// Thrift: any bytes are told apart or refused, and read as a call or
    /// refused with an error, within the size limits, in both protocols.
    #[test]
    fn thrift_reader(data in input(thrift_seeds())) {
        use thrift::protocol::{TBinaryInputProtocol, TCompactInputProtocol};
        let _ = detect(&data, 1 << 20);
        let limits = thrift::TConfiguration::builder()
            .max_string_size(Some(1 << 16))
            .max_container_size(Some(1 << 16))
            .build()
            .unwrap();
        let _ = read_call(&mut TBinaryInputProtocol::with_config(&data[..], true, limits.clone()));
        let _ = read_call(&mut TCompactInputProtocol::with_config(&data[..], limits));
    }

    /// TUIO: any datagram decodes or is refused, and what decodes goes
    /// through the tracker without a panic, its positions as sent.
    #[test]
    fn tuio_decoder(data in input(tuio_seeds())) {
        use vitrine::tuio::tracker::{Bounds, Tracker};
        if let Ok(frame) = decode_tuio(&data) {
            let mut t = Tracker::new(Bounds {
                timeout: std::time::Duration::from_secs(1),
                max_cursors: 4,
                max_sources: 2,
                max_sources_per_address: 2,
            });
            let mut out = Vec::new();
            let peer = std::net::SocketAddr::from(([127, 0, 0, 1], 3333));
            t.apply(&frame, peer, std::time::Instant::now(), &mut out);
            prop_assert!(out.len() <= 4);
            prop_assert!(out.iter().all(|e| e.pos.is_finite()));
        }
    }

    /// TUIO from several senders: mutated bundles (all naming the same
    /// source) from four addresses through one tracker. A finger is only
    /// ever moved or ended by the address that put it down, and no more
    /// fingers are down than the bounds allow.
    #[test]
    fn tuio_several_senders(
        datagrams in prop::collection::vec((0..4u8, input(tuio_seeds())), 1..24)
    ) {
        use std::collections::HashMap;
        use vitrine::tuio::Phase;
        use vitrine::tuio::tracker::{Bounds, Tracker};
        let mut t = Tracker::new(Bounds {
            timeout: std::time::Duration::from_secs(60),
            max_cursors: 4,
            max_sources: 3,
            max_sources_per_address: 1,
        });
        let now = std::time::Instant::now();
        let mut owner: HashMap<u64, u8> = HashMap::new();
        for (sender, data) in datagrams {
            let Ok(frame) = decode_tuio(&data) else { continue };
            let peer = std::net::SocketAddr::from(([127, 0, 0, 1 + sender], 3333));
            let mut out = Vec::new();
            t.apply(&frame, peer, now, &mut out);
            for e in out {
                prop_assert!(e.pos.is_finite());
                match e.phase {
                    Phase::Start => {
                        prop_assert!(owner.insert(e.finger, sender).is_none());
                    }
                    Phase::Move => prop_assert_eq!(owner.get(&e.finger), Some(&sender)),
                    _ => prop_assert_eq!(owner.remove(&e.finger), Some(sender)),
                }
            }
            prop_assert!(owner.len() <= 3 * 4);
        }
    }

    /// State documents: whatever is accepted, from the file form or inside
    /// `setState`, has a revision JSON can carry and only safe names.
    #[test]
    fn state_document(data in input(state_seeds())) {
        use vitrine::api::protocol::bounds::{MAX_REVISION, check_name};
        use vitrine::state::Document;
        if let Ok(doc) = serde_json::from_slice::<Document>(&data)
            && let Ok(state) = doc.into_checked()
        {
            prop_assert!(state.revision <= MAX_REVISION);
            for w in &state.widgets {
                prop_assert!(check_name(&w.name, 128).is_ok(), "{:?}", w.name);
            }
        }
        if let Ok(r) = parse_request(&data)
            && let Command::Call(Call::SetState { document }) = r.command
        {
            prop_assert!(document.revision <= MAX_REVISION);
        }
    }

    /// The admin page's request reader on a real loopback connection:
    /// any bytes give a head or a refusal, never a panic, and a head's
    /// headers are what the bytes held.
    #[test]
    fn admin_request_head(data in input(http_seeds())) {
        use std::io::Write as _;
        use std::time::{Duration, Instant};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let mut client = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        client.write_all(&data).unwrap();
        client.shutdown(std::net::Shutdown::Write).unwrap();
        let (mut server, _) = listener.accept().unwrap();
        match vitrine::admin::read_head(&mut server, Instant::now() + Duration::from_secs(5), 16 * 1024) {
            Ok(head) => {
                // A value that is not ASCII is read lossily (and then
                // matches no allowed host), so only ASCII ones are compared.
                if let Some(host) = head.header("host").filter(|h| h.is_ascii()) {
                    let needle = host.as_bytes();
                    prop_assert!(
                        needle.is_empty()
                            || data.windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle))
                    );
                }
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    /// MQTT command payloads through the fleet's command path: an id past
    /// its bound is refused, a refusal is JSON naming the id only when it
    /// is short, and what parses is remembered by a fixed-size key.
    #[test]
    fn fleet_command_payload(data in input(request_seeds())) {
        use vitrine::fleet::{Remembered, refusal};
        use vitrine::api::protocol::parse_request_within;
        let remembered = Remembered::new(4, 16);
        let refused = refusal(&data, -32002, "busy");
        let v: serde_json::Value = serde_json::from_slice(&refused).unwrap();
        prop_assert_eq!(&v["error"]["code"], &serde_json::json!(-32002));
        prop_assert!(refused.len() <= data.len() + 256);
        if let Ok(r) = parse_request_within(&data, 128)
            && let Some(id) = r.id.as_ref()
        {
            let long = match id {
                serde_json::Value::String(s) => s.len() > 16,
                other => other.to_string().len() > 16,
            };
            prop_assert_eq!(remembered.key(id, &data).is_err(), long);
        }
    }

    /// Schedules: any bytes parse or are refused; what parses is checked,
    /// and evaluated in UTC and in Paris without a panic, and a next change
    /// is always later than now.
    #[test]
    fn schedule(data in input(schedule_seeds())) {
        use vitrine::plan::{Limits, Schedule, TimeZone, Timestamp, time_zone};
        if let Ok(s) = serde_json::from_slice::<Schedule>(&data) {
            let checked = s.check(&Limits { max_entries: 64 }, |n| n == "a");
            if let Err(e) = &checked {
                prop_assert!(!e.to_string().is_empty());
            }
            let now: Timestamp = "2027-03-28T00:30:00Z".parse().unwrap();
            for tz in [TimeZone::UTC, time_zone("Europe/Paris").unwrap()] {
                let _ = s.at(&tz, now);
                if let Some((when, _)) = s.next_change(&tz, now) {
                    prop_assert!(when > now);
                }
            }
        }
    }
}
