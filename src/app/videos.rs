//! The kiosk's video players: opening them, turning their events into news for the kiosk, and uploading their newest frames.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

use super::loader::{Origin, Placement};
use crate::media::{Frame, MediaError, MediaEvent, Player, PlayerEvent, PlayerId, PlayerOptions};
use crate::render::Renderer;
use crate::scene::{ContentKey, VideoCommand};
use crate::wake::Wake;

/// A video that is prerolling and not on screen yet.
struct Pending {
    player: Player,
    name: String,
    uri: String,
    key: ContentKey,
    poster: Option<ContentKey>,
    placement: Placement,
    origin: Origin,
}

/// A video on screen, under its widget's name.
struct Shown {
    id: PlayerId,
    player: Player,
    key: ContentKey,
    /// The newest frame uploaded so far.
    seen: u64,
}

/// What the kiosk must do about a video.
pub enum VideoNews {
    /// The first frame is ready: show the widget.
    Ready {
        name: String,
        uri: String,
        key: ContentKey,
        poster: Option<ContentKey>,
        size: (u32, u32),
        placement: Placement,
        origin: Origin,
    },
    /// The video failed before it showed: report it (or show an error card).
    Failed {
        name: String,
        uri: String,
        /// A poster loaded for it, to free.
        poster: Option<ContentKey>,
        placement: Placement,
        origin: Origin,
        failure: crate::reply::LoadFailure,
    },
    /// A video on screen died: its picture becomes an error card.
    Died { name: String, error: String },
    /// A video on screen reached its end (under the pause or stop policy).
    Ended { name: String },
}

/// All the kiosk's players.
pub struct Videos {
    tx: Sender<MediaEvent>,
    rx: Receiver<MediaEvent>,
    wake: Arc<dyn Wake>,
    options: PlayerOptions,
    next_id: PlayerId,
    pending: HashMap<PlayerId, Pending>,
    shown: HashMap<String, Shown>,
    /// Frames uploaded for display, over all players.
    displayed: u64,
}

impl Videos {
    pub fn new(options: PlayerOptions, wake: Arc<dyn Wake>) -> Self {
        let (tx, rx) = channel();
        Self {
            tx,
            rx,
            wake,
            options,
            next_id: 1,
            pending: HashMap::new(),
            shown: HashMap::new(),
            displayed: 0,
        }
    }

    /// Starts prerolling `uri` for the widget `name`.
    pub fn open(
        &mut self,
        name: &str,
        uri: &str,
        key: ContentKey,
        poster: Option<ContentKey>,
        placement: Placement,
        origin: Origin,
    ) -> Result<(), MediaError> {
        let id = self.next_id;
        self.next_id += 1;
        let player = Player::open(id, uri, &self.options, self.tx.clone(), self.wake.clone())?;
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
        self.pending.retain(|_, p| !p.origin.is_cancelled());
    }

    /// The texture key of the video `name` on screen.
    pub fn key_of(&self, name: &str) -> Option<ContentKey> {
        self.shown.get(name).map(|s| s.key)
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
        if let Some(p) = self.pending.remove(&id) {
            return match event {
                PlayerEvent::Ready { width, height } => {
                    // A video of the same name it replaces stops here; the
                    // kiosk frees its texture when the widget changes.
                    self.shown.insert(
                        p.name.clone(),
                        Shown {
                            id,
                            player: p.player,
                            key: p.key,
                            seen: 0,
                        },
                    );
                    Some(VideoNews::Ready {
                        name: p.name,
                        uri: p.uri,
                        key: p.key,
                        poster: p.poster,
                        size: (width, height),
                        placement: p.placement,
                        origin: p.origin,
                    })
                }
                PlayerEvent::Error(failure, error) => Some(VideoNews::Failed {
                    name: p.name,
                    uri: p.uri,
                    poster: p.poster,
                    placement: p.placement,
                    origin: p.origin,
                    failure: super::failures::media(failure, &error),
                }),
                // Cannot end before it is ready; keep waiting.
                PlayerEvent::EndOfStream => {
                    self.pending.insert(id, p);
                    None
                }
            };
        }
        let name = self
            .shown
            .iter()
            .find(|(_, s)| s.id == id)
            .map(|(n, _)| n.clone())?;
        match event {
            PlayerEvent::Error(_, error) => {
                // The dead player stops here; the kiosk frees its texture
                // when the error card takes its place.
                self.shown.remove(&name)?;
                Some(VideoNews::Died { name, error })
            }
            PlayerEvent::EndOfStream => Some(VideoNews::Ended { name }),
            PlayerEvent::Ready { .. } => None,
        }
    }

    /// Carries a scene command to the player of `name`.
    pub fn command(&self, name: &str, command: VideoCommand) {
        let Some(s) = self.shown.get(name) else {
            return;
        };
        match command {
            VideoCommand::Play => s.player.play(),
            VideoCommand::Pause => s.player.pause(),
            VideoCommand::Restart => s.player.restart(),
            VideoCommand::Rewind => s.player.rewind(),
        }
    }

    /// Stops and frees the player of `name`; returns its texture key.
    pub fn remove(&mut self, name: &str) -> Option<ContentKey> {
        self.shown.remove(name).map(|s| s.key)
    }

    /// Whether any player on screen has a frame not yet uploaded.
    pub fn has_new_frames(&self) -> bool {
        self.shown
            .values()
            .any(|s| s.player.mailbox().delivered() != s.seen)
    }

    /// Uploads each player's newest frame, if it has a new one.
    pub fn upload(&mut self, renderer: &mut Renderer) {
        for (name, s) in &mut self.shown {
            let Some((seq, sample)) = s.player.mailbox().take_newer(s.seen) else {
                continue;
            };
            s.seen = seq;
            let uploaded = Frame::from_sample(&sample)
                .map_err(|e| e.to_string())
                .and_then(|f| {
                    let planes = f.planes().map_err(|e| e.to_string())?;
                    renderer
                        .upload_frame(s.key, &planes)
                        .map_err(|e| e.to_string())
                });
            match uploaded {
                Ok(()) => self.displayed += 1,
                Err(e) => tracing::warn!(%name, %e, "a video frame was skipped"),
            }
        }
    }

    /// Frames decoded and frames uploaded for display, over all players on
    /// screen.
    pub fn frame_counts(&self) -> (u64, u64) {
        let decoded = self
            .shown
            .values()
            .map(|s| s.player.mailbox().delivered())
            .sum();
        (decoded, self.displayed)
    }
}
