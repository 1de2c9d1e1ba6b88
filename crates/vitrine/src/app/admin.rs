//! The app's end of the admin page: where uploads go (and trusting that folder as a content root), and starting the page's server on the shared dispatch and event bus.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;

use super::options::{AppError, RunOptions};
use crate::admin::{Admin, AdminError, AdminServer, Bounds, Limits, Screen, Sessions};
use crate::api::Dispatch;
use crate::auth::Throttle;
use crate::config::Config;
use crate::events::Bus;

/// Whether the page is served in this run.
pub fn admin_on(config: &Config, opts: &RunOptions) -> bool {
    config.admin.enabled && !opts.no_admin
}

/// The folder uploads go to, created if missing: `admin.upload_dir`, or
/// `uploads` in the state directory. `None` when the page is off or there
/// is no such folder to be had.
pub fn upload_dir(config: &Config, opts: &RunOptions) -> Option<PathBuf> {
    if !admin_on(config, opts) {
        return None;
    }
    let dir = if config.admin.upload_dir.as_os_str().is_empty() {
        config.state.resolve_dir()?.join("uploads")
    } else {
        config.admin.upload_dir.clone()
    };
    if let Err(e) = std::fs::create_dir_all(&dir) {
        tracing::warn!(dir = %dir.display(), %e, "admin page: uploads are off");
        return None;
    }
    let dir = std::fs::canonicalize(&dir).ok()?;
    // A configured folder must really lie in a content root, links
    // followed, or the kiosk could not show what is uploaded.
    if !config.admin.upload_dir.as_os_str().is_empty() {
        let inside = config
            .content
            .roots
            .iter()
            .filter_map(|r| std::fs::canonicalize(r).ok())
            .any(|r| dir.starts_with(r));
        if !inside {
            tracing::error!(dir = %dir.display(), "admin page: uploads are off: admin.upload_dir is not inside content.roots");
            return None;
        }
    }
    crate::admin::remove_stale_parts(&dir);
    Some(dir)
}

/// The folders the content policy trusts beyond `content.roots`: the
/// folders of files named on the command line, and the default upload
/// folder (a configured one must already lie inside `content.roots`).
pub fn extra_roots(config: &Config, opts: &RunOptions) -> Vec<PathBuf> {
    let mut roots = super::startup::command_line_roots(&opts.load);
    if config.admin.upload_dir.as_os_str().is_empty()
        && let Some(dir) = upload_dir(config, opts)
    {
        roots.push(dir);
    }
    roots
}

/// Starts the page's server. An unsafe or malformed address stops vitrine;
/// a taken port only leaves the page off. `throttle` counts wrong
/// passwords with the socket's wrong tokens.
pub fn start_admin(
    config: &Config,
    opts: &RunOptions,
    dispatch: Arc<Dispatch>,
    events: Arc<Bus>,
    throttle: Arc<Throttle>,
) -> Result<Option<AdminServer>, AppError> {
    if !admin_on(config, opts) {
        return Ok(None);
    }
    let a = &config.admin;
    let password = [&a.password, &config.remote.token]
        .into_iter()
        .find(|p| !p.is_empty())
        .cloned();
    let login_bytes = password.as_ref().map_or(0, String::len);
    let admin = Admin {
        dispatch,
        events,
        sessions: Sessions::new(
            password,
            a.session_ttl,
            a.max_sessions,
            a.login_attempts_per_minute,
            throttle,
        ),
        screen: Screen::new(a.screen_width, a.screen_interval),
        watchers: AtomicUsize::new(0),
        upload_dir: upload_dir(config, opts),
        uploads: Default::default(),
        limits: Limits {
            read_timeout: a.read_timeout,
            max_body_bytes: a.max_body_bytes,
            max_upload_bytes: config.content.max_download_bytes,
            upload_timeout: a.upload_timeout,
            upload_dir_max_bytes: a.upload_dir_max_bytes,
            max_watchers: a.max_watchers,
            max_name_bytes: config.remote.max_name_bytes,
            write_timeout: a.write_timeout,
            max_head_bytes: a.max_head_bytes,
            max_login_bytes: crate::admin::login_body_limit(login_bytes),
        },
        allowed_hosts: a.allowed_hosts.clone(),
    };
    let bounds = Bounds {
        max: a.max_connections,
        per_peer: a.max_connections_per_peer,
    };
    let port = opts.admin_port.unwrap_or(a.port);
    // A certificate that cannot be read or made leaves the page off, never
    // the kiosk: the screen keeps its content while the file is fixed.
    let security = match super::admin_tls::security(config) {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(%e, "admin page disabled");
            return Ok(None);
        }
    };
    let scheme = if security.tls.is_some() {
        "https"
    } else {
        "http"
    };
    match crate::admin::start(&a.bind, port, bounds, security, admin) {
        Ok(s) => {
            tracing::info!(admin = %s.local_addr(), "admin page at {scheme}://{}/", s.local_addr());
            Ok(Some(s))
        }
        Err(
            e @ (AdminError::Unauthenticated(_)
            | AdminError::BadAddress(_)
            | AdminError::PlainHttp(_)),
        ) => Err(AppError::Admin(e)),
        Err(e) => {
            tracing::error!(%e, "admin page disabled");
            Ok(None)
        }
    }
}
