//! The kiosk's side of remote control: each task from the server handled in one match, with typed replies.

use crate::api::protocol::bounds::check_name;
use crate::api::{Call, CallReply, CallResult, Load, PlaceSpec, Task, WidgetInfo};
use crate::app::load::request::{LoadRequest, Origin, Placement, Source};
use crate::app::translate;
use crate::outcome::{FailureKind, LoadFailure};
use crate::render::Renderer;
use crate::scene::{Kind, Rgba, VideoRequest};
use crate::state;
use std::sync::Arc;

use super::{Gpu, Kiosk};

/// A load's placement: the default one unless the request gave one.
fn placed(spec: PlaceSpec) -> Placement {
    if !spec.moves() && spec.gestures.is_empty() {
        Placement::Default
    } else {
        Placement::Spec(spec)
    }
}

/// What the desired state keeps of a load once it is shown.
fn kept_source(load: &Load) -> state::Source {
    match load {
        Load::FetchUrl { url, poster, .. } => state::Source::Url {
            url: url.clone(),
            poster: poster.clone(),
        },
        Load::PostHtml {
            data,
            base_url,
            width,
            height,
            ..
        } => state::Source::Html {
            data: data.clone(),
            base_url: base_url.clone(),
            width: *width,
            height: *height,
        },
    }
}

fn no_widget() -> LoadFailure {
    LoadFailure::new(FailureKind::NotFound, "no such widget")
}

impl Kiosk {
    /// Carries out one task from the remote server. Its reply is sent when
    /// the pass settles, after the view shows its effect.
    pub fn task(&mut self, task: Task, gpu: Gpu<'_>) {
        // What is on screen gets its time before the task changes it (and
        // before `stats` reads the counts).
        self.account();
        match task {
            Task::Load { load, caller } => {
                self.remote_change();
                self.leave_attract("remote");
                let kept = Arc::new(kept_source(&load));
                self.remote_load(load, Origin::Caller(caller, kept));
            }
            Task::Call {
                call: Call::Preview { layout, max_width },
                reply,
            } => self.start_preview(layout, max_width, reply),
            Task::Call { call, reply } => {
                if !matches!(
                    call,
                    Call::ListContent
                        | Call::Stats { .. }
                        | Call::GetState
                        | Call::Timeline { .. }
                        | Call::Screenshot { .. }
                        | Call::Display { on: None }
                ) {
                    self.remote_change();
                    if !matches!(call, Call::Display { .. }) {
                        self.leave_attract("remote");
                    }
                }
                let result = self.call(call, gpu);
                self.answer_call(reply, result);
            }
        }
        self.settle();
    }

    fn remote_load(&mut self, load: Load, origin: Origin) {
        // Every front end's parser checks names already; this holds for any
        // front end, with the config's bound. The refused name is not
        // repeated in the event: it may be megabytes long.
        if let Err(f) = self
            .check_name(load.name())
            .and_then(|()| self.can_record())
        {
            self.tell_failed("", "", &f);
            self.answer(&origin, Err(f));
            return;
        }
        match load {
            Load::FetchUrl {
                name,
                url,
                poster,
                placement,
            } => self.fetch_url(name, url, poster, placed(placement), origin),
            Load::PostHtml {
                name,
                data,
                base_url,
                width,
                height,
                placement,
            } => {
                let viewport = self.viewport_of(width, height);
                self.post_html(&name, data, base_url, viewport, placed(placement), origin);
            }
        }
    }

    fn fetch_url(
        &mut self,
        name: String,
        url: String,
        poster: Option<String>,
        placement: Placement,
        origin: Origin,
    ) {
        // Check the policy before any thread starts, so a refusal is quick.
        let checked = url::Url::parse(&url)
            .map_err(|e| LoadFailure::new(FailureKind::Invalid, format!("not a valid URL: {e}")))
            .and_then(|u| {
                self.policy
                    .check(&u)
                    .map_err(|e| crate::app::failures::fetch(&e))
            });
        if let Err(f) = checked {
            tracing::warn!(%name, %url, %f, "fetchUrl refused");
            self.tell_failed(&name, &url, &f);
            self.answer(&origin, Err(f));
            return;
        }
        self.load(LoadRequest {
            name,
            source: Source::Url(url),
            placement,
            origin,
            viewport: None,
            poster: poster.map(Source::Url),
        });
    }

    /// A name of the API's set within `remote.max_name_bytes`.
    fn check_name(&self, name: &str) -> Result<(), LoadFailure> {
        check_name(name, self.config.remote.max_name_bytes)
            .map_err(|e| LoadFailure::new(FailureKind::Invalid, format!("name {e}")))
    }

    /// Checks the names a call gives, and that a change can be recorded.
    fn admit(&self, call: &Call) -> Result<(), LoadFailure> {
        match call {
            Call::Remove { name } | Call::Raise { name } | Call::Place { name, .. } => {
                self.check_name(name)?;
                self.can_record()
            }
            Call::Play { name } | Call::Pause { name } => self.check_name(name),
            Call::ShowBackdrop { above, .. } => {
                above.iter().try_for_each(|n| self.check_name(n))?;
                self.can_record()
            }
            Call::HideBackdrop => self.can_record(),
            _ => Ok(()),
        }
    }

    fn call(&mut self, call: Call, gpu: Gpu<'_>) -> CallResult {
        self.admit(&call)?;
        match call {
            Call::ListContent => Ok(CallReply::Content {
                widgets: self.list_content(),
                revision: self.revision(),
                screen: self.scene.window_size().into(),
                schedule: self
                    .plan
                    .view(&self.keeper.desired, self.keeper.showing())
                    .clone(),
            }),
            Call::Remove { name } => {
                // A kept widget that could not be restored is not on screen,
                // but removing it must still work.
                let shown = self.remove(&name);
                let kept = self.record(|d| d.remove(&name))?;
                (shown || kept)
                    .then_some(CallReply::Done)
                    .ok_or_else(no_widget)
            }
            Call::Raise { name } => {
                let id = self.scene.id_of(&name).ok_or_else(no_widget)?;
                self.scene.raise(id).map_err(|_| no_widget())?;
                self.record(|d| d.raise(&name))?;
                Ok(CallReply::Done)
            }
            Call::Play { name } => self.remote_video(&name, VideoRequest::Play),
            Call::Pause { name } => self.remote_video(&name, VideoRequest::Pause),
            Call::ShowBackdrop { color, above } => {
                let now = self.now();
                self.scene
                    .show_backdrop(color.map(Rgba), &above, now)
                    .map_err(|e| LoadFailure::new(FailureKind::NotFound, e.to_string()))?;
                self.forget_restored_backdrop();
                // Fingers below it were cancelled: their interactions end now.
                self.handle_effects();
                self.tell_backdrop();
                self.record(|d| d.set_backdrop(Some(state::Backdrop { color, above })))?;
                Ok(CallReply::Done)
            }
            Call::HideBackdrop => {
                let now = self.now();
                let was_shown = self.scene.backdrop().is_shown();
                self.scene.hide_backdrop(now);
                self.forget_restored_backdrop();
                if was_shown {
                    self.tell_backdrop();
                }
                self.record(|d| d.set_backdrop(None))?;
                Ok(CallReply::Done)
            }
            Call::Reset => {
                self.reset_home("remote");
                Ok(CallReply::Done)
            }
            Call::Place {
                name,
                at,
                z,
                animate,
            } => self.place_widget(&name, &at, z, animate),
            Call::Stats { since, reset } => {
                self.telemetry.stats(since, reset).map(CallReply::Stats)
            }
            Call::GetState => Ok(CallReply::State(Box::new(self.keeper.desired.clone()))),
            Call::Timeline { date } => self.timeline(date.as_deref()).map(CallReply::Timeline),
            // Answered once drawn, by `start_preview`.
            Call::Preview { .. } => Err(LoadFailure::new(
                FailureKind::Failed,
                "a preview is answered once it is drawn",
            )),
            Call::SetState { document } => self.set_state(*document),
            Call::Display { on } => self.display_call(on),
            Call::Screenshot { max_width } => match gpu {
                Some((renderer, size)) => self.screenshot(renderer, size, max_width),
                None => Err(LoadFailure::new(FailureKind::Failed, "no window yet")),
            },
        }
    }

    fn remote_video(&mut self, name: &str, request: VideoRequest) -> CallResult {
        let w = self.scene.by_name(name).ok_or_else(no_widget)?;
        if w.video().is_none() {
            return Err(LoadFailure::new(FailureKind::Unsupported, "not a video"));
        }
        self.video(name, request)
            .then_some(CallReply::Done)
            .ok_or_else(no_widget)
    }

    /// The composed frame as a PNG, scaled down to `max_width` when given.
    fn screenshot(
        &mut self,
        renderer: &mut Renderer,
        size: (u32, u32),
        max_width: Option<u32>,
    ) -> CallResult {
        let (mut w, mut h) = size;
        if let Some(max) = max_width
            && max < w
        {
            h = ((u64::from(h) * u64::from(max)) / u64::from(w)).max(1) as u32;
            w = max;
        }
        let now = self.now();
        self.frame(now);
        self.sync_textures(renderer);
        let failed =
            |e: String| LoadFailure::new(FailureKind::Failed, format!("screenshot failed: {e}"));
        let image = renderer
            .capture(self.last_frame(), (w, h))
            .map_err(|e| failed(e.to_string()))?;
        let png = image.to_png().map_err(|e| failed(e.to_string()))?;
        Ok(CallReply::Screenshot {
            width: w,
            height: h,
            png,
        })
    }

    /// `listContent`: the widgets, front-most first.
    fn list_content(&self) -> Vec<WidgetInfo> {
        let count = self.scene.len();
        let cache = self.policy.cache();
        self.scene
            .front_to_back()
            .enumerate()
            .map(|(i, w)| {
                let state = match w.kind() {
                    Kind::Video { control, .. } => control.state().name(),
                    _ => "shown",
                };
                let url = self
                    .widgets
                    .get(w.id())
                    .and_then(|e| e.url.clone())
                    .unwrap_or_default();
                WidgetInfo {
                    name: w.name().to_string(),
                    kind: w.kind().name(),
                    cached: cache.is_some_and(|c| c.is_offline_copy(&url)),
                    url,
                    state,
                    corners: w.corners().map(|c| [c.x, c.y]),
                    // Among widgets only: the backdrop's layer (shown or
                    // fading) is not counted.
                    z: count - 1 - i,
                    gestures: translate::gestures_out(w.gestures()),
                }
            })
            .collect()
    }
}
