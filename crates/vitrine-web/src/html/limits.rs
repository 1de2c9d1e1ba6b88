//! A byte-level estimate of HTML nesting depth. Documents are not refused on it: it cannot know what the parser will build (see `guard.rs`), so the limits are measured on the parsed tree instead.

/// Elements that never nest: void elements, and elements whose end tag may be
/// left out (counting those would flag ordinary sloppy HTML).
const FLAT: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead",
    "tbody", "tfoot", "colgroup", "rb", "rt", "rp",
];

/// Elements whose content is raw text up to their end tag.
const RAW: &[&str] = &["script", "style", "textarea", "title", "xmp", "noscript"];

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|i| i + from)
}

/// The deepest element nesting in `html`, approximately, stopping early once
/// it passes `stop_at`. Linear in the input and never recursive.
pub fn nesting_depth(html: &str, stop_at: usize) -> usize {
    let b = html.as_bytes();
    let (mut i, mut depth, mut max) = (0usize, 0usize, 0usize);
    while let Some(lt) = b
        .get(i..)
        .and_then(|rest| rest.iter().position(|c| *c == b'<'))
    {
        i += lt + 1;
        match b.get(i) {
            Some(b'!') => {
                // Comments end at "-->", doctypes and the like at ">".
                let end = if b[i..].starts_with(b"!--") {
                    find(b, i, b"-->")
                } else {
                    find(b, i, b">")
                };
                i = end.map_or(b.len(), |e| e + 1);
            }
            Some(b'/') => {
                depth = depth.saturating_sub(1);
                i = find(b, i, b">").map_or(b.len(), |e| e + 1);
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let start = i;
                while b
                    .get(i)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'-')
                {
                    i += 1;
                }
                let name = html[start..i].to_ascii_lowercase();
                // The end of the tag, skipping quoted attribute values.
                let mut quote = None;
                let mut self_closing = false;
                while let Some(&c) = b.get(i) {
                    i += 1;
                    match (quote, c) {
                        (Some(q), c) if c == q => quote = None,
                        (Some(_), _) => {}
                        (None, b'"' | b'\'') => quote = Some(c),
                        (None, b'>') => {
                            self_closing = i >= 2 && b[i - 2] == b'/';
                            break;
                        }
                        _ => {}
                    }
                }
                if RAW.contains(&name.as_str()) {
                    let close = format!("</{name}");
                    i = find(b, i, close.as_bytes()).unwrap_or(b.len());
                } else if !self_closing && !FLAT.contains(&name.as_str()) {
                    depth += 1;
                    max = max.max(depth);
                    if max > stop_at {
                        return max;
                    }
                }
            }
            _ => {}
        }
    }
    max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_nesting() {
        assert_eq!(
            nesting_depth("<html><body><div><span>x</span></div></body></html>", 100),
            4
        );
        assert_eq!(
            nesting_depth("<div><br><img src=a.png><input/><p>a<p>b</div>", 100),
            1
        );
        assert_eq!(
            nesting_depth(
                "<div title='a > b'><!-- <div><div> --><div></div></div>",
                100
            ),
            2
        );
        assert_eq!(
            nesting_depth(
                "<script>if (a < b) { '<div><div>' }</script><div></div>",
                100
            ),
            1
        );
    }

    #[test]
    fn stops_early_on_pathological_nesting() {
        let deep = "<div>".repeat(100_000);
        assert_eq!(nesting_depth(&deep, 256), 257);
    }

    #[test]
    fn survives_garbage() {
        for s in ["<", "<<<>>", "</", "<!--", "<a '", "<\u{e9}>", "x < y > z"] {
            nesting_depth(s, 10);
        }
    }
}
