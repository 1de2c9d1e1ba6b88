//! One system font collection for every page: fontconfig is asked once per engine, and each document gets a clone that shares it.
//!
//! Left to itself, blitz builds a new collection for every document: a full
//! fontconfig sort, about 16,000 allocations, and a few milliseconds, per
//! page. A fontique collection keeps the system fonts behind an `Arc`, so a
//! clone of one built collection shares them. It is cloned unshared on
//! purpose: the web fonts a page registers go into that page's clone only,
//! and leave with its document.

use std::sync::{Mutex, PoisonError};

use blitz_dom::FontContext;

/// The font context every document starts from, built on first use.
#[derive(Default)]
pub struct SharedFonts {
    base: Mutex<Option<FontContext>>,
}

impl SharedFonts {
    /// A font context for one more document: a clone of the shared one.
    pub fn context(&self) -> FontContext {
        let mut base = self.base.lock().unwrap_or_else(PoisonError::into_inner);
        base.get_or_insert_with(build).clone()
    }
}

/// What blitz would build for a document: the system fonts and its bullet
/// font for list markers. The font file cache is shared too, so a font file
/// is read once while any page uses it.
fn build() -> FontContext {
    let mut ctx = FontContext::new();
    ctx.collection
        .register_fonts(blitz_dom::BULLET_FONT.to_vec().into(), None);
    ctx.source_cache.make_shared();
    ctx
}
