//! The draw list: the scene flattened, back to front, into plain data for a renderer.

use std::time::Duration;

use glam::{Affine2, Vec2};

use super::arena::{Layer, Scene};
use super::color::Rgba;
use super::ids::ContentKey;
use super::widget::Kind;

/// One widget as the renderer sees it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WidgetDraw {
    /// Local → window pixels. Local (0, 0) is the top-left corner.
    pub transform: Affine2,
    /// Size in local pixels.
    pub size: Vec2,
    /// The texture to draw: the poster while a video shows it.
    pub content: ContentKey,
    pub opacity: f32,
    /// Draw the play overlay on top.
    pub overlay: bool,
}

/// One entry of a draw list.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum DrawItem {
    Widget(WidgetDraw),
    /// A window-filling quad of one colour (straight alpha, fade applied).
    Backdrop(Rgba),
    /// A round marker, such as an emulated finger, in window pixels.
    Marker {
        center: Vec2,
        radius: f32,
        color: Rgba,
    },
}

/// Everything to draw for one frame, back to front.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DrawList {
    pub window: Vec2,
    pub items: Vec<DrawItem>,
}

impl Scene {
    /// Flattens the scene at `now` into `out`, reusing its allocation.
    pub fn draw_into(&self, now: Duration, out: &mut DrawList) {
        out.items.clear();
        out.window = self.settings.window.as_vec2();
        for layer in &self.order {
            match *layer {
                Layer::Backdrop => out
                    .items
                    .push(DrawItem::Backdrop(self.backdrop.draw_color(now))),
                Layer::Widget(id) => {
                    let Some(w) = self.get(id) else { continue };
                    let (content, overlay) = match &w.kind {
                        Kind::Video { control, poster } => (
                            poster
                                .filter(|_| control.shows_poster())
                                .unwrap_or(w.content),
                            control.overlay_visible(),
                        ),
                        _ => (w.content, false),
                    };
                    // During a crossfade the old content shows beneath and
                    // the new one fades in over it: never a gap between.
                    let fade = w.fade.and_then(|f| Some((f, f.progress(now)?)));
                    let mut opacity = w.opacity;
                    if let Some((f, t)) = fade {
                        out.items.push(DrawItem::Widget(WidgetDraw {
                            transform: f.transform.as_affine2(),
                            size: f.size.as_vec2(),
                            content: f.from,
                            opacity: w.opacity,
                            overlay: false,
                        }));
                        opacity *= t;
                    }
                    out.items.push(DrawItem::Widget(WidgetDraw {
                        transform: w.transform.as_affine2(),
                        size: w.size.as_vec2(),
                        content,
                        opacity,
                        overlay,
                    }));
                }
            }
        }
    }

    /// Flattens the scene at `now` into a new draw list.
    pub fn draw(&self, now: Duration) -> DrawList {
        let mut out = DrawList::default();
        self.draw_into(now, &mut out);
        out
    }
}
