//! The news the kiosk passes to its telemetry: the scene's effects and the players' news, named by widget, as events for subscribers and touch counts.

use std::sync::Arc;

use super::Kiosk;
use crate::api::protocol::status_of;
use crate::events::{Bus, Event};
use crate::outcome::LoadFailure;
use crate::scene::{GestureRecord, VideoCommand, VideoState, WidgetId};

impl Kiosk {
    /// The bus events are published on, for the remote server.
    pub fn events(&self) -> Arc<Bus> {
        self.telemetry.bus()
    }

    pub(super) fn tell(&self, event: Event) {
        self.telemetry.tell(event);
    }

    fn name_of(&self, id: WidgetId) -> Option<String> {
        self.scene.get(id).map(|w| w.name().to_string())
    }

    /// A customer's interaction with a widget ended.
    pub(super) fn gesture_ended(&mut self, r: GestureRecord) {
        let Some(name) = self.name_of(r.widget) else {
            return;
        };
        self.telemetry
            .count(|c, now| c.gesture(&name, r.gesture, r.touches, r.taps, r.held, now));
        self.tell(Event::Touched {
            name,
            gesture: r.gesture.name(),
            fingers: r.fingers,
            held_ms: u64::try_from(r.held.as_millis()).unwrap_or(u64::MAX),
        });
    }

    /// The scene told a video's player to do something: what the customer
    /// sees is a change of state.
    pub(super) fn video_commanded(&mut self, widget: WidgetId, command: VideoCommand) {
        let Some(w) = self.scene.get(widget) else {
            return;
        };
        let name = w.name().to_string();
        let state = match command {
            VideoCommand::Play | VideoCommand::Restart => {
                self.telemetry.count(|c, _| c.video_play(&name));
                "playing"
            }
            // Held at its end: `ended` was already told.
            VideoCommand::Pause if w.video().map(|v| v.state()) == Some(VideoState::Ended) => {
                return;
            }
            VideoCommand::Pause => "paused",
            VideoCommand::Rewind => "poster",
        };
        self.tell(Event::Video { name, state });
    }

    /// A video on screen played to its end, and stopped or (`looped`)
    /// started again.
    pub(super) fn video_ended(&mut self, widget: WidgetId, looped: bool) {
        let Some(name) = self.name_of(widget) else {
            return;
        };
        self.played_to_end(widget);
        // A loop's count is saved lazily (see `Telemetry::count_lazily`).
        if looped {
            self.telemetry.count_lazily(|c| c.video_view(&name));
        } else {
            self.telemetry.count(|c, _| c.video_view(&name));
        }
        let state = if looped { "looped" } else { "ended" };
        self.tell(Event::Video { name, state });
    }

    /// The backdrop was shown or hidden.
    pub(super) fn tell_backdrop(&self) {
        let shown = self.scene.backdrop().is_shown();
        let above = self
            .scene
            .above_backdrop()
            .map(|ids| ids.filter_map(|id| self.name_of(id)).collect())
            .unwrap_or_default();
        self.tell(Event::Backdrop {
            state: if shown { "shown" } else { "hidden" },
            above: if shown { above } else { Vec::new() },
        });
    }

    /// Content reached the screen.
    pub(super) fn tell_loaded(&self, name: &str, kind: &str) {
        let url = self
            .scene
            .id_of(name)
            .and_then(|id| self.widgets.get(id))
            .and_then(|e| e.url.clone())
            .unwrap_or_default();
        self.tell(Event::Loaded {
            name: name.to_string(),
            kind: kind.to_string(),
            url,
            status: "SUCCESS",
        });
    }

    /// Content did not reach the screen.
    pub(super) fn tell_failed(&self, name: &str, source: &str, failure: &LoadFailure) {
        self.tell(Event::Failed {
            name: name.to_string(),
            url: source.to_string(),
            status: status_of(failure.kind).name(),
            message: failure.message.clone(),
        });
    }
}
