//! Content: turning files (and, later, URLs) into decoded pixels, within the configured limits.

pub mod image;
pub mod uri;

pub use self::image::{ImageError, ImageLimits, decode_image, load_image_file};
pub use uri::file_uri;
