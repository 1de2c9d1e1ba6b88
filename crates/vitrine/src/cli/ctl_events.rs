//! `vitrine ctl watch` and `vitrine ctl stats`: events printed as JSON lines until interrupted, and the touch counters or proof of play as a table or CSV.

use std::io::Write;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;

use vitrine::analytics::Report;
use vitrine::api::stats_table::{
    COLUMNS, PLAY_COLUMNS, play_rows, rows, time, write_csv, write_plays_csv,
};
use vitrine::remote::{Client, ClientError};

/// Prints every event pushed on `client` as one JSON line, until the
/// connection ends.
pub fn watch(client: &mut Client) -> Result<(), ClientError> {
    let out = std::io::stdout();
    loop {
        let Some(event) = client.next_event(None)? else {
            continue;
        };
        let mut out = out.lock();
        // A closed pipe (`| head`) ends the watch.
        if writeln!(out, "{event}").and_then(|()| out.flush()).is_err() {
            return Ok(());
        }
    }
}

/// `--since`: an RFC 3339 time, or a span ago such as `2h` or `30m`, as
/// Unix seconds.
pub fn parse_since(text: &str) -> Result<f64, String> {
    if let Ok(t) = humantime::parse_rfc3339_weak(text) {
        return Ok(unix(t));
    }
    let span = humantime::parse_duration(text).map_err(|_| {
        format!("--since {text:?} is neither a time (2026-11-26T09:00:00Z) nor a span ago (2h)")
    })?;
    let then = SystemTime::now()
        .checked_sub(span)
        .ok_or_else(|| format!("--since {text:?} is before 1970"))?;
    Ok(unix(then))
}

fn unix(t: SystemTime) -> f64 {
    t.duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs_f64()
}

/// Prints a `stats` reply as an aligned table, or as CSV (one row per
/// widget, then `*total*`).
pub fn print_stats(result: &Value, csv: bool, plays: bool) -> Result<(), String> {
    let report: Report = serde_json::from_value(result.clone())
        .map_err(|e| format!("the stats reply is not a report: {e}"))?;
    let stdout = std::io::stdout();
    if csv {
        let written = if plays {
            write_plays_csv(&report, stdout.lock())
        } else {
            write_csv(&report, stdout.lock())
        };
        return written.map_err(|e| format!("cannot write CSV: {e}"));
    }
    let mut out = stdout.lock();
    let _ = writeln!(out, "counting since {}", time(Some(report.counting_since)));
    if plays {
        table(&mut out, PLAY_COLUMNS, &play_rows(&report), 2);
    } else {
        table(&mut out, COLUMNS, &rows(&report), 1);
    }
    Ok(())
}

/// Prints `rows` under `columns`, aligned: the first `left` columns to the
/// left, numbers to the right.
fn table<const N: usize>(
    out: &mut impl Write,
    columns: [&str; N],
    rows: &[[String; N]],
    left: usize,
) {
    let mut widths = columns.map(str::len);
    for r in rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let header = columns.map(String::from);
    for r in std::iter::once(&header).chain(rows) {
        let line: Vec<String> = r
            .iter()
            .zip(widths)
            .enumerate()
            .map(|(i, (cell, w))| {
                if i < left {
                    format!("{cell:<w$}")
                } else {
                    format!("{cell:>w$}")
                }
            })
            .collect();
        let _ = writeln!(out, "{}", line.join("  ").trim_end());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_takes_a_time_or_a_span_ago() {
        assert_eq!(
            parse_since("2026-11-26T09:00:00Z").unwrap(),
            1_795_683_600.0
        );
        let ago = parse_since("2h").unwrap();
        let now = unix(SystemTime::now());
        assert!((now - ago - 7200.0).abs() < 5.0, "{now} {ago}");
        assert!(parse_since("yesterday-ish").is_err());
    }
}
