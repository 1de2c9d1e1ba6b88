//! Unit tests of `codec.rs`.

use super::*;

const MAX: u32 = 16 * 1024 * 1024;

fn one(framing: Framing, payload: &[u8]) -> (Option<Framing>, Vec<u8>) {
    let mut d = Decoder::new(MAX);
    let buf = encode(framing, payload);
    match d.decode(&buf).unwrap() {
        Decoded::Frame { start, end } => {
            assert_eq!(end, buf.len());
            (d.framing(), buf[start..end].to_vec())
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn crc_matches_zlib() {
    // zlib.crc32(b"123456789") == 0xCBF43926
    assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    assert_eq!(crc32(b""), 0);
}

#[test]
fn each_framing_round_trips_and_is_detected() {
    let msg = br#"{"method":"ping","id":1}"#;
    for f in [Framing::V2, Framing::V1, Framing::Le] {
        assert_eq!(one(f, msg), (Some(f), msg.to_vec()), "{f:?}");
    }
}

#[test]
fn ambiguous_lengths_are_decided_by_the_payload() {
    // A 256-byte message: BE length 256 reads as 65536 little-endian,
    // and both are under the limit.
    let mut msg = br#"{"method":"ping","pad":""#.to_vec();
    msg.resize(254, b'x');
    msg.extend_from_slice(b"\"}");
    assert_eq!(msg.len(), 256);
    assert_eq!(one(Framing::V1, &msg).0, Some(Framing::V1));
    // And a 65536-byte one in little-endian reads as 256 big-endian.
    let mut big = br#"{"method":"ping","pad":""#.to_vec();
    big.resize(65534, b'y');
    big.extend_from_slice(b"\"}");
    assert_eq!(one(Framing::Le, &big).0, Some(Framing::Le));
}

#[test]
fn partial_input_asks_for_more() {
    let mut d = Decoder::new(MAX);
    let buf = encode(Framing::V2, br#"{"a":1}"#);
    assert_eq!(d.decode(&buf[..2]).unwrap(), Decoded::NeedMore(4));
    assert_eq!(d.decode(&buf[..8]).unwrap(), Decoded::NeedMore(12));
    assert_eq!(d.decode(&buf[..14]).unwrap(), Decoded::NeedMore(buf.len()));
}

#[test]
fn limits_checksums_and_garbage() {
    let mut d = Decoder::new(1000);
    let huge = encode(Framing::V1, &vec![b' '; 2000]);
    assert!(matches!(
        d.decode(&huge[..4]),
        Err(CodecError::TooLarge { .. })
    ));
    let mut bad = encode(Framing::V2, br#"{"a":1}"#);
    let last = bad.len() - 1;
    bad[last] ^= 1;
    assert_eq!(Decoder::new(MAX).decode(&bad), Err(CodecError::BadChecksum));
    // One reading fits: the framing is decided, and "hello" is left for
    // the protocol to refuse as a parse error.
    let garbage = [0x05, 0, 0, 0, b'h', b'e', b'l', b'l', b'o'];
    assert!(matches!(
        Decoder::new(MAX).decode(&garbage),
        Ok(Decoded::Frame { start: 4, end: 9 })
    ));
    // Both readings fit (256 and 65536) and neither payload is JSON.
    let mut ambiguous = vec![0, 0, 1, 0];
    ambiguous.extend(std::iter::repeat_n(b'x', 65536));
    assert_eq!(
        Decoder::new(MAX).decode(&ambiguous),
        Err(CodecError::BadHeader)
    );
    let mut utf = encode(Framing::V2, &[0xff, 0xfe]);
    utf[8..12].copy_from_slice(&crc32(&[0xff, 0xfe]).to_be_bytes());
    assert_eq!(Decoder::new(MAX).decode(&utf), Err(CodecError::BadPayload));
    assert!(matches!(
        Decoder::new(MAX).decode(&[0xff; 4]),
        Err(CodecError::TooLarge { .. })
    ));
}

#[test]
fn a_cap_refuses_from_the_header_and_names_the_framing() {
    let mut d = Decoder::new(MAX);
    d.set_cap(8);
    let v2 = encode(Framing::V2, br#"{"pad":"0123456789"}"#);
    assert_eq!(
        d.decode(&v2[..12]),
        Err(CodecError::TooLarge { len: 20, max: 8 })
    );
    assert_eq!(d.framing(), Some(Framing::V2));
    // 100 000 read little-endian is about 2.7 GB, over the limit: the
    // header is big-endian, and it is refused in that framing.
    let mut d = Decoder::new(MAX);
    d.set_cap(8);
    assert!(d.decode(&100_000u32.to_be_bytes()).is_err());
    assert_eq!(d.framing(), Some(Framing::V1));
    // The cap does not change how a header is read: 1 MiB big-endian is
    // 4096 little-endian, both under the limit, so the 4096 bytes decide.
    let mut d = Decoder::new(MAX);
    d.set_cap(8192);
    let mut be = (1u32 << 20).to_be_bytes().to_vec();
    assert_eq!(d.decode(&be), Ok(Decoded::NeedMore(4100)));
    be.resize(4100, b' ');
    assert!(matches!(d.decode(&be), Err(CodecError::TooLarge { .. })));
    assert_eq!(d.framing(), Some(Framing::V1));
    // Both readings over the cap: the framing stays unknown.
    let mut d = Decoder::new(MAX);
    d.set_cap(8);
    assert!(d.decode(&(1u32 << 20).to_be_bytes()).is_err());
    assert_eq!(d.framing(), None);
    // Lifted, the cap lets the frame through.
    let mut d = Decoder::new(MAX);
    d.set_cap(8);
    d.set_cap(u32::MAX);
    assert!(matches!(d.decode(&v2), Ok(Decoded::Frame { .. })));
}

#[test]
fn the_framing_sticks_after_the_first_message() {
    let mut d = Decoder::new(MAX);
    let first = encode(Framing::Le, br#"{"a":1}"#);
    assert!(matches!(d.decode(&first), Ok(Decoded::Frame { .. })));
    assert_eq!(d.framing(), Some(Framing::Le));
    // A big-endian header now reads as an over-limit little-endian one.
    let other = encode(Framing::V1, br#"{"a":2}"#);
    assert!(d.decode(&other).is_err());
}
