//! Touch analytics: declares the counters (pure) and the file they are kept in between restarts.

mod counters;
mod file;

pub use counters::{Analytics, Counts, Report, WidgetCounts};
pub use file::{StatsError, load, save};
