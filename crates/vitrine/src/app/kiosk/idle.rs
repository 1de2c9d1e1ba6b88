//! The idle clock, one owner: when a finger last moved, whether the screen is back home since, and when `kiosk.idle_reset` falls due.

use std::time::Duration;

/// When the kiosk was last used, on its own clock.
pub struct IdleClock {
    /// `kiosk.idle_reset`; zero: never.
    after: Duration,
    last_touch: Duration,
    /// Nothing has moved since the last reset (or the start).
    at_home: bool,
}

impl IdleClock {
    pub fn new(after: Duration) -> Self {
        Self {
            after,
            last_touch: Duration::ZERO,
            at_home: true,
        }
    }

    /// A finger moved at `now`: the kiosk is in use.
    pub fn touched(&mut self, now: Duration) {
        self.last_touch = now;
        self.at_home = false;
    }

    /// The screen went back home.
    pub fn went_home(&mut self) {
        self.at_home = true;
    }

    /// Whether nothing has moved since the last reset (or the start).
    pub fn is_home(&self) -> bool {
        self.at_home
    }

    /// When a finger last moved.
    pub fn last_touch(&self) -> Duration {
        self.last_touch
    }

    /// How long until the reset is due at `now`; `None` when none will be
    /// (off, already home, or `fingers` still rest on the screen: the clock
    /// starts when the last one lifts).
    pub fn deadline(&self, now: Duration, fingers: usize) -> Option<Duration> {
        if self.after.is_zero() || self.at_home || fingers > 0 {
            return None;
        }
        Some((self.last_touch + self.after).saturating_sub(now))
    }

    /// Whether the reset is due at `now`.
    pub fn due(&self, now: Duration, fingers: usize) -> bool {
        self.deadline(now, fingers).is_some_and(|d| d.is_zero())
    }

    /// `kiosk.idle_reset`.
    pub fn after(&self) -> Duration {
        self.after
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_only_after_a_touch_with_no_finger_left_and_not_when_off() {
        let s = Duration::from_secs;
        let mut c = IdleClock::new(s(30));
        assert!(!c.due(s(100), 0), "home at the start");
        c.touched(s(10));
        assert_eq!(c.deadline(s(20), 0), Some(s(20)));
        assert!(!c.due(s(39), 0));
        assert!(c.due(s(40), 0));
        assert!(!c.due(s(40), 1), "a resting finger is not idle");
        c.went_home();
        assert!(!c.due(s(100), 0));
        let mut off = IdleClock::new(Duration::ZERO);
        off.touched(s(1));
        assert_eq!(off.deadline(s(100), 0), None);
    }
}
