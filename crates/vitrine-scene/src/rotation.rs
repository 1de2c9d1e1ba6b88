//! Screen rotation for panels mounted portrait or upside down: the logical (upright) size of a physical output, and the mapping of points between the two (std, glam and serde only).

use glam::DVec2;
use serde::{Deserialize, Serialize};

/// How far the kiosk's picture is turned, clockwise, on the physical panel.
/// A 1920×1080 panel mounted portrait with `Deg90` shows a 1080×1920 kiosk.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub enum Rotation {
    #[default]
    Deg0,
    Deg90,
    Deg180,
    Deg270,
}

impl TryFrom<u32> for Rotation {
    type Error = String;

    fn try_from(degrees: u32) -> Result<Self, String> {
        match degrees {
            0 => Ok(Self::Deg0),
            90 => Ok(Self::Deg90),
            180 => Ok(Self::Deg180),
            270 => Ok(Self::Deg270),
            _ => Err(format!("rotation must be 0, 90, 180 or 270, not {degrees}")),
        }
    }
}

impl From<Rotation> for u32 {
    fn from(r: Rotation) -> u32 {
        r.degrees()
    }
}

impl Rotation {
    pub fn degrees(self) -> u32 {
        self.quarter_turns() * 90
    }

    /// Clockwise quarter turns, 0 to 3.
    pub fn quarter_turns(self) -> u32 {
        match self {
            Self::Deg0 => 0,
            Self::Deg90 => 1,
            Self::Deg180 => 2,
            Self::Deg270 => 3,
        }
    }

    /// Whether width and height trade places.
    pub fn is_sideways(self) -> bool {
        matches!(self, Self::Deg90 | Self::Deg270)
    }

    /// The upright size of a physical output (or the physical size of an
    /// upright one: a quarter turn swaps both ways).
    pub fn logical_size(self, physical: (u32, u32)) -> (u32, u32) {
        if self.is_sideways() {
            (physical.1, physical.0)
        } else {
            physical
        }
    }

    /// The upright point under a physical point of an output of
    /// `physical` size: where a finger lands in the kiosk's coordinates.
    pub fn to_logical(self, p: DVec2, physical: DVec2) -> DVec2 {
        match self {
            Self::Deg0 => p,
            Self::Deg90 => DVec2::new(p.y, physical.x - p.x),
            Self::Deg180 => physical - p,
            Self::Deg270 => DVec2::new(physical.y - p.y, p.x),
        }
    }

    /// The physical point that shows the upright point `p`, on an output
    /// of `physical` size: the inverse of [`Rotation::to_logical`].
    pub fn to_physical(self, p: DVec2, physical: DVec2) -> DVec2 {
        match self {
            Self::Deg0 => p,
            Self::Deg90 => DVec2::new(physical.x - p.y, p.x),
            Self::Deg180 => physical - p,
            Self::Deg270 => DVec2::new(p.y, physical.y - p.x),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Rotation; 4] = [
        Rotation::Deg0,
        Rotation::Deg90,
        Rotation::Deg180,
        Rotation::Deg270,
    ];

    #[test]
    fn the_two_mappings_undo_each_other() {
        let physical = DVec2::new(1920.0, 1080.0);
        for r in ALL {
            for p in [
                DVec2::ZERO,
                DVec2::new(100.0, 7.5),
                DVec2::new(1919.0, 1080.0),
            ] {
                let back = r.to_physical(r.to_logical(p, physical), physical);
                assert!((back - p).length() < 1e-9, "{r:?} {p}");
            }
        }
    }

    #[test]
    fn a_quarter_turn_puts_the_upright_top_left_at_the_panels_top_right() {
        let physical = DVec2::new(1920.0, 1080.0);
        let r = Rotation::Deg90;
        assert_eq!(r.logical_size((1920, 1080)), (1080, 1920));
        // Turning the picture clockwise moves its top-left corner to the
        // panel's top-right corner, and its top edge down the right side.
        assert_eq!(
            r.to_physical(DVec2::ZERO, physical),
            DVec2::new(1920.0, 0.0)
        );
        assert_eq!(
            r.to_physical(DVec2::new(1080.0, 0.0), physical),
            DVec2::new(1920.0, 1080.0)
        );
        assert_eq!(
            Rotation::Deg270.to_physical(DVec2::ZERO, physical),
            DVec2::new(0.0, 1080.0)
        );
    }

    #[test]
    fn only_quarter_turns_are_rotations() {
        assert_eq!(Rotation::try_from(270), Ok(Rotation::Deg270));
        assert!(
            Rotation::try_from(45)
                .unwrap_err()
                .contains("0, 90, 180 or 270")
        );
        let r: Rotation = serde_json::from_str("180").unwrap();
        assert_eq!(r, Rotation::Deg180);
        assert!(serde_json::from_str::<Rotation>("91").is_err());
    }
}
