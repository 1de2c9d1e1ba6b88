//! The app's end of remote control: starting the server with the kiosk, and carrying its commands to the kiosk and the renderer.

use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, RwLock};

use serde_json::json;

use super::kiosk::{Kiosk, ScreenshotRequest};
use super::{AppError, RunOptions};
use crate::remote::protocol::codes;
use crate::remote::{Command, Server, ServerError, ServerSettings, View};
use crate::render::Renderer;
use crate::wake::Wake;
use base64::Engine as _;

/// The server and the commands it sends.
pub struct RemoteLink {
    commands: Receiver<Command>,
    _server: Option<Server>,
}

impl RemoteLink {
    /// Starts the server when the config (and command line) ask for it. An
    /// unsafe or malformed address stops vitrine; a port that is taken only
    /// disables remote control, so the kiosk keeps showing its content.
    pub fn start(
        kiosk: &mut Kiosk,
        opts: &RunOptions,
        wake: Arc<dyn Wake>,
    ) -> Result<RemoteLink, AppError> {
        let (tx, rx) = channel();
        let config = &kiosk.config().remote;
        if !config.enabled || opts.no_remote {
            return Ok(RemoteLink {
                commands: rx,
                _server: None,
            });
        }
        let mut settings = ServerSettings::from_config(config);
        if let Some(port) = opts.remote_port {
            settings.port = port;
        }
        let view = Arc::new(RwLock::new(View::default()));
        kiosk.set_view(view.clone());
        let server = match crate::remote::server::start(settings, tx, wake, view) {
            Ok(s) => {
                tracing::info!(address = %s.local_addr(), "remote control listening");
                Some(s)
            }
            Err(e @ (ServerError::Unauthenticated(_) | ServerError::BadAddress(_))) => {
                return Err(AppError::Remote(e));
            }
            Err(e) => {
                tracing::error!(%e, "remote control disabled");
                None
            }
        };
        Ok(RemoteLink {
            commands: rx,
            _server: server,
        })
    }

    /// Carries out every waiting command; screenshots come back for the
    /// loop, which has the renderer.
    pub fn drain(&self, kiosk: &mut Kiosk) -> Vec<ScreenshotRequest> {
        let mut shots = Vec::new();
        while let Ok(command) = self.commands.try_recv() {
            if let Some(shot) = kiosk.remote(command) {
                shots.push(shot);
            }
        }
        shots
    }
}

/// Answers a screenshot request with the composed frame as a PNG, scaled to
/// `max_width` when given.
pub fn answer_screenshot(
    kiosk: &mut Kiosk,
    renderer: &mut Renderer,
    size: (u32, u32),
    request: ScreenshotRequest,
) {
    let (mut w, mut h) = size;
    if let Some(max) = request.max_width
        && max < w
    {
        h = ((u64::from(h) * u64::from(max)) / u64::from(w)).max(1) as u32;
        w = max;
    }
    let now = kiosk.now();
    kiosk.frame(now);
    kiosk.sync_textures(renderer);
    let result = renderer
        .capture(kiosk.last_frame(), (w, h))
        .map_err(|e| e.to_string())
        .and_then(|img| img.to_png().map_err(|e| e.to_string()))
        .map(|png| json!({"width": w, "height": h, "png_base64": base64::engine::general_purpose::STANDARD.encode(&png)}))
        .map_err(|e| (codes::INTERNAL, format!("screenshot failed: {e}")));
    let _ = request.reply.send(result);
}
