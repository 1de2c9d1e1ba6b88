//! Checking a parsed config: values that parse but make no sense are refused, naming the first bad key and why.

use std::time::Duration;

use super::error::Invalid;
use super::remote;
use super::{Config, MAX_VIEWPORT_SIDE};
use vitrine_api::protocol::bounds::{MAX_LAYOUTS, MAX_PLAYLIST_ITEMS, MAX_SCHEDULE_ENTRIES};

impl Config {
    /// Checks values that parse but make no sense, naming the first bad key.
    pub fn validate(&self) -> Result<(), Invalid> {
        let bad = |key: &str, message: &str| {
            Err(Invalid {
                key: key.into(),
                message: message.into(),
            })
        };
        if self.window.size[0] == 0 || self.window.size[1] == 0 {
            return bad("window.size", "width and height must be at least 1");
        }
        if let Err((key, message)) = self.scatter.validate() {
            return bad(&format!("scatter.{key}"), &message);
        }
        if !(self.touch.tap_max_distance.is_finite() && self.touch.tap_max_distance >= 0.0) {
            return bad("touch.tap_max_distance", "must be zero or more");
        }
        if !(self.video.volume.is_finite() && (0.0..=10.0).contains(&self.video.volume)) {
            return bad("video.volume", "must be between 0 and 10 (1 is unchanged)");
        }
        if self.html.viewport[0] == 0
            || self.html.viewport[1] == 0
            || self.html.viewport[0].max(self.html.viewport[1]) > MAX_VIEWPORT_SIDE
        {
            return bad(
                "html.viewport",
                &format!("width and height must be between 1 and {MAX_VIEWPORT_SIDE}"),
            );
        }
        // A zero timeout is never what was meant: a socket reads it as no
        // timeout at all, so the bound silently goes, and a render or fetch
        // deadline of zero fails everything.
        let timeouts = [
            ("html.render_timeout", self.html.render_timeout),
            ("html.resource_time", self.html.resource_time),
            ("content.fetch_timeout", self.content.fetch_timeout),
            ("remote.read_timeout", self.remote.read_timeout),
            (
                "remote.first_message_timeout",
                self.remote.first_message_timeout,
            ),
            ("remote.idle_timeout", self.remote.idle_timeout),
            ("remote.load_timeout", self.remote.load_timeout),
        ];
        if let Some((key, _)) = timeouts.iter().find(|(_, d)| d.is_zero()) {
            return bad(key, "must be longer than zero");
        }
        if self.html.max_depth == 0 {
            return bad("html.max_depth", "must be at least 1");
        }
        if self.html.max_elements == 0 {
            return bad("html.max_elements", "must be at least 1");
        }
        if !(1..=64).contains(&self.html.max_page_threads) {
            return bad("html.max_page_threads", "must be between 1 and 64");
        }
        if !(self.html.max_scale.is_finite() && (0.1..=16.0).contains(&self.html.max_scale)) {
            return bad("html.max_scale", "must be between 0.1 and 16");
        }
        if !self.window.background.is_valid() {
            return bad(
                "window.background",
                "each of the four channels must be between 0 and 1",
            );
        }
        if !self.backdrop.color.is_valid() {
            return bad(
                "backdrop.color",
                "each of the four channels must be between 0 and 1",
            );
        }
        if self.remote.max_message_bytes == 0 {
            return bad("remote.max_message_bytes", "must be at least 1");
        }
        if self.remote.max_connections == 0 {
            return bad("remote.max_connections", "must be at least 1");
        }
        for (key, value) in [
            ("content.max_widgets", self.content.max_widgets),
            (
                "content.max_texture_bytes",
                usize::try_from(self.content.max_texture_bytes).unwrap_or(usize::MAX),
            ),
            ("content.max_fetches", self.content.max_fetches),
            ("content.max_queued_loads", self.content.max_queued_loads),
            ("video.max_players", self.video.max_players),
            ("remote.event_queue", self.remote.event_queue),
            ("analytics.max_widgets", self.analytics.max_widgets),
        ] {
            if value == 0 {
                return bad(key, "must be at least 1");
            }
        }
        if !(1..=remote::MAX_NAME_BYTES_CEILING).contains(&self.remote.max_name_bytes) {
            return bad("remote.max_name_bytes", "must be from 1 to 1024");
        }
        // The throttle on wrong secrets: a zero would turn it off unseen.
        let r = &self.remote;
        if r.auth_failures_before_close == 0 {
            return bad("remote.auth_failures_before_close", "must be at least 1");
        }
        if r.auth_tracked_peers == 0 {
            return bad("remote.auth_tracked_peers", "must be at least 1");
        }
        if r.auth_delay.is_zero() {
            return bad("remote.auth_delay", "must be longer than zero");
        }
        if r.auth_max_delay < r.auth_delay {
            return bad(
                "remote.auth_max_delay",
                "must be at least remote.auth_delay",
            );
        }
        if self.remote.max_connections_per_peer == 0 {
            return bad("remote.max_connections_per_peer", "must be at least 1");
        }
        if self.remote.max_unauthenticated_message_bytes < 1024 {
            return bad(
                "remote.max_unauthenticated_message_bytes",
                "must be at least 1024, so that a request with its token fits",
            );
        }
        for (key, bind) in [
            ("remote.bind", &self.remote.bind),
            ("tuio.bind", &self.tuio.bind),
            ("thrift.bind", &self.thrift.bind),
        ] {
            if bind.trim().parse::<std::net::IpAddr>().is_err() {
                return bad(
                    key,
                    "must be an IP address such as \"127.0.0.1\" or \"0.0.0.0\"",
                );
            }
        }
        if self.analytics.save_interval.is_zero() {
            return bad("analytics.save_interval", "must be more than 0");
        }
        if let Err((key, message)) = self.display.validate() {
            return bad(&format!("display.{key}"), message);
        }
        if let Err((key, message)) = self.tuio.validate() {
            return bad(&format!("tuio.{key}"), message);
        }
        if let Err((key, message)) = self.admin.validate() {
            return bad(&format!("admin.{key}"), message);
        }
        if let Err((key, message)) = self.fleet.validate() {
            return bad(&format!("fleet.{key}"), message);
        }
        let uploads = &self.admin.upload_dir;
        if !uploads.as_os_str().is_empty()
            && !self.content.roots.iter().any(|r| uploads.starts_with(r))
        {
            return bad(
                "admin.upload_dir",
                "must lie inside one of content.roots, so the kiosk may show what is uploaded",
            );
        }
        if !self.kiosk.timezone.is_empty()
            && let Err(e) = vitrine_plan::time_zone(&self.kiosk.timezone)
        {
            return bad("kiosk.timezone", &e.to_string());
        }
        if !(1..=MAX_SCHEDULE_ENTRIES).contains(&self.schedule.max_entries) {
            return bad(
                "schedule.max_entries",
                &format!("must be between 1 and {MAX_SCHEDULE_ENTRIES}"),
            );
        }
        if !(1..=MAX_LAYOUTS).contains(&self.schedule.max_layouts) {
            return bad(
                "schedule.max_layouts",
                &format!("must be between 1 and {MAX_LAYOUTS}"),
            );
        }
        if !(1..=24 * 366).contains(&self.analytics.play_hours) {
            return bad(
                "analytics.play_hours",
                "must be between 1 and 8784 (a year)",
            );
        }
        if !(1..=10_000).contains(&self.analytics.max_items) {
            return bad("analytics.max_items", "must be between 1 and 10000");
        }
        self.check_playlist()
    }

    fn check_playlist(&self) -> Result<(), Invalid> {
        let bad = |key: &str, message: &str| {
            Err(Invalid {
                key: key.into(),
                message: message.into(),
            })
        };
        let p = &self.playlist;
        if !(1..=MAX_PLAYLIST_ITEMS).contains(&p.max_items) {
            return bad(
                "playlist.max_items",
                &format!("must be between 1 and {MAX_PLAYLIST_ITEMS}"),
            );
        }
        let day = Duration::from_secs(86_400);
        if p.seconds < Duration::from_millis(100) || p.seconds > day {
            return bad("playlist.seconds", "must be from 100ms to 24h");
        }
        if p.max_video < Duration::from_secs(1) || p.max_video > day {
            return bad("playlist.max_video", "must be from 1s to 24h");
        }
        if p.crossfade > Duration::from_secs(10) {
            return bad("playlist.crossfade", "must be at most 10s (\"0\" cuts)");
        }
        Ok(())
    }
}
