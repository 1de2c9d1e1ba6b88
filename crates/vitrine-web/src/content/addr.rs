//! Which network addresses content may come from: link-local and unspecified addresses (in any form, IPv4-mapped included) are refused unless `content.allowed_hosts` names them, on the address actually connected.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::Arc;

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// Why an address is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{host} is {addr}, a {kind} address; name it in content.allowed_hosts to fetch from it")]
pub struct AddressRefused {
    pub host: String,
    pub addr: IpAddr,
    pub kind: &'static str,
}

/// The address an IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible
/// (`::a.b.c.d`) or NAT64 (`64:ff9b::a.b.c.d`) IPv6 address stands for,
/// so no spelling of a refused IPv4 address slips through.
fn embedded_v4(v6: &Ipv6Addr) -> Option<Ipv4Addr> {
    if let Some(v4) = v6.to_ipv4_mapped() {
        return Some(v4);
    }
    let s = v6.segments();
    let tail = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    // `::` and `::1` are themselves, not IPv4 0.0.0.0 and 0.0.0.1.
    let compatible = s[..6] == [0; 6] && s[6] != 0;
    let nat64 = s[..6] == [0x64, 0xff9b, 0, 0, 0, 0];
    (compatible || nat64).then_some(tail)
}

/// What kind of address `ip` is, if content must never come from it by
/// default: link-local (169.254.0.0/16, where cloud hosts serve their
/// metadata, and fe80::/10) or unspecified (0.0.0.0 and `::`, which reach
/// the kiosk itself).
pub fn refused_kind(ip: IpAddr) -> Option<&'static str> {
    let v4 = match ip {
        IpAddr::V4(v4) => Some(v4),
        IpAddr::V6(v6) => embedded_v4(&v6),
    };
    if let Some(v4) = v4 {
        if v4.is_link_local() {
            return Some("link-local");
        }
        if v4.is_unspecified() {
            return Some("unspecified");
        }
    }
    if let IpAddr::V6(v6) = ip {
        if v6.is_unspecified() {
            return Some("unspecified");
        }
        if v6.is_unicast_link_local() {
            return Some("link-local");
        }
    }
    None
}

/// `host` without the brackets of an IPv6 literal, lower case.
fn bare(host: &str) -> String {
    host.trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase()
}

/// The entries of `content.allowed_hosts` that name a host or an address
/// exactly (a `*.` pattern names neither).
#[derive(Clone, Debug, Default)]
pub struct AddressPolicy {
    names: Vec<String>,
    addrs: Vec<IpAddr>,
}

impl AddressPolicy {
    pub fn new(allowed_hosts: &[String]) -> Self {
        let mut policy = Self::default();
        for h in allowed_hosts.iter().filter(|h| !h.trim().starts_with("*.")) {
            let h = bare(h);
            match h.parse::<IpAddr>() {
                Ok(ip) => policy.addrs.push(ip),
                Err(_) => policy.names.push(h),
            }
        }
        policy
    }

    /// A URL whose host is an IP address, checked at once; a name is
    /// checked on what it resolves to, as it connects ([`CheckedResolver`]).
    pub fn check_url(&self, url: &url::Url) -> Result<(), AddressRefused> {
        let ip = match url.host() {
            Some(url::Host::Ipv4(v4)) => IpAddr::V4(v4),
            Some(url::Host::Ipv6(v6)) => IpAddr::V6(v6),
            _ => return Ok(()),
        };
        self.check(url.host_str().unwrap_or_default(), ip)
    }

    /// Whether `host` (as a URL spells it) may be reached at `ip`.
    pub fn check(&self, host: &str, ip: IpAddr) -> Result<(), AddressRefused> {
        let Some(kind) = refused_kind(ip) else {
            return Ok(());
        };
        let named = self.names.contains(&bare(host))
            || self
                .addrs
                .iter()
                .any(|a| *a == ip || a.to_canonical() == ip.to_canonical());
        if named {
            Ok(())
        } else {
            Err(AddressRefused {
                host: bare(host),
                addr: ip,
                kind,
            })
        }
    }
}

/// The system resolver, with every address the policy refuses taken out of
/// its answer: the connection can only go to an address that was checked,
/// whatever the name resolves to this time.
#[derive(Debug)]
pub struct CheckedResolver {
    pub policy: Arc<AddressPolicy>,
}

impl Resolver for CheckedResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let all = DefaultResolver::default().resolve(uri, config, timeout)?;
        let host = uri.host().unwrap_or_default();
        let mut kept = self.empty();
        let mut refused = None;
        for addr in &all {
            match self.policy.check(host, addr.ip()) {
                Ok(()) => kept.push(*addr),
                Err(e) => refused = Some(e),
            }
        }
        match refused {
            Some(e) if kept.is_empty() => Err(ureq::Error::Io(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                e,
            ))),
            _ => Ok(kept),
        }
    }
}

/// The refusal inside a ureq error, if the resolver refused.
pub fn refusal(e: &ureq::Error) -> Option<&AddressRefused> {
    match e {
        ureq::Error::Io(io) => io.get_ref()?.downcast_ref::<AddressRefused>(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn link_local_and_unspecified_in_every_spelling() {
        for a in [
            "169.254.169.254",
            "0.0.0.0",
            "::",
            "fe80::1",
            "febf::1",
            "::ffff:169.254.169.254",
            "::ffff:0.0.0.0",
            "::169.254.169.254",
            "64:ff9b::a9fe:a9fe",
        ] {
            assert!(refused_kind(ip(a)).is_some(), "{a}");
        }
        for a in [
            "127.0.0.1",
            "::1",
            "10.1.2.3",
            "192.168.1.20",
            "172.16.0.1",
            "fd00::1",
            "::ffff:10.0.0.1",
            "93.184.216.34",
        ] {
            assert_eq!(refused_kind(ip(a)), None, "{a}");
        }
    }

    #[test]
    fn naming_the_host_or_the_address_allows_it() {
        let none = AddressPolicy::new(&[]);
        assert!(
            none.check("169.254.169.254", ip("169.254.169.254"))
                .is_err()
        );
        let by_addr = AddressPolicy::new(&["0.0.0.0".into(), "[fe80::1]".into()]);
        assert!(by_addr.check("0.0.0.0", ip("0.0.0.0")).is_ok());
        assert!(by_addr.check("[fe80::1]", ip("fe80::1")).is_ok());
        assert!(by_addr.check("x", ip("::ffff:0.0.0.0")).is_ok());
        assert!(by_addr.check("x", ip("169.254.1.1")).is_err());
        let by_name = AddressPolicy::new(&["meta.lan".into(), "*.lan".into()]);
        assert!(by_name.check("META.lan", ip("169.254.1.1")).is_ok());
        // A pattern names no host in particular.
        let err = by_name.check("x.lan", ip("169.254.1.1")).unwrap_err();
        assert_eq!(err.kind, "link-local");
        assert!(err.to_string().contains("content.allowed_hosts"));
    }

    /// A name is checked on what it resolves to: glibc reads `0x0` as
    /// 0.0.0.0 (the URL parser would have turned it into the address first;
    /// `http::Uri` leaves it a name).
    #[test]
    fn the_resolver_drops_refused_addresses() {
        let config = ureq::Agent::config_builder().build();
        let uri: Uri = "http://0x0:9/".parse().unwrap();
        let strict = CheckedResolver {
            policy: Arc::new(AddressPolicy::new(&[])),
        };
        let e = strict
            .resolve(&uri, &config, NextTimeout::default())
            .unwrap_err();
        assert_eq!(refusal(&e).map(|r| r.kind), Some("unspecified"), "{e}");
        let named = CheckedResolver {
            policy: Arc::new(AddressPolicy::new(&["0x0".into()])),
        };
        let ok = named
            .resolve(&uri, &config, NextTimeout::default())
            .unwrap();
        assert!(ok.iter().all(|a| a.ip().is_unspecified()), "{ok:?}");
        let local: Uri = "http://localhost:9/".parse().unwrap();
        assert!(
            strict
                .resolve(&local, &config, NextTimeout::default())
                .is_ok()
        );
    }
}
