//! The jsocket wire framings, sans I/O: detection from the first header, decoding with limits and checksums, encoding replies.
//!
//! 1. jsocket ≥ 2.0: `JSN1`, u32 big-endian length, u32 big-endian CRC32.
//! 2. jsocket 1.x: u32 big-endian length.
//! 3. The original 2011 jsocket: `struct '=I'`, the native u32 length
//!    (little-endian on x86).
//!
//! A length over the limit rules an interpretation out before anything is
//! allocated. When only one reading fits, it is the framing. When both fit,
//! the payload decides: it must be UTF-8 JSON of exactly that length. The
//! shorter reading is tried first, since its bytes are there whichever
//! framing is real.
//!
//! A decoder can also refuse frames over a lower cap (the server's, before a
//! connection authenticates). The cap never changes how a header is read,
//! and a frame over it is refused from its header, with its framing
//! recorded when the header settles it, so that it can be answered.

/// One of the three framings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framing {
    /// `JSN1` + u32 BE length + u32 BE CRC32 (jsocket ≥ 2.0).
    V2,
    /// u32 BE length (jsocket 1.x).
    V1,
    /// u32 little-endian length (the original jsocket, `'=I'` on x86).
    Le,
}

impl Framing {
    /// The bytes before the payload.
    pub fn header_len(self) -> usize {
        match self {
            Framing::V2 => 12,
            Framing::V1 | Framing::Le => 4,
        }
    }
}

/// Why a connection's bytes cannot be read. The connection is closed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CodecError {
    /// The length is over the limit (in every reading that applies).
    #[error("frame of {len} bytes is over the {max}-byte limit")]
    TooLarge { len: u64, max: u32 },
    /// The v2 checksum does not match the payload.
    #[error("checksum mismatch")]
    BadChecksum,
    /// No framing reads the bytes as one JSON message.
    #[error("no framing reads this header as a JSON message")]
    BadHeader,
    /// The payload is not UTF-8 JSON.
    #[error("the payload is not UTF-8 JSON")]
    BadPayload,
}

/// What the decoder found in the bytes so far.
#[derive(Debug, PartialEq, Eq)]
pub enum Decoded {
    /// More bytes are needed; at least this many in all.
    NeedMore(usize),
    /// One message: its payload is `buf[start..end]`, and `end` bytes are
    /// consumed.
    Frame { start: usize, end: usize },
}

/// Decodes a connection's frames. Its framing is fixed by the first message.
#[derive(Debug, Clone)]
pub struct Decoder {
    framing: Option<Framing>,
    max: u32,
    /// Frames longer than this are refused; at most `max`.
    cap: u32,
}

impl Decoder {
    pub fn new(max_message_bytes: u32) -> Self {
        Self {
            framing: None,
            max: max_message_bytes,
            cap: max_message_bytes,
        }
    }

    /// A decoder that expects `framing` from the start (a client knows the
    /// framing of its replies).
    pub fn with_framing(framing: Framing, max_message_bytes: u32) -> Self {
        Self {
            framing: Some(framing),
            max: max_message_bytes,
            cap: max_message_bytes,
        }
    }

    /// The connection's framing, once known.
    pub fn framing(&self) -> Option<Framing> {
        self.framing
    }

    /// Refuses frames longer than `cap` (at most the limit) from now on;
    /// `set_cap(u32::MAX)` lifts the cap back to the limit.
    pub fn set_cap(&mut self, cap: u32) {
        self.cap = cap.min(self.max);
    }

    /// Looks for one message at the start of `buf`.
    pub fn decode(&mut self, buf: &[u8]) -> Result<Decoded, CodecError> {
        if buf.len() < 4 {
            return Ok(Decoded::NeedMore(4));
        }
        match self.framing {
            Some(f) => self.decode_as(f, buf, true),
            None if &buf[..4] == b"JSN1" => {
                let d = self.decode_as(Framing::V2, buf, true);
                self.settle(Framing::V2, &d);
                d
            }
            None => self.detect(buf),
        }
    }

    /// The first header of a connection without `JSN1`: big- or
    /// little-endian length.
    fn detect(&mut self, buf: &[u8]) -> Result<Decoded, CodecError> {
        let be = u32::from_be_bytes([buf[0], buf[1], buf[2], buf[3]]);
        let le = u32::from_le_bytes([buf[0], buf[1], buf[2], buf[3]]);
        let mut candidates: Vec<(u32, Framing)> = [(be, Framing::V1), (le, Framing::Le)]
            .into_iter()
            .filter(|(len, _)| *len > 0 && *len <= self.max)
            .collect();
        candidates.sort_by_key(|(len, _)| *len);
        candidates.dedup_by_key(|(len, _)| *len);
        match candidates.as_slice() {
            [] => {
                return Err(CodecError::TooLarge {
                    len: u64::from(be.min(le)),
                    max: self.max,
                });
            }
            // One reading fits: it is the framing, whatever the payload holds
            // (bad JSON then gets a parse error, not a closed connection).
            [(_, framing)] => {
                let d = self.decode_as(*framing, buf, true);
                self.settle(*framing, &d);
                return d;
            }
            _ => {}
        }
        for (i, (len, framing)) in candidates.iter().enumerate() {
            if *len > self.cap {
                // Its payload cannot be awaited to decide. When the shorter
                // reading was ruled out already, this one is the framing.
                if i + 1 == candidates.len() && i > 0 {
                    self.framing = Some(*framing);
                }
                return Err(CodecError::TooLarge {
                    len: u64::from(*len),
                    max: self.cap,
                });
            }
            let end = 4 + *len as usize;
            if buf.len() < end {
                return Ok(Decoded::NeedMore(end));
            }
            if is_json(&buf[4..end]) {
                self.framing = Some(*framing);
                return Ok(Decoded::Frame { start: 4, end });
            }
        }
        Err(CodecError::BadHeader)
    }

    /// Fixes the framing once a header has been read as `framing`: on a whole
    /// frame, and on a frame over the cap, which is refused in that framing.
    fn settle(&mut self, framing: Framing, decoded: &Result<Decoded, CodecError>) {
        if matches!(
            decoded,
            Ok(Decoded::Frame { .. }) | Err(CodecError::TooLarge { .. })
        ) {
            self.framing = Some(framing);
        }
    }

    fn decode_as(
        &self,
        framing: Framing,
        buf: &[u8],
        check_utf8: bool,
    ) -> Result<Decoded, CodecError> {
        let header = framing.header_len();
        if buf.len() < header {
            return Ok(Decoded::NeedMore(header));
        }
        let len = match framing {
            Framing::V2 => {
                if &buf[..4] != b"JSN1" {
                    return Err(CodecError::BadHeader);
                }
                u32::from_be_bytes([buf[4], buf[5], buf[6], buf[7]])
            }
            Framing::V1 => u32::from_be_bytes([buf[0], buf[1], buf[2], buf[3]]),
            Framing::Le => u32::from_le_bytes([buf[0], buf[1], buf[2], buf[3]]),
        };
        if len > self.cap {
            return Err(CodecError::TooLarge {
                len: u64::from(len),
                max: self.cap,
            });
        }
        let end = header + len as usize;
        if buf.len() < end {
            return Ok(Decoded::NeedMore(end));
        }
        let payload = &buf[header..end];
        if framing == Framing::V2 {
            let crc = u32::from_be_bytes([buf[8], buf[9], buf[10], buf[11]]);
            if crc32(payload) != crc {
                return Err(CodecError::BadChecksum);
            }
        }
        if check_utf8 && std::str::from_utf8(payload).is_err() {
            return Err(CodecError::BadPayload);
        }
        Ok(Decoded::Frame { start: header, end })
    }
}

/// Whether `payload` is exactly one UTF-8 JSON value.
fn is_json(payload: &[u8]) -> bool {
    std::str::from_utf8(payload).is_ok()
        && serde_json::from_slice::<serde::de::IgnoredAny>(payload).is_ok()
}

/// Frames `payload` for a connection using `framing`.
pub fn encode(framing: Framing, payload: &[u8]) -> Vec<u8> {
    // Replies are built by us and far below 4 GiB.
    let len = u32::try_from(payload.len()).unwrap_or(u32::MAX);
    let mut out = Vec::with_capacity(payload.len() + framing.header_len());
    match framing {
        Framing::V2 => {
            out.extend_from_slice(b"JSN1");
            out.extend_from_slice(&len.to_be_bytes());
            out.extend_from_slice(&crc32(payload).to_be_bytes());
        }
        Framing::V1 => out.extend_from_slice(&len.to_be_bytes()),
        Framing::Le => out.extend_from_slice(&len.to_le_bytes()),
    }
    out.extend_from_slice(payload);
    out
}

/// zlib's CRC-32 (IEEE 802.3, reflected), as Python's `zlib.crc32`.
///
/// crc32fast is plain computation with no platform code, so the codec stays
/// pure.
pub fn crc32(data: &[u8]) -> u32 {
    crc32fast::hash(data)
}

#[cfg(test)]
mod tests;
