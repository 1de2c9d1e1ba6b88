//! vitrine's front ends (their own crate): declares them and nothing else.
//!
//! Each speaks one protocol over the one listener skeleton ([`listen`]):
//! the JSON socket ([`remote`]), Apache Thrift ([`thrift`]) and the admin
//! page ([`admin`]); the fleet ([`fleet`]) speaks MQTT and TUIO ([`tuio`])
//! takes OSC over UDP. Secrets are compared and wrong ones throttled in
//! one place ([`auth`]). Every request becomes the API model's typed
//! command and goes to its one dispatch; nothing here knows the scene,
//! the renderer, media or web content.

pub mod admin;
pub mod auth;
pub mod fleet;
pub mod listen;
pub mod remote;
pub mod thrift;
pub mod tuio;
