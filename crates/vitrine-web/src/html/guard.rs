//! Parsing under limits: html5ever fed in small chunks through a sink wrapper that counts elements, their depth and the tree builder's steps, so a document past `html.max_depth`, `html.max_elements` or the step limit is dropped after bounded work.
//!
//! html5ever's tree builder scans its stack of open elements for many tokens
//! (is a `<p>` in button scope? is this end tag's element in scope?), so a
//! parse costs about tokens × depth. A byte-level pre-scan cannot know the
//! depth (`<div/>` opens a `<div>`, `</x>` closes nothing, a `<td>` nests
//! inside a table inside a `<td>`), so the depth is measured where it is
//! decided, in the tree builder's own calls to the sink, while the parse
//! runs. The parse is stopped at the end of the chunk where a limit is
//! passed, so a hostile document costs one chunk past the limit, not the
//! minutes a 400,000-deep tree takes.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::hash::Hash;
use std::rc::Rc;

use html5ever::interface::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tokenizer::TokenizerOpts;
use html5ever::tree_builder::TreeBuilderOpts;
use html5ever::{Attribute, ParseOpts, QualName};

/// The shape a document may have once parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TreeLimits {
    /// The deepest element nesting: `<html>` is at depth 1, `<body>` at 2.
    pub max_depth: usize,
    /// The most elements the parser may create.
    pub max_elements: usize,
}

impl TreeLimits {
    /// The most steps the tree builder may take through its stack of open
    /// elements and its list of formatting elements. A document within the
    /// other limits takes a few steps per tag for each level it is deep, so
    /// four per element per level leaves room for any such page; what
    /// passes it is a document of end tags that close nothing, each walked
    /// down a deep stack (about 250 million steps, seconds, in 4 MB).
    pub fn max_steps(&self) -> u64 {
        4 * self.max_elements as u64 * self.max_depth as u64
    }
}

/// Which limit a document passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exceeded {
    Depth,
    Elements,
    Steps,
}

/// The input is fed to the parser this many bytes at a time; the limits are
/// looked at between chunks.
const CHUNK: usize = 4096;

/// What the guard remembers of a node: its depth in elements, and whether it
/// is in a tree (a foster-parented element goes before its table only if the
/// table has a parent).
#[derive(Clone, Copy)]
struct Seen {
    depth: usize,
    attached: bool,
}

/// Wraps a tree sink, forwarding every call, and notes when the tree grows
/// past the limits. Depths are taken when a node is inserted; a subtree the
/// adoption agency moves later keeps its old depths here, which is why the
/// finished tree is measured again with [`shape`].
pub struct Guard<S: TreeSink> {
    inner: S,
    limits: TreeLimits,
    seen: RefCell<HashMap<S::Handle, Seen>>,
    elements: Cell<usize>,
    steps: Cell<u64>,
    max_steps: u64,
    /// Shared, so it can still be read after `finish` consumes the sink.
    verdict: Rc<Cell<Option<Exceeded>>>,
}

impl<S: TreeSink> Guard<S>
where
    S::Handle: Hash + Eq,
{
    pub fn new(inner: S, limits: TreeLimits) -> Self {
        let document = inner.get_document();
        let mut seen = HashMap::new();
        seen.insert(
            document,
            Seen {
                depth: 0,
                attached: true,
            },
        );
        Self {
            inner,
            limits,
            seen: RefCell::new(seen),
            elements: Cell::new(0),
            steps: Cell::new(0),
            max_steps: limits.max_steps(),
            verdict: Rc::new(Cell::new(None)),
        }
    }

    fn exceed(&self, what: Exceeded) {
        if self.verdict.get().is_none() {
            self.verdict.set(Some(what));
        }
    }

    /// Counts one step of the tree builder: it asks for an element's name,
    /// or compares two nodes, for each entry of a stack or list it walks.
    fn step(&self) {
        let steps = self.steps.get() + 1;
        self.steps.set(steps);
        if steps > self.max_steps {
            self.exceed(Exceeded::Steps);
        }
    }

    fn depth_of(&self, node: &S::Handle) -> usize {
        self.seen.borrow().get(node).map_or(0, |s| s.depth)
    }

    fn is_attached(&self, node: &S::Handle) -> bool {
        self.seen.borrow().get(node).is_some_and(|s| s.attached)
    }

    /// Records that `child` now sits at `depth`, if it is an element.
    fn placed(&self, child: &NodeOrText<S::Handle>, depth: usize) {
        if let NodeOrText::AppendNode(handle) = child {
            let mut seen = self.seen.borrow_mut();
            // Only elements are in the map; comments and text do not nest.
            if let Some(s) = seen.get_mut(handle) {
                s.depth = depth;
                s.attached = true;
                if depth > self.limits.max_depth {
                    drop(seen);
                    self.exceed(Exceeded::Depth);
                }
            }
        }
    }
}

impl<S: TreeSink> TreeSink for Guard<S>
where
    S::Handle: Hash + Eq,
{
    type Handle = S::Handle;
    type Output = S::Output;
    type ElemName<'a>
        = S::ElemName<'a>
    where
        Self: 'a;

    fn finish(self) -> Self::Output {
        self.inner.finish()
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {
        // Not forwarded: a hostile document has one error per token, and
        // blitz keeps every message for the life of the parse.
    }

    fn get_document(&self) -> Self::Handle {
        self.inner.get_document()
    }

    fn elem_name<'a>(&'a self, target: &'a Self::Handle) -> Self::ElemName<'a> {
        self.step();
        self.inner.elem_name(target)
    }

    fn create_element(
        &self,
        name: QualName,
        attrs: Vec<Attribute>,
        flags: ElementFlags,
    ) -> Self::Handle {
        let count = self.elements.get() + 1;
        self.elements.set(count);
        if count > self.limits.max_elements {
            self.exceed(Exceeded::Elements);
        }
        let handle = self.inner.create_element(name, attrs, flags);
        self.seen.borrow_mut().insert(
            handle.clone(),
            Seen {
                depth: 0,
                attached: false,
            },
        );
        handle
    }

    fn create_comment(&self, text: StrTendril) -> Self::Handle {
        self.inner.create_comment(text)
    }

    fn create_pi(&self, target: StrTendril, data: StrTendril) -> Self::Handle {
        self.inner.create_pi(target, data)
    }

    fn append(&self, parent: &Self::Handle, child: NodeOrText<Self::Handle>) {
        self.placed(&child, self.depth_of(parent) + 1);
        self.inner.append(parent, child);
    }

    fn append_based_on_parent_node(
        &self,
        element: &Self::Handle,
        prev_element: &Self::Handle,
        child: NodeOrText<Self::Handle>,
    ) {
        // The same choice the sink makes: before `element` if it is in a
        // tree, else inside `prev_element`.
        let depth = if self.is_attached(element) {
            self.depth_of(element)
        } else {
            self.depth_of(prev_element) + 1
        };
        self.placed(&child, depth);
        self.inner
            .append_based_on_parent_node(element, prev_element, child);
    }

    fn append_doctype_to_document(
        &self,
        name: StrTendril,
        public_id: StrTendril,
        system_id: StrTendril,
    ) {
        self.inner
            .append_doctype_to_document(name, public_id, system_id);
    }

    fn mark_script_already_started(&self, node: &Self::Handle) {
        self.inner.mark_script_already_started(node);
    }

    fn pop(&self, node: &Self::Handle) {
        self.inner.pop(node);
    }

    fn get_template_contents(&self, target: &Self::Handle) -> Self::Handle {
        let contents = self.inner.get_template_contents(target);
        // The contents hang below their template, as the tree walk counts
        // them.
        let depth = self.depth_of(target) + 1;
        self.seen.borrow_mut().insert(
            contents.clone(),
            Seen {
                depth,
                attached: true,
            },
        );
        contents
    }

    fn same_node(&self, x: &Self::Handle, y: &Self::Handle) -> bool {
        self.step();
        self.inner.same_node(x, y)
    }

    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.inner.set_quirks_mode(mode);
    }

    fn append_before_sibling(&self, sibling: &Self::Handle, new_node: NodeOrText<Self::Handle>) {
        self.placed(&new_node, self.depth_of(sibling));
        self.inner.append_before_sibling(sibling, new_node);
    }

    fn add_attrs_if_missing(&self, target: &Self::Handle, attrs: Vec<Attribute>) {
        self.inner.add_attrs_if_missing(target, attrs);
    }

    fn associate_with_form(
        &self,
        target: &Self::Handle,
        form: &Self::Handle,
        nodes: (&Self::Handle, Option<&Self::Handle>),
    ) {
        self.inner.associate_with_form(target, form, nodes);
    }

    fn remove_from_parent(&self, target: &Self::Handle) {
        if let Some(s) = self.seen.borrow_mut().get_mut(target) {
            s.attached = false;
        }
        self.inner.remove_from_parent(target);
    }

    fn reparent_children(&self, node: &Self::Handle, new_parent: &Self::Handle) {
        self.inner.reparent_children(node, new_parent);
    }

    fn is_mathml_annotation_xml_integration_point(&self, handle: &Self::Handle) -> bool {
        self.inner
            .is_mathml_annotation_xml_integration_point(handle)
    }

    fn allow_declarative_shadow_roots(&self, intended_parent: &Self::Handle) -> bool {
        self.inner.allow_declarative_shadow_roots(intended_parent)
    }

    fn attach_declarative_shadow(
        &self,
        location: &Self::Handle,
        template: &Self::Handle,
        attrs: &[Attribute],
    ) -> bool {
        self.inner
            .attach_declarative_shadow(location, template, attrs)
    }

    fn maybe_clone_an_option_into_selectedcontent(&self, option: &Self::Handle) {
        self.inner
            .maybe_clone_an_option_into_selectedcontent(option);
    }
}

/// The options blitz parses documents with: no scripting, so `<noscript>`
/// content is parsed as markup and shown.
fn options() -> ParseOpts {
    ParseOpts {
        tokenizer: TokenizerOpts::default(),
        tree_builder: TreeBuilderOpts {
            exact_errors: false,
            scripting_enabled: false,
            iframe_srcdoc: false,
            drop_doctype: true,
            quirks_mode: QuirksMode::NoQuirks,
        },
    }
}

/// Parses `html` into `sink` as an HTML document (never as XML, as a browser
/// does with `text/html`), stopping once a limit is passed. With `prefix`,
/// only the first that many bytes are parsed and nothing is finished: what
/// they already break, the whole document breaks too, because the parse is
/// incremental and the limits only ever grow closer.
pub fn parse<S>(
    sink: S,
    html: &str,
    limits: TreeLimits,
    prefix: Option<usize>,
) -> Result<Option<S::Output>, Exceeded>
where
    S: TreeSink,
    S::Handle: Hash + Eq,
{
    let mut parser = html5ever::parse_document(Guard::new(sink, limits), options());
    let end = prefix.map_or(html.len(), |p| p.min(html.len()));
    let mut at = 0;
    while at < end {
        let mut next = (at + CHUNK).min(end);
        while !html.is_char_boundary(next) {
            next += 1;
        }
        parser.process(StrTendril::from_slice(&html[at..next]));
        at = next;
        if let Some(exceeded) = parser.tokenizer.sink.sink.verdict.get() {
            return Err(exceeded);
        }
    }
    if prefix.is_some() {
        return Ok(None);
    }
    // The end of input can still create elements (an empty document gets
    // `<html>`, `<head>` and `<body>`), so the verdict is read once more.
    let verdict = parser.tokenizer.sink.sink.verdict.clone();
    let output = parser.finish();
    match verdict.get() {
        Some(exceeded) => Err(exceeded),
        None => Ok(Some(output)),
    }
}
