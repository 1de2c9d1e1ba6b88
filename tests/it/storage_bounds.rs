//! The kiosk's storage bounds against a hostile network, through real HTTP on loopback: parallel uploads to the admin page never store past `admin.upload_dir_max_bytes`, and many small URLs never take the offline cache past `state.cache_max_bytes` or `state.cache_max_entries`, counted in disk blocks and files.

use crate::support;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;
use support::http::Browser;
use support::{HttpServer, KioskProcess, Route, temp_dir};
use vitrine::remote::Framing;

const MIB: u64 = 1024 * 1024;

/// The files in `dir` and the bytes their blocks take on disk.
fn usage(dir: &Path) -> (usize, u64) {
    let mut files = 0;
    let mut bytes = 0;
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let m = entry.metadata().unwrap();
        if m.is_file() {
            files += 1;
            bytes += m.blocks() * 512;
        }
    }
    (files, bytes)
}

/// Sends an upload as curl does (`Expect: 100-continue`): the body only
/// once the page accepts its length. `send` is how many body bytes go
/// before the connection's sending side is shut (all of them for a whole
/// upload). Returns the final status.
fn upload(b: &Browser, name: &str, len: usize, send: usize) -> u16 {
    let mut s = TcpStream::connect(("127.0.0.1", b.port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    let head = format!(
        "PUT /api/upload?name={name} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len}\r\n\
         Cookie: {}\r\nX-CSRF-Token: {}\r\nExpect: 100-continue\r\n\r\n",
        b.cookie.as_deref().unwrap(),
        b.csrf.as_deref().unwrap()
    );
    s.write_all(head.as_bytes()).unwrap();
    let status = |s: &mut TcpStream| -> (u16, Vec<u8>) {
        // Read up to the end of one head (a 100 is followed by the body).
        let mut got = Vec::new();
        let mut byte = [0u8; 1];
        while !got.ends_with(b"\r\n\r\n") {
            match s.read(&mut byte) {
                Ok(1) => got.push(byte[0]),
                _ => break,
            }
        }
        let text = String::from_utf8_lossy(&got).to_string();
        let code = text
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        (code, got)
    };
    let (first, _) = status(&mut s);
    if first != 100 {
        return first;
    }
    let body = vec![0x5a_u8; send];
    // The page may answer (and close) before the body is all sent.
    let _ = s.write_all(&body);
    if send < len {
        let _ = s.shutdown(Shutdown::Write);
    }
    status(&mut s).0
}

#[test]
fn parallel_uploads_never_pass_the_folder_bound_and_failures_free_their_room() {
    let state = temp_dir("bounds-upload").join("state");
    let config = format!(
        "[state]\ndir = {:?}\n[admin]\nupload_dir_max_bytes = {}\n",
        state.display().to_string(),
        20 * MIB
    );
    let kiosk = KioskProcess::start(&config, &[]);
    let mut b = Browser::new(kiosk.logged_port("admin"));
    assert_eq!(b.login("").status, 200);
    let folder = state.join("uploads");
    let eight = (8 * MIB) as usize;

    // An upload cut short fails, and the room it held is free again.
    let cut = upload(&b, "cut.png", eight, (MIB) as usize);
    assert!((400..500).contains(&cut), "a cut upload fails: {cut}");

    // Eight at once: only two can fit in 20 MiB.
    let b = Arc::new(b);
    let ok = Arc::new(AtomicUsize::new(0));
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let (b, ok) = (b.clone(), ok.clone());
            std::thread::spawn(move || {
                let code = upload(&b, &format!("p{i}.png"), eight, eight);
                assert!(code == 200 || code == 507, "upload {i}: {code}");
                if code == 200 {
                    ok.fetch_add(1, Ordering::SeqCst);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let ok = ok.load(Ordering::SeqCst);
    let (_, held) = usage(&folder);
    assert!(ok <= 2, "{ok} uploads of 8 MiB stored in a 20 MiB folder");
    assert!(held <= 20 * MIB, "the folder holds {held} bytes");

    // Nothing refused or failed kept its room: the folder fills to two.
    for k in ok..2 {
        assert_eq!(upload(&b, &format!("late{k}.png"), eight, eight), 200);
    }
    assert_eq!(upload(&b, "over.png", eight, eight), 507);
    let (files, held) = usage(&folder);
    assert_eq!(files, 2, "two uploads, no parts left");
    assert!(held <= 20 * MIB, "the folder holds {held} bytes");
    assert!(
        kiosk
            .client(Framing::V2)
            .call("listContent", json!({}))
            .is_ok()
    );
}

/// Pages of many empty images, all on one origin.
fn pages(count: usize, images: usize, served: &Arc<AtomicUsize>) -> Vec<(&'static str, Route)> {
    let mut routes = Vec::new();
    for p in 0..count {
        let mut html = String::from("<html><body>");
        for i in 0..images {
            let path: &'static str = Box::leak(format!("/e{p}-{i}.png").into_boxed_str());
            html.push_str(&format!("<img src='{path}' width='4' height='4'>"));
            routes.push((path, Route::Counted(Vec::new(), served.clone())));
        }
        html.push_str("</body></html>");
        let path: &'static str = Box::leak(format!("/page{p}.html").into_boxed_str());
        routes.push((path, Route::File(html.into_bytes())));
    }
    routes
}

/// Shows every page and waits until the origin has served all its images.
fn show_pages(
    kiosk: &KioskProcess,
    server: &HttpServer,
    count: usize,
    images: usize,
    served: &AtomicUsize,
) {
    let mut client = kiosk.client(Framing::V2);
    for p in 0..count {
        let r = client
            .call(
                "fetchUrl",
                json!({"name": format!("page{p}"), "url": server.url(&format!("/page{p}.html"))}),
            )
            .unwrap();
        assert_eq!(r["status"], "SUCCESS", "page {p}: {r}");
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while served.load(Ordering::SeqCst) < count * images {
        assert!(
            Instant::now() < deadline,
            "{} of {} images fetched\n{}",
            served.load(Ordering::SeqCst),
            count * images,
            kiosk.log.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // A round trip after the last image: its copy is settled.
    client.call("listContent", json!({})).unwrap();
}

#[test]
fn many_empty_urls_keep_the_cache_within_its_bytes_and_entries() {
    let served = Arc::new(AtomicUsize::new(0));
    let server = HttpServer::start(pages(6, 60, &served));
    let bound = 64 * 1024;

    // The bytes' bound: each entry costs at least a block for its body
    // and one for its description.
    let state = temp_dir("bounds-cache-bytes").join("state");
    let config = format!(
        "[state]\ndir = {:?}\ncache_max_bytes = {bound}\n",
        state.display().to_string()
    );
    let kiosk = KioskProcess::start(&config, &[]);
    show_pages(&kiosk, &server, 6, 60, &served);
    let (files, bytes) = usage(&state.join("cache"));
    assert!(
        files <= 2 * (bound / 4096) as usize,
        "{files} files in the cache"
    );
    assert!(bytes <= bound, "the cache takes {bytes} bytes on disk");
    drop(kiosk);

    // The entries' bound, with room in bytes to spare.
    served.store(0, Ordering::SeqCst);
    let state = temp_dir("bounds-cache-entries").join("state");
    let config = format!(
        "[state]\ndir = {:?}\ncache_max_bytes = {}\ncache_max_entries = 20\n",
        state.display().to_string(),
        64 * MIB
    );
    let kiosk = KioskProcess::start(&config, &[]);
    show_pages(&kiosk, &server, 6, 60, &served);
    let (files, _) = usage(&state.join("cache"));
    assert!(files <= 40, "{files} files for at most 20 entries");
    // What is kept still serves: the last page is among the newest.
    assert!(files >= 2, "the cache keeps something: {files} files");
}
