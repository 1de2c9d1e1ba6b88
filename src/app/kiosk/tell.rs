//! What the kiosk tells the back office: events for subscribers and the touch counters, both fed by the scene's own effects and the players' news, and the counters saved on a schedule.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::Kiosk;
use super::tally::unix_now;
use crate::analytics::{self, Analytics, Report};
use crate::api::protocol::status_of;
use crate::events::{Bus, Event};
use crate::outcome::{FailureKind, LoadFailure};
use crate::scene::{GestureRecord, VideoCommand, VideoState, WidgetId};

/// The save delay for counts nobody's touch made (a video's loops).
const LAZY_SAVE: Duration = Duration::from_secs(60);

impl Kiosk {
    /// The bus events are published on, for the remote server.
    pub fn events(&self) -> Arc<Bus> {
        self.events.clone()
    }

    pub(super) fn tell(&self, event: Event) {
        self.events.publish(event);
    }

    fn name_of(&self, id: WidgetId) -> Option<String> {
        self.scene.get(id).map(|w| w.name().to_string())
    }

    /// A customer's interaction with a widget ended.
    pub(super) fn gesture_ended(&mut self, r: GestureRecord) {
        let Some(name) = self.name_of(r.widget) else {
            return;
        };
        self.count(|c, now| c.gesture(&name, r.gesture, r.touches, r.taps, r.held, now));
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
                self.count(|c, _| c.video_play(&name));
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
        // A looping attract video ends every few seconds with nobody
        // there: its loops alone do not rewrite the file more than once a
        // minute.
        if looped {
            self.count_lazily(|c| c.video_view(&name));
        } else {
            self.count(|c, _| c.video_view(&name));
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

    /// Changes the counters (when analytics are on) and schedules a save.
    fn count(&mut self, change: impl FnOnce(&mut Analytics, f64)) {
        let interval = self.config.analytics.save_interval;
        if let Some(t) = &mut self.tally {
            change(&mut t.counts, unix_now());
            t.due.get_or_insert_with(|| Instant::now() + interval);
        }
    }

    /// Changes the counters, with a save due no sooner than [`LAZY_SAVE`].
    fn count_lazily(&mut self, change: impl FnOnce(&mut Analytics)) {
        let interval = self.config.analytics.save_interval.max(LAZY_SAVE);
        if let Some(t) = &mut self.tally {
            change(&mut t.counts);
            t.due.get_or_insert_with(|| Instant::now() + interval);
        }
    }

    /// `stats`: the counters, all or (with `since`) those touched since;
    /// with `reset`, counting starts again, and the reply waits until that
    /// is saved.
    pub(super) fn stats(&mut self, since: Option<f64>, reset: bool) -> Result<Report, LoadFailure> {
        let Some(t) = &mut self.tally else {
            return Err(LoadFailure::new(
                FailureKind::Unsupported,
                "touch analytics are off (analytics.enabled = false)",
            ));
        };
        let report = t.counts.report(since);
        if reset {
            let before = t.counts.clone();
            t.counts.reset(unix_now());
            if let Some(dir) = self.keeper.store.as_ref().map(|s| s.dir().to_path_buf())
                && let Err(e) = analytics::save(&dir, &t.counts)
            {
                // Not reset after all: what is on disk and in memory agree.
                t.counts = before;
                return Err(LoadFailure::new(
                    FailureKind::Failed,
                    format!("the counters were not reset, since the reset could not be saved: {e}"),
                ));
            }
            t.due = None;
        }
        Ok(report)
    }

    /// Picks up the counters saved in the state directory.
    pub(super) fn restore_stats(&mut self) {
        let (Some(store), Some(t)) = (&self.keeper.store, &mut self.tally) else {
            return;
        };
        match analytics::load(store.dir()) {
            Ok(Some(saved)) => t.counts = saved.restored(self.config.analytics.max_widgets),
            Ok(None) => {}
            Err(e) => tracing::warn!(%e, "touch counters not restored"),
        }
    }

    /// Saves changed counters once their save is due.
    pub(super) fn save_stats_when_due(&mut self) {
        let Some(t) = &mut self.tally else { return };
        if t.due.is_none_or(|due| Instant::now() < due) {
            return;
        }
        t.due = None;
        let Some(store) = &self.keeper.store else {
            return;
        };
        if let Err(e) = analytics::save(store.dir(), &t.counts) {
            tracing::warn!(%e, "touch counters not saved; trying again later");
            t.due = Some(Instant::now() + self.config.analytics.save_interval);
        }
    }

    /// How long until changed counters are due on disk.
    pub(super) fn stats_deadline(&self) -> Option<Duration> {
        let due = self.tally.as_ref()?.due?;
        Some(due.saturating_duration_since(Instant::now()))
    }
}
