//! vitrine's web content (its own crate): declares its two parts and nothing else.
//!
//! [`content`] reads files and URLs within the content policy (roots,
//! hosts, addresses, sizes, times), keeps an offline cache and decodes
//! pictures; [`html`] renders HTML cards with blitz on a bounded pool of
//! page threads, fetching their resources through the same policy. Each
//! takes settings of its own; the app makes them from the config, so this
//! crate knows no config file, window, GPU, media or server.

pub mod content;
pub mod html;
