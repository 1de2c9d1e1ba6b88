//! Loading content into the kiosk: images, HTML pages and videos, the ordered startup queue, placement, replacement in place, links and failures.

use std::sync::Arc;

use glam::{DAffine2, DVec2};

use super::{Kiosk, VideoLoad, image_size};
use crate::app::loader::{Content, LoadRequest, Loaded, Origin, Placement, Source};
use crate::app::pages::PageNews;
use crate::app::videos::VideoNews;
use crate::html::{CARD_VIEWPORT, PageSource, error_card_html};
use crate::pixels::Rgba8Image;
use crate::scene::{
    ContentKey, Kind, VideoControl, VideoRequest, WidgetSpec, placement::default_placement,
    scale_of,
};

impl Kiosk {
    /// Starts loading a file or URL into a widget: its kind is sniffed.
    pub fn load(&mut self, request: LoadRequest) {
        self.loader.start(request);
    }

    /// Queues startup content, shown in the order queued.
    pub fn queue(&mut self, request: LoadRequest) {
        self.startup.push_back(request);
        self.next_startup();
    }

    fn next_startup(&mut self) {
        if self.startup_busy {
            return;
        }
        if let Some(r) = self.startup.pop_front() {
            self.startup_busy = true;
            self.load(r);
        }
    }

    /// A startup item reached its final widget (or its error card).
    fn startup_settled(&mut self, origin: &Origin) {
        if origin.is_startup() && self.startup_busy {
            self.startup_busy = false;
            self.next_startup();
        }
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

    /// Starts rendering an HTML document into a widget. `viewport` is in CSS
    /// pixels (`None`: the config's); relative URLs resolve against `base_url`.
    pub fn post_html(
        &mut self,
        name: &str,
        html: String,
        base_url: Option<String>,
        viewport: Option<(u32, u32)>,
        placement: Placement,
        origin: Origin,
    ) {
        let viewport =
            viewport.unwrap_or((self.config.html.viewport[0], self.config.html.viewport[1]));
        let described = base_url.clone().unwrap_or_else(|| "posted HTML".into());
        let scale = self.scale_for(name, &placement, viewport);
        let source = PageSource::Inline { html, base_url };
        if let Err(e) = self.pages.open(
            name,
            source,
            viewport,
            scale,
            placement.clone(),
            origin.clone(),
            false,
            described.clone(),
        ) {
            self.failed(name, &described, &placement, &origin, &e.to_string());
        }
    }

    /// The scale a widget of `size` will show at: the current one when it
    /// replaces a widget, else its placement's.
    fn scale_for(&self, name: &str, placement: &Placement, viewport: (u32, u32)) -> f64 {
        match self.scene.by_name(name) {
            Some(w) => w.scale(),
            None => {
                let size = DVec2::new(f64::from(viewport.0), f64::from(viewport.1));
                scale_of(&self.transform_for(placement, size))
            }
        }
    }

    /// Removes the widget `name`, stopping its video or page if it has one.
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
        if let Some(key) = self.pages.remove(name) {
            self.drop_key(key);
        }
        true
    }

    /// Applies finished loads, pages and video news to the scene. Returns
    /// whether anything arrived.
    pub fn pump(&mut self) -> bool {
        let mut any = false;
        while let Some(done) = self.loader.poll() {
            any = true;
            self.apply(done);
        }
        while let Some(news) = self.videos.poll() {
            any = true;
            self.video_news(news);
        }
        let now = std::time::Instant::now();
        while let Some(news) = self.pages.poll(now) {
            any = true;
            self.page_news(news);
        }
        any
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
            self.pages_painted.remove(&key);
            self.dropped.push(key);
        }
    }

    /// Stores a painted page; its texture gets no mip chain.
    fn store_page(&mut self, image: Rgba8Image) -> ContentKey {
        let key = self.store_image(Arc::new(image));
        self.pages_painted.insert(key);
        key
    }

    fn apply(&mut self, done: Loaded) {
        let Loaded { request, result } = done;
        let source = request.source.describe();
        match result {
            Ok(Content::Image(image)) => {
                let size = image_size(&image);
                let key = self.store_image(image);
                self.place(&request.name, Kind::Image, size, key, &request.placement);
                request.origin.reply(Ok("image"));
                self.startup_settled(&request.origin);
            }
            Ok(Content::Html { html, base_url }) => {
                self.post_html(
                    &request.name,
                    html,
                    base_url,
                    request.viewport,
                    request.placement,
                    request.origin,
                );
            }
            Ok(Content::Video { uri }) => {
                self.load_video(VideoLoad {
                    name: request.name,
                    uri,
                    placement: request.placement,
                    origin: request.origin,
                });
            }
            Err(e) => self.failed(
                &request.name,
                &source,
                &request.placement,
                &request.origin,
                &e,
            ),
        }
    }

    fn page_news(&mut self, news: PageNews) {
        match news {
            PageNews::Ready {
                name,
                image,
                viewport,
                placement,
                origin,
                card,
                ..
            } => {
                let size = DVec2::new(f64::from(viewport.0), f64::from(viewport.1));
                let key = self.store_page(image);
                let kind = if card { Kind::ErrorCard } else { Kind::Html };
                self.place(&name, kind, size, key, &placement);
                self.pages.set_key(&name, key);
                origin.reply(Ok("html"));
                self.startup_settled(&origin);
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
            PageNews::Failed {
                name,
                placement,
                origin,
                card,
                source,
                error,
            } => {
                if card {
                    // Even the error card failed: the built-in picture.
                    tracing::error!(%name, %error, "the error card cannot be rendered");
                    self.show_png_card(&name, &placement);
                    self.startup_settled(&origin);
                } else {
                    self.failed(&name, &source, &placement, &origin, &error.to_string());
                }
            }
            PageNews::Link { name, href } => self.follow_link(&name, &href),
        }
    }

    /// A tap on a link: load its target into the same widget, if the content
    /// policy allows it.
    fn follow_link(&mut self, name: &str, href: &str) {
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
        });
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
                self.startup_settled(&origin);
            }
            VideoNews::Failed {
                name,
                placement,
                origin,
                error,
            } => self.failed(&name, "video", &placement, &origin, &error),
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
    fn failed(
        &mut self,
        name: &str,
        source: &str,
        placement: &Placement,
        origin: &Origin,
        error: &str,
    ) {
        match origin {
            Origin::Caller(_) | Origin::Tap => {
                tracing::warn!(%name, %source, %error, "load failed; nothing changed on screen");
                origin.reply(Err(error.to_string()));
            }
            Origin::Startup => {
                tracing::error!(%name, %source, %error, "content failed to load; showing an error card");
                self.show_error_card(
                    name,
                    placement,
                    origin.clone(),
                    "This content could not be shown",
                    error,
                    source,
                );
            }
        }
    }

    /// Renders an error card (HTML, through the same path as any page) into
    /// the widget `name`.
    fn show_error_card(
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
        let opened = self.pages.open(
            name,
            page,
            CARD_VIEWPORT,
            scale,
            placement.clone(),
            origin.clone(),
            true,
            source.to_string(),
        );
        if let Err(e) = opened {
            tracing::error!(%name, %e, "the error card cannot be rendered");
            self.show_png_card(name, placement);
            self.startup_settled(&origin);
        }
    }

    fn show_png_card(&mut self, name: &str, placement: &Placement) {
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
