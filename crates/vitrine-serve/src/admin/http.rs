//! HTTP/1.1 on one connection: reading a request head (parsed by `httparse`) and a bounded body within a deadline, and writing a response with the page's security headers.

use std::io::Write;
use std::time::Instant;

use super::conn::Transport;

/// The most header lines a request may have. Not a key: a browser sends
/// about 15 and a proxy in front adds a handful; a head with more is not a
/// manager's browser, and its bytes are bounded by `admin.max_head_bytes`.
const MAX_HEADERS: usize = 48;

/// Why a request could not be read. Each has the status it is answered
/// with, when the connection can still take an answer.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    #[error("the connection closed before a whole request")]
    Closed,
    #[error("the request did not arrive in time")]
    TimedOut,
    #[error(
        "the request head is larger than {0} bytes (admin.max_head_bytes), or has more than {MAX_HEADERS} headers"
    )]
    HeadTooLarge(usize),
    #[error("malformed request: {0}")]
    Malformed(String),
    #[error("a body needs a Content-Length (chunked bodies are not taken)")]
    LengthRequired,
    #[error("the body is {got} bytes, more than the {limit} allowed ({key})")]
    TooLarge {
        got: u64,
        limit: u64,
        key: &'static str,
    },
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl HttpError {
    /// The status to answer with, or `None` when the peer is gone.
    pub fn status(&self) -> Option<u16> {
        match self {
            HttpError::Closed | HttpError::Io(_) => None,
            HttpError::TimedOut => Some(408),
            HttpError::HeadTooLarge(_) => Some(431),
            HttpError::Malformed(_) => Some(400),
            HttpError::LengthRequired => Some(411),
            HttpError::TooLarge { .. } => Some(413),
        }
    }
}

/// A request's head, and the body bytes that arrived with it.
#[derive(Debug)]
pub struct Head {
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The query string, without `?`.
    pub query: String,
    /// Header names in lower case.
    headers: Vec<(String, String)>,
    /// The body's length, from `Content-Length` (0 without one).
    pub content_length: u64,
    /// Body bytes read past the head.
    early: Vec<u8>,
}

impl Head {
    /// A header's value (the first, for a repeated one).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// A cookie sent with the request.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n == "cookie")
            .flat_map(|(_, v)| v.split(';'))
            .filter_map(|c| c.trim().split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v)
    }

    /// A query parameter, percent-decoded.
    pub fn param(&self, name: &str) -> Option<String> {
        url::form_urlencoded::parse(self.query.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }
}

/// Reads a request head of at most `max_head` bytes from `stream` before
/// `deadline`.
pub fn read_head(
    stream: &mut impl Transport,
    deadline: Instant,
    max_head: usize,
) -> Result<Head, HttpError> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    loop {
        let n = read_before(stream, &mut chunk, deadline)?;
        if n == 0 {
            return Err(HttpError::Closed);
        }
        buf.extend_from_slice(&chunk[..n]);
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut req = httparse::Request::new(&mut headers);
        match req.parse(&buf) {
            // A whole head that came in one read is held to the bound too.
            Ok(httparse::Status::Complete(len)) if len > max_head => {
                return Err(HttpError::HeadTooLarge(max_head));
            }
            Ok(httparse::Status::Complete(len)) => return head_of(&req, buf[len..].to_vec()),
            Ok(httparse::Status::Partial) if buf.len() > max_head => {
                return Err(HttpError::HeadTooLarge(max_head));
            }
            Ok(httparse::Status::Partial) => {}
            Err(httparse::Error::TooManyHeaders) => return Err(HttpError::HeadTooLarge(max_head)),
            Err(e) => return Err(HttpError::Malformed(e.to_string())),
        }
    }
}

fn head_of(req: &httparse::Request<'_, '_>, early: Vec<u8>) -> Result<Head, HttpError> {
    let method = req.method.unwrap_or_default().to_string();
    let target = req.path.unwrap_or("/");
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let headers: Vec<(String, String)> = req
        .headers
        .iter()
        .map(|h| {
            (
                h.name.to_ascii_lowercase(),
                String::from_utf8_lossy(h.value).trim().to_string(),
            )
        })
        .collect();
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && !v.eq_ignore_ascii_case("identity"));
    if chunked {
        return Err(HttpError::LengthRequired);
    }
    // One Content-Length of digits only: anything else could be read two
    // ways by a proxy in front and by this server.
    let lengths: Vec<&str> = headers
        .iter()
        .filter(|(n, _)| n == "content-length")
        .map(|(_, v)| v.as_str())
        .collect();
    let content_length = match lengths.as_slice() {
        [] => 0,
        [v] if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) => v
            .parse::<u64>()
            .map_err(|_| HttpError::Malformed(format!("Content-Length {v:?}")))?,
        _ => return Err(HttpError::Malformed("Content-Length".into())),
    };
    Ok(Head {
        method,
        path: path.to_string(),
        query: query.to_string(),
        headers,
        content_length,
        early,
    })
}

/// Reads once, waiting no later than `deadline`.
fn read_before(
    stream: &mut impl Transport,
    buf: &mut [u8],
    deadline: Instant,
) -> Result<usize, HttpError> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Err(HttpError::TimedOut);
    }
    stream.set_read_timeout(Some(left))?;
    match stream.read(buf) {
        Ok(n) => Ok(n),
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ) =>
        {
            Err(HttpError::TimedOut)
        }
        Err(e) => Err(e.into()),
    }
}

/// Checks the body's declared length against `limit` (named by `key` in the
/// error), before any of it is read.
pub fn check_length(head: &Head, limit: u64, key: &'static str) -> Result<(), HttpError> {
    if head.content_length > limit {
        return Err(HttpError::TooLarge {
            got: head.content_length,
            limit,
            key,
        });
    }
    Ok(())
}

/// Tells a client that waits for it (`Expect: 100-continue`, as curl sends
/// before a large upload) to send its body, once the length is accepted.
pub fn send_continue(stream: &mut impl Transport, head: &Head) -> Result<(), HttpError> {
    let expects = head
        .header("expect")
        .is_some_and(|e| e.eq_ignore_ascii_case("100-continue"));
    if expects && (head.early.len() as u64) < head.content_length {
        stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
        stream.flush()?;
    }
    Ok(())
}

/// Copies the body (its declared length, already checked) to `out`, before
/// `deadline`.
pub fn copy_body(
    stream: &mut impl Transport,
    head: &Head,
    out: &mut impl Write,
    deadline: Instant,
) -> Result<u64, HttpError> {
    let want = head.content_length;
    let early = &head.early[..head
        .early
        .len()
        .min(usize::try_from(want).unwrap_or(usize::MAX))];
    out.write_all(early)?;
    let mut got = early.len() as u64;
    let mut chunk = vec![0u8; 64 * 1024];
    while got < want {
        let room = usize::try_from(want - got)
            .unwrap_or(usize::MAX)
            .min(chunk.len());
        let n = read_before(stream, &mut chunk[..room], deadline)?;
        if n == 0 {
            return Err(HttpError::Closed);
        }
        out.write_all(&chunk[..n])?;
        got += n as u64;
    }
    Ok(got)
}

/// Reads the whole body into memory (its length already checked).
pub fn read_body(
    stream: &mut impl Transport,
    head: &Head,
    deadline: Instant,
) -> Result<Vec<u8>, HttpError> {
    send_continue(stream, head)?;
    let mut body = Vec::with_capacity(usize::try_from(head.content_length).unwrap_or(0));
    copy_body(stream, head, &mut body, deadline)?;
    Ok(body)
}

/// A response to write.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            content_type,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// A JSON body.
    pub fn json(status: u16, value: &serde_json::Value) -> Self {
        Self::new(
            status,
            "application/json",
            serde_json::to_vec(value).unwrap_or_default(),
        )
    }

    /// `{"error": message}` with `status`.
    pub fn error(status: u16, message: &str) -> Self {
        Self::json(status, &serde_json::json!({ "error": message }))
    }

    pub fn with(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// Writes the response; the connection closes after it.
    pub fn write(&self, stream: &mut impl Write) -> std::io::Result<()> {
        let mut head = status_line(self.status);
        head.push_str(&format!(
            "Content-Type: {}\r\nContent-Length: {}\r\n",
            self.content_type,
            self.body.len()
        ));
        for (n, v) in &self.headers {
            head.push_str(&format!("{n}: {v}\r\n"));
        }
        head.push_str(SECURITY_HEADERS);
        head.push_str("Connection: close\r\n\r\n");
        stream.write_all(head.as_bytes())?;
        stream.write_all(&self.body)?;
        stream.flush()
    }
}

/// Every response forbids caching, sniffing, framing and outside scripts:
/// the page runs only what the kiosk serves.
pub const SECURITY_HEADERS: &str = "Cache-Control: no-store\r\n\
X-Content-Type-Options: nosniff\r\n\
X-Frame-Options: DENY\r\n\
Referrer-Policy: no-referrer\r\n\
Content-Security-Policy: default-src 'self'; img-src 'self' blob: data:; \
style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; \
form-action 'self'\r\n";

/// `HTTP/1.1 <status> <reason>\r\n`.
pub fn status_line(status: u16) -> String {
    let reason = match status {
        200 => "OK",
        204 => "No Content",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        411 => "Length Required",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        507 => "Insufficient Storage",
        _ => "Status",
    };
    format!("HTTP/1.1 {status} {reason}\r\n")
}
