//! The Debian package as `make deb` builds it, inspected with `dpkg-deb`: its control fields and dependencies, the stripped binary, the conffiles, the assets, the IDL, the systemd units, the manual page and completions (lintian has no missing-page warning), and the maintainer scripts that create the `vitrine` user. Ignored by a plain `cargo test` (it needs the package); `make test` builds it and runs this.

use std::path::PathBuf;
use std::process::Command;

/// The one package in target/debian.
fn package() -> PathBuf {
    let dir = crate::support::repo().join("target/debian");
    let debs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}; run `make deb` first", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "deb"))
        .collect();
    assert_eq!(debs.len(), 1, "one package in {}: {debs:?}", dir.display());
    debs[0].clone()
}

fn dpkg_deb(args: &[&str]) -> String {
    let out = Command::new("dpkg-deb")
        .args(args)
        .output()
        .expect("dpkg-deb runs");
    assert!(out.status.success(), "dpkg-deb {args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
#[ignore = "needs the package: `make deb`, then `cargo test --test it package:: -- --ignored` (make test does both)"]
fn the_package_holds_the_kiosk_its_config_and_its_units() {
    let deb = package();
    let deb = deb.to_str().unwrap();
    let name = std::path::Path::new(deb)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(
        name.starts_with(&format!("vitrine_{}", env!("CARGO_PKG_VERSION"))),
        "{name}"
    );

    let info = dpkg_deb(&["--info", deb]);
    assert!(info.contains("Package: vitrine"), "{info}");
    let depends = info
        .lines()
        .find(|l| l.trim_start().starts_with("Depends:"))
        .unwrap_or_else(|| panic!("no Depends: {info}"));
    for dep in [
        "libgstreamer1.0-0",
        "gstreamer1.0-plugins-base",
        "gstreamer1.0-plugins-good",
        "gstreamer1.0-libav",
        "mesa-vulkan-drivers",
        "libvulkan1",
        "fonts-dejavu-core",
        "adduser",
    ] {
        assert!(depends.contains(dep), "{dep} in {depends}");
    }
    assert!(info.contains("Recommends: cage"), "{info}");
    assert!(info.contains("Suggests: v4l-utils"), "{info}");

    let contents = dpkg_deb(&["--contents", deb]);
    for path in [
        "./usr/bin/vitrine",
        "./etc/vitrine/vitrine.toml",
        "./etc/pam.d/vitrine",
        "./usr/share/vitrine/assets/demo/demo.json",
        "./usr/share/vitrine/assets/demo/clip.webm",
        "./usr/share/vitrine/displaymanager.thrift",
        "./lib/systemd/system/vitrine-cage.service",
        "./usr/lib/systemd/user/vitrine-x11.service",
        "./usr/share/doc/vitrine/copyright",
        "./usr/share/doc/vitrine/docs/security.md",
        "./usr/share/man/man1/vitrine.1.gz",
        "./usr/share/bash-completion/completions/vitrine",
        "./usr/share/zsh/vendor-completions/_vitrine",
        "./usr/share/fish/vendor_completions.d/vitrine.fish",
    ] {
        assert!(
            contents.lines().any(|l| l.ends_with(path)),
            "{path} missing from:\n{contents}"
        );
    }

    // The manual page, made from the command line, answers lintian's
    // warning about a binary without one.
    let lintian = Command::new("lintian")
        .arg(deb)
        .output()
        .expect("lintian runs (make deb installs it)");
    let said = String::from_utf8_lossy(&lintian.stdout);
    assert!(!said.contains("no-manual-page"), "{said}");

    // The control archive: conffiles, and the user made in postinst.
    let dir = std::env::temp_dir().join(format!("vitrine-deb-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dpkg_deb(&["--control", deb, dir.to_str().unwrap()]);
    let conffiles = std::fs::read_to_string(dir.join("conffiles")).unwrap();
    assert!(
        conffiles.lines().any(|l| l == "/etc/vitrine/vitrine.toml"),
        "{conffiles}"
    );
    let postinst = std::fs::read_to_string(dir.join("postinst")).unwrap();
    assert!(
        postinst.contains("adduser --system") && postinst.contains("vitrine"),
        "{postinst}"
    );

    // The shipped config is the documented defaults, and the binary has no
    // debug info.
    let root = dir.join("root");
    dpkg_deb(&["--extract", deb, root.to_str().unwrap()]);
    let shipped = std::fs::read_to_string(root.join("etc/vitrine/vitrine.toml")).unwrap();
    let (config, _) =
        vitrine::config::Config::load(&root.join("etc/vitrine/vitrine.toml")).unwrap();
    assert_eq!(config, vitrine::config::Config::default(), "{shipped}");
    // No DWARF sections (the bytes ".debug_info" also occur as a string
    // inside the binary, so the section table is what counts).
    let sections = Command::new("readelf")
        .args(["--section-headers", "--wide"])
        .arg(root.join("usr/bin/vitrine"))
        .output()
        .expect("readelf (binutils) runs");
    let sections = String::from_utf8_lossy(&sections.stdout);
    assert!(sections.contains(".text"), "{sections}");
    assert!(
        !sections.contains(".debug_"),
        "debug sections shipped:\n{sections}"
    );
    let unit =
        std::fs::read_to_string(root.join("lib/systemd/system/vitrine-cage.service")).unwrap();
    for line in [
        "Type=notify",
        "WatchdogSec=",
        "StateDirectory=vitrine",
        "ExecStart=/usr/bin/cage",
        "User=vitrine",
    ] {
        assert!(unit.contains(line), "{line} in the cage unit");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
