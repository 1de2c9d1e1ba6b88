//! The kiosk's durable desired state: each change the back office makes is recorded and saved before its reply, the state is restored at start in its stored order, and content restored late never covers what was pushed since.

use super::Kiosk;
use super::keeper::Keeper;
use crate::api::protocol::bounds::MAX_REVISION;
use crate::app::load::request::{LoadRequest, Origin, Placement, Source};
use crate::app::translate;
use crate::outcome::{FailureKind, LoadFailure};
use crate::scene::WidgetId;
use crate::state::{self, Desired, Store};

/// The desired state is at the largest revision: no change can be
/// recorded, and the revision never wraps.
pub(super) fn at_max_revision() -> LoadFailure {
    LoadFailure::new(
        FailureKind::Limit,
        format!(
            "refused: the desired state is at revision {MAX_REVISION} (2^53-1), the largest there is, so no change can be recorded; \
             remove the kiosk's state file (and any retained desired state) to start again from revision 0"
        ),
    )
}

/// A change that shows but would not survive a restart.
fn not_saved(why: &dyn std::fmt::Display) -> LoadFailure {
    LoadFailure::new(
        FailureKind::Failed,
        format!("the change is on screen but was not saved, so a restart would lose it: {why}"),
    )
}

impl Kiosk {
    /// Keeps the desired state in `store` from now on, and restores
    /// `restored` (what the store held) onto the screen: widgets back to
    /// front at their homes, then the backdrop.
    pub fn keep_state(&mut self, store: Store, restored: Option<Desired>) {
        let dir = store.dir().join("cache");
        match crate::content::HttpCache::open(
            &dir,
            self.config.state.cache_max_bytes,
            self.config.state.cache_max_entries,
        ) {
            Ok(cache) => self.policy.attach_cache(cache),
            Err(e) => {
                tracing::warn!(dir = %dir.display(), %e, "no offline cache: content will not come back while its origin is unreachable");
            }
        }
        let desired = restored.unwrap_or_default();
        self.telemetry.restore(store.dir().to_path_buf());
        self.playlists.keep_in(store.dir());
        // The layout the schedule picks now, so a restart comes back to
        // what the time of day shows.
        let active = self.plan.verdict(&desired).layout;
        let screen = desired.layout(active.as_deref());
        let (widgets, backdrop) = (screen.widgets.to_vec(), screen.backdrop.cloned());
        self.keeper = Keeper {
            store: Some(store),
            broken: None,
            desired,
            active,
            attract: Default::default(),
            backdrop,
            arrange: false,
        };
        for w in widgets {
            self.queue_kept(w);
        }
        self.restore_backdrop();
        self.restore_power();
        self.settle();
    }

    /// Queues a widget of the desired state to load at its home, in order.
    pub(super) fn queue_kept(&mut self, w: state::Widget) {
        let placement = Placement::Home(w.home, translate::gestures_in(w.gestures));
        match w.source {
            state::Source::Url { url, poster } => self.queue(LoadRequest {
                name: w.name,
                source: Source::Url(url),
                placement,
                origin: Origin::Startup,
                viewport: None,
                poster: poster.map(Source::Url),
            }),
            state::Source::Html {
                data,
                base_url,
                width,
                height,
            } => {
                let viewport = self.viewport_of(width, height);
                self.queue_html(w.name, data, base_url, viewport, placement);
            }
            state::Source::Playlist { items, transition } => {
                self.queue_playlist(w.name, items, transition, placement);
            }
        }
    }

    /// State should be kept but cannot be (`why`): changes still show, and
    /// each answers that it was not saved.
    pub fn state_broken(&mut self, why: String) {
        self.keeper.broken = Some(why);
    }

    /// The viewport a `postHtml` asked for: `None` takes the config's.
    pub(super) fn viewport_of(
        &self,
        width: Option<u32>,
        height: Option<u32>,
    ) -> Option<(u32, u32)> {
        match (width, height) {
            (None, None) => None,
            (w, h) => Some((
                w.unwrap_or(self.config.html.viewport[0]),
                h.unwrap_or(self.config.html.viewport[1]),
            )),
        }
    }

    /// Shows the stored backdrop once every restored widget has loaded (it
    /// names widgets to raise above it).
    pub(super) fn restore_backdrop(&mut self) {
        if self.startup_pending() {
            return;
        }
        // After `setState`: only what the desired state names, in its
        // order, then its backdrop as it is now (content pushed while the
        // document loaded is in it, above the backdrop).
        if std::mem::take(&mut self.keeper.arrange) {
            self.remove_strays();
            self.kept_order();
            self.keeper.backdrop = None;
            if let Some(b) = self.keeper.screen().backdrop.cloned() {
                self.show_kept_backdrop(b, Vec::new());
            }
            return;
        }
        let Some(b) = self.keeper.backdrop.take() else {
            return;
        };
        // Every widget pushed since the start goes above it too: a restored
        // backdrop must not cover newer content.
        let pushed: Vec<String> = self
            .scene
            .back_to_front()
            .filter(|id| !self.startup.is_marked(*id))
            .filter_map(|id| self.scene.get(id).map(|w| w.name().to_string()))
            .collect();
        self.show_kept_backdrop(b, pushed);
    }

    /// Shows a backdrop of the desired state, with its widgets that are on
    /// screen above it, then `also` (names already listed count once).
    pub(super) fn show_kept_backdrop(&mut self, b: state::Backdrop, also: Vec<String>) {
        let mut above: Vec<String> = b
            .above
            .into_iter()
            .filter(|n| self.scene.id_of(n).is_some())
            .collect();
        for name in also {
            if !above.contains(&name) {
                above.push(name);
            }
        }
        let now = self.now();
        if let Err(e) = self
            .scene
            .show_backdrop(b.color.map(crate::scene::Rgba), &above, now)
        {
            tracing::error!(%e, "cannot show the kept backdrop");
            return;
        }
        self.handle_effects();
        self.tell_backdrop();
    }

    /// Removes every widget the desired state does not name: after
    /// `setState`, the document is the whole layout.
    pub(super) fn remove_strays(&mut self) {
        let strays: Vec<String> = self
            .scene
            .back_to_front()
            .filter_map(|id| self.scene.get(id).map(|w| w.name().to_string()))
            .filter(|n| self.keeper.screen().widget(n).is_none())
            .collect();
        for name in strays {
            self.remove(&name);
        }
    }

    /// The back office changed the backdrop: a restored one still waiting
    /// must not undo that.
    pub(super) fn forget_restored_backdrop(&mut self) {
        self.keeper.backdrop = None;
    }

    /// The revision of the desired state.
    pub fn revision(&self) -> u64 {
        self.keeper.revision()
    }

    /// Refuses a change before it shows when the revision is at its
    /// largest, so the screen never holds what the state cannot record.
    pub(super) fn can_record(&self) -> Result<(), LoadFailure> {
        if self.keeper.revision() >= MAX_REVISION {
            return Err(at_max_revision());
        }
        Ok(())
    }

    /// Applies `change` to the layout on screen and, when it changed anything,
    /// bumps the revision and saves it; the answer says whether it changed.
    /// The caller's `SUCCESS` waits for this: an error here means the screen
    /// changed but a restart would not keep it.
    pub(super) fn record(
        &mut self,
        change: impl FnOnce(&mut state::Layout) -> bool,
    ) -> Result<bool, LoadFailure> {
        let k = &mut self.keeper;
        // Checked before the change: at the largest revision nothing is
        // recorded, and the revision never wraps.
        let next = k
            .desired
            .revision
            .checked_add(1)
            .filter(|r| *r <= MAX_REVISION)
            .ok_or_else(at_max_revision)?;
        if !k.desired.edit_layout(k.active.as_deref(), change) {
            return Ok(false);
        }
        k.desired.revision = next;
        k.save(&k.desired).map_err(|why| not_saved(&why))?;
        let revision = k.desired.revision;
        self.tell(crate::events::Event::Revision { revision });
        Ok(true)
    }

    /// Content reached the screen: records it when the back office asked for
    /// it, answers the caller, and moves the startup queue on. Content that
    /// replaces a widget keeps its home, unless the request placed it.
    pub(super) fn shown(
        &mut self,
        name: &str,
        origin: &Origin,
        placement: &Placement,
        kind: &'static str,
    ) {
        if let Origin::Playlist(_) | Origin::Preview(_) = origin {
            // An item waiting for its turn, or a preview's: nothing shows.
            return;
        }
        self.tell_loaded(name, kind);
        let keep_home = !matches!(placement, Placement::Spec(_));
        let mut result = Ok(kind);
        if let Origin::Caller(..) = origin {
            self.way_backs.forget(name);
        }
        if let Origin::Caller(_, source) = origin
            && let Some(w) = self.scene.by_name(name)
        {
            let widget = state::Widget {
                name: name.to_string(),
                source: (**source).clone(),
                home: super::keeper::home_of(&w.transform()),
                gestures: translate::gestures_out(w.gestures()),
            };
            // A widget that fills the screen went to the back, not the front.
            let order = w.gestures().fills().then(|| self.order_names());
            let change = |d: &mut state::Layout| {
                let put = d.put(widget, keep_home);
                let moved = order.is_some_and(|(order, above)| d.reorder(&order, &above));
                put || moved
            };
            if let Err(f) = self.record(change) {
                result = Err(f);
            }
        }
        self.answer(origin, result);
        self.startup_settled(origin);
    }

    /// A widget placed by the startup queue (the demo, the command line or
    /// a restore) goes below every widget pushed since, so late content
    /// never covers newer content.
    pub(super) fn below_pushed(&mut self, id: WidgetId) {
        self.startup.mark(id);
        let lowest = self
            .scene
            .back_to_front()
            .find(|w| *w != id && !self.startup.is_marked(*w));
        if let Some(pushed) = lowest {
            let _ = self.scene.put_below(id, pushed);
        }
    }
}
