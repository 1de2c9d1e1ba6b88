//! Loading content into the kiosk: images and videos, the ordered startup queue, placement, replacement in place, and failures.

use std::sync::Arc;

use glam::{DAffine2, DVec2};

use super::{Kiosk, Startup, VideoLoad, image_size};
use crate::app::loader::{ImageRole, LoadRequest, Loaded, Origin, Placement};
use crate::app::videos::VideoNews;
use crate::pixels::Rgba8Image;
use crate::scene::{
    ContentKey, Kind, VideoControl, VideoRequest, WidgetSpec, placement::default_placement,
};

impl Kiosk {
    /// Starts loading an image into a widget.
    pub fn load(&mut self, request: LoadRequest) {
        self.loader.start(request);
    }

    /// Starts opening a video into a widget. Returns whether it is
    /// prerolling; a failure to even start is handled like any failed load.
    pub fn load_video(&mut self, load: VideoLoad) -> bool {
        let key = self.new_key();
        match self.videos.open(
            &load.name,
            &load.uri,
            key,
            load.placement.clone(),
            load.origin.clone(),
        ) {
            Ok(()) => true,
            Err(e) => {
                self.failed(
                    &load.name,
                    &load.uri,
                    &load.placement,
                    &load.origin,
                    &e.to_string(),
                );
                false
            }
        }
    }

    /// Queues startup content, shown in the order queued.
    pub fn queue_image(&mut self, request: LoadRequest) {
        self.startup.push_back(Startup::Image(request));
        self.next_startup();
    }

    /// Queues a startup video, shown in the order queued.
    pub fn queue_video(&mut self, load: VideoLoad) {
        self.startup.push_back(Startup::Video(load));
        self.next_startup();
    }

    fn next_startup(&mut self) {
        if self.startup_busy {
            return;
        }
        match self.startup.pop_front() {
            Some(Startup::Image(r)) => {
                self.startup_busy = true;
                self.load(r);
            }
            Some(Startup::Video(v)) => {
                // An open that failed at once has been handled: go on.
                self.startup_busy = self.load_video(v);
                if !self.startup_busy {
                    self.next_startup();
                }
            }
            None => {}
        }
    }

    /// Removes the widget `name`, stopping its video if it has one.
    pub fn remove(&mut self, name: &str) -> bool {
        let Some(id) = self.scene.id_of(name) else {
            return false;
        };
        if let Ok(w) = self.scene.remove(id) {
            self.drop_key(w.content());
        }
        if let Some(key) = self.videos.remove(name) {
            self.drop_key(key);
        }
        true
    }

    /// Applies finished loads and video news to the scene. Returns whether
    /// anything arrived.
    pub fn pump(&mut self) -> bool {
        let mut any = false;
        while let Some(done) = self.loader.poll() {
            any = true;
            self.apply(done);
            self.startup_done();
        }
        while let Some(news) = self.videos.poll() {
            any = true;
            let settles = matches!(news, VideoNews::Ready { .. } | VideoNews::Failed { .. });
            self.video_news(news);
            if settles {
                self.startup_done();
            }
        }
        any
    }

    fn startup_done(&mut self) {
        if self.startup_busy {
            self.startup_busy = false;
            self.next_startup();
        }
    }

    fn new_key(&mut self) -> ContentKey {
        let key = ContentKey(self.next_key);
        self.next_key += 1;
        key
    }

    pub(super) fn store_image(&mut self, image: Arc<Rgba8Image>) -> ContentKey {
        let key = self.new_key();
        self.store.insert(key, image);
        key
    }

    fn drop_key(&mut self, key: ContentKey) {
        if key != self.error_card {
            self.store.remove(&key);
            self.dropped.push(key);
        }
    }

    fn apply(&mut self, done: Loaded) {
        let Loaded { request, result } = done;
        match result {
            Ok(image) => {
                let size = image_size(&image);
                let key = self.store_image(image);
                let kind = match request.role {
                    ImageRole::Image => Kind::Image,
                    ImageRole::HtmlPlaceholder => Kind::Html,
                };
                let name = request.name.clone();
                self.place(&name, kind, size, key, &request.placement);
                request.origin.reply(Ok("image"));
            }
            Err(e) => {
                let source = request.path.display().to_string();
                self.failed(
                    &request.name,
                    &source,
                    &request.placement,
                    &request.origin,
                    &e.to_string(),
                );
            }
        }
    }

    fn video_news(&mut self, news: VideoNews) {
        match news {
            VideoNews::Ready {
                name,
                key,
                size,
                placement,
                origin,
            } => {
                let kind = Kind::Video {
                    control: VideoControl::new(self.config.video.end),
                    poster: None,
                };
                let size = DVec2::new(f64::from(size.0), f64::from(size.1));
                self.place(&name, kind, size, key, &placement);
                if self.config.video.autoplay {
                    self.video(&name, VideoRequest::Play);
                }
                origin.reply(Ok("video"));
            }
            VideoNews::Failed {
                name,
                placement,
                origin,
                error,
            } => self.failed(&name, "video", &placement, &origin, &error),
            VideoNews::Died { name, error } => {
                tracing::error!(%name, %error, "a video died; showing an error card");
                self.show_error_card(&name, &Placement::Default);
            }
            VideoNews::Ended { name } => {
                if let Some(id) = self.scene.id_of(&name) {
                    let _ = self.scene.video(id, VideoRequest::EndOfStream);
                    self.handle_effects();
                }
            }
        }
    }

    /// A load failed. A caller is told and nothing changes; startup content
    /// gets an error card in its place.
    fn failed(
        &mut self,
        name: &str,
        source: &str,
        placement: &Placement,
        origin: &Origin,
        error: &str,
    ) {
        match origin {
            Origin::Caller(_) => {
                tracing::warn!(%name, %source, %error, "load failed; nothing changed on screen");
                origin.reply(Err(error.to_string()));
            }
            Origin::Startup => {
                tracing::error!(%name, %source, %error, "content failed to load; showing an error card");
                self.show_error_card(name, placement);
            }
        }
    }

    fn show_error_card(&mut self, name: &str, placement: &Placement) {
        let Some(card) = self.store.get(&self.error_card) else {
            return;
        };
        let size = image_size(card);
        let key = self.error_card;
        self.place(name, Kind::ErrorCard, size, key, placement);
    }

    /// Adds the widget, or replaces the content of the widget of that name in
    /// place (same transform, same z), then brings it to the front.
    fn place(
        &mut self,
        name: &str,
        kind: Kind,
        size: DVec2,
        key: ContentKey,
        placement: &Placement,
    ) {
        if let Some(id) = self.scene.id_of(name) {
            // New content that is not this video stops the one it replaces.
            let this_video =
                matches!(kind, Kind::Video { .. }) && self.videos.key_of(name) == Some(key);
            if !this_video && let Some(old_video) = self.videos.remove(name) {
                self.drop_key(old_video);
            }
            match self.scene.replace_content(id, kind, size, key) {
                Ok(old) if old != key => self.drop_key(old),
                Ok(_) => {}
                Err(e) => tracing::error!(%name, %e, "cannot replace content"),
            }
            // The id is valid: it was just looked up.
            let _ = self.scene.raise(id);
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
    }

    fn transform_for(&self, placement: &Placement, size: DVec2) -> DAffine2 {
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
