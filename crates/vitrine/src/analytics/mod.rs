//! Touch analytics: declares the counters (pure) and the file they are kept in between restarts (their rows and CSV are the API model's `stats_table`).

mod counters;
mod file;

pub use counters::Analytics;
pub use file::{StatsError, load, save};
pub use vitrine_api::stats::{Counts, Report, WidgetCounts};
