//! Touch from outside the window: the TUIO fingers waiting for the UI thread, drained each pass and placed on the upright screen.

use std::sync::mpsc::Receiver;

use glam::DVec2;

use crate::scene::{FingerId, Phase};
use crate::tuio::{self, Touch};

/// At most this many TUIO events are applied in one pass, so a flood
/// cannot hold up the frame; the rest wait for the next pass.
const MAX_PER_PASS: usize = 1024;

/// The TUIO listener's channel, once one runs.
#[derive(Default)]
pub(super) struct TuioInbox {
    touches: Option<Receiver<Touch>>,
}

impl TuioInbox {
    /// Takes finger events from `touches` from now on.
    pub(super) fn attach(&mut self, touches: Receiver<Touch>) {
        self.touches = Some(touches);
    }

    /// The events waiting, at most [`MAX_PER_PASS`], as scene phases at
    /// positions on an upright screen of `window` pixels (TUIO's are
    /// normalised).
    pub(super) fn drain(&mut self, window: DVec2) -> Vec<(FingerId, Phase, DVec2)> {
        let Some(rx) = &self.touches else {
            return Vec::new();
        };
        rx.try_iter()
            .take(MAX_PER_PASS)
            .map(|t| {
                let phase = match t.phase {
                    tuio::Phase::Start => Phase::Start,
                    tuio::Phase::Move => Phase::Move,
                    tuio::Phase::End => Phase::End,
                    tuio::Phase::Cancel => Phase::Cancel,
                };
                (t.finger, phase, t.pos * window)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(finger: u64, phase: tuio::Phase, x: f64, y: f64) -> Touch {
        Touch {
            finger,
            phase,
            pos: DVec2::new(x, y),
        }
    }

    #[test]
    fn fingers_come_out_in_window_pixels_and_a_flood_waits_for_the_next_pass() {
        let mut inbox = TuioInbox::default();
        assert!(inbox.drain(DVec2::new(100.0, 50.0)).is_empty());
        let (tx, rx) = std::sync::mpsc::channel();
        inbox.attach(rx);
        tx.send(touch(7, tuio::Phase::Start, 0.5, 0.5)).unwrap();
        tx.send(touch(7, tuio::Phase::End, 1.0, 0.0)).unwrap();
        let got = inbox.drain(DVec2::new(100.0, 50.0));
        assert_eq!(
            got,
            vec![
                (7, Phase::Start, DVec2::new(50.0, 25.0)),
                (7, Phase::End, DVec2::new(100.0, 0.0)),
            ]
        );
        for i in 0..MAX_PER_PASS + 3 {
            tx.send(touch(i as u64, tuio::Phase::Move, 0.0, 0.0))
                .unwrap();
        }
        assert_eq!(inbox.drain(DVec2::ONE).len(), MAX_PER_PASS);
        assert_eq!(inbox.drain(DVec2::ONE).len(), 3);
    }
}
