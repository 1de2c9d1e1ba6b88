//! The modal backdrop's look and fade: a dimming colour whose opacity is a function of injected time.

use std::time::Duration;

use super::color::Rgba;

/// The backdrop's fade. It is shown (and swallows touches) from the moment
/// `show` is called; the fade is only how it looks.
#[derive(Clone, Debug)]
pub struct Backdrop {
    color: Rgba,
    shown: bool,
    fade: Duration,
    /// When the last show or hide began, and the opacity at that moment, so a
    /// reversal half-way fades from where it was.
    changed_at: Duration,
    from: f32,
}

impl Backdrop {
    pub fn new(color: Rgba, fade: Duration) -> Self {
        Self {
            color,
            shown: false,
            fade,
            changed_at: Duration::ZERO,
            from: 0.0,
        }
    }

    pub fn is_shown(&self) -> bool {
        self.shown
    }

    pub fn color(&self) -> Rgba {
        self.color
    }

    pub fn show(&mut self, color: Option<Rgba>, now: Duration) {
        if let Some(c) = color {
            self.color = c;
        }
        self.set(true, now);
    }

    pub fn hide(&mut self, now: Duration) {
        self.set(false, now);
    }

    fn set(&mut self, shown: bool, now: Duration) {
        if self.shown == shown {
            return;
        }
        self.from = self.opacity(now);
        self.shown = shown;
        self.changed_at = now;
    }

    /// The fade factor at `now`, 0 (invisible) to 1 (full colour).
    pub fn opacity(&self, now: Duration) -> f32 {
        let target = if self.shown { 1.0 } else { 0.0 };
        if self.fade.is_zero() {
            return target;
        }
        let progress =
            (now.saturating_sub(self.changed_at).as_secs_f64() / self.fade.as_secs_f64()).min(1.0);
        self.from + (target - self.from) * progress as f32
    }

    /// Whether the fade is still under way at `now`.
    pub fn is_fading(&self, now: Duration) -> bool {
        let target = if self.shown { 1.0 } else { 0.0 };
        self.opacity(now) != target
    }

    /// The colour to draw at `now`, its alpha scaled by the fade.
    pub fn draw_color(&self, now: Duration) -> Rgba {
        let mut c = self.color.0;
        c[3] *= self.opacity(now);
        Rgba(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(v: u64) -> Duration {
        Duration::from_millis(v)
    }

    #[test]
    fn fades_in_and_out() {
        let mut b = Backdrop::new(Rgba::DIM, ms(200));
        assert_eq!(b.opacity(ms(0)), 0.0);
        b.show(None, ms(1000));
        assert!(b.is_shown());
        assert_eq!(b.opacity(ms(1100)), 0.5);
        assert_eq!(b.opacity(ms(1200)), 1.0);
        assert!(!b.is_fading(ms(1300)));
        assert!((b.draw_color(ms(1100)).0[3] - 0.3).abs() < 1e-6);
        b.hide(ms(2000));
        assert_eq!(b.opacity(ms(2050)), 0.75);
        assert_eq!(b.opacity(ms(2300)), 0.0);
    }

    #[test]
    fn a_reversal_fades_from_where_it_was() {
        let mut b = Backdrop::new(Rgba::DIM, ms(200));
        b.show(None, ms(0));
        b.hide(ms(100));
        assert_eq!(b.opacity(ms(100)), 0.5);
        assert_eq!(b.opacity(ms(200)), 0.25);
    }
}
