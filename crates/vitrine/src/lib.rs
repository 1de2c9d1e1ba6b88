//! vitrine: a kiosk display manager for in-store multi-touch screens.
//!
//! The pure core ([`scene`], [`config`], [`replay`]) depends on std, glam and
//! serde only, so gestures, hit tests and video control logic run and are
//! tested without a window, a GPU or a media stack.

pub use vitrine_api as api;
pub use vitrine_serve::admin;
pub mod analytics;
pub mod app;
pub mod assets;
pub use vitrine_config as config;
pub use vitrine_serve::auth;
pub use vitrine_web::content;
pub mod doctor;
pub use vitrine_api::events;
pub use vitrine_api::outcome;
pub use vitrine_media as media;
pub use vitrine_pixels as pixels;
pub use vitrine_plan as plan;
pub use vitrine_render as render;
pub use vitrine_serve::fleet;
pub use vitrine_serve::listen;
pub use vitrine_serve::remote;
pub use vitrine_web::html;
pub mod replay;
pub mod settings;
pub use vitrine_scene as scene;
pub use vitrine_scene::rotation;
pub mod state;
pub use vitrine_serve::thrift;
pub use vitrine_serve::tuio;
pub use vitrine_wake as wake;
