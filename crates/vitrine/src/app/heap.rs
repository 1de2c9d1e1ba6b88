//! The C heap of a long-running kiosk: a fixed large-allocation threshold at start and a trim after teardowns, so replaced pages and pictures give their memory back to the system.
//!
//! glibc raises its `mmap` threshold each time a large block is freed, up to
//! 32 MiB. After the first HTML card is painted, every later canvas of a few
//! MiB comes from a thread's arena instead of its own mapping, and an arena
//! that holds one small live block above a freed canvas cannot shrink: the
//! soak saw RSS creep this way. A fixed threshold keeps large blocks in their
//! own mappings, which `free` returns whole, and a trim after teardowns hands
//! back the free pages left inside the arenas. Other C libraries need none
//! of this, so the calls are compiled for glibc only.

use std::time::{Duration, Instant};

/// Blocks of at least this size get their own mapping. A quarter of a MiB is
/// far below a painted card or a decoded picture and far above the small
/// nodes, strings and glyph runs that make up most allocations.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD: libc::c_int = 256 * 1024;

/// The shortest time between two trims. A trim walks every arena, so a burst
/// of replacements is trimmed once, not once per widget.
pub const TRIM_INTERVAL: Duration = Duration::from_secs(5);

/// Fixes the large-block threshold. Called once, before the worker threads
/// start.
pub fn tune() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: `mallopt` only changes the allocator's parameters; glibc
        // documents it as safe to call at any time, from any thread.
        let ok = unsafe { libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD) };
        if ok != 1 {
            tracing::debug!("glibc refused the mmap threshold; keeping its default");
        }
    }
}

/// Returns free heap pages to the system, at most once per
/// [`TRIM_INTERVAL`]. `last` is the caller's record of the previous trim;
/// the answer says whether this call trimmed.
pub fn trim(last: &mut Option<Instant>) -> bool {
    if last.is_some_and(|t| t.elapsed() < TRIM_INTERVAL) {
        return false;
    }
    *last = Some(Instant::now());
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: `malloc_trim` takes the arena locks itself and only
        // releases pages no live allocation uses.
        unsafe {
            libc::malloc_trim(0);
        }
    }
    true
}
