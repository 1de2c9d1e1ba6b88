//! Touch analytics and proof of play: declares the counters (pure), the plays table (pure) and the file both are kept in between restarts (their rows and CSV are the API model's `stats_table`).

mod counters;
mod file;
mod plays;

pub use counters::Analytics;
pub use file::{StatsError, load, save};
pub use plays::{At, PlayBounds, Plays};
pub use vitrine_api::stats::{Counts, Report, WidgetCounts};
