//! Loading the config file, with errors that name the offending key and its line.

use std::ops::Range;
use std::path::Path;

use toml::de::{DeTable, DeValue};

use super::Config;
use super::error::ConfigError;
use crate::text::line_of;

impl Config {
    /// Loads a config file. A missing file means the defaults; the returned
    /// flag says whether the file was found.
    pub fn load(path: &Path) -> Result<(Config, bool), ConfigError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Config::parse(&text, path).map(|c| (c, true)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok((Config::default(), false)),
            Err(source) => Err(ConfigError::Read {
                path: path.to_owned(),
                source,
            }),
        }
    }

    /// Parses and validates config text; `path` only labels errors.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let error = |span: Option<Range<usize>>, key: Option<String>, message: String| {
            let key = key.or_else(|| span.as_ref().and_then(|s| key_at(text, s.start)));
            let line = span
                .map(|s| line_of(text, s.start))
                .or_else(|| key.as_deref().and_then(|k| line_of_key(text, k)));
            ConfigError::Parse {
                path: path.to_owned(),
                line,
                key,
                message,
            }
        };
        let config: Config = toml::from_str(text)
            .map_err(|e| error(e.span(), None, e.message().trim().to_string()))?;
        config
            .validate()
            .map_err(|inv| error(None, Some(inv.key), inv.message))?;
        Ok(config)
    }
}

/// The line of a dotted key, or of the nearest enclosing table that the file
/// spells out.
fn line_of_key(text: &str, key: &str) -> Option<usize> {
    let root = DeTable::parse(text).ok()?;
    let mut table = root.get_ref();
    let mut line = None;
    for part in key.split('.') {
        let Some((k, v)) = table.get_key_value(part) else {
            break;
        };
        line = Some(line_of(text, k.span().start));
        match v.get_ref() {
            DeValue::Table(t) => table = t,
            _ => break,
        }
    }
    line
}

/// The dotted key whose key or value holds a byte offset.
fn key_at(text: &str, offset: usize) -> Option<String> {
    let root = DeTable::parse(text).ok()?;
    let mut path = Vec::new();
    find_key(root.get_ref(), offset, &mut path).then(|| path.join("."))
}

/// Depth-first search for the key at `offset`. A table's own span covers only
/// its header, so every table is searched.
fn find_key(table: &DeTable<'_>, offset: usize, path: &mut Vec<String>) -> bool {
    let holds = |r: Range<usize>| r.start <= offset && offset < r.end.max(r.start + 1);
    for (k, v) in table.iter() {
        path.push(k.get_ref().to_string());
        let found = match v.get_ref() {
            DeValue::Table(inner) => find_key(inner, offset, path) || holds(k.span()),
            _ => holds(k.span()) || holds(v.span()),
        };
        if found {
            return true;
        }
        path.pop();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("test.toml"))
    }

    #[test]
    fn empty_text_is_the_default() {
        assert_eq!(parse("").unwrap(), Config::default());
    }

    #[test]
    fn a_wrong_type_names_key_and_line() {
        let e = parse("[window]\nfullscreen = false\n\n[remote]\nport = \"abc\"\n").unwrap_err();
        assert_eq!(e.line(), Some(5));
        assert_eq!(e.key(), Some("remote.port"));
        let text = e.to_string();
        assert!(
            text.contains("line 5") && text.contains("remote.port"),
            "{text}"
        );
    }

    #[test]
    fn an_unknown_key_names_it() {
        let e = parse("[scatter]\nscale_mni = 0.5\n").unwrap_err();
        assert_eq!(e.line(), Some(2));
        assert!(e.to_string().contains("scale_mni"), "{e}");
    }

    #[test]
    fn an_invalid_value_names_key_and_line() {
        let e = parse("[scatter]\nscale_min = 2.0\nscale_max = 1.0\n").unwrap_err();
        assert_eq!(e.key(), Some("scatter.scale_max"));
        assert_eq!(e.line(), Some(3));
    }

    #[test]
    fn a_cross_key_error_on_a_default_points_at_its_table() {
        let e = parse("\n[scatter]\nscale_min = 1e30\n").unwrap_err();
        assert_eq!(e.key(), Some("scatter.scale_max"));
        assert_eq!(e.line(), Some(2));
    }

    #[test]
    fn a_throttle_that_would_not_throttle_is_refused_naming_its_key() {
        for (text, key) in [
            (
                "auth_failures_before_close = 0",
                "remote.auth_failures_before_close",
            ),
            ("auth_tracked_peers = 0", "remote.auth_tracked_peers"),
            ("auth_delay = \"0s\"", "remote.auth_delay"),
            (
                "auth_delay = \"10s\"\nauth_max_delay = \"5s\"",
                "remote.auth_max_delay",
            ),
        ] {
            let e = parse(&format!("[remote]\n{text}\n")).unwrap_err();
            assert_eq!(e.key(), Some(key), "{e}");
        }
    }

    #[test]
    fn broken_toml_has_a_line() {
        let e = parse("[window]\nsize = [1, 2\n").unwrap_err();
        assert!(e.line().is_some(), "{e}");
    }

    #[test]
    fn print_config_round_trips() {
        let c = Config::default();
        assert_eq!(parse(&c.to_toml()).unwrap(), c);
    }
}
