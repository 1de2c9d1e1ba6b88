//! What arrives in the kiosk: finished pages and videos, links to follow, failures and error cards, and placing content on screen.

use glam::{DAffine2, DVec2};

use super::{Kiosk, image_size};
use crate::app::failures;
use crate::app::loader::{LoadRequest, Origin, Placement, Source};
use crate::app::pages::{PageMeta, PageNews};
use crate::app::videos::VideoNews;
use crate::html::{CARD_VIEWPORT, PageSource, error_card_html};
use crate::reply::LoadFailure;
use crate::scene::{
    ContentKey, Kind, VideoControl, VideoRequest, WidgetSpec, placement::default_placement,
};

impl Kiosk {
    pub(super) fn page_news(&mut self, news: PageNews) {
        match news {
            PageNews::Ready {
                name,
                image,
                viewport,
                meta,
            } => {
                if meta.origin.is_cancelled() {
                    self.pages.remove(&name);
                    return;
                }
                let size = DVec2::new(f64::from(viewport.0), f64::from(viewport.1));
                let key = self.store_page(image);
                let kind = if meta.card {
                    Kind::ErrorCard
                } else {
                    Kind::Html
                };
                self.place(&name, kind, size, key, &meta.placement);
                self.pages.set_key(&name, key);
                if !meta.card {
                    self.set_url(&name, meta.url);
                }
                meta.origin.reply(Ok("html"));
                self.startup_settled(&meta.origin);
            }
            PageNews::Repainted { name, image } => {
                let Some(id) = self.scene.id_of(&name) else {
                    return;
                };
                let Some(w) = self.scene.get(id) else { return };
                let (kind, size) = (w.kind().clone(), w.size());
                let key = self.store_page(image);
                // The old texture showed until now: no flash.
                if let Ok(old) = self.scene.replace_content(id, kind, size, key) {
                    self.drop_key(old);
                }
                self.pages.set_key(&name, key);
            }
            PageNews::Failed { name, meta, error } => {
                if meta.card {
                    // Even the error card failed: the built-in picture.
                    tracing::error!(%name, %error, "the error card cannot be rendered");
                    self.show_png_card(&name, &meta.placement);
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
            PageNews::Link { name, href } => self.follow_link(&name, &href),
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
            } => {
                if origin.is_cancelled() {
                    self.videos.remove(&name);
                    if let Some(p) = poster {
                        self.drop_key(p);
                    }
                    return;
                }
                let kind = Kind::Video {
                    control: VideoControl::new(self.config.video.end),
                    poster,
                };
                let size = DVec2::new(f64::from(size.0), f64::from(size.1));
                self.place(&name, kind, size, key, &placement);
                self.set_url(&name, Some(uri));
                if self.config.video.autoplay {
                    self.video(&name, VideoRequest::Play);
                }
                origin.reply(Ok("video"));
                self.startup_settled(&origin);
            }
            VideoNews::Failed {
                name,
                uri,
                poster,
                placement,
                origin,
                failure,
            } => {
                if let Some(p) = poster {
                    self.drop_key(p);
                }
                self.failed(&name, &uri, &placement, &origin, &failure);
            }
            VideoNews::Died { name, error } => {
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
            VideoNews::Ended { name } => {
                if let Some(id) = self.scene.id_of(&name) {
                    let _ = self.scene.video(id, VideoRequest::EndOfStream);
                    self.handle_effects();
                }
            }
        }
    }

    /// A load failed. A caller is told and nothing changes; a tap's failure
    /// is logged; startup content gets an error card in its place.
    pub(super) fn failed(
        &mut self,
        name: &str,
        source: &str,
        placement: &Placement,
        origin: &Origin,
        failure: &LoadFailure,
    ) {
        match origin {
            Origin::Caller(_) | Origin::Tap => {
                tracing::warn!(%name, %source, %failure, "load failed; nothing changed on screen");
                origin.reply(Err(failure.clone()));
            }
            Origin::Startup => {
                tracing::error!(%name, %source, %failure, "content failed to load; showing an error card");
                let detail = failure.message.clone();
                self.show_error_card(
                    name,
                    placement,
                    origin.clone(),
                    "This content could not be shown",
                    &detail,
                    source,
                );
            }
        }
    }

    /// Renders an error card (HTML, through the same path as any page) into
    /// the widget `name`.
    pub(super) fn show_error_card(
        &mut self,
        name: &str,
        placement: &Placement,
        origin: Origin,
        title: &str,
        detail: &str,
        source: &str,
    ) {
        let html = error_card_html(title, detail, source);
        let scale = self.scale_for(name, placement, CARD_VIEWPORT);
        let page = PageSource::Inline {
            html,
            base_url: None,
        };
        let meta = PageMeta {
            placement: placement.clone(),
            origin: origin.clone(),
            card: true,
            source: source.to_string(),
            url: None,
        };
        let opened = self.pages.open(name, page, CARD_VIEWPORT, scale, meta);
        if let Err(e) = opened {
            tracing::error!(%name, %e, "the error card cannot be rendered");
            self.show_png_card(name, placement);
            self.startup_settled(&origin);
        }
    }

    pub(super) fn show_png_card(&mut self, name: &str, placement: &Placement) {
        let Some(card) = self.store.get(&self.error_card) else {
            return;
        };
        let size = image_size(card);
        let key = self.error_card;
        self.place(name, Kind::ErrorCard, size, key, placement);
    }

    /// Adds the widget, or replaces the content of the widget of that name in
    /// place (same transform, same z), then brings it to the front.
    pub(super) fn place(
        &mut self,
        name: &str,
        kind: Kind,
        size: DVec2,
        key: ContentKey,
        placement: &Placement,
    ) {
        if let Some(id) = self.scene.id_of(name) {
            // New content stops the video or page it replaces, unless it is
            // that video or page.
            if self.videos.key_of(name) != Some(key)
                && let Some(old) = self.videos.remove(name)
            {
                self.drop_key(old);
            }
            let this_page =
                matches!(kind, Kind::Html | Kind::ErrorCard) && self.pages.key_of(name).is_some();
            if !this_page && let Some(old) = self.pages.remove(name) {
                self.drop_key(old);
            }
            let old_poster = match self.scene.get(id).map(|w| w.kind()) {
                Some(Kind::Video {
                    poster: Some(p), ..
                }) => Some(*p),
                _ => None,
            };
            let new_poster = match &kind {
                Kind::Video { poster, .. } => *poster,
                _ => None,
            };
            if let Some(p) = old_poster.filter(|p| Some(*p) != new_poster) {
                self.drop_key(p);
            }
            match self.scene.replace_content(id, kind, size, key) {
                Ok(old) if old != key => self.drop_key(old),
                Ok(_) => {}
                Err(e) => tracing::error!(%name, %e, "cannot replace content"),
            }
            // The id is valid: it was just looked up.
            let _ = self.scene.raise(id);
            self.publish_view();
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
            Ok(_) => self.placed += 1,
            Err(e) => tracing::error!(%name, %e, "cannot add widget"),
        }
        self.publish_view();
    }

    pub(super) fn transform_for(&self, placement: &Placement, size: DVec2) -> DAffine2 {
        let window = self.scene.window_size();
        match placement {
            Placement::Default => default_placement(window, size, self.placed),
            Placement::Exact(t) => *t,
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
