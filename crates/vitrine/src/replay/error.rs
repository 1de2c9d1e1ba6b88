//! Why a replay could not run: a malformed scene or trace file, with its line.

/// Why a replay could not run. Line numbers are 1-based.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReplayError {
    /// The scene file is malformed.
    #[error("scene line {line}: {message}")]
    Scene { line: usize, message: String },
    /// The trace file is malformed.
    #[error("trace line {line}: {message}")]
    Trace { line: usize, message: String },
}
