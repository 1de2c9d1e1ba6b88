//! A real Wayland session for window tests: cage or sway on wlroots' headless backend with the pixman renderer, run as an unprivileged user as the package's unit runs it (cage refuses root), with vitrine as the client, grim to capture what the compositor shows, and swaymsg to change sway's output.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::temp_dir;
use super::x11::Killed;

/// A compositor with vitrine inside.
pub struct Session {
    _compositor: Killed,
    dir: PathBuf,
    /// The kiosk's JSON socket.
    pub port: u16,
    user: Option<(u32, u32)>,
    /// The vitrine binary the session runs.
    binary: PathBuf,
}

/// `nobody`'s user and group when this test runs as root: cage will not.
fn unprivileged() -> Option<(u32, u32)> {
    // /proc/self belongs to this process's effective user.
    let euid = std::os::unix::fs::MetadataExt::uid(&std::fs::metadata("/proc/self").unwrap());
    if euid != 0 {
        return None;
    }
    let id = |flag: &str| -> u32 {
        let out = Command::new("id")
            .args([flag, "nobody"])
            .output()
            .expect("id runs");
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .expect("a nobody user")
    };
    Some((id("-u"), id("-g")))
}

/// `program` run as `user` (when set) through util-linux's setpriv.
fn as_user(user: Option<(u32, u32)>, program: &str) -> Command {
    match user {
        Some((uid, gid)) => {
            let mut c = Command::new("setpriv");
            c.args([
                format!("--reuid={uid}"),
                format!("--regid={gid}"),
                "--clear-groups".into(),
                "--".into(),
                program.into(),
            ]);
            c
        }
        None => Command::new(program),
    }
}

/// A folder the unprivileged user owns, private as XDG_RUNTIME_DIR must be.
fn owned_dir(path: &Path, user: Option<(u32, u32)>) {
    std::fs::create_dir_all(path).unwrap();
    if let Some((uid, gid)) = user {
        std::os::unix::fs::chown(path, Some(uid), Some(gid)).unwrap();
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700)).unwrap();
}

/// The vitrine binary where the unprivileged user can run it: the build's
/// own folder may lie under a home only root may enter (a CI checkout in
/// /root), so it is linked (or, across file systems, copied) next to the
/// test's files.
fn reachable_binary(dir: &Path, user: Option<(u32, u32)>) -> PathBuf {
    let built = PathBuf::from(env!("CARGO_BIN_EXE_vitrine"));
    if user.is_none() {
        return built;
    }
    let here = dir.join("vitrine");
    let _ = std::fs::remove_file(&here);
    if std::fs::hard_link(&built, &here).is_err() {
        std::fs::copy(&built, &here).unwrap();
    }
    std::fs::set_permissions(&here, std::fs::Permissions::from_mode(0o755)).unwrap();
    here
}

/// Which compositor, with its flags.
pub enum Compositor<'a> {
    /// `cage FLAGS -- vitrine …`, as the package's unit runs it.
    Cage(&'a [&'a str]),
    /// `sway -c CONFIG`, with vitrine started by the config's `exec`, and
    /// its first output at 1280 × 720. Direct scan-out is off
    /// (`-Dnoscanout`): on the headless backend grim captures a scanned-out
    /// buffer as black.
    Sway,
}

impl Session {
    /// Starts `compositor` with vitrine (its built-in demo included) and
    /// `config` (TOML text), and waits for the kiosk's socket.
    pub fn start(name: &str, compositor: Compositor<'_>, config: &str) -> Session {
        Session::start_with_env(name, compositor, config, &[])
    }

    /// The same, with more environment for the compositor and vitrine.
    pub fn start_with_env(
        name: &str,
        compositor: Compositor<'_>,
        config: &str,
        env: &[(&str, &str)],
    ) -> Session {
        let dir = temp_dir(name);
        let user = unprivileged();
        // Open to the unprivileged user whatever the umask.
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        let config_path = dir.join("vitrine.toml");
        std::fs::write(&config_path, config).unwrap();
        std::fs::set_permissions(&config_path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let runtime = dir.join("run");
        owned_dir(&runtime, user);
        let state = dir.join("state");
        owned_dir(&state, user);
        let binary = reachable_binary(&dir, user);
        let log_path = dir.join("log.txt");
        let _ = std::fs::remove_file(&log_path);
        // Appended to by the compositor and by vitrine (sway's `exec` redirects
        // it), so neither writes over the other.
        let log = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .append(true)
            .open(&log_path)
            .unwrap();
        if user.is_some() {
            std::fs::set_permissions(&log_path, std::fs::Permissions::from_mode(0o666)).unwrap();
        }
        let kiosk = format!(
            "{} --config {} --remote-port 0 --no-thrift --no-admin",
            binary.display(),
            config_path.display()
        );
        let mut command = match compositor {
            Compositor::Cage(flags) => {
                let mut c = as_user(user, "cage");
                c.args(flags).arg("--").args(kiosk.split(' '));
                c
            }
            Compositor::Sway => {
                let sway_config = dir.join("sway.config");
                std::fs::write(
                    &sway_config,
                    format!(
                        "output HEADLESS-1 mode 1280x720\nexec {kiosk} 2>>{}\n",
                        log_path.display()
                    ),
                )
                .unwrap();
                std::fs::set_permissions(&sway_config, std::fs::Permissions::from_mode(0o644))
                    .unwrap();
                let mut c = as_user(user, "sway");
                // -d: its debug log says what it did with an output.
                c.arg("-c").arg(&sway_config).arg("-Dnoscanout").arg("-d");
                c
            }
        };
        let child = command
            .env("XDG_RUNTIME_DIR", &runtime)
            .env("XDG_STATE_HOME", &state)
            .env("WLR_BACKENDS", "headless")
            .env("WLR_RENDERER", "pixman")
            .env("WLR_LIBINPUT_NO_DEVICES", "1")
            .env("RUST_LOG", "info")
            .env_remove("WAYLAND_DISPLAY")
            .env_remove("DISPLAY")
            .env_remove("SWAYSOCK")
            .env_remove("STATE_DIRECTORY")
            .env_remove("NOTIFY_SOCKET")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("the compositor starts (Debian's cage with xwayland, or sway)");
        let compositor = Killed(child);
        let deadline = Instant::now() + Duration::from_secs(60);
        let port = loop {
            let text = std::fs::read_to_string(&log_path).unwrap_or_default();
            let port = text.lines().find_map(|l| {
                l.split("address=")
                    .nth(1)?
                    .split_whitespace()
                    .next()?
                    .rsplit(':')
                    .next()?
                    .parse()
                    .ok()
            });
            if let Some(p) = port {
                break p;
            }
            assert!(
                Instant::now() < deadline,
                "vitrine did not start under the compositor:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        Session {
            _compositor: compositor,
            dir,
            port,
            user,
            binary,
        }
    }

    /// `cage FLAGS -- vitrine`.
    pub fn cage(name: &str, flags: &[&str], config: &str) -> Session {
        Session::start(name, Compositor::Cage(flags), config)
    }

    /// A file in the session's runtime folder whose name starts with
    /// `prefix`, such as the compositor's sockets.
    fn runtime_file(&self, prefix: &str, suffix: &str) -> String {
        std::fs::read_dir(self.dir.join("run"))
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .find(|n| n.starts_with(prefix) && n.ends_with(suffix) && !n.ends_with(".lock"))
            .unwrap_or_else(|| panic!("no {prefix}*{suffix} in the session's runtime folder"))
    }

    /// The compositor's Wayland socket, for a test client of its own.
    pub fn wayland_socket(&self) -> PathBuf {
        self.dir.join("run").join(self.runtime_file("wayland-", ""))
    }

    /// `vitrine doctor` run inside the session, as the kiosk's user with
    /// its config and state folder; its table.
    pub fn doctor(&self) -> String {
        let runtime = self.dir.join("run");
        let socket = self.runtime_file("wayland-", "");
        let out = as_user(self.user, self.binary.to_str().unwrap_or_default())
            .arg("--config")
            .arg(self.dir.join("vitrine.toml"))
            .arg("doctor")
            .env("XDG_RUNTIME_DIR", &runtime)
            .env("WAYLAND_DISPLAY", &socket)
            .env("XDG_STATE_HOME", self.dir.join("state"))
            .env_remove("DISPLAY")
            .env_remove("STATE_DIRECTORY")
            .output()
            .expect("vitrine doctor runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// `swaymsg ARGS` on this session's sway; its output.
    pub fn swaymsg(&self, args: &[&str]) -> String {
        let runtime = self.dir.join("run");
        let socket = runtime.join(self.runtime_file("sway-ipc.", ".sock"));
        let out = as_user(self.user, "swaymsg")
            .args(args)
            .env("XDG_RUNTIME_DIR", &runtime)
            .env("SWAYSOCK", &socket)
            .output()
            .expect("swaymsg runs");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(out.status.success(), "swaymsg {args:?}: {text}");
        text
    }

    /// How long after its window opened the kiosk's first frame was taken
    /// by the compositor, as it logged it.
    pub fn first_frame_ms(&self) -> Option<u64> {
        self.log().lines().find_map(|l| {
            l.contains("first frame taken")
                .then(|| {
                    l.split("after_ms=")
                        .nth(1)?
                        .split_whitespace()
                        .next()?
                        .parse()
                        .ok()
                })
                .flatten()
        })
    }

    /// What cage and vitrine logged.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("log.txt")).unwrap_or_default()
    }

    /// A client on the kiosk's socket.
    pub fn client(&self) -> vitrine::remote::Client {
        vitrine::remote::Client::connect(
            "127.0.0.1",
            self.port,
            vitrine::remote::Framing::V2,
            None,
            Duration::from_secs(30),
        )
        .expect("the kiosk's socket answers")
    }

    /// What the compositor shows, captured by grim.
    pub fn capture(&self) -> image::RgbaImage {
        let runtime = self.dir.join("run");
        let socket = self.runtime_file("wayland-", "");
        let shot = runtime.join("shot.png");
        let _ = std::fs::remove_file(&shot);
        let out = as_user(self.user, "grim")
            .arg(&shot)
            .env("XDG_RUNTIME_DIR", &runtime)
            .env("WAYLAND_DISPLAY", &socket)
            .output()
            .expect("grim runs");
        assert!(
            out.status.success(),
            "grim: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        image::open(&shot).expect("grim wrote a PNG").to_rgba8()
    }
}
