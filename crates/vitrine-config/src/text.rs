//! Small helpers over plain text shared by the config and replay parsers (std only, so the pure core may use them).

/// The 1-based line that holds byte `offset` of `text`; an offset past the
/// end counts as the last line.
pub fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_lines_from_one() {
        let text = "a\nbc\n\nd";
        assert_eq!(line_of(text, 0), 1);
        assert_eq!(line_of(text, 1), 1);
        assert_eq!(line_of(text, 2), 2);
        assert_eq!(line_of(text, 5), 3);
        assert_eq!(line_of(text, 6), 4);
        assert_eq!(line_of(text, 1000), 4);
    }
}
