//! The accept loop every TCP front end runs: each connection admitted by the table is served on a thread of its own with a small stack, a panic ending only that connection, and its slot freed however the thread ends.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::time::Duration;

use super::table::{Refused, Slot, Table};

/// Connection threads parse, wait and copy: little stack. Not a key: it
/// follows the code, not the shop.
const CONNECTION_STACK: usize = 256 * 1024;

/// How long the loop rests after a failed accept (out of file descriptors
/// and the like) before it goes on.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

/// A front end's names: for its threads and its log lines.
#[derive(Clone, Copy, Debug)]
pub struct FrontEnd {
    /// In log lines: "remote socket", "thrift", "admin page".
    pub name: &'static str,
    /// The accept thread's name.
    pub accept_thread: &'static str,
    /// Each connection thread's name.
    pub conn_thread: &'static str,
}

/// Starts `front`'s accept thread on `listener`. A connection that `table`
/// admits is served by `serve` on a thread of its own; one it refuses is
/// handed to `refuse` (which may answer it) and closed.
pub fn spawn<S, R>(
    listener: TcpListener,
    front: FrontEnd,
    table: Arc<Table>,
    refuse: R,
    serve: S,
) -> std::io::Result<()>
where
    S: Fn(TcpStream, SocketAddr, Slot) + Send + Sync + 'static,
    R: Fn(&mut TcpStream, &Refused) + Send + 'static,
{
    let serve = Arc::new(serve);
    std::thread::Builder::new()
        .name(front.accept_thread.into())
        .spawn(move || accept(listener, front, &table, &refuse, &serve))?;
    Ok(())
}

fn accept<S, R>(
    listener: TcpListener,
    front: FrontEnd,
    table: &Arc<Table>,
    refuse: &R,
    serve: &Arc<S>,
) where
    S: Fn(TcpStream, SocketAddr, Slot) + Send + Sync + 'static,
    R: Fn(&mut TcpStream, &Refused),
{
    let name = front.name;
    for stream in listener.incoming() {
        let mut stream = match stream {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(%e, front = name, "accept failed");
                std::thread::sleep(ACCEPT_BACKOFF);
                continue;
            }
        };
        // A peer that is already gone needs no thread.
        let Ok(peer) = stream.peer_addr() else {
            continue;
        };
        // The table keeps a clone of the socket to shut it down on eviction.
        let clone = match stream.try_clone() {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(%peer, %e, front = name, "cannot track the connection; closed");
                continue;
            }
        };
        let admission = match table.admit(peer.ip(), clone) {
            Ok(a) => a,
            Err(refused) => {
                tracing::warn!(%peer, %refused, front = name, "connection refused");
                refuse(&mut stream, &refused);
                // Dropping the stream closes it.
                continue;
            }
        };
        if let Some(e) = &admission.evicted {
            tracing::info!(
                evicted = %e.peer,
                age = ?e.age,
                cap = e.cap,
                for_peer = %peer,
                front = name,
                "closed the oldest connection that had not proven itself, to make room"
            );
        }
        let slot = admission.slot;
        let serve = serve.clone();
        // If the thread cannot start, the closure is dropped with the slot
        // in it, which frees the place in the table.
        let spawned = std::thread::Builder::new()
            .name(front.conn_thread.into())
            .stack_size(CONNECTION_STACK)
            .spawn(move || {
                // A panic ends only this connection; the slot is freed when
                // it drops, panic or not.
                let served = catch_unwind(AssertUnwindSafe(|| serve(stream, peer, slot)));
                if let Err(panic) = served {
                    tracing::error!(
                        %peer,
                        front = name,
                        panic = vitrine_wake::panic_message(panic.as_ref()),
                        "connection thread panicked; connection closed"
                    );
                }
            });
        if let Err(e) = spawned {
            tracing::warn!(%e, front = name, "cannot start a connection thread");
        }
    }
}
