//! `[kiosk]`: how the kiosk looks after its next customer (the idle reset to home), and the time zone its schedule reads the clock in.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::duration;

/// `[kiosk]`: behaviour between customers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KioskConfig {
    /// After this long with no touch, every widget glides home, videos go
    /// back to their poster and the back office's backdrop comes back.
    /// "0" turns it off.
    #[serde(with = "duration")]
    pub idle_reset: Duration,
    /// The IANA time zone the schedule reads the clock in, such as
    /// "Europe/Paris"; empty: the system's (`TZ`, else /etc/localtime).
    pub timezone: String,
}

impl Default for KioskConfig {
    fn default() -> Self {
        Self {
            idle_reset: Duration::from_secs(90),
            timezone: String::new(),
        }
    }
}
