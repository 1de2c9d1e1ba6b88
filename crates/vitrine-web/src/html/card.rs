//! Error cards: a small HTML template in `assets/` filled with what failed, rendered like any other page.

/// The template; `{{title}}`, `{{detail}}` and `{{source}}` are filled in.
const TEMPLATE: &str = include_str!("../../../../assets/error-card.html");

/// The size of an error card, in CSS pixels.
pub const CARD_VIEWPORT: (u32, u32) = (640, 400);

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
    // The values land in element text; quotes are escaped as well, so the
    // template may also put them in quoted attributes.
    let fill = |s: &str, n: usize| html_escape::encode_quoted_attribute(&cut(s, n)).into_owned();
    TEMPLATE
        .replace("{{title}}", &fill(title, 80))
        .replace("{{detail}}", &fill(detail, 240))
        .replace("{{source}}", &fill(source, 160))
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
