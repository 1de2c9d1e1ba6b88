//! Proof of play: a scripted session of known length is counted to the second (shows, seconds on screen, the screen fraction, per item and hour), a `played` event tells each showing as it ends, `vitrine ctl stats --plays --csv` prints the table, and a `kill -9` loses at most `analytics.save_interval` of counting.

use crate::support;

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::{KioskProcess, eventually, temp_dir};
use vitrine::remote::{Client, Framing};

/// A kiosk with its state in `dir`, counting in UTC and saving each second.
fn kiosk(dir: &Path) -> KioskProcess {
    let config = format!(
        "[kiosk]\ntimezone = \"UTC\"\n[content]\nroots = [{:?}]\n[state]\ndir = {:?}\n[analytics]\nsave_interval = \"1s\"\n",
        dir.display().to_string(),
        dir.join("state").display().to_string()
    );
    KioskProcess::start(&config, &[])
}

/// A 320x180 picture: a quarter of the kiosk's 640x360 screen at scale 1.
fn picture(dir: &Path) -> String {
    let path = dir.join("quarter.png");
    vitrine::pixels::Rgba8Image::filled(320, 180, [20, 120, 200, 255])
        .save_png(&path)
        .unwrap();
    vitrine::content::file_uri(&path)
}

/// Shows the picture as `quarter` at the top-left corner, with `setState`.
fn show(c: &mut Client, url: &str, revision: u64) {
    let doc = json!({"format": "vitrine-state", "version": 1, "state": {
        "revision": revision,
        "widgets": [{"name": "quarter", "source": {"type": "url", "url": url},
                     "home": {"x": 0.0, "y": 0.0, "scale": 1.0, "rotation": 0.0}}]}});
    let r = c.call("setState", json!({"document": doc})).unwrap();
    assert_eq!(r["applied"], true, "{r}");
    assert!(eventually(Duration::from_secs(30), || {
        c.call("listContent", json!({})).unwrap()["widgets"][0]["name"] == "quarter"
    }));
}

/// The picture's proof of play, summed over hours.
fn counted(c: &mut Client, url: &str) -> (u64, f64, f64) {
    let stats = c.call("stats", json!({})).unwrap();
    let rows: Vec<&Value> = stats["plays"]
        .as_array()
        .map(|a| a.iter().filter(|r| r["item"] == url).collect())
        .unwrap_or_default();
    for r in &rows {
        assert!(
            r["hour"].as_str().unwrap().ends_with(":00:00+00:00"),
            "an hour of the kiosk's clock: {r}"
        );
    }
    (
        rows.iter().map(|r| r["shows"].as_u64().unwrap()).sum(),
        rows.iter().map(|r| r["seconds"].as_f64().unwrap()).sum(),
        rows.iter()
            .map(|r| r["max_fraction"].as_f64().unwrap())
            .fold(0.0, f64::max),
    )
}

#[test]
fn a_scripted_session_is_counted_to_the_second_and_a_crash_loses_at_most_the_interval() {
    let dir = temp_dir("proof-of-play");
    let url = picture(&dir);
    let mut first = kiosk(&dir);
    let mut c = first.client(Framing::V2);
    let mut events = first.client(Framing::V2);
    events
        .call("subscribe", json!({"events": ["played"]}))
        .unwrap();

    // Three seconds on screen, then gone.
    show(&mut c, &url, 1);
    let on = Instant::now();
    std::thread::sleep(Duration::from_secs(3));
    let r = c.call("remove", json!({"name": "quarter"})).unwrap();
    assert_eq!(r["status"], "SUCCESS", "{r}");
    let shown_for = on.elapsed().as_secs_f64();
    let played = events
        .next_event(Some(Duration::from_secs(20)))
        .unwrap()
        .expect("a played event");
    assert_eq!(played["type"], "played", "{played}");
    assert_eq!(played["name"], "quarter");
    assert_eq!(played["item"], json!(url));
    let seconds = played["seconds"].as_f64().unwrap();
    assert!(
        (seconds - shown_for).abs() < 1.0,
        "{seconds} s, shown for {shown_for}"
    );
    assert!(
        (played["max_fraction"].as_f64().unwrap() - 0.25).abs() < 0.01,
        "{played}"
    );

    let (shows, secs, fraction) = counted(&mut c, &url);
    assert_eq!(shows, 1);
    assert!(
        (secs - shown_for).abs() < 1.0,
        "counted {secs} s, shown for {shown_for}"
    );
    assert!((fraction - 0.25).abs() < 0.01);

    // The CSV has the same row.
    let out = support::process::ctl(first.port, &["stats", "--plays", "--csv"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("hour,item,shows,seconds,max_fraction,plays_to_end")
    );
    assert!(
        lines.any(|l| l.contains(&url) && l.contains(",1,") && l.contains(",0.250,")),
        "{text}"
    );

    // On again, and the process killed while it shows: at most the save
    // interval (1 s) of its time is lost.
    show(&mut c, &url, 3);
    let again = Instant::now();
    std::thread::sleep(Duration::from_secs(4));
    let _ = std::process::Command::new("kill")
        .args(["-9", &first.pid().to_string()])
        .status();
    let until_kill = again.elapsed().as_secs_f64();
    assert!(eventually(Duration::from_secs(10), || !first.alive()));
    let restarted = Instant::now();
    let second = kiosk(&dir);
    let mut c = second.client(Framing::V2);
    let (shows, secs, _) = counted(&mut c, &url);
    eprintln!("after the crash: {shows} shows, {secs:.2} s counted");
    assert!(shows >= 2, "both showings are kept: {shows}");
    // The restart shows the picture again (it is the desired state), and
    // that counts too, from the restart on.
    let expected = shown_for + until_kill;
    let since_restart = restarted.elapsed().as_secs_f64();
    assert!(
        secs >= expected - 1.0 - 0.5 && secs <= expected + since_restart + 0.5,
        "counted {secs} s after the crash; {expected} s were shown before it"
    );
}

#[test]
fn at_midnight_the_days_proof_of_play_is_summed_up_and_kept_by_the_fleet() {
    use support::mqtt::{Backoffice, Broker};
    let dir = temp_dir("proof-of-play-day");
    let url = picture(&dir);
    let broker = Broker::start();
    let office = Backoffice::connect(&broker, "office-plays");
    let doc = json!({"format": "vitrine-state", "version": 1, "state": {"revision": 1,
        "widgets": [{"name": "quarter", "source": {"type": "url", "url": url},
                     "home": {"x": 0.0, "y": 0.0, "scale": 1.0, "rotation": 0.0}}]}});
    std::fs::create_dir_all(dir.join("state")).unwrap();
    std::fs::write(dir.join("state/state.json"), doc.to_string()).unwrap();
    let config = format!(
        "[fleet]\nenabled = true\nbroker = {:?}\nkiosk_id = \"kp\"\nreconnect_max = \"2s\"\n\
         [kiosk]\ntimezone = \"Europe/Paris\"\n[content]\nroots = [{:?}]\n[state]\ndir = {:?}\n\
         [analytics]\nsave_interval = \"1s\"\n",
        broker.url(),
        dir.display().to_string(),
        dir.join("state").display().to_string()
    );
    // Ten seconds before midnight in Paris.
    let kiosk = KioskProcess::start(&config, &["--clock", "2026-12-04T23:59:50+01:00"]);
    let mut events = kiosk.client(Framing::V2);
    events
        .call("subscribe", json!({"events": ["summary"]}))
        .unwrap();
    let summary = events
        .next_event(Some(Duration::from_secs(40)))
        .unwrap()
        .expect("a summary after midnight");
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["date"], "2026-12-04");
    assert_eq!(summary["timezone"], "Europe/Paris");
    assert_eq!(summary["items_total"], 1);
    let item = &summary["items"][0];
    assert_eq!(item["item"], json!(url));
    assert_eq!(item["shows"], 1);
    let seconds = item["seconds"].as_f64().unwrap();
    assert!(
        seconds > 0.0 && seconds <= 10.5,
        "{seconds} s before midnight"
    );
    // The fleet keeps it, retained.
    let kept = office.wait("vitrine/kp/plays", "the day's summary", |v| {
        v["date"] == "2026-12-04"
    });
    assert_eq!(kept["items"][0]["item"], json!(url));
}
