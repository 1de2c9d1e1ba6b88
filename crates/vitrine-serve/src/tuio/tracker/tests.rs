//! Unit tests of `tracker.rs`.

use super::*;
use crate::tuio::decode::Set;

fn bounds() -> Bounds {
    Bounds {
        timeout: Duration::from_secs(1),
        max_cursors: 2,
        max_sources: 2,
        max_sources_per_address: 2,
    }
}

fn peer(s: &str) -> SocketAddr {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn frame(alive: &[i32], sets: &[(i32, f32, f32)], fseq: i32) -> Frame {
    Frame {
        source: None,
        alive: Some(alive.to_vec()),
        sets: sets.iter().map(|&(id, x, y)| Set { id, x, y }).collect(),
        fseq: Some(fseq),
        ignored: 0,
    }
}

fn phases(out: &[Touch]) -> Vec<Phase> {
    out.iter().map(|t| t.phase).collect()
}

#[test]
fn a_drag_starts_moves_and_ends() {
    let mut t = Tracker::new(bounds());
    let now = Instant::now();
    let mut out = Vec::new();
    t.apply(
        &frame(&[7], &[(7, 0.1, 0.2)], 1),
        peer("10.0.0.1:3000"),
        now,
        &mut out,
    );
    t.apply(
        &frame(&[7], &[(7, 0.3, 0.2)], 2),
        peer("10.0.0.1:3000"),
        now,
        &mut out,
    );
    t.apply(&frame(&[], &[], 3), peer("10.0.0.1:3000"), now, &mut out);
    assert_eq!(phases(&out), [Phase::Start, Phase::Move, Phase::End]);
    assert!(out.iter().all(|e| e.finger == out[0].finger));
    assert_eq!(
        out[1].pos,
        DVec2::new(0.30000001192092896, 0.20000000298023224)
    );
}

#[test]
fn late_frames_are_dropped_and_a_restart_is_not() {
    let mut t = Tracker::new(bounds());
    let now = Instant::now();
    let mut out = Vec::new();
    t.apply(
        &frame(&[1], &[(1, 0.5, 0.5)], 5000),
        peer("10.0.0.1:3000"),
        now,
        &mut out,
    );
    let late = t.apply(&frame(&[], &[], 4999), peer("10.0.0.1:3000"), now, &mut out);
    assert_eq!(late, Applied::Late);
    assert_eq!(
        phases(&out),
        [Phase::Start],
        "the late frame lifted nothing"
    );
    // Far behind (by more than the window): the tracker started over.
    let restarted = t.apply(&frame(&[], &[], 1), peer("10.0.0.1:3000"), now, &mut out);
    assert_eq!(restarted, Applied::Applied);
    assert_eq!(phases(&out), [Phase::Start, Phase::End]);
}

#[test]
fn sources_keep_apart_and_a_silent_one_is_cancelled() {
    let mut t = Tracker::new(bounds());
    let start = Instant::now();
    let mut out = Vec::new();
    t.apply(
        &frame(&[1], &[(1, 0.1, 0.1)], 1),
        peer("10.0.0.1:3000"),
        start,
        &mut out,
    );
    t.apply(
        &frame(&[1], &[(1, 0.9, 0.9)], 1),
        peer("10.0.0.2:3000"),
        start,
        &mut out,
    );
    assert_ne!(
        out[0].finger, out[1].finger,
        "same session id, other source"
    );
    // A third source is past the bound.
    assert_eq!(
        t.apply(
            &frame(&[1], &[(1, 0.5, 0.5)], 1),
            peer("10.0.0.3:3000"),
            start,
            &mut out
        ),
        Applied::TooManySources
    );
    // "b" keeps talking; "a" goes silent.
    let later = start + Duration::from_millis(1500);
    t.apply(&frame(&[1], &[], 2), peer("10.0.0.2:3000"), later, &mut out);
    out.clear();
    assert_eq!(t.expire(later, &mut out), 1);
    assert_eq!(phases(&out), [Phase::Cancel]);
    assert_eq!(
        out[0].pos,
        DVec2::new(0.10000000149011612, 0.10000000149011612)
    );
}

#[test]
fn cursors_past_the_bound_are_ignored() {
    let mut t = Tracker::new(bounds());
    let mut out = Vec::new();
    let f = frame(
        &[1, 2, 3],
        &[(1, 0.1, 0.1), (2, 0.2, 0.2), (3, 0.3, 0.3)],
        1,
    );
    t.apply(&f, peer("10.0.0.1:3000"), Instant::now(), &mut out);
    assert_eq!(out.len(), 2);
    assert_eq!(t.refused_cursors, 1);
}

fn named(alive: &[i32], sets: &[(i32, f32, f32)], fseq: i32, name: &str) -> Frame {
    Frame {
        source: Some(name.into()),
        ..frame(alive, sets, fseq)
    }
}

/// Another host sending the same source name, with a later `fseq` and
/// nothing alive, neither lifts the first host's finger nor makes its
/// frames late.
#[test]
fn one_address_cannot_end_another_addresss_touches() {
    let mut t = Tracker::new(bounds());
    let now = Instant::now();
    let mut out = Vec::new();
    let (real, spoof) = (peer("10.0.0.1:3333"), peer("10.0.0.66:3333"));
    t.apply(
        &named(&[1], &[(1, 0.1, 0.1)], 1, "trk"),
        real,
        now,
        &mut out,
    );
    t.apply(&named(&[], &[], 900, "trk"), spoof, now, &mut out);
    let moved = t.apply(
        &named(&[1], &[(1, 0.2, 0.1)], 2, "trk"),
        real,
        now,
        &mut out,
    );
    assert_eq!(moved, Applied::Applied);
    assert_eq!(phases(&out), [Phase::Start, Phase::Move]);
    // The same host over a dual-stack socket is the same source.
    let mapped = peer("[::ffff:10.0.0.1]:3333");
    t.apply(&named(&[], &[], 3, "trk"), mapped, now, &mut out);
    assert_eq!(phases(&out), [Phase::Start, Phase::Move, Phase::End]);
}

#[test]
fn sources_per_address_are_bounded() {
    let mut t = Tracker::new(Bounds {
        max_sources: 8,
        max_sources_per_address: 2,
        ..bounds()
    });
    let now = Instant::now();
    let mut out = Vec::new();
    let host = peer("10.0.0.1:3333");
    for (i, name) in ["a", "b"].iter().enumerate() {
        let f = named(&[1], &[(1, 0.1, 0.1)], 1, name);
        assert_eq!(t.apply(&f, host, now, &mut out), Applied::Applied, "{i}");
    }
    let third = named(&[1], &[(1, 0.1, 0.1)], 1, "c");
    assert_eq!(
        t.apply(&third, host, now, &mut out),
        Applied::TooManyFromAddress
    );
    // Unnamed frames from other ports of the same host count too.
    let unnamed = frame(&[1], &[(1, 0.1, 0.1)], 1);
    let port = peer("10.0.0.1:4000");
    assert_eq!(
        t.apply(&unnamed, port, now, &mut out),
        Applied::TooManyFromAddress
    );
    // Another host still gets its own.
    let other = peer("10.0.0.2:3333");
    assert_eq!(t.apply(&third, other, now, &mut out), Applied::Applied);
}
