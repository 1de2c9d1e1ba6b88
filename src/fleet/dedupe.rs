//! The command ids a kiosk has applied recently, with the reply each got, so a command delivered twice (QoS 1 is at-least-once) is applied once and its reply sent again.

use std::collections::{HashMap, VecDeque};

/// A reply larger than this is not kept; a repeat gets a short note instead.
const MAX_KEPT_REPLY: usize = 16 * 1024;

/// At most `capacity` ids, the oldest forgotten first.
#[derive(Debug)]
pub struct Remembered {
    capacity: usize,
    order: VecDeque<String>,
    replies: HashMap<String, Option<Vec<u8>>>,
}

impl Remembered {
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            order: VecDeque::new(),
            replies: HashMap::new(),
        }
    }

    /// Whether `id` was applied; `Some(reply)` then, where the reply is
    /// `None` when it was too large (or there was none) to keep.
    pub fn seen(&self, id: &str) -> Option<Option<&[u8]>> {
        self.replies.get(id).map(|r| r.as_deref())
    }

    /// Records that `id` was applied, with its reply.
    pub fn insert(&mut self, id: String, reply: Option<&[u8]>) {
        let kept = reply
            .filter(|r| r.len() <= MAX_KEPT_REPLY)
            .map(<[u8]>::to_vec);
        if self.replies.insert(id.clone(), kept).is_some() {
            return;
        }
        self.order.push_back(id);
        while self.order.len() > self.capacity {
            if let Some(old) = self.order.pop_front() {
                self.replies.remove(&old);
            }
        }
    }
}

/// The key a request is remembered by: its `id` as JSON text (so `1` and
/// `"1"` stay apart) and a hash of the whole message, so a back office that
/// reuses an id for another command is not told it was applied already.
pub fn key(id: &serde_json::Value, payload: &[u8]) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    payload.hash(&mut h);
    format!("{id}#{:016x}", h.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_are_found_and_the_oldest_ids_are_forgotten() {
        let mut r = Remembered::new(2);
        r.insert("a".into(), Some(b"ra"));
        r.insert("b".into(), None);
        assert_eq!(r.seen("a"), Some(Some(&b"ra"[..])));
        assert_eq!(r.seen("b"), Some(None));
        r.insert("c".into(), Some(b"rc"));
        assert_eq!(r.order.len(), 2);
        assert_eq!(r.seen("a"), None, "the oldest goes first");
        r.insert("d".into(), Some(&vec![0; MAX_KEPT_REPLY + 1]));
        assert_eq!(r.seen("d"), Some(None), "a huge reply is not kept");
        let one = serde_json::json!(1);
        assert_ne!(key(&one, b"x"), key(&serde_json::json!("1"), b"x"));
        assert_ne!(key(&one, b"x"), key(&one, b"y"), "a reused id");
        assert_eq!(key(&one, b"x"), key(&one, b"x"), "a redelivery");
    }
}
