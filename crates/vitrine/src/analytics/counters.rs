//! Touch analytics as plain data: per-widget counters fed by the scene's own gesture records and video events, kept in a bounded table with proof of play beside them, and the report `stats` answers with made from them.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::plays::Plays;
use crate::api::stats::{Counts, Report, WidgetCounts};
use crate::scene::GestureKind;

/// The counters the kiosk keeps.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Analytics {
    counting_since: f64,
    widgets: BTreeMap<String, Counts>,
    /// Counts of widgets dropped from the table to keep it bounded: still
    /// in the total.
    folded: Counts,
    /// Proof of play, per hour and item.
    #[serde(default)]
    plays: Plays,
    #[serde(skip)]
    max_widgets: usize,
    #[serde(skip)]
    dirty: bool,
}

impl Analytics {
    /// Empty counters from `now` (unix seconds), for at most `max_widgets`
    /// names.
    pub fn new(now: f64, max_widgets: usize) -> Self {
        Self {
            counting_since: now,
            widgets: BTreeMap::new(),
            folded: Counts::default(),
            plays: Plays::default(),
            max_widgets: max_widgets.max(1),
            dirty: false,
        }
    }

    /// Counters read back from disk, held to `max_widgets`.
    pub fn restored(mut self, max_widgets: usize) -> Self {
        self.max_widgets = max_widgets.max(1);
        self.dirty = false;
        self.fold_excess();
        self
    }

    fn entry(&mut self, name: &str) -> &mut Counts {
        self.dirty = true;
        if !self.widgets.contains_key(name) {
            // Room first, so the new name is never the one folded away.
            while self.widgets.len() >= self.max_widgets && self.fold_oldest() {}
        }
        self.widgets.entry(name.to_string()).or_default()
    }

    /// Folds the least recently touched widgets into the total until the
    /// table fits.
    fn fold_excess(&mut self) {
        while self.widgets.len() > self.max_widgets && self.fold_oldest() {}
    }

    /// Folds the least recently touched widget (one never touched first)
    /// into the total; false when the table is empty.
    fn fold_oldest(&mut self) -> bool {
        let oldest = self
            .widgets
            .iter()
            .min_by(|a, b| {
                let t = |c: &Counts| c.last_touch.unwrap_or(f64::NEG_INFINITY);
                t(a.1).total_cmp(&t(b.1))
            })
            .map(|(n, _)| n.clone());
        let Some(c) = oldest.and_then(|name| self.widgets.remove(&name)) else {
            return false;
        };
        self.folded.add(&c);
        true
    }

    /// An interaction with `name` ended at `now` (unix seconds).
    pub fn gesture(
        &mut self,
        name: &str,
        gesture: GestureKind,
        touches: u32,
        taps: u32,
        held: Duration,
        now: f64,
    ) {
        let c = self.entry(name);
        c.touches = c.touches.saturating_add(u64::from(touches));
        c.taps = c.taps.saturating_add(u64::from(taps));
        match gesture {
            GestureKind::Drag => c.drags = c.drags.saturating_add(1),
            GestureKind::Pinch | GestureKind::Rotate => c.pinches = c.pinches.saturating_add(1),
            GestureKind::Tap | GestureKind::Hold => {}
        }
        c.held_s += held.as_secs_f64();
        let began = now - held.as_secs_f64();
        c.first_touch = Some(c.first_touch.map_or(began, |f| f.min(began)));
        c.last_touch = Some(now);
    }

    /// The video `name` started playing.
    pub fn video_play(&mut self, name: &str) {
        let c = self.entry(name);
        c.video_plays = c.video_plays.saturating_add(1);
    }

    /// The video `name` played to its end.
    pub fn video_view(&mut self, name: &str) {
        let c = self.entry(name);
        c.video_views = c.video_views.saturating_add(1);
    }

    /// The counters; with `since` (unix seconds), only widgets touched at
    /// or after it.
    pub fn report(&self, since: Option<f64>) -> Report {
        let widgets: Vec<WidgetCounts> = self
            .widgets
            .iter()
            .filter(|(_, c)| since.is_none_or(|s| c.last_touch.is_some_and(|t| t >= s)))
            .map(|(name, counts)| WidgetCounts {
                name: name.clone(),
                counts: counts.clone(),
            })
            .collect();
        let mut total = if since.is_none() {
            self.folded.clone()
        } else {
            Counts::default()
        };
        for w in &widgets {
            total.add(&w.counts);
        }
        Report {
            counting_since: self.counting_since,
            widgets,
            total,
            plays: self.plays.rows(since),
        }
    }

    /// Starts counting again from `now`.
    pub fn reset(&mut self, now: f64) {
        self.widgets.clear();
        self.folded = Counts::default();
        self.plays.clear();
        self.counting_since = now;
        self.dirty = true;
    }

    /// Proof of play, to count into (it marks the counters changed).
    pub fn plays(&mut self) -> &mut Plays {
        self.dirty = true;
        &mut self.plays
    }

    /// Proof of play as counted.
    pub fn plays_ref(&self) -> &Plays {
        &self.plays
    }

    /// Whether anything changed since the last call.
    pub fn take_dirty(&mut self) -> bool {
        std::mem::replace(&mut self.dirty, false)
    }

    pub fn is_dirty(&self) -> bool {
        self.dirty
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_add_up_per_widget_and_in_total() {
        let mut a = Analytics::new(100.0, 10);
        let s = Duration::from_millis;
        a.gesture("pic", GestureKind::Tap, 1, 1, s(100), 200.0);
        a.gesture("pic", GestureKind::Tap, 1, 1, s(100), 201.0);
        a.gesture("pic", GestureKind::Drag, 1, 0, s(800), 203.0);
        a.gesture("pic", GestureKind::Pinch, 2, 0, s(1500), 206.0);
        a.gesture("clip", GestureKind::Tap, 1, 1, s(50), 210.0);
        a.video_play("clip");
        a.video_view("clip");
        let r = a.report(None);
        let pic = &r.widgets.iter().find(|w| w.name == "pic").unwrap().counts;
        assert_eq!(
            (pic.touches, pic.taps, pic.drags, pic.pinches),
            (5, 2, 1, 1)
        );
        assert!((pic.held_s - 2.5).abs() < 1e-9);
        assert_eq!(pic.first_touch, Some(199.9));
        assert_eq!(pic.last_touch, Some(206.0));
        assert_eq!(
            (
                r.total.touches,
                r.total.taps,
                r.total.video_plays,
                r.total.video_views
            ),
            (6, 3, 1, 1)
        );
        let since = a.report(Some(207.0));
        assert_eq!(since.widgets.len(), 1);
        assert_eq!(since.total.touches, 1);
        a.reset(300.0);
        assert!(a.report(None).widgets.is_empty());
        assert_eq!(a.report(None).counting_since, 300.0);
    }

    #[test]
    fn the_table_is_bounded_and_folded_counts_stay_in_the_total() {
        let mut a = Analytics::new(0.0, 3);
        for i in 0..10 {
            a.gesture(
                &format!("w{i}"),
                GestureKind::Tap,
                1,
                1,
                Duration::ZERO,
                f64::from(i),
            );
        }
        let r = a.report(None);
        let names: Vec<&str> = r.widgets.iter().map(|w| w.name.as_str()).collect();
        assert_eq!(names, ["w7", "w8", "w9"]);
        assert_eq!(r.total.taps, 10);
        let back: Analytics = serde_json::from_str(&serde_json::to_string(&a).unwrap()).unwrap();
        assert_eq!(back.restored(2).report(None).widgets.len(), 2);
    }
}
