//! TUIO 1.1 cursor semantics: each source (its sender's address and its name) has its frames applied whole and in `fseq` order, cursors missing from `alive` lifted, silent sources cancelled, all as finger events (std and glam only).

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use glam::DVec2;

use super::decode::Frame;

/// A frame this far behind the last one applied is late and dropped; one
/// further behind means the tracker started over.
const LATE_WINDOW: i64 = 1000;
/// TUIO fingers' ids carry this bit, so they never meet native touch or
/// mouse ids.
const TUIO_BIT: u64 = 1 << 62;

/// A finger event from TUIO, at a normalised (0 to 1) position.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Touch {
    /// The tracker's own finger number, unique among the fingers it has
    /// reported.
    pub finger: u64,
    pub phase: Phase,
    pub pos: DVec2,
}

/// Where a TUIO finger is in its life, as the tracker reports it (the app
/// turns it into the scene's own touch phase).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// A cursor appeared.
    Start,
    /// It moved.
    Move,
    /// It left the `alive` list: the finger lifted.
    End,
    /// Its source fell silent: the finger is given up.
    Cancel,
}

/// The bounds a tracker keeps to.
#[derive(Clone, Copy, Debug)]
pub struct Bounds {
    pub timeout: Duration,
    pub max_cursors: usize,
    pub max_sources: usize,
    /// The most sources one sender address may hold at once.
    pub max_sources_per_address: usize,
}

/// What became of a frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applied {
    Applied,
    /// Older than the last frame of its source: dropped.
    Late,
    /// From a source past `tuio.max_sources`: dropped.
    TooManySources,
    /// From a new source of an address that already holds
    /// `tuio.max_sources_per_address`: dropped.
    TooManyFromAddress,
}

/// A source: the address that sent it and the name it gives itself. Keyed
/// by both, so a host that sends another host's source name gets a source of
/// its own and can never lift, move or reorder the other host's cursors.
type SourceKey = (IpAddr, String);

struct Source {
    /// Its number, part of its fingers' ids.
    index: u64,
    /// Cursors down: session id → last position.
    cursors: HashMap<i32, DVec2>,
    last_fseq: Option<i32>,
    last_heard: Instant,
}

/// The cursors of every source.
pub struct Tracker {
    bounds: Bounds,
    sources: HashMap<SourceKey, Source>,
    next_index: u64,
    /// Cursors ignored for `tuio.max_cursors`, for the log.
    pub refused_cursors: u64,
}

impl Tracker {
    pub fn new(bounds: Bounds) -> Self {
        Self {
            bounds,
            sources: HashMap::new(),
            next_index: 0,
            refused_cursors: 0,
        }
    }

    fn finger(index: u64, id: i32) -> u64 {
        TUIO_BIT | (index & 0x3fff_ffff) << 32 | u64::from(id as u32)
    }

    /// Applies one datagram's frame from `peer` at `now`, adding the finger
    /// events it makes to `out`. The source is the sender's IP address with
    /// the name of the frame's `source` message; without one, with the
    /// sender's address and port.
    pub fn apply(
        &mut self,
        frame: &Frame,
        peer: SocketAddr,
        now: Instant,
        out: &mut Vec<Touch>,
    ) -> Applied {
        // An IPv4 sender reaching a dual-stack socket is the same host as
        // over IPv4.
        let ip = peer.ip().to_canonical();
        let name = frame.source.clone().unwrap_or_else(|| peer.to_string());
        let key = (ip, name);
        if !self.sources.contains_key(&key) {
            if self.sources.len() >= self.bounds.max_sources {
                return Applied::TooManySources;
            }
            let from_ip = self.sources.keys().filter(|(a, _)| *a == ip).count();
            if from_ip >= self.bounds.max_sources_per_address {
                return Applied::TooManyFromAddress;
            }
            let index = self.next_index;
            self.next_index += 1;
            self.sources.insert(
                key.clone(),
                Source {
                    index,
                    cursors: HashMap::new(),
                    last_fseq: None,
                    last_heard: now,
                },
            );
        }
        let Some(src) = self.sources.get_mut(&key) else {
            return Applied::TooManySources;
        };
        src.last_heard = now;
        if let (Some(f), Some(last)) = (frame.fseq.filter(|f| *f >= 0), src.last_fseq) {
            let behind = i64::from(last) - i64::from(f);
            if behind > 0 && behind < LATE_WINDOW {
                return Applied::Late;
            }
        }
        if let Some(f) = frame.fseq.filter(|f| *f >= 0) {
            src.last_fseq = Some(f);
        }
        let index = src.index;
        // Lifted: down before, missing from `alive` now.
        if let Some(alive) = &frame.alive {
            let mut gone: Vec<i32> = src
                .cursors
                .keys()
                .filter(|id| !alive.contains(id))
                .copied()
                .collect();
            gone.sort_unstable();
            for id in gone {
                if let Some(pos) = src.cursors.remove(&id) {
                    out.push(Touch {
                        finger: Self::finger(index, id),
                        phase: Phase::End,
                        pos,
                    });
                }
            }
        }
        for set in &frame.sets {
            // A set for a cursor the frame's `alive` does not list is stale.
            if frame.alive.as_ref().is_some_and(|a| !a.contains(&set.id)) {
                continue;
            }
            let pos = DVec2::new(f64::from(set.x), f64::from(set.y));
            let finger = Self::finger(index, set.id);
            let full = src.cursors.len() >= self.bounds.max_cursors;
            match src.cursors.get_mut(&set.id) {
                Some(old) => {
                    if *old != pos {
                        *old = pos;
                        out.push(Touch {
                            finger,
                            phase: Phase::Move,
                            pos,
                        });
                    }
                }
                None if full => {
                    self.refused_cursors += 1;
                }
                None => {
                    src.cursors.insert(set.id, pos);
                    out.push(Touch {
                        finger,
                        phase: Phase::Start,
                        pos,
                    });
                }
            }
        }
        Applied::Applied
    }

    /// Cancels the fingers of every source silent for `tuio.timeout`, and
    /// forgets it.
    pub fn expire(&mut self, now: Instant, out: &mut Vec<Touch>) -> usize {
        let timeout = self.bounds.timeout;
        let silent: Vec<SourceKey> = self
            .sources
            .iter()
            .filter(|(_, s)| now.saturating_duration_since(s.last_heard) >= timeout)
            .map(|(n, _)| n.clone())
            .collect();
        for key in &silent {
            if let Some(src) = self.sources.remove(key) {
                let mut ids: Vec<(&i32, &DVec2)> = src.cursors.iter().collect();
                ids.sort_unstable_by_key(|(id, _)| **id);
                for (id, pos) in ids {
                    out.push(Touch {
                        finger: Self::finger(src.index, *id),
                        phase: Phase::Cancel,
                        pos: *pos,
                    });
                }
            }
        }
        silent.len()
    }

    /// Whether any source is known (and so may time out).
    pub fn has_sources(&self) -> bool {
        !self.sources.is_empty()
    }
}

#[cfg(test)]
mod tests;
