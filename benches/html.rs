//! HTML benchmarks: posting a ~50 KB reference page at 1280x720 until its texture is ready, re-painting it at 2x, and posting an error card.

use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use vitrine::html::{
    HtmlEngine, HtmlSettings, PageEvent, PageHandle, PageSource, Rendered, error_card_html,
};
use vitrine::render::{RenderOptions, Renderer};
use vitrine::scene::ContentKey;
use vitrine::wake::Signal;

/// About 50 KB: headings, paragraphs, a flex grid of 12 cards, and CSS.
fn reference_page() -> String {
    let words = "Autumn light falls on the shelves of the shop, where wool, linen and waxed cotton wait for the first cold morning of the year. ";
    let mut cards = String::new();
    for i in 0..12 {
        cards.push_str(&format!(
            "<article class='card'><h3>Item {i}</h3><p>{}</p><span class='price'>€{}.00</span></article>",
            words.repeat(3),
            20 + i * 5
        ));
    }
    let mut sections = String::new();
    for i in 0..30 {
        sections.push_str(&format!("<h2>Section {i}</h2><p>{}</p>", words.repeat(12)));
    }
    format!(
        "<!DOCTYPE html><html><head><style>
        body {{ margin: 0; font-family: 'DejaVu Sans', sans-serif; background: #faf7f2; color: #2b2520; }}
        header {{ background: #2b2520; color: #faf7f2; padding: 24px 40px; }}
        h1 {{ margin: 0; font-size: 42px; }} h2 {{ margin: 24px 40px 8px; }} p {{ margin: 0 40px 12px; line-height: 1.5; }}
        .grid {{ display: flex; flex-wrap: wrap; gap: 16px; padding: 24px 40px; }}
        .card {{ flex: 0 0 280px; background: #fff; border-radius: 12px; padding: 16px; box-shadow: 0 2px 6px rgba(0,0,0,0.15); }}
        .card h3 {{ margin: 0 0 8px; }} .card p {{ margin: 0 0 8px; font-size: 13px; }}
        .price {{ font-weight: bold; color: #c0392b; }}
        </style></head><body><header><h1>The autumn catalogue</h1></header>
        <div class='grid'>{cards}</div>{sections}</body></html>"
    )
}

fn wait(engine: &mut HtmlEngine, signal: &Signal) -> Rendered {
    loop {
        if let Some(PageEvent::Rendered { result, .. }) = engine.poll() {
            return result.expect("the page renders");
        }
        signal.wait(Some(Duration::from_millis(20)));
    }
}

fn html(c: &mut Criterion) {
    let page = reference_page();
    assert!(
        (40_000..70_000).contains(&page.len()),
        "{} bytes",
        page.len()
    );
    let signal = Arc::new(Signal::default());
    let policy = Arc::new(vitrine::settings::policy(&Default::default(), None));
    let mut engine = HtmlEngine::new(policy, HtmlSettings::default(), signal.clone());
    let mut renderer = Renderer::headless(&RenderOptions::default()).expect("a GPU adapter");
    let mut group = c.benchmark_group("html");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(10));

    group.bench_function("post_50kb_page_1280x720_until_texture", |b| {
        b.iter(|| {
            let source = PageSource::Inline {
                html: page.clone(),
                base_url: None,
            };
            let (_page, _) = engine.open(source, (1280, 720), 1.0).unwrap();
            let r = wait(&mut engine, &signal);
            renderer.upload_page(ContentKey(1), &r.image);
            renderer.wait_idle();
        })
    });

    let source = PageSource::Inline {
        html: page.clone(),
        base_url: None,
    };
    let (kept, _): (PageHandle, u64) = engine.open(source, (1280, 720), 1.0).unwrap();
    wait(&mut engine, &signal);
    group.bench_function("repaint_at_2x", |b| {
        b.iter(|| {
            engine.render(&kept, 2.0);
            let r = wait(&mut engine, &signal);
            renderer.upload_page(ContentKey(2), &r.image);
            renderer.wait_idle();
        })
    });

    group.bench_function("post_error_card", |b| {
        b.iter(|| {
            let source = PageSource::Inline {
                html: error_card_html(
                    "Video failed",
                    "Could not connect: connection refused",
                    "http://10.0.0.7/promo.mp4",
                ),
                base_url: None,
            };
            let (_page, _) = engine
                .open(source, vitrine::html::CARD_VIEWPORT, 1.0)
                .unwrap();
            let r = wait(&mut engine, &signal);
            renderer.upload_page(ContentKey(3), &r.image);
            renderer.wait_idle();
        })
    });
    group.finish();
}

criterion_group!(benches, html);
criterion_main!(benches);
