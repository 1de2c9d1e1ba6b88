//! The admin page's HTML, CSS and JavaScript modules, built into the binary: no build step, no CDN, nothing to install.

use super::http::Response;

const INDEX: &str = include_str!("../../../../assets/admin/index.html");

/// Every file the page loads besides itself: its path, type and text.
const ASSETS: &[(&str, &str, &str)] = &[
    (
        "/admin.css",
        "text/css; charset=utf-8",
        include_str!("../../../../assets/admin/admin.css"),
    ),
    (
        "/js/main.js",
        "text/javascript; charset=utf-8",
        include_str!("../../../../assets/admin/js/main.js"),
    ),
    (
        "/js/api.js",
        "text/javascript; charset=utf-8",
        include_str!("../../../../assets/admin/js/api.js"),
    ),
    (
        "/js/ui.js",
        "text/javascript; charset=utf-8",
        include_str!("../../../../assets/admin/js/ui.js"),
    ),
    (
        "/js/screen.js",
        "text/javascript; charset=utf-8",
        include_str!("../../../../assets/admin/js/screen.js"),
    ),
    (
        "/js/gesture.js",
        "text/javascript; charset=utf-8",
        include_str!("../../../../assets/admin/js/gesture.js"),
    ),
    (
        "/js/lists.js",
        "text/javascript; charset=utf-8",
        include_str!("../../../../assets/admin/js/lists.js"),
    ),
    (
        "/js/day.js",
        "text/javascript; charset=utf-8",
        include_str!("../../../../assets/admin/js/day.js"),
    ),
];

pub fn index() -> Response {
    Response::new(200, "text/html; charset=utf-8", INDEX)
}

/// The page's file at `path`, if it is one.
pub fn asset(path: &str) -> Option<Response> {
    ASSETS
        .iter()
        .find(|(p, _, _)| *p == path)
        .map(|(_, mime, text)| Response::new(200, mime, *text))
}

/// The page's weight: the HTML and every file it loads, in bytes.
pub fn weight() -> usize {
    INDEX.len() + ASSETS.iter().map(|(_, _, t)| t.len()).sum::<usize>()
}
