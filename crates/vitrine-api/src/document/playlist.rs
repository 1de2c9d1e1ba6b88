//! A playlist source: items (an image, a video or an HTML card) that take turns in one widget, each for its time, with a cut or a crossfade between, looping; and the checks an item list passes.

use serde::{Deserialize, Serialize};

use crate::protocol::bounds::{MAX_PLAYLIST_ITEMS, MAX_VIEWPORT_SIDE};

/// The longest any item may be given, in seconds: a day. An item that
/// should show longer is a layout on the schedule, not a playlist.
pub const MAX_ITEM_SECONDS: f64 = 86_400.0;
/// The shortest: a tenth of a second (as `playlist.seconds`), so a list
/// cannot turn, and save where it stands, every frame.
pub const MIN_ITEM_SECONDS: f64 = 0.1;

/// How one item gives way to the next.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Transition {
    /// The next item replaces the last in one frame.
    #[default]
    Cut,
    /// The next item fades in over the last (`playlist.crossfade` long).
    Crossfade,
}

impl Transition {
    pub fn is_cut(&self) -> bool {
        *self == Transition::Cut
    }
}

/// One turn of a playlist: either a URL (an image or a video, sniffed as
/// `fetchUrl` does) or an HTML document, and how long it shows.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// For a video: the image shown until it first plays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub poster: Option<String>,
    /// An HTML document, as `postHtml` takes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    /// How long it shows. `None`: a video plays to its end, anything else
    /// shows for `playlist.seconds`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds: Option<f64>,
    /// For a video without `seconds`: the longest it plays before the next
    /// item (`playlist.max_video` when `None`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_seconds: Option<f64>,
}

impl Item {
    /// A short description for logs and errors: the URL, or `html`.
    pub fn describe(&self) -> &str {
        self.url.as_deref().unwrap_or("html")
    }
}

/// Checks an item list: at least one item and at most
/// [`MAX_PLAYLIST_ITEMS`], each a URL or a document (not both), with
/// fields that fit what it is, and times that are positive and at most
/// [`MAX_ITEM_SECONDS`].
pub fn check_items(items: &[Item]) -> Result<(), String> {
    if items.is_empty() {
        return Err("a playlist needs at least one item".into());
    }
    if items.len() > MAX_PLAYLIST_ITEMS {
        return Err(format!(
            "a playlist has {} items, more than {MAX_PLAYLIST_ITEMS}",
            items.len()
        ));
    }
    for (i, item) in items.iter().enumerate() {
        check_item(item).map_err(|why| format!("playlist item {i}: {why}"))?;
    }
    Ok(())
}

fn check_item(item: &Item) -> Result<(), String> {
    match (&item.url, &item.html) {
        (Some(_), Some(_)) => return Err("give a url or an html document, not both".into()),
        (None, None) => return Err("give a url or an html document".into()),
        (Some(_), None)
            if item.base_url.is_some() || item.width.is_some() || item.height.is_some() =>
        {
            return Err("base_url, width and height are for an html document".into());
        }
        (None, Some(_)) if item.poster.is_some() || item.max_seconds.is_some() => {
            return Err("poster and max_seconds are for a video".into());
        }
        _ => {}
    }
    for side in [item.width, item.height].into_iter().flatten() {
        if !(1..=MAX_VIEWPORT_SIDE).contains(&side) {
            return Err(format!(
                "width and height must be from 1 to {MAX_VIEWPORT_SIDE}"
            ));
        }
    }
    for (key, v) in [("seconds", item.seconds), ("max_seconds", item.max_seconds)] {
        if let Some(v) = v
            && !(v.is_finite() && (MIN_ITEM_SECONDS..=MAX_ITEM_SECONDS).contains(&v))
        {
            return Err(format!(
                "{key} must be a number of seconds from {MIN_ITEM_SECONDS} to {MAX_ITEM_SECONDS}"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(u: &str) -> Item {
        Item {
            url: Some(u.into()),
            ..Item::default()
        }
    }

    #[test]
    fn items_are_checked_with_the_reason() {
        assert!(check_items(&[url("a.png"), url("b.mp4")]).is_ok());
        assert!(check_items(&[]).unwrap_err().contains("at least one"));
        let both = Item {
            html: Some("<p>".into()),
            ..url("a")
        };
        assert!(check_items(&[both]).unwrap_err().contains("not both"));
        let short = Item {
            seconds: Some(0.0),
            ..url("a")
        };
        assert!(
            check_items(&[url("a"), short])
                .unwrap_err()
                .starts_with("playlist item 1: seconds")
        );
        let nan = Item {
            max_seconds: Some(f64::NAN),
            ..url("a")
        };
        assert!(check_items(&[nan]).is_err());
        let card = Item {
            html: Some("<p>".into()),
            poster: Some("p.png".into()),
            ..Item::default()
        };
        assert!(check_items(&[card]).unwrap_err().contains("for a video"));
        let many = vec![url("a"); MAX_PLAYLIST_ITEMS + 1];
        assert!(check_items(&many).unwrap_err().contains("more than"));
    }
}
