//! HTML limits on the parsed tree: depth tricks a byte scan misses are refused, elements are bounded, deep but allowed pages render, and pages share a bounded set of threads.

use crate::support;

use std::io::ErrorKind;
use std::net::TcpListener;
use std::sync::Arc;
use std::time::{Duration, Instant};

use support::signal;
use vitrine::config::ContentConfig;
use vitrine::html::{
    HtmlEngine, HtmlError, HtmlSettings, PageEvent, PageHandle, PageSource, Rendered,
    check_document,
};
use vitrine::wake::Signal;

struct Harness {
    engine: HtmlEngine,
    signal: Arc<Signal>,
}

fn harness(settings: HtmlSettings) -> Harness {
    let policy = vitrine::settings::policy(&ContentConfig::default(), None);
    let s = signal();
    Harness {
        engine: HtmlEngine::new(Arc::new(policy), settings, s.clone()),
        signal: s,
    }
}

fn inline(html: &str) -> PageSource {
    PageSource::Inline {
        html: html.into(),
        base_url: None,
    }
}

impl Harness {
    fn wait(&mut self) -> PageEvent {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if let Some(e) = self.engine.poll() {
                return e;
            }
            assert!(Instant::now() < deadline, "no page event");
            self.signal.wait(Some(Duration::from_millis(20)));
        }
    }

    fn rendered(&mut self) -> Result<Rendered, HtmlError> {
        match self.wait() {
            PageEvent::Rendered { result, .. } => result,
            other => panic!("unexpected {other:?}"),
        }
    }

    /// What becomes of a page: refused at once, or its first render.
    fn outcome(&mut self, html: &str) -> Result<Rendered, HtmlError> {
        let (_page, _) = self.engine.open(inline(html), (200, 100), 1.0)?;
        self.rendered()
    }
}

fn default() -> Harness {
    harness(HtmlSettings::default())
}

fn assert_too_deep(result: Result<Rendered, HtmlError>) {
    assert!(
        matches!(result, Err(HtmlError::TooDeep { max: 256 })),
        "{:?}",
        result.map(|r| r.elapsed)
    );
}

#[test]
fn self_closing_divs_nest_and_are_refused() {
    // HTML ignores the slash: this is 400,000 nested divs.
    assert_too_deep(default().outcome(&"<div/>".repeat(400_000)));
    assert_too_deep(default().outcome(&"<span/>".repeat(400_000)));
}

#[test]
fn stray_end_tags_close_nothing() {
    assert_too_deep(default().outcome(&"<div></x>".repeat(100_000)));
}

#[test]
fn cells_and_paragraphs_nest_inside_tables() {
    // Each round opens a table, its body, a row and a cell: four levels the
    // byte scan counted as one.
    assert_too_deep(default().outcome(&"<table><tr><td>".repeat(200)));
    assert_too_deep(default().outcome(&"<p><table><td>".repeat(200)));
}

#[test]
fn noscript_and_svg_style_are_parsed_as_markup() {
    // With scripting off, `<noscript>` holds markup; inside SVG, `<style>`
    // is an element like any other.
    let deep = "<div>".repeat(1000);
    assert_too_deep(default().outcome(&format!("<noscript>{deep}")));
    assert_too_deep(default().outcome(&format!("<svg><style>{}", "<g>".repeat(1000))));
}

#[test]
fn end_tags_that_close_nothing_down_a_deep_stack_are_refused() {
    // Each `</x>` walks all 250 spans looking for an `<x>`: seconds of
    // parsing in 4 MB, for a tree within the depth and element limits.
    let html = format!("{}{}", "<span>".repeat(250), "</x>".repeat(1_000_000));
    let result = default().outcome(&html);
    assert!(
        matches!(result, Err(HtmlError::TooComplex { .. })),
        "{:?}",
        result.map(|r| r.elapsed)
    );
}

#[test]
fn a_refused_document_fetches_nothing() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    // Past the first 16 KiB, so it is refused on the page thread, after the
    // parser has met the image and the stylesheet.
    let html = format!(
        "<link rel=stylesheet href='http://127.0.0.1:{port}/a.css'><img src='http://127.0.0.1:{port}/a.png'><p>{}</p>{}",
        "x".repeat(20_000),
        "<div/>".repeat(1000)
    );
    assert_too_deep(default().outcome(&html));
    assert!(
        matches!(listener.accept(), Err(e) if e.kind() == ErrorKind::WouldBlock),
        "a resource of a refused document was fetched"
    );
}

#[test]
fn a_long_flat_page_is_refused_for_its_elements() {
    let result = default().outcome(&"<p>x".repeat(60_000));
    assert!(
        matches!(result, Err(HtmlError::TooManyElements { max: 50_000 })),
        "{:?}",
        result.map(|r| r.elapsed)
    );
}

#[test]
fn depth_is_counted_from_html_and_body() {
    let settings = HtmlSettings {
        max_depth: 12,
        ..HtmlSettings::default()
    };
    // `<html>` and `<body>` are depths 1 and 2, so ten divs fit and eleven
    // do not, however they are written.
    for (div, close) in [("<div>", ""), ("<div/>", "</x>")] {
        let page = |n: usize| format!("{}{}", div.repeat(n), close.repeat(n));
        assert_eq!(check_document(&page(10), &settings), Ok(()));
        assert_eq!(
            check_document(&page(11), &settings),
            Err(HtmlError::TooDeep { max: 12 })
        );
        let mut h = harness(settings.clone());
        assert!(h.outcome(&page(10)).is_ok());
        assert_eq!(
            h.outcome(&page(11)).err(),
            Some(HtmlError::TooDeep { max: 12 })
        );
    }
}

#[test]
fn the_check_and_the_page_thread_agree_on_tricky_trees() {
    let pages = [
        "<table><tr><td><table><tr><td><p>x</table></table>",
        "<b><p>one</b>two</p><i><div>three</i>four</div>",
        "<template><div><div><span>x</span></div></div></template><p>y",
        "<table><div><div><div>foster</div></div></div><tr><td>z</table>",
        "<ul><li><ul><li><ol><li>x</ol></ul></ul>",
        "<select><optgroup><option>a<option>b</select><math><mi><p>q</math>",
        "<!DOCTYPE html><html><head><title>t</title></head><body><noscript><div><div>n</div></div></noscript></body></html>",
    ];
    for page in pages {
        // The shallowest limit the check accepts: the tree's depth.
        let depth = (1..64)
            .find(|&d| {
                let settings = HtmlSettings {
                    max_depth: d,
                    ..HtmlSettings::default()
                };
                check_document(page, &settings).is_ok()
            })
            .expect("a small depth");
        let at = |d: usize| HtmlSettings {
            max_depth: d,
            ..HtmlSettings::default()
        };
        assert!(harness(at(depth)).outcome(page).is_ok(), "{page}");
        assert_eq!(
            harness(at(depth - 1)).outcome(page).err(),
            Some(HtmlError::TooDeep { max: depth - 1 }),
            "{page}"
        );
    }
}

#[test]
fn a_deep_but_allowed_page_renders() {
    // 250 divs inside `<body>`: depth 252 of the 256 allowed.
    let html = format!(
        "<body style='margin:0;background:#fff'>{}<div style='width:50px;height:50px;background:#ff0000'></div>{}</body>",
        "<div>".repeat(249),
        "</div>".repeat(249)
    );
    let img = default().outcome(&html).expect("renders").image;
    let p = img.pixel(25, 25);
    assert!(p[0] > 240 && p[1] < 16 && p[2] < 16, "{p:?}");
}

#[test]
fn pages_share_a_bounded_set_of_threads() {
    let mut h = harness(HtmlSettings {
        max_page_threads: 3,
        ..HtmlSettings::default()
    });
    let mut pages: Vec<PageHandle> = Vec::new();
    for i in 0..12 {
        let html = format!("<body style='background:rgb({i},0,0)'>{i}</body>");
        pages.push(h.engine.open(inline(&html), (64, 64), 1.0).unwrap().0);
    }
    for _ in 0..12 {
        h.rendered().expect("every page renders");
    }
    assert_eq!(h.engine.threads(), 3);
    // Pages closed and opened again reuse the same threads.
    pages.clear();
    for _ in 0..6 {
        let page = h
            .engine
            .open(inline("<p>again</p>"), (64, 64), 1.0)
            .unwrap();
        h.rendered().expect("renders");
        drop(page);
    }
    assert_eq!(h.engine.threads(), 3);
}

#[test]
fn a_page_that_overran_gets_no_further_jobs() {
    let mut h = harness(HtmlSettings {
        render_timeout: Duration::from_millis(50),
        ..HtmlSettings::default()
    });
    let html = format!(
        "<body>{}</body>",
        "<p>many words in many paragraphs</p>".repeat(20_000)
    );
    let (page, _) = h.engine.open(inline(&html), (960, 540), 1.0).unwrap();
    // A re-paint waits behind the first render; it is answered with it.
    h.engine.render(&page, 1.5);
    assert!(matches!(h.rendered(), Err(HtmlError::Timeout(_))));
    assert!(matches!(h.rendered(), Err(HtmlError::Timeout(_))));
    // Asked again, it answers at once, without its thread.
    let started = Instant::now();
    h.engine.render(&page, 2.0);
    assert!(matches!(h.rendered(), Err(HtmlError::Timeout(_))));
    h.engine.hit(&page, 10.0, 10.0);
    assert!(matches!(h.wait(), PageEvent::Hit { href: None, .. }));
    assert!(started.elapsed() < Duration::from_millis(50));
    assert_eq!(h.engine.pending(), 0);
}
