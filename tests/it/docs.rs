//! The documentation's links hold: every relative link in `README.md` and `docs/*.md` names a file that exists, and every `#anchor` a heading of that file (GitHub's slugs, with `-1` for a repeated heading).

use std::collections::BTreeSet;
use std::path::PathBuf;

fn root() -> PathBuf {
    crate::support::repo()
}

/// The Markdown files a reader starts from.
fn documents() -> Vec<PathBuf> {
    let mut files = vec![root().join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    files
}

/// The lines outside fenced code blocks.
fn prose(text: &str) -> Vec<&str> {
    let mut fenced = false;
    text.lines()
        .filter(|l| {
            if l.trim_start().starts_with("```") {
                fenced = !fenced;
                return false;
            }
            !fenced
        })
        .collect()
}

/// A heading's anchor, as GitHub makes it.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == ' ' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

fn anchors(text: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    for line in prose(text) {
        let level = line.chars().take_while(|c| *c == '#').count();
        if (1..=6).contains(&level) && line[level..].starts_with(' ') {
            let base = slug(&line[level..]);
            let mut a = base.clone();
            let mut n = 0;
            while seen.contains(&a) {
                n += 1;
                a = format!("{base}-{n}");
            }
            seen.insert(a);
        }
    }
    seen
}

/// Every `](target)` on a line, code spans left out.
fn links(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_code = false;
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'`' => in_code = !in_code,
            b']' if !in_code && b.get(i + 1) == Some(&b'(') => {
                if let Some(end) = line[i + 2..].find(')') {
                    out.push(line[i + 2..i + 2 + end].to_string());
                    i += 2 + end;
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

#[test]
fn every_relative_link_and_anchor_resolves() {
    let mut bad = Vec::new();
    let mut checked = 0;
    for doc in documents() {
        let text = std::fs::read_to_string(&doc).unwrap();
        let dir = doc.parent().unwrap();
        for line in prose(&text) {
            for target in links(line) {
                if target.contains("://") || target.starts_with("mailto:") {
                    continue;
                }
                checked += 1;
                let (path, anchor) = target.split_once('#').unwrap_or((&target, ""));
                let file = if path.is_empty() {
                    doc.clone()
                } else {
                    dir.join(path)
                };
                let name = doc.strip_prefix(root()).unwrap().display().to_string();
                if !file.exists() {
                    bad.push(format!("{name}: {target}: no such file"));
                    continue;
                }
                if !anchor.is_empty() {
                    let there = std::fs::read_to_string(&file).unwrap_or_default();
                    if !anchors(&there).contains(anchor) {
                        bad.push(format!("{name}: {target}: no such heading"));
                    }
                }
            }
        }
    }
    assert!(
        checked > 50,
        "only {checked} links found: is the reader blind?"
    );
    assert!(bad.is_empty(), "broken links:\n{}", bad.join("\n"));
}

#[test]
fn the_reader_finds_links_anchors_and_skips_code() {
    assert_eq!(
        links("see [a](docs/x.md#b) and `[c](d)` and [e](#f)"),
        vec!["docs/x.md#b".to_string(), "#f".to_string()]
    );
    let a = anchors(
        "# The remote API\n## Security\n```\n# not a heading\n```\n## Security\n### `vitrine ctl`\n",
    );
    let want: BTreeSet<String> = ["the-remote-api", "security", "security-1", "vitrine-ctl"]
        .into_iter()
        .map(String::from)
        .collect();
    assert_eq!(a, want);
}

#[test]
fn the_readme_stays_short_and_points_at_every_page() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let lines = readme.lines().count();
    assert!(
        lines <= 300,
        "README.md has {lines} lines: move detail to docs/"
    );
    for doc in documents().iter().skip(1) {
        let name = doc.file_name().unwrap().to_string_lossy();
        assert!(
            readme.contains(&format!("(docs/{name})")),
            "README.md does not link docs/{name}"
        );
    }
}
