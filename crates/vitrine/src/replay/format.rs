//! The replay input formats: SCENE.json and TRACE.jsonl, parsed with line numbers in every error.

use std::time::Duration;

use glam::{DAffine2, DVec2};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::error::ReplayError;
use crate::config::text::line_of;
use crate::scene::{FingerId, Phase, Rgba, ScatterSettings, TouchEvent};

/// A parsed scene file.
#[derive(Debug)]
pub struct SceneFile {
    pub window: DVec2,
    pub widgets: Vec<WidgetEntry>,
    pub backdrop: Option<BackdropEntry>,
}

/// One widget of a scene file, back to front.
#[derive(Debug)]
pub struct WidgetEntry {
    pub line: usize,
    pub name: String,
    pub kind: KindName,
    pub size: DVec2,
    pub transform: DAffine2,
    pub scatter: ScatterSettings,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KindName {
    #[default]
    Image,
    Video,
    Html,
    Error,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackdropEntry {
    #[serde(default = "yes")]
    pub shown: bool,
    #[serde(default)]
    pub above: Vec<String>,
    #[serde(default)]
    pub color: Option<Rgba>,
}

fn yes() -> bool {
    true
}

fn one() -> f64 {
    1.0
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScene<'a> {
    window: [f64; 2],
    #[serde(borrow, default)]
    widgets: Vec<&'a RawValue>,
    #[serde(default)]
    backdrop: Option<BackdropEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWidget<'a> {
    name: String,
    size: [f64; 2],
    #[serde(default)]
    pos: [f64; 2],
    #[serde(default)]
    rotation: f64,
    #[serde(default = "one")]
    scale: f64,
    #[serde(default)]
    kind: KindName,
    #[serde(borrow, default)]
    scatter: Option<&'a RawValue>,
}

/// The 1-based line of `part`, a slice of `text`.
fn line_in(text: &str, part: &str) -> usize {
    let offset = (part.as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
    line_of(text, offset)
}

/// A scene error at `base` (the line where `part` starts) plus the line
/// serde_json reports within `part`.
fn scene_error(base: usize, e: &serde_json::Error) -> ReplayError {
    ReplayError::Scene {
        line: base + e.line().saturating_sub(1),
        message: strip_position(e),
    }
}

/// serde_json appends "at line L column C"; we report our own line instead.
fn strip_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// Parses SCENE.json. Scatter keys a widget leaves out take `defaults`.
pub fn parse_scene(text: &str, defaults: &ScatterSettings) -> Result<SceneFile, ReplayError> {
    let raw: RawScene = serde_json::from_str(text).map_err(|e| scene_error(1, &e))?;
    let [w, h] = raw.window;
    if !(w.is_finite() && h.is_finite() && w > 0.0 && h > 0.0) {
        return Err(ReplayError::Scene {
            line: 1,
            message: format!("window [{w}, {h}] must be a positive, finite size"),
        });
    }
    let defaults_json = serde_json::to_value(defaults).map_err(|e| scene_error(1, &e))?;
    let mut widgets = Vec::with_capacity(raw.widgets.len());
    for part in raw.widgets {
        let base = line_in(text, part.get());
        let rw: RawWidget = serde_json::from_str(part.get()).map_err(|e| scene_error(base, &e))?;
        let bad = |message: String| ReplayError::Scene {
            line: base,
            message: format!("widget {:?}: {message}", rw.name),
        };
        let scatter = match rw.scatter {
            None => defaults.clone(),
            Some(s) => merge_scatter(&defaults_json, s.get(), line_in(text, s.get()))?,
        };
        scatter
            .validate()
            .map_err(|(key, why)| bad(format!("scatter.{key} {why}")))?;
        let pos = DVec2::from(rw.pos);
        if !(pos.is_finite() && rw.rotation.is_finite() && rw.scale.is_finite() && rw.scale > 0.0) {
            return Err(bad(
                "pos, rotation and scale must be finite, and scale positive".into(),
            ));
        }
        widgets.push(WidgetEntry {
            line: base,
            name: rw.name,
            kind: rw.kind,
            size: DVec2::from(rw.size),
            // Rotation and scale act about the top-left corner, which lands on `pos`.
            transform: DAffine2::from_scale_angle_translation(
                DVec2::splat(rw.scale),
                rw.rotation.to_radians(),
                pos,
            ),
            scatter,
        });
    }
    Ok(SceneFile {
        window: DVec2::new(w, h),
        widgets,
        backdrop: raw.backdrop,
    })
}

/// Overlays a widget's scatter keys on the defaults. Parsing the keys as a
/// whole struct first gives errors with their line.
fn merge_scatter(
    defaults: &Value,
    text: &str,
    base: usize,
) -> Result<ScatterSettings, ReplayError> {
    serde_json::from_str::<ScatterSettings>(text).map_err(|e| scene_error(base, &e))?;
    let given: Map<String, Value> =
        serde_json::from_str(text).map_err(|e| scene_error(base, &e))?;
    let mut merged = defaults.clone();
    if let Value::Object(m) = &mut merged {
        m.extend(given);
    }
    serde_json::from_value(merged).map_err(|e| scene_error(base, &e))
}

#[derive(Deserialize)]
struct RawEvent {
    t: f64,
    id: FingerId,
    phase: Phase,
    x: f64,
    y: f64,
}

/// Parses TRACE.jsonl: one event per line, blank lines skipped, times in
/// seconds and never decreasing.
pub fn parse_trace(text: &str) -> Result<Vec<TouchEvent>, ReplayError> {
    let mut events = Vec::new();
    let mut last = Duration::ZERO;
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let bad = |message: String| ReplayError::Trace {
            line: line_no,
            message,
        };
        let raw: RawEvent = serde_json::from_str(line).map_err(|e| bad(strip_position(&e)))?;
        let time = Duration::try_from_secs_f64(raw.t).map_err(|_| {
            bad(format!(
                "t = {} must be a finite number of seconds, zero or more",
                raw.t
            ))
        })?;
        if time < last {
            return Err(bad(format!(
                "t = {} goes back in time (the previous event was at {})",
                raw.t,
                last.as_secs_f64()
            )));
        }
        let pos = DVec2::new(raw.x, raw.y);
        if !pos.is_finite() {
            return Err(bad("x and y must be finite numbers".into()));
        }
        last = time;
        events.push(TouchEvent {
            id: raw.id,
            phase: raw.phase,
            pos,
            time,
        });
    }
    Ok(events)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scatter_keys_overlay_the_defaults() {
        let defaults = ScatterSettings::default();
        let text = r#"{"window":[800,600],"widgets":[
            {"name":"a","size":[10,20],"pos":[5,6],"scatter":{"rotate":false}}
        ]}"#;
        let s = parse_scene(text, &defaults).unwrap();
        assert!(!s.widgets[0].scatter.rotate);
        assert_eq!(s.widgets[0].scatter.scale_max, defaults.scale_max);
        assert_eq!(s.widgets[0].transform.translation, DVec2::new(5.0, 6.0));
    }

    #[test]
    fn scene_errors_carry_the_line() {
        let defaults = ScatterSettings::default();
        let text = "{\"window\":[800,600],\"widgets\":[\n{\"name\":\"a\",\"size\":[1,1]},\n{\"name\":\"b\",\"size\":[1,1],\n \"scatter\":{\n  \"rotat\":false}}]}";
        match parse_scene(text, &defaults).unwrap_err() {
            ReplayError::Scene { line, message } => {
                assert_eq!(line, 5, "{message}");
                assert!(message.contains("rotat"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn trace_errors_carry_the_line() {
        let text = "{\"t\":0,\"id\":1,\"phase\":\"start\",\"x\":1,\"y\":1}\n\n{\"t\":0.1,\"id\":1,\"phase\":\"slide\",\"x\":1,\"y\":1}\n";
        match parse_trace(text).unwrap_err() {
            ReplayError::Trace { line, message } => {
                assert_eq!(line, 3);
                assert!(message.contains("slide"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        let back = "{\"t\":1,\"id\":1,\"phase\":\"start\",\"x\":1,\"y\":1}\n{\"t\":0.5,\"id\":1,\"phase\":\"end\",\"x\":1,\"y\":1}";
        assert!(matches!(
            parse_trace(back),
            Err(ReplayError::Trace { line: 2, .. })
        ));
        let nan = "{\"t\":-1,\"id\":1,\"phase\":\"start\",\"x\":1,\"y\":1}";
        assert!(matches!(
            parse_trace(nan),
            Err(ReplayError::Trace { line: 1, .. })
        ));
    }
}
