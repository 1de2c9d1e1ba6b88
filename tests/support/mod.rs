//! Shared test helpers: real media made with gst-launch-1.0, a real HTTP server on loopback, and waiting on the kiosk.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use vitrine::app::{Kiosk, LoadResult};

pub mod http;
pub mod mqtt;
pub mod process;
pub mod thrift;
pub mod tuio;
pub mod wayland;
pub mod wayland_pointer;
pub mod x11;
use vitrine::wake::Signal;

#[allow(unused_imports)] // each test binary uses some of them
pub use process::{KioskProcess, ctl, run_once, vitrine};

/// Whether `done` holds within `limit`, asked every 50 ms (for a kiosk in
/// another process, or a compositor).
pub fn eventually(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    done()
}

/// The repository's root: the tests and benches belong to `crates/vitrine`,
/// but the assets, config, docs and fixtures they read are at the top.
pub fn repo() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize().unwrap_or(root)
}

/// A kiosk's own capture, asked for over its socket.
pub fn screenshot(c: &mut vitrine::remote::Client) -> image::RgbaImage {
    use base64::Engine as _;
    let r = c.call("screenshot", serde_json::json!({})).unwrap();
    let png = base64::engine::general_purpose::STANDARD
        .decode(r["png_base64"].as_str().unwrap())
        .unwrap();
    image::load_from_memory(&png).unwrap().to_rgba8()
}

/// A fresh directory for one test's files.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vitrine-test-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Encodes a VP8/WebM clip with `gst-launch-1.0`: `pattern` is a
/// videotestsrc pattern, `frames` at `fps`.
pub fn make_clip(
    dir: &Path,
    name: &str,
    pattern: &str,
    frames: u32,
    fps: u32,
    size: (u32, u32),
) -> PathBuf {
    let out = dir.join(name);
    if out.exists() {
        return out;
    }
    let pipeline = format!(
        "videotestsrc num-buffers={frames} pattern={pattern} ! video/x-raw,width={},height={},framerate={fps}/1 \
         ! vp8enc deadline=1 keyframe-max-dist={fps} ! webmmux ! filesink location={}",
        size.0,
        size.1,
        out.display()
    );
    let status = Command::new("gst-launch-1.0")
        .arg("-q")
        .args(pipeline.split_whitespace())
        .status()
        .expect(
            "gst-launch-1.0 runs: apt-get install gstreamer1.0-tools gstreamer1.0-plugins-good",
        );
    assert!(status.success(), "gst-launch-1.0 failed to make {name}");
    out
}

/// Encodes a VP8 + Opus WebM clip with a tone, for audio handling tests.
pub fn make_clip_with_audio(dir: &Path, name: &str, seconds: u32) -> PathBuf {
    let out = dir.join(name);
    if out.exists() {
        return out;
    }
    let fps = 15;
    let pipeline = format!(
        "webmmux name=m ! filesink location={} \
         videotestsrc num-buffers={} pattern=ball ! video/x-raw,width=160,height=90,framerate={fps}/1 ! vp8enc deadline=1 ! m. \
         audiotestsrc num-buffers={} samplesperbuffer=960 ! audio/x-raw,rate=48000 ! audioconvert ! opusenc ! m.",
        out.display(),
        seconds * fps,
        seconds * 50
    );
    let status = Command::new("gst-launch-1.0")
        .arg("-q")
        .args(pipeline.split_whitespace().filter(|w| *w != "\\"))
        .status()
        .expect("gst-launch-1.0 runs");
    assert!(status.success(), "gst-launch-1.0 failed to make {name}");
    out
}

/// Pumps the kiosk until `done` holds, failing after 60 s.
pub fn wait_for(
    kiosk: &mut Kiosk,
    signal: &Signal,
    what: &str,
    mut done: impl FnMut(&mut Kiosk) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        kiosk.pump();
        if done(kiosk) {
            return;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        signal.wait(Some(Duration::from_millis(50)));
    }
}

/// Waits for a caller's load result.
pub fn wait_result(
    kiosk: &mut Kiosk,
    signal: &Signal,
    rx: &mpsc::Receiver<LoadResult>,
) -> LoadResult {
    let mut result = None;
    wait_for(kiosk, signal, "a load result", |_| {
        result = rx.try_recv().ok();
        result.is_some()
    });
    result.unwrap()
}

/// What the test HTTP server serves at a path.
#[derive(Clone)]
pub enum Route {
    /// A file, with byte ranges.
    File(Vec<u8>),
    /// A body with its own Content-Type.
    Typed(Vec<u8>, &'static str),
    /// A file that takes this long to start answering.
    Slow(Vec<u8>, Duration),
    /// A file whose connections stall after `cut` bytes until `die` is set,
    /// then close early; requests after that are refused.
    Dying {
        data: Vec<u8>,
        cut: usize,
        die: Arc<AtomicBool>,
    },
    /// A file for the first `first` requests; after that, a redirect to
    /// `to`. `served` counts the requests.
    RedirectAfter {
        first: usize,
        data: Vec<u8>,
        to: String,
        served: Arc<std::sync::atomic::AtomicUsize>,
    },
    /// A file that counts the requests for it.
    Counted(Vec<u8>, Arc<std::sync::atomic::AtomicUsize>),
}

/// A real HTTP/1.1 server on 127.0.0.1, one thread per connection.
pub struct HttpServer {
    pub port: u16,
    stop: Arc<AtomicBool>,
}

impl HttpServer {
    pub fn start(routes: Vec<(&'static str, Route)>) -> HttpServer {
        Self::start_on(0, routes)
    }

    /// A server on `port` (0: any free one), for an origin that comes back
    /// where it was.
    pub fn start_on(port: u16, routes: Vec<(&'static str, Route)>) -> HttpServer {
        let listener = TcpListener::bind(("127.0.0.1", port)).unwrap();
        let port = listener.local_addr().unwrap().port();
        let routes = Arc::new(routes);
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                if stopped.load(Ordering::SeqCst) {
                    // The listener closes with this thread: the origin is gone.
                    return;
                }
                let routes = routes.clone();
                std::thread::spawn(move || serve(stream, &routes));
            }
        });
        HttpServer { port, stop }
    }

    /// Stops accepting and closes the port: connections are refused from now
    /// on.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag and drops the listener.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
            assert!(Instant::now() < deadline, "the server did not stop");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

fn serve(mut stream: TcpStream, routes: &[(&'static str, Route)]) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut start = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(r) = lower.strip_prefix("range: bytes=") {
            start = r
                .split('-')
                .next()
                .and_then(|s| s.trim().parse().ok())
                .unwrap_or(0);
        }
    }
    let Some((_, route)) = routes.iter().find(|(p, _)| *p == path) else {
        let _ = stream.write_all(
            b"HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found",
        );
        return;
    };
    let mut content_type = "video/webm";
    let (data, cut, die) = match route {
        Route::File(d) => {
            // Name the type by the path, as a plain file server would.
            content_type = if path.ends_with(".png") {
                "image/png"
            } else if path.ends_with(".html") {
                "text/html"
            } else {
                "video/webm"
            };
            (d, usize::MAX, None)
        }
        Route::Typed(d, t) => {
            content_type = t;
            (d, usize::MAX, None)
        }
        Route::Slow(d, delay) => {
            std::thread::sleep(*delay);
            (d, usize::MAX, None)
        }
        Route::RedirectAfter {
            first,
            data,
            to,
            served,
        } => {
            if served.fetch_add(1, Ordering::SeqCst) >= *first {
                let header = format!(
                    "HTTP/1.1 302 Found\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
                let _ = stream.write_all(header.as_bytes());
                return;
            }
            (data, usize::MAX, None)
        }
        Route::Counted(d, served) => {
            served.fetch_add(1, Ordering::SeqCst);
            (d, usize::MAX, None)
        }
        Route::Dying { data, cut, die } => {
            if die.load(Ordering::SeqCst) {
                let _ = stream.write_all(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                return;
            }
            (data, *cut, Some(die.clone()))
        }
    };
    let start = start.min(data.len());
    let body = &data[start..];
    let (status, range) = if start > 0 {
        let range = format!(
            "Content-Range: bytes {start}-{}/{}\r\n",
            data.len() - 1,
            data.len()
        );
        ("206 Partial Content", range)
    } else {
        ("200 OK", String::new())
    };
    let header = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nAccept-Ranges: bytes\r\nContent-Length: {}\r\n\
         {range}Connection: close\r\n\r\n",
        body.len()
    );
    if stream.write_all(header.as_bytes()).is_err() {
        return;
    }
    let first = body.len().min(cut.saturating_sub(start));
    if stream.write_all(&body[..first]).is_err() {
        return;
    }
    match die {
        None => {
            let _ = stream.write_all(&body[first..]);
        }
        Some(die) => {
            // Hold the connection open, then drop it before the end.
            while !die.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
    }
}

/// A port on 127.0.0.1 where nothing listens. The port stays bound (but
/// not listening) for the rest of the test process, so a kiosk that binds
/// port 0 meanwhile can never be given it.
pub fn closed_port() -> u16 {
    let s = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    s.bind(&std::net::SocketAddr::from(([127, 0, 0, 1], 0)).into())
        .unwrap();
    let port = s.local_addr().unwrap().as_socket().unwrap().port();
    std::mem::forget(s);
    port
}

/// Opens a video into the kiosk for a waiting caller.
pub fn load_video(kiosk: &mut Kiosk, name: &str, uri: &str) -> mpsc::Receiver<LoadResult> {
    let (tx, rx) = mpsc::channel();
    kiosk.load_video(vitrine::app::VideoLoad {
        name: name.into(),
        uri: uri.into(),
        local: None,
        placement: vitrine::app::Placement::Default,
        origin: vitrine::app::Origin::Caller(
            vitrine::app::Caller::new(tx).0,
            Arc::new(vitrine::state::Source::Url {
                url: uri.into(),
                poster: None,
            }),
        ),
        poster: None,
    });
    rx
}

/// Loads `url` as the kiosk's `name` through the whole load path (the
/// policy, the sniffer, then the image, page or video), as `fetchUrl` does;
/// the receiver gets its result.
pub fn load_url(kiosk: &mut Kiosk, name: &str, url: String) -> mpsc::Receiver<LoadResult> {
    let (tx, rx) = mpsc::channel();
    kiosk.load(vitrine::app::LoadRequest {
        name: name.into(),
        source: vitrine::app::Source::Url(url),
        placement: vitrine::app::Placement::Default,
        origin: vitrine::app::Origin::Caller(
            vitrine::app::Caller::new(tx).0,
            Arc::new(vitrine::state::Source::Url {
                url: String::new(),
                poster: None,
            }),
        ),
        viewport: None,
        poster: None,
    });
    rx
}

/// A wake for tests.
pub fn signal() -> Arc<Signal> {
    Arc::new(Signal::default())
}

pub(crate) fn next_id() -> usize {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    NEXT.fetch_add(1, Ordering::SeqCst)
}

/// This process's threads whose names start with `prefix` ("" for all). A
/// thread names itself as it starts, and inherits its starter's name until
/// then.
pub fn threads(prefix: &str) -> usize {
    std::fs::read_dir("/proc/self/task")
        .unwrap()
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("comm")).ok())
        .filter(|name| name.starts_with(prefix))
        .count()
}

/// RSS in KiB, threads and open files of process `pid`.
pub fn usage(pid: u32) -> (u64, usize, usize) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    let fds = std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, Iterator::count);
    (field("VmRSS:"), field("Threads:") as usize, fds)
}

/// A small deterministic random source, so a failing run can be replayed.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    /// A number below `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

/// A load of `source` into `name` for a caller, and where its result comes.
pub fn caller_load(
    name: &str,
    source: vitrine::app::Source,
) -> (vitrine::app::LoadRequest, mpsc::Receiver<LoadResult>) {
    let (tx, rx) = mpsc::channel();
    let kept = vitrine::state::Source::Url {
        url: source.describe(),
        poster: None,
    };
    let r = vitrine::app::LoadRequest {
        name: name.into(),
        source,
        placement: vitrine::app::Placement::Default,
        origin: vitrine::app::Origin::Caller(vitrine::app::Caller::new(tx).0, Arc::new(kept)),
        viewport: None,
        poster: None,
    };
    (r, rx)
}

/// A small opaque PNG in `dir`.
pub fn still_png(dir: &Path) -> PathBuf {
    let p = dir.join("still.png");
    vitrine::pixels::Rgba8Image::filled(32, 32, [200, 100, 0, 255])
        .save_png(&p)
        .unwrap();
    p
}
