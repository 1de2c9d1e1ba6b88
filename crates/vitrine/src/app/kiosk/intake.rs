//! Starting loads into the kiosk: files and URLs, videos and HTML pages, the ordered startup queue, and removing widgets.

use std::sync::Arc;

use glam::DVec2;

use super::startup_queue::Next;
use super::{Kiosk, VideoLoad, image_size};
use crate::app::failures;
use crate::app::load::request::{Content, LoadRequest, Loaded, Origin, Placement, Queued, Source};
use crate::app::pages::PageMeta;
use crate::app::widgets::{Entry, Texture, image_bytes};
use crate::html::PageSource;
use crate::outcome::{FailureKind, LoadFailure};
use crate::scene::{ContentKey, Kind, scale_of};

impl Kiosk {
    /// Starts loading a file or URL into a widget: its kind is sniffed.
    pub fn load(&mut self, request: LoadRequest) {
        if let Err(refused) = self.loader.start(request) {
            let (request, why) = *refused;
            self.request_failed(&request, &why);
        }
    }

    /// A load request failed before any content reached the screen.
    fn request_failed(&mut self, request: &LoadRequest, why: &LoadFailure) {
        let source = request.source.describe();
        self.failed(
            &request.name,
            &source,
            &request.placement,
            &request.origin,
            why,
        );
    }

    /// Whether the widget `name` may show `bytes` of new pixels: it exists
    /// already (and is replaced in place) or there is room for one more
    /// widget, and the pixels fit the texture budget once what it replaces is
    /// freed.
    pub(super) fn room_for(&self, name: &str, bytes: u64) -> Result<(), LoadFailure> {
        let existing = self.scene.id_of(name);
        let max = self.config.content.max_widgets;
        if existing.is_none() && self.scene.len() >= max {
            return Err(LoadFailure::new(
                FailureKind::Limit,
                format!(
                    "the screen already shows {max} widgets (content.max_widgets); remove one first"
                ),
            ));
        }
        let freed = existing
            .and_then(|id| self.widgets.get(id))
            .map_or(0, Entry::image_bytes);
        let budget = self.config.content.max_texture_bytes;
        let after = self
            .widgets
            .image_bytes()
            .saturating_add(self.playlists.kept_bytes())
            .saturating_sub(freed)
            .saturating_add(bytes);
        if after > budget {
            return Err(LoadFailure::new(
                FailureKind::Limit,
                format!(
                    "{} MiB of pictures would exceed content.max_texture_bytes ({} MiB); remove something first",
                    after >> 20,
                    budget >> 20
                ),
            ));
        }
        Ok(())
    }

    /// Whether one more video pipeline may start for `name`; a video that
    /// replaces the one `name` shows does not count twice.
    fn room_for_player(&self, name: &str) -> Result<(), LoadFailure> {
        let max = self.config.video.max_players;
        let replaced = self
            .scene
            .id_of(name)
            .and_then(|id| self.widgets.get(id))
            .is_some_and(|e| e.video().is_some());
        // Items a playlist keeps waiting or fading out count too.
        let alive = self.videos.pending()
            + self.playlists.kept_players()
            + self
                .widgets
                .iter()
                .filter(|(_, e)| e.video().is_some())
                .count();
        if alive - usize::from(replaced) < max {
            return Ok(());
        }
        Err(LoadFailure::new(
            FailureKind::Limit,
            format!("{max} videos are already playing or loading (video.max_players)"),
        ))
    }

    /// Queues startup content, shown in the order queued.
    pub fn queue(&mut self, request: LoadRequest) {
        self.startup.push(Queued::Load(request));
        self.next_startup();
    }

    /// Queues a restored HTML document, shown in the order queued.
    pub(super) fn queue_html(
        &mut self,
        name: String,
        html: String,
        base_url: Option<String>,
        viewport: Option<(u32, u32)>,
        placement: Placement,
    ) {
        self.startup.push(Queued::Html {
            name,
            html,
            base_url,
            viewport,
            placement,
        });
        self.next_startup();
    }

    /// Whether startup content is still loading or waiting.
    pub(super) fn startup_pending(&self) -> bool {
        self.startup.pending()
    }

    fn next_startup(&mut self) {
        match self.startup.next() {
            Next::Busy => {}
            Next::Start(item) => match *item {
                Queued::Load(r) => self.load(r),
                Queued::Html {
                    name,
                    html,
                    base_url,
                    viewport,
                    placement,
                } => {
                    self.post_html(&name, html, base_url, viewport, placement, Origin::Startup);
                }
            },
            Next::Done => self.restore_backdrop(),
        }
    }

    /// A startup item reached its final widget (or its error card, or was
    /// dropped).
    pub(super) fn startup_settled(&mut self, origin: &Origin) {
        if origin.is_startup() && self.startup.settled() {
            self.next_startup();
        }
    }

    /// Starts opening a video into a widget. Returns whether it is
    /// prerolling; a failure to even start is handled like any failed load.
    pub fn load_video(&mut self, load: VideoLoad) -> bool {
        if let Err(why) = self.room_for_player(&load.name) {
            self.failed(&load.name, &load.uri, &load.placement, &load.origin, &why);
            return false;
        }
        let key = self.new_key();
        match self.videos.open(
            &load.name,
            (&load.uri, load.local.as_deref().unwrap_or(&load.uri)),
            key,
            load.poster,
            load.placement.clone(),
            load.origin.clone(),
        ) {
            Ok(()) => true,
            Err(e) => {
                let failure = LoadFailure::new(FailureKind::Failed, e.to_string());
                self.failed(
                    &load.name,
                    &load.uri,
                    &load.placement,
                    &load.origin,
                    &failure,
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
        self.open_page(name, html, base_url, None, viewport, placement, origin);
    }

    /// Starts rendering a page whose URL (for `currentUrl`) is `url`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn open_page(
        &mut self,
        name: &str,
        html: String,
        base_url: Option<String>,
        url: Option<String>,
        viewport: Option<(u32, u32)>,
        placement: Placement,
        origin: Origin,
    ) {
        let viewport =
            viewport.unwrap_or((self.config.html.viewport[0], self.config.html.viewport[1]));
        let source = url
            .clone()
            .or_else(|| base_url.clone())
            .unwrap_or_else(|| "posted HTML".into());
        let scale = self.scale_for(name, &placement, viewport);
        let meta = PageMeta {
            placement: placement.clone(),
            origin: origin.clone(),
            card: false,
            source: source.clone(),
            url,
        };
        if let Err(e) = self.pages.open(
            name,
            PageSource::Inline { html, base_url },
            viewport,
            scale,
            meta,
        ) {
            self.failed(name, &source, &placement, &origin, &failures::html(&e));
        }
    }

    /// The scale a widget of `size` will show at: the current one when it
    /// replaces a widget, else its placement's.
    pub(super) fn scale_for(&self, name: &str, placement: &Placement, viewport: (u32, u32)) -> f64 {
        match self.scene.by_name(name) {
            Some(w) => w.scale(),
            None => {
                let size = DVec2::new(f64::from(viewport.0), f64::from(viewport.1));
                scale_of(&self.transform_for(placement, size))
            }
        }
    }

    /// Removes the widget `name` and everything attached to it.
    pub fn remove(&mut self, name: &str) -> bool {
        let Some(id) = self.scene.id_of(name) else {
            return false;
        };
        if let Err(e) = self.scene.remove(id) {
            tracing::error!(%name, %e, "cannot remove a widget");
            return false;
        }
        self.widgets.remove(id);
        self.startup.unmark(id);
        self.homes.remove(&id);
        self.way_backs.forget(name);
        self.tell(crate::events::Event::Removed {
            name: name.to_string(),
        });
        true
    }

    /// Applies finished loads, pages and video news to the scene, then
    /// settles the pass. Returns whether anything arrived.
    pub fn pump(&mut self) -> bool {
        // What was on screen until now gets its time before anything changes.
        self.account();
        let mut any = false;
        self.videos.drop_cancelled();
        self.pages.drop_cancelled();
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
        let touches = self.tuio.drain(self.scene.window_size());
        any |= !touches.is_empty();
        for (finger, phase, pos) in touches {
            self.touch(finger, phase, pos);
        }
        self.reset_when_idle();
        self.follow_schedule();
        self.rotate_playlists();
        self.power_off_when_idle();
        self.account();
        self.telemetry.save_when_due();
        self.settle();
        any
    }

    pub(super) fn new_key(&mut self) -> ContentKey {
        let key = ContentKey(self.next_key);
        self.next_key += 1;
        key
    }

    /// A texture for a decoded image (`page`: a painted page, no mips).
    pub(super) fn image_texture(
        &mut self,
        image: Arc<crate::pixels::Rgba8Image>,
        page: bool,
    ) -> Texture {
        Texture::Image {
            key: self.new_key(),
            image,
            page,
        }
    }

    fn apply(&mut self, done: Loaded) {
        let Loaded { request, result } = done;
        let source = request.source.describe();
        if request.origin.is_cancelled() {
            tracing::info!(name = %request.name, %source, "load arrived after its caller gave up; dropped");
            return;
        }
        let url = match &request.source {
            Source::Url(u) => u.clone(),
            Source::File(p) => crate::content::file_uri(p),
        };
        match result {
            Ok(Content::Image(image)) => {
                if let Err(why) = self.room_for(&request.name, image_bytes(&image)) {
                    self.request_failed(&request, &why);
                    return;
                }
                if !request.origin.claim() {
                    tracing::info!(name = %request.name, %source, "load arrived after its caller gave up; dropped");
                    return;
                }
                let size = image_size(&image);
                let texture = self.image_texture(image, false);
                self.place(
                    &request.name,
                    Kind::Image,
                    size,
                    Entry::still(Some(url), texture),
                    &request.placement,
                    &request.origin,
                );
                self.shown(&request.name, &request.origin, &request.placement, "image");
            }
            Ok(Content::Html { html, base_url }) => {
                let page_url = base_url.clone().unwrap_or(url);
                let (name, viewport, placement, origin) = (
                    request.name,
                    request.viewport,
                    request.placement,
                    request.origin,
                );
                self.open_page(
                    &name,
                    html,
                    base_url,
                    Some(page_url),
                    viewport,
                    placement,
                    origin,
                );
            }
            Ok(Content::Video { uri, poster, local }) => {
                self.load_video(VideoLoad {
                    name: request.name,
                    uri,
                    local,
                    placement: request.placement,
                    origin: request.origin,
                    poster,
                });
            }
            Err(failure) => self.request_failed(&request, &failure),
        }
    }
}
