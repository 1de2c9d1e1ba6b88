//! Fetching by URL under one policy for everything: `file://` inside the content roots, `http(s)://` to allowed hosts, with size limits and timeouts.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use url::Url;

use super::addr::{AddressPolicy, CheckedResolver, refusal};
use super::cache::HttpCache;

/// Redirects followed, each checked against the policy.
const MAX_REDIRECTS: u32 = 5;

/// Why a URL could not be fetched. Exhaustive on purpose: the app maps
/// every variant to a failure kind, and a new one must be mapped too.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FetchError {
    /// Not a URL.
    #[error("not a valid URL: {0}")]
    BadUrl(String),
    /// A scheme other than file, http and https.
    #[error("unsupported URL scheme {0:?}: use file://, http:// or https://")]
    UnsupportedScheme(String),
    /// The policy forbids it: outside the content roots, or a host not allowed.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// No such file, or HTTP 404/410.
    #[error("not found: {0}")]
    NotFound(String),
    /// More bytes than allowed.
    #[error("larger than the {max}-byte limit")]
    TooLarge { max: u64 },
    /// The server or the file system took too long.
    #[error("timed out after {0:?}")]
    Timeout(Duration),
    /// An HTTP error status other than not-found.
    #[error("HTTP status {0}")]
    Status(u16),
    /// Anything else on the way: DNS, refused connections, broken streams.
    #[error("{0}")]
    Io(String),
}

/// The content policy, built once from `[content]`.
#[derive(Clone, Debug)]
pub struct Policy {
    /// Canonical directories `file://` may read from.
    roots: Vec<PathBuf>,
    /// The same directories as configured (absolute, `..` resolved by name),
    /// so a path under a root reached through a symbolic link is recognised
    /// before anything about it is looked up.
    named_roots: Vec<PathBuf>,
    /// Allowed hosts, lower case; `*.example.com` matches subdomains. Empty
    /// allows any.
    hosts: Vec<String>,
    /// Link-local and unspecified addresses are refused unless
    /// `allowed_hosts` names them; checked on the address connected.
    addrs: Arc<AddressPolicy>,
    pub max_bytes: u64,
    pub timeout: Duration,
    /// The offline cache, once the state directory is known; shared by
    /// every clone of the policy (each page's resources use one).
    pub(super) cache: Arc<OnceLock<Arc<HttpCache>>>,
}

/// `path` with `.` and `..` resolved by name alone, without touching the
/// file system: `/a/b/../c` is `/a/c`, and `..` never climbs above `/`.
fn lexical(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// An opened URL: its final address, content type and a reader for the body.
pub struct Opened {
    pub url: Url,
    pub content_type: Option<String>,
    /// A local file with the whole body: the file itself, or the offline
    /// cache's copy of an HTTP(S) body.
    pub local: Option<PathBuf>,
    /// Served from the offline cache: the origin could not be reached.
    pub cached: bool,
    /// The offline cache keeping this body as it is read, and its key.
    pub(super) kept_as: Option<(Arc<HttpCache>, String)>,
    pub(super) reader: Box<dyn Read + Send>,
    pub(super) max: u64,
}

impl std::fmt::Debug for Opened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Opened")
            .field("url", &self.url.as_str())
            .finish()
    }
}

impl Opened {
    /// Reads the whole body, refusing it past the size limit.
    pub fn read_all(self) -> Result<Vec<u8>, FetchError> {
        let mut bytes = Vec::new();
        self.reader
            .take(self.max.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| io_error(&e))?;
        if bytes.len() as u64 > self.max {
            return Err(FetchError::TooLarge { max: self.max });
        }
        Ok(bytes)
    }

    /// Reads up to `n` bytes, for sniffing, and keeps the rest unread.
    pub fn head(&mut self, n: usize) -> Result<Vec<u8>, FetchError> {
        let mut head = Vec::with_capacity(n);
        (&mut self.reader)
            .take(n as u64)
            .read_to_end(&mut head)
            .map_err(|e| io_error(&e))?;
        let rest = std::mem::replace(&mut self.reader, Box::new(std::io::empty()));
        self.reader = Box::new(std::io::Cursor::new(head.clone()).chain(rest));
        Ok(head)
    }
}

fn io_error(e: &std::io::Error) -> FetchError {
    match e.kind() {
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => {
            FetchError::Io(format!("timed out: {e}"))
        }
        _ => FetchError::Io(e.to_string()),
    }
}

/// What a [`Policy`] is made from (`[content]`'s keys, in the config). No
/// default: a zero bound would refuse everything without saying why.
#[derive(Clone, Debug)]
pub struct PolicySettings {
    /// Directories `file://` URLs may point into.
    pub roots: Vec<PathBuf>,
    /// Hosts `http(s)://` URLs may point to; empty allows any host.
    pub allowed_hosts: Vec<String>,
    /// The largest download accepted, in bytes.
    pub max_bytes: u64,
    /// How long one fetch may take.
    pub timeout: Duration,
}

impl Policy {
    /// The policy `settings` describe. vitrine's own `assets` are always
    /// readable; roots that do not exist are left out with a warning.
    pub fn new(settings: &PolicySettings, assets: Option<&Path>) -> Self {
        let mut roots = Vec::new();
        let mut named_roots = Vec::new();
        for root in settings.roots.iter().map(PathBuf::as_path).chain(assets) {
            match root.canonicalize() {
                Ok(r) => {
                    if let Ok(named) = std::path::absolute(root) {
                        named_roots.push(lexical(&named));
                    }
                    roots.push(r);
                }
                Err(e) => tracing::warn!(root = %root.display(), %e, "content root ignored"),
            }
        }
        Self {
            roots,
            named_roots,
            hosts: settings
                .allowed_hosts
                .iter()
                .map(|h| h.trim().to_ascii_lowercase())
                .collect(),
            addrs: Arc::new(AddressPolicy::new(&settings.allowed_hosts)),
            max_bytes: settings.max_bytes,
            timeout: settings.timeout,
            cache: Arc::new(OnceLock::new()),
        }
    }

    /// Keeps HTTP(S) bodies in `cache` from now on (once: a second call
    /// changes nothing), and serves them from it when their origin cannot be
    /// reached.
    pub fn attach_cache(&self, cache: Arc<HttpCache>) {
        let _ = self.cache.set(cache);
    }

    /// The offline cache, once attached.
    pub fn cache(&self) -> Option<&Arc<HttpCache>> {
        self.cache.get()
    }

    /// Checks a URL against the policy without fetching it.
    pub fn check(&self, url: &Url) -> Result<(), FetchError> {
        match url.scheme() {
            "file" => self.local_path(url).map(|_| ()),
            "http" | "https" => {
                let host = url
                    .host_str()
                    .ok_or_else(|| FetchError::BadUrl(url.to_string()))?
                    .to_ascii_lowercase();
                if self.host_allowed(&host) {
                    self.addrs
                        .check_url(url)
                        .map_err(|e| FetchError::Forbidden(e.to_string()))
                } else {
                    Err(FetchError::Forbidden(format!(
                        "host {host} is not in content.allowed_hosts"
                    )))
                }
            }
            other => Err(FetchError::UnsupportedScheme(other.to_string())),
        }
    }

    fn host_allowed(&self, host: &str) -> bool {
        self.hosts.is_empty()
            || self.hosts.iter().any(|h| match h.strip_prefix("*.") {
                Some(suffix) => host == suffix || host.ends_with(&format!(".{suffix}")),
                None => host == h,
            })
    }

    /// The canonical path of a `file://` URL inside a content root. `..`
    /// and symbolic links are resolved before the check.
    pub fn local_path(&self, url: &Url) -> Result<PathBuf, FetchError> {
        let path = url
            .to_file_path()
            .map_err(|_| FetchError::BadUrl(url.to_string()))?;
        let outside =
            || FetchError::Forbidden(format!("{} is outside content.roots", path.display()));
        // Decide by name first, touching nothing: a path outside the roots
        // is forbidden whether or not it exists, so answers never tell a
        // client which files exist elsewhere.
        let named = lexical(&path);
        let under = |p: &Path| {
            self.roots
                .iter()
                .chain(&self.named_roots)
                .any(|r| p.starts_with(r))
        };
        if !under(&named) {
            return Err(outside());
        }
        let real = path.canonicalize().map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => FetchError::NotFound(path.display().to_string()),
            _ => FetchError::Io(format!("{}: {e}", path.display())),
        })?;
        // A symbolic link inside a root may still point out of it.
        if self.roots.iter().any(|root| real.starts_with(root)) {
            Ok(real)
        } else {
            Err(outside())
        }
    }

    /// Opens a URL: the policy is checked first, and again at every redirect.
    pub fn open(&self, url: &str) -> Result<Opened, FetchError> {
        let url = Url::parse(url).map_err(|e| FetchError::BadUrl(format!("{url}: {e}")))?;
        self.check(&url)?;
        if url.scheme() == "file" {
            let path = self.local_path(&url)?;
            let file = std::fs::File::open(&path)
                .map_err(|e| FetchError::Io(format!("{}: {e}", path.display())))?;
            let len = file.metadata().map(|m| m.len()).unwrap_or(0);
            if len > self.max_bytes {
                return Err(FetchError::TooLarge {
                    max: self.max_bytes,
                });
            }
            // The checked path, links resolved: whoever reads this file again
            // (GStreamer, for a video) reads the one that was checked.
            let url = Url::from_file_path(&path).unwrap_or(url);
            return Ok(Opened {
                url,
                content_type: None,
                local: Some(path),
                cached: false,
                kept_as: None,
                reader: Box::new(file),
                max: self.max_bytes,
            });
        }
        self.open_http_cached(url)
    }

    pub(super) fn open_http(&self, mut url: Url) -> Result<Opened, FetchError> {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(self.timeout))
            .max_redirects(0)
            .http_status_as_error(false)
            .user_agent(concat!("vitrine/", env!("CARGO_PKG_VERSION")))
            .build();
        let agent = ureq::Agent::with_parts(
            config,
            ureq::unversioned::transport::DefaultConnector::new(),
            CheckedResolver {
                policy: self.addrs.clone(),
            },
        );
        for _ in 0..=MAX_REDIRECTS {
            let response = agent
                .get(url.as_str())
                .call()
                .map_err(|e| self.http_error(e))?;
            let status = response.status().as_u16();
            if (300..400).contains(&status) {
                let location = response
                    .headers()
                    .get("location")
                    .and_then(|l| l.to_str().ok())
                    .ok_or(FetchError::Status(status))?;
                url = url
                    .join(location)
                    .map_err(|e| FetchError::BadUrl(format!("{location}: {e}")))?;
                self.check(&url)?;
                continue;
            }
            match status {
                200..=299 => {}
                404 | 410 => return Err(FetchError::NotFound(url.to_string())),
                other => return Err(FetchError::Status(other)),
            }
            let content_type = response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .map(|v| v.to_string());
            if let Some(len) = response
                .headers()
                .get("content-length")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                && len > self.max_bytes
            {
                return Err(FetchError::TooLarge {
                    max: self.max_bytes,
                });
            }
            let reader = response.into_body().into_reader();
            return Ok(Opened {
                url,
                content_type,
                local: None,
                cached: false,
                kept_as: None,
                reader: Box::new(reader),
                max: self.max_bytes,
            });
        }
        Err(FetchError::Io(format!(
            "more than {MAX_REDIRECTS} redirects"
        )))
    }

    fn http_error(&self, e: ureq::Error) -> FetchError {
        if let Some(refused) = refusal(&e) {
            return FetchError::Forbidden(refused.to_string());
        }
        match e {
            ureq::Error::StatusCode(404) | ureq::Error::StatusCode(410) => {
                FetchError::NotFound(e.to_string())
            }
            ureq::Error::StatusCode(s) => FetchError::Status(s),
            ureq::Error::Timeout(_) => FetchError::Timeout(self.timeout),
            other => FetchError::Io(other.to_string()),
        }
    }

    /// Fetches a whole body.
    pub fn fetch(&self, url: &str) -> Result<(Url, Option<String>, Vec<u8>), FetchError> {
        let opened = self.open(url)?;
        let (final_url, content_type) = (opened.url.clone(), opened.content_type.clone());
        let bytes = opened.read_all()?;
        Ok((final_url, content_type, bytes))
    }
}

#[cfg(test)]
mod tests;
