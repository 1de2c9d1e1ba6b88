//! The constant-time comparison of secrets (tokens, passwords, session ids), length included.

use std::sync::OnceLock;

use ring::hmac;
use ring::rand::SystemRandom;

/// This process's key for hashing secrets before they are compared.
fn key() -> &'static hmac::Key {
    static KEY: OnceLock<hmac::Key> = OnceLock::new();
    KEY.get_or_init(|| {
        // Without the OS's random numbers the key is fixed: the comparison
        // is still of fixed-length tags in constant time, only no longer
        // keyed by a secret of the process.
        hmac::Key::generate(hmac::HMAC_SHA256, &SystemRandom::new())
            .unwrap_or_else(|_| hmac::Key::new(hmac::HMAC_SHA256, b"vitrine"))
    })
}

/// Whether `a` and `b` are the same secret. Both are hashed with a key
/// random to this process (HMAC-SHA256) and the tags compared in constant
/// time, so neither a byte-by-byte guess nor a guess of the length is
/// helped by how long the answer takes.
pub fn same_secret(a: &str, b: &str) -> bool {
    let tag = hmac::sign(key(), a.as_bytes());
    hmac::verify(key(), b.as_bytes(), tag.as_ref()).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_same_secret_matches() {
        assert!(same_secret("tok", "tok"));
        assert!(same_secret("", ""));
        assert!(!same_secret("tok", "toe"));
        assert!(!same_secret("t", "tok"));
        assert!(!same_secret("tok", "tok "));
        assert!(!same_secret("", "x"));
    }
}
