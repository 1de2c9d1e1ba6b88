//! Issue 23's first two findings, as a hostile client on the store network would try them, through real kiosk processes (and a real Mosquitto): revisions past 2^53−1 refused everywhere they enter and never wrapped, names bounded and of a safe character set, and a fleet status that always fits the broker's packet limit.

use crate::support;

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::mqtt::{Backoffice, Broker};
use support::{KioskProcess, temp_dir};
use vitrine::remote::{ClientError, Framing};

/// 2^53 − 1, the largest revision.
const MAX_REVISION: u64 = (1 << 53) - 1;

fn state_config(state: &Path) -> String {
    format!("[state]\ndir = {:?}\n", state.display().to_string())
}

fn call(kiosk: &KioskProcess, method: &str, params: Value) -> Result<Value, ClientError> {
    kiosk.client(Framing::V2).call(method, params)
}

/// The JSON-RPC error a call got; fails when it succeeded.
fn refused(kiosk: &KioskProcess, method: &str, params: Value) -> (i64, String) {
    match call(kiosk, method, params) {
        Err(ClientError::Rpc { code, message }) => (code, message),
        other => panic!("{method} was not refused: {other:?}"),
    }
}

fn revision(kiosk: &KioskProcess) -> u64 {
    call(kiosk, "ping", json!({})).unwrap()["revision"]
        .as_u64()
        .unwrap()
}

fn document(revision: u64, names: &[&str]) -> Value {
    let widgets: Vec<Value> = names
        .iter()
        .map(|n| {
            json!({"name": n, "source": {"type": "html", "data": "<p>x</p>"},
                   "home": {"x": 10.0, "y": 10.0, "scale": 1.0, "rotation": 0.0}})
        })
        .collect();
    json!({"format": "vitrine-state", "version": 1,
           "state": {"revision": revision, "widgets": widgets}})
}

#[test]
fn a_revision_past_two_to_the_53_is_refused_and_the_largest_never_wraps() {
    let state = temp_dir("hostile-revision").join("state");
    let kiosk = KioskProcess::start(&state_config(&state), &[]);

    // The attack: one setState at 2^64−1.
    let (code, message) = refused(&kiosk, "setState", document(u64::MAX, &["a"]));
    assert_eq!(code, -32602, "{message}");
    assert!(message.contains("2^53-1"), "{message}");
    let (code, _) = refused(&kiosk, "setState", document(MAX_REVISION + 1, &["a"]));
    assert_eq!(code, -32602);
    assert_eq!(revision(&kiosk), 0, "nothing was applied");

    // The largest revision itself is taken…
    let r = call(&kiosk, "setState", document(MAX_REVISION, &["a"])).unwrap();
    assert_eq!(r["applied"], true, "{r}");
    assert_eq!(revision(&kiosk), MAX_REVISION);
    // …and then a change is refused with a clear error, never wrapped.
    let r = call(&kiosk, "postHtml", json!({"name": "b", "data": "<p>b</p>"})).unwrap();
    assert_eq!(r["status"], "LOAD_FAILED", "{r}");
    assert!(r["message"].as_str().unwrap().contains("2^53-1"), "{r}");
    let r = call(&kiosk, "remove", json!({"name": "a"})).unwrap();
    assert_eq!(r["status"], "LOAD_FAILED", "{r}");
    assert_eq!(revision(&kiosk), MAX_REVISION, "never wraps to 0");
    let names: Vec<Value> = call(&kiosk, "listContent", json!({})).unwrap()["widgets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["name"].clone())
        .collect();
    assert!(!names.contains(&json!("b")), "a refused change never shows");
}

#[test]
fn a_state_file_with_a_revision_past_two_to_the_53_is_set_aside_at_start() {
    let state = temp_dir("hostile-revision-file").join("state");
    std::fs::create_dir_all(&state).unwrap();
    std::fs::write(
        state.join("state.json"),
        document(1 << 60, &["a"]).to_string(),
    )
    .unwrap();
    let kiosk = KioskProcess::start(&state_config(&state), &[]);
    assert_eq!(revision(&kiosk), 0, "the file was not restored");
    let aside = std::fs::read_dir(&state)
        .unwrap()
        .filter(|e| {
            let n = e.as_ref().unwrap().file_name();
            n.to_string_lossy().starts_with("state.json.bad-")
        })
        .count();
    assert_eq!(aside, 1, "kept aside for inspection");
    assert!(kiosk.log.lock().unwrap().contains("2^53-1"));
}

#[test]
fn a_long_or_unsafe_name_is_refused_by_every_method_that_takes_one() {
    let state = temp_dir("hostile-names").join("state");
    let kiosk = KioskProcess::start(&state_config(&state), &[]);
    let long = "n".repeat(2 << 20);
    let unsafe_names = [long.as_str(), "a/b", "=cmd()", "-x", "<b>", "a\"b", "x\n"];
    for name in unsafe_names {
        for (method, params) in [
            ("postHtml", json!({"name": name, "data": "<p>x</p>"})),
            ("fetchUrl", json!({"name": name, "url": "file:///x.png"})),
            ("remove", json!({"name": name})),
            ("raise", json!({"name": name})),
            ("place", json!({"name": name, "x": 1})),
            ("showBackdrop", json!({"above": [name]})),
            ("setState", document(1, &[name])),
        ] {
            let (code, message) = refused(&kiosk, method, params);
            assert_eq!(code, -32602, "{method}: {message}");
            assert!(message.len() < 300, "the name is not echoed back: {method}");
        }
    }
    let (_, message) = refused(&kiosk, "postHtml", json!({"name": long, "data": "x"}));
    assert!(message.contains("remote.max_name_bytes"), "{message}");
    // A name of the documented set, at the bound, is taken.
    let ok = format!("Offer_1.b-{}", "c".repeat(118));
    assert_eq!(ok.len(), 128);
    let r = call(&kiosk, "postHtml", json!({"name": ok, "data": "<p>x</p>"})).unwrap();
    assert_eq!(r["status"], "SUCCESS", "{r}");
    assert!(
        std::fs::read_to_string(state.join("state.json"))
            .unwrap()
            .contains(&ok)
    );
}

fn fleet_config(broker: &Broker, id: &str, dir: &Path, max_payload: usize) -> String {
    format!(
        "[fleet]\nenabled = true\nbroker = {url:?}\nkiosk_id = {id:?}\n\
         keep_alive = \"30s\"\nreconnect_max = \"2s\"\nmax_payload_bytes = {max_payload}\n\
         status_interval = \"1s\"\n[state]\ndir = {state:?}\n",
        url = broker.url(),
        state = dir.join(format!("state-{id}")).display().to_string(),
    )
}

#[test]
fn a_long_name_never_cuts_a_kiosk_off_the_fleet() {
    let dir = temp_dir("hostile-fleet-name");
    let broker = Broker::start();
    let office = Backoffice::connect(&broker, "office-hostile-name");
    let kiosk = KioskProcess::start(&fleet_config(&broker, "hn", &dir, 65536), &[]);
    office.status("hn", "online", |v| v["online"] == true);

    // The attack: a 2 MB name over the socket, then over the fleet.
    let long = "n".repeat(2 << 20);
    let (code, message) = refused(
        &kiosk,
        "postHtml",
        json!({"name": long, "data": "<p>x</p>"}),
    );
    assert_eq!(code, -32602, "{message}");
    let wide = "w".repeat(200);
    office.publish(
        "vitrine/hn/cmd",
        Backoffice::request(
            "c-wide",
            "postHtml",
            json!({"name": wide, "data": "<p>x</p>"}),
        ),
        false,
    );
    let r = office.reply("hn", "c-wide");
    assert_eq!(r["error"]["code"], -32602, "{r}");
    // A retained desired state at 2^64−1 is refused, and says why.
    office.publish(
        "vitrine/all/desired",
        serde_json::to_vec(&document(u64::MAX, &["a"])).unwrap(),
        true,
    );
    let s = office.status("hn", "refusing the desired state", |v| {
        v["desired_error"]
            .as_str()
            .is_some_and(|e| e.contains("2^53-1"))
    });
    assert_eq!(s["online"], true);
    // The link stays up and the kiosk still takes commands.
    office.publish(
        "vitrine/hn/cmd",
        Backoffice::request("c-after", "ping", json!({})),
        false,
    );
    assert_eq!(office.reply("hn", "c-after")["result"]["revision"], 0);
    office.publish("vitrine/all/desired", Vec::new(), true);
}

#[test]
fn the_status_of_a_kiosk_with_many_widgets_fits_the_packet_limit() {
    let dir = temp_dir("hostile-fleet-status");
    let broker = Broker::start();
    let office = Backoffice::connect(&broker, "office-hostile-status");
    let kiosk = KioskProcess::start(&fleet_config(&broker, "hs", &dir, 1024), &[]);
    office.status("hs", "online", |v| v["online"] == true);
    let mut c = kiosk.client(Framing::V2);
    for i in 0..30 {
        let name = format!("w{i:02}-{}", "x".repeat(100));
        let r = c
            .call("postHtml", json!({"name": name, "data": "<p>x</p>"}))
            .unwrap();
        assert_eq!(r["status"], "SUCCESS", "{r}");
    }
    let s = office.status("hs", "listing 30 widgets", |v| v["shown_total"] == 30);
    assert_eq!(s["truncated"], true, "{s}");
    assert!(!s["shown"].as_array().unwrap().is_empty(), "as many as fit");
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        for seen in office.on("vitrine/hs/status") {
            assert!(seen.payload.len() <= 1024, "{} bytes", seen.payload.len());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(s["online"], true);
}
