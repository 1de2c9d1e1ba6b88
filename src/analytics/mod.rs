//! Touch analytics: declares the counters (pure), the file they are kept in between restarts, and their rows and CSV.

mod counters;
mod file;
pub mod table;

pub use counters::{Analytics, Counts, Report, WidgetCounts};
pub use file::{StatsError, load, save};
