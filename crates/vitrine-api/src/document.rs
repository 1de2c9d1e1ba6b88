//! The desired-state document: its types, the operations that change it (each says whether it changed anything) and the checks a file must pass.

use serde::{Deserialize, Serialize};

use crate::gestures::Gestures;
use crate::protocol::bounds::{DEFAULT_MAX_NAME_BYTES, check_name, check_revision};

/// The document's `format` field, so a stray JSON file is never taken for
/// a state file.
pub const FORMAT: &str = "vitrine-state";
/// The layout version of the document.
pub const VERSION: u32 = 1;

/// The one desired-state document: what `state.json` holds, what
/// `getState` returns, what `setState` takes and what the fleet's retained
/// `desired` message carries, byte for byte the same shape.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// Always [`FORMAT`], so a stray JSON file is never taken for state.
    pub format: String,
    /// The layout version, [`VERSION`].
    pub version: u32,
    pub state: Desired,
}

impl Document {
    /// The document holding `state`.
    pub fn of(state: Desired) -> Self {
        Self {
            format: FORMAT.into(),
            version: VERSION,
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
        if self.version != VERSION {
            return Err(format!("layout version {} is not {VERSION}", self.version));
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
}

/// One widget the back office created.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Widget {
    pub name: String,
    pub source: Source,
    /// Where the widget rests, in window pixels.
    pub home: Home,
    /// Its gesture switches, pinning and fill; left out when the defaults.
    #[serde(default, skip_serializing_if = "Gestures::is_default")]
    pub gestures: Gestures,
}

/// Where a widget's content comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
pub enum Source {
    /// `fetchUrl`: a URL (`file://` included), its kind sniffed on load,
    /// and for a video the image URL shown until it first plays.
    Url {
        url: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        poster: Option<String>,
    },
    /// `postHtml`: a document, with the URL its relative links resolve
    /// against and its viewport in CSS pixels.
    Html {
        data: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        base_url: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        width: Option<u32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        height: Option<u32>,
    },
}

/// A widget's resting place: where its content's top-left corner sits, in
/// window pixels, its scale and its clockwise rotation (degrees) about that
/// corner. This is the widget's transform itself, so content that replaces
/// a widget keeps its home exactly as it keeps its place on screen.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Home {
    pub x: f64,
    pub y: f64,
    pub scale: f64,
    pub rotation: f64,
}

impl Home {
    /// Whether every number is finite and the scale positive: a document
    /// that says otherwise is not restored.
    pub fn is_valid(&self) -> bool {
        [self.x, self.y, self.scale, self.rotation]
            .iter()
            .all(|v| v.is_finite())
            && self.scale > 0.0
    }
}

/// The backdrop and the widgets above it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Backdrop {
    /// RGBA, straight alpha; `None` is the config's colour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<[f32; 4]>,
    /// The widgets above the backdrop, back to front: always the front-most
    /// widgets of [`Desired::widgets`], as on screen, where content that
    /// arrives or is raised later goes above the backdrop too.
    #[serde(default)]
    pub above: Vec<String>,
}

impl Desired {
    /// The widget called `name`.
    pub fn widget(&self, name: &str) -> Option<&Widget> {
        self.widgets.iter().find(|w| w.name == name)
    }

    /// Puts `widget` at the front (above the backdrop, as on screen),
    /// replacing any of the same name. A replaced widget keeps its home
    /// unless `keep_home` is false.
    pub fn put(&mut self, mut widget: Widget, keep_home: bool) -> bool {
        let name = widget.name.clone();
        let changed = match self.widgets.iter().position(|w| w.name == widget.name) {
            Some(i) => {
                let old = self.widgets.remove(i);
                if keep_home {
                    widget.home = old.home;
                }
                let unchanged = old == widget && i == self.widgets.len();
                self.widgets.push(widget);
                !unchanged
            }
            None => {
                self.widgets.push(widget);
                true
            }
        };
        self.lift(&name);
        changed
    }

    /// The widget `name`, now the front-most, is above the backdrop.
    fn lift(&mut self, name: &str) {
        if let Some(b) = &mut self.backdrop {
            b.above.retain(|n| n != name);
            b.above.push(name.to_string());
        }
    }

    /// Forgets the widget `name`, and takes it off the backdrop's list.
    pub fn remove(&mut self, name: &str) -> bool {
        let before = self.widgets.len();
        self.widgets.retain(|w| w.name != name);
        if let Some(b) = &mut self.backdrop {
            b.above.retain(|n| n != name);
        }
        self.widgets.len() != before
    }

    /// Brings the widget `name` to the front, above the backdrop.
    pub fn raise(&mut self, name: &str) -> bool {
        let Some(i) = self.widgets.iter().position(|w| w.name == name) else {
            return false;
        };
        let in_front = i + 1 == self.widgets.len();
        let over_backdrop = self
            .backdrop
            .as_ref()
            .is_none_or(|b| b.above.last().is_some_and(|n| n == name));
        if in_front && over_backdrop {
            return false;
        }
        let w = self.widgets.remove(i);
        self.widgets.push(w);
        self.lift(name);
        true
    }

    /// Shows (`Some`) or hides (`None`) the backdrop. As on screen, the
    /// backdrop goes on top and the widgets named above it are lifted over
    /// it in their present order; every other widget stays below.
    pub fn set_backdrop(&mut self, backdrop: Option<Backdrop>) -> bool {
        let names = |d: &Desired| d.widgets.iter().map(|w| w.name.clone()).collect::<Vec<_>>();
        let before = (names(self), self.backdrop.clone());
        match backdrop {
            None => self.backdrop = None,
            Some(Backdrop { color, above }) => {
                let (lifted, rest): (Vec<Widget>, Vec<Widget>) = std::mem::take(&mut self.widgets)
                    .into_iter()
                    .partition(|w| above.contains(&w.name));
                let above = lifted.iter().map(|w| w.name.clone()).collect();
                self.widgets = rest;
                self.widgets.extend(lifted);
                self.backdrop = Some(Backdrop { color, above });
            }
        }
        (names(self), self.backdrop.clone()) != before
    }

    /// Gives the widget `name` a new home.
    pub fn rehome(&mut self, name: &str, home: Home) -> bool {
        match self.widgets.iter_mut().find(|w| w.name == name) {
            Some(w) if w.home != home => {
                w.home = home;
                true
            }
            _ => false,
        }
    }

    /// Sets a widget's gesture switches.
    pub fn set_gestures(&mut self, name: &str, gestures: Gestures) -> bool {
        match self.widgets.iter_mut().find(|w| w.name == name) {
            Some(w) if w.gestures != gestures => {
                w.gestures = gestures;
                true
            }
            _ => false,
        }
    }

    /// Orders the widgets as `back_to_front` lists them (names it does not
    /// know stay behind, in their order), and sets the backdrop's `above`
    /// to the known names in `above`.
    pub fn reorder(&mut self, back_to_front: &[String], above: &[String]) -> bool {
        let names = |d: &Desired| d.widgets.iter().map(|w| w.name.clone()).collect::<Vec<_>>();
        let before = (names(self), self.backdrop.clone());
        let rank = |n: &str| back_to_front.iter().position(|m| m == n);
        // A stable sort: unknown names (rank None) sort first, in order.
        self.widgets.sort_by_key(|w| rank(&w.name));
        if let Some(b) = &mut self.backdrop {
            b.above = above
                .iter()
                .filter(|n| self.widgets.iter().any(|w| &w.name == *n))
                .cloned()
                .collect();
        }
        (names(self), self.backdrop.clone()) != before
    }

    /// Checks what a file cannot be trusted to hold, with names of the
    /// default bound: see [`Desired::check_within`].
    pub fn check(&self) -> Result<(), String> {
        self.check_within(DEFAULT_MAX_NAME_BYTES)
    }

    /// Checks what a file cannot be trusted to hold: a revision every JSON
    /// client can represent, unique names of the API's character set and at
    /// most `max_name_bytes`, and finite homes. The first problem found is
    /// returned; it never repeats a name that is not a valid one.
    pub fn check_within(&self, max_name_bytes: usize) -> Result<(), String> {
        check_revision(self.revision)?;
        let mut seen = std::collections::HashSet::new();
        for (i, w) in self.widgets.iter().enumerate() {
            check_name(&w.name, max_name_bytes).map_err(|e| format!("widget {i}'s name {e}"))?;
            if !seen.insert(w.name.as_str()) {
                return Err(format!("the widget {:?} appears twice", w.name));
            }
            if !w.home.is_valid() {
                return Err(format!("the widget {:?} has an invalid home", w.name));
            }
        }
        if let Some(b) = &self.backdrop {
            if let Some(c) = b.color
                && !c.iter().all(|x| (0.0..=1.0).contains(x))
            {
                return Err("the backdrop's color must be [r, g, b, a], each from 0 to 1".into());
            }
            for n in &b.above {
                check_name(n, max_name_bytes)
                    .map_err(|e| format!("a name in the backdrop's above {e}"))?;
            }
            if let Some(n) = b.above.iter().find(|n| !seen.contains(n.as_str())) {
                return Err(format!("the backdrop names {n:?}, which is not a widget"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
