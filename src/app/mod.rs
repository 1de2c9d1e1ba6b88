//! The app: the only module that joins the scene, the renderer, the window system and the loaders.
//!
//! # Threads
//!
//! Every thread vitrine runs, who starts it, how many there are, what bounds
//! it and how it ends.
//!
//! | thread | started by | how many | bound | ends |
//! | --- | --- | --- | --- | --- |
//! | UI (`main`) | `run` | 1 | — | on Esc, `--exit-after`, a screenshot, or a fatal error |
//! | `vitrine-remote` (accept) | [`remote::RemoteLink::start`] | 1 | — | with the process |
//! | `vitrine-conn` | the accept thread, per connection | ≤ `remote.max_connections`, ≤ `remote.max_connections_per_peer` per address; the oldest unproven connection is evicted when full | 256 KiB stack; `remote.first_message_timeout`, `remote.read_timeout` per message, `remote.idle_timeout` | the peer closes, a timeout, a bad frame, or eviction |
//! | `vitrine-push` | a JSON connection's `subscribe` | ≤ `remote.max_subscribers`, one per subscribed connection | 128 KiB stack; a queue of ≤ `remote.event_queue` events (more are dropped and counted); a 64 KiB socket send buffer; a write stalled past `remote.read_timeout` closes the connection | `unsubscribe`, the connection ends, or a write fails |
//! | `vitrine-thrift` (accept) | [`remote::RemoteLink::start`] | 1 | — | with the process |
//! | `vitrine-thrift-conn` | the Thrift accept thread, per connection | ≤ `remote.max_connections`, ≤ `remote.max_connections_per_peer` per address, in a table of its own; the oldest connection without a valid call is evicted when full | 256 KiB stack; `remote.first_message_timeout`, `remote.read_timeout` per message, `remote.idle_timeout`; strings and containers within `remote.max_message_bytes` | the peer closes, a timeout, a malformed buffered message, or eviction |
//! | `vitrine-admin` (accept) | [`admin::start_admin`] | 1, with `admin.enabled` | — | with the process |
//! | `vitrine-admin-conn` | the admin accept thread, per connection | ≤ `admin.max_connections` (past it: 503); of them ≤ `admin.max_watchers` event streams | 256 KiB stack; `admin.read_timeout` per request, 10 s per write; bodies ≤ `admin.max_body_bytes`, uploads ≤ `content.max_download_bytes`; an event stream has one bus queue of ≤ `remote.event_queue` | after one response; an event stream when the page goes (a keep-alive comment every 10 s finds out), its session ends, or a write stalls |
//! | `vitrine-fleet-net` | [`crate::fleet::Fleet::start`] | 1, with `fleet.enabled` | 512 KiB stack; rumqttc's blocking client (a tokio current-thread runtime) with a request queue of 256 messages, never waited on (full: dropped with a log line); incoming packets ≤ 2 × `fleet.max_payload_bytes`; reconnect backoff up to `fleet.reconnect_max` | when the kiosk drops the link (after its offline status) |
//! | `vitrine-fleet-work` | [`crate::fleet::Fleet::start`] | 1, with `fleet.enabled` | 512 KiB stack; a queue of `fleet.max_queued_commands` (full: answered `-32002` at once); one command at a time, each within `remote.load_timeout`; `fleet.remembered_ids` ids | when the network and events threads end |
//! | tokio's blocking thread | rumqttc, for each DNS lookup of the broker's name | ≤ 1 at a time (lookups come one per connection attempt) | — | 10 s after its lookup |
//! | `vitrine-fleet-events` | [`crate::fleet::Fleet::start`] | 1, with `fleet.enabled` | 128 KiB stack; one bus subscription of ≤ `remote.event_queue` events | when the kiosk drops the link |
//! | `vitrine-tuio` | [`tuio::start_tuio`] | 1, with `tuio.enabled` or `--tuio-port` | 64 KiB datagram buffer; ≤ `tuio.max_sources` sources of ≤ `tuio.max_cursors` cursors; a queue of 1,024 finger events (moves past it are dropped, starts and ends wait) | with the process, or when the kiosk drops |
//! | `vitrine-loader` (files, in order) | [`loader::Loader::new`] | 1 | a queue of `content.max_queued_loads`; past that a load is refused | the kiosk drops (joined) |
//! | `vitrine-fetch` (URLs) | [`loader::Loader::new`] | `content.max_fetches` | a queue of `content.max_queued_loads`; `content.fetch_timeout` per fetch | the kiosk drops, after the current fetch |
//! | `vitrine-page-N` | the HTML engine's pool, as pages need them | ≤ `html.max_page_threads`; each page lives on one thread | 64 MiB reserved stack; `html.max_depth`, `html.max_elements` and a step limit while parsing; `html.render_timeout` per render (a running render cannot be interrupted: its page is finished and dropped when it returns) | when the kiosk drops |
//! | `vitrine-video-N` (bus) + GStreamer streaming threads | `media::Player::open`, per video | ≤ `video.max_players` players on screen or prerolling, plus ≤ 4 waiting for the reaper | — | the player drops, on the reaper |
//! | `vitrine-reaper` | [`reaper::Reaper::start`] | 1 | a queue of 4 teardowns; past that the UI thread tears down itself | every kiosk handle drops |
//! | GPU driver threads (lavapipe) | wgpu | per the driver | — | with the renderer |

mod admin;
mod admin_tls;
mod demo;
mod failures;
mod first_frame;
mod headless;
mod heap;
mod input;
mod kiosk;
mod load;
mod loader;
mod loading;
mod mouse;
mod notify;
mod options;
mod pacing;
mod pages;
pub mod power;
mod reaper;
mod remote;
mod startup;
mod tuio;
mod videos;
mod widgets;
mod window;

pub use crate::outcome::{Caller, FailureKind, LoadFailure, LoadResult};
pub use first_frame::FirstFrameRecord;
pub use headless::run_headless;
pub use kiosk::{Kiosk, VideoLoad};
pub use load::{LoadRequest, Origin, Placement, Source};
pub use mouse::MouseEmulator;
pub use options::{AppError, RunOptions, RunSummary};
pub use power::PowerSwitch;
pub use remote::RemoteLink;
pub use startup::render_options;
pub use window::run_window;

use crate::config::Config;

/// Whether a window can be opened: some display server is named.
pub fn display_available() -> bool {
    ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
}

/// Runs the kiosk until it is told to stop. Falls back to headless when no
/// display is available.
pub fn run(config: Config, opts: RunOptions) -> Result<RunSummary, AppError> {
    heap::tune();
    if opts.headless {
        return run_headless(config, opts);
    }
    if !display_available() {
        tracing::warn!(
            "no display (DISPLAY and WAYLAND_DISPLAY are unset): running headless instead"
        );
        return run_headless(config, opts);
    }
    run_window(config, opts)
}
