//! The widget registry: one entry per widget, owning everything attached to it (its URL, textures, and player or page), so adding, replacing and removing a widget are one call each and nothing can be forgotten.

use std::collections::HashMap;
use std::sync::Arc;

use super::pages::PageState;
use super::reaper::Reaper;
use super::videos::VideoHandle;
use crate::pixels::Rgba8Image;
use crate::scene::{ContentKey, WidgetId};

/// A texture a widget shows.
pub enum Texture {
    /// A decoded image the widget owns, kept so its texture can be rebuilt
    /// after a lost device. A painted page (`page`) gets no mip chain: it is
    /// painted at the scale it shows at.
    Image {
        key: ContentKey,
        image: Arc<Rgba8Image>,
        page: bool,
    },
    /// The frames a player uploads under this key.
    Frames(ContentKey),
    /// A texture many widgets share (the built-in error card): never freed
    /// with a widget.
    Shared(ContentKey),
}

impl Texture {
    pub fn key(&self) -> ContentKey {
        match self {
            Texture::Image { key, .. } | Texture::Frames(key) | Texture::Shared(key) => *key,
        }
    }

    /// The bytes of the decoded pixels this texture keeps (a video's frames
    /// are the player's, bounded by `video.max_players`).
    pub fn image_bytes(&self) -> u64 {
        match self {
            Texture::Image { image, .. } => image_bytes(image),
            Texture::Frames(_) | Texture::Shared(_) => 0,
        }
    }

    /// The key to free when the widget lets go of this texture.
    fn owned_key(&self) -> Option<ContentKey> {
        match self {
            Texture::Image { key, .. } | Texture::Frames(key) => Some(*key),
            Texture::Shared(_) => None,
        }
    }
}

/// What keeps a widget's content alive.
pub enum Attachment {
    /// A still image: nothing runs.
    Still,
    /// A video's player.
    Video(VideoHandle),
    /// An HTML page's thread and its paint state.
    Page(PageState),
}

/// Everything attached to one widget.
pub struct Entry {
    /// The URL `currentUrl` and `listContent` name: `None` for posted HTML
    /// and error cards.
    pub url: Option<String>,
    pub texture: Texture,
    /// A video's poster image, shown until it first plays.
    pub poster: Option<Texture>,
    pub attachment: Attachment,
}

/// The bytes an RGBA8 image holds.
pub fn image_bytes(image: &Rgba8Image) -> u64 {
    u64::from(image.width()) * u64::from(image.height()) * 4
}

impl Entry {
    /// The decoded pixels this widget keeps: its texture and its poster.
    pub fn image_bytes(&self) -> u64 {
        self.texture.image_bytes() + self.poster.as_ref().map_or(0, Texture::image_bytes)
    }

    /// A still image or card.
    pub fn still(url: Option<String>, texture: Texture) -> Self {
        Self {
            url,
            texture,
            poster: None,
            attachment: Attachment::Still,
        }
    }

    pub fn video(&self) -> Option<&VideoHandle> {
        match &self.attachment {
            Attachment::Video(v) => Some(v),
            _ => None,
        }
    }

    pub fn page(&self) -> Option<&PageState> {
        match &self.attachment {
            Attachment::Page(p) => Some(p),
            _ => None,
        }
    }
}

/// Every widget's entry, by the scene's id.
pub struct Widgets {
    entries: HashMap<WidgetId, Entry>,
    /// Keys whose textures the renderer must free.
    dropped: Vec<ContentKey>,
    reaper: Reaper,
}

impl Widgets {
    pub fn new(reaper: Reaper) -> Self {
        Self {
            entries: HashMap::new(),
            dropped: Vec::new(),
            reaper,
        }
    }

    /// Attaches `entry` to the widget `id`, releasing whatever it had.
    pub fn set(&mut self, id: WidgetId, entry: Entry) {
        if let Some(old) = self.entries.insert(id, entry) {
            self.release(old);
        }
    }

    /// Attaches `entry` to the widget `id` and hands back what it had, still
    /// alive: a playlist fades it out before it is released.
    pub fn swap(&mut self, id: WidgetId, entry: Entry) -> Option<Entry> {
        self.entries.insert(id, entry)
    }

    /// Releases everything attached to the widget `id`.
    pub fn remove(&mut self, id: WidgetId) -> bool {
        match self.entries.remove(&id) {
            Some(entry) => {
                self.release(entry);
                true
            }
            None => false,
        }
    }

    /// Releases an entry that never reached the scene.
    pub fn discard(&mut self, entry: Entry) {
        self.release(entry);
    }

    /// Shows a new texture on the widget `id` (a page painted again),
    /// freeing the one it replaces.
    pub fn set_texture(&mut self, id: WidgetId, texture: Texture) {
        match self.entries.get_mut(&id) {
            Some(entry) => {
                let old = std::mem::replace(&mut entry.texture, texture);
                self.dropped.extend(old.owned_key());
            }
            None => self.dropped.extend(texture.owned_key()),
        }
    }

    /// The one place an entry ends: its textures are freed, and its player
    /// or page goes to the reaper, so a slow teardown never stalls the UI.
    fn release(&mut self, entry: Entry) {
        self.dropped.extend(entry.texture.owned_key());
        if let Some(p) = &entry.poster {
            self.dropped.extend(p.owned_key());
        }
        match entry.attachment {
            Attachment::Still => {}
            Attachment::Video(v) => self.reaper.bury(v),
            Attachment::Page(p) => self.reaper.bury(p),
        }
    }

    pub fn get(&self, id: WidgetId) -> Option<&Entry> {
        self.entries.get(&id)
    }

    pub fn iter(&self) -> impl Iterator<Item = (WidgetId, &Entry)> {
        self.entries.iter().map(|(id, e)| (*id, e))
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = (WidgetId, &mut Entry)> {
        self.entries.iter_mut().map(|(id, e)| (*id, e))
    }

    /// The widget whose entry matches, if any.
    pub fn find(&self, matches: impl Fn(&Entry) -> bool) -> Option<WidgetId> {
        self.entries
            .iter()
            .find(|(_, e)| matches(e))
            .map(|(id, _)| *id)
    }

    pub fn get_mut(&mut self, id: WidgetId) -> Option<&mut Entry> {
        self.entries.get_mut(&id)
    }

    /// Keys the renderer must free, since the last call.
    pub fn take_dropped(&mut self) -> std::vec::Drain<'_, ContentKey> {
        self.dropped.drain(..)
    }

    /// How many textures the widgets own: images, pages, posters and video
    /// frames (the shared error card is not counted).
    pub fn texture_count(&self) -> usize {
        self.entries
            .values()
            .map(|e| {
                usize::from(e.texture.owned_key().is_some())
                    + usize::from(e.poster.as_ref().and_then(Texture::owned_key).is_some())
            })
            .sum()
    }

    /// The decoded pixels all widgets keep, in bytes.
    pub fn image_bytes(&self) -> u64 {
        self.entries.values().map(Entry::image_bytes).sum()
    }

    /// How many widgets have an entry.
    pub fn len(&self) -> usize {
        self.entries.len()
    }
}
