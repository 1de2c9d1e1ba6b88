//! The kiosk state shared by the window and headless loops: scene, content store, loads, input and frames.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use glam::{DAffine2, DVec2, Vec2};

use super::loader::{ImageRole, LoadRequest, Loaded, Loader, Placement};
use super::mouse::MouseEmulator;
use super::wake::Wake;
use crate::config::Config;
use crate::content::ImageLimits;
use crate::pixels::Rgba8Image;
use crate::render::Renderer;
use crate::scene::{
    ContentKey, DrawItem, DrawList, Effect, Kind, Phase, Rgba, Scene, TouchEvent, VideoControl,
    WidgetSpec, placement::default_placement,
};

fn image_size(image: &Rgba8Image) -> DVec2 {
    DVec2::new(f64::from(image.width()), f64::from(image.height()))
}

/// The error card shown for content that failed with no one to tell.
const ERROR_CARD_PNG: &[u8] = include_bytes!("../../assets/error-card.png");

/// The kiosk: everything but the window and the GPU.
pub struct Kiosk {
    config: Config,
    scene: Scene,
    /// Decoded images by texture key, kept so textures can be rebuilt after a
    /// lost device.
    store: HashMap<ContentKey, Arc<Rgba8Image>>,
    /// Keys whose textures the renderer must free.
    dropped: Vec<ContentKey>,
    next_key: u64,
    loader: Loader,
    placed: usize,
    mouse: MouseEmulator,
    list: DrawList,
    start: Instant,
    error_card: ContentKey,
    markers_shown: usize,
}

impl Kiosk {
    /// A kiosk with an empty scene of `window` pixels.
    pub fn new(config: Config, window: (u32, u32), wake: Arc<dyn Wake>) -> Self {
        let mut settings = config.scene_settings();
        settings.window = DVec2::new(f64::from(window.0.max(1)), f64::from(window.1.max(1)));
        let limits = ImageLimits::from_config(&config.content);
        let mut kiosk = Self {
            scene: Scene::new(settings),
            config,
            store: HashMap::new(),
            dropped: Vec::new(),
            next_key: 1,
            loader: Loader::new(wake, limits),
            placed: 0,
            mouse: MouseEmulator::default(),
            list: DrawList::default(),
            start: Instant::now(),
            error_card: ContentKey(0),
            markers_shown: 0,
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

    /// Time since the kiosk started: the scene's clock.
    pub fn now(&self) -> Duration {
        self.start.elapsed()
    }

    /// Loads still in flight.
    pub fn pending_loads(&self) -> usize {
        self.loader.in_flight()
    }

    /// Starts loading an image into a widget.
    pub fn load(&mut self, request: LoadRequest) {
        self.loader.start(request);
    }

    /// Applies finished loads to the scene. Returns whether any arrived.
    pub fn pump(&mut self) -> bool {
        let mut any = false;
        while let Some(done) = self.loader.poll() {
            any = true;
            self.apply(done);
        }
        any
    }

    fn store_image(&mut self, image: Arc<Rgba8Image>) -> ContentKey {
        let key = ContentKey(self.next_key);
        self.next_key += 1;
        self.store.insert(key, image);
        key
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
                    ImageRole::VideoPoster => Kind::Video {
                        control: VideoControl::new(self.config.video.end),
                        poster: Some(key),
                    },
                };
                self.place(&request.name, kind, size, key, &request.placement);
            }
            Err(e) => {
                // Content from the config or the demo has no caller to tell:
                // the log says why, and an error card takes its place.
                tracing::error!(
                    name = %request.name,
                    path = %request.path.display(),
                    error = %e,
                    "content failed to load; showing an error card"
                );
                let Some(card) = self.store.get(&self.error_card) else {
                    return;
                };
                let size = image_size(card);
                let key = self.error_card;
                self.place(
                    &request.name,
                    Kind::ErrorCard,
                    size,
                    key,
                    &request.placement,
                );
            }
        }
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
            match self.scene.replace_content(id, kind, size, key) {
                Ok(old) if old != self.error_card => {
                    self.store.remove(&old);
                    self.dropped.push(old);
                }
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

    /// The mouse, as emulated fingers.
    pub fn mouse(&mut self) -> &mut MouseEmulator {
        &mut self.mouse
    }

    fn handle_effects(&mut self) {
        let effects: Vec<Effect> = self.scene.drain_effects().collect();
        for e in effects {
            match e {
                Effect::Video { widget, command } => {
                    let name = self.scene.get(widget).map(|w| w.name().to_string());
                    tracing::info!(?name, ?command, "video");
                }
                Effect::Tap { widget, local } => {
                    tracing::debug!(?widget, ?local, "tap");
                }
                Effect::BackdropDismissed => tracing::info!("backdrop dismissed by a tap"),
            }
        }
    }

    /// Whether a frame must be drawn at `now`: something changed, or
    /// something moves on its own.
    pub fn needs_redraw(&mut self, now: Duration) -> bool {
        self.scene.advance(now);
        let pins = self.mouse.pins().count();
        let markers_changed = pins != self.markers_shown;
        self.scene.take_dirty() || self.scene.is_animating(now) || markers_changed
    }

    /// Whether something moves on its own, so frames must keep coming.
    pub fn is_animating(&self, now: Duration) -> bool {
        self.scene.is_animating(now)
    }

    /// Brings the renderer's textures in line with the store: uploads what is
    /// drawn and missing, frees what was dropped.
    pub fn sync_textures(&mut self, renderer: &mut Renderer) {
        for key in self.dropped.drain(..) {
            renderer.forget(key);
        }
        for item in &self.list.items {
            if let DrawItem::Widget(w) = item
                && !renderer.has_texture(w.content)
                && let Some(img) = self.store.get(&w.content)
            {
                renderer.upload(w.content, img);
            }
        }
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
