//! The configuration: every section and key with its documented default, and its validation.
//!
//! `config/vitrine.toml` documents each key; `vitrine --print-config` prints
//! the effective values. Loading and error reporting live in [`load`].

mod admin;
mod analytics;
mod display;
mod error;
mod fleet;
mod kiosk;
mod load;
mod remote;
mod state;
mod thrift;
mod tuio;

use std::path::PathBuf;
use std::time::Duration;

use glam::DVec2;
use serde::{Deserialize, Serialize};

use crate::rotation::Rotation;
use crate::scene::{EndPolicy, Rgba, ScatterSettings, SceneSettings, TouchSettings};

// The scene reads its durations in this form too, and the scene imports
// nothing outside itself, so the parser lives there and is re-exported here.
pub use crate::api::protocol::bounds::MAX_VIEWPORT_SIDE;

pub use crate::scene::duration;
pub use admin::{AdminConfig, TlsMode};
pub use analytics::AnalyticsConfig;
pub use display::{DisplayConfig, PowerMethod};
pub use error::{ConfigError, default_path};
pub use fleet::{FleetConfig, is_topic_name};
pub use kiosk::KioskConfig;
pub use remote::RemoteConfig;
pub use state::StateConfig;
pub use thrift::ThriftConfig;
pub use tuio::TuioConfig;

/// The whole configuration. Every section and key is optional.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub window: WindowConfig,
    pub scatter: ScatterSettings,
    pub touch: TouchSettings,
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

/// A value that passed parsing but not validation: the dotted key and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Invalid {
    pub key: String,
    pub message: String,
}

impl Config {
    /// Checks values that parse but make no sense, naming the first bad key.
    pub fn validate(&self) -> Result<(), Invalid> {
        let bad = |key: &str, message: &str| {
            Err(Invalid {
                key: key.into(),
                message: message.into(),
            })
        };
        if self.window.size[0] == 0 || self.window.size[1] == 0 {
            return bad("window.size", "width and height must be at least 1");
        }
        if let Err((key, message)) = self.scatter.validate() {
            return bad(&format!("scatter.{key}"), &message);
        }
        if !(self.touch.tap_max_distance.is_finite() && self.touch.tap_max_distance >= 0.0) {
            return bad("touch.tap_max_distance", "must be zero or more");
        }
        if !(self.video.volume.is_finite() && (0.0..=10.0).contains(&self.video.volume)) {
            return bad("video.volume", "must be between 0 and 10 (1 is unchanged)");
        }
        if self.html.viewport[0] == 0
            || self.html.viewport[1] == 0
            || self.html.viewport[0].max(self.html.viewport[1]) > MAX_VIEWPORT_SIDE
        {
            return bad(
                "html.viewport",
                &format!("width and height must be between 1 and {MAX_VIEWPORT_SIDE}"),
            );
        }
        // A zero timeout is never what was meant: a socket reads it as no
        // timeout at all, so the bound silently goes, and a render or fetch
        // deadline of zero fails everything.
        let timeouts = [
            ("html.render_timeout", self.html.render_timeout),
            ("html.resource_time", self.html.resource_time),
            ("content.fetch_timeout", self.content.fetch_timeout),
            ("remote.read_timeout", self.remote.read_timeout),
            (
                "remote.first_message_timeout",
                self.remote.first_message_timeout,
            ),
            ("remote.idle_timeout", self.remote.idle_timeout),
            ("remote.load_timeout", self.remote.load_timeout),
        ];
        if let Some((key, _)) = timeouts.iter().find(|(_, d)| d.is_zero()) {
            return bad(key, "must be longer than zero");
        }
        if self.html.max_depth == 0 {
            return bad("html.max_depth", "must be at least 1");
        }
        if self.html.max_elements == 0 {
            return bad("html.max_elements", "must be at least 1");
        }
        if !(1..=64).contains(&self.html.max_page_threads) {
            return bad("html.max_page_threads", "must be between 1 and 64");
        }
        if !(self.html.max_scale.is_finite() && (0.1..=16.0).contains(&self.html.max_scale)) {
            return bad("html.max_scale", "must be between 0.1 and 16");
        }
        if !self.window.background.is_valid() {
            return bad(
                "window.background",
                "each of the four channels must be between 0 and 1",
            );
        }
        if !self.backdrop.color.is_valid() {
            return bad(
                "backdrop.color",
                "each of the four channels must be between 0 and 1",
            );
        }
        if self.remote.max_message_bytes == 0 {
            return bad("remote.max_message_bytes", "must be at least 1");
        }
        if self.remote.max_connections == 0 {
            return bad("remote.max_connections", "must be at least 1");
        }
        for (key, value) in [
            ("content.max_widgets", self.content.max_widgets),
            (
                "content.max_texture_bytes",
                usize::try_from(self.content.max_texture_bytes).unwrap_or(usize::MAX),
            ),
            ("content.max_fetches", self.content.max_fetches),
            ("content.max_queued_loads", self.content.max_queued_loads),
            ("video.max_players", self.video.max_players),
            ("remote.event_queue", self.remote.event_queue),
            ("analytics.max_widgets", self.analytics.max_widgets),
        ] {
            if value == 0 {
                return bad(key, "must be at least 1");
            }
        }
        if !(1..=remote::MAX_NAME_BYTES_CEILING).contains(&self.remote.max_name_bytes) {
            return bad("remote.max_name_bytes", "must be from 1 to 1024");
        }
        // The throttle on wrong secrets: a zero would turn it off unseen.
        let r = &self.remote;
        if r.auth_failures_before_close == 0 {
            return bad("remote.auth_failures_before_close", "must be at least 1");
        }
        if r.auth_tracked_peers == 0 {
            return bad("remote.auth_tracked_peers", "must be at least 1");
        }
        if r.auth_delay.is_zero() {
            return bad("remote.auth_delay", "must be longer than zero");
        }
        if r.auth_max_delay < r.auth_delay {
            return bad(
                "remote.auth_max_delay",
                "must be at least remote.auth_delay",
            );
        }
        if self.remote.max_connections_per_peer == 0 {
            return bad("remote.max_connections_per_peer", "must be at least 1");
        }
        if self.remote.max_unauthenticated_message_bytes < 1024 {
            return bad(
                "remote.max_unauthenticated_message_bytes",
                "must be at least 1024, so that a request with its token fits",
            );
        }
        for (key, bind) in [
            ("remote.bind", &self.remote.bind),
            ("tuio.bind", &self.tuio.bind),
            ("thrift.bind", &self.thrift.bind),
        ] {
            if bind.trim().parse::<std::net::IpAddr>().is_err() {
                return bad(
                    key,
                    "must be an IP address such as \"127.0.0.1\" or \"0.0.0.0\"",
                );
            }
        }
        if self.analytics.save_interval.is_zero() {
            return bad("analytics.save_interval", "must be more than 0");
        }
        if let Err((key, message)) = self.display.validate() {
            return bad(&format!("display.{key}"), message);
        }
        if let Err((key, message)) = self.tuio.validate() {
            return bad(&format!("tuio.{key}"), message);
        }
        if let Err((key, message)) = self.admin.validate() {
            return bad(&format!("admin.{key}"), message);
        }
        if let Err((key, message)) = self.fleet.validate() {
            return bad(&format!("fleet.{key}"), message);
        }
        let uploads = &self.admin.upload_dir;
        if !uploads.as_os_str().is_empty()
            && !self.content.roots.iter().any(|r| uploads.starts_with(r))
        {
            return bad(
                "admin.upload_dir",
                "must lie inside one of content.roots, so the kiosk may show what is uploaded",
            );
        }
        Ok(())
    }

    /// The scene settings this config describes.
    pub fn scene_settings(&self) -> SceneSettings {
        SceneSettings {
            window: DVec2::new(
                f64::from(self.window.size[0]),
                f64::from(self.window.size[1]),
            ),
            scatter: self.scatter.clone(),
            touch: self.touch.clone(),
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
