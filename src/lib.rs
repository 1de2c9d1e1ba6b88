//! vitrine: a kiosk display manager for in-store multi-touch screens.
//!
//! The pure core ([`scene`], [`config`], [`replay`]) depends on std, glam and
//! serde only, so gestures, hit tests and video control logic run and are
//! tested without a window, a GPU or a media stack.

pub mod admin;
pub use vitrine_api as api;
pub mod analytics;
pub mod app;
pub mod assets;
pub mod auth;
pub use vitrine_config as config;
pub use vitrine_web::content;
pub mod doctor;
pub use vitrine_api::events;
pub mod fleet;
pub use vitrine_web::html;
pub mod listen;
pub use vitrine_api::outcome;
pub use vitrine_media as media;
pub use vitrine_pixels as pixels;
pub mod remote;
pub use vitrine_render as render;
pub mod replay;
pub mod settings;
pub use vitrine_scene as scene;
pub use vitrine_scene::rotation;
pub mod state;
pub mod thrift;
pub mod tuio;
pub use vitrine_wake as wake;
