//! The screen's own power switch, as the kiosk sees it: something that turns the screen itself off and on. Without one the screen shows a black frame.

/// Turns the screen itself off and on.
pub trait PowerSwitch {
    /// How it is named in `display`'s reply.
    fn name(&self) -> &'static str;
    fn set(&mut self, on: bool) -> Result<(), String>;
}
