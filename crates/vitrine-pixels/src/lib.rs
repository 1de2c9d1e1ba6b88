//! Plain RGBA8 pixel buffers: what decoders produce, what the renderer uploads and what screenshots return.

use std::path::Path;

/// An image of straight-alpha, sRGB-encoded RGBA8 pixels, rows top to bottom
/// with no padding.
#[derive(Clone, PartialEq, Eq)]
pub struct Rgba8Image {
    width: u32,
    height: u32,
    pixels: Vec<u8>,
}

impl std::fmt::Debug for Rgba8Image {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Rgba8Image({}x{})", self.width, self.height)
    }
}

/// Why pixels could not be turned into an image or a file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PixelsError {
    /// The buffer does not hold width × height × 4 bytes.
    #[error("{len} bytes cannot hold a {width}x{height} RGBA image")]
    BadLength { width: u32, height: u32, len: usize },
    /// Encoding or writing a PNG failed.
    #[error("cannot write PNG {path}: {source}")]
    Png {
        path: String,
        source: image::ImageError,
    },
}

impl Rgba8Image {
    /// Wraps a buffer of exactly `width * height * 4` bytes.
    pub fn new(width: u32, height: u32, pixels: Vec<u8>) -> Result<Self, PixelsError> {
        let expected = width as usize * height as usize * 4;
        if width == 0 || height == 0 || pixels.len() != expected {
            return Err(PixelsError::BadLength {
                width,
                height,
                len: pixels.len(),
            });
        }
        Ok(Self {
            width,
            height,
            pixels,
        })
    }

    /// An image filled with one colour.
    pub fn filled(width: u32, height: u32, rgba: [u8; 4]) -> Self {
        let (width, height) = (width.max(1), height.max(1));
        let pixels = rgba.repeat(width as usize * height as usize);
        Self {
            width,
            height,
            pixels,
        }
    }

    pub fn width(&self) -> u32 {
        self.width
    }

    pub fn height(&self) -> u32 {
        self.height
    }

    pub fn pixels(&self) -> &[u8] {
        &self.pixels
    }

    /// The pixel at (x, y); transparent black outside the image.
    pub fn pixel(&self, x: u32, y: u32) -> [u8; 4] {
        if x >= self.width || y >= self.height {
            return [0; 4];
        }
        let i = (y as usize * self.width as usize + x as usize) * 4;
        [
            self.pixels[i],
            self.pixels[i + 1],
            self.pixels[i + 2],
            self.pixels[i + 3],
        ]
    }

    /// Converts from the `image` crate's buffer.
    pub fn from_image(img: image::RgbaImage) -> Self {
        let (width, height) = img.dimensions();
        Self {
            width,
            height,
            pixels: img.into_raw(),
        }
    }

    /// Converts to the `image` crate's buffer.
    pub fn to_image(&self) -> image::RgbaImage {
        // The length invariant is checked at construction.
        image::RgbaImage::from_raw(self.width, self.height, self.pixels.clone())
            .unwrap_or_else(|| image::RgbaImage::new(self.width, self.height))
    }

    /// Writes the image as a PNG file.
    pub fn save_png(&self, path: &Path) -> Result<(), PixelsError> {
        self.to_image()
            .save_with_format(path, image::ImageFormat::Png)
            .map_err(|source| PixelsError::Png {
                path: path.display().to_string(),
                source,
            })
    }

    /// Encodes the image as PNG bytes.
    pub fn to_png(&self) -> Result<Vec<u8>, PixelsError> {
        let mut out = std::io::Cursor::new(Vec::new());
        self.to_image()
            .write_to(&mut out, image::ImageFormat::Png)
            .map_err(|source| PixelsError::Png {
                path: "<memory>".into(),
                source,
            })?;
        Ok(out.into_inner())
    }
}

/// How the planes of a video frame are laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PlaneLayout {
    /// Y, then interleaved U and V at half resolution.
    Nv12,
    /// Y, U and V planes; chroma at half resolution.
    I420,
    /// One plane of RGBA8 (sRGB-encoded).
    Rgba,
}

/// The YUV → RGB matrix of a stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ColorMatrix {
    Bt601,
    Bt709,
    Bt2020,
}

/// One plane of a frame: its bytes and row stride.
#[derive(Clone, Copy, Debug)]
pub struct Plane<'a> {
    pub data: &'a [u8],
    pub stride: u32,
}

/// A decoded video frame, borrowed from whoever decoded it, as plain data the
/// renderer can upload.
#[derive(Clone, Debug)]
pub struct PlanarFrame<'a> {
    pub layout: PlaneLayout,
    pub width: u32,
    pub height: u32,
    /// One plane for RGBA, two for NV12, three for I420.
    pub planes: Vec<Plane<'a>>,
    pub matrix: ColorMatrix,
    /// Full range (0–255) rather than limited (16–235 luma, 16–240 chroma).
    pub full_range: bool,
}

impl PlanarFrame<'_> {
    /// The size of plane `i` in texels.
    pub fn plane_size(&self, i: usize) -> (u32, u32) {
        if i == 0 || self.layout == PlaneLayout::Rgba {
            (self.width, self.height)
        } else {
            (self.width.div_ceil(2), self.height.div_ceil(2))
        }
    }

    /// Bytes per texel of plane `i`.
    pub fn plane_texel_bytes(&self, i: usize) -> u32 {
        match (self.layout, i) {
            (PlaneLayout::Rgba, _) => 4,
            (PlaneLayout::Nv12, 1) => 2,
            _ => 1,
        }
    }

    /// Whether every plane holds at least `stride × (rows − 1) + row bytes`.
    pub fn is_consistent(&self) -> bool {
        let expected = match self.layout {
            PlaneLayout::Rgba => 1,
            PlaneLayout::Nv12 => 2,
            PlaneLayout::I420 => 3,
        };
        self.width > 0
            && self.height > 0
            && self.planes.len() == expected
            && self.planes.iter().enumerate().all(|(i, p)| {
                let (w, h) = self.plane_size(i);
                let row = w * self.plane_texel_bytes(i);
                p.stride >= row
                    && p.data.len() as u64
                        >= u64::from(p.stride) * u64::from(h - 1) + u64::from(row)
            })
    }
}
