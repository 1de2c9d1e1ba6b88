//! TUIO 1.1 from a UDP datagram: OSC decoded by `rosc`, after a bound on nesting, into the `/tuio/2Dcur` frame it carries.

use rosc::{OscPacket, OscType};

/// Bundles inside bundles deeper than this are refused before decoding.
const MAX_BUNDLE_NESTING: usize = 4;
/// TUIO never uses OSC arrays; a message whose type tags open more arrays
/// than this is refused before decoding (deeply nested arrays are freed
/// recursively).
const MAX_ARRAY_MARKS: usize = 16;

/// One cursor's `set`: its session id and normalised position.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Set {
    pub id: i32,
    pub x: f32,
    pub y: f32,
}

/// What one datagram says about `/tuio/2Dcur`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Frame {
    /// The `source` message's name, if any (TUIO 1.1).
    pub source: Option<String>,
    /// The `alive` list, if the datagram has one: the cursors down now.
    pub alive: Option<Vec<i32>>,
    pub sets: Vec<Set>,
    /// The frame number; -1 (or none) is a frame outside the sequence.
    pub fseq: Option<i32>,
    /// Messages of other profiles (`/tuio/2Dobj`, ...), ignored.
    pub ignored: usize,
}

/// Why a datagram is no TUIO.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("not OSC: {0}")]
    NotOsc(String),
    #[error("bundles nested deeper than {MAX_BUNDLE_NESTING}")]
    TooDeep,
    #[error("OSC arrays, which TUIO never sends")]
    Arrays,
    #[error("{0}")]
    BadMessage(String),
}

/// Why a datagram's shape is refused before decoding.
enum Shape {
    Ok,
    TooDeep,
    Arrays,
}

/// Walks bundles (no deeper than the limit) down to each message, and
/// counts the arrays its type-tag string opens. Malformed sizes pass here
/// and are refused by the decoder.
fn shape(b: &[u8], depth: usize) -> Shape {
    if !b.starts_with(b"#bundle\0") {
        return message_shape(b);
    }
    if depth >= MAX_BUNDLE_NESTING {
        return Shape::TooDeep;
    }
    let mut rest = b.get(16..).unwrap_or_default();
    while let Some(size) = rest.get(..4) {
        let size = u32::from_be_bytes([size[0], size[1], size[2], size[3]]) as usize;
        let Some(element) = size.checked_add(4).and_then(|end| rest.get(4..end)) else {
            return Shape::Ok;
        };
        match shape(element, depth + 1) {
            Shape::Ok => {}
            refused => return refused,
        }
        rest = &rest[4 + size..];
    }
    Shape::Ok
}

/// A message's type tags: after the address (padded to four bytes), up to
/// the next NUL.
fn message_shape(m: &[u8]) -> Shape {
    let Some(end) = m.iter().position(|c| *c == 0) else {
        return Shape::Ok;
    };
    let tags = m.get((end / 4 + 1) * 4..).unwrap_or_default();
    let tags = &tags[..tags.iter().position(|c| *c == 0).unwrap_or(tags.len())];
    if tags.iter().filter(|c| **c == b'[').count() > MAX_ARRAY_MARKS {
        Shape::Arrays
    } else {
        Shape::Ok
    }
}

/// Decodes one datagram.
pub fn decode(datagram: &[u8]) -> Result<Frame, DecodeError> {
    match shape(datagram, 0) {
        Shape::Ok => {}
        Shape::TooDeep => return Err(DecodeError::TooDeep),
        Shape::Arrays => return Err(DecodeError::Arrays),
    }
    let (_, packet) =
        rosc::decoder::decode_udp(datagram).map_err(|e| DecodeError::NotOsc(format!("{e:?}")))?;
    let mut frame = Frame::default();
    let mut todo = vec![packet];
    while let Some(p) = todo.pop() {
        match p {
            // Elements in their order: the stack is filled backwards.
            OscPacket::Bundle(b) => todo.extend(b.content.into_iter().rev()),
            OscPacket::Message(m) if m.addr == "/tuio/2Dcur" => message(&mut frame, &m.args)?,
            OscPacket::Message(_) => frame.ignored += 1,
        }
    }
    Ok(frame)
}

fn int(a: &OscType) -> Option<i32> {
    match a {
        OscType::Int(i) => Some(*i),
        _ => None,
    }
}

fn float(a: &OscType) -> Option<f32> {
    match a {
        OscType::Float(f) => Some(*f),
        OscType::Double(d) => Some(*d as f32),
        _ => None,
    }
}

/// One `/tuio/2Dcur` message into the frame.
fn message(frame: &mut Frame, args: &[OscType]) -> Result<(), DecodeError> {
    let bad = |why: &str| Err(DecodeError::BadMessage(format!("/tuio/2Dcur {why}")));
    let Some(OscType::String(command)) = args.first() else {
        return bad("without a command");
    };
    let rest = &args[1..];
    match command.as_str() {
        "source" => match rest.first() {
            Some(OscType::String(s)) => frame.source = Some(s.clone()),
            _ => return bad("source without a name"),
        },
        "alive" => {
            let ids: Option<Vec<i32>> = rest.iter().map(int).collect();
            match ids {
                Some(ids) => frame.alive = Some(ids),
                None => return bad("alive with an argument that is no int32"),
            }
        }
        "set" => {
            let id = rest.first().and_then(int);
            let x = rest.get(1).and_then(float);
            let y = rest.get(2).and_then(float);
            match (id, x, y) {
                (Some(id), Some(x), Some(y)) if x.is_finite() && y.is_finite() => {
                    frame.sets.push(Set { id, x, y });
                }
                _ => return bad("set without an int32 id and finite x and y"),
            }
        }
        "fseq" => match rest.first().and_then(int) {
            Some(f) => frame.fseq = Some(f),
            None => return bad("fseq without an int32"),
        },
        other => return bad(&format!("with an unknown command {other:?}")),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rosc::{OscBundle, OscMessage, OscTime};

    fn msg(args: Vec<OscType>) -> OscPacket {
        OscPacket::Message(OscMessage {
            addr: "/tuio/2Dcur".into(),
            args,
        })
    }

    fn bundle(content: Vec<OscPacket>) -> OscPacket {
        OscPacket::Bundle(OscBundle {
            timetag: OscTime::from((0, 1)),
            content,
        })
    }

    #[test]
    fn a_tuio_bundle_decodes_to_its_frame() {
        let s = |v: &str| OscType::String(v.into());
        let b = bundle(vec![
            msg(vec![s("source"), s("sim@127.0.0.1")]),
            msg(vec![s("alive"), OscType::Int(3), OscType::Int(4)]),
            msg(vec![
                s("set"),
                OscType::Int(3),
                OscType::Float(0.25),
                OscType::Float(0.5),
                OscType::Float(0.0),
                OscType::Float(0.0),
                OscType::Float(0.0),
            ]),
            OscPacket::Message(OscMessage {
                addr: "/tuio/2Dobj".into(),
                args: vec![s("alive")],
            }),
            msg(vec![s("fseq"), OscType::Int(17)]),
        ]);
        let f = decode(&rosc::encoder::encode(&b).unwrap()).unwrap();
        assert_eq!(f.source.as_deref(), Some("sim@127.0.0.1"));
        assert_eq!(f.alive, Some(vec![3, 4]));
        assert_eq!(
            f.sets,
            vec![Set {
                id: 3,
                x: 0.25,
                y: 0.5
            }]
        );
        assert_eq!(f.fseq, Some(17));
        assert_eq!(f.ignored, 1);
    }

    #[test]
    fn hostile_datagrams_are_refused() {
        assert!(matches!(decode(b"hello"), Err(DecodeError::NotOsc(_))));
        assert!(decode(&[]).is_err());
        // Bundles in bundles, deeper than the limit.
        let mut p = msg(vec![OscType::String("fseq".into()), OscType::Int(1)]);
        for _ in 0..10 {
            p = bundle(vec![p]);
        }
        assert_eq!(
            decode(&rosc::encoder::encode(&p).unwrap()),
            Err(DecodeError::TooDeep)
        );
        // Wrong types.
        let wrong = msg(vec![OscType::String("set".into()), OscType::Float(1.0)]);
        assert!(matches!(
            decode(&rosc::encoder::encode(&wrong).unwrap()),
            Err(DecodeError::BadMessage(_))
        ));
        // A type tag string of nested arrays.
        let mut arrays = b"/tuio/2Dcur\0,".to_vec();
        arrays.extend(std::iter::repeat_n(b'[', 5000));
        arrays.extend(std::iter::repeat_n(b']', 5000));
        assert_eq!(decode(&arrays), Err(DecodeError::Arrays));
        let mut bundled = b"#bundle\0\0\0\0\0\0\0\0\x01".to_vec();
        bundled.extend_from_slice(&(arrays.len() as u32).to_be_bytes());
        bundled.extend_from_slice(&arrays);
        assert_eq!(decode(&bundled[..]).unwrap_err(), DecodeError::Arrays);
    }

    #[test]
    fn bytes_that_look_like_array_marks_are_only_data() {
        // Session id 91 is 0x5b, '[', in every int: a busy frame has many.
        let s = |v: &str| OscType::String(v.into());
        let mut content = vec![msg(vec![s("alive"), OscType::Int(91)])];
        for _ in 0..20 {
            content.push(msg(vec![
                s("set"),
                OscType::Int(91),
                OscType::Float(0.5),
                OscType::Float(0.5),
            ]));
        }
        let f = decode(&rosc::encoder::encode(&bundle(content)).unwrap()).unwrap();
        assert_eq!(f.sets.len(), 20);
    }
}
