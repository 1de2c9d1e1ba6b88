//! The binary's own modules, beside `main.rs`'s argument parsing: `vitrine ctl` (and its fleet, events and placement parts), the journal's log format, and the manual page and completions.

pub mod ctl;
mod ctl_args;
mod ctl_events;
mod ctl_fleet;
mod ctl_place;
pub mod journal;
pub mod man;
