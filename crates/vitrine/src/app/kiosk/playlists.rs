//! The playlists on screen: for each playlist widget its items, the item showing and until when, the next item loading or waiting off screen, the content fading out, and the record a restart resumes from.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use glam::DVec2;
use serde::{Deserialize, Serialize};

use crate::app::widgets::Entry;
use crate::scene::Kind;
use crate::state::{Item, Transition};

/// The file in the state directory a restart resumes playlists from.
pub(super) const FILE: &str = "playlists.json";

/// A loaded item waiting off screen for its turn.
pub struct Parked {
    pub kind: Kind,
    pub size: DVec2,
    pub entry: Entry,
}

/// The item after the one showing.
pub enum Next {
    /// Not asked for yet.
    Idle,
    /// Loading.
    Loading(usize),
    /// Loaded, waiting for its turn.
    Ready(usize, Box<Parked>),
    /// It failed to load: the one after is tried next.
    Failed(usize),
}

/// One playlist widget.
pub struct Running {
    pub items: Vec<Item>,
    pub transition: Transition,
    fingerprint: u32,
    pub generation: u64,
    /// The item showing (or loading first).
    pub current: usize,
    /// How long the first item had already been on when the kiosk started:
    /// a resumed playlist gives it only the rest of its time.
    resumed_into: Duration,
    /// When the current item came on screen (the kiosk's clock); `None`
    /// while the first one loads.
    pub shown_at: Option<Duration>,
    /// When it has had its time.
    pub due: Option<Duration>,
    pub next: Next,
    /// Someone tapped the video showing: the turn waits for its end (or the
    /// idle reset; without one, until `held_until`).
    pub held: bool,
    pub held_until: Option<Duration>,
    /// The item showing plays from its start, untouched: its length, when
    /// it ends, is its own (learned for restarts).
    clean: bool,
    /// When a first item refused for want of room is tried again (the next
    /// item of the list).
    pub retry_at: Option<Duration>,
    /// Items that failed one after another: when every item fails the
    /// playlist stops asking until its next turn comes round.
    pub failures: usize,
    record: Record,
}

/// What a restart resumes from: which item came on when (Unix
/// milliseconds, on the kiosk's clock), and the video lengths learned.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct Record {
    fingerprint: u32,
    item: usize,
    since_ms: i64,
    /// Milliseconds each video item played for, once it played to its end.
    lengths_ms: Vec<Option<u64>>,
}

/// Every playlist on screen, what fades out, and where records are kept.
#[derive(Default)]
pub struct Playlists {
    running: BTreeMap<String, Running>,
    /// Content faded out, freed once its fade has ended.
    pub fading: Vec<(Duration, Entry)>,
    generations: u64,
    dir: Option<PathBuf>,
    saved: BTreeMap<String, Record>,
}

/// A playlist's fingerprint: the same items in the same order.
fn fingerprint(items: &[Item], transition: Transition) -> u32 {
    let mut h = crc32fast::Hasher::new();
    h.update(&serde_json::to_vec(items).unwrap_or_default());
    h.update(&[transition as u8]);
    h.finalize()
}

impl Playlists {
    /// Resumes from the records in `dir` and keeps them there from now on.
    /// A record that cannot be read is dropped: the playlists start over.
    pub fn keep_in(&mut self, dir: &Path) {
        match std::fs::read(dir.join(FILE)) {
            Ok(bytes) => match serde_json::from_slice(&bytes) {
                Ok(saved) => self.saved = saved,
                Err(e) => {
                    tracing::warn!(%e, "playlists.json is unreadable; playlists start from their first item")
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => tracing::warn!(%e, "playlists.json is unreadable"),
        }
        self.dir = Some(dir.to_path_buf());
    }

    /// Starts the playlist `name` (or keeps it, when it runs with the same
    /// items): the item to load first and how far into its time it is, as
    /// the time `wall_ms` calls for after a restart.
    pub fn start(
        &mut self,
        name: &str,
        items: &[Item],
        transition: Transition,
        wall_ms: i64,
        fallback: impl Fn(&Item, Option<Duration>) -> Option<Duration>,
    ) -> usize {
        let print = fingerprint(items, transition);
        if let Some(r) = self.running.get(name).filter(|r| r.fingerprint == print) {
            return r.current;
        }
        self.generations += 1;
        let mut record = self
            .saved
            .get(name)
            .filter(|r| r.fingerprint == print && r.lengths_ms.len() == items.len())
            .cloned()
            .unwrap_or(Record {
                fingerprint: print,
                item: 0,
                since_ms: wall_ms,
                lengths_ms: vec![None; items.len()],
            });
        let lengths: Vec<Option<Duration>> = items
            .iter()
            .zip(&record.lengths_ms)
            .map(|(item, learned)| fallback(item, learned.map(Duration::from_millis)))
            .collect();
        let elapsed = Duration::from_millis(
            u64::try_from(wall_ms.saturating_sub(record.since_ms)).unwrap_or(0),
        );
        let turn = crate::plan::resume(&lengths, record.item, elapsed);
        record.item = turn.item;
        record.since_ms = wall_ms.saturating_sub(i64::try_from(turn.into.as_millis()).unwrap_or(0));
        let replaced = self.running.insert(
            name.to_string(),
            Running {
                items: items.to_vec(),
                transition,
                fingerprint: print,
                generation: self.generations,
                current: turn.item,
                resumed_into: turn.into,
                shown_at: None,
                due: None,
                next: Next::Idle,
                held: false,
                held_until: None,
                retry_at: None,
                clean: false,
                failures: 0,
                record,
            },
        );
        // An item the old list had waiting is freed on the next pass.
        if let Some(Running {
            next: Next::Ready(_, parked),
            ..
        }) = replaced
        {
            self.fading.push((Duration::ZERO, parked.entry));
        }
        turn.item
    }

    /// Keeps only the playlists `keep` names; what the others had waiting
    /// is handed back to be released.
    pub fn retain(&mut self, keep: impl Fn(&str) -> bool) -> Vec<Entry> {
        let gone: Vec<String> = self.running.keys().filter(|n| !keep(n)).cloned().collect();
        let mut freed = Vec::new();
        for name in gone {
            if let Some(r) = self.running.remove(&name)
                && let Next::Ready(_, parked) = r.next
            {
                freed.push(parked.entry);
            }
        }
        freed
    }

    pub fn get(&self, name: &str) -> Option<&Running> {
        self.running.get(name)
    }

    pub fn get_mut(&mut self, name: &str) -> Option<&mut Running> {
        self.running.get_mut(name)
    }

    /// The playlist whose load `generation` is, if it still runs.
    pub fn by_generation(&mut self, generation: u64) -> Option<(&str, &mut Running)> {
        self.running
            .iter_mut()
            .find(|(_, r)| r.generation == generation)
            .map(|(n, r)| (n.as_str(), r))
    }

    pub fn is_idle(&self) -> bool {
        self.running.is_empty() && self.fading.is_empty()
    }

    pub fn names(&self) -> Vec<String> {
        self.running.keys().cloned().collect()
    }

    /// Every loaded item waiting for its turn, so its texture can be on the
    /// GPU before it shows.
    pub fn parked_mut(&mut self) -> impl Iterator<Item = &mut Entry> {
        self.running.values_mut().filter_map(|r| match &mut r.next {
            Next::Ready(_, p) => Some(&mut p.entry),
            _ => None,
        })
    }

    /// Entries items waiting for their turn or fading out keep alive.
    fn kept(&self) -> impl Iterator<Item = &Entry> {
        self.running
            .values()
            .filter_map(|r| match &r.next {
                Next::Ready(_, p) => Some(&p.entry),
                _ => None,
            })
            .chain(self.fading.iter().map(|(_, e)| e))
    }

    /// The decoded pixels those items keep: counted in the texture budget.
    pub fn kept_bytes(&self) -> u64 {
        self.kept().map(Entry::image_bytes).sum()
    }

    /// The players those items keep: counted in `video.max_players`.
    pub fn kept_players(&self) -> usize {
        self.kept().filter(|e| e.video().is_some()).count()
    }

    /// The waiting item that plays `player`, taken out: its player died,
    /// so the item is skipped.
    pub fn take_dead(&mut self, player: crate::media::PlayerId) -> Option<Entry> {
        for r in self.running.values_mut() {
            let dead = matches!(&r.next, Next::Ready(_, p) if p.entry.video().is_some_and(|v| v.id() == player));
            if dead && let Next::Ready(item, p) = std::mem::replace(&mut r.next, Next::Idle) {
                r.failures += 1;
                r.next = Next::Failed(item);
                return Some(p.entry);
            }
        }
        None
    }

    /// The earliest moment a playlist needs looking at: a turn due or a
    /// fade to free.
    pub fn deadline(&self) -> Option<Duration> {
        self.running
            .values()
            .filter(|r| !r.held)
            .filter_map(|r| r.due)
            .chain(
                self.running
                    .values()
                    .filter(|r| r.held)
                    .filter_map(|r| r.held_until),
            )
            .chain(self.running.values().filter_map(|r| r.retry_at))
            .chain(self.fading.iter().map(|(end, _)| *end))
            .min()
    }

    /// Lets every tapped video's playlist move on again (the idle reset).
    pub fn release_holds(&mut self) {
        for r in self.running.values_mut() {
            r.held = false;
        }
    }

    /// Saves where `name` stands, so a restart resumes there. A failure is
    /// logged: the playlist then resumes from an older turn.
    pub fn save(&mut self, name: &str) {
        let Some(r) = self.running.get(name) else {
            return;
        };
        self.saved.insert(name.to_string(), r.record.clone());
        let names: Vec<&String> = self.running.keys().collect();
        self.saved.retain(|n, _| names.contains(&n));
        let Some(dir) = &self.dir else { return };
        let written = serde_json::to_vec(&self.saved)
            .map_err(|e| e.to_string())
            .and_then(|b| crate::state::durable::replace(dir, FILE, &b).map_err(|e| e.to_string()));
        if let Err(e) = written {
            tracing::warn!(%e, "cannot save where the playlists stand");
        }
    }
}

impl Running {
    /// The item showing came on at `now` (`wall_ms` on the kiosk's clock)
    /// and is due after `length`, less what it had shown before a restart.
    /// `learned` is its length when that is known already (an image's).
    pub fn shown(
        &mut self,
        now: Duration,
        wall_ms: i64,
        length: Duration,
        learned: Option<Duration>,
    ) {
        let into = std::mem::take(&mut self.resumed_into);
        if self.shown_at.is_some() || into.is_zero() {
            self.record.since_ms = wall_ms;
        }
        self.record.item = self.current;
        if let Some(l) = learned {
            self.learn(l);
        }
        self.shown_at = Some(now);
        self.due = Some(now + length.saturating_sub(into));
        self.held = false;
        self.held_until = None;
        self.clean = into.is_zero();
    }

    /// Whether the item has a `seconds` of its own.
    fn timed(&self) -> bool {
        self.items
            .get(self.current)
            .is_some_and(|i| i.seconds.is_some())
    }

    /// The video showing played to its end: without `seconds` of its own,
    /// its turn is over (with them, it shows for them, looping or at its
    /// end).
    pub fn ended(&mut self, now: Duration) {
        self.held = false;
        if !self.timed() {
            self.due = Some(now);
        }
    }

    /// A customer tapped the video showing: the turn waits for it, until
    /// `until` when given. Its length is no longer its own.
    pub fn hold(&mut self, until: Option<Duration>) {
        self.held = true;
        self.held_until = until;
        self.clean = false;
    }

    /// Whether a tap holds the turn at `now`.
    pub fn is_held(&self, now: Duration) -> bool {
        self.held && self.held_until.is_none_or(|t| now < t)
    }

    /// The item showing has had its turn: a video without `seconds`, played
    /// untouched from its start, has shown its length (to its end, or to
    /// its cap), when its turn fell due (a late next item adds nothing).
    pub fn finished(&mut self, video: bool) {
        if video
            && self.clean
            && !self.timed()
            && let (Some(at), Some(due)) = (self.shown_at, self.due)
        {
            self.learn(due.saturating_sub(at));
        }
    }

    fn learn(&mut self, length: Duration) {
        if let Some(slot) = self.record.lengths_ms.get_mut(self.current) {
            *slot = Some(u64::try_from(length.as_millis()).unwrap_or(u64::MAX));
        }
    }

    /// The index after `item`.
    pub fn after(&self, item: usize) -> usize {
        (item + 1) % self.items.len().max(1)
    }
}
