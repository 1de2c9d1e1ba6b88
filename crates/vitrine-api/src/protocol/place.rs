//! Where a widget goes and how it answers fingers, as `place` and a load's `placement` give it: position, scale, rotation, width, gesture switches, pinning and fill.

use serde_json::{Map, Value};

use super::fields::{opt_bool, opt_number};
use crate::command::PlaceSpec;
use crate::gestures::{Fill, GestureChange};

/// The fields a `placement` object may hold.
const PLACEMENT_FIELDS: &[&str] = &[
    "x", "y", "scale", "rotation", "width", "gestures", "pinned", "fill",
];

/// Where a widget goes: every field optional.
pub fn place_spec(p: &Map<String, Value>) -> Result<PlaceSpec, String> {
    let mut gestures = gesture_switches(p)?;
    gestures.pinned = opt_bool(p, "pinned")?;
    gestures.fill = fill(p)?;
    Ok(PlaceSpec {
        x: opt_number(p, "x", false)?,
        y: opt_number(p, "y", false)?,
        scale: opt_number(p, "scale", true)?,
        rotation: opt_number(p, "rotation", false)?,
        width: opt_number(p, "width", true)?,
        gestures,
    })
}

/// A load's optional `placement` object.
pub fn placement(p: &Map<String, Value>) -> Result<PlaceSpec, String> {
    match p.get("placement") {
        None | Some(Value::Null) => Ok(PlaceSpec::default()),
        Some(Value::Object(inner)) => {
            if let Some(k) = inner
                .keys()
                .find(|k| !PLACEMENT_FIELDS.contains(&k.as_str()))
            {
                return Err(format!("placement has no field {k:?}"));
            }
            place_spec(inner).map_err(|e| format!("placement: {e}"))
        }
        Some(_) => Err("placement must be an object".into()),
    }
}

/// The optional `gestures` object: `translate`, `rotate` and `scale`, each
/// true or false.
fn gesture_switches(p: &Map<String, Value>) -> Result<GestureChange, String> {
    match p.get("gestures") {
        None | Some(Value::Null) => Ok(GestureChange::default()),
        Some(Value::Object(g)) => {
            if let Some(k) = g
                .keys()
                .find(|k| !["translate", "rotate", "scale"].contains(&k.as_str()))
            {
                return Err(format!(
                    "gestures has no switch {k:?} (translate, rotate, scale)"
                ));
            }
            let switch = |k| opt_bool(g, k).map_err(|e| format!("gestures: {e}"));
            Ok(GestureChange {
                translate: switch("translate")?,
                rotate: switch("rotate")?,
                scale: switch("scale")?,
                ..GestureChange::default()
            })
        }
        Some(_) => Err("gestures must be an object of switches".into()),
    }
}

/// The optional `fill`: `"screen"` or `"none"`.
fn fill(p: &Map<String, Value>) -> Result<Option<Fill>, String> {
    match p.get("fill") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s == "screen" => Ok(Some(Fill::Screen)),
        Some(Value::String(s)) if s == "none" => Ok(Some(Fill::None)),
        Some(_) => Err("fill must be \"screen\" or \"none\"".into()),
    }
}
