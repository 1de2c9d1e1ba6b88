//! `vitrine doctor` on this machine: under Xvfb it finds the X11 display and its output, the GPU adapter, GStreamer with a VP8 decoder, and exits 0; with no display it says what is missing and exits 1 (0 when asked about `--headless`); a bad config and a port another program holds are reported in the table, not fatal.

use crate::support;

use std::process::Output;

use support::temp_dir;
use support::x11::xvfb;

fn doctor(display: Option<&str>, args: &[&str]) -> (i32, String) {
    let dir = temp_dir("doctor");
    let mut c = support::vitrine();
    c.args(args)
        .arg("doctor")
        .env("XDG_STATE_HOME", dir.join("state"));
    if let Some(d) = display {
        c.env("DISPLAY", d);
    }
    let out: Output = c.output().expect("vitrine runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// The verdict and detail of one check's first line.
fn row<'a>(table: &'a str, check: &str) -> &'a str {
    table
        .lines()
        .find(|l| l.split("  ").next().map(str::trim) == Some(check))
        .unwrap_or_else(|| panic!("no {check} row in:\n{table}"))
}

#[test]
fn under_xvfb_the_kiosk_can_run() {
    let (_x, display) = xvfb();
    let config = temp_dir("doctor-x").join("none.toml");
    let (code, table) = doctor(Some(&display), &["--config", config.to_str().unwrap()]);
    assert_eq!(code, 0, "{table}");
    assert!(
        row(&table, "display").contains(&format!("X11 {display}")),
        "{table}"
    );
    assert!(
        table.contains("1280x720"),
        "the Xvfb screen and its size: {table}"
    );
    assert!(row(&table, "gpu").contains("Vulkan"), "{table}");
    assert!(row(&table, "gstreamer").contains("GStreamer 1."), "{table}");
    // The VP8 entry lists every decoder found (plugins-bad adds
    // vp8alphadecodebin before it), so look for vp8dec within that entry.
    let vp8 = table.split("VP8: ").nth(1).unwrap_or("");
    let vp8 = vp8.split(['\n', ';']).next().unwrap_or("");
    assert!(vp8.contains("vp8dec"), "{table}");
    assert!(
        row(&table, "config").contains("not found, so the built-in defaults"),
        "{table}"
    );
    assert!(row(&table, "state").contains("writable"), "{table}");
    // Xvfb has no DPMS, and there is no CEC adapter here.
    assert!(row(&table, "power").contains("warn"), "{table}");
    assert!(row(&table, "power").contains("black-frame"), "{table}");
    assert!(table.contains("vitrine can run here."), "{table}");
}

#[test]
fn the_power_row_names_the_switch_the_config_asks_for() {
    let (_x, display) = xvfb();
    let dir = temp_dir("doctor-power");
    let adapter = dir.join("cec0");
    std::fs::write(&adapter, b"").unwrap();
    let config = dir.join("kiosk.toml");
    std::fs::write(
        &config,
        format!(
            "[display]\nmethod = \"cec\"\ncec_device = {:?}\n",
            adapter.to_str().unwrap()
        ),
    )
    .unwrap();
    let (code, table) = doctor(Some(&display), &["--config", config.to_str().unwrap()]);
    assert_eq!(code, 0, "{table}");
    assert!(row(&table, "power").contains("ok"), "{table}");
    assert!(
        row(&table, "power").contains("cec (display.method = \"cec\")"),
        "{table}"
    );
    // A named method the machine lacks leaves the black frame.
    std::fs::write(&config, "[display]\nmethod = \"dpms\"\n").unwrap();
    let (_, table) = doctor(Some(&display), &["--config", config.to_str().unwrap()]);
    assert!(
        row(&table, "power").contains("black-frame (display.method = \"dpms\")"),
        "{table}"
    );
}

#[test]
fn without_a_display_it_says_what_is_missing() {
    let (code, table) = doctor(None, &[]);
    assert_eq!(code, 1, "{table}");
    assert!(row(&table, "display").contains("MISSING"), "{table}");
    assert!(
        table.contains("display: run vitrine in a graphical session"),
        "{table}"
    );
    let (code, table) = doctor_headless();
    assert_eq!(code, 0, "{table}");
    assert!(
        row(&table, "display").contains("--headless needs none"),
        "{table}"
    );
}

fn doctor_headless() -> (i32, String) {
    let dir = temp_dir("doctor-headless");
    let out = support::vitrine()
        .args([
            "--config",
            dir.join("none.toml").to_str().unwrap(),
            "doctor",
            "--headless",
        ])
        .env("XDG_STATE_HOME", dir.join("state"))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn a_bad_config_and_a_taken_port_are_reported() {
    let dir = temp_dir("doctor-bad");
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "[remote]\nport = \"x\"\n").unwrap();
    let (code, table) = doctor(None, &["--config", bad.to_str().unwrap()]);
    assert_eq!(code, 1, "{table}");
    let config = row(&table, "config");
    assert!(
        config.contains("MISSING") && config.contains("remote.port"),
        "{table}"
    );

    // A port another program holds is a warning that names the key.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let cfg = dir.join("taken.toml");
    std::fs::write(&cfg, format!("[remote]\nport = {port}\n")).unwrap();
    let (_, table) = doctor(None, &["--config", cfg.to_str().unwrap()]);
    assert!(row(&table, "remote port").contains("warn"), "{table}");
    assert!(table.contains("change remote.port"), "{table}");
}
