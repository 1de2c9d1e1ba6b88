//! The shape of a parsed tree (depth and element count, by an iterative walk), and a skeleton tree sink that keeps only elements and their parents, for checking a document without building a blitz DOM.

use std::borrow::Cow;
use std::cell::{Ref, RefCell};

use html5ever::interface::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::StrTendril;
use html5ever::{Attribute, QualName, local_name, ns};

use super::guard::{Exceeded, TreeLimits};

/// How deep and how large a parsed tree is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Shape {
    /// The deepest element: `<html>` is at depth 1.
    pub depth: usize,
    /// Elements in the tree, template contents included.
    pub elements: usize,
}

/// Walks the tree under the document `root` with an explicit stack (a deep
/// tree must not overflow this thread's stack) and stops as soon as it
/// passes a limit. `children` pushes the element children of a node, the
/// contents of a `<template>` included.
pub fn shape<N: Copy>(
    root: N,
    limits: TreeLimits,
    mut children: impl FnMut(N, &mut Vec<N>),
) -> Result<Shape, Exceeded> {
    let mut shape = Shape::default();
    let mut stack = vec![(root, 0usize)];
    let mut kids = Vec::new();
    while let Some((node, depth)) = stack.pop() {
        if depth > 0 {
            shape.elements += 1;
            shape.depth = shape.depth.max(depth);
            if depth > limits.max_depth {
                return Err(Exceeded::Depth);
            }
            if shape.elements > limits.max_elements {
                return Err(Exceeded::Elements);
            }
        }
        kids.clear();
        children(node, &mut kids);
        stack.extend(kids.iter().map(|&k| (k, depth + 1)));
    }
    Ok(shape)
}

/// A node of the skeleton: elements keep their name (the tree builder asks
/// for it), their children and their template contents.
struct Node {
    name: QualName,
    element: bool,
    parent: Option<usize>,
    children: Vec<usize>,
    template: Option<usize>,
}

/// The document node's handle.
const DOCUMENT: usize = 0;
/// The one handle every comment and processing instruction shares: they never
/// nest, so none is kept.
const COMMENT: usize = 1;

/// A tree sink that builds only what the limits need. Text is dropped.
pub struct Skeleton {
    nodes: RefCell<Vec<Node>>,
}

impl Default for Skeleton {
    fn default() -> Self {
        let blank = |element| Node {
            name: QualName::new(None, ns!(), local_name!("")),
            element,
            parent: None,
            children: Vec::new(),
            template: None,
        };
        Self {
            nodes: RefCell::new(vec![blank(false), blank(false)]),
        }
    }
}

impl Skeleton {
    fn push(&self, name: QualName) -> usize {
        let mut nodes = self.nodes.borrow_mut();
        nodes.push(Node {
            name,
            element: true,
            parent: None,
            children: Vec::new(),
            template: None,
        });
        nodes.len() - 1
    }

    fn detach(nodes: &mut [Node], child: usize) {
        if let Some(parent) = nodes.get(child).and_then(|n| n.parent)
            && let Some(p) = nodes.get_mut(parent)
        {
            p.children.retain(|&c| c != child);
        }
        if let Some(n) = nodes.get_mut(child) {
            n.parent = None;
        }
    }

    /// Puts `child` under `parent`, before `before` if given.
    fn insert(&self, parent: usize, child: &NodeOrText<usize>, before: Option<usize>) {
        let NodeOrText::AppendNode(child) = *child else {
            return;
        };
        let mut nodes = self.nodes.borrow_mut();
        if !nodes.get(child).is_some_and(|n| n.element) || parent >= nodes.len() {
            return;
        }
        Self::detach(&mut nodes, child);
        let kids = &mut nodes[parent].children;
        let at = before
            .and_then(|b| kids.iter().position(|&c| c == b))
            .unwrap_or(kids.len());
        kids.insert(at, child);
        nodes[child].parent = Some(parent);
    }

    /// The finished tree's shape.
    pub fn shape(&self, limits: TreeLimits) -> Result<Shape, Exceeded> {
        let nodes = self.nodes.borrow();
        shape(DOCUMENT, limits, |id, out| {
            if let Some(n) = nodes.get(id) {
                out.extend(&n.children);
                out.extend(n.template);
            }
        })
    }
}

impl TreeSink for Skeleton {
    type Handle = usize;
    type Output = Self;
    type ElemName<'a> = Ref<'a, QualName>;

    fn finish(self) -> Self {
        self
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> usize {
        DOCUMENT
    }

    fn elem_name<'a>(&'a self, target: &'a usize) -> Ref<'a, QualName> {
        // The tree builder asks only about elements; anything else answers
        // the blank name of the document node.
        Ref::map(self.nodes.borrow(), |nodes| {
            &nodes.get(*target).unwrap_or(&nodes[DOCUMENT]).name
        })
    }

    fn create_element(&self, name: QualName, _: Vec<Attribute>, _: ElementFlags) -> usize {
        self.push(name)
    }

    fn create_comment(&self, _text: StrTendril) -> usize {
        COMMENT
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> usize {
        COMMENT
    }

    fn append(&self, parent: &usize, child: NodeOrText<usize>) {
        self.insert(*parent, &child, None);
    }

    fn append_based_on_parent_node(
        &self,
        element: &usize,
        prev_element: &usize,
        child: NodeOrText<usize>,
    ) {
        let parent = self.nodes.borrow().get(*element).and_then(|n| n.parent);
        match parent {
            Some(parent) => self.insert(parent, &child, Some(*element)),
            None => self.insert(*prev_element, &child, None),
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}

    fn get_template_contents(&self, target: &usize) -> usize {
        if let Some(contents) = self.nodes.borrow().get(*target).and_then(|n| n.template) {
            return contents;
        }
        // Named as blitz names it; like blitz, the contents hang off the
        // template, not among its children.
        let contents = self.push(QualName::new(
            None,
            ns!(html),
            html5ever::LocalName::from("#document-fragment"),
        ));
        if let Some(t) = self.nodes.borrow_mut().get_mut(*target) {
            t.template = Some(contents);
        }
        contents
    }

    fn same_node(&self, x: &usize, y: &usize) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &usize, new_node: NodeOrText<usize>) {
        let parent = self.nodes.borrow().get(*sibling).and_then(|n| n.parent);
        if let Some(parent) = parent {
            self.insert(parent, &new_node, Some(*sibling));
        }
    }

    fn add_attrs_if_missing(&self, _target: &usize, _attrs: Vec<Attribute>) {}

    fn remove_from_parent(&self, target: &usize) {
        Self::detach(&mut self.nodes.borrow_mut(), *target);
    }

    fn reparent_children(&self, node: &usize, new_parent: &usize) {
        let mut nodes = self.nodes.borrow_mut();
        if *node >= nodes.len() || *new_parent >= nodes.len() {
            return;
        }
        let kids = std::mem::take(&mut nodes[*node].children);
        for &k in &kids {
            nodes[k].parent = Some(*new_parent);
        }
        nodes[*new_parent].children.extend(kids);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::html::guard;

    const LIMITS: TreeLimits = TreeLimits {
        max_depth: 256,
        max_elements: 50_000,
    };

    #[test]
    fn the_walk_needs_no_stack_for_depth() {
        // A chain a million deep: a recursive walk would overflow.
        let limits = TreeLimits {
            max_depth: 2_000_000,
            max_elements: 2_000_000,
        };
        let chain = shape(0usize, limits, |n, out| {
            if n < 1_000_000 {
                out.push(n + 1);
            }
        });
        assert_eq!(
            chain,
            Ok(Shape {
                depth: 1_000_000,
                elements: 1_000_000
            })
        );
        assert_eq!(
            shape(0usize, LIMITS, |n, out| out.push(n + 1)),
            Err(Exceeded::Depth)
        );
    }

    #[test]
    fn a_prefix_refuses_only_what_the_whole_refuses() {
        let deep = "<div>".repeat(300);
        let parse = |html: &str, prefix| guard::parse(Skeleton::default(), html, LIMITS, prefix);
        assert!(matches!(parse(&deep[..100], None), Ok(Some(_))));
        assert!(matches!(parse(&deep, Some(100)), Ok(None)));
        assert!(matches!(parse(&deep, Some(4096)), Err(Exceeded::Depth)));
        assert!(matches!(parse(&deep, None), Err(Exceeded::Depth)));
    }

    #[test]
    fn the_skeleton_counts_as_blitz_does() {
        let parsed = guard::parse(
            Skeleton::default(),
            "<template><p>a</template>",
            LIMITS,
            None,
        );
        let Ok(Some(skeleton)) = parsed else {
            panic!("parses");
        };
        // html, head, template, its contents, p; body; the p is at depth 5.
        assert_eq!(
            skeleton.shape(LIMITS),
            Ok(Shape {
                depth: 5,
                elements: 6
            })
        );
        let empty = guard::parse(Skeleton::default(), "", LIMITS, None);
        let Ok(Some(empty)) = empty else {
            panic!("parses");
        };
        assert_eq!(
            empty.shape(LIMITS),
            Ok(Shape {
                depth: 2,
                elements: 3
            })
        );
    }
}
