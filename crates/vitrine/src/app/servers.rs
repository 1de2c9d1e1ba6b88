//! The app's end of remote control: starting the JSON server, the Thrift endpoint and the admin page on one dispatch, and handing their tasks to the kiosk.

use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, RwLock};

use super::admin::start_admin;
use super::kiosk::{Gpu, Kiosk};
use super::options::{AppError, RunOptions};
use crate::admin::AdminServer;
use crate::api::{Dispatch, Task, View};
use crate::auth::{Throttle, ThrottleSettings};
use crate::remote::{Server, ServerError, ServerSettings};
use crate::thrift::{ThriftError, ThriftServer};
use crate::wake::Wake;

/// The server and the tasks it sends.
pub struct RemoteLink {
    tasks: Receiver<Task>,
    server: Option<Server>,
    thrift: Option<ThriftServer>,
    admin: Option<AdminServer>,
    fleet: Option<crate::fleet::Fleet>,
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
        // waits for its reply, so at most `remote.max_connections` (on each
        // front end) wait here.
        let (tx, rx) = channel();
        let remote = kiosk.config().remote.clone();
        let thrift = kiosk.config().thrift.clone();
        let json_on = remote.enabled && !opts.no_remote;
        let thrift_on = thrift.enabled && !opts.no_thrift;
        let admin_on = super::admin::admin_on(kiosk.config(), opts);
        let mut link = RemoteLink {
            tasks: rx,
            server: None,
            thrift: None,
            admin: None,
            fleet: None,
        };
        let fleet_on = kiosk.config().fleet.enabled && !opts.no_fleet;
        if !json_on && !thrift_on && !admin_on && !fleet_on {
            return Ok(link);
        }
        let view = Arc::new(RwLock::new(View::default()));
        kiosk.set_view(view.clone());
        // One dispatch for every front end: they can never disagree.
        let dispatch = Arc::new(Dispatch::new(tx, wake, view, remote.load_timeout));
        let config = kiosk.config().clone();
        // One throttle for every front end that checks a secret: a guess on
        // the socket counts toward the admin page (whose password may be
        // the token) and the other way round.
        let throttle = Arc::new(Throttle::new(ThrottleSettings::from_config(&remote)));
        link.admin = start_admin(
            &config,
            opts,
            dispatch.clone(),
            kiosk.events(),
            throttle.clone(),
        )?;
        // A fleet that cannot start (an unreadable CA file) leaves the kiosk
        // showing its content, as a broker that is down does.
        if fleet_on {
            link.fleet = match crate::fleet::Fleet::start_with(
                &config.fleet,
                config.remote.max_name_bytes,
                dispatch.clone(),
                &kiosk.events(),
            ) {
                Ok(f) => Some(f),
                Err(e) => {
                    tracing::error!(%e, "fleet disabled");
                    None
                }
            };
        }
        if json_on {
            let mut settings = ServerSettings::from_config(&remote);
            if let Some(port) = opts.remote_port {
                settings.port = port;
            }
            let events = kiosk.events();
            link.server = match crate::remote::server::start(
                settings,
                dispatch.clone(),
                events,
                throttle.clone(),
            ) {
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
        }
        if thrift_on && crate::thrift::off_for_token(&thrift, &remote) {
            tracing::warn!(
                "thrift endpoint off: remote.token is set and Thrift's interface carries no token, \
                 so it would let anyone who reaches thrift.bind drive the kiosk without it; set \
                 thrift.allow_without_token = true to serve it anyway"
            );
        } else if thrift_on {
            if !remote.token.is_empty() {
                tracing::warn!(
                    bind = %thrift.bind,
                    "thrift.allow_without_token = true: the Thrift endpoint serves without \
                     remote.token; anyone who reaches it can drive the kiosk"
                );
            }
            link.thrift = match crate::thrift::start(&thrift, opts.thrift_port, &remote, dispatch) {
                Ok(s) => {
                    tracing::info!(thrift = %s.local_addr(), "thrift listening");
                    Some(s)
                }
                Err(e @ (ThriftError::Unauthenticated(_) | ThriftError::BadAddress(_))) => {
                    return Err(AppError::Thrift(e));
                }
                Err(e) => {
                    tracing::error!(%e, "thrift disabled");
                    None
                }
            };
        }
        Ok(link)
    }

    /// The address the Thrift endpoint listens on, if it runs.
    pub fn thrift_addr(&self) -> Option<std::net::SocketAddr> {
        self.thrift.as_ref().map(ThriftServer::local_addr)
    }

    /// The address the admin page is served on, if it is.
    pub fn admin_addr(&self) -> Option<std::net::SocketAddr> {
        self.admin.as_ref().map(AdminServer::local_addr)
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
