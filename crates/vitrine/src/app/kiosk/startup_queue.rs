//! The startup queue, one owner: content from the demo, the command line or a restore, started one item at a time so it stacks in order, and the widgets it placed, which stay below pushed ones.

use std::collections::{HashSet, VecDeque};

use crate::app::load::request::Queued;
use crate::scene::WidgetId;

/// What the queue says when asked for its next item.
pub enum Next {
    /// An item is still loading: wait for it to settle.
    Busy,
    /// Start this one; the queue counts it as loading until it settles.
    Start(Box<Queued>),
    /// Nothing is left.
    Done,
}

/// Startup items waiting or loading, and the widgets they placed.
#[derive(Default)]
pub struct StartupQueue {
    waiting: VecDeque<Queued>,
    busy: bool,
    /// Widgets the queue placed (or is about to replace): they stay below
    /// pushed ones, and a push of the same name wins over them.
    placed: HashSet<WidgetId>,
}

impl StartupQueue {
    pub fn push(&mut self, item: Queued) {
        self.waiting.push_back(item);
    }

    /// Items not yet started.
    pub fn waiting(&self) -> usize {
        self.waiting.len()
    }

    /// Whether an item is loading or waiting.
    pub fn pending(&self) -> bool {
        self.busy || !self.waiting.is_empty()
    }

    pub fn next(&mut self) -> Next {
        if self.busy {
            return Next::Busy;
        }
        match self.waiting.pop_front() {
            Some(item) => {
                self.busy = true;
                Next::Start(Box::new(item))
            }
            None => Next::Done,
        }
    }

    /// The loading item settled (shown, failed or dropped); whether one was
    /// loading.
    pub fn settled(&mut self) -> bool {
        std::mem::replace(&mut self.busy, false)
    }

    /// Drops what has not started yet (a whole new desired state came).
    pub fn clear_waiting(&mut self) {
        self.waiting.clear();
    }

    /// `id` is startup content: it stays below pushed widgets.
    pub fn mark(&mut self, id: WidgetId) {
        self.placed.insert(id);
    }

    pub fn is_marked(&self, id: WidgetId) -> bool {
        self.placed.contains(&id)
    }

    /// `id` was pushed over, or removed: it is no longer startup content.
    pub fn unmark(&mut self, id: WidgetId) {
        self.placed.remove(&id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::load::request::Placement;

    fn html(name: &str) -> Queued {
        Queued::Html {
            name: name.into(),
            html: String::new(),
            base_url: None,
            viewport: None,
            placement: Placement::Default,
        }
    }

    #[test]
    fn one_item_at_a_time_in_order() {
        let mut q = StartupQueue::default();
        assert!(!q.pending());
        q.push(html("a"));
        q.push(html("b"));
        let name = |n: Next| match n {
            Next::Start(item) => match *item {
                Queued::Html { name, .. } => name,
                Queued::Load(_) => String::new(),
            },
            _ => String::new(),
        };
        assert_eq!(name(q.next()), "a");
        assert!(matches!(q.next(), Next::Busy));
        assert!(q.settled());
        assert!(!q.settled());
        assert_eq!(name(q.next()), "b");
        q.settled();
        assert!(matches!(q.next(), Next::Done));
        assert!(!q.pending());
    }
}
