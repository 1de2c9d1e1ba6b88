//! HTML cards rendered by blitz: pixels of known pages, resources through the content policy, crispness, limits and links.

use crate::support;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use support::{HttpServer, Route, signal, temp_dir};
use vitrine::config::ContentConfig;
use vitrine::html::{
    HtmlEngine, HtmlError, HtmlSettings, PageEvent, PageHandle, PageSource, Rendered,
};
use vitrine::pixels::Rgba8Image;
use vitrine::wake::Signal;

struct Harness {
    engine: HtmlEngine,
    signal: Arc<Signal>,
}

fn harness(roots: Vec<PathBuf>, hosts: &[&str], settings: HtmlSettings) -> Harness {
    let config = ContentConfig {
        roots,
        allowed_hosts: hosts.iter().map(|h| h.to_string()).collect(),
        ..ContentConfig::default()
    };
    let s = signal();
    Harness {
        engine: HtmlEngine::new(
            Arc::new(vitrine::settings::policy(&config, None)),
            settings,
            s.clone(),
        ),
        signal: s,
    }
}

impl Harness {
    fn wait(&mut self) -> PageEvent {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(e) = self.engine.poll() {
                return e;
            }
            assert!(Instant::now() < deadline, "no page event");
            self.signal.wait(Some(Duration::from_millis(50)));
        }
    }

    fn open(
        &mut self,
        source: PageSource,
        viewport: (u32, u32),
        scale: f32,
    ) -> (PageHandle, Result<Rendered, HtmlError>) {
        let (page, _) = self
            .engine
            .open(source, viewport, scale)
            .expect("the page starts");
        match self.wait() {
            PageEvent::Rendered { result, .. } => (page, result),
            other => panic!("unexpected {other:?}"),
        }
    }

    fn render(&mut self, html: &str, viewport: (u32, u32)) -> Rgba8Image {
        let source = PageSource::Inline {
            html: html.into(),
            base_url: None,
        };
        self.open(source, viewport, 1.0)
            .1
            .expect("the page renders")
            .image
    }
}

fn default() -> Harness {
    harness(vec![], &[], HtmlSettings::default())
}

fn close(p: [u8; 4], rgb: [u8; 3]) -> bool {
    p.iter().zip(rgb).all(|(a, b)| a.abs_diff(b) <= 8)
}

const RED: [u8; 3] = [255, 0, 0];
const GREEN: [u8; 3] = [0, 128, 0];
const BLUE: [u8; 3] = [0, 0, 255];
const WHITE: [u8; 3] = [255, 255, 255];

#[test]
fn a_coloured_block_at_a_known_position() {
    let img = default().render(
        r#"<html><body style="margin:0;background:#fff">
           <div style="position:absolute;left:40px;top:30px;width:100px;height:50px;background:rgb(255,0,0)"></div>
           </body></html>"#,
        (320, 200),
    );
    assert_eq!((img.width(), img.height()), (320, 200));
    assert!(close(img.pixel(90, 55), RED), "{:?}", img.pixel(90, 55));
    assert!(close(img.pixel(41, 31), RED));
    assert!(close(img.pixel(38, 55), WHITE));
    assert!(close(img.pixel(90, 82), WHITE));
}

#[test]
fn css_flexbox_layout() {
    let img = default().render(
        r#"<body style="margin:0;background:#fff">
           <div style="display:flex;width:300px;height:100px">
             <div style="flex:1;background:#ff0000"></div><div style="flex:2;background:#0000ff"></div>
           </div></body>"#,
        (320, 200),
    );
    // One third red, two thirds blue.
    assert!(close(img.pixel(50, 50), RED));
    assert!(close(img.pixel(95, 50), RED));
    assert!(close(img.pixel(105, 50), BLUE));
    assert!(close(img.pixel(290, 50), BLUE));
    assert!(close(img.pixel(310, 50), WHITE));
}

fn dark_in(img: &Rgba8Image, x: std::ops::Range<u32>, y: std::ops::Range<u32>) -> usize {
    let mut n = 0;
    for yy in y {
        for xx in x.clone() {
            let p = img.pixel(xx, yy);
            if p[0] < 100 && p[1] < 100 && p[2] < 100 {
                n += 1;
            }
        }
    }
    n
}

const TEXT_PAGE: &str = r#"<body style="margin:0;background:#fff">
    <p style="margin:0;position:absolute;left:10px;top:20px;font:32px 'DejaVu Sans';color:#000">Hello</p></body>"#;

#[test]
fn text_is_drawn_in_its_line_box() {
    let img = default().render(TEXT_PAGE, (320, 200));
    assert!(
        dark_in(&img, 10..140, 20..60) > 150,
        "glyphs in the line box"
    );
    assert_eq!(dark_in(&img, 0..320, 80..200), 0, "nothing below it");
}

fn png(rgb: [u8; 3]) -> Vec<u8> {
    Rgba8Image::filled(20, 20, [rgb[0], rgb[1], rgb[2], 255])
        .to_png()
        .unwrap()
}

#[test]
fn an_img_from_a_loopback_http_server() {
    let server = HttpServer::start(vec![("/g.png", Route::File(png(GREEN)))]);
    let html = format!(
        r#"<body style="margin:0;background:#fff"><img src="{}" style="position:absolute;left:0;top:0;width:40px;height:40px"></body>"#,
        server.url("/g.png")
    );
    let img = default().render(&html, (100, 100));
    assert!(close(img.pixel(20, 20), GREEN), "{:?}", img.pixel(20, 20));
}

#[test]
fn a_relative_stylesheet_resolves_against_file_urls() {
    let dir = temp_dir("html-css");
    std::fs::write(
        dir.join("style.css"),
        ".box { background: rgb(0, 128, 0); width: 50px; height: 50px; }",
    )
    .unwrap();
    std::fs::write(
        dir.join("page.html"),
        r#"<html><head><link rel="stylesheet" href="style.css"></head><body style="margin:0;background:#fff"><div class="box"></div></body></html>"#,
    )
    .unwrap();
    let mut h = harness(vec![dir.clone()], &[], HtmlSettings::default());
    let url = vitrine::content::file_uri(&dir.join("page.html"));
    let img = h
        .open(PageSource::Url(url), (100, 100), 1.0)
        .1
        .unwrap()
        .image;
    assert!(close(img.pixel(25, 25), GREEN), "{:?}", img.pixel(25, 25));
    assert!(close(img.pixel(75, 75), WHITE));
}

#[test]
fn resources_outside_the_policy_are_not_loaded_and_the_page_still_renders() {
    let root = temp_dir("html-root");
    let outside = temp_dir("html-outside");
    std::fs::write(outside.join("g.png"), png(GREEN)).unwrap();
    let server = HttpServer::start(vec![("/g.png", Route::File(png(GREEN)))]);
    let html = format!(
        r#"<body style="margin:0;background:#fff">
           <img src="{}" style="position:absolute;left:0;top:0;width:40px;height:40px">
           <img src="{}" style="position:absolute;left:50px;top:0;width:40px;height:40px">
           <div style="position:absolute;left:0;top:50px;width:40px;height:40px;background:#0000ff"></div></body>"#,
        vitrine::content::file_uri(&outside.join("g.png")),
        server.url("/g.png")
    );
    // The root is elsewhere, and only example.com may be fetched.
    let mut h = harness(vec![root], &["example.com"], HtmlSettings::default());
    let source = PageSource::Inline {
        html,
        base_url: None,
    };
    let img = h.open(source, (100, 100), 1.0).1.unwrap().image;
    assert!(
        !close(img.pixel(20, 20), GREEN),
        "a file outside the roots was loaded"
    );
    assert!(
        !close(img.pixel(70, 20), GREEN),
        "a disallowed host was fetched"
    );
    assert!(
        close(img.pixel(20, 70), BLUE),
        "the rest of the page renders"
    );
}

#[test]
fn three_times_the_scale_is_three_times_the_pixels_and_the_same_picture() {
    let mut h = default();
    let src = || PageSource::Inline {
        html: TEXT_PAGE.into(),
        base_url: None,
    };
    let one = h.open(src(), (320, 200), 1.0).1.unwrap().image;
    let three = h.open(src(), (320, 200), 3.0).1.unwrap().image;
    assert_eq!((three.width(), three.height()), (960, 600));
    // Box-filter the 3x page down and compare with the 1x one.
    let mut diff = 0u64;
    for y in 0..200 {
        for x in 0..320 {
            let mut sum = [0u32; 3];
            for dy in 0..3 {
                for dx in 0..3 {
                    let p = three.pixel(x * 3 + dx, y * 3 + dy);
                    for c in 0..3 {
                        sum[c] += u32::from(p[c]);
                    }
                }
            }
            let p = one.pixel(x, y);
            for c in 0..3 {
                diff += u64::from((sum[c] / 9).abs_diff(u32::from(p[c])));
            }
        }
    }
    let mean = diff as f64 / (320.0 * 200.0 * 3.0);
    assert!(mean < 3.0, "mean difference {mean:.2} per channel");
    // And the 3x page really has more detail: sharper glyph edges.
    assert!(dark_in(&three, 30..420, 60..180) > 9 * 150);
}

#[test]
fn oversized_and_pathological_documents_are_refused_at_once() {
    let mut h = harness(vec![], &[], HtmlSettings::default());
    let started = Instant::now();
    let big = format!("<p>{}</p>", "x".repeat(5 * 1024 * 1024));
    let err = h
        .engine
        .open(
            PageSource::Inline {
                html: big,
                base_url: None,
            },
            (320, 200),
            1.0,
        )
        .err();
    assert!(matches!(err, Some(HtmlError::TooLarge { .. })), "{err:?}");
    let deep = "<div>".repeat(100_000);
    let err = h
        .engine
        .open(
            PageSource::Inline {
                html: deep,
                base_url: None,
            },
            (320, 200),
            1.0,
        )
        .err();
    assert!(matches!(err, Some(HtmlError::TooDeep { .. })), "{err:?}");
    assert!(
        started.elapsed() < HtmlSettings::default().render_timeout,
        "refused within the limit"
    );
    // The engine is still healthy.
    let img = h.render("<body style='background:#ff0000'></body>", (50, 50));
    assert!(close(img.pixel(25, 25), RED));
}

#[test]
fn a_render_that_overruns_its_time_limit_is_reported() {
    let settings = HtmlSettings {
        render_timeout: Duration::from_millis(1),
        ..HtmlSettings::default()
    };
    let mut h = harness(vec![], &[], settings);
    let html = format!(
        "<body>{}</body>",
        "<p>many words in many paragraphs</p>".repeat(20_000)
    );
    let (_, result) = h.open(
        PageSource::Inline {
            html,
            base_url: None,
        },
        (960, 540),
        1.0,
    );
    assert!(
        matches!(result, Err(HtmlError::Timeout(_))),
        "{:?}",
        result.err()
    );
}

#[test]
fn links_are_found_where_they_are_drawn() {
    let mut h = default();
    let html = r#"<body style="margin:0"><a href="next.html" style="display:block;position:absolute;left:10px;top:10px;width:100px;height:40px">go</a></body>"#;
    let source = PageSource::Inline {
        html: html.into(),
        base_url: Some("http://example.test/dir/page.html".into()),
    };
    let (page, result) = h.open(source, (320, 200), 1.0);
    result.unwrap();
    h.engine.hit(&page, 50.0, 30.0);
    match h.wait() {
        PageEvent::Hit { href, .. } => {
            assert_eq!(href.as_deref(), Some("http://example.test/dir/next.html"))
        }
        other => panic!("{other:?}"),
    }
    h.engine.hit(&page, 200.0, 150.0);
    match h.wait() {
        PageEvent::Hit { href, .. } => assert_eq!(href, None),
        other => panic!("{other:?}"),
    }
}

#[test]
fn error_cards_render_with_their_text() {
    let html = vitrine::html::error_card_html(
        "Video failed",
        "connection refused",
        "http://127.0.0.1:9/clip.webm",
    );
    let img = default().render(&html, vitrine::html::CARD_VIEWPORT);
    // The card's red background, with white text in the middle.
    let bg = img.pixel(20, 200);
    assert!(bg[0] > 100 && bg[1] < 60, "{bg:?}");
    let mut white = 0;
    for y in 150..300 {
        for x in 100..540 {
            let p = img.pixel(x, y);
            if p[0] > 230 && p[1] > 200 && p[2] > 200 {
                white += 1;
            }
        }
    }
    assert!(white > 500, "text drawn: {white} white pixels");
}

/// The rightmost column with a dark pixel, if any.
fn ink_right(img: &Rgba8Image) -> Option<u32> {
    (0..img.width())
        .rev()
        .find(|&x| (0..img.height()).any(|y| img.pixel(x, y)[0] < 100))
}

#[test]
fn a_web_font_stays_with_the_page_that_loaded_it() {
    // Pages share one font collection; a font one page registers must not
    // reach the next.
    let dir = temp_dir("html-webfont");
    std::fs::copy(
        "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
        dir.join("mono.ttf"),
    )
    .expect("fonts-dejavu-core is installed");
    let mut h = harness(vec![dir.clone()], &[], HtmlSettings::default());
    let base = vitrine::content::file_uri(&dir.join("page.html"));
    let page = |head: &str| PageSource::Inline {
        html: format!(
            "<head>{head}</head><body style='margin:0;background:#fff'><p style=\"margin:0;font:40px 'Only Here';color:#000\">iiiiii</p></body>"
        ),
        base_url: Some(base.clone()),
    };
    let face = "<style>@font-face { font-family: 'Only Here'; src: url('mono.ttf'); }</style>";
    let before = h.open(page(""), (400, 60), 1.0).1.unwrap().image;
    let with = h.open(page(face), (400, 60), 1.0).1.unwrap().image;
    let after = h.open(page(""), (400, 60), 1.0).1.unwrap().image;
    // Six monospaced i's are far wider than six proportional ones.
    let (wide, narrow) = (ink_right(&with).unwrap(), ink_right(&before).unwrap());
    assert!(wide > narrow + 60, "{wide} vs {narrow}");
    assert_eq!(before.pixels(), after.pixels(), "the font stayed");
}

/// One page's resources keep to its budget: past the count or the bytes,
/// the rest are not fetched at all, and the page still renders.
#[test]
fn a_page_fetches_no_more_than_its_resource_budget() {
    let hits = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    const PATHS: [&str; 10] = [
        "/0.png", "/1.png", "/2.png", "/3.png", "/4.png", "/5.png", "/6.png", "/7.png", "/8.png",
        "/9.png",
    ];
    let server = HttpServer::start(
        PATHS
            .iter()
            .map(|p| (*p, Route::Counted(png(GREEN), hits.clone())))
            .collect(),
    );
    let imgs: String = PATHS
        .iter()
        .map(|p| format!(r#"<img src="{}" width="8" height="8">"#, server.url(p)))
        .collect();
    let count = |budget: vitrine::html::ResourceBudget| {
        hits.store(0, std::sync::atomic::Ordering::SeqCst);
        let settings = HtmlSettings {
            resources: budget,
            ..HtmlSettings::default()
        };
        let mut h = harness(vec![], &[], settings);
        let _ = h.render(&format!("<body>{imgs}</body>"), (200, 100));
        hits.load(std::sync::atomic::Ordering::SeqCst)
    };
    let budget = vitrine::html::ResourceBudget::default();
    assert_eq!(count(budget), 10, "all ten within the default budget");
    assert_eq!(
        count(vitrine::html::ResourceBudget { count: 3, ..budget }),
        3,
        "html.max_resources"
    );
    let one_png = png(GREEN).len() as u64;
    assert_eq!(
        count(vitrine::html::ResourceBudget {
            bytes: one_png * 2,
            ..budget
        }),
        2,
        "html.max_resource_bytes: two fit, then nothing more is fetched"
    );
}
