//! Every integration test but three, in one binary: one link instead of fifty, with each file a module (`cargo test --test it state::` runs one).
//!
//! `video_leak`, `fetch_pool` and `release` count threads of their own process, so they stay binaries of their own.

#[path = "../support/mod.rs"]
mod support;

mod abuse_campaign;
mod admin;
mod admin_bounds;
mod admin_tls;
mod auth_throttle;
mod bounds;
mod cli;
mod content_policy;
mod display_power;
mod docs;
mod doctor;
mod events;
mod fleet;
mod fleet_hostile;
mod fuzz;
mod gestures;
mod hostile_state;
mod html;
mod html_limits;
mod html_widgets;
mod idle_reset;
mod images;
mod kiosk_cli;
mod layering;
mod layout;
mod load_race;
mod offline;
mod package;
mod playlist;
mod power_x11;
mod proof_of_play;
mod purity;
mod remote;
mod remote_abuse;
mod remote_hardening;
mod replay_traces;
mod rotation;
mod schedule;
mod schedule_edges;
mod shaders;
mod snapshots;
mod soak;
mod state;
mod stats;
mod storage_bounds;
mod thrift;
mod timeline;
mod tuio;
mod video;
mod video_policy;
mod view;
mod watchdog;
mod wayland;
mod yuv;
