//! The doctor's screen power check: which switch a kiosk started here would use (`display.method`), found the way the kiosk finds it.

use crate::app::power;
use crate::config::Config;

use super::report::Check;

/// The switch, or why only a black frame is left; none when headless.
pub fn power(config: &Config, headless: bool) -> Option<Check> {
    if headless {
        return None;
    }
    let d = &config.display;
    Some(match power::choose(d) {
        Some(switch) => Check::ok(
            "power",
            format!(
                "{} (display.method = {:?}): `display off` turns the screen itself off",
                switch.name(),
                d.method.as_str()
            ),
        ),
        None => Check::warn(
            "power",
            format!(
                "black-frame (display.method = {:?}): `display off` shows black and the panel stays lit; \
                 no compositor output power, no X DPMS, no CEC adapter at {}",
                d.method.as_str(),
                d.cec_device.display()
            ),
            "for a TV, connect its CEC adapter and install v4l-utils (cec-ctl); under X11, a server with DPMS",
        ),
    })
}
