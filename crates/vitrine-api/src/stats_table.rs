//! The touch counters as rows: the columns, one row per widget and a total, times as RFC 3339, and the CSV both `vitrine ctl stats --csv` and the admin page's download write; proof of play as rows and CSV too (`--plays`).

use std::time::{Duration, UNIX_EPOCH};

use crate::stats::{Counts, Report};

/// The column names, in order.
pub const COLUMNS: [&str; 10] = [
    "name",
    "touches",
    "taps",
    "drags",
    "pinches",
    "video_plays",
    "video_views",
    "held_s",
    "first_touch",
    "last_touch",
];

/// The name of the total row.
pub const TOTAL: &str = "*total*";

/// A Unix time as RFC 3339 (UTC, to the second); "" for none.
pub fn time(t: Option<f64>) -> String {
    // RFC 3339 ends at the year 9999.
    t.filter(|t| t.is_finite() && (0.0..253_402_300_800.0).contains(t))
        .map(|t| {
            let at = UNIX_EPOCH + Duration::from_secs_f64(t);
            humantime::format_rfc3339_seconds(at).to_string()
        })
        .unwrap_or_default()
}

fn row(name: &str, c: &Counts) -> [String; 10] {
    [
        name.to_string(),
        c.touches.to_string(),
        c.taps.to_string(),
        c.drags.to_string(),
        c.pinches.to_string(),
        c.video_plays.to_string(),
        c.video_views.to_string(),
        format!("{:.1}", c.held_s),
        time(c.first_touch),
        time(c.last_touch),
    ]
}

/// One row per widget, then the total.
pub fn rows(report: &Report) -> Vec<[String; 10]> {
    report
        .widgets
        .iter()
        .map(|w| row(&w.name, &w.counts))
        .chain(std::iter::once(row(TOTAL, &report.total)))
        .collect()
}

/// The report as CSV with a header line.
pub fn write_csv<W: std::io::Write>(report: &Report, out: W) -> Result<(), csv::Error> {
    write_table(COLUMNS, rows(report), 0, out)
}

/// `columns` and `rows` as CSV, with the cell in column `name` made inert.
fn write_table<W: std::io::Write, const N: usize>(
    columns: [&str; N],
    rows: Vec<[String; N]>,
    name: usize,
    out: W,
) -> Result<(), csv::Error> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(columns)?;
    for mut r in rows {
        r[name] = inert(&r[name]);
        w.write_record(&r)?;
    }
    w.flush()?;
    Ok(())
}

/// The columns of proof of play, in order.
pub const PLAY_COLUMNS: [&str; 6] = [
    "hour",
    "item",
    "shows",
    "seconds",
    "max_fraction",
    "plays_to_end",
];

/// Proof of play as rows: one per item and hour, oldest hour first.
pub fn play_rows(report: &Report) -> Vec<[String; 6]> {
    report
        .plays
        .iter()
        .map(|p| {
            [
                p.hour.clone(),
                p.item.clone(),
                p.counts.shows.to_string(),
                format!("{:.1}", p.counts.seconds),
                format!("{:.3}", p.counts.max_fraction),
                p.counts.plays_to_end.to_string(),
            ]
        })
        .collect()
}

/// Proof of play as CSV with a header line.
pub fn write_plays_csv<W: std::io::Write>(report: &Report, out: W) -> Result<(), csv::Error> {
    write_table(PLAY_COLUMNS, play_rows(report), 1, out)
}

/// A widget name a spreadsheet will not run as a formula: one that starts
/// like a formula gets a leading `'`.
fn inert(name: &str) -> String {
    if name.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{name}")
    } else {
        name.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_rfc3339_and_none_is_empty() {
        assert_eq!(time(Some(1_795_683_600.0)), "2026-11-26T09:00:00Z");
        assert_eq!(time(None), "");
        assert_eq!(time(Some(f64::NAN)), "");
    }

    #[test]
    fn csv_has_a_header_each_widget_and_the_total() {
        let report: Report = serde_json::from_value(serde_json::json!({
            "counting_since": 0.0,
            "widgets": [{"name": "a,b", "touches": 2, "taps": 1, "drags": 0, "pinches": 0,
                "video_plays": 0, "video_views": 0, "held_s": 0.5,
                "first_touch": null, "last_touch": null}],
            "total": {"touches": 2, "taps": 1, "drags": 0, "pinches": 0,
                "video_plays": 0, "video_views": 0, "held_s": 0.5,
                "first_touch": null, "last_touch": null}
        }))
        .unwrap();
        let mut out = Vec::new();
        write_csv(&report, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], COLUMNS.join(","));
        assert_eq!(lines[1], "\"a,b\",2,1,0,0,0,0,0.5,,");
        assert!(lines[2].starts_with("*total*,2,1"));
        assert_eq!(inert("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(inert("shoe"), "shoe");
    }

    #[test]
    fn plays_csv_has_a_header_and_a_row_per_item_and_hour() {
        let report: Report = serde_json::from_value(serde_json::json!({
            "counting_since": 0.0, "widgets": [],
            "total": {},
            "plays": [{"hour": "2026-12-04T20:00:00+01:00", "item": "=cmd", "shows": 2,
                "seconds": 12.25, "max_fraction": 0.5, "plays_to_end": 1}]
        }))
        .unwrap();
        let mut out = Vec::new();
        write_plays_csv(&report, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], PLAY_COLUMNS.join(","));
        assert_eq!(lines[1], "2026-12-04T20:00:00+01:00,'=cmd,2,12.2,0.500,1");
        assert_eq!(lines.len(), 2);
    }
}
