//! What `vitrine ctl` accepts (its options and commands, for clap) and the typed request each command makes: the same types the server parses, so names and parameters are written once.

use std::io::Read;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand, ValueEnum};

use super::ctl_place::PlaceArgs;
use vitrine::api::{Call, Command, Load, Query, Stream};
use vitrine::events::TypeSet;

#[derive(Args, Debug)]
pub struct CtlArgs {
    /// Host to connect to [default: remote.bind from the config, loopback for 0.0.0.0].
    #[arg(long)]
    pub(super) host: Option<String>,
    /// Port [default: remote.port from the config].
    #[arg(long)]
    pub(super) port: Option<u16>,
    /// Auth token [default: remote.token from the config].
    #[arg(long)]
    pub(super) token: Option<String>,
    /// Wire framing: auto (= v2), v2 (jsocket ≥ 2), v1 (jsocket 1.x), le (original).
    #[arg(long, value_enum, default_value = "auto")]
    pub(super) framing: FramingArg,
    /// How long to wait for an answer, e.g. 30s.
    #[arg(long, value_parser = vitrine::config::duration::parse, default_value = "30s")]
    pub(super) timeout: Duration,
    /// Send through the fleet's broker instead, to a kiosk id, group:NAME
    /// or all, and print a table of who answered (waits --timeout, or until
    /// every online kiosk addressed has answered).
    #[arg(long, value_name = "TARGET")]
    pub(super) fleet: Option<String>,
    /// The broker for --fleet [default: fleet.broker from the config].
    #[arg(long, value_name = "URL")]
    pub(super) broker: Option<String>,
    #[command(subcommand)]
    pub(super) command: CtlCommand,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub(super) enum FramingArg {
    Auto,
    V2,
    V1,
    Le,
}

#[derive(Subcommand, Debug)]
pub(super) enum CtlCommand {
    /// Load a URL (file://, http://, https://) into the widget NAME.
    FetchUrl {
        name: String,
        url: String,
        /// For a video: an image URL shown until it first plays.
        #[arg(long)]
        poster: Option<String>,
        /// The displayed width in pixels (the height follows).
        #[arg(long)]
        width: Option<f64>,
        #[command(flatten)]
        at: PlaceArgs,
    },
    /// Show an HTML document (a file, or - for stdin) in the widget NAME.
    PostHtml {
        name: String,
        file: PathBuf,
        /// The URL relative links and resources resolve against.
        #[arg(long)]
        base_url: Option<String>,
        /// Viewport width in CSS pixels.
        #[arg(long)]
        width: Option<u32>,
        /// Viewport height in CSS pixels.
        #[arg(long)]
        height: Option<u32>,
        /// The displayed width in window pixels (the height follows).
        #[arg(long)]
        display_width: Option<f64>,
        #[command(flatten)]
        at: PlaceArgs,
    },
    /// The name of the front-most content.
    WhatsLoaded,
    /// The URL of the front-most content.
    CurrentUrl,
    /// Every widget, front-most first.
    List,
    /// Remove a widget.
    Remove { name: String },
    /// Bring a widget to the front.
    Raise { name: String },
    /// Play a video.
    Play { name: String },
    /// Pause a video.
    Pause { name: String },
    /// Show or hide the dimming backdrop.
    Backdrop {
        #[arg(value_enum)]
        state: OnOff,
        /// Widgets to raise above it.
        #[arg(long, num_args = 1..)]
        above: Vec<String>,
        /// Its colour as r,g,b,a (each 0 to 1).
        #[arg(long, value_delimiter = ',', num_args = 4)]
        color: Option<Vec<f32>>,
    },
    /// Save the composed frame as a PNG.
    Screenshot {
        out: PathBuf,
        #[arg(long)]
        max_width: Option<u32>,
    },
    /// Save a layout of the desired state, drawn offscreen, as a PNG (the
    /// screen does not change).
    Preview {
        out: PathBuf,
        /// The named layout (the default one without it).
        #[arg(long)]
        layout: Option<String>,
        #[arg(long)]
        max_width: Option<u32>,
    },
    /// Check the kiosk is alive.
    Ping,
    /// Turn the screen off or on, or say how it is (and how it is switched).
    Display {
        #[arg(value_enum, default_value = "status")]
        power: Power,
    },
    /// Reset the screen for the next customer: widgets glide home, videos go
    /// back to their poster.
    Reset,
    /// Move a widget and make that its home (it glides there), or switch
    /// its gestures.
    Place {
        name: String,
        #[command(flatten)]
        at: PlaceArgs,
        /// The displayed width in pixels (the height follows).
        #[arg(long)]
        width: Option<f64>,
        /// Its place among widgets, 0 being the back-most.
        #[arg(long)]
        z: Option<u32>,
        /// Jump there instead of gliding.
        #[arg(long)]
        no_animate: bool,
    },
    /// Print events as JSON lines until interrupted: all of them, or only
    /// the TYPES named (loaded, failed, removed, touched, video, backdrop,
    /// idle, reset, revision).
    Watch { types: Vec<String> },
    /// Print the desired state (the document state.json holds).
    GetState,
    /// A day of the schedule: which layout shows when, and when the screen
    /// is off.
    Timeline {
        /// The day, YYYY-MM-DD on the kiosk's clock (today without it).
        #[arg(long)]
        date: Option<String>,
    },
    /// Apply a desired-state document (a file, or - for stdin), when its
    /// revision is newer than the kiosk's.
    SetState { file: PathBuf },
    /// The touch counters per widget and in total.
    Stats {
        /// Only widgets touched since then: a time (2026-11-26T09:00:00Z) or
        /// a span ago (2h).
        #[arg(long)]
        since: Option<String>,
        /// Start counting again once these numbers are taken.
        #[arg(long)]
        reset: bool,
        /// Print CSV instead of a table.
        #[arg(long)]
        csv: bool,
        /// Print proof of play (per item and hour: shows, seconds on
        /// screen, largest screen fraction, plays to the end) instead of the
        /// touch counters.
        #[arg(long)]
        plays: bool,
    },
}

/// `vitrine ctl display`'s argument.
#[derive(ValueEnum, Clone, Copy, Debug)]
pub(super) enum Power {
    On,
    Off,
    Status,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub(super) enum OnOff {
    On,
    Off,
}

/// The typed command a `ctl` subcommand sends: the same types the server
/// parses, so names and parameters are written once.
pub(super) fn request(command: &CtlCommand) -> Result<Command, String> {
    Ok(match command {
        CtlCommand::FetchUrl {
            name,
            url,
            poster,
            width,
            at,
        } => Command::Load(Load::FetchUrl {
            name: name.clone(),
            url: url.clone(),
            poster: poster.clone(),
            placement: at.spec(*width),
        }),
        CtlCommand::PostHtml {
            name,
            file,
            base_url,
            width,
            height,
            display_width,
            at,
        } => {
            let data = read_input(file)?;
            Command::Load(Load::PostHtml {
                name: name.clone(),
                data,
                base_url: base_url.clone(),
                width: *width,
                height: *height,
                placement: at.spec(*display_width),
            })
        }
        CtlCommand::WhatsLoaded => Command::Query(Query::WhatsLoaded),
        CtlCommand::CurrentUrl => Command::Query(Query::CurrentUrl),
        CtlCommand::Ping => Command::Query(Query::Ping),
        CtlCommand::Display { power } => Command::Call(Call::Display {
            on: match power {
                Power::On => Some(true),
                Power::Off => Some(false),
                Power::Status => None,
            },
        }),
        CtlCommand::List => Command::Call(Call::ListContent),
        CtlCommand::Reset => Command::Call(Call::Reset),
        CtlCommand::Place {
            name,
            at,
            width,
            z,
            no_animate,
        } => Command::Call(Call::Place {
            name: name.clone(),
            at: at.spec(*width),
            z: *z,
            animate: !no_animate,
        }),
        CtlCommand::Remove { name } => Command::Call(Call::Remove { name: name.clone() }),
        CtlCommand::Raise { name } => Command::Call(Call::Raise { name: name.clone() }),
        CtlCommand::Play { name } => Command::Call(Call::Play { name: name.clone() }),
        CtlCommand::Pause { name } => Command::Call(Call::Pause { name: name.clone() }),
        CtlCommand::Backdrop {
            state: OnOff::On,
            above,
            color,
        } => Command::Call(Call::ShowBackdrop {
            color: match color.as_deref() {
                None => None,
                Some(&[r, g, b, a]) => Some([r, g, b, a]),
                Some(_) => return Err("--color takes r,g,b,a".into()),
            },
            above: above.clone(),
        }),
        CtlCommand::Backdrop {
            state: OnOff::Off, ..
        } => Command::Call(Call::HideBackdrop),
        CtlCommand::Preview {
            layout, max_width, ..
        } => Command::Call(Call::Preview {
            layout: layout.clone(),
            max_width: *max_width,
        }),
        CtlCommand::Screenshot { max_width, .. } => Command::Call(Call::Screenshot {
            max_width: *max_width,
        }),
        CtlCommand::Watch { types } if types.is_empty() => Command::Stream(Stream::Subscribe {
            events: TypeSet::ALL,
        }),
        CtlCommand::Watch { types } => Command::Stream(Stream::Subscribe {
            events: TypeSet::parse(types.iter().map(String::as_str))?,
        }),
        CtlCommand::GetState => Command::Call(Call::GetState),
        CtlCommand::Timeline { date } => Command::Call(Call::Timeline { date: date.clone() }),
        CtlCommand::SetState { file } => {
            let text = read_input(file)?;
            let doc: vitrine::state::Document = serde_json::from_str(&text)
                .map_err(|e| format!("{}: not a state document: {e}", file.display()))?;
            Command::Call(Call::SetState {
                document: Box::new(
                    doc.into_checked()
                        .map_err(|e| format!("{}: {e}", file.display()))?,
                ),
            })
        }
        CtlCommand::Stats { since, reset, .. } => Command::Call(Call::Stats {
            since: since
                .as_deref()
                .map(super::ctl_events::parse_since)
                .transpose()?,
            reset: *reset,
        }),
    })
}

/// A file's text, or stdin's for `-`.
fn read_input(file: &std::path::Path) -> Result<String, String> {
    let mut data = String::new();
    if file.as_os_str() == "-" {
        std::io::stdin()
            .read_to_string(&mut data)
            .map_err(|e| format!("cannot read stdin: {e}"))?;
    } else {
        data = std::fs::read_to_string(file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    }
    Ok(data)
}
