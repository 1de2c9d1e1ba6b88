//! vitrine's API model (std, serde and base64 only): declares its files and re-exports what the front ends and the app use.
//!
//! A request is parsed once ([`protocol`]) into a typed [`Command`]; every
//! front end (the JSON socket, Thrift, the admin page, the fleet) hands it
//! to the one [`Dispatch`], and [`answer`] and [`reply`] turn the typed
//! result into the reply. The types that go on the wire or into the state
//! file ([`gestures`], [`document`], [`stats`], [`events`]) are owned here;
//! the app translates them into scene calls.
//!
//! Nothing here knows about sockets, windows, GPUs or media. No file here
//! imports this one: each names the file it needs (`tests/it/layering.rs`
//! checks that the files import one another without cycles).

pub mod answer;
pub mod command;
pub mod dispatch;
pub mod document;
pub mod events;
pub mod gestures;
pub mod outcome;
pub mod plays;
pub mod protocol;
pub mod reply;
pub mod schedule_view;
pub mod stats;
pub mod stats_table;

pub use answer::answer;
pub use command::{
    Call, CallReply, CallResult, Command, Load, PlaceSpec, Query, Stream, WidgetInfo,
};
pub use dispatch::{BLACK_FRAME, Dispatch, DisplayView, Task, View};
pub use protocol::PushResult;
pub use schedule_view::{NextChange, ScheduleView};
