//! `vitrine replay`: runs a recorded touch trace through the real scene core and reports the final state.
//!
//! No window, no GPU, no media: the same [`Scene`] the kiosk uses, driven by
//! the trace's own clock.

mod error;
pub mod format;

use std::time::Duration;

use serde::Serialize;

use crate::analytics::{Analytics, Report};
use crate::config::Config;
use crate::scene::{
    ContentKey, Effect, Kind, Scene, SceneError, SceneSettings, TouchEvent, VideoCommand,
    VideoControl, WidgetSpec,
};
use format::{KindName, SceneFile};

pub use error::ReplayError;

/// The final state of one widget.
#[derive(Debug, Serialize, PartialEq)]
pub struct WidgetState {
    pub name: String,
    /// Window positions of the local corners (0,0), (w,0), (w,h), (0,h).
    pub corners: [[f64; 2]; 4],
    pub scale: f64,
    /// Degrees clockwise, in [0, 360).
    pub rotation: f64,
    /// The video state for video widgets, else null.
    pub video_state: Option<&'static str>,
}

/// One interaction the scene recognised, as the kiosk's `touched` event
/// reports it.
#[derive(Debug, Serialize, PartialEq)]
pub struct GestureState {
    pub name: String,
    pub gesture: &'static str,
    pub fingers: u32,
    pub held_ms: u64,
}

/// The replay result: widgets front to back, the interactions in the order
/// they ended, and the touch counters the kiosk would keep for them (times
/// on the trace's clock).
#[derive(Debug, Serialize, PartialEq)]
pub struct Output {
    pub widgets: Vec<WidgetState>,
    pub gestures: Vec<GestureState>,
    pub stats: Report,
}

/// What a replay saw on its way: the recognised gestures and their counts.
pub struct Seen {
    pub gestures: Vec<GestureState>,
    pub stats: Analytics,
}

impl Default for Seen {
    fn default() -> Self {
        Self {
            gestures: Vec::new(),
            stats: Analytics::new(0.0, usize::MAX),
        }
    }
}

/// Builds the scene a scene file describes, with the config's settings.
pub fn build_scene(config: &Config, file: &SceneFile) -> Result<Scene, ReplayError> {
    let settings = SceneSettings {
        window: file.window,
        ..config.scene_settings()
    };
    let mut scene = Scene::new(settings);
    for (i, w) in file.widgets.iter().enumerate() {
        let kind = match w.kind {
            KindName::Image => Kind::Image,
            KindName::Html => Kind::Html,
            KindName::Error => Kind::ErrorCard,
            KindName::Video => Kind::Video {
                control: VideoControl::new(config.video.end),
                poster: None,
            },
        };
        let spec = WidgetSpec {
            name: w.name.clone(),
            kind,
            size: w.size,
            transform: w.transform,
            content: ContentKey(i as u64),
            scatter: Some(w.scatter.clone()),
        };
        scene.add(spec).map_err(|e| ReplayError::Scene {
            line: w.line,
            message: format!("widget {:?}: {e}", w.name),
        })?;
    }
    if let Some(b) = &file.backdrop
        && b.shown
    {
        scene
            .show_backdrop(b.color, &b.above, Duration::ZERO)
            .map_err(|e: SceneError| ReplayError::Scene {
                line: 1,
                message: format!("backdrop: {e}"),
            })?;
    }
    Ok(scene)
}

/// Feeds events to the scene, then advances the clock to `until` if given,
/// so glides and fades can finish. What the scene recognised on the way is
/// counted as the kiosk counts it.
pub fn play(scene: &mut Scene, events: &[TouchEvent], until: Option<Duration>) -> Seen {
    let mut seen = Seen::default();
    for ev in events {
        scene.touch(*ev);
        let effects: Vec<Effect> = scene.drain_effects().collect();
        let now = ev.time.as_secs_f64();
        for e in effects {
            let name = |id| scene.get(id).map(|w| w.name().to_string());
            match e {
                Effect::Gesture(r) => {
                    let Some(name) = name(r.widget) else { continue };
                    seen.stats
                        .gesture(&name, r.gesture, r.touches, r.taps, r.held, now);
                    seen.gestures.push(GestureState {
                        name,
                        gesture: r.gesture.name(),
                        fingers: r.fingers,
                        held_ms: u64::try_from(r.held.as_millis()).unwrap_or(u64::MAX),
                    });
                }
                Effect::Video {
                    widget,
                    command: VideoCommand::Play | VideoCommand::Restart,
                } => {
                    if let Some(name) = name(widget) {
                        seen.stats.video_play(&name);
                    }
                }
                _ => {}
            }
        }
    }
    if let Some(t) = until {
        scene.advance(t);
    }
    seen
}

/// The reportable state of a scene, front to back, with what was seen on
/// the way to it.
pub fn snapshot(scene: &Scene, seen: Seen) -> Output {
    let widgets = scene
        .front_to_back()
        .map(|w| WidgetState {
            name: w.name().to_string(),
            corners: w.corners().map(|c| [c.x, c.y]),
            scale: w.scale(),
            rotation: w.rotation_degrees(),
            video_state: w.video().map(|v| v.state().name()),
        })
        .collect();
    Output {
        widgets,
        gestures: seen.gestures,
        stats: seen.stats.report(None),
    }
}

/// Parses both inputs, replays the trace and reports the final state.
pub fn run(
    config: &Config,
    scene_text: &str,
    trace_text: &str,
    until: Option<Duration>,
) -> Result<Output, ReplayError> {
    let file = format::parse_scene(scene_text, &config.scatter)?;
    let events = format::parse_trace(trace_text)?;
    let mut scene = build_scene(config, &file)?;
    let seen = play(&mut scene, &events, until);
    Ok(snapshot(&scene, seen))
}
