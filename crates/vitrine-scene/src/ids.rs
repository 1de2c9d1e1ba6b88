//! The handles the scene hands out and carries: widget ids and content keys.

/// A stable handle to a widget. Ids are never reused for another widget: a slot
/// that is freed and filled again gets a new generation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct WidgetId {
    pub(crate) index: u32,
    pub(crate) generation: u32,
}

/// The key under which a renderer caches a widget's texture. The scene only
/// carries it through to the draw list; the app decides what it means.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContentKey(pub u64);
