//! Small typed readers for request fields (names checked against their bound), shared by the request parser and the placement parser.

use serde_json::{Map, Value};

use super::bounds;

/// A finite number, when given; `positive` refuses zero and below.
pub fn opt_number(
    p: &Map<String, Value>,
    key: &str,
    positive: bool,
) -> Result<Option<f64>, String> {
    match p.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => match v.as_f64() {
            Some(n) if n.is_finite() && (!positive || n > 0.0) => Ok(Some(n)),
            _ if positive => Err(format!("{key} must be a positive number")),
            _ => Err(format!("{key} must be a finite number")),
        },
    }
}

pub fn opt_bool(p: &Map<String, Value>, key: &str) -> Result<Option<bool>, String> {
    match p.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(format!("{key} must be true or false")),
    }
}

/// A widget name: a string of the API's character set within
/// `max` bytes (`remote.max_name_bytes`).
pub fn name_of(p: &Map<String, Value>, key: &str, max: usize) -> Result<String, String> {
    let name = string(p, key)?;
    bounds::check_name(&name, max).map_err(|e| format!("{key} {e}"))?;
    Ok(name)
}

pub fn string(p: &Map<String, Value>, key: &str) -> Result<String, String> {
    match p.get(key) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(format!("{key} must be a string")),
        None => Err(format!("{key} is required")),
    }
}

pub fn opt_string(p: &Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match p.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("{key} must be a string")),
    }
}

/// A message that may quote what the client sent (serde names an unknown
/// field), cut so that a huge key is not sent back whole.
pub fn cut(message: &str) -> String {
    const MAX: usize = 200;
    if message.len() <= MAX {
        return message.to_string();
    }
    let mut end = MAX;
    while !message.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… (cut)", &message[..end])
}
