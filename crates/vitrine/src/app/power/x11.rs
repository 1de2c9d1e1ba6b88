//! The screen's power through the X server's DPMS, on an X connection of its own: found only where the server has the extension and the screen is capable (Xvfb has neither).

use x11rb::connection::{Connection as _, RequestConnection as _};
use x11rb::protocol::dpms::{self, ConnectionExt as _, DPMSMode};
use x11rb::rust_connection::RustConnection;

use super::switch::PowerSwitch;

/// DPMS on the display named by `DISPLAY`.
pub struct DpmsPower {
    conn: RustConnection,
}

impl DpmsPower {
    /// Connects and checks that the server can switch the screen: `None`
    /// without an X display, without the DPMS extension, or when the
    /// screen is not DPMS capable, each logged at debug.
    pub fn connect() -> Option<Self> {
        std::env::var_os("DISPLAY")?;
        let (conn, _) = x11rb::connect(None)
            .map_err(|e| tracing::debug!(%e, "no X connection for DPMS"))
            .ok()?;
        let present = conn
            .extension_information(dpms::X11_EXTENSION_NAME)
            .ok()
            .flatten()
            .is_some();
        if !present {
            tracing::debug!("the X server has no DPMS extension");
            return None;
        }
        let capable = conn
            .dpms_capable()
            .ok()
            .and_then(|c| c.reply().ok())
            .is_some_and(|r| r.capable);
        if !capable {
            tracing::debug!("the X screen is not DPMS capable");
            return None;
        }
        Some(Self { conn })
    }
}

impl PowerSwitch for DpmsPower {
    fn name(&self) -> &'static str {
        "dpms"
    }

    fn set(&mut self, on: bool) -> Result<(), String> {
        let level = if on { DPMSMode::ON } else { DPMSMode::OFF };
        // Forcing a level needs DPMS enabled; enabling it again is harmless.
        self.conn
            .dpms_enable()
            .map_err(|e| e.to_string())?
            .check()
            .map_err(|e| e.to_string())?;
        self.conn
            .dpms_force_level(level)
            .map_err(|e| e.to_string())?
            .check()
            .map_err(|e| e.to_string())?;
        self.conn.flush().map_err(|e| e.to_string())
    }
}
