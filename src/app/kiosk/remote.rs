//! The kiosk's side of remote control: carrying out commands, describing the content, and publishing what the server reads directly.

use std::sync::{Arc, RwLock};

use serde_json::{Value, json};

use super::Kiosk;
use crate::app::loader::{LoadRequest, Origin, Placement, Source};
use crate::remote::protocol::{Method, PushResult, codes};
use crate::remote::{Command, View};
use crate::scene::{Kind, Rgba, VideoRequest};

/// A command only the loop can carry out: it needs the renderer.
pub struct ScreenshotRequest {
    pub max_width: Option<u32>,
    pub reply: std::sync::mpsc::Sender<Result<Value, (i64, String)>>,
}

impl Kiosk {
    /// Gives the kiosk the view the remote server reads, and fills it.
    pub fn set_view(&mut self, view: Arc<RwLock<View>>) {
        self.view = Some(view);
        self.publish_view();
    }

    /// Records the URL a widget shows (`None`: posted HTML).
    pub(super) fn set_url(&mut self, name: &str, url: Option<String>) {
        match url {
            Some(u) => self.urls.insert(name.to_string(), u),
            None => self.urls.remove(name),
        };
        self.publish_view();
    }

    /// Publishes the current content for `whatsLoaded` and `currentUrl`.
    pub(super) fn publish_view(&self) {
        let Some(view) = &self.view else { return };
        let current = self
            .scene
            .current()
            .map(|w| w.name().to_string())
            .unwrap_or_default();
        let url = self.urls.get(&current).cloned().unwrap_or_default();
        let mut v = view.write().unwrap_or_else(|e| e.into_inner());
        v.current_name = current;
        v.current_url = url;
    }

    /// Carries out a remote command. A screenshot needs the renderer, so it
    /// is handed back to the loop.
    pub fn remote(&mut self, command: Command) -> Option<ScreenshotRequest> {
        match command {
            Command::Load { method, caller } => {
                let origin = Origin::Caller(caller);
                match method {
                    Method::FetchUrl { name, url, poster } => {
                        self.fetch_url(name, url, poster, origin)
                    }
                    Method::PostHtml {
                        name,
                        data,
                        base_url,
                        width,
                        height,
                    } => {
                        let viewport = match (width, height) {
                            (None, None) => None,
                            (w, h) => Some((
                                w.unwrap_or(self.config.html.viewport[0]),
                                h.unwrap_or(self.config.html.viewport[1]),
                            )),
                        };
                        if name.is_empty() {
                            origin.reply(Err(crate::reply::LoadFailure::new(
                                PushResult::InvalidArgument,
                                "name must not be empty",
                            )));
                        } else {
                            self.post_html(
                                &name,
                                data,
                                base_url,
                                viewport,
                                Placement::Default,
                                origin,
                            );
                        }
                    }
                    other => origin.reply(Err(crate::reply::LoadFailure::new(
                        PushResult::InvalidArgument,
                        format!("{other:?} is not a load"),
                    ))),
                }
                None
            }
            Command::Call { method, reply } => {
                if let Method::Screenshot { max_width } = method {
                    return Some(ScreenshotRequest { max_width, reply });
                }
                let _ = reply.send(self.call(method));
                None
            }
        }
    }

    fn fetch_url(&mut self, name: String, url: String, poster: Option<String>, origin: Origin) {
        if name.is_empty() {
            origin.reply(Err(crate::reply::LoadFailure::new(
                PushResult::InvalidArgument,
                "name must not be empty",
            )));
            return;
        }
        // Check the policy before any thread starts, so a refusal is quick.
        let checked = url::Url::parse(&url)
            .map_err(|e| {
                crate::reply::LoadFailure::new(
                    PushResult::InvalidArgument,
                    format!("not a valid URL: {e}"),
                )
            })
            .and_then(|u| {
                self.policy
                    .check(&u)
                    .map_err(|e| crate::app::failures::fetch(&e))
            });
        if let Err(f) = checked {
            tracing::warn!(%name, %url, %f, "fetchUrl refused");
            origin.reply(Err(f));
            return;
        }
        self.load(LoadRequest {
            name,
            source: Source::Url(url),
            placement: Placement::Default,
            origin,
            viewport: None,
            poster: poster.map(Source::Url),
        });
    }

    fn call(&mut self, method: Method) -> Result<Value, (i64, String)> {
        let status = |ok: bool| {
            if ok {
                PushResult::Success.result(None, "")
            } else {
                PushResult::NotFound.result(None, "no such widget")
            }
        };
        Ok(match method {
            Method::ListContent => self.list_content(),
            Method::WhatsLoaded => json!(
                self.scene
                    .current()
                    .map(|w| w.name().to_string())
                    .unwrap_or_default()
            ),
            Method::CurrentUrl => {
                let current = self
                    .scene
                    .current()
                    .map(|w| w.name().to_string())
                    .unwrap_or_default();
                json!(self.urls.get(&current).cloned().unwrap_or_default())
            }
            Method::Remove { name } => status(self.remove(&name)),
            Method::Raise { name } => {
                let raised = self
                    .scene
                    .id_of(&name)
                    .is_some_and(|id| self.scene.raise(id).is_ok());
                self.publish_view();
                status(raised)
            }
            Method::Play { name } | Method::Pause { name }
                if self.scene.by_name(&name).and_then(|w| w.video()).is_none() =>
            {
                if self.scene.by_name(&name).is_some() {
                    PushResult::Unsupported.result(None, "not a video")
                } else {
                    status(false)
                }
            }
            Method::Play { name } => status(self.video(&name, VideoRequest::Play)),
            Method::Pause { name } => status(self.video(&name, VideoRequest::Pause)),
            Method::ShowBackdrop { color, above } => {
                let now = self.now();
                match self.scene.show_backdrop(color.map(Rgba), &above, now) {
                    Ok(()) => status(true),
                    Err(e) => PushResult::NotFound.result(None, &e.to_string()),
                }
            }
            Method::HideBackdrop => {
                let now = self.now();
                self.scene.hide_backdrop(now);
                status(true)
            }
            other => return Err((codes::INTERNAL, format!("{other:?} is not handled here"))),
        })
    }

    /// `listContent`: the widgets, front-most first.
    fn list_content(&self) -> Value {
        let list: Vec<Value> = self
            .scene
            .front_to_back()
            .map(|w| {
                let state = match w.kind() {
                    Kind::Video { control, .. } => control.state().name(),
                    _ => "shown",
                };
                json!({
                    "name": w.name(),
                    "kind": w.kind().name(),
                    "url": self.urls.get(w.name()).cloned().unwrap_or_default(),
                    "state": state,
                    "corners": w.corners().map(|c| [c.x, c.y]),
                    "z": self.scene.z_of(w.id()).unwrap_or(0),
                })
            })
            .collect();
        Value::Array(list)
    }
}
