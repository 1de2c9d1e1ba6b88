//! systemd's notify protocol over a real Unix datagram socket set as `NOTIFY_SOCKET`: `READY=1` once the kiosk runs, `STATUS=` with what it shows, watchdog pings at least twice per `WATCHDOG_USEC`, none while the UI loop is blocked (through the debug-only stall hook), and pings again once it runs; and journal-style log lines when `JOURNAL_STREAM` is set.

use crate::support;

use std::os::unix::net::UnixDatagram;
use std::time::{Duration, Instant};

use support::{KioskProcess, temp_dir};

/// The datagrams that arrive within `wait`, each with when it came.
fn collect(sock: &UnixDatagram, wait: Duration) -> Vec<(Instant, String)> {
    let end = Instant::now() + wait;
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let left = end.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return out;
        }
        sock.set_read_timeout(Some(left)).unwrap();
        match sock.recv(&mut buf) {
            Ok(n) => out.push((
                Instant::now(),
                String::from_utf8_lossy(&buf[..n]).into_owned(),
            )),
            Err(_) => return out,
        }
    }
}

fn pings(messages: &[(Instant, String)]) -> Vec<Instant> {
    messages
        .iter()
        .filter(|(_, m)| m.lines().any(|l| l == "WATCHDOG=1"))
        .map(|(t, _)| *t)
        .collect()
}

#[test]
fn ready_status_and_watchdog_pings_stop_while_the_ui_loop_is_blocked() {
    let dir = temp_dir("watchdog");
    let socket_path = dir.join("notify.sock");
    let _ = std::fs::remove_file(&socket_path);
    let sock = UnixDatagram::bind(&socket_path).unwrap();
    let stall = dir.join("stall");
    let _ = std::fs::remove_file(&stall);
    // Pings every second; systemd would restart the kiosk after 3 s without.
    let usec = "3000000";
    let kiosk = KioskProcess::start_with_env(
        "[state]\nenabled = false\n",
        &[],
        &[
            ("NOTIFY_SOCKET", socket_path.to_str().unwrap()),
            ("WATCHDOG_USEC", usec),
            // As under the cage unit: the watchdog's pid is the parent's
            // (cage there, this test here), not vitrine's own.
            ("WATCHDOG_PID", &std::process::id().to_string()),
            ("VITRINE_DEBUG_STALL", stall.to_str().unwrap()),
        ],
    );

    // READY=1 first, then status and pings.
    let mut got = collect(&sock, Duration::from_secs(7));
    let ready = got
        .iter()
        .position(|(_, m)| m.lines().any(|l| l == "READY=1"))
        .unwrap_or_else(|| panic!("no READY=1: {got:?}"));
    assert!(
        got.iter()
            .any(|(_, m)| m.starts_with("STATUS=showing 0 widget(s), nothing in front")),
        "{got:?}"
    );
    got.drain(..=ready);
    let running = pings(&got);
    assert!(running.len() >= 4, "a ping a second: {got:?}");
    // At least two per WATCHDOG_USEC: no gap longer than half of it.
    for w in running.windows(2) {
        assert!(
            w[1] - w[0] <= Duration::from_millis(1500),
            "a gap of {:?}",
            w[1] - w[0]
        );
    }

    // The UI loop hangs: the pings stop.
    std::fs::write(&stall, b"").unwrap();
    let blocked = collect(&sock, Duration::from_secs(5));
    let late = pings(&blocked);
    // A pass already past the hook may still ping once, at once.
    assert!(late.len() <= 1, "pings while blocked: {blocked:?}");
    assert!(kiosk_alive(&kiosk), "blocked, not dead");

    // It runs again: so do the pings.
    std::fs::remove_file(&stall).unwrap();
    let again = pings(&collect(&sock, Duration::from_secs(3)));
    assert!(!again.is_empty(), "no ping after the loop ran again");
}

fn kiosk_alive(k: &KioskProcess) -> bool {
    std::path::Path::new(&format!("/proc/{}", k.pid())).exists()
}

#[test]
fn under_the_journal_log_lines_carry_a_priority_and_no_colour_or_time() {
    let kiosk = KioskProcess::start_with_env(
        "[state]\nenabled = false\n",
        &[],
        &[("JOURNAL_STREAM", "8:12345")],
    );
    let log = kiosk.log.lock().unwrap().clone();
    let first = log.lines().next().unwrap_or_default();
    assert!(
        log.lines()
            .any(|l| l.starts_with("<6>vitrine") && l.contains("remote control listening")),
        "{log}"
    );
    assert!(!log.contains('\u{1b}'), "no colour codes: {first}");
    // A timestamp would start the line with the year.
    assert!(log.lines().all(|l| l.starts_with('<')), "{log}");
}
