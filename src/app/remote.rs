//! The app's end of remote control: starting the server with the kiosk, and handing its tasks to the kiosk.

use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, RwLock};

use super::kiosk::{Gpu, Kiosk};
use super::options::{AppError, RunOptions};
use crate::remote::{Server, ServerError, ServerSettings, Task, View};
use crate::wake::Wake;

/// The server and the tasks it sends.
pub struct RemoteLink {
    tasks: Receiver<Task>,
    server: Option<Server>,
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
        // Unbounded in type only: each connection thread sends one task and
        // waits for its reply, so at most `remote.max_connections` wait here.
        let (tx, rx) = channel();
        let config = &kiosk.config().remote;
        if !config.enabled || opts.no_remote {
            return Ok(RemoteLink {
                tasks: rx,
                server: None,
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
        Ok(RemoteLink { tasks: rx, server })
    }

    /// The address the server listens on, if it runs.
    pub fn local_addr(&self) -> Option<std::net::SocketAddr> {
        self.server.as_ref().map(Server::local_addr)
    }

    /// Carries out every waiting task. A screenshot uses `gpu` (the
    /// renderer and frame size), when there is one.
    pub fn drain(&self, kiosk: &mut Kiosk, mut gpu: Gpu<'_>) {
        while let Ok(task) = self.tasks.try_recv() {
            let gpu = gpu.as_mut().map(|(r, size)| (&mut **r, *size));
            kiosk.task(task, gpu);
        }
    }
}
