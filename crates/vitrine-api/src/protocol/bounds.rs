//! What the API's identifiers and revisions may be: the one character set and length bound for every widget name, and the largest revision, shared by every front end (socket, admin page, fleet, Thrift) and the state document.
//!
//! Names are copied into the retained fleet status, events, the admin
//! page's CSV and HTML and the state file, so one set must be safe in all
//! of them: ASCII letters, digits, `_`, `.`, `-` and the space, starting
//! with a letter, a digit or `_` (no CSV formula `= + - @`, no leading dot
//! or dash that a file name or a command line would take for something
//! else), and not ending in a space. That leaves out MQTT's `/ # +`, HTML's
//! `< > & " '`, CSV's `,` and quotes, path separators and control
//! characters.

/// The largest revision a desired state may have: 2^53−1, the largest
/// integer every JSON client represents exactly (JavaScript's numbers are
/// doubles). A constant, not a key: it is what JSON can carry, and every
/// kiosk of a fleet must agree on it.
pub const MAX_REVISION: u64 = (1 << 53) - 1;

/// The largest side of an HTML viewport, in CSS pixels: for the config's
/// default and for every `postHtml`.
pub const MAX_VIEWPORT_SIDE: u32 = 8192;

/// The most named layouts a state document may hold, whatever the config
/// says (`schedule.max_layouts` is the kiosk's own bound, up to this).
pub const MAX_LAYOUTS: usize = 256;

/// The most schedule entries a state document may hold, whatever the
/// config says (`schedule.max_entries` is the kiosk's own, up to this).
pub const MAX_SCHEDULE_ENTRIES: usize = 256;

/// The most items one playlist may hold, whatever the config says
/// (`playlist.max_items` is the kiosk's own bound, up to this).
pub const MAX_PLAYLIST_ITEMS: usize = 256;

/// `remote.max_name_bytes` when the config does not set it.
pub const DEFAULT_MAX_NAME_BYTES: usize = 128;

/// The config key that bounds a name, for error messages.
pub const NAME_KEY: &str = "remote.max_name_bytes";

/// Whether `c` may appear in a name at all.
fn allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | ' ')
}

/// Checks one name against the character set and `max` bytes; the error
/// never repeats the name itself (it may be megabytes long).
pub fn check_name(name: &str, max: usize) -> Result<(), String> {
    if name.is_empty() {
        return Err("must not be empty".into());
    }
    if name.len() > max {
        return Err(format!(
            "has {} bytes, more than {NAME_KEY} ({max})",
            name.len()
        ));
    }
    if let Some((i, c)) = name.char_indices().find(|(_, c)| !allowed(*c)) {
        return Err(format!(
            "has {c:?} at byte {i}: a name holds only ASCII letters, digits, '_', '.', '-' and spaces"
        ));
    }
    let first = name.chars().next().unwrap_or('_');
    if !(first.is_ascii_alphanumeric() || first == '_') {
        return Err(format!(
            "starts with {first:?}: a name starts with a letter, a digit or '_'"
        ));
    }
    if name.ends_with(' ') {
        return Err("ends with a space".into());
    }
    Ok(())
}

/// Checks the revision a client gave.
pub fn check_revision(revision: u64) -> Result<(), String> {
    if revision > MAX_REVISION {
        return Err(format!(
            "revision {revision} is more than {MAX_REVISION} (2^53-1), the largest every JSON client can represent"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_the_documented_set_pass_and_others_are_refused() {
        for ok in [
            "a",
            "promo",
            "seed-card",
            "w12",
            "_x",
            "Offer 2.png",
            "A.b-c_d",
        ] {
            assert_eq!(check_name(ok, 128), Ok(()), "{ok}");
        }
        for bad in [
            "", "-a", ".a", " a", "a ", "=cmd", "+1", "@x", "a/b", "a#b", "a+b", "a<b", "a&b",
            "a\"b", "a'b", "a,b", "a\nb", "a\\b", "é", "a\u{0}",
        ] {
            assert!(check_name(bad, 128).is_err(), "{bad:?}");
        }
        let long = "n".repeat(129);
        let e = check_name(&long, 128).unwrap_err();
        assert!(e.contains(NAME_KEY) && !e.contains(&long), "{e}");
        assert_eq!(check_name(&long, 129), Ok(()));
    }

    #[test]
    fn revisions_stop_at_two_to_the_53_minus_one() {
        assert_eq!(check_revision(MAX_REVISION), Ok(()));
        assert!(check_revision(MAX_REVISION + 1).is_err());
        assert!(check_revision(u64::MAX).unwrap_err().contains("2^53-1"));
    }
}
