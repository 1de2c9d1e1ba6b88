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

/// The colour at a point of a PNG given as base64.
fn pixel(reply: &Value, x: f64, y: f64) -> [u8; 3] {
    use base64::Engine as _;
    let png = base64::engine::general_purpose::STANDARD
        .decode(reply["png_base64"].as_str().unwrap())
        .unwrap();
    let img = image::load_from_memory(&png).unwrap().to_rgba8();
    let p = img
        .get_pixel(
            (x * f64::from(img.width())) as u32,
            (y * f64::from(img.height())) as u32,
        )
        .0;
    [p[0], p[1], p[2]]
}

fn near(a: [u8; 3], b: [u8; 3]) -> bool {
    a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= 10)
}

#[test]
fn a_layout_preview_is_drawn_offscreen_and_the_screen_stays() {
    let dir = temp_dir("preview");
    let picture = |name: &str, w: u32, rgb: [u8; 3]| {
        let path = dir.join(format!("{name}.png"));
        vitrine::pixels::Rgba8Image::filled(w, 360, [rgb[0], rgb[1], rgb[2], 255])
            .save_png(&path)
            .unwrap();
        vitrine::content::file_uri(&path)
    };
    let widget = |name: &str, url: String| {
        json!({"name": name,
        "source": {"type": "url", "url": url},
        "home": {"x": 0.0, "y": 0.0, "scale": 1.0, "rotation": 0.0}})
    };
    let doc = json!({"format": "vitrine-state", "version": 2, "state": {
        "revision": 1,
        "widgets": [widget("home", picture("green", 640, [30, 200, 60]))],
        "layouts": {"night": {"widgets": [widget("moon", picture("blue", 320, [30, 40, 220]))]}},
    }});
    std::fs::create_dir_all(dir.join("state")).unwrap();
    std::fs::write(dir.join("state/state.json"), doc.to_string()).unwrap();
    let config = format!(
        "[content]\nroots = [{:?}]\n[state]\ndir = {:?}\n",
        dir.display().to_string(),
        dir.join("state").display().to_string()
    );
    let kiosk = KioskProcess::start(&config, &[]);
    let mut c = kiosk.client(Framing::V2);
    assert!(support::eventually(
        std::time::Duration::from_secs(30),
        || { c.call("listContent", json!({})).unwrap()["widgets"][0]["name"] == "home" }
    ));

    // The night layout: its picture covers the left half, loaded for the
    // preview alone.
    let night = c
        .call("preview", json!({"layout": "night", "max_width": 320}))
        .unwrap();
    assert_eq!(
        (night["width"].as_u64(), night["height"].as_u64()),
        (Some(320), Some(180)),
        "{night:?}"
    );
    assert!(
        near(pixel(&night, 0.25, 0.5), [30, 40, 220]),
        "{:?}",
        pixel(&night, 0.25, 0.5)
    );
    // The right half is the empty screen: none of the screen's green.
    let right = pixel(&night, 0.75, 0.5);
    assert!(
        !near(right, [30, 200, 60]) && !near(right, [30, 40, 220]),
        "{right:?}"
    );
    // The screen did not change.
    let list = c.call("listContent", json!({})).unwrap();
    let names: Vec<&str> = list["widgets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["home"]);
    assert!(near(
        pixel(&c.call("screenshot", json!({})).unwrap(), 0.75, 0.5),
        [30, 200, 60]
    ));
    // The default layout, borrowed from the screen.
    let home = c.call("preview", json!({})).unwrap();
    assert!(near(pixel(&home, 0.5, 0.5), [30, 200, 60]));
    // A layout the document does not have.
    let none = c.call("preview", json!({"layout": "lunch"})).unwrap();
    assert_eq!(none["status"], "NOT_FOUND", "{none}");
    // `vitrine ctl preview` writes the PNG.
    let out = dir.join("night.png");
    let printed = support::process::ctl(
        kiosk.port,
        &["preview", out.to_str().unwrap(), "--layout", "night"],
    );
    assert!(
        printed.status.success(),
        "{}",
        String::from_utf8_lossy(&printed.stderr)
    );
    assert!(image::open(&out).is_ok());
}
