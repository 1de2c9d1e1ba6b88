//! The pure modules inside crates that are not pure stay pure: replay and the analytics counters (the app), the socket's codec and the fleet's topics and dedupe (the front ends) use only std, glam and serde-family crates. The pure crates (scene, API model, config) are kept so by Cargo.

use std::path::Path;

/// Crates the pure modules may name in `use` lines.
const ALLOWED: &[&str] = &[
    "std",
    "core",
    "alloc",
    "crate",
    "super",
    "self",
    "glam",
    "serde",
    "serde_json",
    "toml",
    "thiserror",
];

const PURE: &[&str] = &[
    "crates/vitrine/src/replay",
    "crates/vitrine-serve/src/remote/codec.rs",
    "crates/vitrine/src/analytics/counters.rs",
    "crates/vitrine-serve/src/fleet/topics.rs",
    "crates/vitrine-serve/src/fleet/dedupe.rs",
];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    if dir.is_file() {
        out.push(dir.to_path_buf());
        return;
    }
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn pure_modules_import_no_platform_crate() {
    let root = &crate::support::repo();
    let mut files = Vec::new();
    for dir in PURE {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() >= 6, "found only {files:?}");
    // Paths that start at a module of the pure core itself are fine too.
    let mut local: Vec<String> = Vec::new();
    for f in &files {
        for line in std::fs::read_to_string(f).unwrap().lines() {
            let l = line.trim_start().trim_start_matches("pub ");
            if let Some(name) = l.strip_prefix("mod ") {
                local.push(name.trim_end_matches(';').trim().to_string());
            }
        }
    }
    let mut bad = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for (i, line) in text.lines().enumerate() {
            let l = line.trim_start();
            let l = l.strip_prefix("pub ").unwrap_or(l);
            let l = l.strip_prefix("pub(crate) ").unwrap_or(l);
            let Some(path) = l.strip_prefix("use ") else {
                continue;
            };
            let first = path
                .trim_start_matches("::")
                .split([':', ';', ' ', '{'])
                .next()
                .unwrap_or("");
            if !ALLOWED.contains(&first) && !local.iter().any(|m| m == first) {
                bad.push(format!("{}:{}: {line}", f.display(), i + 1));
            }
            for platform in ["winit", "wgpu", "gstreamer", "blitz", "anyrender"] {
                if line.contains(platform) {
                    bad.push(format!("{}:{}: {line}", f.display(), i + 1));
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "platform imports in the pure core:\n{}",
        bad.join("\n")
    );
}
