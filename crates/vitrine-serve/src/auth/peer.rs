//! The address a peer is counted under, by the auth throttle and the per-address connection caps alike.

use std::net::IpAddr;

/// Whose failures and connections an address counts toward. A dual-stack
/// listener sees IPv4 clients as `::ffff:a.b.c.d`: they are turned back into
/// IPv4 first, so each IPv4 address counts on its own. An IPv6 address
/// counts toward its /64, since one host holds a whole /64 to pick from;
/// loopback `::1` stays on its own.
pub fn peer_key(peer: IpAddr) -> IpAddr {
    match peer.to_canonical() {
        IpAddr::V6(v6) if !v6.is_loopback() => {
            let mut s = v6.segments();
            s[4..].fill(0);
            IpAddr::V6(s.into())
        }
        canonical => canonical,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn mapped_ipv4_counts_per_address_and_ipv6_per_64() {
        assert_eq!(peer_key(ip("::ffff:127.0.0.2")), ip("127.0.0.2"));
        assert_ne!(
            peer_key(ip("::ffff:127.0.0.2")),
            peer_key(ip("::ffff:127.0.0.1"))
        );
        assert_eq!(peer_key(ip("::1")), ip("::1"));
        assert_ne!(peer_key(ip("::1")), peer_key(ip("::ffff:127.0.0.1")));
        assert_eq!(peer_key(ip("2001:db8:1:2:3:4:5:6")), ip("2001:db8:1:2::"));
        assert_eq!(peer_key(ip("10.1.2.3")), ip("10.1.2.3"));
    }
}
