//! Unit tests of the playlists' owner: resuming at the item the time calls for, and dropping what the layout no longer has.

use std::time::Duration;

use super::playlists::{FILE, Playlists};
use crate::state::{Item, Transition};

fn items(n: usize) -> Vec<Item> {
    (0..n)
        .map(|i| Item {
            url: Some(format!("file:///{i}.png")),
            seconds: Some(100.0),
            ..Item::default()
        })
        .collect()
}

fn known(item: &Item, learned: Option<Duration>) -> Option<Duration> {
    item.seconds.map(Duration::from_secs_f64).or(learned)
}

#[test]
fn a_restart_resumes_the_same_list_at_the_item_the_time_calls_for() {
    let dir = std::env::temp_dir().join(format!("vitrine-playlists-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let _ = std::fs::remove_file(dir.join(FILE));
    let mut p = Playlists::default();
    p.keep_in(&dir);
    assert_eq!(
        p.start("a", &items(3), Transition::Cut, 1_000_000, known),
        0
    );
    p.get_mut("a")
        .unwrap()
        .shown(Duration::ZERO, 1_000_000, Duration::from_secs(100), None);
    p.save("a");
    // Again with the same list: it keeps running, not restarting.
    assert_eq!(
        p.start("a", &items(3), Transition::Cut, 1_050_000, known),
        0
    );

    // A new process 250 s later: the third item, 50 s into its time.
    let mut later = Playlists::default();
    later.keep_in(&dir);
    assert_eq!(
        later.start("a", &items(3), Transition::Cut, 1_250_000, known),
        2
    );
    let r = later.get_mut("a").unwrap();
    r.shown(
        Duration::from_secs(7),
        1_250_000,
        Duration::from_secs(100),
        None,
    );
    assert_eq!(
        r.due,
        Some(Duration::from_secs(57)),
        "only the rest of its time"
    );
    // Another list (or transition) under the same name starts over.
    let mut other = Playlists::default();
    other.keep_in(&dir);
    assert_eq!(
        other.start("a", &items(3), Transition::Crossfade, 1_250_000, known),
        0
    );

    // A file that is not a record is ignored.
    std::fs::write(dir.join(FILE), b"{\"a\": 7").unwrap();
    let mut bad = Playlists::default();
    bad.keep_in(&dir);
    assert_eq!(
        bad.start("a", &items(3), Transition::Cut, 1_250_000, known),
        0
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_playlist_the_layout_drops_is_stopped_and_its_loads_are_stale() {
    let mut p = Playlists::default();
    p.start("a", &items(2), Transition::Cut, 0, known);
    p.start("b", &items(2), Transition::Cut, 0, known);
    let generation = p.get("a").unwrap().generation;
    assert!(p.by_generation(generation).is_some());
    assert!(p.retain(|n| n == "b").is_empty());
    assert!(p.get("a").is_none() && p.by_generation(generation).is_none());
    assert_eq!(p.names(), vec!["b".to_string()]);
    // A held turn is not a deadline; the idle reset releases it.
    let r = p.get_mut("b").unwrap();
    r.shown(Duration::ZERO, 0, Duration::from_secs(5), None);
    r.held = true;
    assert_eq!(p.deadline(), None);
    p.release_holds();
    assert_eq!(p.deadline(), Some(Duration::from_secs(5)));
}
