//! How the loops pace themselves: when the screenshot is due and how long they may sleep.

use std::time::Duration;

use super::kiosk::Kiosk;
use super::options::RunOptions;

/// When the screenshot (if any) may be taken: late enough and nothing loading.
pub fn screenshot_due(kiosk: &Kiosk, opts: &RunOptions) -> bool {
    opts.screenshot.is_some() && kiosk.now() >= opts.after && kiosk.pending_loads() == 0
}

/// How long the loop may sleep before something is due. Animation frames
/// count only where frames are drawn as things change (`animate`).
pub fn sleep_budget(kiosk: &Kiosk, opts: &RunOptions, animate: bool) -> Option<Duration> {
    let now = kiosk.now();
    let mut budget: Option<Duration> = None;
    let mut limit = |d: Duration| budget = Some(budget.map_or(d, |b| b.min(d)));
    if animate && kiosk.is_animating(now) {
        limit(FRAME_INTERVAL);
    }
    if let Some(d) = kiosk.next_deadline() {
        limit(d.max(Duration::from_millis(1)));
    }
    if opts.screenshot.is_some() {
        limit(opts.after.saturating_sub(now).max(Duration::from_millis(1)));
    }
    if let Some(end) = opts.exit_after {
        limit(end.saturating_sub(now));
    }
    budget
}

/// The pace of animation frames when nothing else paces them.
const FRAME_INTERVAL: Duration = Duration::from_millis(16);
