//! What `vitrine doctor` found: one line per check with its verdict and, for what is missing, what to install; printed as a table.

use std::fmt::Write as _;

/// A check's verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Ok,
    /// Works, but not as well as it could (a software GPU, no hardware
    /// decoder).
    Warn,
    /// Something the kiosk needs is missing: it cannot run.
    Missing,
}

impl Verdict {
    fn label(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Warn => "warn",
            Verdict::Missing => "MISSING",
        }
    }
}

/// One check.
#[derive(Clone, Debug)]
pub struct Check {
    pub area: &'static str,
    pub verdict: Verdict,
    pub detail: String,
    /// What to do about it, for a warning or a missing part.
    pub fix: Option<String>,
}

impl Check {
    pub fn ok(area: &'static str, detail: impl Into<String>) -> Self {
        Self {
            area,
            verdict: Verdict::Ok,
            detail: detail.into(),
            fix: None,
        }
    }

    pub fn warn(area: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Self {
        Self {
            area,
            verdict: Verdict::Warn,
            detail: detail.into(),
            fix: Some(fix.into()),
        }
    }

    pub fn missing(area: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Self {
        Self {
            area,
            verdict: Verdict::Missing,
            detail: detail.into(),
            fix: Some(fix.into()),
        }
    }
}

/// Every check, in order.
#[derive(Debug, Default)]
pub struct Report {
    pub checks: Vec<Check>,
}

impl Report {
    /// Whether the kiosk can run: nothing it needs is missing.
    pub fn can_run(&self) -> bool {
        self.checks.iter().all(|c| c.verdict != Verdict::Missing)
    }

    /// The table, then what to do.
    pub fn render(&self) -> String {
        let area_w = self.checks.iter().map(|c| c.area.len()).max().unwrap_or(4);
        let mut out = String::new();
        let _ = writeln!(out, "{:<area_w$}  {:<7}  detail", "check", "verdict");
        for c in &self.checks {
            let mut lines = c.detail.lines();
            let _ = writeln!(
                out,
                "{:<area_w$}  {:<7}  {}",
                c.area,
                c.verdict.label(),
                lines.next().unwrap_or("")
            );
            for more in lines {
                let _ = writeln!(out, "{:<area_w$}  {:<7}  {more}", "", "");
            }
        }
        let fixes: Vec<&Check> = self.checks.iter().filter(|c| c.fix.is_some()).collect();
        if !fixes.is_empty() {
            let _ = writeln!(out);
            for c in fixes {
                let _ = writeln!(out, "{}: {}", c.area, c.fix.as_deref().unwrap_or(""));
            }
        }
        let _ = writeln!(
            out,
            "\n{}",
            if self.can_run() {
                "vitrine can run here."
            } else {
                "vitrine cannot run here until what is MISSING is installed or fixed."
            }
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_part_fails_the_report_and_says_what_to_do() {
        let mut r = Report::default();
        r.checks
            .push(Check::ok("config", "/etc/vitrine/vitrine.toml: valid"));
        r.checks
            .push(Check::warn("gpu", "llvmpipe (software)", "a GPU"));
        assert!(r.can_run());
        r.checks
            .push(Check::missing("gstreamer", "not found", "apt install x"));
        assert!(!r.can_run());
        let text = r.render();
        assert!(
            text.contains("MISSING") && text.contains("gstreamer: apt install x"),
            "{text}"
        );
        assert!(text.contains("cannot run"), "{text}");
    }
}
