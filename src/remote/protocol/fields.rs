//! Small typed readers for optional request fields, shared by the request parser and the placement parser.

use serde_json::{Map, Value};

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
