//! The connection table every TCP front end admits through: each live connection with its peer address, its age and whether it has proven itself; admission under the total and per-peer caps, eviction of the oldest unproven connection, and the slot guard that frees an entry however its thread ends.
//!
//! A connection *proves itself* when its front end says so: on the socket, a
//! request that passes the auth check (with a token set, one carrying the
//! valid token; without one, any valid request); on Thrift, a valid call; on
//! the admin page, a whole request head for a host it answers to. Until
//! then it is only a socket someone opened, and it is the first to go when
//! room is needed, so silent or garbage connections cannot lock real
//! clients out.

use std::cell::Cell;
use std::net::{IpAddr, Shutdown, TcpStream};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Why a new connection was refused. It is closed at once.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Refused {
    /// The table is full and every connection in it has proven itself.
    #[error("all {limit} connections have sent a valid request, none can make room ({key})")]
    Full { limit: usize, key: &'static str },
    /// The peer holds its share and every one of its connections has proven
    /// itself.
    #[error(
        "all {limit} connections from {peer} have sent a valid request, none can make room ({key})"
    )]
    PeerFull {
        peer: IpAddr,
        limit: usize,
        key: &'static str,
    },
}

/// A connection closed to make room for a new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evicted {
    pub peer: IpAddr,
    /// How long it had been open without proving itself.
    pub age: Duration,
    /// The cap that made room necessary: its key, such as
    /// `remote.max_connections` or `remote.max_connections_per_peer`.
    pub cap: &'static str,
}

/// A connection let in: its slot, and the connection that made room for it,
/// if one had to.
pub struct Admission {
    pub slot: Slot,
    pub evicted: Option<Evicted>,
}

struct Entry {
    id: u64,
    peer: IpAddr,
    since: Instant,
    proven: bool,
    /// A clone of the connection's socket, to shut it down on eviction;
    /// the connection's thread then sees its read end and returns.
    stream: TcpStream,
}

#[derive(Default)]
struct Entries {
    /// Oldest first: entries are pushed on admission and removal keeps the
    /// order, so the first unproven entry is the oldest.
    live: Vec<Entry>,
    next_id: u64,
}

/// A table's two caps, and the keys that set them (named in refusals and
/// evictions).
#[derive(Clone, Copy, Debug)]
pub struct Caps {
    pub total: usize,
    pub total_key: &'static str,
    pub per_peer: usize,
    pub per_peer_key: &'static str,
}

/// The live connections. At most `caps.total` entries, at most
/// `caps.per_peer` of them from one address.
pub struct Table {
    entries: Mutex<Entries>,
    caps: Caps,
}

impl Table {
    pub fn new(caps: Caps) -> Arc<Table> {
        Arc::new(Table {
            entries: Mutex::new(Entries::default()),
            caps: Caps {
                total: caps.total.max(1),
                per_peer: caps.per_peer.max(1),
                ..caps
            },
        })
    }

    fn lock(&self) -> MutexGuard<'_, Entries> {
        // Every update leaves the entries whole, so a poisoned lock (a
        // panic elsewhere while it was held) still guards good data.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Lets a connection from `peer` in, making room when a cap is reached
    /// by shutting down the oldest unproven connection: the peer's own when
    /// it holds its share, so one address cannot push out others, and any
    /// peer's when the whole table is full. `stream` is a clone of the new
    /// connection's socket.
    pub fn admit(self: &Arc<Self>, peer: IpAddr, stream: TcpStream) -> Result<Admission, Refused> {
        // IPv4 mapped into IPv6 counts as itself, an IPv6 host as its /64:
        // the same key the auth throttle uses.
        let peer = crate::auth::peer_key(peer);
        let mut entries = self.lock();
        let mut evicted = None;
        let from_peer = entries.live.iter().filter(|e| e.peer == peer).count();
        let caps = self.caps;
        if from_peer >= caps.per_peer {
            let oldest = entries
                .live
                .iter()
                .position(|e| e.peer == peer && !e.proven)
                .ok_or(Refused::PeerFull {
                    peer,
                    limit: caps.per_peer,
                    key: caps.per_peer_key,
                })?;
            evicted = Some(evict(&mut entries, oldest, caps.per_peer_key));
        }
        if entries.live.len() >= caps.total {
            let oldest = entries
                .live
                .iter()
                .position(|e| !e.proven)
                .ok_or(Refused::Full {
                    limit: caps.total,
                    key: caps.total_key,
                })?;
            evicted = Some(evict(&mut entries, oldest, caps.total_key));
        }
        let id = entries.next_id;
        entries.next_id += 1;
        entries.live.push(Entry {
            id,
            peer,
            since: Instant::now(),
            proven: false,
            stream,
        });
        Ok(Admission {
            slot: Slot {
                table: self.clone(),
                id,
                proven: Cell::new(false),
            },
            evicted,
        })
    }

    /// How many connections are in the table.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.lock().live.len()
    }
}

/// Takes entry `at` out of the table and shuts its socket down.
fn evict(entries: &mut Entries, at: usize, cap: &'static str) -> Evicted {
    let entry = entries.live.remove(at);
    // The connection's own thread notices at its next read or write and
    // ends; its slot then finds the entry already gone.
    let _ = entry.stream.shutdown(Shutdown::Both);
    Evicted {
        peer: entry.peer,
        age: entry.since.elapsed(),
        cap,
    }
}

/// A connection's place in the table. Dropping it frees the place, so a
/// connection thread that ends in any way, a panic included, gives it back.
pub struct Slot {
    table: Arc<Table>,
    id: u64,
    /// Whether the table already knows, so later requests skip the lock.
    proven: Cell<bool>,
}

impl Slot {
    /// Whether the connection has proven itself.
    pub fn is_proven(&self) -> bool {
        self.proven.get()
    }

    /// Marks the connection as proven: it is never evicted from now on.
    pub fn prove(&self) {
        if self.proven.replace(true) {
            return;
        }
        if let Some(e) = self.table.lock().live.iter_mut().find(|e| e.id == self.id) {
            e.proven = true;
        }
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.table.lock().live.retain(|e| e.id != self.id);
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;
    use std::net::{Ipv4Addr, TcpListener};

    use super::*;

    /// A connected pair on loopback: the client end, and the server end the
    /// table holds.
    fn pair(listener: &TcpListener) -> (TcpStream, TcpStream) {
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        (client, server)
    }

    fn caps(total: usize, per_peer: usize) -> Caps {
        Caps {
            total,
            total_key: "remote.max_connections",
            per_peer,
            per_peer_key: "remote.max_connections_per_peer",
        }
    }

    fn ip(last: u8) -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(10, 0, 0, last))
    }

    fn closed(client: &mut TcpStream) -> bool {
        client
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        matches!(client.read(&mut [0u8; 1]), Ok(0) | Err(_))
    }

    #[test]
    fn a_full_table_evicts_the_oldest_unproven_connection() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let table = Table::new(caps(3, 3));
        let (_c0, s0) = pair(&listener);
        let first = table.admit(ip(1), s0).unwrap().slot;
        first.prove();
        let (mut c1, s1) = pair(&listener);
        let _second = table.admit(ip(2), s1).unwrap().slot;
        let (_c2, s2) = pair(&listener);
        let _third = table.admit(ip(3), s2).unwrap().slot;
        let (_c3, s3) = pair(&listener);
        let fourth = table.admit(ip(4), s3).unwrap();
        assert_eq!(
            fourth.evicted.map(|e| (e.peer, e.cap)),
            Some((ip(2), "remote.max_connections"))
        );
        assert!(closed(&mut c1), "the evicted socket is shut down");
        assert_eq!(table.len(), 3);
    }

    #[test]
    fn a_table_of_proven_connections_refuses() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let table = Table::new(caps(2, 2));
        let mut slots = Vec::new();
        for i in 0..2 {
            let (_c, s) = pair(&listener);
            let slot = table.admit(ip(i), s).unwrap().slot;
            slot.prove();
            slots.push(slot);
        }
        let (_c, s) = pair(&listener);
        assert_eq!(
            table.admit(ip(9), s).err(),
            Some(Refused::Full {
                limit: 2,
                key: "remote.max_connections"
            })
        );
        // A connection that ends gives its place back.
        slots.pop();
        let (_c, s) = pair(&listener);
        assert!(table.admit(ip(9), s).is_ok());
    }

    #[test]
    fn a_peer_at_its_share_makes_room_only_from_its_own() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let table = Table::new(caps(10, 2));
        let (_o, other) = pair(&listener);
        let _other = table.admit(ip(7), other).unwrap().slot;
        let (_a, a) = pair(&listener);
        let a = table.admit(ip(1), a).unwrap().slot;
        a.prove();
        let (_b, b) = pair(&listener);
        let _b = table.admit(ip(1), b).unwrap().slot;
        // The peer's unproven connection goes, not the older one of ip(7).
        let (_c, c) = pair(&listener);
        let c = table.admit(ip(1), c).unwrap();
        assert_eq!(
            c.evicted.map(|e| (e.peer, e.cap)),
            Some((ip(1), "remote.max_connections_per_peer"))
        );
        c.slot.prove();
        let (_d, d) = pair(&listener);
        assert_eq!(
            table.admit(ip(1), d).err(),
            Some(Refused::PeerFull {
                peer: ip(1),
                limit: 2,
                key: "remote.max_connections_per_peer"
            })
        );
        assert_eq!(table.len(), 3);
    }

    #[test]
    fn a_panicking_connection_thread_gives_its_slot_back() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let table = Table::new(caps(1, 1));
        let (_c, s) = pair(&listener);
        let slot = table.admit(ip(1), s).unwrap().slot;
        let thread = std::thread::spawn(move || {
            let _slot = slot;
            panic!("a connection thread fails");
        });
        assert!(thread.join().is_err());
        assert_eq!(table.len(), 0);
        let (_c, s) = pair(&listener);
        assert!(table.admit(ip(1), s).is_ok());
    }
}
