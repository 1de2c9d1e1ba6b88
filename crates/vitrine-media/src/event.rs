//! What a player tells the app: its id, and its news (ready, ended, looped, failed).

use super::error::Failure;

/// Identifies a player in the events it sends.
pub type PlayerId = u64;

/// News from a player.
#[derive(Clone, Debug, PartialEq)]
pub enum PlayerEvent {
    /// The first frame is decoded (it is in the mailbox): the video can show.
    Ready { width: u32, height: u32 },
    /// The stream ended and the player does not loop.
    EndOfStream,
    /// The stream reached its end and the player started it again.
    Looped,
    /// The stream failed: before `Ready`, the load failed; after, it died.
    Error(Failure, String),
}

/// A player's event, tagged with its id.
#[derive(Clone, Debug, PartialEq)]
pub struct MediaEvent {
    pub player: PlayerId,
    pub event: PlayerEvent,
}
