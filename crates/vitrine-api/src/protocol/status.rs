//! The IDL's `pushResult`: its statuses and codes, the result object every load answers with, and the status of each kind of failure.

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::outcome::FailureKind;

/// The IDL's `pushResult`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PushResult {
    Success = 0,
    InvalidArgument = 1,
    NotFound = 2,
    Unsupported = 3,
    LoadFailed = 4,
    Forbidden = 5,
    Timeout = 6,
}

impl PushResult {
    pub fn code(self) -> i64 {
        self as i64
    }

    pub fn name(self) -> &'static str {
        match self {
            PushResult::Success => "SUCCESS",
            PushResult::InvalidArgument => "INVALID_ARGUMENT",
            PushResult::NotFound => "NOT_FOUND",
            PushResult::Unsupported => "UNSUPPORTED",
            PushResult::LoadFailed => "LOAD_FAILED",
            PushResult::Forbidden => "FORBIDDEN",
            PushResult::Timeout => "TIMEOUT",
        }
    }

    /// The `{"status", "code", …}` result object.
    pub fn result(self, kind: Option<&str>, message: &str) -> Value {
        let mut m = Map::new();
        m.insert("status".into(), json!(self.name()));
        m.insert("code".into(), json!(self.code()));
        if let Some(k) = kind {
            m.insert("kind".into(), json!(k));
        }
        m.insert("message".into(), json!(message));
        Value::Object(m)
    }
}

/// The IDL's status for a failure of this kind. Fetched content over its
/// limit is a failed load; a request over its limits is an invalid argument.
pub fn status_of(kind: FailureKind) -> PushResult {
    match kind {
        FailureKind::Invalid => PushResult::InvalidArgument,
        FailureKind::NotFound => PushResult::NotFound,
        FailureKind::Forbidden => PushResult::Forbidden,
        FailureKind::Unsupported => PushResult::Unsupported,
        FailureKind::TimedOut => PushResult::Timeout,
        // The IDL has no status of its own for a reached bound; the message
        // names the config key.
        FailureKind::TooLarge | FailureKind::Failed | FailureKind::Limit => PushResult::LoadFailed,
        // `FailureKind` is ours, but marked non-exhaustive for the crate's
        // users; a kind added later is at least a failed load.
        #[allow(unreachable_patterns)]
        _ => PushResult::LoadFailed,
    }
}
