//! The vitrine binary as the tests run it, one way each: its command with a clean environment, a kiosk process to talk to, `ctl` against it, and a run to its end with a config of its own.

use std::io::{BufRead, BufReader};
use std::process::{Command, Output};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use super::{eventually, next_id, temp_dir};

/// The binary under test with nothing of the caller's environment that
/// would change what it does: no config path, no display (a test that
/// wants one sets it), no service manager's state folder, and a state
/// folder of its own, so no run restores what another pushed.
pub fn vitrine() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_vitrine"));
    c.env_remove("VITRINE_CONFIG")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("STATE_DIRECTORY")
        .env(
            "XDG_STATE_HOME",
            temp_dir("state").join(format!("run-{}", next_id())),
        );
    c
}

/// `vitrine ctl --port PORT ARGS...`, run to its end.
pub fn ctl(port: u16, args: &[&str]) -> Output {
    vitrine()
        .args(["ctl", "--port", &port.to_string()])
        .args(args)
        .output()
        .expect("vitrine ctl runs")
}

/// vitrine with `config` (TOML text) in a file of its own and `args`, run
/// to its end: for a start that must be refused, `doctor`, and other
/// commands that end by themselves.
pub fn run_once(config: &str, args: &[&str]) -> Output {
    let path = temp_dir("run-once").join(format!("config-{}.toml", next_id()));
    std::fs::write(&path, config).expect("the config is written");
    vitrine()
        .arg("--config")
        .arg(&path)
        .args(args)
        .output()
        .expect("vitrine runs")
}

/// A vitrine process running headless with remote control on a free port.
pub struct KioskProcess {
    child: std::process::Child,
    pub port: u16,
    pub log: Arc<std::sync::Mutex<String>>,
}

impl KioskProcess {
    /// Starts `vitrine --headless --no-demo` with `config` (TOML text) and
    /// extra arguments, and waits for it to listen.
    pub fn start(config: &str, args: &[&str]) -> KioskProcess {
        Self::start_with_env(config, args, &[])
    }

    /// The same, with extra environment variables.
    pub fn start_with_env(config: &str, args: &[&str], env: &[(&str, &str)]) -> KioskProcess {
        let dir = temp_dir("kiosk-process");
        let path = dir.join(format!("config-{}.toml", next_id()));
        std::fs::write(&path, config).unwrap();
        let mut child = vitrine()
            .arg("--config")
            .arg(&path)
            .args([
                "--headless",
                "--no-demo",
                "--size",
                "640x360",
                "--remote-port",
                "0",
                // Every kiosk its own Thrift port: tests run at once.
                "--thrift-port",
                "0",
                "--admin-port",
                "0",
            ])
            .args(args)
            .env("RUST_LOG", "info")
            .envs(env.iter().copied())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("vitrine starts");
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(std::sync::Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel();
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                // The line is in the log before the port is announced, so a
                // caller that reads the log after `start` sees it.
                sink.lock().unwrap().push_str(&format!("{line}\n"));
                if let Some(addr) = line.split("address=").nth(1) {
                    let port = addr
                        .trim()
                        .rsplit(':')
                        .next()
                        .and_then(|p| p.parse::<u16>().ok());
                    let _ = tx.send(port);
                }
            }
        });
        let port = rx
            .recv_timeout(Duration::from_secs(60))
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("vitrine did not start listening:\n{}", log.lock().unwrap()));
        KioskProcess { child, port, log }
    }

    pub fn client(&self, framing: vitrine::remote::Framing) -> vitrine::remote::Client {
        vitrine::remote::Client::connect(
            "127.0.0.1",
            self.port,
            framing,
            None,
            Duration::from_secs(30),
        )
        .unwrap()
    }

    /// The port the Thrift endpoint listens on, from the kiosk's log.
    pub fn thrift_port(&self) -> u16 {
        self.logged_port("thrift")
    }

    /// The port logged as `key=ADDRESS` (`thrift`, `tuio`), waited for.
    pub fn logged_port(&self, key: &str) -> u16 {
        let marker = format!(" {key}=");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let port = self.log.lock().unwrap().lines().find_map(|l| {
                l.split(marker.as_str())
                    .nth(1)?
                    .split_whitespace()
                    .next()?
                    .rsplit(':')
                    .next()?
                    .parse::<u16>()
                    .ok()
            });
            if let Some(p) = port {
                return p;
            }
            assert!(Instant::now() < deadline, "no {key} port in the log");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The log once a line holds every one of `needles`, waited for (the
    /// log is read on a thread of its own, so a line the kiosk wrote before
    /// its reply may reach the test after it); panics with the log if none
    /// does within 20 s.
    pub fn wait_log(&self, needles: &[&str]) -> String {
        let found = eventually(Duration::from_secs(20), || {
            let log = self.log.lock().unwrap();
            log.lines().any(|l| needles.iter().all(|n| l.contains(n)))
        });
        let log = self.log.lock().unwrap().clone();
        assert!(found, "no line with {needles:?} in the log:\n{log}");
        log
    }

    /// The kiosk's process id, to read its use of memory and threads.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether the process is still running.
    pub fn alive(&mut self) -> bool {
        self.child.try_wait().map(|s| s.is_none()).unwrap_or(false)
    }
}

impl Drop for KioskProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
