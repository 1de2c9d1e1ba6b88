//! Touch from outside the window: TUIO fingers, drained each pass and placed on the upright screen.

use std::sync::mpsc::Receiver;

use super::Kiosk;
use crate::scene::Phase;
use crate::tuio::{self, Touch};

/// At most this many TUIO events are applied in one pass, so a flood
/// cannot hold up the frame; the rest wait for the next pass.
const MAX_PER_PASS: usize = 1024;

impl Kiosk {
    /// Takes TUIO finger events from `touches` from now on.
    pub fn attach_tuio(&mut self, touches: Receiver<Touch>) {
        self.tuio = Some(touches);
    }

    /// Applies the TUIO events waiting. Positions are normalised to the
    /// upright (logical) screen. Returns whether any arrived.
    pub(super) fn drain_tuio(&mut self) -> bool {
        let Some(rx) = self.tuio.take() else {
            return false;
        };
        let window = self.scene.window_size();
        let mut any = false;
        for t in rx.try_iter().take(MAX_PER_PASS) {
            any = true;
            let phase = match t.phase {
                tuio::Phase::Start => Phase::Start,
                tuio::Phase::Move => Phase::Move,
                tuio::Phase::End => Phase::End,
                tuio::Phase::Cancel => Phase::Cancel,
            };
            self.touch(t.finger, phase, t.pos * window);
        }
        self.tuio = Some(rx);
        any
    }
}
