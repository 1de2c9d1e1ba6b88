//! The screen's power: on, or off with one black frame and no more drawing, playing videos paused until it comes back, a touch that only wakes it, an idle timer that turns it off, kept in the state folder so that a restart while off stays off; and the switch that tells the screen itself.

use std::time::Duration;

use super::Kiosk;
use super::power_state::{FILE, Kept, MAX_WAKING};
use crate::api::{BLACK_FRAME, CallReply, CallResult, DisplayView};
use crate::app::power::PowerSwitch;
use crate::outcome::{FailureKind, LoadFailure};
use crate::scene::{Kind, Phase, VideoRequest};

impl Kiosk {
    /// Attaches the screen's own switch, and tells it the present power.
    pub fn set_power_switch(&mut self, mut switch: Box<dyn PowerSwitch>) {
        if self.power.off
            && let Err(e) = switch.set(false)
        {
            tracing::warn!(%e, method = switch.name(), "cannot turn the screen off");
        }
        tracing::info!(method = switch.name(), "screen power switch");
        self.power.switch = Some(switch);
    }

    /// How the screen is switched.
    pub fn power_method(&self) -> &'static str {
        self.power.switch.as_ref().map_or(BLACK_FRAME, |s| s.name())
    }

    /// The screen's power, as `ping` reports it.
    pub(super) fn display_view(&self) -> DisplayView {
        DisplayView {
            on: !self.power.off,
            method: self.power_method(),
        }
    }

    /// Whether the screen is off (one black frame, then nothing drawn).
    pub fn is_dark(&self) -> bool {
        self.power.off
    }

    /// `display`: switches and keeps the power when asked, and says how it
    /// is. The power is kept on disk before the reply: a SUCCESS holds
    /// after a crash.
    pub(super) fn display_call(&mut self, on: Option<bool>) -> CallResult {
        if let Some(on) = on {
            self.keep_power(on)?;
            self.switch_power(on, "remote");
        }
        Ok(CallReply::Display {
            on: !self.power.off,
            method: self.power_method(),
        })
    }

    /// Writes the power to the state folder, when state is kept.
    fn keep_power(&self, on: bool) -> Result<(), LoadFailure> {
        if let Some(why) = &self.keeper.broken {
            return Err(LoadFailure::new(FailureKind::Failed, why.clone()));
        }
        let Some(dir) = self.keeper.store.as_ref().map(|s| s.dir().to_path_buf()) else {
            return Ok(());
        };
        let kept = Kept {
            power: if on { "on" } else { "off" }.into(),
            schedule: self.plan.asked_display(),
        };
        serde_json::to_vec(&kept)
            .map_err(std::io::Error::other)
            .and_then(|bytes| crate::state::durable::replace(&dir, FILE, &bytes))
            .map_err(|e| {
                tracing::error!(%e, "the screen's power was not saved");
                LoadFailure::new(
                    FailureKind::Failed,
                    format!("cannot keep the screen's power: {e}"),
                )
            })
    }

    /// At start: off again when the kiosk was off when it stopped.
    pub(super) fn restore_power(&mut self) {
        let Some(dir) = self.keeper.store.as_ref().map(|s| s.dir().to_path_buf()) else {
            return;
        };
        let path = dir.join(FILE);
        // A few bytes; a larger file is not one of ours.
        if std::fs::metadata(&path).is_ok_and(|m| m.len() > 4096) {
            tracing::warn!(path = %path.display(), "display.json is too large; the screen stays on");
            return;
        }
        let Ok(bytes) = std::fs::read(&path) else {
            return;
        };
        match serde_json::from_slice::<Kept>(&bytes) {
            Ok(k) => {
                self.plan.restore_display(k.schedule);
                if k.power == "off" {
                    self.switch_power(false, "restart");
                }
            }
            Err(e) => tracing::warn!(%e, "display.json is not readable; the screen stays on"),
        }
    }

    /// The schedule asks the screen on or off (the same switch as
    /// `display`, kept across restarts the same way).
    pub(super) fn scheduled_power(&mut self, on: bool) {
        if let Err(e) = self.keep_power(on) {
            tracing::warn!(%e, on, "the schedule's power change is not kept");
        }
        self.switch_power(on, "schedule");
    }

    /// Turns the screen off or on; `cause` goes to the log.
    fn switch_power(&mut self, on: bool, cause: &'static str) {
        if self.power.off != on {
            return;
        }
        if on {
            self.power.off = false;
            for name in std::mem::take(&mut self.power.paused) {
                self.video(&name, VideoRequest::Play);
            }
        } else {
            self.power.paused = self
                .scene
                .front_to_back()
                .filter(|w| {
                    matches!(w.kind(), Kind::Video { control, .. } if control.state().name() == "playing")
                })
                .map(|w| w.name().to_string())
                .collect();
            for name in self.power.paused.clone() {
                self.video(&name, VideoRequest::Pause);
            }
            self.power.off = true;
        }
        self.power.repaint = true;
        let method = self.power_method();
        if let Some(switch) = self.power.switch.as_mut()
            && let Err(e) = switch.set(on)
        {
            tracing::warn!(%e, method, "cannot switch the screen; it shows a black frame instead");
        }
        tracing::info!(on, cause, method, "screen power");
    }

    /// Whether a finger event goes no further: every one while the screen
    /// is off, and those of a finger that woke it until it lifts. With
    /// `display.wake_on_touch`, a finger that goes down wakes the screen.
    pub(super) fn power_swallows(&mut self, id: u64, phase: Phase) -> bool {
        if self.power.off || !self.power.waking.is_empty() {
            // Someone is there: the idle clocks start over.
            self.power.last_change = self.now();
        }
        if let Some(i) = self.power.waking.iter().position(|f| *f == id) {
            if matches!(phase, Phase::End | Phase::Cancel) {
                self.power.waking.swap_remove(i);
            }
            return true;
        }
        if !self.power.off {
            return false;
        }
        if phase == Phase::Start && self.config.display.wake_on_touch {
            if let Err(e) = self.keep_power(true) {
                tracing::warn!(%e, "woken by a touch, but not kept");
            }
            self.switch_power(true, "touch");
            if self.power.waking.len() < MAX_WAKING {
                self.power.waking.push(id);
            }
        }
        true
    }

    /// A remote change: the screen is in use.
    pub(super) fn remote_change(&mut self) {
        self.power.last_change = self.now();
    }

    /// Turns the screen off after `display.off_after_idle` with no touch
    /// and no remote change.
    pub(super) fn power_off_when_idle(&mut self) {
        if let Some(left) = self.power_deadline()
            && left.is_zero()
        {
            if let Err(e) = self.keep_power(false) {
                tracing::warn!(%e, "idle, but the screen's power cannot be kept; it stays on");
                return;
            }
            self.switch_power(false, "idle");
        }
    }

    /// How long until the idle power-off is due, while one is pending.
    pub(super) fn power_deadline(&self) -> Option<Duration> {
        let after = self.config.display.off_after_idle;
        if after.is_zero() || self.power.off || self.scene.finger_count() > 0 {
            return None;
        }
        let last = self.idle.last_touch().max(self.power.last_change);
        Some((last + after).saturating_sub(self.now()))
    }

    /// Whether a frame is due because the power changed; taken once.
    pub(super) fn power_repaint(&mut self) -> bool {
        std::mem::take(&mut self.power.repaint)
    }
}
