//! A player's bus thread: reads the pipeline's bus without a GLib main loop, loops the stream seamlessly, and sends its news (ready, ended, looped, failed, classified) to the app with a wake.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;

use gstreamer as gst;
use gstreamer::prelude::*;
use gstreamer_video as gst_video;

use super::error::Failure;
use super::event::{MediaEvent, PlayerEvent, PlayerId};
use super::mailbox::Mailbox;
use vitrine_wake::Wake;

/// Reads the bus on its own thread: no GLib main loop is needed.
pub(super) struct BusWatcher {
    pub(super) id: PlayerId,
    pub(super) pipeline: gst::glib::WeakRef<gst::Pipeline>,
    pub(super) mailbox: Arc<Mailbox>,
    pub(super) events: Sender<MediaEvent>,
    pub(super) wake: Arc<dyn Wake>,
    pub(super) stop: Arc<AtomicBool>,
    pub(super) looping: bool,
}

impl BusWatcher {
    /// The stream reached its end: loops back to the start with a seek of
    /// `flags` when looping, else reports the end.
    fn ended(&self, pipeline: &gst::Pipeline, flags: gst::SeekFlags) {
        if !self.looping {
            self.send(PlayerEvent::EndOfStream);
        } else if pipeline.seek_simple(flags, gst::ClockTime::ZERO).is_err() {
            self.send(PlayerEvent::Error(
                Failure::Other,
                "cannot loop the video".into(),
            ));
        } else {
            self.send(PlayerEvent::Looped);
        }
    }

    fn send(&self, event: PlayerEvent) {
        // The receiver is gone only while the app shuts down.
        let _ = self.events.send(MediaEvent {
            player: self.id,
            event,
        });
        self.wake.wake();
    }

    pub(super) fn run(self, bus: gst::Bus) {
        let mut ready = false;
        let mut failed = false;
        while !self.stop.load(Ordering::SeqCst) {
            let Some(msg) = bus.timed_pop(gst::ClockTime::from_mseconds(200)) else {
                continue;
            };
            let Some(pipeline) = self.pipeline.upgrade() else {
                break;
            };
            use gst::MessageView;
            match msg.view() {
                // Only the first error counts: the rest follow from it.
                MessageView::Error(err) if !failed => {
                    failed = true;
                    let details = err.debug().map(|d| d.to_string()).unwrap_or_default();
                    tracing::debug!(%details, "video error details");
                    let error = err.error();
                    self.send(PlayerEvent::Error(classify(&error), error.to_string()));
                }
                MessageView::AsyncDone(_) => {
                    if ready || failed {
                        continue;
                    }
                    ready = true;
                    match self.mailbox.peek().and_then(|s| {
                        s.caps()
                            .and_then(|c| gst_video::VideoInfo::from_caps(c).ok())
                    }) {
                        Some(info) => {
                            // Arm seamless looping: a segment seek makes the
                            // pipeline post SEGMENT_DONE instead of EOS.
                            let flags = gst::SeekFlags::FLUSH | gst::SeekFlags::SEGMENT;
                            if pipeline.seek_simple(flags, gst::ClockTime::ZERO).is_err() {
                                tracing::debug!(
                                    "segment seeks unsupported; looping restarts at EOS"
                                );
                            }
                            self.send(PlayerEvent::Ready {
                                width: info.width(),
                                height: info.height(),
                            });
                        }
                        None => {
                            failed = true;
                            self.send(PlayerEvent::Error(
                                Failure::Unsupported,
                                "the media has no video stream".into(),
                            ));
                        }
                    }
                }
                // Non-flushing: the next loop follows the last frame with no
                // gap (Kivy #7417).
                MessageView::SegmentDone(_) => self.ended(&pipeline, gst::SeekFlags::SEGMENT),
                MessageView::Eos(_) => {
                    self.ended(&pipeline, gst::SeekFlags::FLUSH | gst::SeekFlags::SEGMENT)
                }
                _ => {}
            }
        }
    }
}

/// What kind of failure a GStreamer error is.
fn classify(error: &gst::glib::Error) -> Failure {
    if error.matches(gst::ResourceError::NotFound) {
        Failure::NotFound
    } else if error.matches(gst::CoreError::MissingPlugin)
        || error.matches(gst::StreamError::CodecNotFound)
        || error.matches(gst::StreamError::TypeNotFound)
        || error.matches(gst::StreamError::WrongType)
        || error.matches(gst::StreamError::Format)
    {
        Failure::Unsupported
    } else {
        Failure::Other
    }
}
