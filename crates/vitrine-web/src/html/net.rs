//! Resources for HTML pages (stylesheets, images, fonts) fetched through vitrine's own content policy.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use blitz_traits::net::{Bytes, NetHandler, NetProvider, Request};
use percent_encoding::percent_decode_str;

use super::document::ResourceBudget;
use crate::content::Policy;

/// A `NetProvider` that fetches synchronously, on the page's own thread,
/// under the same policy as every other load: `file://` in the content roots,
/// `http(s)://` to allowed hosts, size limits and timeouts. A refused or
/// failed resource is answered with no bytes, so the page renders without it
/// instead of waiting for it.
///
/// Requests made while the document is parsed are held until the parsed tree
/// has passed the limits ([`PolicyNet::release`]), so a refused document
/// fetches nothing. All its fetches together keep to the page's
/// [`ResourceBudget`]: past the count, the bytes or the time, the rest are
/// answered empty, and each fetch is cut at the bytes and time still left.
pub struct PolicyNet {
    policy: Arc<Policy>,
    budget: ResourceBudget,
    fetches: AtomicUsize,
    /// Bytes of resources received so far.
    spent: AtomicU64,
    /// When the first fetch began.
    first: Mutex<Option<Instant>>,
    held: Mutex<Option<Vec<Held>>>,
}

/// A request waiting for the document to pass its checks.
type Held = (Request, Box<dyn NetHandler>);

impl PolicyNet {
    /// A provider that holds every request until [`PolicyNet::release`].
    pub fn new(policy: Arc<Policy>, budget: ResourceBudget) -> Self {
        Self {
            policy,
            budget,
            fetches: AtomicUsize::new(0),
            spent: AtomicU64::new(0),
            first: Mutex::new(None),
            held: Mutex::new(Some(Vec::new())),
        }
    }

    /// The policy for the next fetch, cut to what the budget has left; or
    /// why the budget allows no more.
    fn allowance(&self) -> Result<Policy, String> {
        let n = self.fetches.fetch_add(1, Ordering::SeqCst);
        if n >= self.budget.count {
            return Err(format!(
                "more than {} resources (html.max_resources)",
                self.budget.count
            ));
        }
        let started = *self
            .first
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get_or_insert_with(Instant::now);
        let time_left = self.budget.time.saturating_sub(started.elapsed());
        if time_left.is_zero() {
            return Err(format!(
                "resources took longer than {:?} (html.resource_time)",
                self.budget.time
            ));
        }
        let bytes_left = self
            .budget
            .bytes
            .saturating_sub(self.spent.load(Ordering::SeqCst));
        if bytes_left == 0 {
            return Err(format!(
                "resources add up to more than {} bytes (html.max_resource_bytes)",
                self.budget.bytes
            ));
        }
        let mut policy = (*self.policy).clone();
        policy.max_bytes = policy.max_bytes.min(bytes_left);
        policy.timeout = policy.timeout.min(time_left);
        Ok(policy)
    }

    /// Fetches started so far; the page resolves again while this grows.
    pub fn fetches(&self) -> usize {
        self.fetches.load(Ordering::SeqCst)
    }

    /// Runs the requests held so far, and every later one at once.
    pub fn release(&self) {
        let held = self
            .held
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        for (request, handler) in held.into_iter().flatten() {
            self.run(request, handler);
        }
    }

    fn run(&self, request: Request, handler: Box<dyn NetHandler>) {
        let url = request.url.to_string();
        let bytes = match self.allowance() {
            Err(why) => {
                tracing::info!(%url, %why, "page resource not loaded: over the page's budget");
                None
            }
            Ok(policy) if request.url.scheme() == "data" => {
                decode_data_url(&url).filter(|b| b.len() as u64 <= policy.max_bytes)
            }
            Ok(policy) => match policy.fetch(&url) {
                Ok((_, _, bytes)) => Some(bytes),
                Err(e) => {
                    tracing::info!(%url, %e, "page resource not loaded");
                    None
                }
            },
        };
        let bytes = bytes.unwrap_or_default();
        self.spent.fetch_add(bytes.len() as u64, Ordering::SeqCst);
        handler.bytes(url, Bytes::from(bytes));
    }
}

impl NetProvider for PolicyNet {
    fn fetch(&self, _doc_id: usize, request: Request, handler: Box<dyn NetHandler>) {
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        match held.as_mut() {
            Some(queue) => queue.push((request, handler)),
            None => {
                drop(held);
                self.run(request, handler);
            }
        }
    }
}

/// Base64 as `data:` URLs carry it: the standard alphabet, with padding
/// optional and stray bits in the last symbol ignored (the WHATWG "forgiving
/// base64").
const DATA_URL_BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// The payload of a `data:` URL (base64 or percent-encoded). As in browsers,
/// the payload is percent-decoded first and base64 may be wrapped across
/// lines.
pub fn decode_data_url(url: &str) -> Option<Vec<u8>> {
    let rest = url.strip_prefix("data:")?;
    let (meta, data) = rest.split_once(',')?;
    let bytes: Vec<u8> = percent_decode_str(data).collect();
    if meta.ends_with(";base64") {
        let compact: Vec<u8> = bytes
            .into_iter()
            .filter(|c| !c.is_ascii_whitespace())
            .collect();
        DATA_URL_BASE64.decode(compact).ok()
    } else {
        Some(bytes)
    }
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
