//! The scene's integration tests, in one binary that links only the scene, glam, serde and proptest.

mod properties;
mod total;
