//! `[tuio]`: the TUIO 1.1 listener that takes touch from touch frames, tables and simulators.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::duration;

/// `[tuio]`: TUIO 1.1 `/tuio/2Dcur` over UDP.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TuioConfig {
    /// Listen for TUIO.
    pub enabled: bool,
    /// The address to listen on; "0.0.0.0" takes a tracker on another host.
    pub bind: String,
    /// The UDP port (TUIO's customary 3333); 0 picks a free one.
    pub port: u16,
    /// A source silent this long has its fingers cancelled, so none stays
    /// stuck on the screen.
    #[serde(with = "duration")]
    pub timeout: Duration,
    /// The most cursors one source may hold down; more are ignored.
    pub max_cursors: usize,
    /// The most sources at once; datagrams from more are ignored.
    pub max_sources: usize,
    /// The most sources one sender address may hold at once (a source is
    /// its sender's address and its name), so one host cannot take every
    /// source slot; datagrams for more are ignored.
    pub max_sources_per_address: usize,
}

impl Default for TuioConfig {
    fn default() -> Self {
        Self {
            enabled: false,
            bind: "127.0.0.1".into(),
            port: 3333,
            timeout: Duration::from_secs(1),
            max_cursors: 32,
            max_sources: 8,
            max_sources_per_address: 4,
        }
    }
}

impl TuioConfig {
    /// Checks the values, naming the first bad key.
    pub fn validate(&self) -> Result<(), (&'static str, &'static str)> {
        if self.timeout.is_zero() {
            return Err(("timeout", "must be more than 0"));
        }
        if self.max_cursors == 0 || self.max_sources == 0 {
            return Err((
                "max_cursors",
                "tuio.max_cursors and tuio.max_sources must be at least 1",
            ));
        }
        if self.max_sources_per_address == 0 {
            return Err(("max_sources_per_address", "must be at least 1"));
        }
        Ok(())
    }
}
