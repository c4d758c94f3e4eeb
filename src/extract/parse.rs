//! Parsing the page as a browser with scripts on would: a `<noscript>` ends at its first `</noscript>`.

use super::html_tokens::Whitespace;
use super::tunables::{MAX_DOCUMENT_CANDIDATES, NOSCRIPT_REPAIR_ROUNDS, RAW_TEXT_ELEMENTS};
use dom_query::{Document, Element, NodeData, NodeId, NodeRef};
use html5ever::{local_name, LocalName};

/// Parses the page. The parser runs with scripts off, so a `<noscript>`'s
/// content is markup; a browser with scripts on reads it as text ending at
/// the first `</noscript>`. Where a raw-text element left open inside a
/// `<noscript>` swallowed that end tag and the page after it, the page is
/// put back after the `<noscript>`, as the browser shows it.
pub(super) fn page(html: &str) -> Document {
    let parsed = super::html_tokens::parse_page(html, Whitespace::DropBetweenBlocks);
    let document = parsed.document;
    // Without raw text in a `<noscript>` nothing was swallowed: the walk
    // that looks for it, over every node, is left out.
    let rounds = if parsed.raw_text_in_noscript { NOSCRIPT_REPAIR_ROUNDS } else { 0 };
    for _ in 0..rounds {
        if !reopen_swallowed_page(&document) {
            break;
        }
    }
    document
}

/// Every element `keep` accepts, in document order. One walk reading the
/// parsed element directly: a CSS selector list evaluated on every element
/// was an eighth of extraction's time.
pub(super) fn elements_where<'a>(
    document: &'a Document,
    keep: impl Fn(&NodeRef<'a>, &Element) -> bool,
) -> Vec<NodeRef<'a>> {
    document
        .root()
        .descendants_it()
        .filter(|node| {
            node.query_or(false, |tree_node| match &tree_node.data {
                NodeData::Element(element) => keep(node, element),
                _ => false,
            })
        })
        .collect()
}

/// The elements the readers before cleanup look at (JSON-LD, metadata,
/// the page-type signals, cleanup's first steps), found in one walk of the
/// parsed page, each list in document order: a walk per reader was a
/// tenth of extraction.
pub(super) struct Landmarks<'a> {
    /// `script[type*="ld+json"]`.
    pub json_ld: Vec<NodeRef<'a>>,
    /// `<meta>`.
    pub metas: Vec<NodeRef<'a>>,
    /// Elements with a microdata property the metadata reads.
    pub microdata: Vec<NodeRef<'a>>,
    /// The first [`MAX_DOCUMENT_CANDIDATES`] elements that may hold the byline.
    pub bylines: Vec<NodeRef<'a>>,
    /// The first [`MAX_DOCUMENT_CANDIDATES`] elements that may hold the publication date.
    pub published_times: Vec<NodeRef<'a>>,
    /// The first `<time>`.
    pub first_time: Option<NodeRef<'a>>,
    /// The first `<h1>`.
    pub first_heading: Option<NodeRef<'a>>,
    /// `h2`–`h4`, which may be a front page's headlines.
    pub subheadings: Vec<NodeRef<'a>>,
    /// Buttons, links, forms and inputs, which may offer to add to a cart.
    pub controls: Vec<NodeRef<'a>>,
    /// `main`, `[role=main]` and `article` elements, the content roots cleanup chooses among.
    pub main_landmarks: Vec<NodeRef<'a>>,
    /// Hidden segments of a streamed server render (`div[hidden][id^="S:"]`).
    pub streamed_segments: Vec<NodeRef<'a>>,
    /// `<pre>` blocks.
    pub code_blocks: usize,
    /// `<article>` elements.
    pub articles: usize,
    /// How deep the deepest element is nested (the `<html>` element is at 1).
    pub deepest: usize,
}

impl<'a> Landmarks<'a> {
    pub(super) fn find(document: &'a Document) -> Self {
        let mut found = Landmarks {
            json_ld: Vec::new(),
            metas: Vec::new(),
            microdata: Vec::new(),
            bylines: Vec::new(),
            published_times: Vec::new(),
            first_time: None,
            first_heading: None,
            subheadings: Vec::new(),
            controls: Vec::new(),
            main_landmarks: Vec::new(),
            streamed_segments: Vec::new(),
            code_blocks: 0,
            articles: 0,
            deepest: 0,
        };
        let root = document.root();
        // Depth first in document order, the depth kept along the way.
        let (mut next, mut depth) = (root.first_child(), 1);
        while let Some(node) = next {
            let facts = node.query_or(None, |tree_node| match &tree_node.data {
                NodeData::Element(element) => Some(ElementFacts {
                    name: element.name.local.clone(),
                    json_ld: super::json_ld::is_json_ld(element),
                    microdata: super::metadata::is_microdata_candidate(element),
                    byline: found.bylines.len() < MAX_DOCUMENT_CANDIDATES
                        && super::metadata::is_byline_candidate(element),
                    published_time: found.published_times.len() < MAX_DOCUMENT_CANDIDATES
                        && super::metadata::is_published_time_candidate(&node, element),
                    main_landmark: super::cleanup::is_main_landmark(element),
                    streamed_segment: super::cleanup::is_streamed_segment(element),
                }),
                _ => None,
            });
            if let Some(facts) = facts {
                found.note(node, facts);
                found.deepest = found.deepest.max(depth);
            }
            // The first child, else the next sibling of the nearest node that has one.
            if let Some(child) = node.first_child() {
                (next, depth) = (Some(child), depth + 1);
                continue;
            }
            next = None;
            let mut at = Some(node);
            while let Some(node) = at.filter(|node| node.id != root.id) {
                if let Some(sibling) = node.next_sibling() {
                    next = Some(sibling);
                    break;
                }
                (at, depth) = (node.parent(), depth - 1);
            }
        }
        found
    }

    fn note(&mut self, node: NodeRef<'a>, facts: ElementFacts) {
        let ElementFacts { name, json_ld, microdata, byline, published_time, main_landmark, streamed_segment } = facts;
        for (list, member) in [
            (&mut self.json_ld, json_ld),
            (&mut self.microdata, microdata),
            (&mut self.bylines, byline),
            (&mut self.published_times, published_time),
            (&mut self.main_landmarks, main_landmark),
            (&mut self.streamed_segments, streamed_segment),
        ] {
            if member {
                list.push(node);
            }
        }
        match name {
            local_name!("meta") => self.metas.push(node),
            local_name!("pre") => self.code_blocks += 1,
            local_name!("article") => self.articles += 1,
            local_name!("h1") => {
                self.first_heading.get_or_insert(node);
            }
            local_name!("time") => {
                self.first_time.get_or_insert(node);
            }
            local_name!("h2") | local_name!("h3") | local_name!("h4") => self.subheadings.push(node),
            local_name!("button") | local_name!("a") | local_name!("form") | local_name!("input") => {
                self.controls.push(node)
            }
            _ => {}
        }
    }
}

/// What [`Landmarks::find`] reads of one element, in one borrow of the tree.
struct ElementFacts {
    name: LocalName,
    json_ld: bool,
    microdata: bool,
    byline: bool,
    published_time: bool,
    main_landmark: bool,
    streamed_segment: bool,
}

/// The value of an element's attribute, borrowed from the parsed element.
/// Names compare as atoms (integers); comparing as text would unpack every
/// attribute's name.
pub(super) fn attribute(element: &Element, name: LocalName) -> Option<&str> {
    element.attrs.iter().find(|attr| attr.name.local == name).map(|attr| &*attr.value)
}

/// The element's tag name as an atom (compared as an integer), read in
/// place; `None` for other nodes. Copying the name as text on every node
/// of every walk was a few percent of extraction.
pub(super) fn tag_name(node: &NodeRef) -> Option<LocalName> {
    node.query_or(None, |tree_node| match &tree_node.data {
        NodeData::Element(element) => Some(element.name.local.clone()),
        _ => None,
    })
}

/// Whether an element of this name holds text no reader sees as the
/// page's text: code, styles, the no-script fallback, template contents.
pub(super) fn holds_unread_text(name: &LocalName) -> bool {
    matches!(*name, local_name!("script") | local_name!("style") | local_name!("noscript") | local_name!("template"))
}

/// Whether the node is an element of one of these names.
fn named(node: &NodeRef, names: &[&str]) -> bool {
    tag_name(node).is_some_and(|name| names.contains(&&*name))
}

/// Repairs the first `<noscript>` that swallowed the page after it, and
/// says whether there was one (the page put back may hold another).
fn reopen_swallowed_page(document: &Document) -> bool {
    let noscripts: Vec<NodeRef> = document.root().descendants_it().filter(|node| named(node, &["noscript"])).collect();
    for noscript in noscripts {
        let swallower = noscript
            .descendants_it()
            .find(|node| named(node, RAW_TEXT_ELEMENTS) && node.text().to_ascii_lowercase().contains("</noscript"));
        let Some(swallower) = swallower else { continue };
        let text = swallower.text().to_string();
        let Some(end) = text.to_ascii_lowercase().find("</noscript") else { continue };
        let rest = &text[end..];
        let after_end_tag = rest.find('>').map_or("", |close| &rest[close + 1..]);
        swallower.set_text(&text[..end]);
        insert_after(document, &noscript, after_end_tag);
        return true;
    }
    false
}

/// Parses `html` as body content and puts the nodes after `node`, as
/// `insertAdjacentHTML("afterend")` would, through the project's own
/// tokenizer. The fragment's nodes are copied into the page's tree without
/// recursion: the markup may nest to any depth.
fn insert_after(document: &Document, node: &NodeRef, html: &str) {
    let fragment = super::html_tokens::parse_body_fragment(html);
    let mut pending = Vec::new();
    let mut anchor = node.id;
    for top in fragment.html_root().children() {
        let copy = copy_node(document, &fragment, &top, &mut pending);
        document.tree.insert_after_of(&anchor, &copy);
        anchor = copy;
        while let Some((original, parent)) = pending.pop() {
            let copy = copy_node(document, &fragment, &original, &mut pending);
            document.tree.append_child_of(&parent, &copy);
        }
    }
}

/// A copy of one of `fragment`'s nodes in `document`'s tree, not yet
/// attached; its children (and a template's content) wait in `pending`
/// with the copy they belong under, the first child last.
fn copy_node<'f>(
    document: &Document,
    fragment: &'f Document,
    original: &NodeRef<'f>,
    pending: &mut Vec<(NodeRef<'f>, NodeId)>,
) -> NodeId {
    let (data, template_content) = original.query_or((NodeData::Fragment, None), |tree_node| {
        (tree_node.data.clone(), tree_node.as_element().and_then(|element| element.template_contents))
    });
    let copy = document.tree.create_node(data);
    pending.extend(original.children().into_iter().rev().map(|child| (child, copy)));
    if let Some(content) = template_content {
        let content_copy = document.tree.create_node(NodeData::Fragment);
        document.tree.update_node(&copy, |tree_node| {
            if let NodeData::Element(element) = &mut tree_node.data {
                element.template_contents = Some(content_copy);
            }
        });
        pending.extend(fragment.tree.children_of(&content).into_iter().rev().map(|child| (child, content_copy)));
    }
    copy
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_self_closed_iframe_in_noscript_no_longer_swallows_the_page() {
        let document = page(
            "<body><p>Banner</p><noscript><iframe src=\"https://tags.example/ns\" height=\"0\" width=\"0\" />\
             </noscript><main><h1>Tide pools</h1><p>Anemones close when the tide goes out.</p></main>\
             <noscript><iframe src=\"https://tags.example/two\"/></noscript><p>Footnote.</p></body>",
        );
        assert_eq!(document.select("main h1").text().as_ref(), "Tide pools");
        assert_eq!(document.select("body > p").length(), 2, "{}", document.html());
        let leftovers: String = document.select("iframe").iter().map(|iframe| iframe.text().to_string()).collect();
        assert!(!leftovers.contains("Anemones") && !leftovers.contains("Footnote"), "{leftovers}");
    }

    #[test]
    fn only_raw_text_started_inside_a_noscript_can_have_swallowed_the_page() {
        let noted = |html: &str| {
            super::super::html_tokens::parse_page(html, Whitespace::DropBetweenBlocks).raw_text_in_noscript
        };
        // Raw text before, after and outside a `<noscript>`: nothing to repair.
        assert!(!noted(
            "<head><script>var a = '</noscript>';</script></head><body><noscript><img src=t.gif></noscript>\
             <style>p{}</style><noscript><p>Enable scripts</p></noscript><iframe src=x></iframe></body>"
        ));
        assert!(noted("<body><noscript><iframe src=x /></noscript><p>after</p></body>"));
        assert!(noted("<head><noscript><style>.a{}</style></noscript></head><body></body>"));
        // Markup the standard's tree builder takes over from the well-formed one.
        assert!(noted("<body><p><b><noscript><script>x</script></noscript></p></i>"));
    }

    #[test]
    fn markup_put_back_builds_the_tree_dom_query_would() {
        let fragments = [
            "<main><h1>Tide pools</h1><p>Anemones &amp; crabs</p></main><!--/$--><p>Footnote",
            "text first<div><table><td>cell</table></div><template><b>t</b></template>",
            "<p>one<p>two<ul><li>a<li>b</ul><svg><path d=M0/></svg>&copy; 2025",
            "",
        ];
        for fragment in fragments {
            let shell = "<body><p id=before>Banner</p><noscript></noscript><p>After.</p></body>";
            let ours = Document::from(shell);
            let noscript = ours.select("noscript").nodes()[0];
            insert_after(&ours, &noscript, fragment);
            let theirs = Document::from(shell);
            theirs.select("noscript").nodes()[0].after_html(fragment);
            assert_eq!(ours.html(), theirs.html(), "{fragment}");
        }
    }

    #[test]
    fn a_well_formed_noscript_is_left_alone() {
        let html = "<body><noscript><iframe src=x></iframe><p>Enable JavaScript.</p></noscript><p>Text.</p></body>";
        let document = page(html);
        assert_eq!(document.select("noscript p").text().as_ref(), "Enable JavaScript.");
        assert_eq!(document.select("body > p").text().as_ref(), "Text.");
    }
}
