//! The machine around the kiosk: fonts for HTML cards, the config file, the state directory (writable, free space), the ports it listens on, and the touch devices the kernel reports.

use std::net::{IpAddr, SocketAddr, TcpListener, UdpSocket};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::time::Duration;

use super::report::Check;
use crate::config::Config;

/// Font directories, and the most entries looked at in them.
const FONT_DIRS: [&str; 2] = ["/usr/share/fonts", "/usr/local/share/fonts"];
const MAX_FONT_WALK: usize = 20_000;

/// Below this much free space the offline cache and state may not fit.
const LOW_SPACE: u64 = 1024 * 1024 * 1024;

fn count_fonts(dir: &Path, seen: &mut usize, fonts: &mut usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        *seen += 1;
        if *seen > MAX_FONT_WALK {
            return;
        }
        let p = e.path();
        if p.is_dir() {
            count_fonts(&p, seen, fonts);
        } else if p
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| matches!(x, "ttf" | "otf" | "ttc" | "woff" | "woff2"))
        {
            *fonts += 1;
        }
    }
}

/// Fonts HTML cards can use.
pub fn fonts() -> Check {
    let (mut seen, mut fonts) = (0, 0);
    for d in FONT_DIRS {
        count_fonts(Path::new(d), &mut seen, &mut fonts);
    }
    if fonts == 0 {
        Check::missing(
            "fonts",
            "no font files under /usr/share/fonts",
            "apt-get install fontconfig fonts-dejavu-core",
        )
    } else {
        Check::ok("fonts", format!("{fonts} font files"))
    }
}

/// The config file: found, and valid.
pub fn config(path: &Path) -> (Check, Config) {
    match Config::load(path) {
        Ok((c, true)) => (Check::ok("config", format!("{}: valid", path.display())), c),
        Ok((c, false)) => (
            Check::ok(
                "config",
                format!("{}: not found, so the built-in defaults", path.display()),
            ),
            c,
        ),
        Err(e) => (
            Check::missing(
                "config",
                e.to_string(),
                "fix the key it names (config/vitrine.toml documents every key)",
            ),
            Config::default(),
        ),
    }
}

/// Free bytes for unprivileged users on the file system holding `dir`.
fn free_bytes(dir: &Path) -> Option<u64> {
    let path = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    let mut stat = std::mem::MaybeUninit::<libc::statvfs>::uninit();
    // SAFETY: `path` is a NUL-terminated string that outlives the call, and
    // `stat` points to writable memory of the right type, which statvfs
    // fills when it returns 0.
    let done = unsafe { libc::statvfs(path.as_ptr(), stat.as_mut_ptr()) };
    if done != 0 {
        return None;
    }
    // SAFETY: statvfs returned 0, so it wrote the whole struct.
    let stat = unsafe { stat.assume_init() };
    Some(stat.f_bavail.saturating_mul(stat.f_frsize))
}

/// The state directory: there (or creatable), writable, with room.
pub fn state(config: &Config) -> Check {
    if !config.state.enabled {
        return Check::ok("state", "off (state.enabled = false)");
    }
    let Some(dir) = config.state.resolve_dir() else {
        return Check::missing(
            "state",
            "no state directory: state.dir is empty and neither STATE_DIRECTORY, XDG_STATE_HOME nor HOME is set",
            "set state.dir, or run under the vitrine units (StateDirectory=vitrine)",
        );
    };
    let probe = dir.join(".doctor-probe");
    let writable = std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::write(&probe, b"ok"))
        .and_then(|()| std::fs::remove_file(&probe));
    if let Err(e) = writable {
        return Check::missing(
            "state",
            format!("{}: not writable: {e}", dir.display()),
            "make it writable by the user vitrine runs as (the units set StateDirectory=vitrine)",
        );
    }
    match free_bytes(&dir) {
        Some(free) if free < LOW_SPACE => Check::warn(
            "state",
            format!("{}: writable, {} MiB free", dir.display(), free >> 20),
            "free some space: the offline cache may take state.cache_max_bytes",
        ),
        Some(free) => Check::ok(
            "state",
            format!("{}: writable, {} MiB free", dir.display(), free >> 20),
        ),
        None => Check::ok("state", format!("{}: writable", dir.display())),
    }
}

/// Whether a vitrine answers `ping` at `addr` (so a taken port is its own).
fn vitrine_answers(addr: SocketAddr, token: Option<String>) -> bool {
    let host = match addr.ip() {
        ip if ip.is_unspecified() => "127.0.0.1".to_string(),
        ip => ip.to_string(),
    };
    crate::remote::Client::connect(
        &host,
        addr.port(),
        crate::remote::Framing::V2,
        token,
        Duration::from_secs(2),
    )
    .and_then(|mut c| c.call("ping", serde_json::json!({})))
    .is_ok()
}

/// One TCP port: free, taken by a running vitrine, or taken by something
/// else.
fn tcp_port(
    area: &'static str,
    key: &str,
    (bind, port, enabled): (&str, u16, bool),
    token: Option<String>,
) -> Check {
    if !enabled {
        return Check::ok(area, format!("off ({key} disabled)"));
    }
    let Ok(ip) = bind.trim().parse::<IpAddr>() else {
        return Check::missing(
            area,
            format!("{bind:?} is not an address"),
            "fix the config",
        );
    };
    let addr = SocketAddr::new(ip, port);
    match TcpListener::bind(addr) {
        Ok(_) => Check::ok(area, format!("{addr}: free")),
        Err(_) if area == "remote port" && vitrine_answers(addr, token) => {
            Check::ok(area, format!("{addr}: in use by a running vitrine"))
        }
        Err(e) => Check::warn(
            area,
            format!("{addr}: {e}"),
            format!("stop what holds it (a running vitrine, if this one is), or change {key}"),
        ),
    }
}

/// The remote, Thrift, admin page and TUIO ports.
pub fn ports(config: &Config) -> Vec<Check> {
    let r = &config.remote;
    let t = &config.thrift;
    let token = Some(r.token.clone()).filter(|t| !t.is_empty());
    let mut checks = vec![
        tcp_port(
            "remote port",
            "remote.port",
            (&r.bind, r.port, r.enabled),
            token,
        ),
        if t.enabled && crate::thrift::off_for_token(t, r) {
            // The kiosk leaves Thrift off while a token is set (no token in
            // its IDL), so its port is not checked.
            Check::ok(
                "thrift port",
                "off: remote.token is set and Thrift carries no token \
                 (thrift.allow_without_token = true serves it anyway)",
            )
        } else {
            tcp_port(
                "thrift port",
                "thrift.port",
                (&t.bind, t.port, t.enabled),
                None,
            )
        },
        tcp_port(
            "admin port",
            "admin.port",
            (&config.admin.bind, config.admin.port, config.admin.enabled),
            None,
        ),
    ];
    let u = &config.tuio;
    if u.enabled {
        let addr = format!("{}:{}", u.bind, u.port);
        checks.push(match UdpSocket::bind(&addr) {
            Ok(_) => Check::ok("tuio port", format!("{addr} (UDP): free")),
            Err(e) => Check::warn(
                "tuio port",
                format!("{addr} (UDP): {e}"),
                "stop what holds it, or change tuio.port",
            ),
        });
    }
    checks
}

/// The fleet's broker, when the fleet is on: reachable over TCP within a
/// few seconds. The kiosk runs without it (and keeps trying), so an
/// unreachable broker is a warning.
pub fn broker(config: &Config) -> Check {
    let f = &config.fleet;
    if !f.enabled {
        return Check::ok("fleet broker", "off (fleet.enabled = false)");
    }
    let id = crate::fleet::kiosk_id(f);
    let ca = &f.ca_file;
    if !ca.as_os_str().is_empty()
        && let Err(e) = std::fs::read(ca)
    {
        return Check::missing(
            "fleet broker",
            format!("fleet.ca_file {}: {e}", ca.display()),
            "put the broker's CA certificate (PEM) there, or fix fleet.ca_file",
        );
    }
    let (tls, host, port) = match crate::fleet::address(&f.broker) {
        Ok(a) => a,
        Err(e) => return Check::missing("fleet broker", e.to_string(), "fix fleet.broker"),
    };
    // The kiosk leaves its fleet off rather than send this; the broker is
    // not tried either.
    if let Some(why) = f.password_in_clear(tls, &host) {
        return Check::missing(
            "fleet broker",
            format!(
                "{}: the password would go in clear; the fleet stays off",
                f.broker
            ),
            why,
        );
    }
    let reached = std::net::ToSocketAddrs::to_socket_addrs(&(host.as_str(), port))
        .map_err(|e| e.to_string())
        .and_then(|mut addrs| {
            let addr = addrs.next().ok_or("no address")?;
            std::net::TcpStream::connect_timeout(&addr, std::time::Duration::from_secs(3))
                .map_err(|e| e.to_string())
        });
    match reached {
        Ok(_) => Check::ok(
            "fleet broker",
            format!("{} reachable, as kiosk {id:?}", f.broker),
        ),
        Err(e) => Check::warn(
            "fleet broker",
            format!("{}: {e}", f.broker),
            "start the broker or fix fleet.broker; the kiosk runs without it and keeps retrying",
        ),
    }
}

/// Whether a `B: ABS=` bitmap (hex words, most significant first) has the
/// bit for ABS_MT_POSITION_X (0x35): a multi-touch device.
fn has_multitouch(abs: &str) -> bool {
    const ABS_MT_POSITION_X: usize = 0x35;
    let bits = usize::BITS as usize;
    let words: Vec<&str> = abs.split_whitespace().rev().collect();
    words
        .get(ABS_MT_POSITION_X / bits)
        .and_then(|w| usize::from_str_radix(w, 16).ok())
        .is_some_and(|w| w & (1 << (ABS_MT_POSITION_X % bits)) != 0)
}

/// The touch devices in `devices` (the text of /proc/bus/input/devices).
pub fn touch_devices(devices: &str) -> Vec<String> {
    devices
        .split("\n\n")
        .filter(|block| {
            block
                .lines()
                .filter_map(|l| l.strip_prefix("B: ABS="))
                .any(has_multitouch)
        })
        .filter_map(|block| {
            block
                .lines()
                .find_map(|l| l.strip_prefix("N: Name="))
                .map(|n| n.trim_matches('"').to_string())
        })
        .collect()
}

/// The touch screens the kernel reports.
pub fn touch() -> Check {
    let devices = std::fs::read_to_string("/proc/bus/input/devices").unwrap_or_default();
    let found = touch_devices(&devices);
    if found.is_empty() {
        Check::warn(
            "touch",
            "no multi-touch device",
            "connect the touch screen (USB HID needs no driver); until then the mouse is one \
             finger, and a TUIO tracker can send touch ([tuio])",
        )
    } else {
        Check::ok("touch", found.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multitouch_devices_are_found_by_their_abs_bits() {
        let text = "I: Bus=0003 Vendor=222a Product=0001\nN: Name=\"ILITEK Multi-Touch\"\n\
                    B: ABS=660800000000003\n\n\
                    I: Bus=0011\nN: Name=\"AT Translated Set 2 keyboard\"\nB: KEY=402000000\n\n\
                    N: Name=\"Some Tablet\"\nB: ABS=3\n";
        assert_eq!(touch_devices(text), ["ILITEK Multi-Touch"]);
        assert!(!has_multitouch("zz"));
    }
}
