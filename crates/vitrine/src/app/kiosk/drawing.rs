//! What the kiosk draws: whether a frame is due, the draw list for a moment (black while the screen is off), the textures the renderer needs, and how long the loop may sleep.

use std::time::{Duration, Instant};

use glam::Vec2;

use super::Kiosk;
use crate::app::widgets::{Attachment, Texture};
use crate::render::Renderer;
use crate::scene::{DrawItem, DrawList, Kind, Rgba};

impl Kiosk {
    /// Whether a frame must be drawn at `now`: something changed, a video
    /// has a new frame, or something moves on its own.
    pub fn needs_redraw(&mut self, now: Duration) -> bool {
        self.scene.advance(now);
        if self.is_dark() {
            // One black frame, then nothing until the screen comes back.
            return self.power_repaint();
        }
        let power = self.power_repaint();
        self.observe_pages();
        let markers_changed = self.mouse.pins().count() != self.markers_shown;
        let new_frames = self
            .widgets
            .iter()
            .filter_map(|(_, e)| e.video())
            .any(|v| v.has_new_frame());
        self.scene.take_dirty()
            || self.scene.is_animating(now)
            || markers_changed
            || new_frames
            || power
    }

    /// Lets each HTML page see its widget's scale, so it can be painted again
    /// once a pinch settles.
    fn observe_pages(&mut self) {
        let now = Instant::now();
        for (id, entry) in self.widgets.iter_mut() {
            let Attachment::Page(page) = &mut entry.attachment else {
                continue;
            };
            if let Some(w) = self.scene.get(id).filter(|w| w.kind() == &Kind::Html) {
                self.pages.observe(page, w.scale(), now);
            }
        }
    }

    /// Moves the scene's clock on without drawing: glides and fades reach
    /// where they should be, so what the remote API reports is true in
    /// headless mode too, where frames are drawn only for screenshots.
    pub fn advance(&mut self, now: Duration) {
        self.scene.advance(now);
    }

    /// Whether something moves on its own, so frames must keep coming.
    pub fn is_animating(&self, now: Duration) -> bool {
        self.scene.is_animating(now)
    }

    /// How long the loop may sleep before a page needs looking at again.
    pub fn next_deadline(&self) -> Option<Duration> {
        let now = Instant::now();
        let pages = self
            .widgets
            .iter()
            .filter_map(|(_, e)| e.page())
            .filter_map(|p| p.settles_at(now))
            .chain(self.pages.next_deadline())
            .min()
            .map(|t| t.saturating_duration_since(now));
        pages
            .into_iter()
            .chain(self.idle_deadline())
            .chain(self.power_deadline())
            .chain(self.telemetry.deadline())
            .chain(self.plan.cached_deadline())
            .chain(self.proof_deadline())
            .chain(self.preview_deadline())
            .chain(
                self.playlists
                    .deadline()
                    .map(|at| at.saturating_sub(self.now())),
            )
            .min()
    }

    /// Brings the renderer in line: frees what was dropped, uploads images
    /// that are missing, and uploads new video frames.
    pub fn sync_textures(&mut self, renderer: &mut Renderer) {
        for key in self.widgets.take_dropped() {
            renderer.forget(key);
        }
        // Items waiting for their turn go up early, so the frame that shows
        // one has nothing to upload.
        for entry in self.playlists.parked_mut() {
            if let Texture::Image { key, image, page } = &entry.texture
                && !renderer.has_texture(*key)
            {
                if *page {
                    renderer.upload_page(*key, image);
                } else {
                    renderer.upload(*key, image);
                }
            }
            let key = entry.texture.key();
            if let Attachment::Video(v) = &mut entry.attachment
                && let Err(e) = v.upload(key, renderer)
            {
                tracing::warn!(%e, "a video frame was skipped");
            }
        }
        let (card_key, card) = &self.error_card;
        for (_, entry) in self.widgets.iter_mut() {
            for texture in std::iter::once(&entry.texture).chain(&entry.poster) {
                match texture {
                    Texture::Image { key, image, page } if !renderer.has_texture(*key) => {
                        if *page {
                            renderer.upload_page(*key, image);
                        } else {
                            renderer.upload(*key, image);
                        }
                    }
                    Texture::Shared(key) if *key == *card_key && !renderer.has_texture(*key) => {
                        renderer.upload(*key, card);
                    }
                    _ => {}
                }
            }
            let key = entry.texture.key();
            if let Attachment::Video(v) = &mut entry.attachment {
                match v.upload(key, renderer) {
                    Ok(true) => self.displayed += 1,
                    Ok(false) => {}
                    Err(e) => tracing::warn!(%e, "a video frame was skipped"),
                }
            }
        }
    }

    /// The draw list for `now`, with pinned mouse fingers drawn as dots.
    pub fn frame(&mut self, now: Duration) -> &DrawList {
        self.scene.advance(now);
        if self.is_dark() {
            self.list.items.clear();
            self.list.window = self.scene.window_size().as_vec2();
            self.list
                .items
                .push(DrawItem::Backdrop(Rgba([0.0, 0.0, 0.0, 1.0])));
            return &self.list;
        }
        self.scene.draw_into(now, &mut self.list);
        self.markers_shown = 0;
        for p in self.mouse.pins() {
            self.list.items.push(DrawItem::Marker {
                center: Vec2::new(p.x as f32, p.y as f32),
                radius: 12.0,
                color: Rgba([1.0, 0.85, 0.2, 0.85]),
            });
            self.markers_shown += 1;
        }
        &self.list
    }

    /// The last draw list built by [`Kiosk::frame`].
    pub fn last_frame(&self) -> &DrawList {
        &self.list
    }
}
