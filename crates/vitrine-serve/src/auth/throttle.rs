//! The one throttle on authentication failures, shared by every front end that checks a secret: per peer address (see [`peer_key`]), a few failures close the connection and make the address wait, each further failure doubles the wait up to a cap, and the log says so once per address per interval rather than once per guess. Bounded: at most a fixed number of addresses are remembered.

use std::collections::HashMap;
use std::fmt;
use std::net::IpAddr;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::peer::peer_key;
use vitrine_config::RemoteConfig;

/// How the throttle counts, from `remote.auth_*`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThrottleSettings {
    /// Failures in a row from one address before its connection is closed
    /// and it must wait.
    pub failures_before_close: u32,
    /// The first wait; each further failure doubles it.
    pub delay: Duration,
    /// The longest wait.
    pub max_delay: Duration,
    /// The most addresses remembered at once.
    pub max_tracked: usize,
}

impl Default for ThrottleSettings {
    fn default() -> Self {
        Self::from_config(&RemoteConfig::default())
    }
}

impl ThrottleSettings {
    pub fn from_config(c: &RemoteConfig) -> Self {
        Self {
            failures_before_close: c.auth_failures_before_close,
            delay: c.auth_delay,
            max_delay: c.auth_max_delay,
            max_tracked: c.auth_tracked_peers,
        }
    }
}

/// An address that must wait before its next attempt; its attempts are
/// refused without the secret being checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Waiting {
    pub retry_after: Duration,
}

impl Waiting {
    /// The wait in whole seconds, rounded up, at least 1 (for Retry-After).
    pub fn secs(&self) -> u64 {
        let d = self.retry_after;
        (d.as_secs() + u64::from(d.subsec_nanos() > 0)).max(1)
    }
}

impl fmt::Display for Waiting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "too many failed authentications from this address; try again in {} s \
             (remote.auth_delay, remote.auth_max_delay)",
            self.secs()
        )
    }
}

/// What one failure means for the connection it came on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The connection is to be closed after its answer.
    pub close: bool,
    /// How long the address now waits, if it does.
    pub wait: Option<Duration>,
}

/// One address's failures.
struct Record {
    /// Failures in a row, reset by a success or a long quiet.
    failures: u32,
    wait_until: Option<Instant>,
    last: Instant,
    /// When a line about this address was last logged.
    logged: Option<Instant>,
    /// Failures and refusals since then that were not logged.
    suppressed: u64,
}

/// One line per address per this interval: a guesser cannot flood the log.
/// A constant: the count of what was left out is in the next line.
const LOG_INTERVAL: Duration = Duration::from_secs(60);

/// A record is forgotten after this many `auth_max_delay`s without a
/// failure, so a manager who mistyped last week starts afresh, while a
/// guesser who pauses gets at most a few tries per that span. A multiple of
/// a key rather than a key of its own.
const FORGET_AFTER_MAX_DELAYS: u32 = 10;

/// The throttle. One is shared by the socket and the admin page, so a
/// guess on either counts toward both.
pub struct Throttle {
    settings: ThrottleSettings,
    peers: Mutex<HashMap<IpAddr, Record>>,
}

impl fmt::Debug for Throttle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Throttle")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl Throttle {
    pub fn new(settings: ThrottleSettings) -> Self {
        let settings = ThrottleSettings {
            failures_before_close: settings.failures_before_close.max(1),
            max_tracked: settings.max_tracked.max(1),
            max_delay: settings.max_delay.max(settings.delay),
            ..settings
        };
        Self {
            settings,
            peers: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<IpAddr, Record>> {
        // Every update leaves the map whole, so a poisoned lock still
        // guards good data.
        self.peers.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn forget_after(&self) -> Duration {
        self.settings
            .max_delay
            .saturating_mul(FORGET_AFTER_MAX_DELAYS)
    }

    /// Whether `peer` may try a secret now. `front` names the front end
    /// for the log.
    /// The most addresses remembered (`remote.auth_tracked_peers`): the
    /// admin page's per-minute login count keeps as many.
    pub fn max_tracked(&self) -> usize {
        self.settings.max_tracked
    }

    pub fn check(&self, peer: IpAddr, front: &str) -> Result<(), Waiting> {
        let key = peer_key(peer);
        let now = Instant::now();
        let mut peers = self.lock();
        let Some(r) = peers.get_mut(&key) else {
            return Ok(());
        };
        match r.wait_until {
            Some(until) if until > now => {
                let waiting = Waiting {
                    retry_after: until - now,
                };
                if log_due(r, now) {
                    tracing::warn!(
                        peer = %key,
                        front,
                        failures = r.failures,
                        not_logged = r.suppressed,
                        "authentication attempt refused: {waiting}"
                    );
                    r.suppressed = 0;
                }
                Err(waiting)
            }
            _ => Ok(()),
        }
    }

    /// Counts a wrong secret from `peer`.
    pub fn failed(&self, peer: IpAddr, front: &str) -> Failure {
        let key = peer_key(peer);
        let now = Instant::now();
        let forget = self.forget_after();
        let mut peers = self.lock();
        if !peers.contains_key(&key) && peers.len() >= self.settings.max_tracked {
            make_room(&mut peers, now, forget, self.settings.max_tracked);
        }
        let r = peers.entry(key).or_insert(Record {
            failures: 0,
            wait_until: None,
            last: now,
            logged: None,
            suppressed: 0,
        });
        if now.duration_since(r.last) > forget {
            r.failures = 0;
        }
        r.failures = r.failures.saturating_add(1);
        r.last = now;
        let s = &self.settings;
        let wait = (r.failures >= s.failures_before_close).then(|| {
            let doublings = (r.failures - s.failures_before_close).min(31);
            s.delay.saturating_mul(1 << doublings).min(s.max_delay)
        });
        if let Some(w) = wait {
            r.wait_until = Some(now + w);
        }
        if log_due(r, now) {
            tracing::warn!(
                peer = %key,
                front,
                failures = r.failures,
                wait = ?wait,
                not_logged = r.suppressed,
                "authentication failed (wrong token or password)"
            );
            r.suppressed = 0;
        }
        Failure {
            close: wait.is_some(),
            wait,
        }
    }

    /// A right secret from `peer`: its failures are forgotten.
    pub fn succeeded(&self, peer: IpAddr) {
        let key = peer_key(peer);
        let mut peers = self.lock();
        if !peers.is_empty() {
            peers.remove(&key);
        }
    }

    /// How many addresses are remembered.
    #[cfg(test)]
    fn tracked(&self) -> usize {
        self.lock().len()
    }
}

/// Whether a line about `r` is due now; counts it as left out if not.
fn log_due(r: &mut Record, now: Instant) -> bool {
    let due = r
        .logged
        .is_none_or(|at| now.duration_since(at) >= LOG_INTERVAL);
    if due {
        r.logged = Some(now);
    } else {
        r.suppressed = r.suppressed.saturating_add(1);
    }
    due
}

/// Makes room for one more address: forgets the quiet ones, or else the
/// one whose last failure is oldest (many addresses at once wear the
/// throttle down to `auth_tracked_peers` of them, never memory).
fn make_room(peers: &mut HashMap<IpAddr, Record>, now: Instant, forget: Duration, max: usize) {
    peers.retain(|_, r| {
        now.duration_since(r.last) <= forget || r.wait_until.is_some_and(|u| u > now)
    });
    if peers.len() >= max
        && let Some(oldest) = peers.iter().min_by_key(|(_, r)| r.last).map(|(k, _)| *k)
    {
        peers.remove(&oldest);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttle(max_tracked: usize) -> Throttle {
        Throttle::new(ThrottleSettings {
            failures_before_close: 3,
            delay: Duration::from_secs(10),
            max_delay: Duration::from_secs(40),
            max_tracked,
        })
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn a_few_failures_close_and_then_the_wait_doubles_up_to_the_cap() {
        let t = throttle(16);
        let a = ip("10.0.0.1");
        for _ in 0..2 {
            assert!(t.check(a, "test").is_ok());
            assert_eq!(
                t.failed(a, "test"),
                Failure {
                    close: false,
                    wait: None
                }
            );
        }
        let waits: Vec<_> = (0..4).map(|_| t.failed(a, "test").wait.unwrap()).collect();
        assert_eq!(waits, [10, 20, 40, 40].map(Duration::from_secs));
        let w = t.check(a, "test").unwrap_err();
        assert!(w.secs() > 30 && w.to_string().contains("remote.auth_max_delay"));
        // Another address, and the same one mapped into IPv6, are apart.
        assert!(t.check(ip("10.0.0.2"), "test").is_ok());
        assert!(t.check(ip("::ffff:10.0.0.1"), "test").is_err());
        t.succeeded(a);
        assert!(t.check(a, "test").is_ok());
    }

    #[test]
    fn the_addresses_remembered_are_bounded() {
        let t = throttle(4);
        for i in 0..100u8 {
            t.failed(IpAddr::from([10, 0, 1, i]), "test");
            assert!(t.tracked() <= 4);
        }
        // The newest are remembered.
        assert!(
            t.failed(IpAddr::from([10, 0, 1, 99]), "test")
                .wait
                .is_none()
        );
        t.failed(IpAddr::from([10, 0, 1, 99]), "test");
        assert!(t.check(IpAddr::from([10, 0, 1, 99]), "test").is_err());
    }
}
