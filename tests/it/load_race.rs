//! A load ends exactly once: a caller told `SUCCESS` sees its widget, and a caller told `TIMEOUT` never does, even when the timeout and the show race.
//!
//! The load timeout is set close to how long a page takes to render, so
//! many loads finish right at the deadline. After all replies, and a pause
//! for any late arrival, the widgets on screen are exactly those whose
//! replies said `SUCCESS`.

use crate::support;

use std::collections::BTreeSet;
use std::time::Duration;

use serde_json::json;
use support::KioskProcess;
use vitrine::remote::Framing;

#[test]
fn timeouts_and_shows_never_both_happen() {
    let kiosk = KioskProcess::start("[remote]\nload_timeout = \"25ms\"\n", &[]);
    let mut c = kiosk.client(Framing::V2);
    let mut shown = BTreeSet::new();
    let mut statuses = BTreeSet::new();
    for i in 0..60 {
        let name = format!("p{i}");
        let page = format!("<h1 style='color: #{:06x}'>Page {i}</h1>", i * 4099);
        let r = c
            .call("postHtml", json!({"name": name, "data": page}))
            .unwrap();
        let status = r["status"].as_str().unwrap_or("?").to_string();
        assert!(status == "SUCCESS" || status == "TIMEOUT", "{name}: {r}");
        if status == "SUCCESS" {
            shown.insert(name);
        }
        statuses.insert(status);
    }
    eprintln!("statuses: {statuses:?}, shown {} of 60", shown.len());
    // Any load that was going to land late has landed by now.
    std::thread::sleep(Duration::from_secs(2));
    let list = c.call("listContent", json!({})).unwrap();
    let on_screen: BTreeSet<String> = list["widgets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(on_screen, shown, "statuses seen: {statuses:?}");
}
