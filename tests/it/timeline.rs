//! The day on the admin page: `timeline` answers a day of the schedule as spans (on the socket, through the admin page's API and `vitrine ctl timeline`), refuses a bad date, and the admin page downloads proof of play as CSV.

use crate::support;

use serde_json::{Value, json};
use support::http::Browser;
use support::{KioskProcess, temp_dir};
use vitrine::remote::Framing;

/// A state with a breakfast layout from 07:00 to 10:30 and the screen off
/// from 22:00 to 07:00, read in Paris.
fn doc() -> Value {
    let home = |name: &str| {
        json!({"widgets": [{"name": name,
        "source": {"type": "html", "data": "<p>hi</p>"},
        "home": {"x": 0.0, "y": 0.0, "scale": 1.0, "rotation": 0.0}}]})
    };
    json!({"format": "vitrine-state", "version": 2, "state": {
        "revision": 1,
        "widgets": home("home")["widgets"],
        "layouts": {"breakfast": home("menu")},
        "schedule": {"timezone": "Europe/Paris", "entries": [
            {"from": "07:00", "to": "10:30", "layout": "breakfast"},
            {"from": "22:00", "to": "07:00", "display": "off"},
        ]},
    }})
}

#[test]
fn a_day_of_the_schedule_is_answered_as_spans_everywhere() {
    let dir = temp_dir("timeline");
    std::fs::create_dir_all(dir.join("state")).unwrap();
    std::fs::write(dir.join("state/state.json"), doc().to_string()).unwrap();
    let config = format!(
        "[state]\ndir = {:?}\n[admin]\npassword = \"s3cret\"\n",
        dir.join("state").display().to_string()
    );
    // A Saturday noon in Paris.
    let kiosk = KioskProcess::start(&config, &["--clock", "2027-03-27T12:00:00+01:00"]);
    let mut c = kiosk.client(Framing::V2);

    let today = c.call("timeline", json!({})).unwrap();
    assert_eq!(today["date"], "2027-03-27");
    assert_eq!(today["timezone"], "Europe/Paris");
    assert_eq!(today["layout"], Value::Null, "the default layout at noon");
    let spans: Vec<(String, Value, Value)> = today["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["from"].as_str().unwrap().to_string(),
                s["layout"].clone(),
                s["display"].clone(),
            )
        })
        .collect();
    assert_eq!(
        spans,
        vec![
            (
                "2027-03-27T00:00:00+01:00".into(),
                Value::Null,
                json!("off")
            ),
            (
                "2027-03-27T07:00:00+01:00".into(),
                json!("breakfast"),
                Value::Null
            ),
            ("2027-03-27T10:30:00+01:00".into(), Value::Null, Value::Null),
            (
                "2027-03-27T22:00:00+01:00".into(),
                Value::Null,
                json!("off")
            ),
        ]
    );
    // The next day springs forward: a day of 23 hours, in summer time from
    // 03:00.
    let sunday = c.call("timeline", json!({"date": "2027-03-28"})).unwrap();
    assert_eq!(sunday["spans"][1]["from"], "2027-03-28T07:00:00+02:00");
    assert_eq!(
        sunday["spans"].as_array().unwrap().last().unwrap()["to"],
        "2027-03-29T00:00:00+02:00"
    );
    let bad = c.call("timeline", json!({"date": "27/03/2027"})).unwrap();
    assert_eq!(bad["status"], "INVALID_ARGUMENT", "{bad}");

    // The admin page's API answers the same.
    let mut b = Browser::new(kiosk.logged_port("admin"));
    assert_eq!(b.login("s3cret").status, 200);
    let page = b.rpc("timeline", json!({}));
    assert_eq!(page.status, 200);
    assert_eq!(page.json()["result"]["spans"], today["spans"]);
    let csv = b.send("GET", "/api/plays.csv", b"", false);
    assert_eq!(csv.status, 200);
    assert!(
        String::from_utf8_lossy(&csv.body)
            .starts_with("hour,item,shows,seconds,max_fraction,plays_to_end"),
        "{}",
        String::from_utf8_lossy(&csv.body)
    );
    let index = b.send("GET", "/", b"", false);
    let html = String::from_utf8_lossy(&index.body);
    assert!(html.contains("id=\"timeline\"") && html.contains("id=\"plays\""));

    // And `vitrine ctl timeline`.
    let out = support::process::ctl(kiosk.port, &["timeline", "--date", "2027-03-27"]);
    assert!(out.status.success());
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed["spans"], today["spans"]);
}
