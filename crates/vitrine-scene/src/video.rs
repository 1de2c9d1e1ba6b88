//! Video control state: poster, playing, paused and ended, the play overlay, and the end-of-stream policy.

use serde::{Deserialize, Serialize};

/// Where a video stands, as far as the person at the kiosk can tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VideoState {
    /// At position 0 and never played: the poster shows.
    Poster,
    Playing,
    Paused,
    /// Stopped at the last frame by the `pause` end policy.
    Ended,
}

impl VideoState {
    pub fn name(self) -> &'static str {
        match self {
            VideoState::Poster => "poster",
            VideoState::Playing => "playing",
            VideoState::Paused => "paused",
            VideoState::Ended => "ended",
        }
    }
}

/// What happens when a video reaches its end.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EndPolicy {
    /// Start again from the beginning without a gap.
    #[default]
    Loop,
    /// Hold the last frame with the play overlay; a tap plays it again.
    Pause,
    /// Go back to position 0 and show the poster.
    Stop,
}

/// What the media player must do after a state change. The scene only
/// decides; the app carries the command to the player.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VideoCommand {
    Play,
    Pause,
    /// Seek to position 0 and play.
    Restart,
    /// Seek to position 0 and hold there (the poster shows).
    Rewind,
}

/// The play/pause logic of one video widget.
#[derive(Clone, Debug, PartialEq)]
pub struct VideoControl {
    state: VideoState,
    policy: EndPolicy,
}

impl VideoControl {
    pub fn new(policy: EndPolicy) -> Self {
        Self {
            state: VideoState::Poster,
            policy,
        }
    }

    pub fn state(&self) -> VideoState {
        self.state
    }

    pub fn policy(&self) -> EndPolicy {
        self.policy
    }

    /// The play overlay shows exactly when the video is not playing.
    pub fn overlay_visible(&self) -> bool {
        self.state != VideoState::Playing
    }

    /// The poster shows until the video first plays.
    pub fn shows_poster(&self) -> bool {
        self.state == VideoState::Poster
    }

    /// A tap: play when not playing, pause when playing.
    pub fn toggle(&mut self) -> VideoCommand {
        match self.state {
            VideoState::Playing => self.pause().unwrap_or(VideoCommand::Pause),
            _ => self.play().unwrap_or(VideoCommand::Play),
        }
    }

    /// Starts playing; `None` when it already plays.
    pub fn play(&mut self) -> Option<VideoCommand> {
        let command = match self.state {
            VideoState::Playing => return None,
            VideoState::Ended => VideoCommand::Restart,
            VideoState::Poster | VideoState::Paused => VideoCommand::Play,
        };
        self.state = VideoState::Playing;
        Some(command)
    }

    /// Pauses; `None` when it is not playing.
    pub fn pause(&mut self) -> Option<VideoCommand> {
        if self.state != VideoState::Playing {
            return None;
        }
        self.state = VideoState::Paused;
        Some(VideoCommand::Pause)
    }

    /// Goes back to position 0 with the poster and the play button; `None`
    /// when it shows the poster already.
    pub fn rewind(&mut self) -> Option<VideoCommand> {
        if self.state == VideoState::Poster {
            return None;
        }
        self.state = VideoState::Poster;
        Some(VideoCommand::Rewind)
    }

    /// The player reached the end of the stream. Under `loop` the player
    /// restarts by itself, so nothing changes here.
    pub fn end_of_stream(&mut self) -> Option<VideoCommand> {
        if self.state != VideoState::Playing {
            return None;
        }
        match self.policy {
            EndPolicy::Loop => None,
            EndPolicy::Pause => {
                self.state = VideoState::Ended;
                Some(VideoCommand::Pause)
            }
            EndPolicy::Stop => {
                self.state = VideoState::Poster;
                Some(VideoCommand::Rewind)
            }
        }
    }
}

/// A video operation requested by the app or the remote API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VideoRequest {
    Play,
    Pause,
    Toggle,
    EndOfStream,
    /// Back to position 0 with the poster showing: a reset for the next
    /// customer.
    Rewind,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tap_cycle_and_overlay() {
        let mut v = VideoControl::new(EndPolicy::Loop);
        assert!(v.shows_poster() && v.overlay_visible());
        assert_eq!(v.toggle(), VideoCommand::Play);
        assert!(!v.overlay_visible() && !v.shows_poster());
        assert_eq!(v.toggle(), VideoCommand::Pause);
        assert_eq!(v.state(), VideoState::Paused);
        assert!(v.overlay_visible() && !v.shows_poster());
        assert_eq!(v.toggle(), VideoCommand::Play);
    }

    #[test]
    fn end_policies() {
        let mut v = VideoControl::new(EndPolicy::Loop);
        v.play();
        assert_eq!(v.end_of_stream(), None);
        assert_eq!(v.state(), VideoState::Playing);

        let mut v = VideoControl::new(EndPolicy::Pause);
        v.play();
        assert_eq!(v.end_of_stream(), Some(VideoCommand::Pause));
        assert_eq!(v.state(), VideoState::Ended);
        assert!(v.overlay_visible());
        assert_eq!(v.toggle(), VideoCommand::Restart);

        let mut v = VideoControl::new(EndPolicy::Stop);
        v.play();
        assert_eq!(v.end_of_stream(), Some(VideoCommand::Rewind));
        assert!(v.shows_poster());
    }

    #[test]
    fn redundant_commands_are_none() {
        let mut v = VideoControl::new(EndPolicy::Loop);
        assert_eq!(v.pause(), None);
        assert_eq!(v.end_of_stream(), None);
        v.play();
        assert_eq!(v.play(), None);
    }
}

#[cfg(test)]
mod rewind_tests {
    use super::*;

    #[test]
    fn rewind_brings_back_the_poster_from_any_state() {
        let mut v = VideoControl::new(EndPolicy::Loop);
        assert_eq!(v.rewind(), None, "already at the poster");
        v.play();
        assert_eq!(v.rewind(), Some(VideoCommand::Rewind));
        assert!(v.shows_poster() && v.overlay_visible());
        v.play();
        v.pause();
        assert_eq!(v.rewind(), Some(VideoCommand::Rewind));
        assert_eq!(v.state(), VideoState::Poster);
    }
}
