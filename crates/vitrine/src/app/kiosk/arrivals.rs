//! What arrives in the kiosk: finished pages and videos, re-paints, links to follow, and placing content on screen (failures and their error cards are in `error_cards`).

use glam::{DAffine2, DVec2};

use super::Kiosk;
use crate::app::failures;
use crate::app::load::request::{LoadRequest, Origin, Placement, Source};
use crate::app::pages::PageNews;
use crate::app::videos::VideoNews;
use crate::app::widgets::{Attachment, Entry, Texture, image_bytes};
use crate::scene::{
    Kind, VideoControl, VideoRequest, WidgetId, WidgetSpec, placement::default_placement,
};

impl Kiosk {
    pub(super) fn page_news(&mut self, news: PageNews) {
        match news {
            PageNews::Ready {
                name,
                image,
                viewport,
                meta,
                page,
            } => {
                if !meta.card
                    && let Err(why) = self.room_for(&name, image_bytes(&image))
                {
                    self.failed(&name, &meta.source, &meta.placement, &meta.origin, &why);
                    return;
                }
                if !meta.origin.claim() {
                    // The caller gave up first. Dropping the page ends its
                    // thread.
                    return;
                }
                let size = DVec2::new(f64::from(viewport.0), f64::from(viewport.1));
                let texture = self.image_texture(std::sync::Arc::new(image), true);
                let kind = if meta.card {
                    Kind::ErrorCard
                } else {
                    Kind::Html
                };
                let entry = Entry {
                    url: if meta.card { None } else { meta.url },
                    texture,
                    poster: None,
                    attachment: Attachment::Page(page),
                };
                self.place(&name, kind, size, entry, &meta.placement, &meta.origin);
                self.shown(&name, &meta.origin, &meta.placement, "html");
            }
            PageNews::Rendered { page, seq, result } => {
                let Some(id) = self
                    .widgets
                    .find(|e| e.page().is_some_and(|p| p.id() == page))
                else {
                    return;
                };
                let image = match self.widgets.get_mut(id).map(|e| &mut e.attachment) {
                    Some(Attachment::Page(p)) => p.repainted(seq, result),
                    _ => None,
                };
                if let Some(image) = image {
                    self.repainted(id, image);
                }
            }
            PageNews::Failed { name, meta, error } => {
                if meta.card {
                    // Even the error card failed: the built-in picture.
                    tracing::error!(%name, %error, "the error card cannot be rendered");
                    self.show_png_card(&name, &meta.placement, &meta.origin);
                    self.startup_settled(&meta.origin);
                } else {
                    self.failed(
                        &name,
                        &meta.source,
                        &meta.placement,
                        &meta.origin,
                        &failures::html(&error),
                    );
                }
            }
            PageNews::Link { widget, href } => {
                if let Some(name) = self.scene.get(widget).map(|w| w.name().to_string()) {
                    self.follow_link(&name, &href);
                }
            }
        }
    }

    /// A sharper (or smaller) paint of a page on screen: the old texture
    /// showed until now, so there is no flash.
    fn repainted(&mut self, id: WidgetId, image: crate::pixels::Rgba8Image) {
        let Some(w) = self.scene.get(id) else { return };
        if let Err(why) = self.room_for(w.name(), image_bytes(&image)) {
            // The page stays as it was painted, only less sharp.
            tracing::warn!(name = %w.name(), %why, "a sharper paint does not fit");
            return;
        }
        let (kind, size) = (w.kind().clone(), w.size());
        let texture = self.image_texture(std::sync::Arc::new(image), true);
        match self.scene.replace_content(id, kind, size, texture.key()) {
            Ok(_) => self.widgets.set_texture(id, texture),
            Err(e) => tracing::warn!(%e, "cannot show a re-painted page"),
        }
    }

    /// A tap on a link: load its target into the same widget, if the content
    /// policy allows it.
    pub(super) fn follow_link(&mut self, name: &str, href: &str) {
        let allowed = url::Url::parse(href)
            .map_err(|e| e.to_string())
            .and_then(|u| self.policy.check(&u).map_err(|e| e.to_string()));
        if let Err(why) = allowed {
            tracing::info!(%name, %href, %why, "link not followed");
            return;
        }
        tracing::info!(%name, %href, "following a link");
        if !self.way_backs.knows(name)
            && let Some(w) = self.scene.by_name(name)
        {
            // A page's widget is its viewport in local pixels.
            let viewport = (w.size().x.round() as u32, w.size().y.round() as u32);
            let own_url = self.widgets.get(w.id()).and_then(|e| e.url.as_deref());
            let kept = self.keeper.screen().widget(name).map(|w| &w.source);
            if let Some(back) = super::way_back::way_back(kept, own_url, viewport) {
                self.way_backs.remember(name, back);
            }
        }
        self.load(LoadRequest {
            name: name.to_string(),
            source: Source::Url(href.to_string()),
            placement: Placement::Default,
            origin: Origin::Tap,
            viewport: None,
            poster: None,
        });
    }

    pub(super) fn video_news(&mut self, news: VideoNews) {
        match news {
            VideoNews::Ready {
                name,
                uri,
                key,
                poster,
                size,
                placement,
                origin,
                video,
            } => {
                let full = self.room_for(&name, poster.as_deref().map_or(0, image_bytes));
                if full.is_err() || !origin.claim() {
                    if let Err(why) = full {
                        self.failed(&name, &uri, &placement, &origin, &why);
                    }
                    // It must never show: the screen is full, or the caller
                    // gave up first.
                    self.widgets.discard(Entry {
                        url: None,
                        texture: Texture::Frames(key),
                        poster: None,
                        attachment: Attachment::Video(video),
                    });
                    return;
                }
                let poster = poster.map(|image| self.image_texture(image, false));
                let kind = Kind::Video {
                    control: VideoControl::new(self.config.video.end),
                    poster: poster.as_ref().map(Texture::key),
                };
                let size = DVec2::new(f64::from(size.0), f64::from(size.1));
                let entry = Entry {
                    url: Some(uri),
                    texture: Texture::Frames(key),
                    poster,
                    attachment: Attachment::Video(video),
                };
                self.place(&name, kind, size, entry, &placement, &origin);
                if self.config.video.autoplay
                    && !matches!(origin, Origin::Playlist(_) | Origin::Preview(_))
                {
                    self.video(&name, VideoRequest::Play);
                }
                self.shown(&name, &origin, &placement, "video");
            }
            VideoNews::Failed {
                name,
                uri,
                placement,
                origin,
                failure,
            } => self.failed(&name, &uri, &placement, &origin, &failure),
            VideoNews::Died { player, error } => {
                if let Some(entry) = self.playlists.take_dead(player) {
                    tracing::warn!(%error, "a playlist's next video died before its turn; skipping it");
                    self.widgets.discard(entry);
                    return;
                }
                let Some(name) = self.widget_of_player(player) else {
                    return;
                };
                tracing::error!(%name, %error, "a video died; showing an error card");
                self.show_error_card(
                    &name,
                    &Placement::Default,
                    Origin::Tap,
                    "This video stopped",
                    &error,
                    &name,
                );
            }
            VideoNews::Ended { player } => {
                if let Some(id) = self
                    .widgets
                    .find(|e| e.video().is_some_and(|v| v.id() == player))
                {
                    self.video_ended(id, false);
                    let _ = self.scene.video(id, VideoRequest::EndOfStream);
                    self.handle_effects();
                    self.playlist_video_ended(id);
                }
            }
            VideoNews::Looped { player } => {
                if let Some(id) = self
                    .widgets
                    .find(|e| e.video().is_some_and(|v| v.id() == player))
                {
                    self.video_ended(id, true);
                    self.playlist_video_ended(id);
                }
            }
        }
    }

    /// The name of the widget that shows the player `player`.
    fn widget_of_player(&self, player: crate::media::PlayerId) -> Option<String> {
        let id = self
            .widgets
            .find(|e| e.video().is_some_and(|v| v.id() == player))?;
        self.scene.get(id).map(|w| w.name().to_string())
    }

    /// Adds the widget with `entry` attached, or replaces the content of the
    /// widget of that name in place (same transform, same z) and brings it to
    /// the front. The entry it replaces is released in the same step.
    ///
    /// Startup content (`origin`) never replaces a pushed widget: one of its
    /// name was pushed while the startup content loaded, and the newer
    /// content stays. New startup widgets go below pushed ones.
    pub(super) fn place(
        &mut self,
        name: &str,
        kind: Kind,
        size: DVec2,
        entry: Entry,
        placement: &Placement,
        origin: &Origin,
    ) {
        match origin {
            Origin::Playlist(turn) => return self.park(*turn, kind, size, entry),
            Origin::Preview(id) => return self.preview_arrived(*id, name, kind, size, entry),
            _ => {}
        }
        let key = entry.texture.key();
        let startup = origin.is_startup();
        if let Some(id) = self.scene.id_of(name) {
            if startup && !self.startup.is_marked(id) {
                tracing::info!(%name, "startup content dropped: newer content took its name while it loaded");
                self.widgets.discard(entry);
                return;
            }
            self.startup.unmark(id);
            if let Err(e) = self.scene.replace_content(id, kind, size, key) {
                tracing::error!(%name, %e, "cannot replace content");
                self.widgets.discard(entry);
                return;
            }
            // A placement given with new content moves the widget too, as
            // does a home that `setState` gave it.
            let target = match placement {
                Placement::Spec(spec) => self
                    .scene
                    .get(id)
                    .map(|w| super::layout::target_of(&w.transform(), size, spec)),
                Placement::Home(home, _) => Some(super::keeper::transform_at(home)),
                _ => None,
            };
            if let Some(target) = target {
                match self.scene.set_transform(id, target) {
                    Ok(()) => {
                        if let Some(w) = self.scene.get(id) {
                            self.homes.insert(id, w.transform());
                        }
                    }
                    Err(e) => tracing::warn!(%name, %e, "cannot place the new content there"),
                }
            }
            // The id is valid: it was just looked up. A card going back on
            // a reset keeps the home order.
            if *placement != Placement::InPlace {
                let _ = self.scene.raise(id);
            }
            self.widgets.set(id, entry);
            self.switch_gestures(id, placement);
            self.playlist_placed(name);
            return;
        }
        let transform = self.transform_for(placement, size);
        let spec = WidgetSpec {
            name: name.to_string(),
            kind,
            size,
            transform,
            content: key,
            scatter: None,
        };
        match self.scene.add(spec) {
            Ok(id) => {
                self.placed += 1;
                self.widgets.set(id, entry);
                self.homes.insert(id, transform);
                if startup {
                    self.below_pushed(id);
                }
                self.switch_gestures(id, placement);
                self.playlist_placed(name);
            }
            Err(e) => {
                tracing::error!(%name, %e, "cannot add widget");
                self.widgets.discard(entry);
            }
        }
    }

    pub(super) fn transform_for(&self, placement: &Placement, size: DVec2) -> DAffine2 {
        let window = self.scene.window_size();
        match placement {
            Placement::Default | Placement::InPlace => default_placement(window, size, self.placed),
            Placement::Exact(t) => *t,
            Placement::Home(home, _) => super::keeper::transform_at(home),
            Placement::Spec(spec) => {
                let start = default_placement(window, size, self.placed);
                super::layout::target_of(&start, size, spec)
            }
            Placement::Relative {
                at,
                width,
                rotation,
            } => {
                let scale = (width * window.x / size.x).max(1e-3);
                let centre = DVec2::new(at[0] * window.x, at[1] * window.y);
                DAffine2::from_translation(centre)
                    * DAffine2::from_angle(rotation.to_radians())
                    * DAffine2::from_scale(DVec2::splat(scale))
                    * DAffine2::from_translation(-size / 2.0)
            }
        }
    }
}
