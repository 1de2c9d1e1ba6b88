//! Error cards: a small HTML template in `assets/` filled with what failed, rendered like any other page.

/// The template; `{{title}}`, `{{detail}}` and `{{source}}` are filled in.
const TEMPLATE: &str = include_str!("../../assets/error-card.html");

/// The size of an error card, in CSS pixels.
pub const CARD_VIEWPORT: (u32, u32) = (640, 400);

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The HTML of an error card: what failed, why, and where it came from.
pub fn error_card_html(title: &str, detail: &str, source: &str) -> String {
    // Long details (a whole URL, a GStreamer message) are cut, not wrapped
    // off the card.
    let cut = |s: &str, n: usize| {
        if s.chars().count() > n {
            format!("{}…", s.chars().take(n).collect::<String>())
        } else {
            s.to_string()
        }
    };
    TEMPLATE
        .replace("{{title}}", &escape(&cut(title, 80)))
        .replace("{{detail}}", &escape(&cut(detail, 240)))
        .replace("{{source}}", &escape(&cut(source, 160)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_and_escapes() {
        let html = error_card_html(
            "Video failed",
            "<script>alert(1)</script>",
            "file:///a&b.webm",
        );
        assert!(html.contains("Video failed"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("file:///a&amp;b.webm"));
        assert!(!html.contains("{{"));
    }
}
