//! The JSON-RPC messages inside the frames: requests parsed once into typed commands (three parameter shapes), typed replies, error codes and `pushResult`.

use serde_json::{Map, Value, json};

use crate::command::{Call, Command, Load, Query, Stream};
use crate::events::TypeSet;
use crate::outcome::LoadResult;
use bounds::MAX_VIEWPORT_SIDE;
use fields::{cut, name_of, opt_bool, opt_string, string};
use place::{place_spec, placement};
use signature::signature;

pub mod bounds;
pub mod codes;
mod fields;
mod place;
mod signature;
mod status;

pub use status::{PushResult, status_of};

/// The result object of a load.
pub fn load_reply(result: &LoadResult) -> Value {
    match result {
        Ok(kind) => PushResult::Success.result(Some(kind), ""),
        Err(f) => status_of(f.kind).result(None, &f.message),
    }
}

/// A request: its id (none for a notification), method and credentials.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    pub id: Option<Value>,
    pub command: Command,
    pub auth: Option<String>,
}

/// A failed request, as a JSON-RPC error.
#[derive(Clone, Debug, PartialEq)]
pub struct RpcError {
    pub id: Option<Value>,
    pub code: i64,
    pub message: String,
}

impl RpcError {
    fn new(id: Option<Value>, code: i64, message: impl Into<String>) -> Self {
        Self {
            id,
            code,
            message: message.into(),
        }
    }

    /// The reply object.
    pub fn reply(&self) -> Value {
        error_reply(self.id.clone(), self.code, &self.message)
    }
}

/// `{"jsonrpc":"2.0","id":…,"result":…}`.
pub fn result_reply(id: Option<Value>, result: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id.unwrap_or(Value::Null), "result": result})
}

/// `{"jsonrpc":"2.0","id":…,"error":{"code":…,"message":…}}`.
pub fn error_reply(id: Option<Value>, code: i64, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id.unwrap_or(Value::Null), "error": {"code": code, "message": message}})
}

/// Parameters as a map, from any of the three shapes: flat named, the IDL's
/// nesting, or positional.
fn named(
    params: Option<&Value>,
    names: &[&str],
    nested: Option<&str>,
) -> Result<Map<String, Value>, String> {
    match params {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::Object(m)) => {
            if let Some(key) = nested
                && let Some(Value::Object(inner)) = m.get(key)
            {
                return Ok(inner.clone());
            }
            Ok(m.clone())
        }
        Some(Value::Array(items)) => {
            // One object in an array is the IDL's struct passed positionally.
            if let [Value::Object(inner)] = items.as_slice() {
                return Ok(inner.clone());
            }
            if items.len() > names.len() {
                return Err(format!(
                    "expected at most {} parameters, got {}",
                    names.len(),
                    items.len()
                ));
            }
            Ok(names
                .iter()
                .zip(items)
                .map(|(n, v)| (n.to_string(), v.clone()))
                .collect())
        }
        Some(_) => Err("params must be an object or an array".into()),
    }
}

fn opt_u32(p: &Map<String, Value>, key: &str) -> Result<Option<u32>, String> {
    match p.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .filter(|n| *n > 0)
            .map(Some)
            .ok_or_else(|| format!("{key} must be a positive integer")),
    }
}

/// A viewport side: a positive integer no larger than any page may be.
fn opt_side(p: &Map<String, Value>, key: &str) -> Result<Option<u32>, String> {
    match opt_u32(p, key)? {
        Some(n) if n > MAX_VIEWPORT_SIDE => Err(format!(
            "{key} must be from 1 to {MAX_VIEWPORT_SIDE} (CSS pixels), got {n}"
        )),
        side => Ok(side),
    }
}

/// A place in the z-order among widgets: 0 is the back-most.
fn opt_index(p: &Map<String, Value>, key: &str) -> Result<Option<u32>, String> {
    match p.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .map(Some)
            .ok_or_else(|| format!("{key} must be an integer from 0")),
    }
}

/// Names given in a list: each once, each a valid name.
fn unique_names(p: &Map<String, Value>, key: &str, max: usize) -> Result<Vec<String>, String> {
    let names: Vec<String> = match p.get(key) {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(v) => serde_json::from_value(v.clone())
            .map_err(|_| format!("{key} must be a list of names"))?,
    };
    for (i, n) in names.iter().enumerate() {
        bounds::check_name(n, max).map_err(|e| format!("{key}[{i}] {e}"))?;
        if names[..i].contains(n) {
            return Err(format!("{key} names {n:?} twice"));
        }
    }
    Ok(names)
}

/// `setState`'s document, checked as a state file is.
fn state_document(
    p: &Map<String, Value>,
    max_name_bytes: usize,
) -> Result<crate::document::Desired, String> {
    let doc: crate::document::Document = serde_json::from_value(Value::Object(p.clone()))
        .map_err(|e| format!("not a state document: {}", cut(&e.to_string())))?;
    doc.into_checked_within(max_name_bytes)
}

fn command(name: &str, p: &Map<String, Value>, max: usize) -> Result<Command, String> {
    Ok(match name {
        "fetchUrl" => Command::Load(Load::FetchUrl {
            name: name_of(p, "name", max)?,
            url: string(p, "url")?,
            poster: opt_string(p, "poster")?,
            placement: placement(p)?,
        }),
        "postHtml" => Command::Load(Load::PostHtml {
            name: name_of(p, "name", max)?,
            data: string(p, "data")?,
            base_url: opt_string(p, "baseUrl")?,
            width: opt_side(p, "width")?,
            height: opt_side(p, "height")?,
            placement: placement(p)?,
        }),
        "whatsLoaded" => Command::Query(Query::WhatsLoaded),
        "currentUrl" => Command::Query(Query::CurrentUrl),
        "listContent" => Command::Call(Call::ListContent),
        "remove" => Command::Call(Call::Remove {
            name: name_of(p, "name", max)?,
        }),
        "raise" => Command::Call(Call::Raise {
            name: name_of(p, "name", max)?,
        }),
        "play" => Command::Call(Call::Play {
            name: name_of(p, "name", max)?,
        }),
        "pause" => Command::Call(Call::Pause {
            name: name_of(p, "name", max)?,
        }),
        "showBackdrop" => Command::Call(Call::ShowBackdrop {
            color: match p.get("color") {
                None | Some(Value::Null) => None,
                Some(v) => {
                    let c: Vec<f64> = serde_json::from_value(v.clone())
                        .map_err(|_| "color must be [r, g, b, a]")?;
                    match c.as_slice() {
                        [r, g, b, a] if c.iter().all(|x| (0.0..=1.0).contains(x)) => {
                            Some([*r as f32, *g as f32, *b as f32, *a as f32])
                        }
                        _ => return Err("color must be [r, g, b, a], each from 0 to 1".into()),
                    }
                }
            },
            above: unique_names(p, "above", max)?,
        }),
        "hideBackdrop" => Command::Call(Call::HideBackdrop),
        "reset" => Command::Call(Call::Reset),
        "screenshot" => Command::Call(Call::Screenshot {
            max_width: opt_u32(p, "max_width")?,
        }),
        "preview" => Command::Call(Call::Preview {
            layout: match p.get("layout") {
                None | Some(Value::Null) => None,
                Some(_) => Some(name_of(p, "layout", max)?),
            },
            max_width: opt_u32(p, "max_width")?,
        }),
        "ping" => Command::Query(Query::Ping),
        "getState" => Command::Call(Call::GetState),
        "timeline" => Command::Call(Call::Timeline {
            date: opt_string(p, "date")?,
        }),
        "display" => Command::Call(Call::Display {
            on: match opt_string(p, "power")?.as_deref() {
                None => None,
                Some("on") => Some(true),
                Some("off") => Some(false),
                Some(_) => return Err("power must be \"on\" or \"off\"".into()),
            },
        }),
        "setState" => Command::Call(Call::SetState {
            document: Box::new(state_document(p, max)?),
        }),
        "place" => Command::Call(Call::Place {
            name: name_of(p, "name", max)?,
            at: place_spec(p)?,
            z: opt_index(p, "z")?,
            animate: opt_bool(p, "animate")?.unwrap_or(true),
        }),
        "subscribe" => Command::Stream(Stream::Subscribe {
            events: match p.get("events") {
                None | Some(Value::Null) => TypeSet::ALL,
                Some(v) => {
                    let names: Vec<String> = serde_json::from_value(v.clone())
                        .map_err(|_| "events must be a list of event types")?;
                    TypeSet::parse(names.iter().map(String::as_str))?
                }
            },
        }),
        "unsubscribe" => Command::Stream(Stream::Unsubscribe),
        "stats"
            if p.get("since").is_some_and(|v| !v.is_null())
                && opt_bool(p, "reset")? == Some(true) =>
        {
            return Err(
                "since and reset cannot go together: a reset ends every count, so ask for all of them"
                    .into(),
            );
        }
        "stats" => Command::Call(Call::Stats {
            since: match p.get("since") {
                None | Some(Value::Null) => None,
                Some(v) => Some(
                    v.as_f64()
                        .filter(|s| s.is_finite() && *s >= 0.0)
                        .ok_or("since must be a time in Unix seconds")?,
                ),
            },
            reset: opt_bool(p, "reset")?.unwrap_or(false),
        }),
        _ => return Err(format!("unknown method {name}")),
    })
}

/// Parses one payload into a request, or the error to reply with; names
/// within [`bounds::DEFAULT_MAX_NAME_BYTES`].
pub fn parse_request(payload: &[u8]) -> Result<Request, RpcError> {
    parse_request_within(payload, bounds::DEFAULT_MAX_NAME_BYTES)
}

/// Parses one payload into a request, or the error to reply with; every
/// name, and a string id, within `max_name_bytes` (`remote.max_name_bytes`),
/// else -32602 (-32600 for the id).
pub fn parse_request_within(payload: &[u8], max_name_bytes: usize) -> Result<Request, RpcError> {
    parse_request_bounded(payload, max_name_bytes, max_name_bytes)
}

/// The same, with the id's own bound: the fleet keeps ids to
/// `fleet.max_command_id_bytes` and answers past it with its own refusal.
pub fn parse_request_bounded(
    payload: &[u8],
    max_name_bytes: usize,
    max_id_bytes: usize,
) -> Result<Request, RpcError> {
    let value: Value = serde_json::from_slice(payload)
        .map_err(|e| RpcError::new(None, codes::PARSE_ERROR, format!("parse error: {e}")))?;
    let Value::Object(obj) = value else {
        return Err(RpcError::new(
            None,
            codes::INVALID_REQUEST,
            "a request must be a JSON object",
        ));
    };
    let id = match obj.get("id") {
        None => None,
        // An id is echoed in the reply (and remembered by the fleet), so a
        // string id has the names' bound; the error cannot echo it.
        Some(Value::String(s)) if s.len() > max_id_bytes => {
            return Err(RpcError::new(
                None,
                codes::INVALID_REQUEST,
                format!(
                    "id has {} bytes, more than {} ({max_id_bytes})",
                    s.len(),
                    bounds::NAME_KEY
                ),
            ));
        }
        Some(v @ (Value::Number(_) | Value::String(_) | Value::Null)) => Some(v.clone()),
        Some(_) => {
            return Err(RpcError::new(
                None,
                codes::INVALID_REQUEST,
                "id must be a number, a string or null",
            ));
        }
    };
    if let Some(v) = obj.get("jsonrpc")
        && v != "2.0"
    {
        return Err(RpcError::new(
            id,
            codes::INVALID_REQUEST,
            "jsonrpc must be \"2.0\"",
        ));
    }
    let Some(Value::String(name)) = obj.get("method") else {
        return Err(RpcError::new(
            id,
            codes::INVALID_REQUEST,
            "method must be a string",
        ));
    };
    let auth = match obj.get("auth") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            return Err(RpcError::new(
                id,
                codes::INVALID_REQUEST,
                "auth must be a string",
            ));
        }
    };
    let Some((names, nested)) = signature(name) else {
        return Err(RpcError::new(
            id,
            codes::METHOD_NOT_FOUND,
            format!("method not found: {name}"),
        ));
    };
    let params = named(obj.get("params"), names, nested)
        .map_err(|e| RpcError::new(id.clone(), codes::INVALID_PARAMS, e))?;
    let command = command(name, &params, max_name_bytes)
        .map_err(|e| RpcError::new(id.clone(), codes::INVALID_PARAMS, e))?;
    Ok(Request { id, command, auth })
}

#[cfg(test)]
mod tests;
