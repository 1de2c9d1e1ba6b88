//! The fleet against a hostile store network: a command id of a megabyte is refused with an error and the kiosk goes on answering; a password that would cross the network in clear leaves the fleet off (the kiosk keeps showing its content, `vitrine doctor` says why), and one written into the broker URL is a config error.

use crate::support;

use std::path::Path;

use serde_json::{Value, json};
use support::mqtt::{Backoffice, Broker};
use support::{KioskProcess, temp_dir};
use vitrine::remote::Framing;

/// `vitrine [args]` with `config` written to a file of its own.
fn vitrine(config: &str, args: &[&str]) -> std::process::Output {
    support::run_once(config, args)
}

fn state(dir: &Path) -> String {
    format!(
        "[state]\ndir = {:?}\n",
        dir.join("state").display().to_string()
    )
}

#[test]
fn a_command_with_a_megabyte_id_is_refused_and_the_kiosk_goes_on() {
    let dir = temp_dir("fleet-hostile-id");
    let broker = Broker::start();
    let office = Backoffice::connect(&broker, "office-hostile-id");
    // The payload bound is raised so that only the id's bound is in play.
    let kiosk = KioskProcess::start(
        &format!(
            "[fleet]\nenabled = true\nbroker = {:?}\nkiosk_id = \"h1\"\n\
             reconnect_max = \"2s\"\nmax_payload_bytes = 4194304\n{}",
            broker.url(),
            state(&dir)
        ),
        &[],
    );
    office.status("h1", "online", |v| v["online"] == true);

    let huge = "i".repeat(1 << 20);
    let refused = |v: &Value| {
        v["error"]["code"] == -32600
            && v["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("fleet.max_command_id_bytes"))
    };
    for _ in 0..3 {
        office.publish(
            "vitrine/h1/cmd",
            Backoffice::request(&huge, "listContent", json!({})),
            false,
        );
    }
    let reply = office.wait("vitrine/h1/reply", "the id's refusal", refused);
    assert_eq!(reply["id"], Value::Null, "a refused id is not echoed back");
    // No reply carries the megabyte back.
    assert!(
        office
            .on("vitrine/h1/reply")
            .iter()
            .all(|s| s.payload.len() < 4096),
        "a reply echoed the huge id"
    );

    // The kiosk goes on answering, on the fleet and on its socket.
    office.publish(
        "vitrine/h1/cmd",
        Backoffice::request("ok-1", "listContent", json!({})),
        false,
    );
    let ok = office.reply("h1", "ok-1");
    assert!(ok["result"]["widgets"].is_array(), "{ok}");
    let listed = kiosk
        .client(Framing::V2)
        .call("listContent", json!({}))
        .unwrap();
    assert!(listed["widgets"].is_array(), "{listed}");
}

/// A kiosk whose fleet would send a password in clear to a LAN broker.
/// 192.0.2.1 is TEST-NET-1: nothing answers there, and the fleet refuses
/// before it would try.
fn cleartext(dir: &Path, extra: &str) -> String {
    format!(
        "[fleet]\nenabled = true\nbroker = \"mqtt://192.0.2.1:1883\"\nkiosk_id = \"h2\"\n\
         username = \"kiosk\"\npassword = \"s3cret\"\n{extra}{}",
        state(dir)
    )
}

#[test]
fn a_password_in_clear_to_a_lan_broker_leaves_the_fleet_off_and_the_kiosk_on() {
    let dir = temp_dir("fleet-hostile-clear");
    let kiosk = KioskProcess::start(&cleartext(&dir, ""), &[]);
    let log = kiosk.log.lock().unwrap().clone();
    assert!(
        log.contains("fleet disabled") && log.contains("fleet.allow_plaintext_password"),
        "the log says why the fleet is off:\n{log}"
    );
    assert!(
        !log.contains("fleet: connecting"),
        "no connection is tried:\n{log}"
    );
    assert!(!log.contains("s3cret"), "the password is never logged");
    // The kiosk shows its content all the same.
    let mut client = kiosk.client(Framing::V2);
    let pushed = client
        .call(
            "postHtml",
            json!({"name": "still-here", "data": "<h1>hi</h1>", "width": 100, "height": 50}),
        )
        .unwrap();
    assert_eq!(pushed["status"], "SUCCESS", "{pushed}");

    // doctor says why, without trying the broker.
    let out = vitrine(&cleartext(&dir, ""), &["doctor", "--headless"]);
    let table = String::from_utf8_lossy(&out.stdout);
    let row = table
        .lines()
        .find(|l| l.trim_start().starts_with("fleet broker"))
        .unwrap_or_else(|| panic!("no fleet broker row:\n{table}"));
    assert!(
        row.contains("MISSING") && row.contains("in clear"),
        "{table}"
    );
    assert!(
        table.contains("fleet.allow_plaintext_password") && table.contains("mqtts://"),
        "doctor says how to fix it:\n{table}"
    );
    assert!(!table.contains("s3cret"), "{table}");
}

#[test]
fn a_password_in_clear_over_loopback_or_when_allowed_is_taken() {
    // A loopback broker: the password never leaves the machine.
    let dir = temp_dir("fleet-hostile-loopback");
    let broker = Broker::start();
    let office = Backoffice::connect(&broker, "office-hostile-loopback");
    let _kiosk = KioskProcess::start(
        &format!(
            "[fleet]\nenabled = true\nbroker = {:?}\nkiosk_id = \"h3\"\n\
             username = \"kiosk\"\npassword = \"s3cret\"\nreconnect_max = \"2s\"\n{}",
            broker.url(),
            state(&dir)
        ),
        &[],
    );
    office.status("h3", "online", |v| v["online"] == true);

    // The opt-in is read and kept (the kiosk itself would connect; doctor's
    // row no longer names the refusal).
    let out = vitrine(
        &cleartext(&dir, "allow_plaintext_password = true\n"),
        &["--print-config"],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(
        printed.contains("allow_plaintext_password = true"),
        "{printed}"
    );
}

#[test]
fn credentials_in_the_broker_url_are_a_config_error_naming_the_key() {
    let dir = temp_dir("fleet-hostile-url");
    for url in [
        "mqtt://kiosk:s3cret@127.0.0.1:1883",
        "mqtts://kiosk@broker.example",
    ] {
        let out = vitrine(
            &format!("[fleet]\nenabled = true\nbroker = {url:?}\n{}", state(&dir)),
            &["--print-config"],
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{url}: {err}");
        assert!(
            err.contains("fleet.broker")
                && err.contains("line 3")
                && err.contains("fleet.username")
                && err.contains("fleet.password"),
            "{url}: {err}"
        );
        assert!(!err.contains("s3cret"), "the password is not echoed: {err}");
    }
}
