//! Proof of play on the kiosk: what is on screen at each pass (widget, content, item, screen fraction), its time counted into the hour of the shop's clock, a show counted when it comes on, and a `played` event when it goes.

use std::collections::HashMap;
use std::time::Duration;

use super::Kiosk;
use super::showings::Showing;
use crate::analytics::{At, PlayBounds};
use crate::events::{DayTotal, SUMMARY_ITEMS};
use crate::scene::{Kind, WidgetId, screen_fraction};

/// The longest time counted without looking at the screen again (its
/// fractions, a widget dragged about): passes come every frame.
const SCAN: f64 = 0.25;

/// One change to proof of play, gathered while the scene is read.
enum Count {
    Shown(String),
    Visible(String, f64, f64),
}

impl Kiosk {
    /// The item a widget shows, as proof of play names it: its URL,
    /// `html:<name>` for a posted card (`html:<name>#<n>` for a playlist's
    /// card `n`); `None` for an error card.
    fn item_of(&self, id: WidgetId) -> Option<String> {
        let w = self.scene.get(id)?;
        if matches!(w.kind(), Kind::ErrorCard) {
            return None;
        }
        Some(match self.widgets.get(id).and_then(|e| e.url.clone()) {
            Some(url) => url,
            // A playlist's cards by their place in the list.
            None => match self.playlists.get(w.name()) {
                Some(r) if r.items.get(r.current).is_some_and(|i| i.html.is_some()) => {
                    format!("html:{}#{}", w.name(), r.current)
                }
                _ => format!("html:{}", w.name()),
            },
        })
    }

    /// Counts the time since the last pass to what was on screen and is
    /// still there, a show for what came on, and a `played` event for what
    /// went. Called before and after each pass changes the screen, so time
    /// goes to what was really on.
    pub(super) fn account(&mut self) {
        let now = self.now();
        let dt = self
            .showings
            .last
            .replace(now)
            .map_or(0.0, |l| now.saturating_sub(l).as_secs_f64());
        if !self.telemetry.is_counting() {
            return;
        }
        // Passes come every frame: while the screen shows the same content
        // its time only adds up, and the screen is looked at again when it
        // changes or every SCAN.
        let screen = self.screen_signature();
        let pending = self.showings.pending + dt;
        if self.showings.signature == Some(screen) && pending < SCAN {
            self.showings.pending = pending;
            return;
        }
        self.showings.signature = Some(screen);
        self.showings.pending = 0.0;
        self.count_showings(pending);
        self.summarize_day();
    }

    /// What is on screen, cheaply: the widgets and their content, and
    /// whether the screen is dark.
    fn screen_signature(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.is_dark().hash(&mut h);
        for w in self.scene.front_to_back() {
            (w.id(), w.content()).hash(&mut h);
        }
        h.finish()
    }

    fn count_showings(&mut self, dt: f64) {
        let window = self.scene.window_size();
        let mut seen: Vec<((WidgetId, String), String, f64)> = Vec::new();
        if !self.is_dark() {
            for w in self.scene.front_to_back() {
                if let Some(item) = self.item_of(w.id()) {
                    let fraction = screen_fraction(w.corners(), window);
                    seen.push(((w.id(), item), w.name().to_string(), fraction));
                }
            }
        }
        // Time since the last pass goes to its hour up to the hour's end,
        // the rest to the hour it is now.
        let previous = self.showings.hour.clone();
        let wall = self.plan.now();
        let hour = self.showings.hour_at(wall, self.plan.zone()).clone();
        let (before, after) = match &previous {
            Some(p) if *p != hour => {
                let into = Duration::try_from(wall.duration_since(hour.start))
                    .map_or(0.0, |d| d.as_secs_f64());
                let after = dt.min(into);
                (dt - after, after)
            }
            _ => (0.0, dt),
        };
        let mut counts = Vec::new();
        let mut gone: HashMap<_, _> = std::mem::take(&mut self.showings.on);
        for (key, name, fraction) in seen {
            let item = key.1.clone();
            match gone.remove(&key) {
                Some(mut s) => {
                    s.seconds += dt;
                    s.max_fraction = s.max_fraction.max(fraction);
                    if before > 0.0 {
                        counts.push((true, Count::Visible(item.clone(), before, fraction)));
                    }
                    counts.push((false, Count::Visible(item, after, fraction)));
                    self.showings.on.insert(key, s);
                }
                None => {
                    counts.push((false, Count::Shown(item.clone())));
                    counts.push((false, Count::Visible(item.clone(), 0.0, fraction)));
                    let s = Showing {
                        name,
                        item,
                        seconds: 0.0,
                        max_fraction: fraction,
                    };
                    self.showings.on.insert(key, s);
                }
            }
        }
        for (_, mut s) in gone {
            // It was on screen until this pass.
            s.seconds += dt;
            if before > 0.0 {
                counts.push((true, Count::Visible(s.item.clone(), before, 0.0)));
            }
            counts.push((false, Count::Visible(s.item.clone(), after, 0.0)));
            self.tell(crate::events::Event::Played {
                name: s.name,
                item: s.item,
                seconds: (s.seconds * 1000.0).round() / 1000.0,
                max_fraction: (s.max_fraction * 1000.0).round() / 1000.0,
            });
        }
        if counts.is_empty()
            || (dt == 0.0 && counts.iter().all(|(_, c)| matches!(c, Count::Visible(..))))
        {
            return;
        }
        let bounds = self.play_bounds();
        self.telemetry.count(|c, _| {
            let plays = c.plays();
            for (earlier, count) in &counts {
                let h = match (&previous, earlier) {
                    (Some(p), true) => p,
                    _ => &hour,
                };
                let at = |item| At {
                    hour: h.start.as_second(),
                    label: &h.label,
                    item,
                };
                match count {
                    Count::Shown(item) => plays.shown(at(item), bounds),
                    Count::Visible(item, s, f) => plays.visible(at(item), bounds, *s, *f),
                }
            }
        });
    }

    /// Once the shop's clock passes midnight, tells the day before's proof
    /// of play per item (a `summary` event, kept retained by the fleet).
    fn summarize_day(&mut self) {
        let zone = self.plan.zone().clone();
        let today = self.plan.now().to_zoned(zone.clone()).date();
        let Some(day) = self.showings.day.replace(today).filter(|d| *d != today) else {
            return;
        };
        let Some((from, to)) = crate::plan::day_bounds(&zone, day) else {
            return;
        };
        let Some(totals) = self
            .telemetry
            .read(|c| c.plays_ref().totals(from.as_second(), to.as_second()))
        else {
            return;
        };
        let items_total = totals.len();
        let mut items: Vec<DayTotal> = totals
            .into_iter()
            .map(|(item, counts)| DayTotal { item, counts })
            .collect();
        items.sort_by(|a, b| b.counts.seconds.total_cmp(&a.counts.seconds));
        items.truncate(SUMMARY_ITEMS);
        self.tell(crate::events::Event::Summary {
            date: day.to_string(),
            timezone: zone.iana_name().unwrap_or("local").to_string(),
            items,
            items_total,
        });
    }

    fn play_bounds(&self) -> PlayBounds {
        PlayBounds {
            hours: self.config.analytics.play_hours,
            items: self.config.analytics.max_items,
        }
    }

    /// The video of widget `id` played to its end: counted for its item.
    pub(super) fn played_to_end(&mut self, id: WidgetId) {
        let Some(item) = self.item_of(id) else { return };
        let hour = self
            .showings
            .hour_at(self.plan.now(), self.plan.zone())
            .clone();
        let bounds = self.play_bounds();
        let at = At {
            hour: hour.start.as_second(),
            label: &hour.label,
            item: &item,
        };
        self.telemetry
            .count_lazily(|c| c.plays().played_to_end(at, bounds));
    }

    /// How long until proof of play must be counted again.
    pub(super) fn proof_deadline(&self) -> Option<Duration> {
        self.showings
            .deadline(self.config.analytics.save_interval, self.plan.now())
    }
}
