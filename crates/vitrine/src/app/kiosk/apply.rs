//! Bringing the screen to a layout of the desired state: `setState` (a whole document, applied only when its revision is newer) and the schedule's changes of layout and of the screen's power. Widgets that stay glide to their new home, new or changed content loads at its home, gone widgets leave, and the order and backdrop follow once everything has loaded.

use super::Kiosk;
use super::keeper::transform_at;
use super::layout::GLIDE;
use crate::api::{CallReply, CallResult};
use crate::app::translate;
use crate::outcome::{FailureKind, LoadFailure};
use crate::plan::DisplayPower;
use crate::state::{Desired, Layout, Widget};

impl Kiosk {
    /// Applies `doc` when its revision is newer than the kiosk's. It is
    /// saved first, so the `SUCCESS` that says it was applied is kept
    /// across a crash; a failed save changes nothing on screen.
    pub(super) fn set_state(&mut self, doc: Desired) -> CallResult {
        let current = self.revision();
        // The parsers refuse it already; a revision past what JSON clients
        // represent must never be stored, whatever path it came by.
        if let Err(why) = doc.check_within(self.config.remote.max_name_bytes) {
            return Err(LoadFailure::new(FailureKind::Invalid, why));
        }
        if doc.revision <= current {
            return Ok(CallReply::Applied {
                applied: false,
                revision: current,
            });
        }
        if let Some(why) = self.beyond_bounds(&doc) {
            return Err(LoadFailure::new(FailureKind::Limit, why));
        }
        self.keeper.save(&doc).map_err(|why| {
            LoadFailure::new(
                FailureKind::Failed,
                format!("not applied: the state cannot be saved: {why}"),
            )
        })?;
        tracing::info!(
            from = current,
            to = doc.revision,
            widgets = doc.widgets.len(),
            layouts = doc.layouts.len(),
            "applying a desired state"
        );
        let old = self.keeper.screen().widgets.to_vec();
        let active = self.plan.verdict(&doc).layout;
        let moved = active != self.keeper.active;
        self.keeper.desired = doc;
        self.keeper.active = active;
        self.plan.settled();
        self.show_layout(&old, self.screen_now(), true);
        let revision = self.revision();
        self.tell(crate::events::Event::Revision { revision });
        if moved {
            self.tell_layout("state");
        }
        Ok(CallReply::Applied {
            applied: true,
            revision,
        })
    }

    /// What in `doc` passes this kiosk's bounds: widgets per layout
    /// (`content.max_widgets`), layouts and schedule entries (`[schedule]`).
    fn beyond_bounds(&self, doc: &Desired) -> Option<String> {
        let max = self.config.content.max_widgets;
        if doc.widgets.len() > max {
            return Some(format!(
                "the document has {} widgets, more than content.max_widgets ({max})",
                doc.widgets.len()
            ));
        }
        if let Some((name, l)) = doc.layouts.iter().find(|(_, l)| l.widgets.len() > max) {
            return Some(format!(
                "the layout {name:?} has {} widgets, more than content.max_widgets ({max})",
                l.widgets.len()
            ));
        }
        let most = self.config.playlist.max_items;
        let layouts =
            std::iter::once(doc.layout(None)).chain(doc.layouts.values().map(Layout::as_ref));
        for layout in layouts {
            for w in layout.widgets {
                if let crate::state::Source::Playlist { items, .. } = &w.source
                    && items.len() > most
                {
                    return Some(format!(
                        "the playlist {:?} has {} items, more than playlist.max_items ({most})",
                        w.name,
                        items.len()
                    ));
                }
            }
        }
        let bounds = &self.config.schedule;
        if doc.layouts.len() > bounds.max_layouts {
            return Some(format!(
                "the document has {} layouts, more than schedule.max_layouts ({})",
                doc.layouts.len(),
                bounds.max_layouts
            ));
        }
        if doc.schedule.entries.len() > bounds.max_entries {
            return Some(format!(
                "the schedule has {} entries, more than schedule.max_entries ({})",
                doc.schedule.entries.len(),
                bounds.max_entries
            ));
        }
        None
    }

    /// The layout on screen, as its own copy.
    fn screen_now(&self) -> Layout {
        let screen = self.keeper.screen();
        Layout {
            widgets: screen.widgets.to_vec(),
            backdrop: screen.backdrop.cloned(),
        }
    }

    /// Follows the schedule: the screen's power when what it asks changes,
    /// and its layout, unless a customer is at the screen (then the change
    /// waits until they leave, at most `schedule.max_defer`).
    pub(super) fn follow_schedule(&mut self) {
        let verdict = self.plan.verdict(&self.keeper.desired);
        self.plan.next_change(&self.keeper.desired);
        if let Some(asked) = self.plan.display_change(verdict.display) {
            self.scheduled_power(asked != Some(DisplayPower::Off));
        }
        if self.keeper.attract.on {
            // The attract loop stays; the layout it gives way to follows.
            self.keeper.active = verdict.layout;
            self.plan.settled();
            return;
        }
        if verdict.layout == self.keeper.active {
            self.plan.settled();
            return;
        }
        let now = self.now();
        let gap = match self.idle.after() {
            d if d.is_zero() => super::day_plan::SESSION_GAP,
            d => d,
        };
        let busy = self.scene.finger_count() > 0
            || (!self.idle.is_home() && now.saturating_sub(self.idle.last_touch()) < gap);
        if self.plan.waits(busy, now, self.config.schedule.max_defer) {
            return;
        }
        tracing::info!(from = ?self.keeper.active, to = ?verdict.layout, "the schedule changes the layout");
        let old = self.keeper.screen().widgets.to_vec();
        self.keeper.active = verdict.layout;
        self.show_layout(&old, self.screen_now(), false);
        self.tell_layout("schedule");
    }

    fn tell_layout(&self, cause: &'static str) {
        self.tell(crate::events::Event::Layout {
            layout: self.keeper.showing().map(str::to_string),
            cause,
        });
    }

    /// After the idle reset: the document's attract layout, if it has one,
    /// runs until someone touches the screen.
    pub(super) fn enter_attract(&mut self) {
        let known = |d: &Desired| {
            d.attract
                .as_ref()
                .is_some_and(|a| d.layouts.contains_key(a))
        };
        if self.keeper.attract.on || !known(&self.keeper.desired) {
            return;
        }
        let old = self.keeper.screen().widgets.to_vec();
        self.keeper.attract.on = true;
        self.show_layout(&old, self.screen_now(), false);
        self.tell_layout("attract");
    }

    /// The attract loop gives way to the layout the schedule shows
    /// (`cause`: `touch` or `remote`).
    pub(super) fn leave_attract(&mut self, cause: &'static str) {
        if !self.keeper.attract.on {
            return;
        }
        let old = self.keeper.screen().widgets.to_vec();
        self.keeper.attract.on = false;
        self.show_layout(&old, self.screen_now(), false);
        self.tell_layout(cause);
    }

    /// Whether a finger event goes no further because of the attract loop:
    /// the first touch only dismisses it (and counts as someone at the
    /// screen), and that finger is swallowed until it lifts.
    pub(super) fn attract_swallows(&mut self, id: u64, phase: crate::scene::Phase) -> bool {
        let (swallowed, dismiss) = self.keeper.attract.swallows(id, phase);
        if dismiss {
            self.idle.touched(self.now());
            self.leave_attract("touch");
        }
        swallowed
    }

    /// Brings the screen to `layout` (already the one on screen in the
    /// desired state), from `old`'s widgets. With `strays_first`, widgets it
    /// does not name leave at once (`setState`: the document is the whole
    /// layout); otherwise they leave once its new content has loaded, so a
    /// change of layout never shows a half-empty screen.
    fn show_layout(&mut self, old: &[Widget], layout: Layout, strays_first: bool) {
        // What an earlier restore or `setState` still had queued is
        // superseded. A load already running lands, and is removed once
        // the queue drains unless the layout names it.
        self.startup.clear_waiting();
        if strays_first {
            self.remove_strays();
        }
        // The document's backdrop comes back once its widgets are in their
        // order, with the widgets it names above it.
        let now = self.now();
        if self.scene.backdrop().is_shown() {
            self.scene.hide_backdrop(now);
            self.tell_backdrop();
        }
        self.keeper.backdrop = layout.backdrop.clone();
        for w in layout.widgets {
            let unchanged = old.iter().any(|o| o.name == w.name && o.source == w.source);
            match self.scene.id_of(&w.name).filter(|_| unchanged) {
                Some(id) => {
                    self.set_widget_gestures(id, translate::gestures_in(w.gestures), false);
                    match self.scene.glide_to(id, transform_at(&w.home), now, GLIDE) {
                        Ok(rest) => {
                            self.homes.insert(id, rest);
                        }
                        Err(e) => tracing::warn!(%e, name = %w.name, "a widget cannot glide home"),
                    }
                }
                None => {
                    // Content that replaces a widget on screen may take
                    // its place, as restored content may.
                    if let Some(id) = self.scene.id_of(&w.name) {
                        self.startup.mark(id);
                    }
                    self.queue_kept(w);
                }
            }
        }
        self.keeper.arrange = true;
        self.handle_effects();
        self.restore_backdrop();
    }
}
