//! The kiosk's video players: prerolling them, turning their events into news for the kiosk, and the handle a widget keeps for its player once it shows.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

use super::load::request::{Origin, Placement};
use super::reaper::Reaper;
use crate::media::{Frame, MediaError, MediaEvent, Player, PlayerEvent, PlayerId, PlayerOptions};
use crate::outcome::LoadFailure;
use crate::pixels::Rgba8Image;
use crate::render::Renderer;
use crate::scene::{ContentKey, VideoCommand};
use crate::wake::Wake;

/// A video that is prerolling and not on screen yet.
struct Pending {
    player: Player,
    name: String,
    uri: String,
    key: ContentKey,
    poster: Option<Arc<Rgba8Image>>,
    placement: Placement,
    origin: Origin,
}

/// A player on screen, owned by its widget's entry.
pub struct VideoHandle {
    id: PlayerId,
    player: Player,
    /// The newest frame uploaded so far.
    seen: u64,
}

impl VideoHandle {
    pub fn id(&self) -> PlayerId {
        self.id
    }

    /// Carries a scene command to the player.
    pub fn command(&self, command: VideoCommand) {
        match command {
            VideoCommand::Play => self.player.play(),
            VideoCommand::Pause => self.player.pause(),
            VideoCommand::Restart => self.player.restart(),
            VideoCommand::Rewind => self.player.rewind(),
        }
    }

    /// Whether a frame has arrived that is not uploaded yet.
    pub fn has_new_frame(&self) -> bool {
        self.player.mailbox().delivered() != self.seen
    }

    /// Frames the player has delivered.
    pub fn delivered(&self) -> u64 {
        self.player.mailbox().delivered()
    }

    /// Uploads the newest frame under `key`, if there is a new one. Returns
    /// whether a frame was uploaded.
    pub fn upload(&mut self, key: ContentKey, renderer: &mut Renderer) -> Result<bool, String> {
        let Some((seq, sample)) = self.player.mailbox().take_newer(self.seen) else {
            return Ok(false);
        };
        self.seen = seq;
        let frame = Frame::from_sample(&sample).map_err(|e| e.to_string())?;
        let planes = frame.planes().map_err(|e| e.to_string())?;
        renderer
            .upload_frame(key, &planes)
            .map_err(|e| e.to_string())?;
        Ok(true)
    }
}

/// What the kiosk must do about a video.
pub enum VideoNews {
    /// The first frame is ready: show the widget with this player.
    Ready {
        name: String,
        uri: String,
        key: ContentKey,
        poster: Option<Arc<Rgba8Image>>,
        size: (u32, u32),
        placement: Placement,
        origin: Origin,
        video: VideoHandle,
    },
    /// The video failed before it showed: report it (or show an error card).
    Failed {
        name: String,
        uri: String,
        placement: Placement,
        origin: Origin,
        failure: LoadFailure,
    },
    /// A player on screen died: its widget becomes an error card.
    Died { player: PlayerId, error: String },
    /// A player on screen reached its end (under the pause or stop policy).
    Ended { player: PlayerId },
    /// A player on screen reached its end and started again (under `loop`).
    Looped { player: PlayerId },
}

/// The players still prerolling, and the channel every player reports on.
pub struct Videos {
    tx: Sender<MediaEvent>,
    rx: Receiver<MediaEvent>,
    wake: Arc<dyn Wake>,
    options: PlayerOptions,
    next_id: PlayerId,
    pending: HashMap<PlayerId, Pending>,
    reaper: Reaper,
}

impl Videos {
    pub fn new(options: PlayerOptions, wake: Arc<dyn Wake>, reaper: Reaper) -> Self {
        // Unbounded in type only: players send a few events each (ready,
        // end, error) and one per loop, never frames; there are at most
        // `video.max_players` of them, and each event wakes the UI thread,
        // which drains them all.
        let (tx, rx) = channel();
        Self {
            tx,
            rx,
            wake,
            options,
            next_id: 1,
            pending: HashMap::new(),
            reaper,
        }
    }

    /// Starts prerolling `uri` for the widget `name` (from `uri.1`, itself or
    /// a local copy of it; `uri.0` is what the kiosk reports); its frames go
    /// to `key`, and `poster` shows until it first plays.
    pub fn open(
        &mut self,
        name: &str,
        (uri, play): (&str, &str),
        key: ContentKey,
        poster: Option<Arc<Rgba8Image>>,
        placement: Placement,
        origin: Origin,
    ) -> Result<(), MediaError> {
        let id = self.next_id;
        self.next_id += 1;
        let player = Player::open(id, play, &self.options, self.tx.clone(), self.wake.clone())?;
        self.pending.insert(
            id,
            Pending {
                player,
                name: name.to_string(),
                uri: uri.to_string(),
                key,
                poster,
                placement,
                origin,
            },
        );
        Ok(())
    }

    /// Players still prerolling.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// Drops prerolling players whose caller gave up.
    pub fn drop_cancelled(&mut self) {
        // Runs every pass: take the cancelled ones out without collecting.
        for (_, p) in self.pending.extract_if(|_, p| p.origin.is_cancelled()) {
            self.reaper.bury(p.player);
        }
    }

    /// The next piece of news from the players.
    pub fn poll(&mut self) -> Option<VideoNews> {
        loop {
            let MediaEvent { player, event } = self.rx.try_recv().ok()?;
            if let Some(news) = self.handle(player, event) {
                return Some(news);
            }
        }
    }

    fn handle(&mut self, id: PlayerId, event: PlayerEvent) -> Option<VideoNews> {
        let Some(p) = self.pending.remove(&id) else {
            // A player on screen, or one already gone (its late events mean
            // nothing).
            return match event {
                PlayerEvent::Error(_, error) => Some(VideoNews::Died { player: id, error }),
                PlayerEvent::EndOfStream => Some(VideoNews::Ended { player: id }),
                PlayerEvent::Looped => Some(VideoNews::Looped { player: id }),
                PlayerEvent::Ready { .. } => None,
            };
        };
        match event {
            PlayerEvent::Ready { width, height } => Some(VideoNews::Ready {
                name: p.name,
                uri: p.uri,
                key: p.key,
                poster: p.poster,
                size: (width, height),
                placement: p.placement,
                origin: p.origin,
                video: VideoHandle {
                    id,
                    player: p.player,
                    seen: 0,
                },
            }),
            PlayerEvent::Error(failure, error) => {
                self.reaper.bury(p.player);
                Some(VideoNews::Failed {
                    name: p.name,
                    uri: p.uri,
                    placement: p.placement,
                    origin: p.origin,
                    failure: super::failures::media(failure, &error),
                })
            }
            // Cannot end before it is ready; keep waiting.
            PlayerEvent::EndOfStream | PlayerEvent::Looped => {
                self.pending.insert(id, p);
                None
            }
        }
    }
}
