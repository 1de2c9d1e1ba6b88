//! Content: turning URLs and files into bytes and decoded pixels, under the configured policy and limits.

mod addr;
pub mod cache;
mod cache_room;
mod cache_write;
pub mod fetch;
pub mod image;
mod offline;
pub mod sniff;
pub mod uri;

pub use self::image::{ImageError, ImageLimits, decode_image, load_image_file};
pub use cache::HttpCache;
pub use fetch::{FetchError, Opened, Policy, PolicySettings};
pub use sniff::{ContentKind, sniff};
pub use uri::file_uri;
