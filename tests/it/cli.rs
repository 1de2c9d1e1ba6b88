//! The `vitrine` binary end to end: replay, --print-config, and exit code 2 on bad input.

use crate::support;
use std::path::{Path, PathBuf};

use std::process::Output;

fn vitrine(args: &[&str]) -> Output {
    support::vitrine()
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the vitrine binary runs")
}

fn traces() -> PathBuf {
    crate::support::repo().join("tests/traces")
}

fn temp_file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vitrine-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn replay_prints_the_final_state_as_json() {
    let scene = traces().join("drag.scene.json");
    let trace = traces().join("drag.trace.jsonl");
    let out = vitrine(&[
        "replay",
        "--scene",
        scene.to_str().unwrap(),
        "--trace",
        trace.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let w = &v["widgets"][0];
    assert_eq!(w["name"], "a");
    assert_eq!(w["corners"][0], serde_json::json!([250.0, 180.0]));
    assert_eq!(w["scale"], 1.0);
    assert_eq!(w["rotation"], 0.0);
    assert!(w["video_state"].is_null());
}

#[test]
fn a_bad_trace_line_exits_2_and_names_the_line() {
    let scene = traces().join("drag.scene.json");
    let trace = temp_file(
        "bad.jsonl",
        "{\"t\":0,\"id\":1,\"phase\":\"start\",\"x\":1,\"y\":1}\n{\"t\":0.1,\"id\":1,\"phase\":\"start\",\"x\":\"left\",\"y\":1}\n",
    );
    let out = vitrine(&[
        "replay",
        "--scene",
        scene.to_str().unwrap(),
        "--trace",
        trace.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 2"), "{err}");
}

#[test]
fn a_bad_scene_exits_2_and_names_the_line() {
    let scene = temp_file(
        "bad.json",
        "{\"window\": [800, 600],\n \"widgets\": [\n  {\"name\": \"a\", \"size\": [10, -1]}\n ]}",
    );
    let trace = traces().join("drag.trace.jsonl");
    let out = vitrine(&[
        "replay",
        "--scene",
        scene.to_str().unwrap(),
        "--trace",
        trace.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 3") && err.contains("\"a\""), "{err}");
}

#[test]
fn a_missing_input_file_exits_2() {
    let out = vitrine(&[
        "replay",
        "--scene",
        "/nonexistent/scene.json",
        "--trace",
        "/nonexistent/t.jsonl",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn print_config_round_trips_through_the_documented_file() {
    let documented = crate::support::repo().join("config/vitrine.toml");
    let out = vitrine(&["--config", documented.to_str().unwrap(), "--print-config"]);
    assert!(out.status.success());
    let printed = String::from_utf8(out.stdout).unwrap();
    let reparsed = vitrine::config::Config::parse(&printed, Path::new("printed")).unwrap();
    assert_eq!(reparsed, vitrine::config::Config::default());
}

#[test]
fn the_documented_config_is_exactly_the_defaults() {
    let path = crate::support::repo().join("config/vitrine.toml");
    let (config, found) = vitrine::config::Config::load(&path).unwrap();
    assert!(found);
    assert_eq!(config, vitrine::config::Config::default());
}

#[test]
fn a_missing_config_means_defaults() {
    let out = vitrine(&["--config", "/nonexistent/vitrine.toml", "--print-config"]);
    assert!(out.status.success());
    let printed = String::from_utf8(out.stdout).unwrap();
    assert!(printed.contains("port = 5489"), "{printed}");
}

#[test]
fn a_bad_config_exits_2_naming_key_and_line() {
    let bad = temp_file(
        "bad.toml",
        "[window]\nfullscreen = false\n[scatter]\nscale_min = -1.0\n",
    );
    let out = vitrine(&["--config", bad.to_str().unwrap(), "--print-config"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("scatter.scale_min") && err.contains("line 4"),
        "{err}"
    );
}

#[test]
fn run_options_before_a_command_are_refused() {
    let out = vitrine(&["--headless", "replay", "--scene", "a", "--trace", "b"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_demo_config_parses_and_opens_a_closable_window() {
    let path = crate::support::repo().join("config/demo.toml");
    let (config, found) = vitrine::config::Config::load(&path).unwrap();
    assert!(found);
    assert!(!config.window.fullscreen && config.window.allow_exit);
}

#[test]
fn completions_and_the_manual_page_come_from_the_command_line() {
    let bash = vitrine(&["completions", "bash"]);
    assert!(bash.status.success(), "{bash:?}");
    let bash = String::from_utf8_lossy(&bash.stdout);
    assert!(bash.contains("_vitrine()"), "{bash}");
    // Every subcommand and a run option are offered.
    for word in ["ctl", "doctor", "replay", "--headless"] {
        assert!(bash.contains(word), "{word} in {bash}");
    }
    for shell in ["zsh", "fish"] {
        let out = vitrine(&["completions", shell]);
        assert!(out.status.success() && !out.stdout.is_empty(), "{out:?}");
    }
    let bad = vitrine(&["completions", "tcsh"]);
    assert_eq!(bad.status.code(), Some(2), "{bad:?}");
    assert!(String::from_utf8_lossy(&bad.stderr).contains("possible values"));

    let man = vitrine(&["manpage"]);
    assert!(man.status.success(), "{man:?}");
    let man = String::from_utf8_lossy(&man.stdout);
    assert!(man.contains(".TH vitrine 1"), "{man}");
    assert!(man.contains("\\-\\-remote\\-port"), "{man}");
    assert!(man.contains("doctor"), "{man}");
    // Hidden from --help, where a kiosk's user does not need it.
    let help = vitrine(&["--help"]);
    assert!(!String::from_utf8_lossy(&help.stdout).contains("manpage"));
}
