//! JSON-RPC error codes, the standard ones and vitrine's own.

pub const PARSE_ERROR: i64 = -32700;
pub const INVALID_REQUEST: i64 = -32600;
pub const METHOD_NOT_FOUND: i64 = -32601;
pub const INVALID_PARAMS: i64 = -32602;
pub const INTERNAL: i64 = -32603;
pub const UNAUTHORIZED: i64 = -32001;
/// A bound of the kiosk was reached (`remote.max_subscribers`).
pub const LIMIT: i64 = -32002;
