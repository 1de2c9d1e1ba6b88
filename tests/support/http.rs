//! A browser's side of the admin page for tests and benchmarks: raw HTTP/1.1 requests on loopback, a session cookie and its CSRF token.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use serde_json::{Value, json};

/// A response, read whole.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }
}

/// Sends raw bytes and reads the response to its end.
pub fn raw(port: u16, bytes: &[u8]) -> Reply {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(bytes).unwrap();
    let mut all = Vec::new();
    let _ = s.read_to_end(&mut all);
    let split = all
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no head in {:?}", String::from_utf8_lossy(&all)));
    let head = String::from_utf8_lossy(&all[..split]).to_string();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: all[split + 4..].to_vec(),
    }
}

/// A logged-in (or not) browser.
pub struct Browser {
    pub port: u16,
    pub cookie: Option<String>,
    pub csrf: Option<String>,
}

impl Browser {
    pub fn new(port: u16) -> Self {
        Self {
            port,
            cookie: None,
            csrf: None,
        }
    }

    pub fn send(&self, method: &str, path: &str, body: &[u8], csrf: bool) -> Reply {
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {}\r\n",
            body.len()
        );
        if let Some(c) = &self.cookie {
            head.push_str(&format!("Cookie: {c}\r\n"));
        }
        if let (true, Some(t)) = (csrf, &self.csrf) {
            head.push_str(&format!("X-CSRF-Token: {t}\r\n"));
        }
        head.push_str("\r\n");
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(body);
        raw(self.port, &bytes)
    }

    pub fn login(&mut self, password: &str) -> Reply {
        let r = self.send(
            "POST",
            "/api/login",
            json!({ "password": password }).to_string().as_bytes(),
            false,
        );
        if r.status == 200 {
            let cookie = r
                .header("Set-Cookie")
                .expect("a session cookie")
                .to_string();
            assert!(
                cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
                "{cookie}"
            );
            self.cookie = Some(cookie.split(';').next().unwrap().to_string());
            self.csrf = Some(r.json()["csrf"].as_str().unwrap().to_string());
        }
        r
    }

    pub fn rpc(&self, method: &str, params: Value) -> Reply {
        let req = json!({"jsonrpc": "2.0", "id": 7, "method": method, "params": params});
        self.send("POST", "/api/rpc", req.to_string().as_bytes(), true)
    }
}
