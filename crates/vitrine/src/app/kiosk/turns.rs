//! Playlists taking turns: the first item loads as any layout content does, the next one loads off screen before its turn, and at its time it replaces the last with a cut or a crossfade; a failed item is skipped, a tapped video holds the turn until it ends.

use std::time::Duration;

use super::Kiosk;
use super::playlists::{Next, Parked};
use crate::app::load::request::{LoadRequest, Origin, Placement, Source, Turn};
use crate::app::widgets::Entry;
use crate::outcome::LoadFailure;
use crate::scene::{Kind, VideoRequest, WidgetId};
use crate::state::{Item, Transition};

/// How long faded-out content outlives its fade before it is freed: the
/// scene stops drawing it at the fade's end, and a frame drawn just before
/// must still find its texture.
const FADE_SLACK: Duration = Duration::from_millis(100);

impl Kiosk {
    /// The kiosk's clock in Unix milliseconds: what playlists resume by.
    fn wall_ms(&self) -> i64 {
        self.plan.now().as_millisecond()
    }

    /// Starts the playlist widget `name` of the layout and queues the item
    /// the time calls for, loaded at `placement` as other layout content is.
    pub(super) fn queue_playlist(
        &mut self,
        name: String,
        items: Vec<Item>,
        transition: Transition,
        placement: Placement,
    ) {
        let wall = self.wall_ms();
        let first = self
            .playlists
            .start(&name, &items, transition, wall, |item, learned| {
                item.seconds.map(Duration::from_secs_f64).or(learned)
            });
        if let Some(item) = items.get(first).cloned() {
            self.queue_first(name, item, placement);
        }
    }

    /// Queues `item` as the playlist `name`'s first, loaded at `placement`
    /// as other layout content is.
    fn queue_first(&mut self, name: String, item: Item, placement: Placement) {
        match (item.url, item.html) {
            (Some(url), _) => self.queue(LoadRequest {
                name,
                source: Source::Url(url),
                placement,
                origin: Origin::Startup,
                viewport: None,
                poster: item.poster.map(Source::Url),
            }),
            (None, Some(html)) => {
                let viewport = self.viewport_of(item.width, item.height);
                self.queue_html(name, html, item.base_url, viewport, placement);
            }
            (None, None) => {}
        }
    }

    /// The playlist `name`'s first item could not be shown for want of room
    /// (no error card either): the next item is tried a turn later.
    pub(super) fn first_item_refused(&mut self, name: &str) {
        let retry = self.now() + self.config.playlist.seconds;
        if let Some(r) = self.playlists.get_mut(name)
            && r.shown_at.is_none()
        {
            r.current = r.after(r.current);
            r.retry_at = Some(retry);
        }
    }

    /// Tries a refused first item again once its time has come.
    fn retry_first(&mut self, name: &str, now: Duration) {
        let Some(r) = self.playlists.get_mut(name) else {
            return;
        };
        if r.retry_at.is_none_or(|t| now < t) {
            return;
        }
        r.retry_at = None;
        let Some(item) = r.items.get(r.current).cloned() else {
            return;
        };
        let Some(w) = self.keeper.screen().widget(name).cloned() else {
            return;
        };
        let placement = Placement::Home(w.home, crate::app::translate::gestures_in(w.gestures));
        self.queue_first(name.to_string(), item, placement);
    }

    /// How long `item` shows, and its length when that is known before it
    /// ends: its `seconds`; a video plays to its end, at most its cap; an
    /// image or a card shows for `playlist.seconds`.
    fn item_length(&self, item: Option<&Item>, video: bool) -> (Duration, Option<Duration>) {
        let config = &self.config.playlist;
        match item.and_then(|i| i.seconds) {
            Some(s) => (Duration::from_secs_f64(s), Some(Duration::from_secs_f64(s))),
            None if video => (
                item.and_then(|i| i.max_seconds)
                    .map_or(config.max_video, Duration::from_secs_f64),
                None,
            ),
            None => (config.seconds, Some(config.seconds)),
        }
    }

    /// Content reached the playlist widget `name` from outside a turn (its
    /// first item, or the error card of a first item that failed): its
    /// time starts now.
    pub(super) fn playlist_placed(&mut self, name: &str) {
        let kind = self.scene.by_name(name).map(|w| w.kind().clone());
        let video = matches!(kind, Some(Kind::Video { .. }));
        let card = matches!(kind, Some(Kind::ErrorCard));
        let (now, wall) = (self.now(), self.wall_ms());
        let Some(r) = self.playlists.get(name) else {
            return;
        };
        let (length, learned) = self.item_length(r.items.get(r.current), video);
        // An error card in a video's place says nothing of its length.
        let learned = learned.filter(|_| !card);
        if let Some(r) = self.playlists.get_mut(name) {
            r.shown(now, wall, length, learned);
        }
        self.playlists.save(name);
        if video {
            // A playlist's videos play on their turn, whatever
            // `video.autoplay` says of videos pushed on their own.
            self.video(name, VideoRequest::Play);
        }
    }

    /// A playlist's next item loaded: it waits off screen for its turn. One
    /// for a playlist that moved on (or is gone) is released.
    pub(super) fn park(&mut self, turn: Turn, kind: Kind, size: glam::DVec2, entry: Entry) {
        match self.playlists.by_generation(turn.generation) {
            Some((_, r)) if matches!(r.next, Next::Loading(i) if i == turn.item) => {
                r.next = Next::Ready(turn.item, Box::new(Parked { kind, size, entry }));
                r.failures = 0;
            }
            _ => self.widgets.discard(entry),
        }
    }

    /// A playlist's next item failed to load: the one after it is next.
    pub(super) fn turn_failed(&mut self, turn: Turn, failure: &LoadFailure) {
        if let Some((name, r)) = self.playlists.by_generation(turn.generation)
            && matches!(r.next, Next::Loading(i) if i == turn.item)
        {
            tracing::warn!(%name, item = turn.item, %failure, "a playlist item failed to load; skipping it");
            r.failures += 1;
            r.next = Next::Failed(turn.item);
        }
    }

    /// Moves every playlist on: drops those the screen's layout no longer
    /// has, frees faded-out content, loads next items and takes turns that
    /// are due.
    pub(super) fn rotate_playlists(&mut self) {
        if self.playlists.is_idle() {
            return;
        }
        let keep: Vec<String> = self
            .keeper
            .screen()
            .widgets
            .iter()
            .filter(|w| w.source.is_playlist())
            .map(|w| w.name.clone())
            .collect();
        for entry in self.playlists.retain(|n| keep.iter().any(|k| k == n)) {
            self.widgets.discard(entry);
        }
        let now = self.now();
        let (done, fading): (Vec<_>, Vec<_>) = std::mem::take(&mut self.playlists.fading)
            .into_iter()
            .partition(|(end, _)| *end <= now);
        self.playlists.fading = fading;
        for (_, entry) in done {
            self.widgets.discard(entry);
        }
        for name in self.playlists.names() {
            self.rotate(&name, now);
        }
    }

    fn rotate(&mut self, name: &str, now: Duration) {
        let Some(r) = self.playlists.get_mut(name) else {
            return;
        };
        if r.shown_at.is_none() {
            return self.retry_first(name, now);
        }
        if r.items.len() < 2 {
            return;
        }
        let due = !r.is_held(now) && r.due.is_some_and(|d| now >= d);
        match r.next {
            Next::Idle => {
                let item = r.after(r.current);
                self.preload(name, item);
            }
            Next::Failed(i) if r.failures < r.items.len() => {
                let item = r.after(i);
                self.preload(name, item);
            }
            Next::Failed(_) if due => {
                // Every item failed: the one showing stays for another
                // turn, then they are all tried again.
                r.failures = 0;
                r.next = Next::Idle;
                r.due = Some(now + self.config.playlist.seconds);
            }
            Next::Ready(..) if due => self.take_turn(name, now),
            _ => {}
        }
    }

    /// Starts loading item `item` of the playlist `name` off screen.
    fn preload(&mut self, name: &str, item: usize) {
        let Some(r) = self.playlists.get_mut(name) else {
            return;
        };
        let Some(it) = r.items.get(item).cloned() else {
            return;
        };
        r.next = Next::Loading(item);
        let origin = Origin::Playlist(Turn {
            generation: r.generation,
            item,
        });
        match (it.url, it.html) {
            (Some(url), _) => self.load(LoadRequest {
                name: name.to_string(),
                source: Source::Url(url),
                placement: Placement::InPlace,
                origin,
                viewport: None,
                poster: it.poster.map(Source::Url),
            }),
            (None, Some(html)) => {
                let viewport = self.viewport_of(it.width, it.height);
                self.post_html(
                    name,
                    html,
                    it.base_url,
                    viewport,
                    Placement::InPlace,
                    origin,
                );
            }
            (None, None) => {}
        }
    }

    /// The next item of `name` takes the widget: its content replaces the
    /// last one in place (same transform, same place in the order), with a
    /// crossfade when the playlist asks for one.
    fn take_turn(&mut self, name: &str, now: Duration) {
        let Some(r) = self.playlists.get_mut(name) else {
            return;
        };
        let Next::Ready(item, parked) = std::mem::replace(&mut r.next, Next::Idle) else {
            return;
        };
        let transition = r.transition;
        let Parked { kind, size, entry } = *parked;
        let Some(id) = self.scene.id_of(name) else {
            self.widgets.discard(entry);
            return;
        };
        if let Err(why) = self.room_for(name, entry.image_bytes()) {
            tracing::warn!(%name, item, %why, "a playlist item does not fit; skipping it");
            self.widgets.discard(entry);
            return;
        }
        let video = matches!(kind, Kind::Video { .. });
        let Some((old_key, old_size, old_transform, was_video)) = self.scene.get(id).map(|w| {
            let was_video = matches!(w.kind(), Kind::Video { .. });
            (w.content(), w.size(), w.transform(), was_video)
        }) else {
            return;
        };
        if let Err(e) = self
            .scene
            .replace_content(id, kind, size, entry.texture.key())
        {
            tracing::warn!(%name, %e, "cannot show a playlist item");
            self.widgets.discard(entry);
            return;
        }
        let fade = match transition {
            Transition::Crossfade => self.config.playlist.crossfade,
            Transition::Cut => Duration::ZERO,
        };
        match self.widgets.swap(id, entry) {
            Some(old) if !fade.is_zero() => {
                let _ = self
                    .scene
                    .cross_fade(id, old_key, old_size, old_transform, now, fade);
                self.playlists.fading.push((now + fade + FADE_SLACK, old));
            }
            Some(old) => self.widgets.discard(old),
            None => {}
        }
        if video {
            self.video(name, VideoRequest::Play);
        }
        let (length, learned) = {
            let r = self.playlists.get(name);
            self.item_length(r.and_then(|r| r.items.get(item)), video)
        };
        let wall = self.wall_ms();
        if let Some(r) = self.playlists.get_mut(name) {
            r.finished(was_video);
            r.current = item;
            r.shown(now, wall, length, learned);
        }
        self.playlists.save(name);
    }

    /// A video on screen played to its end: a playlist showing it moves on.
    pub(super) fn playlist_video_ended(&mut self, id: WidgetId) {
        let now = self.now();
        if let Some(name) = self.scene.get(id).map(|w| w.name().to_string())
            && let Some(r) = self.playlists.get_mut(&name)
        {
            r.ended(now);
        }
    }

    /// A tap on a playlist's video: the turn waits until the video ends (or
    /// the idle reset), so a customer who started it sees it through.
    pub(super) fn playlist_tapped(&mut self, id: WidgetId) {
        let Some(w) = self.scene.get(id) else { return };
        if !matches!(w.kind(), Kind::Video { .. }) {
            return;
        }
        let name = w.name().to_string();
        // Without an idle reset to end the hold, it lasts as long as the
        // item could have played.
        let until = self.config.kiosk.idle_reset.is_zero().then(|| {
            let cap = self
                .playlists
                .get(&name)
                .and_then(|r| r.items.get(r.current))
                .and_then(|i| i.max_seconds);
            self.now() + cap.map_or(self.config.playlist.max_video, Duration::from_secs_f64)
        });
        if let Some(r) = self.playlists.get_mut(&name) {
            r.hold(until);
        }
    }
}
