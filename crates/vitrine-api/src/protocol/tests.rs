//! Unit tests of the protocol: the three parameter shapes, error codes, the typed round trip of every command, and the statuses of failures.

use super::*;
use crate::command::PlaceSpec;
use crate::gestures::{Fill, GestureChange};
use crate::outcome::{FailureKind, LoadFailure};

fn parse(s: &str) -> Result<Request, RpcError> {
    parse_request(s.as_bytes())
}

#[test]
fn three_parameter_shapes() {
    let want = Command::Load(Load::FetchUrl {
        name: "a".into(),
        url: "http://x/".into(),
        poster: None,
        placement: PlaceSpec::default(),
    });
    for s in [
        r#"{"jsonrpc":"2.0","id":1,"method":"fetchUrl","params":{"name":"a","url":"http://x/"}}"#,
        r#"{"id":1,"method":"fetchUrl","params":{"url":{"name":"a","url":"http://x/"}}}"#,
        r#"{"id":1,"method":"fetchUrl","params":["a","http://x/"]}"#,
        r#"{"id":1,"method":"fetchUrl","params":[{"name":"a","url":"http://x/"}]}"#,
    ] {
        assert_eq!(parse(s).unwrap().command, want, "{s}");
    }
    let html = parse(r#"{"id":2,"method":"postHtml","params":{"html":{"name":"b","data":"<p>"}}}"#)
        .unwrap();
    assert!(matches!(html.command, Command::Load(Load::PostHtml { ref name, .. }) if name == "b"));
}

#[test]
fn notifications_and_auth() {
    let r = parse(r#"{"method":"ping","auth":"s3cret"}"#).unwrap();
    assert_eq!(r.id, None);
    assert_eq!(r.auth.as_deref(), Some("s3cret"));
}

#[test]
fn error_codes() {
    let code = |s: &str| parse(s).unwrap_err().code;
    assert_eq!(code("{nope"), codes::PARSE_ERROR);
    assert_eq!(code("[1,2]"), codes::INVALID_REQUEST);
    assert_eq!(code(r#"{"id":1}"#), codes::INVALID_REQUEST);
    assert_eq!(code(r#"{"id":{},"method":"ping"}"#), codes::INVALID_REQUEST);
    assert_eq!(
        code(r#"{"id":1,"method":"launchMissiles"}"#),
        codes::METHOD_NOT_FOUND
    );
    assert_eq!(
        code(r#"{"id":1,"method":"fetchUrl","params":{"name":1,"url":"x"}}"#),
        codes::INVALID_PARAMS
    );
    assert_eq!(
        code(r#"{"id":1,"method":"fetchUrl","params":{"name":"a"}}"#),
        codes::INVALID_PARAMS
    );
    assert_eq!(
        code(r#"{"id":1,"method":"showBackdrop","params":{"color":[2,0,0,1]}}"#),
        codes::INVALID_PARAMS
    );
    assert_eq!(
        code(r#"{"id":1,"method":"ping","params":7}"#),
        codes::INVALID_PARAMS
    );
    // A name twice above the backdrop once killed the UI thread; the
    // edge refuses it.
    assert_eq!(
        code(r#"{"id":1,"method":"showBackdrop","params":{"above":["a","a"]}}"#),
        codes::INVALID_PARAMS
    );
    // A viewport no page may have: refused before any canvas exists.
    assert_eq!(
        code(
            r#"{"id":1,"method":"postHtml","params":{"name":"a","data":"","width":600000,"height":600000}}"#
        ),
        codes::INVALID_PARAMS
    );
    assert!(
        parse(r#"{"id":1,"method":"postHtml","params":{"name":"a","data":"","width":8192}}"#)
            .is_ok()
    );
    // The id survives into errors found after it was read.
    let e = parse(r#"{"id":"x","method":"nope"}"#).unwrap_err();
    assert_eq!(e.reply()["id"], "x");
}

/// `vitrine ctl` builds requests from the same types the server parses:
/// every command survives the round trip, so a method's name and
/// parameters cannot drift apart.
#[test]
fn every_command_round_trips() {
    let name = || "w".to_string();
    let all = [
        Command::Query(Query::WhatsLoaded),
        Command::Query(Query::CurrentUrl),
        Command::Query(Query::Ping),
        Command::Load(Load::FetchUrl {
            name: name(),
            url: "http://x/".into(),
            poster: Some("http://x/p.png".into()),
            placement: PlaceSpec::default(),
        }),
        Command::Load(Load::FetchUrl {
            name: name(),
            url: "http://x/".into(),
            poster: None,
            placement: PlaceSpec::default(),
        }),
        Command::Load(Load::PostHtml {
            name: name(),
            data: "<p>".into(),
            base_url: Some("http://x/".into()),
            width: Some(800),
            height: None,
            placement: PlaceSpec::default(),
        }),
        Command::Call(Call::ListContent),
        Command::Call(Call::Remove { name: name() }),
        Command::Call(Call::Raise { name: name() }),
        Command::Call(Call::Play { name: name() }),
        Command::Call(Call::Pause { name: name() }),
        Command::Call(Call::ShowBackdrop {
            color: Some([0.0, 0.5, 1.0, 0.25]),
            above: vec![name(), "v".into()],
        }),
        Command::Call(Call::ShowBackdrop {
            color: None,
            above: vec![],
        }),
        Command::Call(Call::HideBackdrop),
        Command::Call(Call::Reset),
        Command::Call(Call::Screenshot {
            max_width: Some(320),
        }),
        Command::Call(Call::Screenshot { max_width: None }),
        Command::Call(Call::Place {
            name: name(),
            at: PlaceSpec {
                x: Some(10.5),
                y: Some(-3.0),
                scale: None,
                rotation: Some(-45.0),
                width: Some(320.0),
                gestures: GestureChange::default(),
            },
            z: Some(0),
            animate: false,
        }),
        Command::Call(Call::Place {
            name: name(),
            at: PlaceSpec {
                gestures: GestureChange {
                    translate: Some(false),
                    rotate: None,
                    scale: Some(true),
                    pinned: Some(true),
                    fill: Some(Fill::Screen),
                },
                ..PlaceSpec::default()
            },
            z: None,
            animate: true,
        }),
        Command::Load(Load::FetchUrl {
            name: name(),
            url: "file:///a.png".into(),
            poster: None,
            placement: PlaceSpec {
                x: Some(1.0),
                gestures: GestureChange {
                    fill: Some(Fill::None),
                    pinned: Some(false),
                    ..GestureChange::default()
                },
                ..PlaceSpec::default()
            },
        }),
        Command::Call(Call::Place {
            name: name(),
            at: PlaceSpec::default(),
            z: None,
            animate: true,
        }),
    ];
    for c in all {
        let wire = serde_json::to_vec(&c.to_request(7, Some("t"))).unwrap();
        let back = parse_request(&wire).unwrap();
        assert_eq!(back.command, c);
        assert_eq!(back.id, Some(json!(7)));
        assert_eq!(back.auth.as_deref(), Some("t"));
    }
}

#[test]
fn failures_map_to_statuses() {
    let f = |k| load_reply(&Err(LoadFailure::new(k, "m")))["status"].clone();
    assert_eq!(f(FailureKind::Invalid), "INVALID_ARGUMENT");
    assert_eq!(f(FailureKind::TooLarge), "LOAD_FAILED");
    assert_eq!(f(FailureKind::TimedOut), "TIMEOUT");
    assert_eq!(f(FailureKind::Forbidden), "FORBIDDEN");
    assert_eq!(load_reply(&Ok("image"))["kind"], "image");
}

#[test]
fn push_results() {
    let r = PushResult::NotFound.result(Some("image"), "gone");
    assert_eq!(r["status"], "NOT_FOUND");
    assert_eq!(r["code"], 2);
    assert_eq!(PushResult::Timeout.code(), 6);
}

#[test]
fn place_refuses_what_cannot_be_a_place() {
    for params in [
        r#"{"name":"a","scale":0}"#,
        r#"{"name":"a","width":-5}"#,
        r#"{"name":"a","x":"left"}"#,
        r#"{"name":"a","z":-1}"#,
        r#"{"name":"a","animate":"yes"}"#,
        r#"{"x":1}"#,
    ] {
        let s = format!(r#"{{"jsonrpc":"2.0","id":1,"method":"place","params":{params}}}"#);
        let e = parse(&s).unwrap_err();
        assert_eq!(e.code, codes::INVALID_PARAMS, "{params}");
    }
    let ok =
        parse(r#"{"jsonrpc":"2.0","id":1,"method":"place","params":{"name":"a","x":1e3,"z":0}}"#)
            .unwrap();
    assert_eq!(
        ok.command,
        Command::Call(Call::Place {
            name: "a".into(),
            at: PlaceSpec {
                x: Some(1000.0),
                ..PlaceSpec::default()
            },
            z: Some(0),
            animate: true,
        })
    );
}

#[test]
fn bad_gesture_switches_are_named() {
    for (params, want) in [
        (r#"{"name":"a","gestures":{"spin":true}}"#, "spin"),
        (
            r#"{"name":"a","gestures":{"rotate":"yes"}}"#,
            "rotate must be true or false",
        ),
        (
            r#"{"name":"a","gestures":true}"#,
            "gestures must be an object",
        ),
        (r#"{"name":"a","fill":"cover"}"#, "fill must be"),
        (r#"{"name":"a","pinned":1}"#, "pinned must be true or false"),
    ] {
        let req = format!(r#"{{"jsonrpc":"2.0","id":1,"method":"place","params":{params}}}"#);
        let e = parse(&req).unwrap_err();
        assert_eq!(e.code, codes::INVALID_PARAMS, "{params}");
        assert!(e.message.contains(want), "{params}: {}", e.message);
    }
    let req = r#"{"jsonrpc":"2.0","id":1,"method":"fetchUrl","params":{"name":"a","url":"file:///x","placement":{"fill":"screen","pinned":true}}}"#;
    let Command::Load(Load::FetchUrl { placement, .. }) = parse(req).unwrap().command else {
        panic!("not a fetchUrl");
    };
    assert_eq!(placement.gestures.fill, Some(Fill::Screen));
    assert!(!placement.moves());
}

#[test]
fn set_state_takes_the_state_document_in_every_shape_and_checks_it() {
    let doc = r#"{"format":"vitrine-state","version":1,"state":{"revision":4,"widgets":[
        {"name":"a","source":{"type":"url","url":"file:///a.png"},
         "home":{"x":1.0,"y":2.0,"scale":1.0,"rotation":0.0}}]}}"#;
    for s in [
        format!(r#"{{"id":1,"method":"setState","params":{doc}}}"#),
        format!(r#"{{"id":1,"method":"setState","params":{{"document":{doc}}}}}"#),
        format!(r#"{{"id":1,"method":"setState","params":[{doc}]}}"#),
    ] {
        let r = parse(&s).unwrap();
        let Command::Call(Call::SetState { document }) = &r.command else {
            panic!("{:?}", r.command);
        };
        assert_eq!(document.revision, 4);
        assert_eq!(document.widgets[0].name, "a");
        // The typed command goes back to the same document.
        let again = parse(&r.command.to_request(1, None).to_string()).unwrap();
        assert_eq!(again.command, r.command);
    }
    for bad in [
        r#"{"format":"other","version":1,"state":{"revision":1,"widgets":[]}}"#,
        r#"{"format":"vitrine-state","version":3,"state":{"revision":1,"widgets":[]}}"#,
        r#"{"format":"vitrine-state","version":1,"state":{"revision":-1,"widgets":[]}}"#,
        r#"{"format":"vitrine-state","version":1,"state":{"revision":1,"widgets":[],"backdrop":{"above":["ghost"]}}}"#,
        r#"{"format":"vitrine-state","version":1,"state":{"revision":1,"widgets":[],"extra":1}}"#,
    ] {
        let e = parse(&format!(r#"{{"id":1,"method":"setState","params":{bad}}}"#)).unwrap_err();
        assert_eq!(e.code, codes::INVALID_PARAMS, "{bad}");
    }
    let get = parse(r#"{"id":1,"method":"getState"}"#).unwrap();
    assert_eq!(get.command, Command::Call(Call::GetState));
}

#[test]
fn a_string_id_past_the_names_bound_is_refused_without_echoing_it() {
    let ok = format!(r#"{{"id":"{}","method":"ping"}}"#, "i".repeat(128));
    assert!(parse_request_within(ok.as_bytes(), 128).is_ok());
    let long = format!(r#"{{"id":"{}","method":"ping"}}"#, "i".repeat(129));
    let e = parse_request_within(long.as_bytes(), 128).unwrap_err();
    assert_eq!(e.code, codes::INVALID_REQUEST);
    assert_eq!(e.id, None);
    assert!(e.message.contains("remote.max_name_bytes"), "{}", e.message);
    assert!(!e.message.contains("iiii"));
    // Numbers keep their own bound: what a double holds.
    assert!(parse_request_within(br#"{"id":12345678901234567890,"method":"ping"}"#, 128).is_ok());
}

#[test]
fn display_takes_on_off_or_nothing() {
    let on = parse(r#"{"id":1,"method":"display","params":{"power":"on"}}"#).unwrap();
    assert_eq!(on.command, Command::Call(Call::Display { on: Some(true) }));
    let off = parse(r#"{"id":1,"method":"display","params":["off"]}"#).unwrap();
    assert_eq!(
        off.command,
        Command::Call(Call::Display { on: Some(false) })
    );
    let ask = parse(r#"{"id":1,"method":"display"}"#).unwrap();
    assert_eq!(ask.command, Command::Call(Call::Display { on: None }));
    for bad in [r#"{"power":"dim"}"#, r#"{"power":1}"#, r#"["sideways"]"#] {
        let e = parse(&format!(r#"{{"id":1,"method":"display","params":{bad}}}"#)).unwrap_err();
        assert_eq!(e.code, codes::INVALID_PARAMS, "{bad}");
    }
    // The typed command goes back to the same request.
    let again = parse(&off.command.to_request(1, None).to_string()).unwrap();
    assert_eq!(again.command, off.command);
}
