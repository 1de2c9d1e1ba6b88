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

fn doc(json: &str) -> Result<Desired, String> {
    serde_json::from_str::<Document>(json)
        .map_err(|e| e.to_string())
        .and_then(Document::into_checked)
}

#[test]
fn a_version_one_file_still_loads_and_is_written_as_version_one() {
    let d = doc(
        r#"{"format": "vitrine-state", "version": 1, "state": {"revision": 3, "widgets": []}}"#,
    )
    .unwrap();
    assert_eq!(Document::of(d).version, 1);
    assert!(
        doc(
            r#"{"format": "vitrine-state", "version": 3, "state": {"revision": 3, "widgets": []}}"#
        )
        .unwrap_err()
        .contains("1 to 2")
    );
}

#[test]
fn named_layouts_and_a_schedule_make_version_two() {
    let json = r#"{"format": "vitrine-state", "version": 2, "state": {"revision": 1, "widgets": [],
        "layouts": {"morning": {"widgets": []}},
        "schedule": {"entries": [{"from": "07:00", "to": "11:00", "layout": "morning"}]}}}"#;
    let d = doc(json).unwrap();
    assert_eq!(Document::of(d.clone()).version, 2);
    let back = serde_json::to_string(&Document::of(d.clone())).unwrap();
    assert_eq!(doc(&back).unwrap(), d, "it reads back as it was");
    let as_v1 = json.replace(r#""version": 2"#, r#""version": 1"#);
    assert!(doc(&as_v1).unwrap_err().contains("need layout version 2"));
    let attract = json.replace(
        r#""widgets": [],"#,
        r#""widgets": [], "attract": "morning","#,
    );
    assert_eq!(doc(&attract).unwrap().attract.as_deref(), Some("morning"));
    let attract_gone = json.replace(r#""widgets": [],"#, r#""widgets": [], "attract": "night","#);
    assert!(
        doc(&attract_gone)
            .unwrap_err()
            .contains("attract loop names the layout \"night\"")
    );
    let missing = json.replace(r#""layout": "morning""#, r#""layout": "evening""#);
    assert!(doc(&missing).unwrap_err().contains("\"evening\""));
    let bad_widget = json.replace(
        r#""morning": {"widgets": []}"#,
        r#""morning": {"widgets": [], "backdrop": {"above": ["ghost"]}}"#,
    );
    assert!(
        doc(&bad_widget)
            .unwrap_err()
            .starts_with("layout \"morning\": the backdrop names \"ghost\"")
    );
}

#[test]
fn edits_go_to_the_layout_named_and_the_default_stays_as_it_was() {
    let mut d = Desired::default();
    d.layouts.insert("night".into(), Layout::default());
    assert!(d.put(w("a", 1.0), true));
    assert!(d.edit_layout(Some("night"), |l| l.put(w("b", 2.0), true)));
    assert_eq!(d.layout(None).widgets.len(), 1);
    assert!(d.layout(Some("night")).widget("b").is_some());
    assert!(d.layout(Some("night")).widget("a").is_none());
    // A name the document does not have is the default layout.
    assert!(d.layout(Some("gone")).widget("a").is_some());
    assert!(d.edit_layout(Some("night"), |l| l.remove("b")));
    assert!(!d.edit_layout(Some("night"), |l| l.remove("b")));
    assert_eq!(d.widgets.len(), 1);
}
