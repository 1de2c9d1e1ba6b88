//! The screen's power under X11: Xvfb has no DPMS, so `display off` falls back to a black frame (the window as the X server shows it is black, and the kiosk's CPU is idle where a playing video kept it busy), `ping` says so, and `display.method = "cec"` runs the real `cec-ctl`, whose failure on an adapter that is not one is logged while the screen still goes black.

use crate::support;

use serde_json::{Value, json};
use std::time::Duration;
use support::x11::{capture_window, windowed_kiosk_logged, xvfb};
use support::{eventually, make_clip, temp_dir};
use vitrine::content::file_uri;
use vitrine::remote::{Client, Framing};

fn client(port: u16) -> Client {
    Client::connect(
        "127.0.0.1",
        port,
        Framing::V2,
        None,
        Duration::from_secs(30),
    )
    .unwrap()
}

fn all_black(shot: &image::RgbaImage) -> bool {
    shot.pixels().all(|p| p.0[..3] == [0, 0, 0])
}

/// User and system CPU time of `pid`, in seconds.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // The fields after the command name, which may hold spaces, in brackets.
    let rest = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    // USER_HZ is 100 on every Linux this runs on.
    ticks as f64 / 100.0
}

fn cpu_over(pid: u32, span: Duration) -> f64 {
    let before = cpu_seconds(pid);
    std::thread::sleep(span);
    cpu_seconds(pid) - before
}

fn video_state(c: &mut Client) -> String {
    let list = c.call("listContent", json!({})).unwrap();
    list["widgets"][0]["state"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

#[test]
fn without_dpms_the_screen_goes_black_and_the_kiosk_idles() {
    let dir = temp_dir("power-x11");
    let clip = make_clip(&dir, "ball.webm", "ball", 30, 60, (320, 180));
    let config = dir.join("kiosk.toml");
    std::fs::write(
        &config,
        format!(
            "[window]\nbackground = [0.2, 0.4, 0.6, 1.0]\n[content]\nroots = [{:?}]\n",
            dir.to_str().unwrap()
        ),
    )
    .unwrap();
    let (_x, display) = xvfb();
    let (kiosk, port, log) = windowed_kiosk_logged(&display, &config, &[]);
    let mut c = client(port);
    let ping = c.call("ping", json!({})).unwrap();
    assert_eq!(
        ping["display"],
        json!({"power": "on", "method": "black-frame"}),
        "{ping}"
    );
    let r = c
        .call("fetchUrl", json!({"url": file_uri(&clip), "name": "ball"}))
        .unwrap();
    assert_eq!(r["status"], "SUCCESS", "{r}");
    let r = c.call("play", json!({"name": "ball"})).unwrap();
    assert_eq!(r["status"], "SUCCESS", "{r}");
    assert!(eventually(Duration::from_secs(20), || video_state(&mut c) == "playing"));
    let lit = capture_window(&display, "vitrine", &dir);
    assert!(!all_black(&lit), "the window shows the kiosk while on");
    let playing = cpu_over(kiosk.0.id(), Duration::from_secs(3));

    let off = c.call("display", json!({"power": "off"})).unwrap();
    assert_eq!(
        (&off["power"], &off["method"]),
        (&json!("off"), &json!("black-frame")),
        "{off}"
    );
    let ping = c.call("ping", json!({})).unwrap();
    assert_eq!(
        ping["display"],
        json!({"power": "off", "method": "black-frame"}),
        "{ping}"
    );
    assert!(
        eventually(Duration::from_secs(10), || all_black(&capture_window(
            &display, "vitrine", &dir
        ))),
        "the X server shows a black window"
    );
    // Let the last frame and the paused pipeline settle before counting.
    std::thread::sleep(Duration::from_secs(1));
    let dark = cpu_over(kiosk.0.id(), Duration::from_secs(3));
    println!("CPU over 3 s under Xvfb: {playing:.2} s with a video playing, {dark:.2} s off");
    assert!(
        dark < 0.3,
        "off, the kiosk draws nothing: {dark:.2} s of CPU in 3 s (playing: {playing:.2} s)"
    );

    let on = c.call("display", json!({"power": "on"})).unwrap();
    assert_eq!(on["power"], "on", "{on}");
    assert!(
        eventually(Duration::from_secs(10), || !all_black(&capture_window(
            &display, "vitrine", &dir
        ))),
        "the picture comes back"
    );
    assert!(eventually(Duration::from_secs(10), || video_state(&mut c) == "playing"));
    assert!(
        log.lock().unwrap().contains("method=\"black-frame\""),
        "{}",
        log.lock().unwrap()
    );
}

#[test]
fn cec_runs_cec_ctl_and_a_failure_still_leaves_the_screen_black() {
    let dir = temp_dir("power-cec");
    // A file, not an adapter: cec-ctl runs for real and fails on it.
    let adapter = dir.join("cec0");
    std::fs::write(&adapter, b"").unwrap();
    let config = dir.join("kiosk.toml");
    std::fs::write(
        &config,
        format!(
            "[window]\nbackground = [0.2, 0.4, 0.6, 1.0]\n[display]\nmethod = \"cec\"\ncec_device = {:?}\ncommand_timeout = \"10s\"\n",
            adapter.display().to_string()
        ),
    )
    .unwrap();
    let (_x, display) = xvfb();
    let (_kiosk, port, log) = windowed_kiosk_logged(&display, &config, &[]);
    let mut c = client(port);
    let off: Value = c.call("display", json!({"power": "off"})).unwrap();
    assert_eq!(
        (&off["power"], &off["method"]),
        (&json!("off"), &json!("cec")),
        "{off}"
    );
    assert!(
        eventually(Duration::from_secs(15), || log
            .lock()
            .unwrap()
            .contains("cannot switch the TV through cec-ctl")),
        "cec-ctl's failure is logged: {}",
        log.lock().unwrap()
    );
    assert!(
        eventually(Duration::from_secs(10), || all_black(&capture_window(
            &display, "vitrine", &dir
        ))),
        "the screen shows black all the same"
    );
    let ping = c.call("ping", json!({})).unwrap();
    assert_eq!(
        ping["display"],
        json!({"power": "off", "method": "cec"}),
        "{ping}"
    );
}
