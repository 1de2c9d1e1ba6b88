//! Remote control: the embedded JSON socket server (jsocket framings), its protocol, and the client `vitrine ctl` uses.
//!
//! `codec`, `command` and `protocol` are pure. The protocol parses each request once
//! into a typed [`Command`]; the server answers queries itself and hands
//! loads and calls to the UI thread as [`Task`]s, whose typed replies only
//! [`reply`] turns into JSON.

pub mod answer;
pub mod client;
pub mod codec;
pub mod command;
mod conn;
pub mod dispatch;
pub(crate) mod head;
mod line;
pub mod protocol;
mod push;
pub mod reply;
pub mod server;

pub use answer::answer;
pub use client::{Client, ClientError};
pub use codec::Framing;
pub use command::{
    Call, CallReply, CallResult, Command, Load, PlaceSpec, Query, Stream, WidgetInfo,
};
pub use dispatch::{BLACK_FRAME, Dispatch, DisplayView, Task, View};
pub use protocol::PushResult;
pub use server::{Server, ServerError, ServerSettings};
