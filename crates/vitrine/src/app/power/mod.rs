//! The screen's own power switch, chosen once the window is open: the compositor's output power, the X server's DPMS or HDMI-CEC, as `display.method` says (`auto`: the first the machine has, in that order); with none, a screen that is off only shows a black frame.

mod cec;
mod switch;
mod wayland;
mod x11;

pub use switch::PowerSwitch;

use crate::config::{DisplayConfig, PowerMethod};

/// The switch `config` asks for, if the machine has it. A method that is
/// named but missing is logged, and the screen then goes black instead.
pub fn choose(config: &DisplayConfig) -> Option<Box<dyn PowerSwitch>> {
    let wayland = || wayland::WaylandPower::connect().map(|s| Box::new(s) as Box<dyn PowerSwitch>);
    let dpms = || x11::DpmsPower::connect().map(|s| Box::new(s) as Box<dyn PowerSwitch>);
    let cec = || {
        cec::CecPower::connect(&config.cec_device, config.command_timeout)
            .map(|s| Box::new(s) as Box<dyn PowerSwitch>)
    };
    let chosen = match config.method {
        PowerMethod::Auto => wayland().or_else(dpms).or_else(cec),
        PowerMethod::Wayland => wayland(),
        PowerMethod::Dpms => dpms(),
        PowerMethod::Cec => cec(),
        PowerMethod::BlackFrame => return None,
    };
    if chosen.is_none() && config.method != PowerMethod::Auto {
        tracing::warn!(
            method = config.method.as_str(),
            cec_device = %config.cec_device.display(),
            "display.method names a switch this machine does not have; a screen that is off shows a black frame"
        );
    }
    chosen
}
