//! The JSON socket: the embedded server (jsocket framings) and the client `vitrine ctl` uses.
//!
//! `codec` is pure. What a request means (commands, the protocol, replies)
//! is the API model's (`vitrine-api`); this module only carries frames.

pub mod client;
pub mod codec;
mod conn;
pub(crate) mod head;
mod line;
mod push;
pub mod server;

pub use client::{Client, ClientError};
pub use codec::Framing;
pub use server::{Server, ServerError, ServerSettings};
