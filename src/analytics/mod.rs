//! Touch analytics: declares the counters (pure), the file they are kept in between restarts, and their rows and CSV.

mod counters;
mod file;
pub mod table;

pub use counters::Analytics;
pub use file::{StatsError, load, save};
pub use vitrine_api::stats::{Counts, Report, WidgetCounts};
