//! One widget of the scene: its identity, kind, size, transform and per-widget interaction state.

use glam::{DAffine2, DVec2};

use super::fade::CrossFade;
use super::geometry::{corners, scale_of};
use super::gestures::Gestures;
use super::ids::{ContentKey, WidgetId};
use super::inertia::Inertia;
use super::input::FingerId;
use super::interaction::Interaction;
use super::scatter::ScatterSettings;
use super::tween::Tween;
use super::video::VideoControl;

/// What a widget shows. Video widgets carry their control state with them.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// A still image.
    Image,
    /// A video, with its play/pause state and an optional poster texture.
    Video {
        control: VideoControl,
        poster: Option<ContentKey>,
    },
    /// An HTML card.
    Html,
    /// A card explaining that some content failed.
    ErrorCard,
}

impl Kind {
    /// The kind's name as the remote API and `replay` report it.
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Image => "image",
            Kind::Video { .. } => "video",
            Kind::Html => "html",
            Kind::ErrorCard => "error",
        }
    }

    /// Whether a tap means something to this kind even when every transform
    /// switch is off: videos toggle and HTML cards follow links.
    pub fn is_tappable(&self) -> bool {
        matches!(self, Kind::Video { .. } | Kind::Html)
    }
}

/// Everything needed to add a widget to a scene.
#[derive(Clone, Debug)]
pub struct WidgetSpec {
    /// A unique, non-empty name; remote methods address widgets by it.
    pub name: String,
    pub kind: Kind,
    /// Size in local pixels.
    pub size: DVec2,
    /// Local → window transform. Local (0, 0) is the widget's top-left corner.
    pub transform: DAffine2,
    pub content: ContentKey,
    /// Per-widget scatter settings; `None` takes the scene's defaults.
    pub scatter: Option<ScatterSettings>,
}

/// A widget in the scene arena.
#[derive(Clone, Debug)]
pub struct Widget {
    pub(crate) id: WidgetId,
    pub(crate) name: String,
    pub(crate) kind: Kind,
    pub(crate) size: DVec2,
    pub(crate) transform: DAffine2,
    /// Cached inverse of `transform`, so a hit test is one affine map per widget.
    pub(crate) inverse: DAffine2,
    pub(crate) content: ContentKey,
    pub(crate) opacity: f32,
    pub(crate) scatter: ScatterSettings,
    /// The back office's gesture switches; `scatter` already has them applied.
    pub(crate) gestures: Gestures,
    /// Fingers captured by this widget, in capture order. Kivy's pivot choice
    /// depends on this order when distances tie.
    pub(crate) captured: Vec<FingerId>,
    /// The interaction under way while fingers hold the widget.
    pub(super) interaction: Option<Interaction>,
    pub(crate) inertia: Option<Inertia>,
    /// An eased glide to a target, from `place` or a reset.
    pub(crate) tween: Option<Tween>,
    /// The content it showed before, fading out beneath the new one.
    pub(crate) fade: Option<CrossFade>,
}

impl Widget {
    pub fn id(&self) -> WidgetId {
        self.id
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn kind(&self) -> &Kind {
        &self.kind
    }

    pub fn size(&self) -> DVec2 {
        self.size
    }

    pub fn transform(&self) -> DAffine2 {
        self.transform
    }

    pub fn content(&self) -> ContentKey {
        self.content
    }

    /// The crossfade in progress, if any.
    pub fn fade(&self) -> Option<&CrossFade> {
        self.fade.as_ref()
    }

    pub fn opacity(&self) -> f32 {
        self.opacity
    }

    pub fn scatter(&self) -> &ScatterSettings {
        &self.scatter
    }

    pub fn gestures(&self) -> Gestures {
        self.gestures
    }

    /// The video control state, for video widgets.
    pub fn video(&self) -> Option<&VideoControl> {
        match &self.kind {
            Kind::Video { control, .. } => Some(control),
            _ => None,
        }
    }

    /// Whether a finger holds the widget.
    pub fn is_held(&self) -> bool {
        !self.captured.is_empty()
    }

    /// Whether the widget is still gliding after a throw.
    pub fn is_gliding(&self) -> bool {
        self.inertia.is_some()
    }

    /// The window positions of the local corners (0,0), (w,0), (w,h), (0,h).
    pub fn corners(&self) -> [DVec2; 4] {
        corners(&self.transform, self.size)
    }

    /// The uniform scale of the transform: the window length of one local pixel.
    pub fn scale(&self) -> f64 {
        scale_of(&self.transform)
    }

    /// The rotation in degrees clockwise (window y points down), in [0, 360).
    pub fn rotation_degrees(&self) -> f64 {
        let x = self.transform.matrix2.x_axis;
        let deg = x.y.atan2(x.x).to_degrees();
        let deg = deg.rem_euclid(360.0);
        // rem_euclid can round a tiny negative angle up to exactly 360.
        if deg >= 360.0 { 0.0 } else { deg }
    }

    /// Whether a window point lies on the widget, edges included (as Kivy's
    /// `collide_point`).
    pub fn contains(&self, window_point: DVec2) -> bool {
        let p = self.inverse.transform_point2(window_point);
        p.x >= 0.0 && p.y >= 0.0 && p.x <= self.size.x && p.y <= self.size.y
    }

    /// Maps a window point to local pixels.
    pub fn to_local(&self, window_point: DVec2) -> DVec2 {
        self.inverse.transform_point2(window_point)
    }

    /// Whether the widget takes a finger that lands on it. As in Kivy, a widget
    /// with every transform switched off lets touches through, unless a tap
    /// means something to it.
    pub(crate) fn accepts_touches(&self) -> bool {
        let s = &self.scatter;
        s.translate || s.rotate || s.scale || self.kind.is_tappable()
    }

    /// Sets the transform and refreshes the cached inverse. The caller has
    /// checked that the transform is invertible.
    pub(crate) fn set_transform(&mut self, transform: DAffine2) {
        self.transform = transform;
        self.inverse = transform.inverse();
    }
}
