//! One video stream: a `uridecodebin` → appsink pipeline, its bus thread, seamless looping and play/pause.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, OnceLock};
use std::thread::JoinHandle;

use gstreamer as gst;
use gstreamer::prelude::*;
use gstreamer_app as gst_app;
use gstreamer_video as gst_video;

use super::bus::BusWatcher;
use super::error::{Failure, MediaError};
use super::event::{MediaEvent, PlayerEvent, PlayerId};
use super::mailbox::Mailbox;
use vitrine_wake::Wake;

/// How a player behaves.
#[derive(Clone, Debug)]
pub struct PlayerOptions {
    /// Play the audio track, when there is one and an audio device works.
    pub audio: bool,
    /// Audio volume, 0 to 1 (more amplifies).
    pub volume: f64,
    /// Start again from the beginning without a gap at the end; otherwise
    /// the player reports `EndOfStream` and the caller decides.
    pub looping: bool,
}

impl Default for PlayerOptions {
    fn default() -> Self {
        Self {
            audio: false,
            volume: 1.0,
            looping: true,
        }
    }
}

/// A playing (or paused) stream. Dropping it stops the pipeline, joins its
/// bus thread and frees its buffers.
pub struct Player {
    pipeline: gst::Pipeline,
    mailbox: Arc<Mailbox>,
    stop: Arc<AtomicBool>,
    bus_thread: Option<JoinHandle<()>>,
}

/// The caps the appsink takes: planar YUV first, converted on the GPU, and
/// RGBA for anything else (the one case where `videoconvert` does work).
fn sink_caps() -> gst::Caps {
    gst_video::VideoCapsBuilder::new()
        .format_list([
            gst_video::VideoFormat::Nv12,
            gst_video::VideoFormat::I420,
            gst_video::VideoFormat::Rgba,
        ])
        .build()
}

fn make(name: &'static str) -> Result<gst::Element, MediaError> {
    gst::ElementFactory::make(name)
        .build()
        .map_err(|_| MediaError::MissingElement(name))
}

/// Initialises GStreamer once for the process.
pub fn init() -> Result<(), MediaError> {
    static INIT: OnceLock<Result<(), String>> = OnceLock::new();
    INIT.get_or_init(|| gstreamer::init().map_err(|e| e.to_string()))
        .clone()
        .map_err(MediaError::Init)
}

impl Player {
    /// Starts prerolling `uri`. `Ready` or `Error` follows as an event; the
    /// first frame lands in the mailbox before `Ready`.
    pub fn open(
        id: PlayerId,
        uri: &str,
        options: &PlayerOptions,
        events: Sender<MediaEvent>,
        wake: Arc<dyn Wake>,
    ) -> Result<Player, MediaError> {
        init()?;
        let pipeline = gst::Pipeline::new();
        let decode = make("uridecodebin")?;
        decode.set_property("uri", uri);
        // vitrine checked this URL, and every redirect on the way, against
        // its content policy. GStreamer's HTTP source asks again and would
        // follow a new redirect the policy never saw: it must not.
        decode.connect("source-setup", false, |values| {
            if let Some(source) = values.get(1).and_then(|v| v.get::<gst::Element>().ok())
                && source.find_property("automatic-redirect").is_some()
            {
                source.set_property("automatic-redirect", false);
            }
            None
        });
        super::adaptive::refuse_adaptive(&pipeline, &decode);
        let convert = make("videoconvert")?;
        let mailbox = Arc::new(Mailbox::default());
        let sink = gst_app::AppSink::builder()
            .caps(&sink_caps())
            .max_buffers(1)
            .drop(true)
            .sync(true)
            .enable_last_sample(false)
            .callbacks(callbacks(mailbox.clone(), wake.clone()))
            .build();
        pipeline
            .add_many([&decode, &convert, sink.upcast_ref()])
            .map_err(|e| MediaError::Pipeline(e.to_string()))?;
        convert
            .link(&sink)
            .map_err(|e| MediaError::Pipeline(e.to_string()))?;
        connect_pads(&decode, &pipeline, &convert, options);

        let stop = Arc::new(AtomicBool::new(false));
        let bus = pipeline
            .bus()
            .ok_or_else(|| MediaError::Pipeline("the pipeline has no bus".into()))?;
        let watcher = BusWatcher {
            id,
            pipeline: pipeline.downgrade(),
            mailbox: mailbox.clone(),
            events,
            wake,
            stop: stop.clone(),
            looping: options.looping,
        };
        let bus_thread = std::thread::Builder::new()
            .name(format!("vitrine-video-{id}"))
            .spawn(move || {
                // A panic while reading the bus fails this video (its widget
                // becomes an error card), not the kiosk.
                let (id, events, wake) = (watcher.id, watcher.events.clone(), watcher.wake.clone());
                if let Err(panic) =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| watcher.run(bus)))
                {
                    let why = vitrine_wake::panic_message(panic.as_ref());
                    tracing::error!(%why, "a video's bus thread panicked");
                    let _ = events.send(MediaEvent {
                        player: id,
                        event: PlayerEvent::Error(
                            Failure::Other,
                            format!("the player failed: {why}"),
                        ),
                    });
                    wake.wake();
                }
            })
            .map_err(|e| MediaError::Pipeline(e.to_string()))?;
        let player = Player {
            pipeline,
            mailbox,
            stop,
            bus_thread: Some(bus_thread),
        };
        // A failure here is also posted on the bus as an error message, which
        // the bus thread reports.
        if let Err(e) = player.pipeline.set_state(gst::State::Paused) {
            tracing::debug!(%e, uri, "the pipeline refused to pause");
        }
        Ok(player)
    }

    pub fn mailbox(&self) -> &Arc<Mailbox> {
        &self.mailbox
    }

    pub fn play(&self) {
        self.set_state(gst::State::Playing);
    }

    pub fn pause(&self) {
        self.set_state(gst::State::Paused);
    }

    /// Back to the start, then playing.
    pub fn restart(&self) {
        self.seek_start();
        self.set_state(gst::State::Playing);
    }

    /// Back to the start, paused there.
    pub fn rewind(&self) {
        self.set_state(gst::State::Paused);
        self.seek_start();
    }

    fn seek_start(&self) {
        let flags = gst::SeekFlags::FLUSH | gst::SeekFlags::SEGMENT;
        if let Err(e) = self.pipeline.seek_simple(flags, gst::ClockTime::ZERO) {
            tracing::warn!(%e, "cannot seek the video to its start");
        }
    }

    fn set_state(&self, state: gst::State) {
        if let Err(e) = self.pipeline.set_state(state) {
            tracing::warn!(%e, ?state, "video state change failed");
        }
    }
}

impl Drop for Player {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Err(e) = self.pipeline.set_state(gst::State::Null) {
            tracing::warn!(%e, "cannot stop a video pipeline");
        }
        if let Some(bus) = self.pipeline.bus() {
            // Wakes the bus thread at once instead of at its next timeout.
            let _ = bus.post(gst::message::Application::new(gst::Structure::new_empty(
                "vitrine-stop",
            )));
        }
        if let Some(t) = self.bus_thread.take() {
            let _ = t.join();
        }
    }
}

/// The appsink's callbacks: the newest sample goes to the mailbox, then a wake.
fn callbacks(mailbox: Arc<Mailbox>, wake: Arc<dyn Wake>) -> gst_app::AppSinkCallbacks {
    let (pre_box, pre_wake) = (mailbox.clone(), wake.clone());
    gst_app::AppSinkCallbacks::builder()
        .new_preroll(move |sink| {
            if let Ok(sample) = sink.pull_preroll() {
                pre_box.put(sample);
                pre_wake.wake();
            }
            Ok(gst::FlowSuccess::Ok)
        })
        .new_sample(move |sink| {
            let sample = sink.pull_sample().map_err(|_| gst::FlowError::Eos)?;
            mailbox.put(sample);
            wake.wake();
            Ok(gst::FlowSuccess::Ok)
        })
        .build()
}

/// Links decoded streams as they appear: video to the converter, audio to
/// the speakers or, muted, to a sink that discards it without holding the
/// video back.
fn connect_pads(
    decode: &gst::Element,
    pipeline: &gst::Pipeline,
    convert: &gst::Element,
    options: &PlayerOptions,
) {
    let pipeline = pipeline.downgrade();
    let convert = convert.downgrade();
    let audio = options.audio;
    let volume = options.volume;
    decode.connect_pad_added(move |_, pad| {
        let caps = pad.current_caps().or_else(|| Some(pad.query_caps(None)));
        let Some(name) = caps
            .as_ref()
            .and_then(|c| c.structure(0))
            .map(|s| s.name().to_string())
        else {
            return;
        };
        let (Some(pipeline), Some(convert)) = (pipeline.upgrade(), convert.upgrade()) else {
            return;
        };
        if name.starts_with("video/") {
            let Some(sink) = convert.static_pad("sink") else {
                return;
            };
            if !sink.is_linked()
                && let Err(e) = pad.link(&sink)
            {
                tracing::warn!(?e, "cannot link the video stream");
            }
        } else if name.starts_with("audio/") {
            match audio_branch(audio, volume) {
                Ok(branch) => {
                    let linked = pipeline.add(&branch).is_ok()
                        && branch.sync_state_with_parent().is_ok()
                        && branch
                            .static_pad("sink")
                            .is_some_and(|s| pad.link(&s).is_ok());
                    if !linked {
                        tracing::warn!("cannot link the audio stream; it is ignored");
                    }
                }
                Err(e) => tracing::warn!(%e, "no audio branch; the audio stream is ignored"),
            }
        }
    });
}

/// The audio branch: the default audio device when enabled and one works,
/// else a sink that drops the audio at once (and takes no part in preroll).
fn audio_branch(enabled: bool, volume: f64) -> Result<gst::Element, MediaError> {
    if enabled {
        let description =
            format!("audioconvert ! audioresample ! volume volume={volume} ! autoaudiosink");
        match gst::parse::bin_from_description(&description, true) {
            Ok(bin) => {
                let probe = bin.set_state(gst::State::Ready);
                let _ = bin.set_state(gst::State::Null);
                if probe.is_ok() {
                    return Ok(bin.upcast());
                }
                tracing::warn!("no working audio device; the video plays muted");
            }
            Err(e) => tracing::warn!(%e, "cannot build the audio branch; the video plays muted"),
        }
    }
    let sink = make("fakesink")?;
    sink.set_property("sync", false);
    sink.set_property("async", false);
    Ok(sink)
}
