//! The kiosk's telemetry, one owner: the event bus subscribers read, and the touch counters with when their next save is due and the folder they are saved in.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::analytics::{self, Analytics, Report};
use crate::config::Config;
use crate::events::{Bus, Event};
use crate::outcome::{FailureKind, LoadFailure};

/// The save delay for counts nobody's touch made (a video's loops).
const LAZY_SAVE: Duration = Duration::from_secs(60);

/// Seconds since the Unix epoch, as events and counters carry time.
fn unix_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs_f64()
}

/// The counters and when they are next due on disk.
struct Tally {
    counts: Analytics,
    /// When changed counters must be saved by; `None` while all are saved.
    due: Option<Instant>,
    /// When they were last saved (or counting began): a change is saved
    /// within `analytics.save_interval` of the last save, so a crash loses
    /// at most that much, however steadily proof of play keeps counting.
    saved: Instant,
}

/// Events out, and the counters when analytics are on.
pub struct Telemetry {
    events: Arc<Bus>,
    tally: Option<Tally>,
    /// The state folder the counters are kept in, once it is known.
    dir: Option<PathBuf>,
    save_interval: Duration,
    max_widgets: usize,
    /// Proof of play's bounds, applied to counts read back too.
    play_bounds: analytics::PlayBounds,
}

impl Telemetry {
    /// The bus and (with `analytics.enabled`) empty counters for `config`.
    pub fn new(config: &Config) -> Self {
        let a = &config.analytics;
        Self {
            events: Bus::new(config.remote.max_subscribers, config.remote.event_queue),
            tally: a.enabled.then(|| Tally {
                counts: Analytics::new(unix_now(), a.max_widgets),
                due: None,
                saved: Instant::now(),
            }),
            dir: None,
            save_interval: a.save_interval,
            max_widgets: a.max_widgets,
            play_bounds: analytics::PlayBounds {
                hours: a.play_hours,
                items: a.max_items,
            },
        }
    }

    /// Reads the counters, when analytics are on.
    pub fn read<R>(&self, f: impl FnOnce(&Analytics) -> R) -> Option<R> {
        self.tally.as_ref().map(|t| f(&t.counts))
    }

    /// Whether analytics are on (`analytics.enabled`).
    pub fn is_counting(&self) -> bool {
        self.tally.is_some()
    }

    /// The bus events are published on, for the servers.
    pub fn bus(&self) -> Arc<Bus> {
        self.events.clone()
    }

    pub fn tell(&self, event: Event) {
        self.events.publish(event);
    }

    /// Changes the counters (when analytics are on) and schedules a save.
    pub fn count(&mut self, change: impl FnOnce(&mut Analytics, f64)) {
        let interval = self.save_interval;
        if let Some(t) = &mut self.tally {
            change(&mut t.counts, unix_now());
            // Within the interval of the last save, even when a lazy count
            // had put the save further off.
            let by = (t.saved + interval).max(Instant::now());
            t.due = Some(t.due.map_or(by, |due| due.min(by)));
        }
    }

    /// Changes the counters, with a save due no sooner than [`LAZY_SAVE`]:
    /// a looping attract video ends every few seconds with nobody there,
    /// and its loops alone must not rewrite the file more than once a
    /// minute.
    pub fn count_lazily(&mut self, change: impl FnOnce(&mut Analytics)) {
        let interval = self.save_interval.max(LAZY_SAVE);
        if let Some(t) = &mut self.tally {
            change(&mut t.counts);
            t.due.get_or_insert_with(|| Instant::now() + interval);
        }
    }

    /// `stats`: the counters, all or (with `since`) those touched since;
    /// with `reset`, counting starts again, and the reply waits until that
    /// is saved.
    pub fn stats(&mut self, since: Option<f64>, reset: bool) -> Result<Report, LoadFailure> {
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
            if let Some(dir) = &self.dir
                && let Err(e) = analytics::save(dir, &t.counts)
            {
                // Not reset after all: what is on disk and in memory agree.
                t.counts = before;
                return Err(LoadFailure::new(
                    FailureKind::Failed,
                    format!("the counters were not reset, since the reset could not be saved: {e}"),
                ));
            }
            t.due = None;
            t.saved = Instant::now();
        }
        Ok(report)
    }

    /// Keeps the counters in `dir` from now on, picking up those saved
    /// there.
    pub fn restore(&mut self, dir: PathBuf) {
        if let Some(t) = &mut self.tally {
            match analytics::load(&dir) {
                Ok(Some(saved)) => {
                    t.counts = saved.restored(self.max_widgets);
                    // A smaller `analytics.play_hours` holds from the start.
                    t.counts.plays().restored(self.play_bounds);
                }
                Ok(None) => {}
                Err(e) => tracing::warn!(%e, "touch counters not restored"),
            }
        }
        self.dir = Some(dir);
    }

    /// Saves changed counters once their save is due.
    pub fn save_when_due(&mut self) {
        let Some(t) = &mut self.tally else { return };
        if t.due.is_none_or(|due| Instant::now() < due) {
            return;
        }
        t.due = None;
        let Some(dir) = &self.dir else {
            return;
        };
        t.saved = Instant::now();
        if let Err(e) = analytics::save(dir, &t.counts) {
            tracing::warn!(%e, "touch counters not saved; trying again later");
            t.due = Some(Instant::now() + self.save_interval);
        }
    }

    /// How long until changed counters are due on disk.
    pub fn deadline(&self) -> Option<Duration> {
        let due = self.tally.as_ref()?.due?;
        Some(due.saturating_duration_since(Instant::now()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::GestureKind;

    fn config(enabled: bool) -> Config {
        let mut c = Config::default();
        c.analytics.enabled = enabled;
        c
    }

    #[test]
    fn counters_off_say_so_and_count_nothing() {
        let mut t = Telemetry::new(&config(false));
        t.count(|c, now| c.video_play(&format!("{now}")));
        assert_eq!(t.deadline(), None);
        let e = t.stats(None, false).unwrap_err();
        assert_eq!(e.kind, FailureKind::Unsupported);
    }

    #[test]
    fn a_reset_is_saved_before_it_is_answered() {
        let dir = std::env::temp_dir().join(format!("vitrine-telemetry-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut t = Telemetry::new(&config(true));
        t.restore(dir.clone());
        t.count(|c, now| c.gesture("pic", GestureKind::Tap, 1, 1, Duration::ZERO, now));
        assert!(t.deadline().is_some());
        let before = t.stats(None, true).unwrap();
        assert_eq!(before.total.taps, 1);
        assert_eq!(t.deadline(), None);
        let saved = analytics::load(&dir).unwrap().unwrap();
        assert_eq!(saved.report(None).total.taps, 0);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
