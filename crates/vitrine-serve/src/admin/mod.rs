//! The store manager's web page, served by the kiosk: declares its HTTP handling, logins, the live screen and events, uploads and the routes that answer through the same command path as the socket.

mod cert;
mod conn;
mod http;
mod live;
pub mod page;
mod routes;
mod screen;
mod server;
mod session;
mod upload;

pub use cert::{CertError, Certificate, configured, fingerprint_of, self_signed, self_signed_path};
pub use conn::{Conn, Transport, server_config};
pub use http::{Head, HttpError, read_head};
pub use routes::{Admin, Limits, answer_json, login_body_limit};
pub use screen::{Frame, Screen};
pub use server::{AdminError, AdminServer, Bounds, Security, start};
pub use session::{COOKIE, Sessions};
pub use upload::remove_stale_parts;
