//! The first look at a request when a token is set: its id and its auth, read in one pass that builds nothing else, so the token is checked before anything large is parsed; the token in the first bytes of a large frame.
//!
//! The full parse into a typed command (in `protocol`) builds a JSON tree of
//! the whole payload; a stranger must not be able to make the kiosk do that.
//! Here every field but `id` and `auth` is skipped without being stored, and
//! an `id` that is not a number, a string or null stops the pass at once.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny, Visitor};
use serde_json::Value;
use serde_json::error::Category;

use vitrine_api::protocol::{RpcError, codes};

/// A request's id and auth token.
#[derive(Debug, Default, Deserialize)]
pub struct Head<'a> {
    /// `None` when absent (a notification); `Some(Value::Null)` for
    /// `"id": null`, which is answered.
    #[serde(default, deserialize_with = "id")]
    pub id: Option<Value>,
    /// Borrowed from the payload unless it has escapes.
    #[serde(default, borrow, deserialize_with = "auth")]
    pub auth: Option<Cow<'a, str>>,
}

/// What the first bytes of a payload say about its auth.
#[derive(Debug, PartialEq, Eq)]
pub enum Leading<'a> {
    /// The first member is `auth`, with this string.
    Auth(Cow<'a, str>),
    /// The bytes end before the first member does.
    NotYet,
    /// The first member is not a string `auth`, or this is no object.
    Other,
}

/// Reads the first member of the object that `prefix` begins, when it is
/// `auth`. `vitrine ctl` (whose keys are sorted) and other clients that
/// send the token first can so send a large request on a new connection.
pub fn leading_auth(prefix: &[u8]) -> Leading<'_> {
    let rest = skip_space(prefix);
    let Some(rest) = rest.strip_prefix(b"{") else {
        return if rest.is_empty() {
            Leading::NotYet
        } else {
            Leading::Other
        };
    };
    let (key, rest) = match string(skip_space(rest)) {
        Ok(x) => x,
        Err(leading) => return leading,
    };
    if key != "auth" {
        return Leading::Other;
    }
    let rest = skip_space(rest);
    let Some(rest) = rest.strip_prefix(b":") else {
        return if rest.is_empty() {
            Leading::NotYet
        } else {
            Leading::Other
        };
    };
    match string(skip_space(rest)) {
        Ok((auth, _)) => Leading::Auth(auth),
        Err(leading) => leading,
    }
}

fn skip_space(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        .unwrap_or(bytes.len());
    &bytes[start..]
}

/// One JSON string at the start of `bytes`, and what follows it.
fn string(bytes: &[u8]) -> Result<(Cow<'_, str>, &[u8]), Leading<'static>> {
    if bytes.is_empty() {
        return Err(Leading::NotYet);
    }
    if bytes[0] != b'"' {
        return Err(Leading::Other);
    }
    let mut values = serde_json::Deserializer::from_slice(bytes).into_iter::<Text>();
    match values.next() {
        Some(Ok(Text(text))) => Ok((text, &bytes[values.byte_offset()..])),
        Some(Err(e)) if e.is_eof() => Err(Leading::NotYet),
        _ => Err(Leading::Other),
    }
}

/// A string, borrowed from the bytes unless it has escapes.
struct Text<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match auth(d)? {
            Some(text) => Ok(Text(text)),
            None => Err(serde::de::Error::custom("a string is needed here")),
        }
    }
}

/// The constant-time comparison (of keyed hashes, length included) lives
/// with the rest of authentication.
pub use crate::auth::same_secret;

/// Reads the id and auth of `payload`, or the error to answer with: -32700
/// for bytes that are not JSON, -32600 for JSON that is no request object or
/// whose id or auth has the wrong type.
pub fn peek(payload: &[u8]) -> Result<Head<'_>, RpcError> {
    let first = payload
        .iter()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
    if first != Some(&b'{') {
        // Tell bytes that are not JSON from JSON that is no object, without
        // building either.
        return Err(match serde_json::from_slice::<IgnoredAny>(payload) {
            Ok(_) => invalid("a request must be a JSON object".into()),
            Err(e) => parse_error(&e),
        });
    }
    serde_json::from_slice(payload).map_err(|e| match e.classify() {
        Category::Data => invalid(format!("invalid request: {e}")),
        Category::Syntax | Category::Eof | Category::Io => parse_error(&e),
    })
}

fn invalid(message: String) -> RpcError {
    RpcError {
        id: None,
        code: codes::INVALID_REQUEST,
        message,
    }
}

fn parse_error(e: &serde_json::Error) -> RpcError {
    RpcError {
        id: None,
        code: codes::PARSE_ERROR,
        message: format!("parse error: {e}"),
    }
}

/// An id: a number, a string or null. Anything else is refused before it is
/// read, so a huge object as an id builds nothing.
fn id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    struct Id;
    impl Visitor<'_> for Id {
        type Value = Value;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a number, a string or null")
        }

        fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
            Ok(Value::from(v))
        }

        fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
            Ok(Value::from(v))
        }

        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
            serde_json::Number::from_f64(v)
                .map(Value::Number)
                .ok_or_else(|| E::custom("the id is not a finite number"))
        }

        fn visit_str<E>(self, v: &str) -> Result<Value, E> {
            Ok(Value::from(v))
        }

        fn visit_unit<E>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }
    }
    d.deserialize_any(Id).map(Some)
}

/// An auth token: a string, borrowed when it can be, or null.
fn auth<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'de, str>>, D::Error> {
    struct Auth;
    impl<'de> Visitor<'de> for Auth {
        type Value = Option<Cow<'de, str>>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("auth as a string or null")
        }

        fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
            Ok(Some(Cow::Borrowed(v)))
        }

        fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(Cow::Owned(v.to_owned())))
        }

        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }
    d.deserialize_any(Auth)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn id_and_auth_are_read_and_the_rest_skipped() {
        let h =
            peek(br#"{"id":7,"method":"postHtml","params":{"data":"<p>"},"auth":"s3"}"#).unwrap();
        assert_eq!(h.id, Some(json!(7)));
        assert!(matches!(h.auth, Some(Cow::Borrowed("s3"))));
        let h = peek(br#"{"method":"ping","auth":"a\"b"}"#).unwrap();
        assert_eq!((h.id, h.auth.as_deref()), (None, Some("a\"b")));
        let h = peek(br#" {"id":null,"auth":null}"#).unwrap();
        assert_eq!((h.id, h.auth), (Some(Value::Null), None));
        assert_eq!(peek(br#"{"id":"x"}"#).unwrap().id, Some(json!("x")));
    }

    #[test]
    fn a_leading_token_is_read_from_a_prefix() {
        let full = br#" { "auth" : "s\"3", "id": 1, "params": {"data": "<p>"#;
        assert_eq!(leading_auth(full), Leading::Auth(Cow::Owned("s\"3".into())));
        assert_eq!(
            leading_auth(br#"{"auth":"tok"}"#),
            Leading::Auth(Cow::Borrowed("tok"))
        );
        for cut in [0, 1, 3, 8, 10, 14] {
            assert_eq!(leading_auth(&full[..cut]), Leading::NotYet, "{cut}");
        }
        for other in [
            &br#"{"id":1,"auth":"tok"}"#[..],
            br#"{"auth":null}"#,
            br#"{"auth":5}"#,
            br#"["auth","tok"]"#,
            br#"{"auth""tok"}"#,
            b"nope",
        ] {
            assert_eq!(leading_auth(other), Leading::Other);
        }
        assert!(
            same_secret("tok", "tok") && !same_secret("tok", "toe") && !same_secret("t", "tok")
        );
    }

    #[test]
    fn what_is_no_request_gets_the_usual_codes() {
        let code = |s: &str| peek(s.as_bytes()).unwrap_err().code;
        assert_eq!(code("{nope"), codes::PARSE_ERROR);
        assert_eq!(code("nope"), codes::PARSE_ERROR);
        assert_eq!(code(""), codes::PARSE_ERROR);
        assert_eq!(code("[1, 2]"), codes::INVALID_REQUEST);
        assert_eq!(code(r#"{"id":{"a":1},"auth":"t"}"#), codes::INVALID_REQUEST);
        assert_eq!(code(r#"{"id":1,"auth":5}"#), codes::INVALID_REQUEST);
        assert_eq!(code(r#"{"auth":"a","auth":"b"}"#), codes::INVALID_REQUEST);
    }
}
