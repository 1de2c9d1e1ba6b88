//! `[display]`: the screen's power: how the screen itself is switched, whether a touch wakes a screen that is off, and how long with no touch and no remote change before it goes off by itself.

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::duration;

/// How the screen itself is switched off and on. Whatever is chosen, a
/// screen that is off also shows one black frame and draws nothing more.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PowerMethod {
    /// The first that the machine has, in the order below.
    Auto,
    /// The compositor's output power (wlroots' `zwlr_output_power_manager_v1`).
    Wayland,
    /// The X server's DPMS.
    Dpms,
    /// HDMI-CEC through `cec-ctl`, for TVs that ignore DPMS.
    Cec,
    /// Only the black frame: the panel stays lit.
    BlackFrame,
}

impl PowerMethod {
    /// The name the config file uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Wayland => "wayland",
            Self::Dpms => "dpms",
            Self::Cec => "cec",
            Self::BlackFrame => "black-frame",
        }
    }
}

/// `[display]`: the screen's power.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DisplayConfig {
    /// A touch on a screen that is off turns it on; that touch only wakes
    /// it (nothing under it is moved or tapped). Without it, touches are
    /// ignored while the screen is off.
    pub wake_on_touch: bool,
    /// Turn the screen off after this long with no touch and no remote
    /// change; "0" never does.
    #[serde(with = "duration")]
    pub off_after_idle: Duration,
    /// How the screen itself is switched.
    pub method: PowerMethod,
    /// The CEC adapter `cec-ctl` talks through.
    pub cec_device: PathBuf,
    /// The longest one `cec-ctl` run may take before it is stopped (the
    /// CEC bus is slow, and a TV that does not answer must not hold the
    /// switch for ever).
    #[serde(with = "duration")]
    pub command_timeout: Duration,
}

impl Default for DisplayConfig {
    fn default() -> Self {
        Self {
            wake_on_touch: true,
            off_after_idle: Duration::ZERO,
            method: PowerMethod::Auto,
            cec_device: PathBuf::from("/dev/cec0"),
            command_timeout: Duration::from_secs(5),
        }
    }
}

impl DisplayConfig {
    /// Checks the values, naming the first bad key.
    pub fn validate(&self) -> Result<(), (&'static str, &'static str)> {
        if self.command_timeout.is_zero() || self.command_timeout > Duration::from_secs(60) {
            return Err((
                "command_timeout",
                "must be more than 0 and at most 60 seconds",
            ));
        }
        if self.cec_device.as_os_str().is_empty() {
            return Err(("cec_device", "must name a device, such as /dev/cec0"));
        }
        Ok(())
    }
}
