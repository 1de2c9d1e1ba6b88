//! The app's end of TUIO: starting the listener when the config or command line asks for it, its finger events going to the kiosk.

use std::sync::Arc;
use std::sync::mpsc::sync_channel;

use super::kiosk::Kiosk;
use super::options::RunOptions;
use crate::wake::Wake;

/// Finger events waiting for the UI thread at most; moves past it are
/// dropped (the next carries the position), starts and ends wait.
const QUEUE: usize = 1024;

/// Starts the TUIO listener when `tuio.enabled` or `--tuio-port` asks for
/// it. A port that is taken only leaves TUIO off, so the kiosk keeps
/// showing its content.
pub fn start_tuio(kiosk: &mut Kiosk, opts: &RunOptions, wake: Arc<dyn Wake>) {
    let config = kiosk.config().tuio.clone();
    if !config.enabled && opts.tuio_port.is_none() {
        return;
    }
    let (tx, rx) = sync_channel(QUEUE);
    match crate::tuio::start(&config, opts.tuio_port, tx, wake) {
        Ok(l) => {
            tracing::info!(tuio = %l.local_addr(), "TUIO listening");
            kiosk.attach_tuio(rx);
        }
        Err(e) => tracing::error!(%e, "TUIO disabled"),
    }
}
