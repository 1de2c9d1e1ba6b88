//! A real X server for window tests: Xvfb on a free display, and xdotool to move its pointer as a person would.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Kills its process when dropped, so a failed assertion leaves nothing
/// running.
pub struct Killed(pub Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Removes display `n`'s socket and lock when the server that made them is
/// gone (a test run killed outright leaves them behind, and Xvfb will not
/// start over a lock).
fn clear_stale(n: u32) {
    let lock = format!("/tmp/.X{n}-lock");
    let Ok(text) = std::fs::read_to_string(&lock) else {
        return;
    };
    let alive = text
        .trim()
        .parse::<u32>()
        .is_ok_and(|pid| std::path::Path::new(&format!("/proc/{pid}")).exists());
    if !alive {
        let _ = std::fs::remove_file(format!("/tmp/.X11-unix/X{n}"));
        let _ = std::fs::remove_file(&lock);
    }
}

/// Starts Xvfb on a free display number and returns it.
pub fn xvfb() -> (Killed, String) {
    for n in 140..200 {
        clear_stale(n);
        if std::path::Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() {
            continue;
        }
        let display = format!(":{n}");
        let Ok(child) = Command::new("Xvfb")
            .args([&display, "-screen", "0", "1280x720x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
        else {
            panic!("this test needs Xvfb: apt-get install xvfb");
        };
        let mut x = Killed(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if std::path::Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() {
                return (x, display);
            }
            if x.0.try_wait().ok().flatten().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    panic!("no free X display");
}

pub fn xdotool(display: &str, args: &[String]) {
    let _ = Command::new("xdotool")
        .args(args)
        .env("DISPLAY", display)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// Starts a windowed `vitrine` on `display` with the config file `config`
/// (no demo, no state, any free remote port) and `args`, and waits until it
/// listens. Returns the process and its remote port.
pub fn windowed_kiosk(display: &str, config: &std::path::Path, args: &[&str]) -> (Killed, u16) {
    let (kiosk, port, _) = windowed_kiosk_logged(display, config, args);
    (kiosk, port)
}

/// The same, with what the kiosk logs gathered as it goes.
pub fn windowed_kiosk_logged(
    display: &str,
    config: &std::path::Path,
    args: &[&str],
) -> (Killed, u16, std::sync::Arc<std::sync::Mutex<String>>) {
    use std::io::{BufRead, BufReader};
    let mut child = super::process::vitrine()
        .arg("--no-state")
        .arg("--config")
        .arg(config)
        .args([
            "--windowed",
            "--no-demo",
            "--remote-port",
            "0",
            "--no-thrift",
            "--no-admin",
        ])
        .args(args)
        .env("DISPLAY", display)
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("vitrine starts");
    let stderr = child.stderr.take().expect("stderr is piped");
    let kiosk = Killed(child);
    let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let sink = log.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            sink.lock().unwrap().push_str(&format!("{line}\n"));
            if let Some(port) = line
                .split("address=")
                .nth(1)
                .and_then(|a| a.trim().rsplit(':').next()?.parse::<u16>().ok())
            {
                let _ = tx.send(port);
            }
        }
    });
    let port = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("the kiosk listens");
    (kiosk, port, log)
}

/// A capture of the window named `name` on `display`, through GStreamer's
/// ximagesrc (what the X server shows, not the kiosk's own render).
pub fn capture_window(display: &str, name: &str, dir: &std::path::Path) -> image::RgbaImage {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = dir.join(format!("capture-{n}.png"));
    let _ = std::fs::remove_file(&path);
    let status = Command::new("gst-launch-1.0")
        .args(["-q", "ximagesrc"])
        .arg(format!("display-name={display}"))
        .arg(format!("xname={name}"))
        .args([
            "use-damage=false",
            "show-pointer=false",
            "num-buffers=1",
            "!",
            "videoconvert",
            "!",
            "pngenc",
            "!",
            "filesink",
        ])
        .arg(format!("location={}", path.display()))
        .stdout(Stdio::null())
        .status()
        .expect("gst-launch-1.0 runs");
    assert!(status.success(), "ximagesrc captured {name} on {display}");
    image::open(&path).expect("a PNG").to_rgba8()
}
