//! Pushing events on a subscribed JSON connection: a thread per subscriber takes events from its bounded queue and writes each as one notification frame, in the framing the client subscribed with.

use std::sync::Arc;

use serde_json::{Value, json};

use super::codec::Framing;
use super::line::Line;
use vitrine_api::events::{Bus, BusError, Control, TypeSet};

/// Why a connection could not subscribe.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    #[error(transparent)]
    Full(#[from] BusError),
    #[error("cannot start the thread that pushes events: {0}")]
    Thread(std::io::Error),
}

/// Stack for a pushing thread: it only waits and writes.
const PUSH_STACK: usize = 128 * 1024;

/// A connection's subscription. Dropping it (when the connection ends or
/// unsubscribes) ends its thread.
pub struct Pusher {
    control: Control,
    line: Arc<Line>,
}

impl Pusher {
    /// Subscribes the connection on `line` to `types`, its events written
    /// in `framing`.
    pub fn start(
        bus: &Arc<Bus>,
        types: TypeSet,
        line: Arc<Line>,
        framing: Framing,
        peer: &str,
    ) -> Result<Pusher, PushError> {
        let sub = bus.subscribe(types)?;
        let control = sub.control();
        let writer = line.clone();
        let who = peer.to_string();
        let spawned = std::thread::Builder::new()
            .name("vitrine-push".into())
            .stack_size(PUSH_STACK)
            .spawn(move || {
                while let Some(delivery) = sub.next() {
                    if !writer.send(framing, &delivery.notification()) {
                        tracing::info!(peer = %who, "event subscriber gone or stalled; connection closed");
                        writer.shut_down();
                        return;
                    }
                }
            });
        // On failure the subscription went with the closure, so it has left
        // the bus.
        spawned.map_err(PushError::Thread)?;
        line.set_pushing(true);
        Ok(Pusher { control, line })
    }

    /// Subscribes to `types` instead.
    pub fn set_types(&self, types: TypeSet) {
        self.control.set_types(types);
    }
}

impl Drop for Pusher {
    fn drop(&mut self) {
        self.control.close();
        self.line.set_pushing(false);
    }
}

/// The reply to `subscribe`: the types now pushed, and the number of the
/// last event, so the first one pushed shows any gap.
pub fn subscribed(types: TypeSet, bus: &Bus) -> Value {
    json!({"events": types.names(), "seq": bus.seq()})
}
