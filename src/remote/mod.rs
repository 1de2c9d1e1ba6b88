//! Remote control: the embedded JSON socket server (jsocket framings), its protocol, and the client `vitrine ctl` uses.
//!
//! `codec` and `protocol` are pure. The server never touches the scene: it
//! turns requests into [`server::Command`]s for the UI thread and waits for
//! their replies.

pub mod client;
pub mod codec;
pub mod protocol;
pub mod server;

pub use client::{Client, ClientError};
pub use codec::Framing;
pub use protocol::PushResult;
pub use server::{Command, Server, ServerError, ServerSettings, View};
