//! TUIO 1.1 input: touch from touch frames, tables and simulators over UDP; declares its parts.

pub mod decode;
pub mod listener;
pub mod tracker;

pub use listener::{TuioError, TuioListener, start};
pub use tracker::{Phase, Touch};
