//! The fleet through a real Mosquitto broker on loopback with headless kiosks: commands to all, a group or one kiosk, a redelivered command applied once, bad payloads, a retained desired state applied at start (and only when newer, and kept durably), a broker restart ridden out with the screen unchanged, the last will of a killed kiosk, and `vitrine ctl --fleet`.

use crate::support;

use std::path::Path;
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Value, json};
use support::mqtt::{Backoffice, Broker};
use support::{KioskProcess, temp_dir};
use vitrine::remote::Framing;

/// A kiosk's config: on `broker` as `id` in `groups`, with its own state
/// directory under `dir`.
fn config(broker: &Broker, id: &str, groups: &[&str], dir: &Path) -> String {
    format!(
        "[fleet]\nenabled = true\nbroker = {url:?}\nkiosk_id = {id:?}\ngroups = {groups:?}\n\
         keep_alive = \"30s\"\nreconnect_max = \"2s\"\nmax_payload_bytes = 65536\n\
         [state]\ndir = {state:?}\n",
        url = broker.url(),
        state = dir.join(format!("state-{id}")).display().to_string(),
    )
}

fn call(kiosk: &KioskProcess, method: &str, params: Value) -> Value {
    kiosk.client(Framing::V2).call(method, params).unwrap()
}

fn names(kiosk: &KioskProcess) -> Vec<String> {
    call(kiosk, "listContent", json!({}))["widgets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["name"].as_str().unwrap().to_string())
        .collect()
}

fn screenshot(kiosk: &KioskProcess) -> Vec<u8> {
    let shot = call(kiosk, "screenshot", json!({}));
    let png = base64::engine::general_purpose::STANDARD
        .decode(shot["png_base64"].as_str().unwrap())
        .unwrap();
    image::load_from_memory(&png).unwrap().to_rgba8().into_raw()
}

/// Polls `done` until it holds; after `secs` seconds, fails saying `why()`.
fn eventually(secs: u64, mut done: impl FnMut() -> bool, why: impl Fn() -> String) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !done() {
        assert!(Instant::now() < deadline, "{}", why());
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn online(v: &Value) -> bool {
    v["online"] == true
}

fn html(name: &str, colour: &str) -> Value {
    json!({"name": name, "data": format!("<body style='margin:0;background:{colour}'><h1>{name}</h1></body>"),
           "width": 200, "height": 100, "placement": {"x": 320, "y": 180, "scale": 1}})
}

#[test]
fn commands_reach_all_a_group_or_one_kiosk_and_a_redelivered_one_is_applied_once() {
    let dir = temp_dir("fleet-commands");
    let broker = Broker::start();
    let office = Backoffice::connect(&broker, "office-commands");
    let k1 = KioskProcess::start(&config(&broker, "k1", &["north"], &dir), &[]);
    let k2 = KioskProcess::start(&config(&broker, "k2", &["north"], &dir), &[]);
    let k3 = KioskProcess::start(&config(&broker, "k3", &["south"], &dir), &[]);
    for k in ["k1", "k2", "k3"] {
        office.status(k, "online", online);
    }

    // To all: every kiosk shows it, and says so.
    office.publish(
        "vitrine/all/cmd",
        Backoffice::request("c-all", "postHtml", html("sale", "red")),
        false,
    );
    for k in ["k1", "k2", "k3"] {
        let r = office.reply(k, "c-all");
        assert_eq!(r["result"]["status"], "SUCCESS", "{k}: {r}");
    }
    for k in [&k1, &k2, &k3] {
        assert!(names(k).contains(&"sale".to_string()));
    }

    // To a group: only its kiosks. The `all` ping after it shows k3 has
    // read past it (each kiosk takes its commands in order).
    office.publish(
        "vitrine/group/north/cmd",
        Backoffice::request("c-north", "postHtml", html("north", "blue")),
        false,
    );
    office.publish(
        "vitrine/all/cmd",
        Backoffice::request("c-ping", "ping", json!({})),
        false,
    );
    for k in ["k1", "k2"] {
        assert_eq!(office.reply(k, "c-north")["result"]["status"], "SUCCESS");
    }
    for k in ["k1", "k2", "k3"] {
        assert_eq!(
            office.reply(k, "c-ping")["result"]["version"],
            env!("CARGO_PKG_VERSION")
        );
    }
    assert!(
        office
            .on("vitrine/k3/reply")
            .iter()
            .all(|s| s.json()["id"] != "c-north")
    );
    assert!(names(&k1).contains(&"north".to_string()));
    assert!(!names(&k3).contains(&"north".to_string()));

    // The same command twice (as QoS 1 may deliver it): applied once, and
    // the second delivery gets the first reply again.
    let twice = Backoffice::request("c-twice", "postHtml", html("once", "green"));
    office.publish("vitrine/k1/cmd", twice.clone(), false);
    office.publish("vitrine/k1/cmd", twice, false);
    office.publish(
        "vitrine/k1/cmd",
        Backoffice::request("c-after", "ping", json!({})),
        false,
    );
    office.reply("k1", "c-after");
    let replies: Vec<Value> = office
        .on("vitrine/k1/reply")
        .iter()
        .map(|s| s.json())
        .filter(|v| v["id"] == "c-twice")
        .collect();
    assert_eq!(replies.len(), 2, "{replies:?}");
    assert_eq!(replies[0], replies[1]);
    let loaded = office
        .on("vitrine/k1/events")
        .iter()
        .map(|s| s.json())
        .filter(|v| v["params"]["type"] == "loaded" && v["params"]["name"] == "once")
        .count();
    assert_eq!(loaded, 1, "the command was applied {loaded} times");
    // The same id on another command is another command.
    office.publish(
        "vitrine/k1/cmd",
        Backoffice::request("c-twice", "whatsLoaded", json!({})),
        false,
    );
    office.wait("vitrine/k1/reply", "the reused id's own reply", |v| {
        v["id"] == "c-twice" && v["result"] == "once"
    });

    // The status says what shows, and its revision.
    let status = office.status("k1", "showing once", |v| {
        v["shown"]
            .as_array()
            .is_some_and(|s| s.first() == Some(&json!("once")))
    });
    assert_eq!(status["revision"], call(&k1, "ping", json!({}))["revision"]);
    assert_eq!(status["groups"], json!(["north"]));

    // `vitrine ctl --fleet`: a table of who answered.
    let ctl = |target: &str| {
        let out = support::vitrine()
            .args([
                "ctl",
                "--fleet",
                target,
                "--broker",
                &broker.url(),
                "--timeout",
                "20s",
                "whats-loaded",
            ])
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (ok, table) = ctl("all");
    assert!(ok, "{table}");
    for k in ["k1", "k2", "k3"] {
        assert!(table.lines().any(|l| l.starts_with(k)), "{table}");
    }
    assert!(table.contains("once"), "k1 shows once in front: {table}");
    assert!(
        table.contains("3 answered, 0 failed, 0 did not answer, 0 offline"),
        "{table}"
    );
    let (ok, table) = ctl("group:south");
    assert!(ok, "{table}");
    assert!(table.lines().any(|l| l.starts_with("k3")), "{table}");
    assert!(
        !table
            .lines()
            .any(|l| l.starts_with("k1") || l.starts_with("k2")),
        "{table}"
    );
    let (ok, table) = ctl("nobody-here");
    assert!(!ok, "no kiosk answered: {table}");

    // A kiosk that is online but stuck is named as silent, and fails ctl.
    let pid = k3.pid().to_string();
    let signal = |sig: &str| {
        std::process::Command::new("kill")
            .args([sig, &pid])
            .status()
            .unwrap();
    };
    signal("-STOP");
    let out = support::vitrine()
        .args([
            "ctl",
            "--fleet",
            "all",
            "--broker",
            &broker.url(),
            "--timeout",
            "3s",
            "ping",
        ])
        .output()
        .unwrap();
    signal("-CONT");
    let table = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{table}");
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("k3") && l.contains("no answer")),
        "{table}"
    );
    assert!(
        table.contains("2 answered, 0 failed, 1 did not answer"),
        "{table}"
    );
}

#[test]
fn bad_payloads_on_the_command_topic_get_errors_or_a_log_line_never_a_crash() {
    let dir = temp_dir("fleet-bad");
    let broker = Broker::start();
    let office = Backoffice::connect(&broker, "office-bad");
    let mut kiosk = KioskProcess::start(&config(&broker, "kb", &[], &dir), &[]);
    office.status("kb", "online", online);
    office.publish(
        "vitrine/kb/cmd",
        Backoffice::request("first", "postHtml", html("card", "teal")),
        false,
    );
    office.reply("kb", "first");
    let before = screenshot(&kiosk);

    // Over fleet.max_payload_bytes (64 KiB), within what the client reads.
    let huge = Backoffice::request(
        "huge",
        "postHtml",
        json!({"name": "x", "data": "y".repeat(100_000)}),
    );
    let mut nested = "[".repeat(30_000);
    nested.push_str(&"]".repeat(30_000));
    let bad: Vec<Vec<u8>> = vec![
        b"not json".to_vec(),
        Vec::new(),
        vec![0xff, 0xfe, 0x00, 0x80],
        nested.into_bytes(),
        b"[]".to_vec(),
        b"42".to_vec(),
        Backoffice::request("types", "postHtml", json!({"name": 5, "data": ["x"]})),
        Backoffice::request("method", "formatDisk", json!({})),
        Backoffice::request("stream", "subscribe", json!({})),
        Backoffice::request(
            "state",
            "setState",
            json!({"format": "vitrine-state", "version": 1, "state": {"revision": "x"}}),
        ),
        huge,
    ];
    for payload in bad {
        office.publish("vitrine/kb/cmd", payload, false);
    }
    // Errors with an id come back with that id.
    let code = |id: &str| office.reply("kb", id)["error"]["code"].as_i64().unwrap();
    assert_eq!(code("types"), -32602);
    assert_eq!(code("method"), -32601);
    assert_eq!(code("stream"), -32600);
    assert_eq!(code("state"), -32602);
    let huge = office.wait("vitrine/kb/reply", "the huge refusal", |v| {
        v["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("fleet.max_payload_bytes"))
    });
    assert_eq!(huge["error"]["code"], -32002);
    // Bytes that are no request get a parse error, as on the socket.
    assert!(
        office
            .on("vitrine/kb/reply")
            .iter()
            .any(|s| s.json()["error"]["code"] == -32700)
    );

    office.publish(
        "vitrine/kb/cmd",
        Backoffice::request("alive", "ping", json!({})),
        false,
    );
    office.reply("kb", "alive");

    // A reply larger than a packet may be becomes an error, not a
    // connection that breaks on it: four cards of 60 KB, then getState.
    for i in 0..4 {
        let padding = format!("<!-- {} -->", "p".repeat(60_000));
        let card = json!({"name": format!("big{i}"), "data": format!("{padding}<p>{i}</p>")});
        office.publish(
            "vitrine/kb/cmd",
            Backoffice::request(&format!("big{i}"), "postHtml", card),
            false,
        );
        assert_eq!(
            office.reply("kb", &format!("big{i}"))["result"]["status"],
            "SUCCESS"
        );
    }
    office.publish(
        "vitrine/kb/cmd",
        Backoffice::request("too-big", "getState", json!({})),
        false,
    );
    let r = office.reply("kb", "too-big");
    assert_eq!(r["error"]["code"], -32002, "{r}");
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .contains("more than the fleet may send")
    );
    for i in 0..4 {
        office.publish(
            "vitrine/kb/cmd",
            Backoffice::request(
                &format!("rm{i}"),
                "remove",
                json!({"name": format!("big{i}")}),
            ),
            false,
        );
        office.reply("kb", &format!("rm{i}"));
    }

    // Far over the bound: the connection drops, the kiosk starts a clean
    // session (so the broker does not deliver it again) and carries on.
    office.publish("vitrine/kb/cmd", vec![b'x'; 1 << 20], false);
    let connections = || {
        let log = kiosk.log.lock().unwrap();
        log.matches("fleet: connected to the broker").count()
    };
    eventually(
        30,
        || connections() >= 2,
        || format!("no reconnection:\n{}", kiosk.log.lock().unwrap()),
    );
    // Its subscriptions come back just after: ask until it answers.
    let deadline = Instant::now() + Duration::from_secs(30);
    while !office
        .on("vitrine/kb/reply")
        .iter()
        .any(|s| s.json()["id"] == "still")
    {
        assert!(
            Instant::now() < deadline,
            "no answer after the reconnection"
        );
        office.publish(
            "vitrine/kb/cmd",
            Backoffice::request("still", "ping", json!({})),
            false,
        );
        std::thread::sleep(Duration::from_millis(300));
    }
    assert!(kiosk.alive());
    assert_eq!(screenshot(&kiosk), before, "the screen did not change");
    let log = kiosk.log.lock().unwrap().clone();
    assert!(log.contains("fleet: a bad command"), "{log}");
    assert!(log.contains("fleet: a message was refused"), "{log}");
    assert!(log.contains("dropping the session that holds it"), "{log}");
}

#[test]
fn a_retained_desired_state_is_applied_at_start_only_when_newer_and_kept() {
    let dir = temp_dir("fleet-desired");
    let broker = Broker::start();
    let office = Backoffice::connect(&broker, "office-desired");
    let doc = |revision: u64, colour: &str| {
        json!({"format": "vitrine-state", "version": 1, "state": {"revision": revision, "widgets": [
            {"name": "left", "home": {"x": 20.0, "y": 40.0, "scale": 1.0, "rotation": 0.0},
             "source": {"type": "html", "data": format!("<body style='background:{colour}'>L</body>"), "width": 200, "height": 120}},
            {"name": "right", "home": {"x": 400.0, "y": 60.0, "scale": 0.5, "rotation": 15.0},
             "source": {"type": "html", "data": "<body style='background:navy'>R</body>", "width": 300, "height": 200}}
        ], "backdrop": {"above": ["right"]}}})
    };
    // Published while the kiosk is down, for its group.
    office.publish(
        "vitrine/group/west/desired",
        serde_json::to_vec(&doc(7, "olive")).unwrap(),
        true,
    );
    std::thread::sleep(Duration::from_millis(300));
    let cfg = config(&broker, "kd", &["west"], &dir);
    let kiosk = KioskProcess::start(&cfg, &[]);
    office.status("kd", "at revision 7 showing both", |v| {
        v["revision"] == 7 && v["shown"] == json!(["right", "left"])
    });
    let state = call(&kiosk, "getState", json!({}));
    assert_eq!(
        state,
        doc(7, "olive"),
        "getState returns the document published"
    );
    let shot = screenshot(&kiosk);
    let at = (100 * 640 + 120) * 4;
    assert!(
        shot[at] > 30 && shot[at + 1] > 30,
        "the olive card, dimmed: {:?}",
        &shot[at..at + 4]
    );
    let list = call(&kiosk, "listContent", json!({}));
    let right = &list["widgets"][0];
    assert_eq!(right["name"], "right");
    // 300x200 at scale 0.5 turned 15 degrees about its top-left corner (400, 60).
    let tl = &right["corners"][0];
    assert!(
        (tl[0].as_f64().unwrap() - 400.0).abs() < 0.5
            && (tl[1].as_f64().unwrap() - 60.0).abs() < 0.5,
        "{right}"
    );

    // An older revision, on any topic, changes nothing; a newer one does.
    office.publish(
        "vitrine/all/desired",
        serde_json::to_vec(&doc(6, "red")).unwrap(),
        true,
    );
    let again = call(&kiosk, "setState", doc(7, "red"));
    assert_eq!(
        (again["applied"].clone(), again["revision"].clone()),
        (json!(false), json!(7))
    );
    let newer = call(&kiosk, "setState", doc(9, "maroon"));
    assert_eq!(
        (
            newer["status"].clone(),
            newer["applied"].clone(),
            newer["revision"].clone()
        ),
        (json!("SUCCESS"), json!(true), json!(9))
    );
    assert_eq!(call(&kiosk, "getState", json!({})), doc(9, "maroon"));
    office.status("kd", "at revision 9", |v| v["revision"] == 9);
    // The changed card shows its new content (under the backdrop, dimmed):
    // maroon has no green, olive had.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let shot = screenshot(&kiosk);
        let at = (100 * 640 + 120) * 4;
        let (r, g) = (shot[at], shot[at + 1]);
        if r > 30 && g < 15 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the left card is still ({r}, {g}): not replaced"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(names(&kiosk), ["right", "left"]);

    // The same through `vitrine ctl get-state` and `set-state`.
    let ctl = |args: &[&str]| {
        let out = support::ctl(kiosk.port, args);
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (code, printed) = ctl(&["get-state"]);
    assert_eq!(code, Some(0));
    assert_eq!(
        serde_json::from_str::<Value>(&printed).unwrap(),
        doc(9, "maroon")
    );
    let file = dir.join("layout.json");
    std::fs::write(&file, doc(10, "gold").to_string()).unwrap();
    let (code, printed) = ctl(&["set-state", file.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{printed}");
    assert_eq!(call(&kiosk, "getState", json!({}))["state"]["revision"], 10);
    std::fs::write(&file, "{\"format\": \"vitrine-state\"}").unwrap();
    assert_eq!(
        ctl(&["set-state", file.to_str().unwrap()]).0,
        Some(2),
        "a bad file is a usage error"
    );
    let doc = |_: u64, _: &str| doc(10, "gold");

    // A desired state that is not a document is refused, and said so.
    office.publish(
        "vitrine/kd/desired",
        b"{\"format\": \"nope\"}".to_vec(),
        true,
    );
    office.status("kd", "reporting the refused document", |v| {
        v["desired_error"]
            .as_str()
            .is_some_and(|e| e.contains("vitrine/kd/desired"))
    });

    // Kept durably: after kill -9, with no broker at all, it comes back.
    drop(kiosk);
    drop(office);
    drop(broker);
    let kiosk = KioskProcess::start(&cfg, &[]);
    eventually(
        30,
        || names(&kiosk) == ["right", "left"],
        || format!("{:?}", names(&kiosk)),
    );
    assert_eq!(call(&kiosk, "getState", json!({})), doc(9, "maroon"));
}

#[test]
fn a_kiosk_rides_out_a_broker_restart_and_its_last_will_marks_it_offline() {
    let dir = temp_dir("fleet-restart");
    let mut broker = Broker::start();
    let cfg = config(&broker, "kr", &[], &dir);
    let mut kiosk = KioskProcess::start(&cfg, &[]);
    {
        let office = Backoffice::connect(&broker, "office-restart-1");
        office.status("kr", "online", online);
        office.publish(
            "vitrine/kr/cmd",
            Backoffice::request("show", "postHtml", html("card", "purple")),
            false,
        );
        office.reply("kr", "show");
    }
    let before = screenshot(&kiosk);

    broker.kill();
    // The screen and the socket carry on without the broker.
    for _ in 0..5 {
        assert_eq!(screenshot(&kiosk), before);
        assert_eq!(call(&kiosk, "whatsLoaded", json!({})), "card");
        std::thread::sleep(Duration::from_millis(300));
    }
    broker.restart();
    let office = Backoffice::connect(&broker, "office-restart-2");
    office.status("kr", "online again", online);
    office.publish(
        "vitrine/kr/cmd",
        Backoffice::request("back", "whatsLoaded", json!({})),
        false,
    );
    assert_eq!(office.reply("kr", "back")["result"], "card");
    assert_eq!(screenshot(&kiosk), before);
    assert!(kiosk.alive());
    let log = kiosk.log.lock().unwrap().clone();
    assert!(log.contains("the broker is unreachable"), "{log}");

    // SIGKILL: no goodbye, so the broker publishes the last will.
    let pid = kiosk.pid();
    let _ = std::process::Command::new("kill")
        .args(["-9", &pid.to_string()])
        .status();
    let offline = office.status("kr", "offline", |v| v["online"] == false);
    assert_eq!(offline["kiosk_id"], "kr");
    assert!(!kiosk.alive());
}

/// Runs openssl with `args` in `dir`.
fn openssl(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("openssl runs");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A certificate authority in `dir` named `name` (`name.crt`, `name.key`).
fn authority(dir: &Path, name: &str) {
    let (key, crt) = (format!("{name}.key"), format!("{name}.crt"));
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            &key,
            "-out",
            &crt,
            "-days",
            "2",
            "-subj",
            &format!("/CN=vitrine test {name}"),
        ],
    );
}

#[test]
fn a_kiosk_connects_over_tls_trusting_its_ca_file_and_no_other() {
    let dir = temp_dir("fleet-tls");
    authority(&dir, "ca");
    authority(&dir, "stranger");
    openssl(
        &dir,
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=127.0.0.1",
        ],
    );
    std::fs::write(
        dir.join("san.ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\n",
    )
    .unwrap();
    openssl(
        &dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.crt",
            "-days",
            "2",
            "-extfile",
            "san.ext",
        ],
    );
    // Mosquitto started as root reads its key as the `mosquitto` user.
    for f in ["server.key", "server.crt"] {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.join(f), std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    // TLS on the broker's port for kiosks, plain loopback for the office.
    let plain = Broker::free_port();
    let path = |f: &str| dir.join(f).display().to_string();
    let broker = Broker::start_with(&format!(
        "certfile {}\nkeyfile {}\nlistener {plain} 127.0.0.1\n",
        path("server.crt"),
        path("server.key"),
    ));
    let office = Backoffice::connect_port(plain, "office-tls");
    let tls = |id: &str, ca: &str| {
        format!(
            "[fleet]\nenabled = true\nbroker = \"mqtts://127.0.0.1:{}\"\nkiosk_id = {id:?}\nca_file = {:?}\n\
             reconnect_max = \"2s\"\n[state]\nenabled = false\n",
            broker.port,
            path(ca),
        )
    };
    let trusted = KioskProcess::start(&tls("tls-ok", "ca.crt"), &[]);
    office.status("tls-ok", "online over TLS", online);
    office.publish(
        "vitrine/tls-ok/cmd",
        Backoffice::request("t1", "postHtml", html("secure", "gray")),
        false,
    );
    assert_eq!(office.reply("tls-ok", "t1")["result"]["status"], "SUCCESS");
    assert_eq!(names(&trusted), ["secure"]);

    // A kiosk that trusts another authority refuses the broker, says why,
    // and keeps running.
    let wary = KioskProcess::start(&tls("tls-no", "stranger.crt"), &[]);
    let refused = || {
        wary.log
            .lock()
            .unwrap()
            .contains("the broker is unreachable")
    };
    eventually(20, refused, || wary.log.lock().unwrap().clone());
    let log = wary.log.lock().unwrap().clone();
    assert!(
        log.to_lowercase().contains("certificate") || log.contains("UnknownIssuer"),
        "{log}"
    );
    assert!(office.on("vitrine/tls-no/status").is_empty());

    // A CA file that is not there leaves the fleet off, and the kiosk up.
    let lost = KioskProcess::start(&tls("tls-lost", "missing.crt"), &[]);
    assert_eq!(
        call(&lost, "ping", json!({}))["version"],
        env!("CARGO_PKG_VERSION")
    );
    let log = lost.log.lock().unwrap().clone();
    assert!(
        log.contains("fleet disabled") && log.contains("missing.crt"),
        "{log}"
    );
    assert_eq!(
        call(&wary, "ping", json!({}))["version"],
        env!("CARGO_PKG_VERSION")
    );
}
