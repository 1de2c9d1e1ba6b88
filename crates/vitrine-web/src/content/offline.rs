//! HTTP(S) through the offline cache: a body read to its end is kept, and a URL whose origin cannot be reached is answered from its copy.

use std::io::Read;

use url::Url;

use super::cache::{Meta, Tee};
use super::fetch::{FetchError, Opened, Policy};

impl FetchError {
    /// Whether the origin could not be reached or could not answer (a
    /// refused connection, DNS, a timeout, a 5xx): then a kept copy serves.
    /// A 404 is an answer, and the content is gone.
    pub fn is_unreachable(&self) -> bool {
        match self {
            FetchError::Io(_) | FetchError::Timeout(_) => true,
            FetchError::Status(s) => (500..600).contains(s),
            _ => false,
        }
    }
}

impl Policy {
    /// Opens an HTTP(S) URL, keeping its body in the offline cache as it is
    /// read, or serving the kept copy when the origin is unreachable.
    pub(super) fn open_http_cached(&self, url: Url) -> Result<Opened, FetchError> {
        let Some(cache) = self.cache() else {
            return self.open_http(url);
        };
        let asked = url.to_string();
        match self.open_http(url) {
            Ok(mut opened) => {
                cache.served_fresh(&asked);
                cache.served_fresh(opened.url.as_str());
                let meta = Meta {
                    url: asked.clone(),
                    final_url: opened.url.to_string(),
                    content_type: opened.content_type.clone(),
                    size: 0,
                };
                if let Some(pending) = cache.writer(meta) {
                    let body = std::mem::replace(&mut opened.reader, Box::new(std::io::empty()));
                    opened.reader = Box::new(Tee::new(body, pending));
                    opened.kept_as = Some((cache.clone(), asked));
                }
                Ok(opened)
            }
            Err(e) if e.is_unreachable() => {
                let Some(hit) = cache.lookup(&asked) else {
                    return Err(e);
                };
                tracing::info!(url = %asked, why = %e, "origin unreachable: served from the offline cache");
                let file = std::fs::File::open(&hit.path)
                    .map_err(|io| FetchError::Io(format!("offline copy of {asked}: {io}")))?;
                // Widgets report the URL asked for, or where redirects
                // ended (pages): both are marked.
                cache.served_offline(&asked);
                cache.served_offline(&hit.meta.final_url);
                let final_url = Url::parse(&hit.meta.final_url)
                    .map_err(|_| FetchError::BadUrl(hit.meta.final_url.clone()))?;
                Ok(Opened {
                    url: final_url,
                    content_type: hit.meta.content_type,
                    local: Some(hit.path),
                    cached: true,
                    kept_as: None,
                    reader: Box::new(file),
                    max: self.max_bytes,
                })
            }
            Err(e) => Err(e),
        }
    }
}

impl Opened {
    /// A local file with the whole body, for a reader that plays it
    /// itself (GStreamer): the file of a `file://` URL or an offline copy
    /// as it is; an HTTP(S) body is read to its end into the offline cache
    /// first. `None` when no copy can be had (no cache, or the body does
    /// not fit within the limits): then the URL is played from its origin.
    pub fn into_local(mut self) -> Option<std::path::PathBuf> {
        if let Some(path) = self.local.take() {
            return Some(path);
        }
        let (cache, key) = self.kept_as.take()?;
        // Past what the cache can keep, reading on would fetch the body
        // twice: once here, once by the player.
        let max = self.max.min(cache.max_bytes());
        let read = std::io::copy(
            &mut (&mut self.reader).take(max.saturating_add(1)),
            &mut std::io::sink(),
        );
        match read {
            Ok(n) if n <= max => cache.local_path(&key),
            Ok(_) => {
                tracing::info!(url = %self.url, "too large to keep a local copy; playing from the origin");
                None
            }
            Err(e) => {
                tracing::info!(url = %self.url, %e, "cannot keep a local copy; playing from the origin");
                None
            }
        }
    }
}
