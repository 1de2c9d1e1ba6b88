//! The admin page's HTML, CSS and JavaScript, built into the binary: no build step, no CDN, nothing to install.

use super::http::Response;

const INDEX: &str = include_str!("../../../../assets/admin/index.html");
const SCRIPT: &str = include_str!("../../../../assets/admin/admin.js");
const STYLE: &str = include_str!("../../../../assets/admin/admin.css");

pub fn index() -> Response {
    Response::new(200, "text/html; charset=utf-8", INDEX)
}

pub fn script() -> Response {
    Response::new(200, "text/javascript; charset=utf-8", SCRIPT)
}

pub fn style() -> Response {
    Response::new(200, "text/css; charset=utf-8", STYLE)
}
