//! A decoded frame mapped for reading, presented as plain planes.

use gstreamer as gst;
use gstreamer_video as gst_video;
use gstreamer_video::prelude::*;

use super::error::MediaError;
use vitrine_pixels::{ColorMatrix, PlanarFrame, Plane, PlaneLayout};

/// A decoded frame, mapped for reading for as long as it lives.
pub struct Frame {
    inner: gst_video::VideoFrame<gst_video::video_frame::Readable>,
}

impl Frame {
    /// Maps a sample from the appsink.
    pub fn from_sample(sample: &gst::Sample) -> Result<Frame, MediaError> {
        let caps = sample
            .caps()
            .ok_or_else(|| MediaError::Frame("a sample without caps".into()))?;
        let info =
            gst_video::VideoInfo::from_caps(caps).map_err(|e| MediaError::Frame(e.to_string()))?;
        let buffer = sample
            .buffer_owned()
            .ok_or_else(|| MediaError::Frame("a sample without a buffer".into()))?;
        let inner = gst_video::VideoFrame::from_buffer_readable(buffer, &info)
            .map_err(|_| MediaError::Frame("cannot map the buffer".into()))?;
        Ok(Frame { inner })
    }

    pub fn width(&self) -> u32 {
        self.inner.width()
    }

    pub fn height(&self) -> u32 {
        self.inner.height()
    }

    /// The frame's planes, borrowed.
    pub fn planes(&self) -> Result<PlanarFrame<'_>, MediaError> {
        let layout = match self.inner.format() {
            gst_video::VideoFormat::Nv12 => PlaneLayout::Nv12,
            gst_video::VideoFormat::I420 => PlaneLayout::I420,
            gst_video::VideoFormat::Rgba => PlaneLayout::Rgba,
            other => return Err(MediaError::Frame(format!("unexpected format {other:?}"))),
        };
        let strides = self.inner.plane_stride();
        let mut planes = Vec::with_capacity(self.inner.n_planes() as usize);
        for i in 0..self.inner.n_planes() {
            let data = self
                .inner
                .plane_data(i)
                .map_err(|e| MediaError::Frame(e.to_string()))?;
            let stride = strides
                .get(i as usize)
                .and_then(|s| u32::try_from(*s).ok())
                .ok_or_else(|| MediaError::Frame("a negative stride".into()))?;
            planes.push(Plane { data, stride });
        }
        let colorimetry = self.inner.info().colorimetry();
        let matrix = match colorimetry.matrix() {
            gst_video::VideoColorMatrix::Bt709 => ColorMatrix::Bt709,
            gst_video::VideoColorMatrix::Bt2020 => ColorMatrix::Bt2020,
            _ => ColorMatrix::Bt601,
        };
        Ok(PlanarFrame {
            layout,
            width: self.inner.width(),
            height: self.inner.height(),
            planes,
            matrix,
            full_range: colorimetry.range() == gst_video::VideoColorRange::Range0_255,
        })
    }
}
