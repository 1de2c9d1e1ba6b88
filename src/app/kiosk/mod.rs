//! The kiosk state shared by the window and headless loops: scene, content store, input and frames.
//!
//! Loading content into it lives in [`loads`].

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use glam::{DVec2, Vec2};

mod arrivals;
mod loads;
mod remote;

pub use remote::ScreenshotRequest;

use super::loader::{LoadRequest, Loader, Origin, Placement};
use super::mouse::MouseEmulator;
use super::pages::Pages;
use super::videos::Videos;
use crate::config::Config;
use crate::content::{ImageLimits, Policy};
use crate::html::HtmlSettings;
use crate::media::PlayerOptions;
use crate::pixels::Rgba8Image;
use crate::render::Renderer;
use crate::scene::{
    ContentKey, DrawItem, DrawList, Effect, Kind, Phase, Rgba, Scene, TouchEvent, VideoRequest,
};
use crate::wake::Wake;

/// The error card shown when even the HTML error card cannot be rendered.
const ERROR_CARD_PNG: &[u8] = include_bytes!("../../../assets/error-card.png");

/// A video to open straight from a URI.
#[derive(Clone, Debug)]
pub struct VideoLoad {
    pub name: String,
    pub uri: String,
    pub placement: Placement,
    pub origin: Origin,
    /// The texture of a poster image shown until the video first plays.
    pub poster: Option<ContentKey>,
}

/// The kiosk: everything but the window and the GPU.
pub struct Kiosk {
    config: Config,
    scene: Scene,
    policy: Arc<Policy>,
    /// Decoded images by texture key, kept so textures can be rebuilt after a
    /// lost device.
    store: HashMap<ContentKey, Arc<Rgba8Image>>,
    /// Keys of HTML pages, painted at the scale they show at: uploaded
    /// without a mip chain.
    pages_painted: std::collections::HashSet<ContentKey>,
    /// Keys whose textures the renderer must free.
    dropped: Vec<ContentKey>,
    next_key: u64,
    loader: Loader,
    videos: Videos,
    pages: Pages,
    /// Each widget's URL, for `currentUrl` and `listContent`; posted HTML
    /// has none.
    urls: HashMap<String, String>,
    /// What the remote server reads without asking the UI thread.
    view: Option<Arc<std::sync::RwLock<crate::remote::View>>>,
    /// Startup content, loaded one item at a time so it stacks in order.
    startup: VecDeque<LoadRequest>,
    startup_busy: bool,
    placed: usize,
    mouse: MouseEmulator,
    list: DrawList,
    start: Instant,
    error_card: ContentKey,
    markers_shown: usize,
}

fn image_size(image: &Rgba8Image) -> DVec2 {
    DVec2::new(f64::from(image.width()), f64::from(image.height()))
}

impl Kiosk {
    /// A kiosk with an empty scene of `window` pixels.
    pub fn new(config: Config, window: (u32, u32), wake: Arc<dyn Wake>) -> Self {
        Self::with_roots(config, window, wake, &[])
    }

    /// A kiosk whose content policy also trusts `extra_roots` (the folders of
    /// files named on the command line).
    pub fn with_roots(
        config: Config,
        window: (u32, u32),
        wake: Arc<dyn Wake>,
        extra_roots: &[std::path::PathBuf],
    ) -> Self {
        let mut settings = config.scene_settings();
        settings.window = DVec2::new(f64::from(window.0.max(1)), f64::from(window.1.max(1)));
        let limits = ImageLimits::from_config(&config.content);
        let options = PlayerOptions {
            audio: config.video.audio,
            volume: config.video.volume,
            looping: config.video.end == crate::scene::EndPolicy::Loop,
        };
        let mut content = config.content.clone();
        content.roots.extend(extra_roots.iter().cloned());
        let assets = crate::assets::dir().ok();
        let policy = Arc::new(Policy::from_config(&content, assets.as_deref()));
        let mut kiosk = Self {
            scene: Scene::new(settings),
            store: HashMap::new(),
            pages_painted: std::collections::HashSet::new(),
            dropped: Vec::new(),
            next_key: 1,
            loader: Loader::new(
                wake.clone(),
                limits,
                config.content.max_html_bytes,
                policy.clone(),
            ),
            videos: Videos::new(options, wake.clone()),
            pages: Pages::new(policy.clone(), HtmlSettings::from_config(&config), wake),
            policy,
            urls: HashMap::new(),
            view: None,
            startup: VecDeque::new(),
            startup_busy: false,
            placed: 0,
            mouse: MouseEmulator::default(),
            list: DrawList::default(),
            start: Instant::now(),
            error_card: ContentKey(0),
            markers_shown: 0,
            config,
        };
        let card = crate::content::decode_image(ERROR_CARD_PNG, limits)
            .unwrap_or_else(|_| Rgba8Image::filled(4, 3, [140, 30, 36, 255]));
        kiosk.error_card = kiosk.store_image(Arc::new(card));
        kiosk
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn scene(&self) -> &Scene {
        &self.scene
    }

    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Time since the kiosk started: the scene's clock.
    pub fn now(&self) -> Duration {
        self.start.elapsed()
    }

    /// Loads queued or in flight: files, URLs, videos prerolling and pages
    /// rendering.
    pub fn pending_loads(&self) -> usize {
        self.loader.in_flight() + self.videos.pending() + self.pages.pending() + self.startup.len()
    }

    /// Frames decoded and frames uploaded for display, over all videos.
    pub fn video_frames(&self) -> (u64, u64) {
        self.videos.frame_counts()
    }

    /// The pixel size of the texture the widget `name` shows, for images and
    /// HTML pages (a page's grows with its zoom).
    pub fn texture_size(&self, name: &str) -> Option<(u32, u32)> {
        let key = self.scene.by_name(name)?.content();
        self.store.get(&key).map(|i| (i.width(), i.height()))
    }

    /// The window changed size.
    pub fn resize(&mut self, size: (u32, u32)) {
        let s = DVec2::new(f64::from(size.0), f64::from(size.1));
        if let Err(e) = self.scene.set_window_size(s) {
            tracing::debug!(%e, "ignored a window size");
        }
    }

    /// Dispatches one finger event to the scene and acts on what it produced.
    pub fn touch(&mut self, id: u64, phase: Phase, pos: DVec2) {
        let time = self.now();
        self.scene.touch(TouchEvent {
            id,
            phase,
            pos,
            time,
        });
        self.handle_effects();
    }

    /// Plays, pauses or toggles the video `name`, as a tap would.
    pub fn video(&mut self, name: &str, request: VideoRequest) -> bool {
        let Some(id) = self.scene.id_of(name) else {
            return false;
        };
        let ok = self.scene.video(id, request).is_ok();
        self.handle_effects();
        ok
    }

    /// The mouse, as emulated fingers.
    pub fn mouse(&mut self) -> &mut MouseEmulator {
        &mut self.mouse
    }

    fn handle_effects(&mut self) {
        let effects: Vec<Effect> = self.scene.drain_effects().collect();
        for e in effects {
            match e {
                Effect::Video { widget, command } => {
                    if let Some(name) = self.scene.get(widget).map(|w| w.name().to_string()) {
                        tracing::debug!(%name, ?command, "video");
                        self.videos.command(&name, command);
                    }
                }
                Effect::Tap { widget, local } => {
                    let Some(w) = self.scene.get(widget) else {
                        continue;
                    };
                    // Local pixels of an HTML widget are its CSS pixels.
                    if w.kind() == &Kind::Html {
                        let name = w.name().to_string();
                        self.pages.hit(&name, local.x as f32, local.y as f32);
                    }
                }
                Effect::BackdropDismissed => tracing::info!("backdrop dismissed by a tap"),
            }
        }
    }

    /// Whether a frame must be drawn at `now`: something changed, a video
    /// has a new frame, or something moves on its own.
    pub fn needs_redraw(&mut self, now: Duration) -> bool {
        self.scene.advance(now);
        self.observe_pages();
        let markers_changed = self.mouse.pins().count() != self.markers_shown;
        self.scene.take_dirty()
            || self.scene.is_animating(now)
            || markers_changed
            || self.videos.has_new_frames()
    }

    /// Lets each HTML page see its widget's scale, so it can be painted again
    /// once a pinch settles.
    fn observe_pages(&mut self) {
        let scene = &self.scene;
        self.pages.observe_all(Instant::now(), |name| {
            scene
                .by_name(name)
                .filter(|w| w.kind() == &Kind::Html)
                .map(|w| w.scale())
        });
    }

    /// Whether something moves on its own, so frames must keep coming.
    pub fn is_animating(&self, now: Duration) -> bool {
        self.scene.is_animating(now)
    }

    /// How long the loop may sleep before a page needs looking at again.
    pub fn next_deadline(&self) -> Option<Duration> {
        let now = Instant::now();
        self.pages
            .next_deadline(now)
            .map(|t| t.saturating_duration_since(now))
    }

    /// Brings the renderer in line: frees what was dropped, uploads images
    /// that are drawn and missing, and uploads new video frames.
    pub fn sync_textures(&mut self, renderer: &mut Renderer) {
        for key in self.dropped.drain(..) {
            renderer.forget(key);
        }
        for item in &self.list.items {
            if let DrawItem::Widget(w) = item
                && !renderer.has_texture(w.content)
                && let Some(img) = self.store.get(&w.content)
            {
                if self.pages_painted.contains(&w.content) {
                    renderer.upload_page(w.content, img);
                } else {
                    renderer.upload(w.content, img);
                }
            }
        }
        self.videos.upload(renderer);
    }

    /// The draw list for `now`, with pinned mouse fingers drawn as dots.
    pub fn frame(&mut self, now: Duration) -> &DrawList {
        self.scene.advance(now);
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
