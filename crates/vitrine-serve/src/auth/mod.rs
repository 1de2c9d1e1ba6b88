//! Authentication shared by every front end that checks a secret (the JSON socket, the admin page): the per-address throttle on failures, the canonical address a peer is counted under, and the constant-time secret comparison.

pub mod peer;
pub mod secret;
pub mod throttle;

pub use peer::peer_key;
pub use secret::same_secret;
pub use throttle::{Failure, Throttle, ThrottleSettings, Waiting};
