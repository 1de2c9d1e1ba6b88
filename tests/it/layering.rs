//! Layering: the pure crates (scene, API model) depend on no platform crate (read from Cargo.lock, as Cargo resolved it), and no file of a crate imports a file that imports it back.
//!
//! The rule these tests enforce, file by file:
//!
//! - A file *imports* another file when it names a path that resolves into
//!   it. Paths are read from `use` items (grouped, nested, multi-line, renamed
//!   and glob forms alike), from paths in code that start at `crate`, `self`,
//!   `super`, a child module or a module brought in by `use`, and from
//!   `crate::`/`self::`/`super::` paths written as whole strings (serde's
//!   `with = "..."`). `vitrine::` paths in the binary resolve into the library.
//! - A path resolves to the file of the deepest module it names. `mod.rs` is
//!   the file of its directory's module, so `crate::config::Config` resolves to
//!   `src/config/mod.rs` wherever `Config` is defined, and a `pub use` in
//!   `mod.rs` is an import of the file it re-exports from: re-exports are
//!   imports.
//! - `mod x;` is a declaration, not an import, so a parent declaring a child
//!   that uses `super::Thing` is no cycle. A file naming itself (an inline
//!   `mod tests { use super::*; }`) is no edge. Comments and doc links are not
//!   imports; test code is.
//! - A cycle is a strongly connected set of two or more files. The test fails
//!   on any, naming one loop through it.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

/// The platform crates the pure crates must never depend on, even through
/// another crate.
const PLATFORM: &[&str] = &[
    "wgpu",
    "winit",
    "gstreamer",
    "blitz-dom",
    "blitz-html",
    "tokio",
    "rumqttc",
    "thrift",
    "ureq",
    "rustls",
];

/// The package's two crates: the library, and the `vitrine` binary that
/// names it as `vitrine::`.
const LIB: usize = 0;
const BIN: usize = 1;

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    PathSep,
    Punct(char),
}

#[derive(Clone, Debug)]
struct Token {
    tok: Tok,
    line: usize,
}

/// Splits Rust source into identifiers, strings, `::` and punctuation. Comments
/// go; char literals and lifetimes are told apart so that `'{'` does not open
/// a block.
fn lex(src: &str) -> Vec<Token> {
    let c: Vec<char> = src.chars().collect();
    let newlines: Vec<usize> = (0..c.len()).filter(|&i| c[i] == '\n').collect();
    let line_of = |i: usize| newlines.partition_point(|&n| n < i) + 1;
    let is_ident = |ch: char| ch == '_' || ch.is_alphanumeric();
    let mut out = Vec::new();
    let mut push = |tok: Tok, at: usize| {
        out.push(Token {
            tok,
            line: line_of(at),
        })
    };
    let mut i = 0;
    while i < c.len() {
        let ch = c[i];
        let next = c.get(i + 1).copied();
        if ch.is_whitespace() {
            i += 1;
        } else if ch == '/' && next == Some('/') {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if ch == '/' && next == Some('*') {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if ch == '"' {
            let (s, end) = quoted(&c, i + 1);
            push(Tok::Str(s), i);
            i = end;
        } else if ch == '\'' {
            i = skip_quote(&c, i);
        } else if ch.is_ascii_digit() {
            while i < c.len()
                && (is_ident(c[i])
                    || (c[i] == '.' && c.get(i + 1).is_some_and(|d| d.is_ascii_digit())))
            {
                i += 1;
            }
        } else if ch == '_' || ch.is_alphabetic() {
            let start = i;
            while i < c.len() && is_ident(c[i]) {
                i += 1;
            }
            let word: String = c[start..i].iter().collect();
            let after = c.get(i).copied();
            if matches!(word.as_str(), "r" | "br" | "cr") && matches!(after, Some('"' | '#')) {
                let mut hashes = 0;
                let mut j = i;
                while c.get(j) == Some(&'#') {
                    hashes += 1;
                    j += 1;
                }
                if c.get(j) == Some(&'"') {
                    let body = j + 1;
                    let mut k = body;
                    while k < c.len()
                        && !(c[k] == '"' && (1..=hashes).all(|h| c.get(k + h) == Some(&'#')))
                    {
                        k += 1;
                    }
                    push(Tok::Str(c[body..k.min(c.len())].iter().collect()), start);
                    i = k + 1 + hashes;
                } else {
                    // A raw identifier such as `r#type`: never a keyword.
                    let name = j;
                    while j < c.len() && is_ident(c[j]) {
                        j += 1;
                    }
                    let raw: String = c[name..j].iter().collect();
                    push(Tok::Ident(format!("r#{raw}")), start);
                    i = j;
                }
            } else if matches!(word.as_str(), "b" | "c") && after == Some('"') {
                let (s, end) = quoted(&c, i + 1);
                push(Tok::Str(s), start);
                i = end;
            } else if word == "b" && after == Some('\'') {
                i = skip_quote(&c, i);
            } else {
                push(Tok::Ident(word), start);
            }
        } else if ch == ':' && next == Some(':') {
            push(Tok::PathSep, i);
            i += 2;
        } else {
            push(Tok::Punct(ch), i);
            i += 1;
        }
    }
    out
}

/// Reads a string body from just after its opening quote; returns the body
/// and the index after the closing quote.
fn quoted(c: &[char], mut i: usize) -> (String, usize) {
    let start = i;
    while i < c.len() && c[i] != '"' {
        if c[i] == '\\' {
            i += 1;
        }
        i += 1;
    }
    let end = i.min(c.len());
    (c[start..end].iter().collect(), end + 1)
}

/// Skips a char literal (`'x'`, `'\n'`, `'\''`) or a lifetime (`'a`) that
/// starts at the quote at `i`; returns the index after it.
fn skip_quote(c: &[char], i: usize) -> usize {
    if c.get(i + 1) == Some(&'\\') {
        let mut j = i + 3;
        while j < c.len() && c[j] != '\'' {
            j += 1;
        }
        j + 1
    } else if c.get(i + 2) == Some(&'\'') {
        i + 3
    } else {
        let mut j = i + 1;
        while j < c.len() && (c[j] == '_' || c[j].is_alphanumeric()) {
            j += 1;
        }
        j
    }
}

/// One name a `use` item brings in: its full path and the name it binds
/// (`None` for a glob).
#[derive(Debug, PartialEq)]
struct UseLeaf {
    path: Vec<String>,
    name: Option<String>,
}

/// Parses one use tree at `pos` under `prefix`, flattening groups into leaves.
fn parse_use(toks: &[Token], pos: &mut usize, prefix: &[String], out: &mut Vec<UseLeaf>) {
    let tok = |p: usize| toks.get(p).map(|t| &t.tok);
    let mut path = prefix.to_vec();
    if tok(*pos) == Some(&Tok::PathSep) {
        *pos += 1;
        // A leading `::` names an external crate.
        if path.is_empty() {
            path.push("::".into());
        }
    }
    loop {
        match tok(*pos) {
            Some(Tok::Ident(s)) => {
                path.push(s.clone());
                *pos += 1;
            }
            Some(Tok::Punct('*')) => {
                *pos += 1;
                out.push(UseLeaf { path, name: None });
                return;
            }
            Some(Tok::Punct('{')) => {
                *pos += 1;
                while let Some(t) = tok(*pos) {
                    match t {
                        Tok::Punct('}') => {
                            *pos += 1;
                            break;
                        }
                        Tok::Punct(',') => *pos += 1,
                        _ => {
                            let before = *pos;
                            parse_use(toks, pos, &path, out);
                            if *pos == before {
                                *pos += 1;
                            }
                        }
                    }
                }
                return;
            }
            _ => break,
        }
        if tok(*pos) == Some(&Tok::PathSep) {
            *pos += 1;
        } else {
            break;
        }
    }
    if path.last().is_some_and(|s| s == "self") {
        path.pop();
    }
    let mut name = path.last().cloned();
    if tok(*pos) == Some(&Tok::Ident("as".into())) {
        name = match tok(*pos + 1) {
            Some(Tok::Ident(n)) => Some(n.clone()),
            _ => None,
        };
        *pos += 2;
    }
    out.push(UseLeaf { path, name });
}

/// A path named in a file, in the inline module `within` (relative to the
/// file's own module).
#[derive(Debug)]
struct Ref {
    within: Vec<String>,
    path: Vec<String>,
    /// The name a `use` binds; `None` for code paths and globs.
    binds: Option<String>,
    line: usize,
}

/// What one file declares and names.
#[derive(Debug, Default)]
struct Scan {
    /// `mod x;` declarations: the inline module they sit in, and `x`.
    declared: Vec<(Vec<String>, String)>,
    /// Inline `mod x { ... }` modules, relative to the file's module.
    inline: Vec<Vec<String>>,
    refs: Vec<Ref>,
}

fn is_path_string(s: &str) -> bool {
    let mut parts = s.split("::");
    let first = parts.next().unwrap_or("");
    matches!(first, "crate" | "self" | "super")
        && s.contains("::")
        && parts.all(|p| !p.is_empty() && p.chars().all(|c| c == '_' || c.is_alphanumeric()))
}

fn scan(toks: &[Token]) -> Scan {
    let tok = |p: usize| toks.get(p).map(|t| &t.tok);
    let mut out = Scan::default();
    // Open inline modules and the brace depth just outside each.
    let mut stack: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < toks.len() {
        let within: Vec<String> = stack.iter().map(|(n, _)| n.clone()).collect();
        let line = toks[i].line;
        match &toks[i].tok {
            Tok::Punct('{') => depth += 1,
            Tok::Punct('}') => {
                depth = depth.saturating_sub(1);
                if stack.last().is_some_and(|(_, d)| *d == depth) {
                    stack.pop();
                }
            }
            Tok::Ident(k) if k == "mod" => {
                if let Some(Tok::Ident(name)) = tok(i + 1) {
                    match tok(i + 2) {
                        Some(Tok::Punct(';')) => out.declared.push((within, name.clone())),
                        Some(Tok::Punct('{')) => {
                            let mut inner = within;
                            inner.push(name.clone());
                            out.inline.push(inner);
                            stack.push((name.clone(), depth));
                            depth += 1;
                            i += 3;
                            continue;
                        }
                        _ => {}
                    }
                }
            }
            // `use<'a>` is precise capturing, not an import.
            Tok::Ident(k) if k == "use" && tok(i + 1) != Some(&Tok::Punct('<')) => {
                let mut pos = i + 1;
                let mut leaves = Vec::new();
                parse_use(toks, &mut pos, &[], &mut leaves);
                for leaf in leaves {
                    out.refs.push(Ref {
                        within: within.clone(),
                        path: leaf.path,
                        binds: leaf.name,
                        line,
                    });
                }
                i = pos;
                continue;
            }
            Tok::Ident(first)
                if tok(i + 1) == Some(&Tok::PathSep)
                    && (i == 0 || toks[i - 1].tok != Tok::PathSep) =>
            {
                let mut path = vec![first.clone()];
                let mut j = i + 1;
                while tok(j) == Some(&Tok::PathSep) {
                    let Some(Tok::Ident(s)) = tok(j + 1) else {
                        break;
                    };
                    path.push(s.clone());
                    j += 2;
                }
                out.refs.push(Ref {
                    within,
                    path,
                    binds: None,
                    line,
                });
                i = j;
                continue;
            }
            Tok::Str(s) if is_path_string(s) => out.refs.push(Ref {
                within,
                path: s.split("::").map(String::from).collect(),
                binds: None,
                line,
            }),
            _ => {}
        }
        i += 1;
    }
    out
}

struct File {
    /// Relative to the package root, with `/`: `src/config/mod.rs`.
    rel: String,
    krate: usize,
    module: Vec<String>,
    scan: Scan,
    /// Modules bound to a name by `use`, so `config::duration::parse` after
    /// `use vitrine::config;` resolves.
    aliases: HashMap<String, (usize, Vec<String>)>,
}

/// Why one file imports another: the first line that does, and the path.
type Evidence = (usize, String);

struct Graph {
    files: Vec<File>,
    modules: HashMap<(usize, Vec<String>), usize>,
    edges: BTreeMap<usize, BTreeMap<usize, Evidence>>,
    /// Every path, resolved or not, for the checks on external crates.
    unresolved: Vec<(usize, Ref)>,
    missing: Vec<String>,
}

impl Graph {
    /// Reads a package's crates, following `mod` declarations from their
    /// `roots` (`src/lib.rs` as [`LIB`], `src/main.rs` as [`BIN`]).
    fn build(read: &dyn Fn(&str) -> Option<String>, roots: &[(&str, usize)]) -> Graph {
        let mut g = Graph {
            files: Vec::new(),
            modules: HashMap::new(),
            edges: BTreeMap::new(),
            unresolved: Vec::new(),
            missing: Vec::new(),
        };
        let mut queue: VecDeque<(String, usize, Vec<String>)> = roots
            .iter()
            .map(|(rel, krate)| (rel.to_string(), *krate, Vec::new()))
            .collect();
        while let Some((rel, krate, module)) = queue.pop_front() {
            let Some(text) = read(&rel) else {
                g.missing.push(rel);
                continue;
            };
            let scan = scan(&lex(&text));
            let index = g.files.len();
            g.modules.insert((krate, module.clone()), index);
            for inner in &scan.inline {
                g.modules
                    .insert((krate, [module.clone(), inner.clone()].concat()), index);
            }
            let (parent, stem) = rel.rsplit_once('/').unwrap_or(("", &rel));
            let stem = stem.trim_end_matches(".rs");
            let dir = if module.is_empty() || stem == "mod" {
                parent.to_string()
            } else {
                format!("{parent}/{stem}")
            };
            for (within, name) in &scan.declared {
                let sub: String = within.iter().map(|w| format!("/{w}")).collect();
                let flat = format!("{dir}{sub}/{name}.rs");
                let nested = format!("{dir}{sub}/{name}/mod.rs");
                let child = if read(&flat).is_some() { flat } else { nested };
                let path = [module.clone(), within.clone(), vec![name.clone()]].concat();
                queue.push_back((child, krate, path));
            }
            g.files.push(File {
                rel,
                krate,
                module,
                scan,
                aliases: HashMap::new(),
            });
        }
        for f in 0..g.files.len() {
            for r in 0..g.files[f].scan.refs.len() {
                let r = &g.files[f].scan.refs[r];
                if let (Some(name), Some(target)) = (&r.binds, g.absolute(f, &r.within, &r.path))
                    && g.modules.contains_key(&target)
                {
                    let name = name.clone();
                    g.files[f].aliases.insert(name, target);
                }
            }
        }
        for f in 0..g.files.len() {
            let refs = std::mem::take(&mut g.files[f].scan.refs);
            for r in refs {
                match g.resolve(f, &r.within, &r.path) {
                    Some(t) if t != f => {
                        g.edges
                            .entry(f)
                            .or_default()
                            .entry(t)
                            .or_insert((r.line, r.path.join("::")));
                    }
                    Some(_) => {}
                    None => g.unresolved.push((f, r)),
                }
            }
        }
        g
    }

    /// The crate and absolute path a path names, or `None` when it starts
    /// outside this package.
    fn absolute(
        &self,
        file: usize,
        within: &[String],
        path: &[String],
    ) -> Option<(usize, Vec<String>)> {
        let f = &self.files[file];
        let here = [f.module.clone(), within.to_vec()].concat();
        let first = path.first()?.as_str();
        match first {
            "crate" => Some((f.krate, path[1..].to_vec())),
            "self" => Some((f.krate, [here, path[1..].to_vec()].concat())),
            "super" => {
                let mut base = here;
                let mut k = 0;
                while path.get(k).is_some_and(|s| s == "super") {
                    base.pop()?;
                    k += 1;
                }
                Some((f.krate, [base, path[k..].to_vec()].concat()))
            }
            "vitrine" if f.krate == BIN => Some((LIB, path[1..].to_vec())),
            _ => {
                let child = [here.clone(), vec![first.to_string()]].concat();
                if self.modules.contains_key(&(f.krate, child)) {
                    Some((f.krate, [here, path.to_vec()].concat()))
                } else {
                    let (krate, module) = f.aliases.get(first)?;
                    Some((*krate, [module.clone(), path[1..].to_vec()].concat()))
                }
            }
        }
    }

    /// The file of the deepest module a path names.
    fn resolve(&self, file: usize, within: &[String], path: &[String]) -> Option<usize> {
        let (krate, mut full) = self.absolute(file, within, path)?;
        loop {
            if let Some(&index) = self.modules.get(&(krate, full.clone())) {
                return Some(index);
            }
            full.pop()?;
        }
    }

    fn rel(&self, f: usize) -> &str {
        &self.files[f].rel
    }

    /// Files that import each other, directly or through others: the
    /// strongly connected components of two or more files (Tarjan).
    fn cycles(&self) -> Vec<Vec<usize>> {
        struct Walk<'a> {
            g: &'a Graph,
            next: usize,
            index: Vec<Option<usize>>,
            low: Vec<usize>,
            stack: Vec<usize>,
            on_stack: Vec<bool>,
            out: Vec<Vec<usize>>,
        }
        fn visit(w: &mut Walk, v: usize) {
            w.index[v] = Some(w.next);
            w.low[v] = w.next;
            w.next += 1;
            w.stack.push(v);
            w.on_stack[v] = true;
            let targets: Vec<usize> =
                w.g.edges
                    .get(&v)
                    .map(|e| e.keys().copied().collect())
                    .unwrap_or_default();
            for t in targets {
                match w.index[t] {
                    None => {
                        visit(w, t);
                        w.low[v] = w.low[v].min(w.low[t]);
                    }
                    Some(i) if w.on_stack[t] => w.low[v] = w.low[v].min(i),
                    Some(_) => {}
                }
            }
            if Some(w.low[v]) == w.index[v] {
                let mut scc = Vec::new();
                while let Some(t) = w.stack.pop() {
                    w.on_stack[t] = false;
                    scc.push(t);
                    if t == v {
                        break;
                    }
                }
                if scc.len() > 1 {
                    w.out.push(scc);
                }
            }
        }
        let n = self.files.len();
        let mut w = Walk {
            g: self,
            next: 0,
            index: vec![None; n],
            low: vec![0; n],
            stack: Vec::new(),
            on_stack: vec![false; n],
            out: Vec::new(),
        };
        for v in 0..n {
            if w.index[v].is_none() {
                visit(&mut w, v);
            }
        }
        w.out
    }

    /// The sorted file names of a cycle.
    fn names(&self, scc: &[usize]) -> Vec<String> {
        let mut names: Vec<String> = scc.iter().map(|&f| self.rel(f).to_string()).collect();
        names.sort();
        names
    }

    /// One shortest loop through the first file of a cycle, each step with
    /// the line and path that make it.
    fn describe(&self, scc: &[usize]) -> String {
        let members: BTreeSet<usize> = scc.iter().copied().collect();
        let start = *members.first().expect("a cycle has files");
        let mut came_from: HashMap<usize, usize> = HashMap::new();
        let mut queue = VecDeque::from([start]);
        'search: while let Some(v) = queue.pop_front() {
            for &t in self.edges.get(&v).map(|e| e.keys()).into_iter().flatten() {
                if !members.contains(&t) || came_from.contains_key(&t) {
                    continue;
                }
                came_from.insert(t, v);
                if t == start {
                    break 'search;
                }
                queue.push_back(t);
            }
        }
        let mut path = vec![start];
        let mut at = start;
        while let Some(&prev) = came_from.get(&at) {
            path.push(prev);
            if prev == start {
                break;
            }
            at = prev;
        }
        path.reverse();
        let steps: Vec<String> = path
            .windows(2)
            .map(|w| {
                let (line, via) = &self.edges[&w[0]][&w[1]];
                format!(
                    "  {}:{line} ({via}) imports {}",
                    self.rel(w[0]),
                    self.rel(w[1])
                )
            })
            .collect();
        format!("cycle of {:?}:\n{}", self.names(scc), steps.join("\n"))
    }
}

/// The app's crate, `crates/vitrine`: its library and its binary.
fn package() -> Graph {
    let root = crate::support::repo().join("crates/vitrine");
    Graph::build(
        &|rel: &str| std::fs::read_to_string(root.join(rel)).ok(),
        &[("src/lib.rs", LIB), ("src/main.rs", BIN)],
    )
}

/// A library crate of the workspace, under `crates/`.
fn library(name: &str) -> Graph {
    let root = crate::support::repo().join("crates").join(name);
    Graph::build(
        &|rel: &str| std::fs::read_to_string(root.join(rel)).ok(),
        &[("src/lib.rs", LIB)],
    )
}

/// Every package `name` depends on, directly or not, as Cargo.lock records
/// what Cargo resolved (dev-dependencies included, which only widens it).
fn resolved_dependencies(name: &str) -> BTreeSet<String> {
    let root = &crate::support::repo();
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).expect("Cargo.lock is readable");
    let mut deps: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for package in lock.split("[[package]]").skip(1) {
        let field = |key: &str| {
            package
                .lines()
                .find_map(|l| l.strip_prefix(key))
                .map(|v| v.trim().trim_matches('"').to_string())
        };
        let Some(package_name) = field("name = ") else {
            continue;
        };
        let list = package
            .split("dependencies = [")
            .nth(1)
            .and_then(|d| d.split(']').next())
            .unwrap_or("");
        // An entry is "name" or "name version" when two versions exist.
        let names = list
            .split(',')
            .filter_map(|e| e.trim().trim_matches('"').split(' ').next())
            .filter(|n| !n.is_empty())
            .map(String::from);
        deps.entry(package_name).or_default().extend(names);
    }
    let mut seen = BTreeSet::new();
    let mut todo = vec![name.to_string()];
    while let Some(p) = todo.pop() {
        for d in deps.get(&p).into_iter().flatten() {
            if seen.insert(d.clone()) {
                todo.push(d.clone());
            }
        }
    }
    seen
}

#[test]
fn the_reader_sees_every_form_of_import() {
    let tree: HashMap<&str, &str> = HashMap::from([
        ("src/lib.rs", "pub mod a;\npub mod b;\nmod c;\n"),
        ("src/main.rs", "mod cli;\nuse vitrine::a::Thing;\n"),
        ("src/cli.rs", "pub fn f() {}\n"),
        (
            "src/a/mod.rs",
            "mod inner;\npub use inner::X;\nuse crate::{\n    b::{self, Y as Z},\n};\n\
             fn f() { let s = \"crate::c::no { \"; let c = '{'; }\n\
             // crate::c::in_a_comment\nmod m {}\nuse super::c::K;\n",
        ),
        (
            "src/a/inner.rs",
            "#[derive(serde::Serialize)]\npub struct X {\n    #[serde(with = \"crate::c\")]\n    d: u8,\n}\n\
             #[cfg(test)]\nmod tests {\n    use super::*;\n}\n",
        ),
        ("src/b.rs", "pub struct Y;\nfn g() { super::a::f(); }\n"),
        (
            "src/c.rs",
            "use crate::a as alpha;\nfn h<'a>(x: &'a str) -> u8 { alpha::inner::X }\n",
        ),
    ]);
    let g = Graph::build(
        &|rel: &str| tree.get(rel).map(|s| s.to_string()),
        &[("src/lib.rs", LIB), ("src/main.rs", BIN)],
    );
    assert!(g.missing.is_empty(), "{:?}", g.missing);
    let mut edges = BTreeSet::new();
    for (from, targets) in &g.edges {
        for to in targets.keys() {
            edges.insert((g.rel(*from).to_string(), g.rel(*to).to_string()));
        }
    }
    let expected: BTreeSet<(String, String)> = [
        ("src/main.rs", "src/a/mod.rs"),
        ("src/a/mod.rs", "src/a/inner.rs"),
        ("src/a/mod.rs", "src/b.rs"),
        ("src/a/mod.rs", "src/c.rs"),
        ("src/a/inner.rs", "src/c.rs"),
        ("src/b.rs", "src/a/mod.rs"),
        ("src/c.rs", "src/a/mod.rs"),
        ("src/c.rs", "src/a/inner.rs"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(edges, expected);
    let cycles: Vec<Vec<String>> = g.cycles().iter().map(|c| g.names(c)).collect();
    assert_eq!(
        cycles,
        vec![vec![
            "src/a/inner.rs",
            "src/a/mod.rs",
            "src/b.rs",
            "src/c.rs"
        ]]
    );
    let described = g.describe(&g.cycles()[0]);
    assert!(described.contains("imports"), "{described}");
}

/// The pure crates of the workspace: the scene and the API model.
const PURE_CRATES: &[&str] = &[
    "vitrine-scene",
    "vitrine-api",
    "vitrine-plan",
    "vitrine-pixels",
    "vitrine-wake",
];

#[test]
fn the_pure_crates_depend_on_no_platform_crate() {
    let app = resolved_dependencies("vitrine");
    assert!(
        PLATFORM.iter().all(|p| app.contains(*p)),
        "the check knows the platform crates by their names: {app:?}"
    );
    assert!(resolved_dependencies("vitrine-scene").contains("glam"));
    assert!(resolved_dependencies("vitrine-api").contains("serde_json"));
    for krate in PURE_CRATES {
        let deps = resolved_dependencies(krate);
        let bad: Vec<_> = PLATFORM.iter().filter(|p| deps.contains(**p)).collect();
        assert!(bad.is_empty(), "{krate} depends on {bad:?}");
    }
    // The API model owns its wire types: it never needs the scene's.
    let api = resolved_dependencies("vitrine-api");
    assert!(!api.contains("vitrine-scene"), "{api:?}");
}

/// The packages `cargo tree` shows for `krate`'s normal dependencies on
/// this machine's target (Cargo.lock also lists other targets' packages,
/// such as wgpu's WebAssembly-only ones).
fn cargo_tree(krate: &str) -> BTreeSet<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
        .current_dir(crate::support::repo())
        .args(["tree", "--offline", "-e", "normal", "--prefix", "none"])
        .args(["-f", "{p}", "-p", krate])
        .output()
        .expect("cargo tree runs");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(String::from)
        .collect()
}

/// Each platform side knows its own platform crates and none of the
/// others': the renderer wgpu, media GStreamer, web content blitz and its
/// HTTP client, the front ends their protocols (rumqttc runs on tokio).
/// Only the front ends know the API model, and only the renderer the scene. (The app, which drives them all, is a
/// crate none of them can name: Cargo holds that.)
#[test]
fn each_platform_side_knows_only_its_own_platform() {
    for (krate, own) in [
        ("vitrine-render", &["wgpu"][..]),
        ("vitrine-media", &["gstreamer"][..]),
        (
            "vitrine-web",
            &["blitz-dom", "blitz-html", "ureq", "rustls"][..],
        ),
    ] {
        let deps = cargo_tree(krate);
        assert!(own.iter().all(|o| deps.contains(*o)), "{krate}: {deps:?}");
        let bad: Vec<_> = PLATFORM
            .iter()
            .filter(|p| !own.contains(p) && deps.contains(**p))
            .collect();
        assert!(bad.is_empty(), "{krate} depends on {bad:?}");
        // The front ends speak the API model; the platform sides do not.
        assert_eq!(
            deps.contains("vitrine-api"),
            krate == "vitrine-serve",
            "{krate}: {deps:?}"
        );
        assert!(!deps.contains("vitrine-scene") || krate == "vitrine-render");
    }
}

#[test]
fn no_file_imports_a_file_that_imports_it_back() {
    let g = package();
    assert!(
        g.missing.is_empty(),
        "declared modules without a file: {:?}",
        g.missing
    );
    // A reader that sees nothing finds no cycles; make sure it sees one
    // known import in each crate.
    let edge = |g: &Graph, a: &str, b: &str| {
        g.edges
            .iter()
            .any(|(f, t)| g.rel(*f) == a && t.keys().any(|t| g.rel(*t) == b))
    };
    assert!(edge(&g, "src/app/kiosk/power.rs", "src/app/power/mod.rs"));
    let bad: Vec<String> = g.cycles().iter().map(|scc| g.describe(scc)).collect();
    assert!(bad.is_empty(), "import cycles:\n{}", bad.join("\n"));

    for (krate, from, to) in [
        ("vitrine-scene", "src/scatter.rs", "src/geometry.rs"),
        ("vitrine-api", "src/answer.rs", "src/dispatch.rs"),
        ("vitrine-plan", "src/schedule.rs", "src/entry.rs"),
        ("vitrine-render", "src/lib.rs", "src/quad.rs"),
        ("vitrine-media", "src/player.rs", "src/bus.rs"),
        ("vitrine-web", "src/html/net.rs", "src/content/mod.rs"),
        ("vitrine-config", "src/validate.rs", "src/error.rs"),
        ("vitrine-serve", "src/thrift/conn.rs", "src/listen/mod.rs"),
    ] {
        let lib = library(krate);
        assert!(lib.missing.is_empty(), "{krate}: {:?}", lib.missing);
        assert!(edge(&lib, from, to), "{krate}: {from} imports {to}");
        let bad: Vec<String> = lib.cycles().iter().map(|scc| lib.describe(scc)).collect();
        assert!(
            bad.is_empty(),
            "import cycles in {krate}:\n{}",
            bad.join("\n")
        );
    }
}

/// The "Layout" of `docs/architecture.md` lists every file under each
/// crate's `crates/*/src/`, and only those, so the map a new engineer
/// reads matches the tree.
#[test]
fn the_architecture_layout_lists_every_source_file() {
    let root = &crate::support::repo();
    let doc = std::fs::read_to_string(root.join("docs/architecture.md")).unwrap();
    let section = doc
        .split("\n## Layout\n")
        .nth(1)
        .expect("docs/architecture.md has a Layout section");
    let block = section
        .split("```text\n")
        .nth(1)
        .and_then(|b| b.split("\n```").next())
        .expect("the Layout section has a text block");
    let listed: BTreeSet<String> = block
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|p| p.starts_with("crates/") && p.ends_with(".rs"))
        .map(str::to_string)
        .collect();
    let mut on_disk = BTreeSet::new();
    let mut dirs = Vec::new();
    for krate in std::fs::read_dir(root.join("crates")).unwrap() {
        dirs.push(krate.unwrap().path().join("src"));
    }
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                on_disk.insert(rel);
            }
        }
    }
    let missing: Vec<_> = on_disk.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&on_disk).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "the Layout in docs/architecture.md is out of date: missing {missing:?}, not in the tree {stale:?}"
    );
}
