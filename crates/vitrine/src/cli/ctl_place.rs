//! `vitrine ctl`'s placement flags, shared by `place`, `fetch-url` and `post-html`: position, scale, rotation, gesture switches, pinning and fill.

use clap::{Args, ValueEnum};

use vitrine::api::PlaceSpec;
use vitrine::api::gestures::{Fill, GestureChange};

#[derive(Args, Debug, Default)]
pub struct PlaceArgs {
    /// Where its centre goes, in window pixels.
    #[arg(long, allow_hyphen_values = true)]
    x: Option<f64>,
    #[arg(long, allow_hyphen_values = true)]
    y: Option<f64>,
    #[arg(long)]
    scale: Option<f64>,
    /// Clockwise, in degrees.
    #[arg(long, allow_hyphen_values = true)]
    rotation: Option<f64>,
    /// The gestures it answers, e.g. `translate,rotate` or `none`; the ones
    /// not named are switched off.
    #[arg(long, value_enum, value_delimiter = ',')]
    gestures: Option<Vec<Gesture>>,
    /// No gestures at all; taps still reach it.
    #[arg(long, conflicts_with = "unpin")]
    pin: bool,
    /// Answer its gesture switches again (and stop filling the screen).
    #[arg(long)]
    unpin: bool,
    /// `screen`: cover the whole screen, pinned, at the back; `none` stops it.
    #[arg(long, value_enum)]
    fill: Option<FillArg>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq)]
enum Gesture {
    Translate,
    Rotate,
    Scale,
    None,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum FillArg {
    Screen,
    None,
}

impl PlaceArgs {
    /// The placement these flags ask for, with the displayed `width`.
    pub fn spec(&self, width: Option<f64>) -> PlaceSpec {
        let on = |g| self.gestures.as_ref().map(|list| list.contains(&g));
        PlaceSpec {
            x: self.x,
            y: self.y,
            scale: self.scale,
            rotation: self.rotation,
            width,
            gestures: GestureChange {
                translate: on(Gesture::Translate),
                rotate: on(Gesture::Rotate),
                scale: on(Gesture::Scale),
                pinned: match (self.pin, self.unpin) {
                    (true, _) => Some(true),
                    (_, true) => Some(false),
                    _ => None,
                },
                fill: self.fill.map(|f| match f {
                    FillArg::Screen => Fill::Screen,
                    FillArg::None => Fill::None,
                }),
            },
        }
    }
}
