//! Unit tests of `bus.rs`.

use super::*;

fn removed(n: u32) -> Event {
    Event::Removed {
        name: format!("w{n}"),
    }
}

#[test]
fn a_full_queue_drops_and_the_next_delivery_says_how_many() {
    let bus = Bus::new(4, 3);
    let sub = bus.subscribe(TypeSet::ALL).unwrap();
    for n in 0..10 {
        bus.publish(removed(n));
    }
    let seqs: Vec<(u64, u64)> = std::iter::from_fn(|| sub.try_next())
        .map(|d| (d.event.seq, d.dropped))
        .collect();
    assert_eq!(seqs, [(1, 0), (2, 0), (3, 0)]);
    bus.publish(removed(10));
    let d = sub.try_next().unwrap();
    assert_eq!((d.event.seq, d.dropped), (11, 7));
    let v: Value = serde_json::from_slice(&d.notification()).unwrap();
    assert_eq!(v["params"]["dropped"], 7);
    assert_eq!(v["params"]["type"], "removed");
    assert_eq!(v["method"], "event");
}

#[test]
fn an_event_over_the_limit_becomes_a_marker_that_fits() {
    let bus = Bus::new(4, 3);
    let sub = bus.subscribe(TypeSet::ALL).unwrap();
    let url = format!("http://x/{}", "a".repeat(10_000));
    bus.publish(Event::Failed {
        name: "w".into(),
        url,
        status: "FORBIDDEN",
        message: "no".into(),
    });
    let d = sub.try_next().unwrap();
    assert_eq!(d.fitted(1 << 20).len(), d.notification().len());
    let cut = d.fitted(512);
    assert!(cut.len() <= 512);
    let v: Value = serde_json::from_slice(&cut).unwrap();
    assert_eq!(v["params"]["truncated"], true);
    assert_eq!(v["params"]["type"], "failed");
    assert_eq!(v["params"]["name"], "w");
    assert!(d.fitted(10).is_empty(), "nothing fits: nothing is sent");
}

#[test]
fn types_filter_and_subscribers_are_bounded_and_leave_on_drop() {
    let bus = Bus::new(2, 8);
    let a = bus.subscribe(TypeSet::parse(["idle"]).unwrap()).unwrap();
    let b = bus.subscribe(TypeSet::ALL).unwrap();
    assert_eq!(bus.subscribe(TypeSet::ALL).err(), Some(BusError::Full(2)));
    bus.publish(removed(1));
    bus.publish(Event::Idle { idle_s: 60.0 });
    assert_eq!(a.try_next().map(|d| d.event.seq), Some(2));
    assert!(a.try_next().is_none());
    assert_eq!(b.try_next().map(|d| d.event.seq), Some(1));
    drop(a);
    assert_eq!(bus.subscriber_count(), 1);
    let c = bus.subscribe(TypeSet::ALL).unwrap();
    b.control().close();
    assert!(b.next().is_none(), "closed");
    drop(c);
}

#[test]
fn a_waiting_subscriber_wakes_for_an_event() {
    let bus = Bus::new(1, 8);
    let sub = bus.subscribe(TypeSet::ALL).unwrap();
    let t = std::thread::spawn(move || sub.next().map(|d| d.event.seq));
    std::thread::sleep(Duration::from_millis(20));
    bus.publish(removed(1));
    assert_eq!(t.join().unwrap(), Some(1));
}
