//! `preview`: a layout of the desired state drawn offscreen, as the admin page shows it, without changing the screen. Content on screen with the same source is borrowed; the rest loads as any content does (the content policy, the cache) and is freed once drawn.

use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

use super::Kiosk;
use super::keeper::transform_at;
use super::previews::{Job, Part};
use crate::api::{CallReply, CallResult};
use crate::app::load::request::{LoadRequest, Origin, Placement, Source};
use crate::app::translate;
use crate::app::widgets::{Attachment, Entry, Texture};
use crate::outcome::{FailureKind, LoadFailure};
use crate::render::Renderer;
use crate::scene::{Kind, Rgba, Scene, WidgetSpec};
use crate::state::Widget;

/// The longest a preview waits for its content before it is drawn with
/// what has loaded: under the 10 s within which every call is answered.
const PREVIEW_WAIT: Duration = Duration::from_secs(8);
/// A preview's width when the caller gives none.
const PREVIEW_WIDTH: u32 = 640;

impl Kiosk {
    /// Starts drawing the layout `layout` (`None`: the default one) at most
    /// `max_width` wide; `reply` gets the picture once its content loaded.
    pub(super) fn start_preview(
        &mut self,
        layout: Option<String>,
        max_width: Option<u32>,
        reply: Sender<CallResult>,
    ) {
        let refuse = |kind, why: String| Err(LoadFailure::new(kind, why));
        if self.previews.job.is_some() {
            let busy = refuse(
                FailureKind::Limit,
                "a preview is being drawn; ask again once it is done".into(),
            );
            return self.answer_call(reply, busy);
        }
        if let Some(name) = &layout
            && !self.keeper.desired.layouts.contains_key(name)
        {
            let missing = refuse(
                FailureKind::NotFound,
                format!("the desired state has no layout named {name:?}"),
            );
            return self.answer_call(reply, missing);
        }
        let l = self.keeper.desired.layout(layout.as_deref());
        let (widgets, backdrop) = (l.widgets.to_vec(), l.backdrop.cloned());
        let window = self.scene.window_size();
        let width = max_width.unwrap_or(PREVIEW_WIDTH).clamp(1, window.x as u32);
        let height = ((window.y * f64::from(width) / window.x).round() as u32).max(1);
        let id = self.previews.next_id();
        self.previews.job = Some(Job {
            id,
            widgets: widgets.clone(),
            backdrop,
            parts: Default::default(),
            waiting: Default::default(),
            reply,
            deadline: Instant::now() + PREVIEW_WAIT.min(self.config.content.fetch_timeout),
            size: (width, height),
        });
        for w in widgets {
            if let Some(part) = self.shown_part(&w) {
                if let Some(job) = &mut self.previews.job {
                    job.parts.insert(w.name.clone(), part);
                }
                continue;
            }
            if let Some(job) = &mut self.previews.job {
                job.waiting.insert(w.name.clone());
            }
            self.load_for_preview(id, w);
        }
    }

    /// The widget's content as the screen shows it, when the screen shows
    /// this very source under its name.
    fn shown_part(&self, w: &Widget) -> Option<Part> {
        let same = self
            .keeper
            .screen()
            .widgets
            .iter()
            .any(|s| s.name == w.name && s.source == w.source);
        let on = self.scene.by_name(&w.name).filter(|_| same)?;
        Some(Part::Shown {
            kind: on.kind().clone(),
            size: on.size(),
            key: on.content(),
        })
    }

    /// Loads `w`'s content (a playlist's first item) for preview `id`.
    fn load_for_preview(&mut self, id: u64, w: Widget) {
        let origin = Origin::Preview(id);
        let (url, poster, html) = match w.source {
            crate::state::Source::Url { url, poster } => (Some(url), poster, None),
            crate::state::Source::Html {
                data,
                base_url,
                width,
                height,
            } => (None, None, Some((data, base_url, width, height))),
            crate::state::Source::Playlist { items, .. } => match items.into_iter().next() {
                Some(i) => match (i.url, i.html) {
                    (Some(u), _) => (Some(u), i.poster, None),
                    (None, Some(h)) => (None, None, Some((h, i.base_url, i.width, i.height))),
                    (None, None) => (None, None, None),
                },
                None => (None, None, None),
            },
        };
        match (url, html) {
            (Some(url), _) => self.load(LoadRequest {
                name: w.name,
                source: Source::Url(url),
                placement: Placement::InPlace,
                origin,
                viewport: None,
                poster: poster.map(Source::Url),
            }),
            (None, Some((data, base_url, width, height))) => {
                let viewport = self.viewport_of(width, height);
                self.post_html(
                    &w.name,
                    data,
                    base_url,
                    viewport,
                    Placement::InPlace,
                    origin,
                );
            }
            (None, None) => self.previews.failed(id, &w.name),
        }
    }

    /// Content loaded for preview `id`.
    pub(super) fn preview_arrived(
        &mut self,
        id: u64,
        name: &str,
        kind: Kind,
        size: glam::DVec2,
        entry: Entry,
    ) {
        // Drawn as a picture: a video's frame or poster, without its overlay.
        let _ = kind;
        if let Some(entry) = self.previews.arrived(id, name, size, entry) {
            self.widgets.discard(entry);
        }
    }

    /// Content for preview `id` failed: the widget is left out.
    pub(super) fn preview_failed(&mut self, id: u64, name: &str, failure: &LoadFailure) {
        tracing::info!(%name, %failure, "left out of a layout preview");
        self.previews.failed(id, name);
    }

    /// When the preview being drawn is due, at the latest.
    pub(super) fn preview_deadline(&self) -> Option<Duration> {
        self.previews
            .deadline()
            .map(|d| d.saturating_duration_since(Instant::now()))
    }

    /// Draws the preview once its content is in (or its time is up) and
    /// answers it. The loops call this after each pass, with the renderer.
    pub fn finish_previews(&mut self, renderer: &mut Renderer) {
        if !self.previews.due(Instant::now()) {
            return;
        }
        let Some(mut job) = self.previews.job.take() else {
            return;
        };
        let result = self.draw_preview(&mut job, renderer);
        let Job { parts, reply, .. } = job;
        for part in parts.into_values() {
            if let Part::Loaded { entry, .. } = part {
                renderer.forget(entry.texture.key());
                if let Some(p) = &entry.poster {
                    renderer.forget(p.key());
                }
                self.widgets.discard(entry);
            }
        }
        self.answer_call(reply, result);
        self.settle();
    }

    fn draw_preview(&self, job: &mut Job, renderer: &mut Renderer) -> CallResult {
        let mut settings = self.scene.settings().clone();
        settings.window = self.scene.window_size();
        let mut scene = Scene::new(settings);
        for w in &job.widgets {
            let Some((size, key)) = job.parts.get_mut(&w.name).map(|p| match p {
                Part::Loaded { size, entry, .. } => (*size, upload(entry, renderer)),
                Part::Shown { size, key, kind } => (*size, shown_key(kind, *key)),
            }) else {
                continue;
            };
            let spec = WidgetSpec {
                name: w.name.clone(),
                kind: Kind::Image,
                size,
                transform: transform_at(&w.home),
                content: key,
                scatter: None,
            };
            match scene.add(spec) {
                Ok(id) => {
                    let _ = scene.set_gestures(id, translate::gestures_in(w.gestures));
                }
                Err(e) => tracing::debug!(%e, name = %w.name, "left out of a preview"),
            }
        }
        if let Some(b) = &job.backdrop {
            let color = b.color.map(Rgba);
            let _ = scene.show_backdrop(color, &b.above, Duration::ZERO);
        }
        // Long after any fade: the layout at rest.
        let list = scene.draw(Duration::from_secs(3600));
        let failed =
            |e: String| LoadFailure::new(FailureKind::Failed, format!("the preview failed: {e}"));
        let image = renderer
            .capture(&list, job.size)
            .map_err(|e| failed(e.to_string()))?;
        let png = image.to_png().map_err(|e| failed(e.to_string()))?;
        Ok(CallReply::Screenshot {
            width: job.size.0,
            height: job.size.1,
            png,
        })
    }
}

/// Puts a preview's own content on the GPU: an image, or a video's first
/// frame (its poster when it has one).
fn upload(entry: &mut Entry, renderer: &mut Renderer) -> crate::scene::ContentKey {
    if let Some(Texture::Image { key, image, .. }) = &entry.poster {
        renderer.upload(*key, image);
        return *key;
    }
    match (&entry.texture, &mut entry.attachment) {
        (Texture::Image { key, image, page }, _) => {
            if *page {
                renderer.upload_page(*key, image);
            } else {
                renderer.upload(*key, image);
            }
            *key
        }
        (Texture::Frames(key), Attachment::Video(v)) => {
            if let Err(e) = v.upload(*key, renderer) {
                tracing::debug!(%e, "a preview's video frame was skipped");
            }
            *key
        }
        (t, _) => t.key(),
    }
}

/// The texture a widget on screen shows now: a video's poster while it
/// shows it.
fn shown_key(kind: &Kind, key: crate::scene::ContentKey) -> crate::scene::ContentKey {
    match kind {
        Kind::Video {
            control,
            poster: Some(p),
        } if control.shows_poster() => *p,
        _ => key,
    }
}
