//! Logins to the admin page: the password check (through the auth throttle shared with the socket), sessions with an expiry and a CSRF token each (bounded in number), and the per-address limit on wrong passwords per minute.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::auth::{Throttle, Waiting, peer_key, same_secret};

/// The session cookie's name.
pub const COOKIE: &str = "vitrine_session";

/// Why a login was refused.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum LoginError {
    #[error("wrong password")]
    Wrong,
    #[error(
        "too many wrong passwords from this address; try again in {0} s \
         (admin.login_attempts_per_minute)"
    )]
    Limited(u64),
    /// The address must wait after wrong passwords or tokens (counted with
    /// the socket's).
    #[error("{0}")]
    Waiting(Waiting),
    #[error("no random numbers for a session: {0}")]
    Random(String),
}

/// A logged-in browser.
#[derive(Clone, Debug)]
struct Session {
    id: String,
    csrf: String,
    expires: Instant,
}

/// What a valid session cookie gives: the token its state-changing requests
/// must carry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Granted {
    pub id: String,
    pub csrf: String,
}

/// Wrong passwords from one address in the current minute.
struct Strikes {
    since: Instant,
    count: u32,
}

/// The sessions and the password they were opened with.
pub struct Sessions {
    /// `None`: no password is set, so any login succeeds (loopback only).
    password: Option<String>,
    ttl: Duration,
    max: usize,
    attempts_per_minute: u32,
    live: Mutex<Vec<Session>>,
    strikes: Mutex<HashMap<IpAddr, Strikes>>,
    /// Wrong passwords, counted with the socket's wrong tokens: the
    /// password may be `remote.token` itself.
    throttle: Arc<Throttle>,
}

impl Sessions {
    pub fn new(
        password: Option<String>,
        ttl: Duration,
        max: usize,
        attempts: u32,
        throttle: Arc<Throttle>,
    ) -> Self {
        Self {
            throttle,
            password,
            ttl,
            max: max.max(1),
            attempts_per_minute: attempts.max(1),
            live: Mutex::new(Vec::new()),
            strikes: Mutex::new(HashMap::new()),
        }
    }

    /// Whether the page must ask for a password.
    pub fn password_required(&self) -> bool {
        self.password.is_some()
    }

    /// How long a session lasts.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// Checks `password` from `peer` and opens a session. Past the limit,
    /// even the right password is refused until the minute is over, so the
    /// limit cannot be probed.
    pub fn login(&self, peer: IpAddr, password: &str) -> Result<Granted, LoginError> {
        let ip = peer;
        let peer = peer_key(peer);
        let now = Instant::now();
        if self.password.is_some() {
            self.throttle
                .check(ip, FRONT)
                .map_err(LoginError::Waiting)?;
        }
        {
            let mut strikes = self.strikes.lock().unwrap_or_else(|e| e.into_inner());
            strikes.retain(|_, s| now.duration_since(s.since) < MINUTE);
            if let Some(s) = strikes.get(&peer)
                && s.count >= self.attempts_per_minute
            {
                let left = MINUTE.saturating_sub(now.duration_since(s.since));
                return Err(LoginError::Limited(left.as_secs().max(1)));
            }
            let right = self
                .password
                .as_deref()
                .is_none_or(|p| same_secret(p, password));
            if !right {
                if strikes.len() >= self.throttle.max_tracked()
                    && !strikes.contains_key(&peer)
                    && let Some(oldest) =
                        strikes.iter().min_by_key(|(_, s)| s.since).map(|(a, _)| *a)
                {
                    strikes.remove(&oldest);
                }
                let s = strikes.entry(peer).or_insert(Strikes {
                    since: now,
                    count: 0,
                });
                s.count += 1;
                drop(strikes);
                self.throttle.failed(ip, FRONT);
                return Err(LoginError::Wrong);
            }
        }
        if self.password.is_some() {
            self.throttle.succeeded(ip);
        }
        let session = Session {
            id: random_token()?,
            csrf: random_token()?,
            expires: now + self.ttl,
        };
        let granted = Granted {
            id: session.id.clone(),
            csrf: session.csrf.clone(),
        };
        let mut live = self.live.lock().unwrap_or_else(|e| e.into_inner());
        live.retain(|s| s.expires > now);
        if live.len() >= self.max {
            // The oldest login makes room: a manager who logs in again must
            // not be locked out by sessions nobody uses.
            live.remove(0);
        }
        live.push(session);
        Ok(granted)
    }

    /// The session a cookie names, if it is live.
    pub fn check(&self, id: Option<&str>) -> Option<Granted> {
        let id = id?;
        let now = Instant::now();
        let mut live = self.live.lock().unwrap_or_else(|e| e.into_inner());
        live.retain(|s| s.expires > now);
        live.iter()
            .find(|s| same_secret(&s.id, id))
            .map(|s| Granted {
                id: s.id.clone(),
                csrf: s.csrf.clone(),
            })
    }

    /// Ends a session.
    pub fn logout(&self, id: &str) {
        let mut live = self.live.lock().unwrap_or_else(|e| e.into_inner());
        live.retain(|s| !same_secret(&s.id, id));
    }
}

const MINUTE: Duration = Duration::from_secs(60);

/// How the page is named in the throttle's log lines.
const FRONT: &str = "admin page";

/// 32 random bytes as hex, from the operating system.
fn random_token() -> Result<String, LoginError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| LoginError::Random(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::ThrottleSettings;

    fn throttle() -> Arc<Throttle> {
        Arc::new(Throttle::new(ThrottleSettings::default()))
    }

    const HOME: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);

    #[test]
    fn the_right_password_opens_a_session_with_its_own_csrf_token() {
        let s = Sessions::new(Some("pw".into()), Duration::from_secs(60), 4, 5, throttle());
        let g = s.login(HOME, "pw").unwrap();
        assert_eq!(g.id.len(), 64);
        assert_ne!(g.id, g.csrf);
        assert_eq!(s.check(Some(&g.id)), Some(g.clone()));
        assert_eq!(s.check(Some("nope")), None);
        s.logout(&g.id);
        assert_eq!(s.check(Some(&g.id)), None);
    }

    #[test]
    fn wrong_passwords_are_limited_per_address_and_then_even_the_right_one_waits() {
        let s = Sessions::new(Some("pw".into()), Duration::from_secs(60), 4, 2, throttle());
        for _ in 0..2 {
            assert_eq!(s.login(HOME, "x"), Err(LoginError::Wrong));
        }
        assert!(matches!(s.login(HOME, "pw"), Err(LoginError::Limited(_))));
        let other: IpAddr = "10.0.0.2".parse().unwrap();
        assert!(
            s.login(other, "pw").is_ok(),
            "another address is not limited"
        );
    }

    #[test]
    fn the_shared_throttle_makes_an_address_wait_and_mapped_ipv4_counts_per_address() {
        let t = throttle();
        let s = Sessions::new(Some("pw".into()), Duration::from_secs(60), 4, 50, t.clone());
        let two: IpAddr = "::ffff:127.0.0.2".parse().unwrap();
        let one: IpAddr = "::ffff:127.0.0.1".parse().unwrap();
        for _ in 0..3 {
            assert_eq!(s.login(two, "x"), Err(LoginError::Wrong));
        }
        assert!(matches!(s.login(two, "pw"), Err(LoginError::Waiting(_))));
        // The socket's check sees the same wait.
        assert!(t.check("127.0.0.2".parse().unwrap(), "test").is_err());
        assert!(s.login(one, "pw").is_ok());
        assert!(s.login("::1".parse().unwrap(), "pw").is_ok());
    }

    #[test]
    fn the_addresses_counted_per_minute_are_as_many_as_the_throttle_keeps() {
        let t = Arc::new(Throttle::new(ThrottleSettings {
            max_tracked: 3,
            ..ThrottleSettings::default()
        }));
        let s = Sessions::new(Some("pw".into()), Duration::from_secs(60), 4, 50, t);
        for i in 0..10u8 {
            let peer = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, i));
            assert_eq!(s.login(peer, "x"), Err(LoginError::Wrong));
        }
        let strikes = s.strikes.lock().unwrap().len();
        assert_eq!(
            strikes, 3,
            "remote.auth_tracked_peers bounds the page's count too"
        );
    }

    #[test]
    fn sessions_are_bounded_and_the_oldest_goes() {
        let s = Sessions::new(None, Duration::from_secs(60), 2, 5, throttle());
        let a = s.login(HOME, "").unwrap();
        let b = s.login(HOME, "").unwrap();
        let c = s.login(HOME, "").unwrap();
        assert!(s.check(Some(&a.id)).is_none());
        assert!(s.check(Some(&b.id)).is_some() && s.check(Some(&c.id)).is_some());
    }

    #[test]
    fn a_session_expires() {
        let s = Sessions::new(None, Duration::from_millis(1), 2, 5, throttle());
        let a = s.login(HOME, "").unwrap();
        std::thread::sleep(Duration::from_millis(5));
        assert!(s.check(Some(&a.id)).is_none());
    }
}
