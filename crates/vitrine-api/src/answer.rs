//! The answer to a request, shared by every front end that speaks JSON-RPC (the socket and the admin page), so the same request always gets the same reply: the command's result, and the reply (or silence) it makes.

use serde_json::{Value, json};

use crate::command::{Call, Command, Load, Query};
use crate::dispatch::Dispatch;
use crate::protocol::{RpcError, codes, error_reply, load_reply, result_reply};
use crate::reply::call_reply;

/// What a command's reply carries: its `result`, or an error code and
/// message. Subscriptions belong to a connection, so the caller answers
/// `Command::Stream` itself.
pub fn answer(command: Command, dispatch: &Dispatch) -> Result<Value, (i64, String)> {
    match command {
        Command::Query(q) => Ok(query(q, dispatch)),
        Command::Load(l) => Ok(load(l, dispatch)),
        Command::Call(c) => call(c, dispatch),
        Command::Stream(_) => Err((
            codes::INVALID_REQUEST,
            "subscriptions are made on a connection that stays open".into(),
        )),
    }
}

/// The reply to a request whose command came to `result`: none for a
/// notification (no `id`).
pub fn reply(id: Option<Value>, result: Result<Value, (i64, String)>) -> Option<Value> {
    let id = id?;
    Some(match result {
        Ok(value) => result_reply(Some(id), value),
        Err((code, message)) => error_reply(Some(id), code, &message),
    })
}

/// The reply to a request that did not parse: always for bytes that are no
/// request, else only when it had an `id`.
pub fn parse_failure(e: &RpcError) -> Option<Value> {
    match e.code {
        codes::PARSE_ERROR | codes::INVALID_REQUEST => Some(e.reply()),
        _ => e.id.as_ref().map(|_| e.reply()),
    }
}

/// Answers from the view the UI publishes, without a round trip to it.
fn query(query: Query, d: &Dispatch) -> Value {
    match query {
        Query::WhatsLoaded => d.read(|v| json!(v.current_name.as_str())),
        Query::CurrentUrl => d.read(|v| json!(v.current_url.as_str())),
        Query::Ping => json!({
            "version": env!("CARGO_PKG_VERSION"),
            "uptime_s": d.uptime().as_secs_f64(),
            "revision": d.read(|v| v.revision),
            "display": d.read(|v| json!({
                "power": if v.display.on { "on" } else { "off" },
                "method": v.display.method,
            })),
            "schedule": d.read(|v| v.schedule.to_json()),
        }),
    }
}

/// A load: its outcome as a `pushResult` object.
fn load(load: Load, d: &Dispatch) -> Value {
    load_reply(&d.load(load))
}

fn call(call: Call, d: &Dispatch) -> Result<Value, (i64, String)> {
    let result = d.call(call).map_err(|e| (codes::INTERNAL, e.to_string()))?;
    call_reply(result)
}
