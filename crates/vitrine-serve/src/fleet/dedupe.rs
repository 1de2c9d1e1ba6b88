//! The command ids a kiosk has applied recently, with the reply each got, so a command delivered twice (QoS 1 is at-least-once) is applied once and its reply sent again; ids past `fleet.max_command_id_bytes` are refused, and each remembered id costs a fixed 16-byte digest.

use std::collections::hash_map::RandomState;
use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasher as _, Hasher as _};

/// A reply larger than this is not kept; a repeat gets a short note instead.
/// A constant: together with `fleet.remembered_ids` it bounds what the
/// kept replies cost (16 KiB each), and a longer one is still answered.
const MAX_KEPT_REPLY: usize = 16 * 1024;

/// What a command is remembered by: a keyed 128-bit digest of its id and
/// its whole message, so memory per remembered command is fixed however
/// long the id was, and a back office that reuses an id for another
/// command is not told it was applied already. It is two SipHash-1-3
/// digests (std's hasher) under two random keys per kiosk, so nobody can
/// make two commands collide on purpose, and the module stays std-only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key(u128);

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:032x}", self.0)
    }
}

/// At most `capacity` commands, the oldest forgotten first.
#[derive(Debug)]
pub struct Remembered {
    capacity: usize,
    max_id_bytes: usize,
    keys: (RandomState, RandomState),
    order: VecDeque<Key>,
    replies: HashMap<Key, Option<Vec<u8>>>,
}

impl Remembered {
    /// Remembers `capacity` commands, whose ids may have at most
    /// `max_id_bytes` bytes.
    pub fn new(capacity: usize, max_id_bytes: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            max_id_bytes,
            keys: (RandomState::new(), RandomState::new()),
            order: VecDeque::new(),
            replies: HashMap::new(),
        }
    }

    /// The key a request with `id` and the whole message `payload` is
    /// remembered by; an error naming the bound when the id is too long.
    /// The id counts as its JSON text (so `1` and `"1"` stay apart).
    pub fn key(&self, id: &serde_json::Value, payload: &[u8]) -> Result<Key, String> {
        // A string counts by its own bytes, a number (never long) by its
        // text; the text is made only once the length is known to be fine.
        let len = match id {
            serde_json::Value::String(s) => s.len(),
            other => other.to_string().len(),
        };
        if len > self.max_id_bytes {
            return Err(format!(
                "the command's id has {len} bytes, more than fleet.max_command_id_bytes ({}); use a shorter id",
                self.max_id_bytes
            ));
        }
        let text = id.to_string();
        let digest = |keys: &RandomState| {
            let mut h = keys.build_hasher();
            // Length-prefixed, so no id and message can pose as another pair.
            h.write_usize(text.len());
            h.write(text.as_bytes());
            h.write(payload);
            h.finish()
        };
        let (high, low) = (digest(&self.keys.0), digest(&self.keys.1));
        Ok(Key((u128::from(high) << 64) | u128::from(low)))
    }

    /// Whether the command with `key` was applied; `Some(reply)` then,
    /// where the reply is `None` when it was too large (or there was none)
    /// to keep.
    pub fn seen(&self, key: &Key) -> Option<Option<&[u8]>> {
        self.replies.get(key).map(|r| r.as_deref())
    }

    /// Records that the command with `key` was applied, with its reply.
    pub fn insert(&mut self, key: Key, reply: Option<&[u8]>) {
        let kept = reply
            .filter(|r| r.len() <= MAX_KEPT_REPLY)
            .map(<[u8]>::to_vec);
        if self.replies.insert(key, kept).is_some() {
            return;
        }
        self.order.push_back(key);
        while self.order.len() > self.capacity {
            if let Some(old) = self.order.pop_front() {
                self.replies.remove(&old);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn repeats_are_found_and_the_oldest_ids_are_forgotten() {
        let mut r = Remembered::new(2, 128);
        let (a, b) = (
            r.key(&json!("a"), b"a").unwrap(),
            r.key(&json!("b"), b"b").unwrap(),
        );
        r.insert(a, Some(b"ra"));
        r.insert(b, None);
        assert_eq!(r.seen(&a), Some(Some(&b"ra"[..])));
        assert_eq!(r.seen(&b), Some(None));
        let c = r.key(&json!("c"), b"c").unwrap();
        r.insert(c, Some(b"rc"));
        assert_eq!(r.order.len(), 2);
        assert_eq!(r.seen(&a), None, "the oldest goes first");
        let d = r.key(&json!("d"), b"d").unwrap();
        r.insert(d, Some(&vec![0; MAX_KEPT_REPLY + 1]));
        assert_eq!(r.seen(&d), Some(None), "a huge reply is not kept");
        let one = json!(1);
        assert_ne!(r.key(&one, b"x"), r.key(&json!("1"), b"x"));
        assert_ne!(r.key(&one, b"x"), r.key(&one, b"y"), "a reused id");
        assert_eq!(r.key(&one, b"x"), r.key(&one, b"x"), "a redelivery");
    }

    #[test]
    fn a_remembered_command_costs_a_fixed_size_however_long_its_id() {
        // The stored key is a plain 16-byte value: no heap behind it.
        fn plain<T: Copy>() {}
        plain::<Key>();
        assert_eq!(std::mem::size_of::<Key>(), 16);

        let mut r = Remembered::new(4, 128);
        let longest = "x".repeat(128);
        let k = r.key(&json!(longest), longest.as_bytes()).unwrap();
        r.insert(k, None);
        assert_eq!(r.seen(&k), Some(None));

        // Past the bound: refused, naming the key, the id never kept.
        for id in [json!("x".repeat(129)), json!("x".repeat(1 << 20))] {
            let e = r.key(&id, b"{}").unwrap_err();
            assert!(e.contains("fleet.max_command_id_bytes"), "{e}");
        }
        assert_eq!(r.order.len(), 1);
        // A number counts by its text; a short one is always fine.
        assert!(r.key(&json!(12345), b"{}").is_ok());
        assert!(
            r.key(&json!("\"".repeat(128)), b"{}").is_ok(),
            "escapes are not counted"
        );
        // Two kiosks digest differently: the key is random.
        let other = Remembered::new(4, 128);
        assert_ne!(other.key(&json!("a"), b"a"), r.key(&json!("a"), b"a"));
    }
}
