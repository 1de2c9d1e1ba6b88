//! Mouse as touch: the left button is one finger; a right click pins a second finger, shown as a dot.
//!
//! This is for developing gestures at a desk. A click on a pinned dot lifts
//! that finger again.

use glam::DVec2;

use crate::scene::{FingerId, Phase};

/// The finger id the mouse uses; touch ids from the system stay far below it.
pub const MOUSE_FINGER: FingerId = 1 << 62;

/// How close a click must land to a pinned dot to remove it, in pixels.
pub const PIN_RADIUS: f64 = 14.0;

/// A finger event produced from the mouse.
pub type Emulated = (FingerId, Phase, DVec2);

/// Mouse state and the pinned fingers.
#[derive(Debug, Default)]
pub struct MouseEmulator {
    cursor: Option<DVec2>,
    left_down: bool,
    pinned: Vec<(FingerId, DVec2)>,
    next_pin: u64,
}

impl MouseEmulator {
    /// The cursor moved; while the left button is down, the finger follows.
    pub fn moved(&mut self, pos: DVec2) -> Option<Emulated> {
        self.cursor = Some(pos);
        self.left_down.then_some((MOUSE_FINGER, Phase::Move, pos))
    }

    /// The left button changed. A press on a pinned dot lifts that pin instead
    /// of starting a finger.
    pub fn left(&mut self, pressed: bool) -> Option<Emulated> {
        let pos = self.cursor?;
        if pressed {
            if let Some(i) = self
                .pinned
                .iter()
                .position(|(_, p)| p.distance(pos) <= PIN_RADIUS)
            {
                let (id, p) = self.pinned.remove(i);
                return Some((id, Phase::End, p));
            }
            if self.left_down {
                return None;
            }
            self.left_down = true;
            Some((MOUSE_FINGER, Phase::Start, pos))
        } else if self.left_down {
            self.left_down = false;
            Some((MOUSE_FINGER, Phase::End, pos))
        } else {
            None
        }
    }

    /// A right press pins a new finger where the cursor is.
    pub fn right(&mut self, pressed: bool) -> Option<Emulated> {
        let pos = self.cursor?;
        if !pressed {
            return None;
        }
        self.next_pin += 1;
        let id = MOUSE_FINGER + self.next_pin;
        self.pinned.push((id, pos));
        Some((id, Phase::Start, pos))
    }

    /// The cursor left the window: a held left button is cancelled, since its
    /// release may never arrive.
    pub fn left_window(&mut self) -> Option<Emulated> {
        let pos = self.cursor.take()?;
        if self.left_down {
            self.left_down = false;
            return Some((MOUSE_FINGER, Phase::Cancel, pos));
        }
        None
    }

    /// Where the pinned fingers are, to draw them as dots.
    pub fn pins(&self) -> impl Iterator<Item = DVec2> + '_ {
        self.pinned.iter().map(|(_, p)| *p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn left_drag_is_one_finger() {
        let mut m = MouseEmulator::default();
        assert_eq!(m.moved(DVec2::new(1.0, 1.0)), None);
        assert_eq!(
            m.left(true),
            Some((MOUSE_FINGER, Phase::Start, DVec2::new(1.0, 1.0)))
        );
        assert_eq!(
            m.moved(DVec2::new(5.0, 1.0)),
            Some((MOUSE_FINGER, Phase::Move, DVec2::new(5.0, 1.0)))
        );
        assert_eq!(
            m.left(false),
            Some((MOUSE_FINGER, Phase::End, DVec2::new(5.0, 1.0)))
        );
    }

    #[test]
    fn right_click_pins_and_a_click_on_the_dot_unpins() {
        let mut m = MouseEmulator::default();
        m.moved(DVec2::new(100.0, 100.0));
        let (pin, phase, _) = m.right(true).unwrap();
        assert_eq!(phase, Phase::Start);
        assert_eq!(m.pins().count(), 1);
        m.moved(DVec2::new(105.0, 103.0));
        assert_eq!(
            m.left(true),
            Some((pin, Phase::End, DVec2::new(100.0, 100.0)))
        );
        assert_eq!(m.pins().count(), 0);
        // The release after unpinning lifts nothing.
        assert_eq!(m.left(false), None);
    }

    #[test]
    fn leaving_the_window_cancels_the_drag() {
        let mut m = MouseEmulator::default();
        m.moved(DVec2::new(1.0, 1.0));
        m.left(true);
        assert_eq!(m.left_window().map(|e| e.1), Some(Phase::Cancel));
    }
}
