//! Image decoding: PNG, JPEG and WebP with EXIF orientation, bounded against decompression bombs.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use ::image::{DynamicImage, ImageDecoder, ImageReader, Limits};

use vitrine_pixels::Rgba8Image;

/// How large an image may be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImageLimits {
    /// The largest encoded file, in bytes.
    pub max_bytes: u64,
    /// The largest decoded image, in pixels.
    pub max_pixels: u64,
}

/// Why an image could not be decoded. The screen is never touched by a
/// failed decode: the caller decides what to show.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImageError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The encoded data is larger than `max_bytes`.
    #[error("the image is {size} bytes, more than the {max} allowed")]
    TooManyBytes { size: u64, max: u64 },
    /// The decoded image would exceed `max_pixels`.
    #[error("the image is {width}x{height} pixels, more than the {max} allowed")]
    TooManyPixels { width: u32, height: u32, max: u64 },
    /// The bytes are not an image in a supported format (PNG, JPEG, WebP).
    #[error("not a supported image (PNG, JPEG or WebP)")]
    UnknownFormat,
    /// The data is corrupt or truncated.
    #[error("cannot decode the image: {0}")]
    Decode(String),
}

/// Decodes an image, applying its EXIF orientation.
pub fn decode_image(bytes: &[u8], limits: ImageLimits) -> Result<Rgba8Image, ImageError> {
    if bytes.len() as u64 > limits.max_bytes {
        return Err(ImageError::TooManyBytes {
            size: bytes.len() as u64,
            max: limits.max_bytes,
        });
    }
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| ImageError::Decode(e.to_string()))?;
    if reader.format().is_none() {
        return Err(ImageError::UnknownFormat);
    }
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| ImageError::Decode(e.to_string()))?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        return Err(ImageError::TooManyPixels {
            width,
            height,
            max: limits.max_pixels,
        });
    }
    // Decoders allocate from the header's claims: cap that too, at the
    // RGBA16 size of the largest allowed image.
    let mut caps = Limits::default();
    caps.max_alloc = Some(limits.max_pixels.saturating_mul(8).max(1 << 20));
    decoder
        .set_limits(caps)
        .map_err(|e| ImageError::Decode(e.to_string()))?;
    let orientation = decoder
        .orientation()
        .map_err(|e| ImageError::Decode(e.to_string()))?;
    let mut img =
        DynamicImage::from_decoder(decoder).map_err(|e| ImageError::Decode(e.to_string()))?;
    img.apply_orientation(orientation);
    Ok(Rgba8Image::from_image(img.into_rgba8()))
}

/// Reads and decodes an image file, refusing files over `max_bytes` before
/// reading them whole.
pub fn load_image_file(path: &Path, limits: ImageLimits) -> Result<Rgba8Image, ImageError> {
    let read_err = |source| ImageError::Read {
        path: path.to_owned(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_err)?;
    let mut bytes = Vec::new();
    file.take(limits.max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(read_err)?;
    decode_image(&bytes, limits)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: ImageLimits = ImageLimits {
        max_bytes: 1 << 20,
        max_pixels: 1 << 20,
    };

    fn png(width: u32, height: u32) -> Vec<u8> {
        Rgba8Image::filled(width, height, [10, 200, 30, 255])
            .to_png()
            .unwrap()
    }

    #[test]
    fn decodes_a_png() {
        let img = decode_image(&png(7, 3), LIMITS).unwrap();
        assert_eq!((img.width(), img.height()), (7, 3));
        assert_eq!(img.pixel(6, 2), [10, 200, 30, 255]);
    }

    #[test]
    fn refuses_garbage_and_bombs() {
        assert!(matches!(
            decode_image(b"hello world", LIMITS),
            Err(ImageError::UnknownFormat)
        ));
        let tight = ImageLimits {
            max_bytes: 1 << 20,
            max_pixels: 100,
        };
        assert!(matches!(
            decode_image(&png(20, 20), tight),
            Err(ImageError::TooManyPixels {
                width: 20,
                height: 20,
                ..
            })
        ));
        let small = ImageLimits {
            max_bytes: 10,
            max_pixels: 1 << 20,
        };
        assert!(matches!(
            decode_image(&png(2, 2), small),
            Err(ImageError::TooManyBytes { .. })
        ));
    }

    #[test]
    fn a_truncated_png_is_an_error() {
        let mut data = png(64, 64);
        data.truncate(data.len() / 2);
        assert!(decode_image(&data, LIMITS).is_err());
    }
}
