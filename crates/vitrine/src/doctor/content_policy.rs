//! The doctor's content-policy check: an empty `content.allowed_hosts` on a kiosk whose socket or admin page listens beyond loopback is a warning.

use std::net::IpAddr;

use super::report::Check;
use crate::config::Config;

/// Whether `bind` listens beyond this machine (an address that does not
/// parse is taken to, as the safe side).
fn open_to_network(bind: &str) -> bool {
    !bind
        .trim()
        .parse::<IpAddr>()
        .is_ok_and(|ip| ip.to_canonical().is_loopback())
}

/// With `allowed_hosts` empty, anyone who can reach the socket or the admin
/// page can make the kiosk fetch any host on the store LAN (or beyond) and
/// show it on screen, where `screenshot` reads it back.
pub fn allowed_hosts(config: &Config) -> Check {
    let mut open = Vec::new();
    if config.remote.enabled && open_to_network(&config.remote.bind) {
        open.push(format!("remote.bind = {:?}", config.remote.bind));
    }
    if config.admin.enabled && open_to_network(&config.admin.bind) {
        open.push(format!("admin.bind = {:?}", config.admin.bind));
    }
    if !config.content.allowed_hosts.is_empty() {
        let n = config.content.allowed_hosts.len();
        return Check::ok(
            "content",
            format!("content.allowed_hosts lists {n} host(s)"),
        );
    }
    if open.is_empty() {
        return Check::ok(
            "content",
            "content.allowed_hosts is empty (any host but link-local and unspecified addresses); control listens on loopback only",
        );
    }
    Check::warn(
        "content",
        format!(
            "content.allowed_hosts is empty while {} listens on the network: a client can make the kiosk fetch and show any host it can reach",
            open.join(" and ")
        ),
        "list the hosts content comes from in content.allowed_hosts",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doctor::report::Verdict;

    #[test]
    fn empty_hosts_warn_only_when_control_is_open() {
        let mut c = Config::default();
        assert_eq!(allowed_hosts(&c).verdict, Verdict::Ok);
        c.remote.bind = "0.0.0.0".into();
        let w = allowed_hosts(&c);
        assert_eq!(w.verdict, Verdict::Warn);
        assert!(w.detail.contains("remote.bind"), "{}", w.detail);
        c.remote.bind = "::ffff:127.0.0.1".into();
        c.admin.enabled = true;
        c.admin.bind = "192.168.1.20".into();
        assert!(allowed_hosts(&c).detail.contains("admin.bind"));
        c.content.allowed_hosts = vec!["cdn.shop.lan".into()];
        assert_eq!(allowed_hosts(&c).verdict, Verdict::Ok);
    }
}
