//! The kiosk's clock: the real one, or one that starts at a chosen instant (`--clock`) and runs at real speed, for demos, for checking a schedule before it goes live, and for tests.

use jiff::{SignedDuration, Timestamp};

/// The kiosk's clock, as an offset from the real one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Clock {
    offset: SignedDuration,
}

impl Clock {
    /// The real clock.
    pub fn real() -> Self {
        Self::default()
    }

    /// A clock that reads `start` when the real one reads `real_now`.
    pub fn starting_at(start: Timestamp, real_now: Timestamp) -> Self {
        Self {
            offset: start.duration_since(real_now),
        }
    }

    /// Reads an RFC 3339 instant, such as `2027-03-28T01:59:50+01:00`.
    pub fn parse_instant(text: &str) -> Result<Timestamp, String> {
        text.parse::<Timestamp>().map_err(|e| {
            format!("{text:?} is not an RFC 3339 instant like \"2027-03-28T01:59:50+01:00\": {e}")
        })
    }

    /// The kiosk's time when the real clock reads `real_now`.
    pub fn at(&self, real_now: Timestamp) -> Timestamp {
        real_now
            .checked_add(self.offset)
            .unwrap_or(if self.offset.is_negative() {
                Timestamp::MIN
            } else {
                Timestamp::MAX
            })
    }

    /// The kiosk's time now.
    pub fn now(&self) -> Timestamp {
        self.at(Timestamp::now())
    }
}
