//! The remote server's bounds against a real headless vitrine on 127.0.0.1: one deadline per message, silent connections, the per-peer cap, the frame cap before auth, and zero timeouts refused.
//!
//! No timing is asserted beyond generous bounds: the tests configure tiny
//! timeouts and check what happens (a reply, a closed connection, a client
//! that is still served).

mod support;

use support::temp_dir;

/// Item 12: a zero timeout used to turn the bound off silently; now the
/// config is refused with exit code 2, naming the key and its line.
#[test]
fn zero_timeouts_are_refused_naming_key_and_line() {
    let dir = temp_dir("zero-timeouts");
    for (section, key) in [
        ("remote", "read_timeout"),
        ("remote", "first_message_timeout"),
        ("remote", "idle_timeout"),
        ("remote", "load_timeout"),
        ("html", "render_timeout"),
        ("content", "fetch_timeout"),
    ] {
        let path = dir.join(format!("{key}.toml"));
        std::fs::write(&path, format!("[{section}]\n\n{key} = \"0s\"\n")).unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_vitrine"))
            .arg("--config")
            .arg(&path)
            .arg("--print-config")
            .env_remove("VITRINE_CONFIG")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{section}.{key}: {err}");
        assert!(
            err.contains(&format!("{section}.{key}")) && err.contains("line 3"),
            "{section}.{key}: {err}"
        );
    }
}
