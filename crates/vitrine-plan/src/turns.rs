//! A playlist's turns over time: from the item that started some time ago, which item shows now and how far into it, so a kiosk that restarts comes back to the item the time calls for.

use std::time::Duration;

/// Where a playlist stands: the item showing and how long it has shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Turn {
    pub item: usize,
    pub into: Duration,
}

/// Walks a looping playlist forward from `item`, which started `elapsed`
/// ago. `lengths[i]` is how long item `i` shows; `None` is a length not
/// known yet (a video never played to its end), where the walk stops,
/// since the kiosk cannot tell when it would have ended. When every length
/// is known the walk first drops whole loops, so it takes at most one
/// step per item whatever the time.
pub fn resume(lengths: &[Option<Duration>], item: usize, elapsed: Duration) -> Turn {
    let n = lengths.len();
    if n == 0 {
        return Turn {
            item: 0,
            into: Duration::ZERO,
        };
    }
    let mut i = item % n;
    let mut left = elapsed;
    let known: Option<Vec<Duration>> = lengths.iter().copied().collect();
    if let Some(total) = known.map(|l| l.iter().sum::<Duration>())
        && !total.is_zero()
    {
        // Whole loops bring the list back to the same item.
        let nanos = left.as_nanos() % total.as_nanos();
        left = Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX));
    }
    for _ in 0..n {
        match lengths[i] {
            Some(d) if left >= d => {
                left -= d;
                i = (i + 1) % n;
            }
            _ => break,
        }
    }
    Turn {
        item: i,
        into: left,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(secs: u64) -> Option<Duration> {
        Some(Duration::from_secs(secs))
    }

    #[test]
    fn the_walk_lands_on_the_item_the_time_calls_for() {
        let lengths = [s(10), s(20), s(5)];
        let at = |item, secs| resume(&lengths, item, Duration::from_secs(secs));
        assert_eq!(
            at(0, 3),
            Turn {
                item: 0,
                into: Duration::from_secs(3)
            }
        );
        assert_eq!(
            at(0, 10),
            Turn {
                item: 1,
                into: Duration::ZERO
            }
        );
        assert_eq!(
            at(1, 24),
            Turn {
                item: 2,
                into: Duration::from_secs(4)
            }
        );
        // Past the end it loops; a year later it still lands in one step per item.
        assert_eq!(
            at(2, 5),
            Turn {
                item: 0,
                into: Duration::ZERO
            }
        );
        assert_eq!(
            at(0, 35 * 1000 + 12),
            Turn {
                item: 1,
                into: Duration::from_secs(2)
            }
        );
        assert_eq!(resume(&lengths, 7, Duration::ZERO).item, 1);
    }

    #[test]
    fn an_unknown_length_stops_the_walk() {
        let lengths = [s(10), None, s(5)];
        let t = resume(&lengths, 0, Duration::from_secs(500));
        assert_eq!(t.item, 1);
        assert_eq!(t.into, Duration::from_secs(490));
        assert_eq!(resume(&[], 3, Duration::from_secs(1)).item, 0);
        // Zero lengths never loop forever.
        assert_eq!(resume(&[s(0), s(0)], 0, Duration::from_secs(9)).item, 0);
    }
}
