//! The kiosk state shared by the window and headless loops: scene, widget registry, loaders, input and frames.
//!
//! Taking loads in lives in [`intake`], what arrives from loaders, players
//! and pages in [`arrivals`], remote tasks in [`tasks`], the durable desired
//! state in [`durable`] (held by [`keeper`]), events and counters in
//! [`telemetry`] (fed by [`news`]), and the view and replies each pass ends
//! with in [`settle`] and [`outbox`].

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use glam::{DAffine2, DVec2};

mod apply;
mod arrivals;
mod day_plan;
mod drawing;
mod durable;
mod error_cards;
mod idle;
mod intake;
mod keeper;
mod layout;
mod news;
mod outbox;
mod playlists;
#[cfg(test)]
mod playlists_tests;
mod power;
mod power_state;
mod preview;
mod previews;
mod proof;
mod reset;
mod settle;
mod showings;
mod startup_queue;
mod tasks;
mod telemetry;
mod timeline;
mod tuio_inbox;
mod turns;
mod way_back;

use super::load::pool::{Bounds, Loader};
use super::load::prepare::Limits;
use super::load::request::{Origin, Placement};
use super::mouse::MouseEmulator;
use super::pages::Pages;
use super::reaper::Reaper;
use super::videos::Videos;
use super::widgets::{Texture, Widgets};
use crate::config::Config;
use crate::content::Policy;
use crate::media::PlayerOptions;
use crate::pixels::Rgba8Image;
use crate::render::Renderer;
use crate::scene::{
    ContentKey, DrawList, Effect, Kind, Phase, Scene, TouchEvent, VideoRequest, WidgetId,
};
use crate::settings;
use crate::wake::Wake;

use keeper::Keeper;
use outbox::Outbox;

/// The renderer and frame size a screenshot is taken with, where there is one.
pub type Gpu<'a> = Option<(&'a mut Renderer, (u32, u32))>;

/// The error card shown when even the HTML error card cannot be rendered.
const ERROR_CARD_PNG: &[u8] = include_bytes!("../../../../../assets/error-card.png");

/// A video to open straight from a URI.
#[derive(Clone, Debug)]
pub struct VideoLoad {
    pub name: String,
    /// The video's URI as it was asked for: what the kiosk reports.
    pub uri: String,
    /// A local copy to play instead, when there is one.
    pub local: Option<String>,
    pub placement: Placement,
    pub origin: Origin,
    /// A poster image shown until the video first plays.
    pub poster: Option<Arc<Rgba8Image>>,
}

/// The kiosk: everything but the window and the GPU.
pub struct Kiosk {
    config: Config,
    scene: Scene,
    policy: Arc<Policy>,
    /// Everything attached to each widget of the scene.
    widgets: Widgets,
    next_key: u64,
    loader: Loader,
    videos: Videos,
    pages: Pages,
    /// What the remote server reads without asking the UI thread, and the
    /// replies that wait for it to be published.
    outbox: Outbox,
    /// Startup content (the demo, the command line, a restore), loaded one
    /// item at a time so it stacks in order, and the widgets it placed.
    startup: startup_queue::StartupQueue,
    /// The desired state, and its store when it is kept on disk.
    keeper: Keeper,
    /// Where each widget rests: where it first appeared, or where `place`
    /// put it. The idle reset glides widgets back here.
    homes: HashMap<WidgetId, DAffine2>,
    /// Cards that followed links, and the page each goes back to on a reset.
    way_backs: way_back::WayBacks,
    /// TUIO finger events, once a listener runs.
    tuio: tuio_inbox::TuioInbox,
    /// When a finger last moved, and whether the screen is home since.
    idle: idle::IdleClock,
    placed: usize,
    mouse: MouseEmulator,
    list: DrawList,
    start: Instant,
    /// The built-in error card, shared by every widget that shows it.
    error_card: (ContentKey, Arc<Rgba8Image>),
    markers_shown: usize,
    /// Video frames uploaded for display.
    displayed: u64,
    /// Events out to subscribers, and the touch counters.
    telemetry: telemetry::Telemetry,
    /// The screen's power.
    power: power_state::Power,
    /// The day's plan: the clock, the time zone, the schedule's next change.
    plan: day_plan::DayPlan,
    /// The playlist widgets: whose turn it is and what loads next.
    playlists: playlists::Playlists,
    /// What is on screen for proof of play, and since when.
    showings: showings::Showings,
    /// The layout preview being drawn, if any.
    previews: previews::Previews,
}

fn image_size(image: &Rgba8Image) -> DVec2 {
    DVec2::new(f64::from(image.width()), f64::from(image.height()))
}

impl Kiosk {
    /// A kiosk with an empty scene of `window` pixels.
    pub fn new(config: Config, window: (u32, u32), wake: Arc<dyn Wake>) -> Self {
        Self::with_roots(config, window, wake, &[])
    }

    /// Runs the kiosk's clock from `clock` on (`--clock`): the schedule
    /// reads it.
    pub fn set_clock(&mut self, clock: crate::plan::Clock) {
        self.plan.set_clock(clock);
    }

    /// Takes TUIO finger events from `touches` from now on.
    pub fn attach_tuio(&mut self, touches: std::sync::mpsc::Receiver<crate::tuio::Touch>) {
        self.tuio.attach(touches);
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
        let limits = settings::image_limits(&config.content);
        let options = PlayerOptions {
            audio: config.video.audio,
            volume: config.video.volume,
            looping: config.video.end == crate::scene::EndPolicy::Loop,
        };
        let mut content = config.content.clone();
        content.roots.extend(extra_roots.iter().cloned());
        let assets = crate::assets::dir().ok();
        let policy = Arc::new(settings::policy(&content, assets.as_deref()));
        let reaper = Reaper::start();
        let card = crate::content::decode_image(ERROR_CARD_PNG, limits)
            .unwrap_or_else(|_| Rgba8Image::filled(4, 3, [140, 30, 36, 255]));
        Self {
            scene: Scene::new(settings),
            widgets: Widgets::new(reaper.clone()),
            // Key 0 is the error card's.
            next_key: 1,
            loader: Loader::new(
                wake.clone(),
                Limits {
                    image: limits,
                    max_html_bytes: config.content.max_html_bytes,
                    policy: policy.clone(),
                },
                Bounds {
                    fetchers: config.content.max_fetches,
                    queue: config.content.max_queued_loads,
                },
            ),
            videos: Videos::new(options, wake.clone(), reaper),
            pages: Pages::new(policy.clone(), settings::html(&config), wake),
            policy,
            outbox: Outbox::default(),
            startup: startup_queue::StartupQueue::default(),
            keeper: Keeper::default(),
            homes: HashMap::new(),
            way_backs: way_back::WayBacks::default(),
            tuio: tuio_inbox::TuioInbox::default(),
            idle: idle::IdleClock::new(config.kiosk.idle_reset),
            placed: 0,
            mouse: MouseEmulator::default(),
            list: DrawList::default(),
            start: Instant::now(),
            error_card: (ContentKey(0), Arc::new(card)),
            markers_shown: 0,
            displayed: 0,
            telemetry: telemetry::Telemetry::new(&config),
            power: power_state::Power::default(),
            plan: day_plan::DayPlan::new(match config.kiosk.timezone.as_str() {
                "" => crate::plan::system_time_zone(),
                // The config's checks refuse a zone that is not known.
                name => crate::plan::time_zone(name).unwrap_or_else(|e| {
                    tracing::warn!(%e, "kiosk.timezone: the system's time zone instead");
                    crate::plan::system_time_zone()
                }),
            }),
            playlists: playlists::Playlists::default(),
            showings: showings::Showings::default(),
            previews: previews::Previews::default(),
            config,
        }
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
        self.loader.in_flight()
            + self.videos.pending()
            + self.pages.pending()
            + self.startup.waiting()
    }

    /// Frames decoded and frames uploaded for display, over all videos on
    /// screen.
    pub fn video_frames(&self) -> (u64, u64) {
        let decoded = self
            .widgets
            .iter()
            .filter_map(|(_, e)| e.video())
            .map(|v| v.delivered())
            .sum();
        (decoded, self.displayed)
    }

    /// How many widgets have attachments, and how many textures they own:
    /// for leak tests.
    pub fn attachment_counts(&self) -> (usize, usize) {
        (self.widgets.len(), self.widgets.texture_count())
    }

    /// HTML pages alive and the page threads serving them: for leak tests.
    pub fn live_pages(&self) -> (usize, usize) {
        self.pages.live()
    }

    /// The pixel size of the texture the widget `name` shows, for images and
    /// HTML pages (a page's grows with its zoom).
    pub fn texture_size(&self, name: &str) -> Option<(u32, u32)> {
        let id = self.scene.id_of(name)?;
        match &self.widgets.get(id)?.texture {
            Texture::Image { image, .. } => Some((image.width(), image.height())),
            Texture::Shared(_) => Some((self.error_card.1.width(), self.error_card.1.height())),
            Texture::Frames(_) => None,
        }
    }

    /// The URL the widget `name` shows (`currentUrl`'s answer for it).
    pub fn url_of(&self, name: &str) -> Option<String> {
        let id = self.scene.id_of(name)?;
        self.widgets.get(id)?.url.clone()
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
        if self.power_swallows(id, phase) || self.attract_swallows(id, phase) {
            return;
        }
        let time = self.now();
        self.idle.touched(time);
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
                    if let Some(v) = self.widgets.get(widget).and_then(|e| e.video()) {
                        tracing::debug!(?widget, ?command, "video");
                        v.command(command);
                    }
                    self.video_commanded(widget, command);
                }
                Effect::Tap { widget, local } => {
                    self.playlist_tapped(widget);
                    // Local pixels of an HTML widget are its CSS pixels.
                    let is_html = self
                        .scene
                        .get(widget)
                        .is_some_and(|w| w.kind() == &Kind::Html);
                    if is_html && let Some(page) = self.widgets.get(widget).and_then(|e| e.page()) {
                        self.pages.hit(widget, page, local.x as f32, local.y as f32);
                    }
                }
                Effect::BackdropDismissed => {
                    tracing::info!("backdrop dismissed by a tap");
                    self.tell_backdrop();
                }
                Effect::Gesture(record) => self.gesture_ended(record),
            }
        }
    }
}
