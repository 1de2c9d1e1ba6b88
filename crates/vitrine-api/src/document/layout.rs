//! One layout of the document: its widgets back to front and its backdrop, and the operations that change it, each saying whether it changed anything.

use serde::{Deserialize, Serialize};

use super::widget::{Backdrop, Home, Widget};
use crate::gestures::Gestures;

/// A set of widgets and a backdrop: the default layout, or one the
/// schedule picks.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layout {
    /// Back to front.
    #[serde(default)]
    pub widgets: Vec<Widget>,
    /// The backdrop, if it is shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backdrop: Option<Backdrop>,
}

/// A layout seen in place: the default one is two fields of the document.
#[derive(Clone, Copy, Debug)]
pub struct LayoutRef<'a> {
    pub widgets: &'a [Widget],
    pub backdrop: Option<&'a Backdrop>,
}

impl<'a> LayoutRef<'a> {
    /// The widget called `name`.
    pub fn widget(&self, name: &str) -> Option<&'a Widget> {
        self.widgets.iter().find(|w| w.name == name)
    }
}

impl Layout {
    /// The layout seen in place.
    pub fn as_ref(&self) -> LayoutRef<'_> {
        LayoutRef {
            widgets: &self.widgets,
            backdrop: self.backdrop.as_ref(),
        }
    }

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
        let names = |d: &Layout| d.widgets.iter().map(|w| w.name.clone()).collect::<Vec<_>>();
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
        let names = |d: &Layout| d.widgets.iter().map(|w| w.name.clone()).collect::<Vec<_>>();
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
}
