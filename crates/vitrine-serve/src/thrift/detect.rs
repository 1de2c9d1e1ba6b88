//! Telling a Thrift connection's protocol and transport from its first bytes: strict binary or compact, buffered or framed (std only).

/// A Thrift protocol vitrine speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// The strict binary protocol, as the stock generators write it.
    Binary,
    Compact,
}

/// A protocol over a transport.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wire {
    pub protocol: Protocol,
    /// Each message in a frame with a 4-byte big-endian length.
    pub framed: bool,
}

/// What the first bytes of a connection say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detected {
    Wire(Wire),
    /// Two more bytes are needed: the first four may be a frame length.
    NeedSix,
    /// No Thrift protocol vitrine speaks.
    Unknown,
}

/// The protocol a message starts with: the strict binary version word
/// `0x8001` or the compact protocol id `0x82` with version 1.
fn protocol_of(b0: u8, b1: u8) -> Option<Protocol> {
    match (b0, b1) {
        (0x80, 0x01) => Some(Protocol::Binary),
        (0x82, v) if v & 0x1f == 1 => Some(Protocol::Compact),
        _ => None,
    }
}

/// Reads the first two bytes of a connection, then (if they are no message
/// start) six: a frame length no larger than `max_frame` followed by a
/// message start. A frame length's first byte is 0 for any frame under
/// 16 MiB, so it is never taken for a message start.
pub fn detect(first: &[u8], max_frame: u32) -> Detected {
    let &[b0, b1, ..] = first else {
        return Detected::NeedSix;
    };
    if let Some(protocol) = protocol_of(b0, b1) {
        return Detected::Wire(Wire {
            protocol,
            framed: false,
        });
    }
    let Some(six) = first.get(..6) else {
        return Detected::NeedSix;
    };
    let len = u32::from_be_bytes([six[0], six[1], six[2], six[3]]);
    match protocol_of(six[4], six[5]) {
        Some(protocol) if len >= 2 && len <= max_frame => Detected::Wire(Wire {
            protocol,
            framed: true,
        }),
        _ => Detected::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_four_wires_and_garbage() {
        let binary = [0x80, 0x01, 0x00, 0x01];
        let compact = [0x82, 0x21, 0x00, 0x0b];
        assert_eq!(
            detect(&binary, 1 << 20),
            Detected::Wire(Wire {
                protocol: Protocol::Binary,
                framed: false
            })
        );
        assert_eq!(
            detect(&compact, 1 << 20),
            Detected::Wire(Wire {
                protocol: Protocol::Compact,
                framed: false
            })
        );
        assert_eq!(detect(&[0, 0], 1 << 20), Detected::NeedSix);
        assert_eq!(
            detect(&[0, 0, 0, 40, 0x80, 0x01], 1 << 20),
            Detected::Wire(Wire {
                protocol: Protocol::Binary,
                framed: true
            })
        );
        assert_eq!(
            detect(&[0, 0, 0, 40, 0x82, 0x21], 1 << 20),
            Detected::Wire(Wire {
                protocol: Protocol::Compact,
                framed: true
            })
        );
        // A frame over the limit, a JSON request, an HTTP request.
        assert_eq!(
            detect(&[0x7f, 0xff, 0xff, 0xff, 0x80, 0x01], 1 << 20),
            Detected::Unknown
        );
        assert_eq!(detect(b"{\"json", 1 << 20), Detected::Unknown);
        assert_eq!(detect(b"GET / ", 1 << 20), Detected::Unknown);
        // The old non-strict binary form (a bare name length) is refused.
        assert_eq!(
            detect(&[0, 0, 0, 8, b'f', b'e'], 1 << 20),
            Detected::Unknown
        );
    }
}
