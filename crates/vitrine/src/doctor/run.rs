//! Running every check of `vitrine doctor` in order, from what it was asked about.

use std::path::PathBuf;

use super::report::Report;
use super::{display, media, system};

/// What `vitrine doctor` checks.
#[derive(Clone, Debug)]
pub struct DoctorOptions {
    /// The config file the kiosk would read.
    pub config: PathBuf,
    /// Whether the kiosk is to run headless, needing no display.
    pub headless: bool,
}

/// Every check: display, GPU, GStreamer and decoders, fonts, config, state,
/// ports, the fleet's broker, touch.
pub fn run(opts: &DoctorOptions) -> Report {
    let mut report = Report::default();
    report.checks.push(display::display(opts.headless));
    report.checks.push(display::gpu());
    report.checks.extend(media::gstreamer());
    report.checks.push(system::fonts());
    let (check, config) = system::config(&opts.config);
    report.checks.push(check);
    report.checks.push(system::state(&config));
    report.checks.extend(super::seat::seat(&config));
    report
        .checks
        .extend(super::power::power(&config, opts.headless));
    report.checks.extend(system::ports(&config));
    report
        .checks
        .push(super::content_policy::allowed_hosts(&config));
    report.checks.push(super::admin_tls::admin_page(&config));
    report.checks.push(system::broker(&config));
    report.checks.push(system::touch());
    report
}
