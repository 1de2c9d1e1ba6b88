//! `vitrine doctor`: what a technician runs on a new kiosk to learn whether vitrine can run there and what to install; declares its checks.

mod admin_tls;
mod content_policy;
mod display;
mod media;
mod power;
mod report;
mod run;
mod seat;
mod system;

pub use report::{Check, Report, Verdict};
pub use run::{DoctorOptions, run};
