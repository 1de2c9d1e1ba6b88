//! The configuration: every section and key with its documented default, and its validation.
//!
//! `config/vitrine.toml` documents each key; `vitrine --print-config` prints
//! the effective values. Loading and error reporting live in [`load`].

mod admin;
mod analytics;
mod display;
pub mod duration;
mod error;
mod fleet;
mod kiosk;
mod load;
mod playlist;
mod remote;
mod schedule;
mod state;
pub mod text;
mod thrift;
mod tuio;
mod validate;

use std::path::PathBuf;
use std::time::Duration;

use glam::DVec2;
use serde::{Deserialize, Serialize};

use vitrine_scene::rotation::Rotation;
use vitrine_scene::{EndPolicy, Rgba, ScatterSettings, SceneSettings, TouchSettings};

pub use vitrine_api::protocol::bounds::MAX_VIEWPORT_SIDE;

pub use admin::{AdminConfig, TlsMode};
pub use analytics::AnalyticsConfig;
pub use display::{DisplayConfig, PowerMethod};
pub use error::{ConfigError, Invalid, default_path};
pub use fleet::{FleetConfig, is_topic_name};
pub use kiosk::KioskConfig;
pub use playlist::PlaylistConfig;
pub use remote::RemoteConfig;
pub use schedule::ScheduleConfig;
pub use state::StateConfig;
pub use thrift::ThriftConfig;
pub use tuio::TuioConfig;

/// The whole configuration. Every section and key is optional.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub window: WindowConfig,
    pub scatter: ScatterSettings,
    pub touch: TouchConfig,
    pub backdrop: BackdropConfig,
    pub video: VideoConfig,
    pub html: HtmlConfig,
    pub remote: RemoteConfig,
    pub content: ContentConfig,
    pub state: StateConfig,
    pub kiosk: KioskConfig,
    pub thrift: ThriftConfig,
    pub tuio: TuioConfig,
    pub analytics: AnalyticsConfig,
    pub admin: AdminConfig,
    pub fleet: FleetConfig,
    pub display: DisplayConfig,
    pub schedule: ScheduleConfig,
    pub playlist: PlaylistConfig,
}

/// `[window]`: where and how the kiosk shows itself.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WindowConfig {
    /// Borderless fullscreen on `monitor`; otherwise a window of `size`.
    pub fullscreen: bool,
    /// Window size in pixels when not fullscreen, and the headless frame size.
    pub size: [u32; 2],
    /// The monitor to fill: its name (as the system reports it) or its index;
    /// empty means the primary monitor.
    pub monitor: String,
    /// Hide the mouse cursor over the fullscreen window.
    pub hide_cursor: bool,
    /// Let Esc quit. A kiosk is locked by default.
    pub allow_exit: bool,
    /// The colour behind all widgets.
    pub background: Rgba,
    /// How far the picture is turned clockwise on the panel: 0, 90, 180 or
    /// 270 degrees, for a panel mounted portrait or upside down. Touches are
    /// turned back, and the kiosk's own coordinates stay upright.
    pub rotation: Rotation,
}

impl Default for WindowConfig {
    fn default() -> Self {
        Self {
            fullscreen: true,
            size: [1280, 720],
            monitor: String::new(),
            hide_cursor: true,
            allow_exit: false,
            background: Rgba([0.08, 0.08, 0.09, 1.0]),
            rotation: Rotation::Deg0,
        }
    }
}

/// `[backdrop]`: the modal dimming layer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BackdropConfig {
    /// RGBA, each channel 0..=1 (straight alpha).
    pub color: Rgba,
    /// A tap on the backdrop hides it.
    pub tap_to_dismiss: bool,
    /// How long showing or hiding fades.
    #[serde(with = "duration")]
    pub fade: Duration,
}

impl Default for BackdropConfig {
    fn default() -> Self {
        Self {
            color: Rgba::DIM,
            tap_to_dismiss: false,
            fade: Duration::from_millis(200),
        }
    }
}

/// `[touch]`: what counts as a tap (the scene's `TouchSettings`, read from
/// the file's words).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TouchConfig {
    /// A finger that strays farther than this many window pixels from where
    /// it landed is a drag, not a tap.
    pub tap_max_distance: f64,
    /// A finger held longer than this is not a tap.
    #[serde(with = "duration")]
    pub tap_max_duration: Duration,
}

impl Default for TouchConfig {
    fn default() -> Self {
        let scene = TouchSettings::default();
        Self {
            tap_max_distance: scene.tap_max_distance,
            tap_max_duration: scene.tap_max_duration,
        }
    }
}

/// `[video]`: video widgets.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct VideoConfig {
    /// What a video does at its end: "loop", "pause" or "stop".
    pub end: EndPolicy,
    /// Play sound when a video has it and an audio device works. Kiosks are
    /// often muted.
    pub audio: bool,
    /// Audio volume, 0 to 1.
    pub volume: f64,
    /// Start videos as soon as they appear, instead of showing the poster
    /// with a play button until someone taps.
    pub autoplay: bool,
    /// A PNG drawn as the play button instead of the built-in shape; empty
    /// means the built-in one.
    pub overlay_image: PathBuf,
    /// The most video pipelines alive at once, on screen or prerolling; a
    /// video beyond that is refused.
    pub max_players: usize,
}

impl Default for VideoConfig {
    fn default() -> Self {
        Self {
            end: EndPolicy::Loop,
            audio: false,
            volume: 1.0,
            autoplay: false,
            overlay_image: PathBuf::new(),
            max_players: 8,
        }
    }
}

/// `[html]`: HTML cards.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HtmlConfig {
    /// The page viewport in CSS pixels when a load gives none; content
    /// beyond it is clipped.
    pub viewport: [u32; 2],
    /// How long one render may take before the page is refused.
    #[serde(with = "duration")]
    pub render_timeout: Duration,
    /// The deepest element nesting accepted.
    pub max_depth: usize,
    /// The most elements a page may have.
    pub max_elements: usize,
    /// The most threads that render pages; pages share them.
    pub max_page_threads: usize,
    /// The most device pixels per CSS pixel a page is painted at when zoomed.
    pub max_scale: f32,
    /// The most resources (stylesheets, images, fonts) one page may load.
    pub max_resources: usize,
    /// The most bytes one page's resources may add up to.
    pub max_resource_bytes: u64,
    /// How long one page may spend loading its resources, all together.
    #[serde(with = "duration")]
    pub resource_time: Duration,
}

impl Default for HtmlConfig {
    fn default() -> Self {
        Self {
            viewport: [960, 540],
            render_timeout: Duration::from_secs(5),
            max_depth: 256,
            max_elements: 50_000,
            max_page_threads: 4,
            max_scale: 4.0,
            max_resources: 64,
            max_resource_bytes: 32 * 1024 * 1024,
            resource_time: Duration::from_secs(10),
        }
    }
}

/// `[content]`: where content may come from and how big it may be.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ContentConfig {
    /// Directories `file://` URLs may point into. Empty allows no local files
    /// beyond vitrine's own assets.
    pub roots: Vec<PathBuf>,
    /// Hosts `http(s)://` URLs may point to; empty allows any host.
    /// Link-local and unspecified addresses are refused unless named here
    /// exactly (see `content::addr`).
    pub allowed_hosts: Vec<String>,
    /// The largest download accepted, in bytes.
    pub max_download_bytes: u64,
    /// The largest HTML document accepted, in bytes.
    pub max_html_bytes: u64,
    /// How long one fetch (a page, an image, a stylesheet) may take.
    #[serde(with = "duration")]
    pub fetch_timeout: Duration,
    /// The largest decoded image, in pixels (width × height), against
    /// decompression bombs.
    pub max_image_pixels: u64,
    /// The most widgets on screen; a load that would add one more is refused.
    pub max_widgets: usize,
    /// The decoded pixels all widgets may keep (images, pages, posters), in
    /// bytes; a load that would go over is refused.
    pub max_texture_bytes: u64,
    /// URL fetches that run at once (threads in the fetch pool).
    pub max_fetches: usize,
    /// Loads of each kind (files, URLs) that may wait for a worker; more are
    /// refused at once.
    pub max_queued_loads: usize,
}

impl Default for ContentConfig {
    fn default() -> Self {
        Self {
            roots: Vec::new(),
            allowed_hosts: Vec::new(),
            max_download_bytes: 256 * 1024 * 1024,
            max_html_bytes: 4 * 1024 * 1024,
            fetch_timeout: Duration::from_secs(10),
            max_image_pixels: 64 * 1024 * 1024,
            max_widgets: 64,
            max_texture_bytes: 1024 * 1024 * 1024,
            max_fetches: 4,
            max_queued_loads: 32,
        }
    }
}

impl Config {
    /// The scene settings this config describes.
    pub fn scene_settings(&self) -> SceneSettings {
        SceneSettings {
            window: DVec2::new(
                f64::from(self.window.size[0]),
                f64::from(self.window.size[1]),
            ),
            scatter: self.scatter.clone(),
            touch: TouchSettings {
                tap_max_distance: self.touch.tap_max_distance,
                tap_max_duration: self.touch.tap_max_duration,
            },
            backdrop_color: self.backdrop.color,
            backdrop_fade: self.backdrop.fade,
            backdrop_tap_to_dismiss: self.backdrop.tap_to_dismiss,
        }
    }

    /// The effective config as TOML, as `--print-config` shows it.
    pub fn to_toml(&self) -> String {
        // Every field is a plain TOML value, so serialisation cannot fail.
        toml::to_string(self).unwrap_or_else(|e| format!("# cannot print config: {e}\n"))
    }
}
