//! The checks a document passes before it is kept: a revision every JSON client represents, names of the API's character set, unique within each layout, finite homes, backdrops that name their own widgets, layouts within their bound, and a schedule that names only layouts the document has.

use std::collections::HashSet;

use vitrine_plan::Limits;

use super::Desired;
use super::layout::LayoutRef;
use crate::protocol::bounds::{
    DEFAULT_MAX_NAME_BYTES, MAX_LAYOUTS, MAX_SCHEDULE_ENTRIES, check_name, check_revision,
};

impl Desired {
    /// Checks what a file cannot be trusted to hold, with names of the
    /// default bound: see [`Desired::check_within`].
    pub fn check(&self) -> Result<(), String> {
        self.check_within(DEFAULT_MAX_NAME_BYTES)
    }

    /// Checks what a file cannot be trusted to hold: a revision every JSON
    /// client can represent, unique names of the API's character set and at
    /// most `max_name_bytes` in each layout, finite homes, at most
    /// [`MAX_LAYOUTS`] layouts, and a schedule of at most
    /// [`MAX_SCHEDULE_ENTRIES`] entries that passes its own checks. The
    /// first problem found is returned; it never repeats a name that is not
    /// a valid one.
    pub fn check_within(&self, max_name_bytes: usize) -> Result<(), String> {
        check_revision(self.revision)?;
        check_layout(self.layout(None), max_name_bytes, "")?;
        if self.layouts.len() > MAX_LAYOUTS {
            return Err(format!(
                "the document has {} layouts, more than {MAX_LAYOUTS}",
                self.layouts.len()
            ));
        }
        for (name, layout) in &self.layouts {
            check_name(name, max_name_bytes).map_err(|e| format!("a layout's name {e}"))?;
            check_layout(
                layout.as_ref(),
                max_name_bytes,
                &format!("layout {name:?}: "),
            )?;
        }
        if let Some(name) = &self.attract
            && !self.layouts.contains_key(name)
        {
            check_name(name, max_name_bytes)
                .map_err(|e| format!("the attract layout's name {e}"))?;
            return Err(format!(
                "the attract loop names the layout {name:?}, which the document does not have"
            ));
        }
        let limits = Limits {
            max_entries: MAX_SCHEDULE_ENTRIES,
        };
        self.schedule
            .check(&limits, |n| self.layouts.contains_key(n))
            .map_err(|e| e.to_string())
    }
}

/// One layout's checks; `within` starts each message (empty for the
/// default layout, whose messages stay as version 1 wrote them).
fn check_layout(layout: LayoutRef<'_>, max_name_bytes: usize, within: &str) -> Result<(), String> {
    let mut seen = HashSet::new();
    for (i, w) in layout.widgets.iter().enumerate() {
        check_name(&w.name, max_name_bytes)
            .map_err(|e| format!("{within}widget {i}'s name {e}"))?;
        if !seen.insert(w.name.as_str()) {
            return Err(format!("{within}the widget {:?} appears twice", w.name));
        }
        if let super::Source::Playlist { items, .. } = &w.source {
            super::playlist::check_items(items)
                .map_err(|e| format!("{within}the widget {:?}: {e}", w.name))?;
        }
        if !w.home.is_valid() {
            return Err(format!(
                "{within}the widget {:?} has an invalid home",
                w.name
            ));
        }
    }
    if let Some(b) = layout.backdrop {
        if let Some(c) = b.color
            && !c.iter().all(|x| (0.0..=1.0).contains(x))
        {
            return Err(format!(
                "{within}the backdrop's color must be [r, g, b, a], each from 0 to 1"
            ));
        }
        for n in &b.above {
            check_name(n, max_name_bytes)
                .map_err(|e| format!("{within}a name in the backdrop's above {e}"))?;
        }
        if let Some(n) = b.above.iter().find(|n| !seen.contains(n.as_str())) {
            return Err(format!(
                "{within}the backdrop names {n:?}, which is not a widget"
            ));
        }
    }
    Ok(())
}
