//! The admin page's part of the abuse campaign: 16 classes of hostile HTTP from a second loopback address (garbage, oversized heads, too many headers, slowloris, bad Content-Length, chunked bodies, forged cookies and CSRF tokens, wrong passwords, odd paths, hosts and methods), and a logged-in manager on 127.0.0.1 who keeps calling `whatsLoaded` through the page's JSON route.

use std::collections::{BTreeMap, VecDeque};
use std::io::Write;
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;
use vitrine::admin::COOKIE;

use super::campaign::{ATTACKER_IP, Healthy, Share, connect_from, send_and_drain};
use crate::support::Lcg;
use crate::support::http::Browser;

/// Slowloris connections one attacker holds open at once. Four attackers
/// hold eight, half of `admin.max_connections_per_peer`: the rest of the
/// classes still reach the parser, and the held ones take their places.
const HELD: usize = 2;

/// A request head with `extra` header lines, and a body.
fn request(method: &str, path: &str, extra: &str, body: &[u8]) -> Vec<u8> {
    let mut b = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}Content-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    b.extend_from_slice(body);
    b
}

/// The bytes of hostile request `i`; `None` for the slowloris class, which
/// the caller holds open instead.
fn hostile(i: usize, rng: &mut Lcg) -> Option<Vec<u8>> {
    let hex = |rng: &mut Lcg, n: usize| -> String {
        (0..n).map(|_| format!("{:x}", rng.below(16))).collect()
    };
    let login = |password: String| json!({ "password": password }).to_string().into_bytes();
    Some(match i % 16 {
        // Garbage.
        0 => {
            let n = 1 + rng.below(400) as usize;
            rng.bytes(n)
        }
        // A head past the 16 KiB bound, and one with a header too many.
        1 => request("GET", "/", &format!("X-Big: {}\r\n", "a".repeat(20_000)), b""),
        2 => {
            let many: String = (0..200).map(|n| format!("X-H{n}: v\r\n")).collect();
            request("GET", "/api/session", &many, b"")
        }
        // Slowloris: a head that never ends.
        3 => return None,
        // Content-Length that is no number, negative, past u64, twice and
        // disagreeing, or larger than what is sent.
        4 => {
            let bad = ["abc", "-1", "99999999999999999999999", "5, 7", "1000000"][i / 16 % 5];
            format!(
                "POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {bad}\r\n\r\n{{\"password\""
            )
            .into_bytes()
        }
        // Chunked bodies, alone and smuggled beside a Content-Length.
        5 => {
            let cl = if (i / 16).is_multiple_of(2) { "" } else { "Content-Length: 4\r\n" };
            format!(
                "POST /api/rpc HTTP/1.1\r\nHost: 127.0.0.1\r\n{cl}Transfer-Encoding: chunked\r\n\r\n\
                 4\r\nabcd\r\n0\r\n\r\nGET /api/stats.csv HTTP/1.1\r\n\r\n"
            )
            .into_bytes()
        }
        // Forged sessions: a guessed cookie, a garbage one, a long one,
        // each with a CSRF token, asking for a reset.
        6 => {
            let cookie = match i / 16 % 3 {
                0 => format!("{COOKIE}={}", hex(rng, 64)),
                1 => String::from_utf8_lossy(&rng.bytes(40)).replace(['\r', '\n'], ""),
                _ => format!("{COOKIE}={}", "A".repeat(8000)),
            };
            let rpc = json!({"jsonrpc": "2.0", "id": 1, "method": "reset"}).to_string();
            request(
                "POST",
                "/api/rpc",
                &format!("Cookie: {cookie}\r\nX-CSRF-Token: {}\r\n", hex(rng, 64)),
                rpc.as_bytes(),
            )
        }
        // No session at all, for every guarded route.
        7 => {
            let (method, path) = [
                ("POST", "/api/rpc"),
                ("GET", "/api/screen.png"),
                ("GET", "/api/events"),
                ("PUT", "/api/upload?name=x.png"),
                ("GET", "/api/stats.csv"),
                ("POST", "/api/logout"),
            ][i / 16 % 6];
            request(method, path, "", b"{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"reset\"}")
        }
        // Wrong passwords (this address soon waits), an empty one, a long
        // one, and login bodies that are no JSON.
        8 => request("POST", "/api/login", "", &login(hex(rng, 12))),
        9 => {
            let body = match i / 16 % 4 {
                0 => login(String::new()),
                1 => login("p".repeat(5000)),
                2 => b"{\"password\": 7}".to_vec(),
                _ => rng.bytes(64),
            };
            request("POST", "/api/login", "", &body)
        }
        // Paths that climb, absolute and asterisk forms.
        10 => {
            let path = [
                "/../../etc/passwd",
                "/%2e%2e/%2e%2e/etc/passwd",
                "/api/../../../etc/shadow",
                "http://evil.example/",
                "*",
                "/admin.js%00.png",
            ][i / 16 % 6];
            request("GET", path, "", b"")
        }
        // Other hosts (DNS rebinding), a proxy's header, no host at all.
        11 => {
            let head = match i / 16 % 3 {
                0 => "GET /api/session HTTP/1.1\r\nHost: evil.example\r\n\r\n".to_string(),
                1 => "GET /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-For: 10.1.2.3\r\n\r\n"
                    .to_string(),
                _ => "GET /api/session HTTP/1.1\r\n\r\n".to_string(),
            };
            head.into_bytes()
        }
        // Odd methods and versions, bare line feeds, folded and nameless
        // header lines.
        12 => [
            "BREW / HTCPCP/1.0\r\n\r\n",
            "DELETE /api/rpc HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
            "GET / HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n",
            "get / http/1.1\nHost: 127.0.0.1\n\n",
            "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: 1\r\n folded\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nno colon here\r\n: empty\r\n\r\n",
        ][i / 16 % 6]
            .as_bytes()
            .to_vec(),
        // An upload declaring more than any bound, never sent.
        13 => "PUT /api/upload?name=big.png HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 18446744073709551615\r\n\r\n"
            .as_bytes()
            .to_vec(),
        // A byte flipped in a login.
        14 => {
            let mut b = request("POST", "/api/login", "", &login(hex(rng, 8)));
            let at = rng.below(b.len() as u64) as usize;
            b[at] ^= 1 << rng.below(8);
            b
        }
        // NUL bytes and control characters in the head.
        _ => {
            let mut b = b"GET /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\nX-\0: \x01\x7f\r\n".to_vec();
            b.extend_from_slice(&rng.bytes(16));
            b.extend_from_slice(b"\r\n\r\n");
            b
        }
    })
}

/// One attacker from 127.0.0.2: requests of its share until it is spent.
/// It returns how many answers had each status (0: none came).
pub fn attacker(port: u16, share: &Share, seed: u64) -> BTreeMap<u16, usize> {
    let mut rng = Lcg(seed);
    let mut answers = BTreeMap::new();
    let mut held: VecDeque<TcpStream> = VecDeque::new();
    while let Some(i) = share.take() {
        let Ok(mut s) = connect_from(ATTACKER_IP, port) else {
            share.miss();
            continue;
        };
        match hostile(i, &mut rng) {
            Some(bytes) => {
                let back = send_and_drain(s, &bytes);
                // "HTTP/1.1 401 ...": the status, or 0 for no answer.
                let status = std::str::from_utf8(back.get(9..12).unwrap_or_default())
                    .ok()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0);
                *answers.entry(status).or_insert(0) += 1;
            }
            None => {
                // Half a head, then silence: the page must not wait on it
                // past admin.read_timeout, nor hold up anyone else.
                let _ = s.write_all(b"GET /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
                held.push_back(s);
                if held.len() > HELD {
                    held.pop_front();
                }
            }
        }
    }
    answers
}

/// The manager: logged in before the campaign (`browser`), it keeps calling
/// `whatsLoaded` through `/api/rpc` with its session and CSRF token until
/// `done`, every answer right.
pub fn healthy(browser: Browser, done: &Arc<AtomicBool>) -> Healthy {
    let mut latencies = Vec::new();
    loop {
        let t = Instant::now();
        let r = browser.rpc("whatsLoaded", json!({}));
        latencies.push(t.elapsed());
        assert_eq!(
            r.status,
            200,
            "admin rpc: {}",
            String::from_utf8_lossy(&r.body)
        );
        assert_eq!(r.json()["result"], "steady", "admin whatsLoaded");
        if done.load(Ordering::SeqCst) {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    Healthy {
        latencies,
        what: "logged-in whatsLoaded over /api/rpc".into(),
    }
}
