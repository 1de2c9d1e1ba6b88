//! The Apache Thrift endpoint: `displaymanager.thrift` (beside this file) served next to the JSON socket, through the same dispatch; declares its parts.

pub mod conn;
pub mod detect;
pub mod server;
pub mod service;

pub use server::{ThriftError, ThriftServer, off_for_token, start};
