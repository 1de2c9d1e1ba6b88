//! Typed replies turned into JSON-RPC results: `pushResult` status objects, content lists and screenshots.

use base64::Engine as _;
use serde_json::{Value, json};

use crate::command::{CallReply, CallResult};
use crate::outcome::FailureKind;
use crate::protocol::{PushResult, codes, status_of};

/// The result (or JSON-RPC error) of a call. A refusal the caller can act on
/// (no such widget, not a video) is a status; a failure inside the kiosk (a
/// screenshot that could not be taken) is an internal error.
pub fn call_reply(result: CallResult) -> Result<Value, (i64, String)> {
    match result {
        Ok(CallReply::Done) => Ok(PushResult::Success.result(None, "")),
        Ok(CallReply::Content {
            widgets,
            revision,
            screen,
            schedule,
        }) => {
            let widgets =
                serde_json::to_value(widgets).map_err(|e| (codes::INTERNAL, e.to_string()))?;
            Ok(json!({
                "revision": revision,
                "screen": {"width": screen[0], "height": screen[1]},
                "widgets": widgets,
                "schedule": schedule.to_json(),
            }))
        }
        Ok(CallReply::Stats(report)) => {
            serde_json::to_value(report).map_err(|e| (codes::INTERNAL, e.to_string()))
        }
        Ok(CallReply::Screenshot { width, height, png }) => Ok(json!({
            "width": width,
            "height": height,
            "png_base64": base64::engine::general_purpose::STANDARD.encode(&png),
        })),
        Ok(CallReply::State(desired)) => {
            serde_json::to_value(crate::document::Document::of(*desired))
                .map_err(|e| (codes::INTERNAL, e.to_string()))
        }
        Ok(CallReply::Timeline(day)) => Ok(day.to_json()),
        Ok(CallReply::Applied { applied, revision }) => {
            let message = if applied {
                String::new()
            } else {
                format!("not newer than revision {revision}, which stays")
            };
            let mut r = PushResult::Success.result(None, &message);
            r["applied"] = json!(applied);
            r["revision"] = json!(revision);
            Ok(r)
        }
        Ok(CallReply::Display { on, method }) => {
            let mut r = PushResult::Success.result(None, "");
            r["power"] = json!(if on { "on" } else { "off" });
            r["method"] = json!(method);
            Ok(r)
        }
        Err(f) if f.kind == FailureKind::Failed => Err((codes::INTERNAL, f.message)),
        Err(f) => Ok(status_of(f.kind).result(None, &f.message)),
    }
}
