//! Unit tests of `document.rs`.

use super::*;

fn w(name: &str, x: f64) -> Widget {
    Widget {
        name: name.into(),
        source: Source::Url {
            url: format!("file:///{name}.png"),
            poster: None,
        },
        home: Home {
            x,
            y: 0.0,
            scale: 1.0,
            rotation: 0.0,
        },
        gestures: Default::default(),
    }
}

#[test]
fn put_replaces_in_front_and_keeps_the_home() {
    let mut d = Desired::default();
    assert!(d.put(w("a", 1.0), true));
    assert!(d.put(w("b", 2.0), true));
    let mut again = w("a", 9.0);
    again.source = Source::Url {
        url: "file:///other.png".into(),
        poster: None,
    };
    assert!(d.put(again, true));
    let names: Vec<_> = d.widgets.iter().map(|w| w.name.as_str()).collect();
    assert_eq!(names, ["b", "a"]);
    assert_eq!(d.widget("a").unwrap().home.x, 1.0, "the old home stays");
    // The same widget put again at the front changes nothing.
    let same = d.widget("a").unwrap().clone();
    assert!(!d.put(same, true));
}

#[test]
fn remove_raise_and_backdrop_say_whether_they_changed_anything() {
    let mut d = Desired::default();
    d.put(w("a", 0.0), true);
    d.put(w("b", 0.0), true);
    assert!(!d.raise("b"), "already in front");
    assert!(d.raise("a"));
    assert!(!d.raise("nope"));
    let shown = Some(Backdrop {
        color: None,
        above: vec!["b".into()],
    });
    assert!(d.set_backdrop(shown.clone()));
    assert_eq!(d.widgets.last().unwrap().name, "b");
    assert!(!d.set_backdrop(shown));
    assert!(d.remove("b"));
    assert!(d.backdrop.as_ref().unwrap().above.is_empty());
    assert!(!d.remove("b"));
    assert!(d.set_backdrop(None));
}

#[test]
fn check_refuses_what_a_file_must_not_hold() {
    let mut d = Desired {
        widgets: vec![w("a", 0.0), w("a", 1.0)],
        ..Desired::default()
    };
    assert!(d.check().unwrap_err().contains("twice"));
    d.widgets = vec![w("", 0.0)];
    assert!(d.check().is_err());
    d.widgets = vec![w("a", f64::NAN)];
    assert!(d.check().is_err());
    d.widgets = vec![w("a", 0.0), w("b", 1.0)];
    assert!(d.check().is_ok());
    d.widgets = vec![w("a/b", 0.0)];
    assert!(d.check().unwrap_err().contains("'/'"));
    d.widgets = vec![w(&"n".repeat(200), 0.0)];
    assert!(d.check().unwrap_err().contains("remote.max_name_bytes"));
    assert!(d.check_within(200).is_ok());
    d.revision = crate::protocol::bounds::MAX_REVISION;
    assert!(d.check_within(200).is_ok());
    d.revision = u64::MAX;
    assert!(d.check_within(200).unwrap_err().contains("2^53-1"));
}
