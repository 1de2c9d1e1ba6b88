//! The desired-state document: its format and versions, what it holds (the default layout, named layouts and the schedule that picks them), and the widget types of a layout.

use serde::{Deserialize, Serialize};

use std::collections::BTreeMap;

use vitrine_plan::Schedule;

use crate::gestures::Gestures;
use crate::protocol::bounds::DEFAULT_MAX_NAME_BYTES;

mod check;
mod layout;
pub mod playlist;
mod widget;

pub use layout::{Layout, LayoutRef};
pub use playlist::{Item, Transition};
pub use widget::{Backdrop, Home, Source, Widget};

/// The document's `format` field, so a stray JSON file is never taken for
/// a state file.
pub const FORMAT: &str = "vitrine-state";
/// The newest version of the document: 2 added named layouts, the
/// schedule, the attract loop and playlists. A document is written at the lowest version that holds it,
/// so a back office that knows only version 1 keeps reading what it wrote.
pub const VERSION: u32 = 2;

/// The one desired-state document: what `state.json` holds, what
/// `getState` returns, what `setState` takes and what the fleet's retained
/// `desired` message carries, byte for byte the same shape.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// Always [`FORMAT`], so a stray JSON file is never taken for state.
    pub format: String,
    /// 1, or [`VERSION`] when it has named layouts, a schedule, an attract
    /// loop or a playlist.
    pub version: u32,
    pub state: Desired,
}

impl Document {
    /// The document holding `state`.
    pub fn of(state: Desired) -> Self {
        Self {
            format: FORMAT.into(),
            version: state.version(),
            state,
        }
    }

    /// The state inside, once the format, version and contents pass
    /// [`Desired::check`] with names of the default bound; else the first
    /// problem found.
    pub fn into_checked(self) -> Result<Desired, String> {
        self.into_checked_within(DEFAULT_MAX_NAME_BYTES)
    }

    /// As [`Document::into_checked`], with names of at most
    /// `max_name_bytes` (`remote.max_name_bytes`).
    pub fn into_checked_within(self, max_name_bytes: usize) -> Result<Desired, String> {
        if self.format != FORMAT {
            return Err(format!("format is {:?}, not {FORMAT:?}", self.format));
        }
        if !(1..=VERSION).contains(&self.version) {
            return Err(format!(
                "layout version {} is not one this kiosk reads (1 to {VERSION})",
                self.version
            ));
        }
        if self.version < self.state.version() {
            return Err(format!(
                "named layouts, a schedule, an attract loop and playlists need layout version {VERSION}, not {}",
                self.version
            ));
        }
        self.state.check_within(max_name_bytes)?;
        Ok(self.state)
    }
}

/// Everything the kiosk should show.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Desired {
    /// Grows by one with every change, up to
    /// [`MAX_REVISION`](crate::protocol::bounds::MAX_REVISION);
    /// never wraps.
    pub revision: u64,
    /// Back to front.
    pub widgets: Vec<Widget>,
    /// The backdrop the back office showed, if it is shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backdrop: Option<Backdrop>,
    /// Named layouts the schedule can pick; `widgets` and `backdrop` above
    /// are the default layout, shown when no entry holds.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub layouts: BTreeMap<String, Layout>,
    /// When each named layout shows, and when the screen is off.
    #[serde(default, skip_serializing_if = "Schedule::is_empty")]
    pub schedule: Schedule,
    /// The named layout that runs after `kiosk.idle_reset` until someone
    /// touches the screen (the attract loop).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attract: Option<String>,
}

impl Desired {
    /// The lowest document version that holds this state.
    pub fn version(&self) -> u32 {
        if self.layouts.is_empty()
            && self.schedule.is_empty()
            && self.schedule.timezone.is_none()
            && self.attract.is_none()
            && !self.widgets.iter().any(|w| w.source.is_playlist())
        {
            1
        } else {
            VERSION
        }
    }

    /// The layout `name` (the default one for `None` or a name it does
    /// not have).
    pub fn layout(&self, name: Option<&str>) -> LayoutRef<'_> {
        match name.and_then(|n| self.layouts.get(n)) {
            Some(l) => l.as_ref(),
            None => LayoutRef {
                widgets: &self.widgets,
                backdrop: self.backdrop.as_ref(),
            },
        }
    }

    /// Applies `change` to the layout `name` (the default one for `None`
    /// or a name it does not have); what it answers.
    pub fn edit_layout<R>(
        &mut self,
        name: Option<&str>,
        change: impl FnOnce(&mut Layout) -> R,
    ) -> R {
        if let Some(l) = name.and_then(|n| self.layouts.get_mut(n)) {
            return change(l);
        }
        let mut home = Layout {
            widgets: std::mem::take(&mut self.widgets),
            backdrop: self.backdrop.take(),
        };
        let answer = change(&mut home);
        self.widgets = home.widgets;
        self.backdrop = home.backdrop;
        answer
    }

    /// The widget called `name` in the default layout.
    pub fn widget(&self, name: &str) -> Option<&Widget> {
        self.widgets.iter().find(|w| w.name == name)
    }

    /// [`Layout::put`] on the default layout.
    pub fn put(&mut self, widget: Widget, keep_home: bool) -> bool {
        self.edit_layout(None, |l| l.put(widget, keep_home))
    }

    /// [`Layout::remove`] on the default layout.
    pub fn remove(&mut self, name: &str) -> bool {
        self.edit_layout(None, |l| l.remove(name))
    }

    /// [`Layout::raise`] on the default layout.
    pub fn raise(&mut self, name: &str) -> bool {
        self.edit_layout(None, |l| l.raise(name))
    }

    /// [`Layout::set_backdrop`] on the default layout.
    pub fn set_backdrop(&mut self, backdrop: Option<Backdrop>) -> bool {
        self.edit_layout(None, |l| l.set_backdrop(backdrop))
    }

    /// [`Layout::rehome`] on the default layout.
    pub fn rehome(&mut self, name: &str, home: Home) -> bool {
        self.edit_layout(None, |l| l.rehome(name, home))
    }

    /// [`Layout::set_gestures`] on the default layout.
    pub fn set_gestures(&mut self, name: &str, gestures: Gestures) -> bool {
        self.edit_layout(None, |l| l.set_gestures(name, gestures))
    }

    /// [`Layout::reorder`] on the default layout.
    pub fn reorder(&mut self, back_to_front: &[String], above: &[String]) -> bool {
        self.edit_layout(None, |l| l.reorder(back_to_front, above))
    }
}

#[cfg(test)]
mod tests;
