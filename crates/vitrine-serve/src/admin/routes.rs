//! The admin page's routes: the page itself, login, and the API behind it, where every action is a JSON-RPC request answered by the same code as the socket's.

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::conn::Conn;
use super::http::{Head, HttpError, Response, check_length, read_body};
use super::page;
use super::screen::Screen;
use super::session::{COOKIE, Granted, LoginError, Sessions};
use super::upload::{self, UploadError};
use crate::auth::same_secret;
use vitrine_api::answer::{answer, parse_failure, reply};
use vitrine_api::command::{Call, CallReply, Command};
use vitrine_api::dispatch::Dispatch;
use vitrine_api::events::Bus;
use vitrine_api::protocol::{codes, parse_request_within};

/// The bounds the routes keep.
#[derive(Clone, Debug)]
pub struct Limits {
    pub read_timeout: Duration,
    pub max_body_bytes: u64,
    pub max_upload_bytes: u64,
    pub upload_timeout: Duration,
    pub upload_dir_max_bytes: u64,
    pub max_watchers: usize,
    /// The longest widget name a request may give (`remote.max_name_bytes`).
    pub max_name_bytes: usize,
    /// How long writing a response, or an event, may block
    /// (`admin.write_timeout`).
    pub write_timeout: Duration,
    /// The largest request head (`admin.max_head_bytes`).
    pub max_head_bytes: usize,
    /// The largest login body: the password in JSON, escaped
    /// ([`login_body_limit`]).
    pub max_login_bytes: u64,
}

/// The largest login body for a password of `password_bytes`: room for
/// every byte escaped as `\uXXXX`, and never less than 4 KiB, so a long
/// password (or `remote.token` used as one) can always log in.
pub fn login_body_limit(password_bytes: usize) -> u64 {
    (password_bytes as u64)
        .saturating_mul(6)
        .saturating_add(64)
        .max(4096)
}

/// Everything the routes share.
pub struct Admin {
    pub dispatch: Arc<Dispatch>,
    pub events: Arc<Bus>,
    pub sessions: Sessions,
    pub screen: Screen,
    /// Pages receiving live updates now.
    pub watchers: AtomicUsize,
    /// Where uploads go; `None` when there is nowhere to put them.
    pub upload_dir: Option<PathBuf>,
    /// Room held by uploads still arriving, so uploads at once cannot
    /// together pass `admin.upload_dir_max_bytes`.
    pub uploads: upload::Ledger,
    /// Host names the page answers to besides IP addresses and `localhost`.
    pub allowed_hosts: Vec<String>,
    pub limits: Limits,
}

/// What a request comes to.
pub enum Outcome {
    Respond(Response),
    /// The connection becomes this session's event stream.
    Events(Granted),
}

/// Routes one request. `stream` is there for bodies that are read only
/// once their route and limit are known; `deadline` is the request's, from
/// its first byte (`admin.read_timeout`), which uploads extend.
pub fn route(
    stream: &mut Conn,
    head: &Head,
    peer: IpAddr,
    admin: &Admin,
    deadline: Instant,
) -> Outcome {
    let respond = Outcome::Respond;
    if let Err(refused) = guard(head, admin) {
        return respond(refused);
    }
    match (head.method.as_str(), head.path.as_str()) {
        ("GET", "/" | "/index.html") => return respond(page::index()),
        ("GET", path) if let Some(file) = page::asset(path) => return respond(file),
        ("POST", "/api/login") => return respond(login(stream, head, peer, admin, deadline)),
        ("GET", "/api/session") => return respond(session(head, admin)),
        _ => {}
    }
    let known = [
        ("POST", "/api/logout"),
        ("POST", "/api/rpc"),
        ("GET", "/api/screen.png"),
        ("GET", "/api/events"),
        ("PUT", "/api/upload"),
        ("GET", "/api/stats.csv"),
        ("GET", "/api/plays.csv"),
    ];
    if !known.iter().any(|(_, p)| *p == head.path) {
        return respond(Response::error(404, "no such page"));
    }
    if !known.contains(&(head.method.as_str(), head.path.as_str())) {
        return respond(Response::error(405, "method not allowed"));
    }
    let Some(granted) = admin.sessions.check(head.cookie(COOKIE)) else {
        return respond(Response::error(401, "log in first"));
    };
    // Anything that changes the kiosk carries the session's CSRF token, which
    // a page from another origin cannot read.
    if head.method != "GET"
        && !head
            .header("x-csrf-token")
            .is_some_and(|t| same_secret(t, &granted.csrf))
    {
        return respond(Response::error(403, "missing or wrong CSRF token"));
    }
    respond(match head.path.as_str() {
        "/api/logout" => {
            admin.sessions.logout(&granted.id);
            Response::json(200, &json!({"logged_out": true}))
                .with("Set-Cookie", clear_cookie(stream))
        }
        "/api/rpc" => rpc(stream, head, admin, deadline),
        "/api/screen.png" => screen(admin),
        "/api/upload" => upload(stream, head, admin, deadline),
        "/api/stats.csv" => stats_csv(admin, false),
        "/api/plays.csv" => stats_csv(admin, true),
        // `/api/events`: the connection is handed over.
        _ => return Outcome::Events(granted),
    })
}

/// Refuses what no browser of the manager's sends: a host name the page
/// does not answer to (a page elsewhere reaching the kiosk through a name
/// it points at 127.0.0.1), a change sent from another origin, and, with
/// no password, a request through a proxy (which would publish the page).
fn guard(head: &Head, admin: &Admin) -> Result<(), Response> {
    let host = head.header("host").unwrap_or_default();
    if !host_allowed(host, &admin.allowed_hosts) {
        return Err(Response::error(
            403,
            &format!("the admin page does not answer to host {host:?} (admin.allowed_hosts)"),
        ));
    }
    if head.method != "GET"
        && let Some(origin) = head.header("origin")
        && origin.split_once("://").map(|(_, h)| h) != Some(host)
    {
        return Err(Response::error(403, "a change from another origin"));
    }
    let proxied = head.header("forwarded").is_some() || head.header("x-forwarded-for").is_some();
    if proxied && !admin.sessions.password_required() {
        return Err(Response::error(
            403,
            "behind a proxy the admin page needs a password (admin.password)",
        ));
    }
    Ok(())
}

/// Whether `host` (a Host header: a name or address, maybe with a port)
/// is an IP address, `localhost` or one of `allowed`. A rebinding attack
/// needs a name it controls, so addresses are safe to answer.
pub fn host_allowed(host: &str, allowed: &[String]) -> bool {
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => match host.rsplit_once(':') {
            Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
            _ => host,
        },
    };
    !name.is_empty()
        && (name.parse::<IpAddr>().is_ok()
            || name.eq_ignore_ascii_case("localhost")
            || allowed.iter().any(|a| a.eq_ignore_ascii_case(name)))
}

fn http_error(e: &HttpError) -> Response {
    Response::error(e.status().unwrap_or(400), &e.to_string())
}

fn login(
    stream: &mut Conn,
    head: &Head,
    peer: IpAddr,
    admin: &Admin,
    deadline: Instant,
) -> Response {
    let body = match check_length(head, admin.limits.max_login_bytes, "the password's length")
        .and_then(|()| read_body(stream, head, deadline))
    {
        Ok(b) => b,
        Err(e) => return http_error(&e),
    };
    let password = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v.get("password").and_then(Value::as_str).map(String::from))
        .unwrap_or_default();
    match admin.sessions.login(peer, &password) {
        Ok(g) => {
            let cookie = format!(
                "{COOKIE}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}",
                g.id,
                admin.sessions.ttl().as_secs().max(1),
                secure(stream)
            );
            Response::json(200, &json!({"csrf": g.csrf})).with("Set-Cookie", cookie)
        }
        // The auth throttle logs wrong passwords, at most once per address
        // per interval.
        Err(e @ LoginError::Wrong) => Response::error(401, &e.to_string()),
        Err(e @ LoginError::Limited(secs)) => {
            Response::error(429, &e.to_string()).with("Retry-After", secs.to_string())
        }
        Err(LoginError::Waiting(w)) => {
            Response::error(429, &w.to_string()).with("Retry-After", w.secs().to_string())
        }
        Err(e @ LoginError::Random(_)) => Response::error(500, &e.to_string()),
    }
}

/// Whether the browser's cookie is a live session, and its CSRF token.
fn session(head: &Head, admin: &Admin) -> Response {
    let required = admin.sessions.password_required();
    match admin.sessions.check(head.cookie(COOKIE)) {
        Some(g) => Response::json(200, &json!({"csrf": g.csrf, "password_required": required})),
        None => Response::json(
            401,
            &json!({"error": "log in first", "password_required": required}),
        ),
    }
}

fn clear_cookie(stream: &Conn) -> String {
    format!(
        "{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}",
        secure(stream)
    )
}

/// Over TLS a cookie is `Secure`: the browser never sends it over plain
/// HTTP, where anyone on the store network could read it.
fn secure(stream: &Conn) -> &'static str {
    if stream.is_tls() { "; Secure" } else { "" }
}

/// A JSON-RPC request, answered exactly as the socket answers it.
fn rpc(stream: &mut Conn, head: &Head, admin: &Admin, deadline: Instant) -> Response {
    let body = match check_length(head, admin.limits.max_body_bytes, "admin.max_body_bytes")
        .and_then(|()| read_body(stream, head, deadline))
    {
        Ok(b) => b,
        Err(e) => return http_error(&e),
    };
    match answer_json(&body, &admin.dispatch, admin.limits.max_name_bytes) {
        Some(reply) => Response::json(200, &reply),
        None => Response::new(204, "text/plain", ""),
    }
}

/// The JSON-RPC reply to `payload` (`None` for a notification).
pub fn answer_json(payload: &[u8], dispatch: &Dispatch, max_name_bytes: usize) -> Option<Value> {
    let request = match parse_request_within(payload, max_name_bytes) {
        Ok(r) => r,
        Err(e) => return parse_failure(&e),
    };
    let result = match request.command {
        Command::Stream(_) => Err((
            codes::INVALID_REQUEST,
            "the admin page's events come from GET /api/events".to_string(),
        )),
        other => answer(other, dispatch),
    };
    reply(request.id, result)
}

fn screen(admin: &Admin) -> Response {
    match admin.screen.frame(&admin.dispatch) {
        Ok(f) => Response::new(200, "image/png", f.png.as_slice())
            .with("X-Vitrine-Frame", f.number.to_string()),
        Err(e) => Response::error(503, &format!("no screen: {e}")),
    }
}

/// Writes the upload into the upload folder, then shows it with a
/// `fetchUrl` built as a client would send it.
fn upload(stream: &mut Conn, head: &Head, admin: &Admin, deadline: Instant) -> Response {
    let Some(dir) = &admin.upload_dir else {
        return Response::error(
            503,
            "uploads are off: no state directory to keep them in (set admin.upload_dir)",
        );
    };
    if head.content_length == 0 {
        return Response::error(411, "an upload needs its Content-Length (and some content)");
    }
    let name = match upload::file_name(&head.param("name").unwrap_or_default()) {
        Ok(n) => n,
        Err(e) => return Response::error(415, &e.to_string()),
    };
    // An upload may take longer than a request: its own deadline.
    let deadline = deadline.max(Instant::now() + admin.limits.upload_timeout);
    let folder = upload::Folder {
        dir,
        max_bytes: admin.limits.upload_dir_max_bytes,
        ledger: &admin.uploads,
    };
    let received = upload::receive(
        stream,
        head,
        &folder,
        &name,
        admin.limits.max_upload_bytes,
        deadline,
    );
    let path = match received {
        Ok(p) => p,
        Err(UploadError::Http(e)) => return http_error(&e),
        Err(e @ UploadError::Name(_)) => return Response::error(415, &e.to_string()),
        Err(e @ UploadError::Write(_)) => return Response::error(500, &e.to_string()),
        Err(e @ UploadError::Full { .. }) => return Response::error(507, &e.to_string()),
    };
    let Ok(url) = url::Url::from_file_path(&path) else {
        return Response::error(500, "the upload's path is not absolute");
    };
    let widget = head
        .param("widget")
        .filter(|w| !w.is_empty())
        .unwrap_or_else(|| {
            path.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        });
    let request = json!({"jsonrpc": "2.0", "id": 1, "method": "fetchUrl",
        "params": {"name": widget, "url": url.as_str()}});
    let payload = serde_json::to_vec(&request).unwrap_or_default();
    let reply =
        answer_json(&payload, &admin.dispatch, admin.limits.max_name_bytes).unwrap_or(Value::Null);
    Response::json(200, &json!({"url": url.as_str(), "reply": reply}))
}

/// The touch counters (or, with `plays`, proof of play) as a CSV download.
fn stats_csv(admin: &Admin, plays: bool) -> Response {
    let report = match admin.dispatch.call(Call::Stats {
        since: None,
        reset: false,
    }) {
        Ok(Ok(CallReply::Stats(r))) => r,
        Ok(Ok(_)) => return Response::error(500, "the kiosk answered something else"),
        Ok(Err(f)) => return Response::error(503, &f.message),
        Err(e) => return Response::error(503, &e.to_string()),
    };
    let mut out = Vec::new();
    let (written, file) = if plays {
        let w = vitrine_api::stats_table::write_plays_csv(&report, &mut out);
        (w, "attachment; filename=\"vitrine-plays.csv\"")
    } else {
        let w = vitrine_api::stats_table::write_csv(&report, &mut out);
        (w, "attachment; filename=\"vitrine-stats.csv\"")
    };
    match written {
        Ok(()) => {
            Response::new(200, "text/csv; charset=utf-8", out).with("Content-Disposition", file)
        }
        Err(e) => Response::error(500, &e.to_string()),
    }
}
