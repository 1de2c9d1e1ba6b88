//! Inertia: the release velocity of a finger and the exponential glide that follows a throw.

use std::time::Duration;

use glam::DVec2;

/// How far back the release velocity looks. Older samples describe an earlier
/// part of the gesture, not the flick.
const VELOCITY_WINDOW: Duration = Duration::from_millis(100);

/// A glide ends once it is slower than this, in window pixels per second.
const STOP_SPEED: f64 = 5.0;

/// The last few positions of one finger, for its release velocity. A fixed
/// ring, so tracking a finger never allocates.
#[derive(Clone, Debug, Default)]
pub struct VelocityTracker {
    samples: [(Duration, DVec2); 8],
    len: usize,
    next: usize,
}

impl VelocityTracker {
    pub fn push(&mut self, t: Duration, pos: DVec2) {
        self.samples[self.next] = (t, pos);
        self.next = (self.next + 1) % self.samples.len();
        self.len = (self.len + 1).min(self.samples.len());
    }

    /// The average velocity over the last `VELOCITY_WINDOW` before `now`, in
    /// pixels per second. A finger that rested before lifting has none.
    pub fn velocity(&self, now: Duration) -> DVec2 {
        let newest = (self.next + self.samples.len() - 1) % self.samples.len();
        if self.len < 2 {
            return DVec2::ZERO;
        }
        let (t_new, p_new) = self.samples[newest];
        if now.saturating_sub(t_new) > VELOCITY_WINDOW {
            return DVec2::ZERO;
        }
        let mut oldest = None;
        for back in 1..self.len {
            let i = (newest + self.samples.len() - back) % self.samples.len();
            let (t, p) = self.samples[i];
            if now.saturating_sub(t) > VELOCITY_WINDOW {
                break;
            }
            oldest = Some((t, p));
        }
        match oldest {
            Some((t_old, p_old)) if t_new > t_old => {
                (p_new - p_old) / (t_new - t_old).as_secs_f64()
            }
            _ => DVec2::ZERO,
        }
    }
}

/// A glide in progress. Its position is a closed form of the elapsed time, so
/// the result does not depend on how often the app advances the clock.
#[derive(Clone, Debug, PartialEq)]
pub struct Inertia {
    velocity: DVec2,
    start: Duration,
    friction: f64,
    travelled: DVec2,
}

impl Inertia {
    pub fn new(velocity: DVec2, start: Duration, friction: f64) -> Self {
        Self {
            velocity,
            start,
            friction,
            travelled: DVec2::ZERO,
        }
    }

    /// Advances to `now`: returns the window translation since the last step
    /// and whether the glide goes on.
    pub fn step(&mut self, now: Duration) -> (DVec2, bool) {
        let elapsed = now.saturating_sub(self.start).as_secs_f64();
        let decay = (-self.friction * elapsed).exp();
        let total = self.velocity / self.friction * (1.0 - decay);
        let delta = total - self.travelled;
        self.travelled = total;
        (delta, self.velocity.length() * decay >= STOP_SPEED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(v: u64) -> Duration {
        Duration::from_millis(v)
    }

    #[test]
    fn velocity_of_a_steady_flick() {
        let mut v = VelocityTracker::default();
        for i in 0..10u32 {
            v.push(ms(u64::from(i) * 10), DVec2::new(f64::from(i) * 10.0, 0.0));
        }
        let vel = v.velocity(ms(90));
        assert!((vel.x - 1000.0).abs() < 1e-6, "{vel}");
    }

    #[test]
    fn a_finger_that_rested_has_no_velocity() {
        let mut v = VelocityTracker::default();
        v.push(ms(0), DVec2::ZERO);
        v.push(ms(10), DVec2::new(50.0, 0.0));
        assert_eq!(v.velocity(ms(500)), DVec2::ZERO);
    }

    #[test]
    fn glide_is_independent_of_step_size() {
        let mut coarse = Inertia::new(DVec2::new(800.0, -400.0), ms(0), 4.0);
        let mut fine = coarse.clone();
        let (a, _) = coarse.step(ms(300));
        let mut b = DVec2::ZERO;
        for i in 1..=300 {
            b += fine.step(ms(i)).0;
        }
        assert!(a.distance(b) < 1e-9);
        // The whole glide travels speed / friction.
        let (rest, going) = coarse.step(Duration::from_secs(60));
        assert!(!going);
        assert!((a + rest).distance(DVec2::new(200.0, -100.0)) < 1e-6);
    }
}
