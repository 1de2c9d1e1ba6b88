//! Resources for HTML pages (stylesheets, images, fonts) fetched through vitrine's own content policy.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use blitz_traits::net::{Bytes, NetHandler, NetProvider, Request};

use crate::content::Policy;

/// A `NetProvider` that fetches synchronously, on the page's own thread,
/// under the same policy as every other load: `file://` in the content roots,
/// `http(s)://` to allowed hosts, size limits and timeouts. A refused or
/// failed resource is answered with no bytes, so the page renders without it
/// instead of waiting for it.
pub struct PolicyNet {
    policy: Arc<Policy>,
    fetches: AtomicUsize,
}

impl PolicyNet {
    pub fn new(policy: Arc<Policy>) -> Self {
        Self {
            policy,
            fetches: AtomicUsize::new(0),
        }
    }

    /// Fetches started so far; the page resolves again while this grows.
    pub fn fetches(&self) -> usize {
        self.fetches.load(Ordering::SeqCst)
    }
}

impl NetProvider for PolicyNet {
    fn fetch(&self, _doc_id: usize, request: Request, handler: Box<dyn NetHandler>) {
        self.fetches.fetch_add(1, Ordering::SeqCst);
        let url = request.url.to_string();
        let bytes = if request.url.scheme() == "data" {
            decode_data_url(&url)
        } else {
            match self.policy.fetch(&url) {
                Ok((_, _, bytes)) => Some(bytes),
                Err(e) => {
                    tracing::info!(%url, %e, "page resource not loaded");
                    None
                }
            }
        };
        handler.bytes(url, Bytes::from(bytes.unwrap_or_default()));
    }
}

/// The payload of a `data:` URL (base64 or percent-encoded).
pub fn decode_data_url(url: &str) -> Option<Vec<u8>> {
    let rest = url.strip_prefix("data:")?;
    let (meta, data) = rest.split_once(',')?;
    if meta.ends_with(";base64") {
        decode_base64(data)
    } else {
        Some(percent_decode(data))
    }
}

fn percent_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%'
            && let (Some(h), Some(l)) = (
                b.get(i + 1).and_then(|c| hex(*c)),
                b.get(i + 2).and_then(|c| hex(*c)),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

fn decode_base64(s: &str) -> Option<Vec<u8>> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(u32::from(c - b'A')),
        b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
        b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
        b'+' | b'-' => Some(62),
        b'/' | b'_' => Some(63),
        _ => None,
    };
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes().filter(|c| !c.is_ascii_whitespace() && *c != b'=') {
        acc = (acc << 6) | value(c)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_urls() {
        assert_eq!(
            decode_data_url("data:text/plain;base64,aGVsbG8="),
            Some(b"hello".to_vec())
        );
        assert_eq!(
            decode_data_url("data:text/css,a%20b"),
            Some(b"a b".to_vec())
        );
        assert_eq!(decode_data_url("data:;base64,!!"), None);
        assert_eq!(decode_data_url("nodata"), None);
    }
}
