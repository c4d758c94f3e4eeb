//! The model's answer as safe Markdown: an allowlisted element tree (`SafeNode`), whole and incremental rendering.
//!
//! The answer is untrusted text. It is parsed with pulldown-cmark (CommonMark
//! plus tables, strikethrough and task lists) and converted into a tree whose
//! tags ([`SafeTag`]) and attributes ([`SafeAttr`]) are closed enums, so no
//! other element or attribute can exist. Raw HTML, block or inline, becomes
//! text shown literally. Links keep an `href` only for `http:`, `https:` and
//! `mailto:` URLs ([`safe_href`]); any other link becomes its text. Images are
//! never loaded: they render as their alt text (a link to the source when it is
//! an http(s) URL outside another link). Nesting is capped at [`MAX_NESTING`]
//! containers (deeper ones are flattened into their parent), so walking the
//! tree recursively cannot exhaust the wasm stack.
//!
//! [`IncrementalMarkdown`] renders a streamed answer: each push re-parses only
//! the still-open tail of the text. See its documentation for the rule that
//! decides when a block is finished.

use pulldown_cmark::{
    Alignment, BrokenLink, CodeBlockKind, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use std::collections::BTreeMap;
use std::ops::Range;

/// The elements an answer can contain. Nothing else can be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SafeTag {
    P,
    H1,
    H2,
    H3,
    H4,
    H5,
    H6,
    Ul,
    Ol,
    Li,
    Blockquote,
    Pre,
    Code,
    Table,
    Thead,
    Tbody,
    Tr,
    Th,
    Td,
    A,
    Strong,
    Em,
    Del,
    Hr,
    Br,
    /// A task-list checkbox, always `type="checkbox"` and `disabled`.
    Input,
}

impl SafeTag {
    /// The HTML element name.
    pub fn name(self) -> &'static str {
        match self {
            SafeTag::P => "p",
            SafeTag::H1 => "h1",
            SafeTag::H2 => "h2",
            SafeTag::H3 => "h3",
            SafeTag::H4 => "h4",
            SafeTag::H5 => "h5",
            SafeTag::H6 => "h6",
            SafeTag::Ul => "ul",
            SafeTag::Ol => "ol",
            SafeTag::Li => "li",
            SafeTag::Blockquote => "blockquote",
            SafeTag::Pre => "pre",
            SafeTag::Code => "code",
            SafeTag::Table => "table",
            SafeTag::Thead => "thead",
            SafeTag::Tbody => "tbody",
            SafeTag::Tr => "tr",
            SafeTag::Th => "th",
            SafeTag::Td => "td",
            SafeTag::A => "a",
            SafeTag::Strong => "strong",
            SafeTag::Em => "em",
            SafeTag::Del => "del",
            SafeTag::Hr => "hr",
            SafeTag::Br => "br",
            SafeTag::Input => "input",
        }
    }

    /// Elements with no children and no closing tag.
    pub fn is_void(self) -> bool {
        matches!(self, SafeTag::Hr | SafeTag::Br | SafeTag::Input)
    }

    /// Elements that start a new line in [`plain_text`].
    fn is_block(self) -> bool {
        !matches!(
            self,
            SafeTag::A
                | SafeTag::Strong
                | SafeTag::Em
                | SafeTag::Del
                | SafeTag::Code
                | SafeTag::Input
                | SafeTag::Th
                | SafeTag::Td
                | SafeTag::Br
        )
    }
}

/// The attributes an element can carry, each with a vetted value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SafeAttr {
    /// On `a`: an `http:`, `https:` or `mailto:` URL ([`safe_href`]).
    Href,
    /// On `ol`: the first number, digits only.
    Start,
    /// On `th`/`td`: `left`, `center` or `right`.
    Align,
    /// On `pre`: the code's language, `[A-Za-z0-9_+#.-]{1,32}`.
    Language,
    /// On `input`: always `checkbox`.
    Type,
    /// On `input`: empty value.
    Checked,
    /// On `input`: empty value.
    Disabled,
}

impl SafeAttr {
    /// The HTML attribute name.
    pub fn name(self) -> &'static str {
        match self {
            SafeAttr::Href => "href",
            SafeAttr::Start => "start",
            SafeAttr::Align => "align",
            SafeAttr::Language => "data-language",
            SafeAttr::Type => "type",
            SafeAttr::Checked => "checked",
            SafeAttr::Disabled => "disabled",
        }
    }
}

/// One node of the safe tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SafeNode {
    Element(SafeElement),
    /// Text, always shown as text (never parsed as markup).
    Text(String),
}

/// An allowlisted element with vetted attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SafeElement {
    pub tag: SafeTag,
    pub attrs: Vec<(SafeAttr, String)>,
    pub children: Vec<SafeNode>,
}

impl SafeElement {
    fn new(tag: SafeTag) -> Self {
        SafeElement { tag, attrs: Vec::new(), children: Vec::new() }
    }

    /// The value of an attribute, if the element has it.
    pub fn attr(&self, attr: SafeAttr) -> Option<&str> {
        self.attrs.iter().find(|(a, _)| *a == attr).map(|(_, v)| v.as_str())
    }
}

/// Containers nested deeper than this (quotes, lists, items, emphasis, links)
/// are flattened into their parent, which bounds the tree's depth.
pub const MAX_NESTING: usize = 32;

/// The longest code-block language kept.
const MAX_LANGUAGE_CHARS: usize = 32;

/// The Markdown dialect of answers: CommonMark plus GFM tables, strikethrough and task lists.
fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// Renders a whole answer.
pub fn render_markdown(text: &str) -> Vec<SafeNode> {
    parse_blocks(text).into_iter().flat_map(|block| block.nodes).collect()
}

/// The `href` to keep for a link destination, or `None` if the link must become text.
///
/// Only `http:`, `https:` and `mailto:` (ASCII case-insensitive, at the very
/// start) pass, and only with no whitespace or control character anywhere, so
/// `java\tscript:`, ` javascript:` and the like never reach a browser that
/// would strip them. The destination is already entity-decoded by the parser,
/// so `&#106;avascript:` arrives here as `javascript:` and is refused.
pub fn safe_href(destination: &str) -> Option<String> {
    if destination.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return None;
    }
    let allowed = ["http:", "https:", "mailto:"];
    let lower_prefix = |scheme: &str| {
        destination.len() >= scheme.len()
            && destination.is_char_boundary(scheme.len())
            && destination[..scheme.len()].eq_ignore_ascii_case(scheme)
    };
    allowed.iter().any(|scheme| lower_prefix(scheme)).then(|| destination.to_string())
}

/// Whether a URL is http(s) (the only sources an image may link to).
fn is_http(url: &str) -> bool {
    safe_href(url).is_some_and(|href| !href.get(..7).is_some_and(|scheme| scheme.eq_ignore_ascii_case("mailto:")))
}

/// The code block's language from its info string: the first word, cut at
/// the first character outside `[A-Za-z0-9_+#.-]`, at most 32 characters.
pub fn sanitize_language(info: &str) -> Option<String> {
    let word = info.split_whitespace().next().unwrap_or_default();
    let language: String = word
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '#' | '.' | '-'))
        .take(MAX_LANGUAGE_CHARS)
        .collect();
    (!language.is_empty()).then_some(language)
}

/// A deterministic, escaped HTML serialization, for tests and snapshots only
/// (the browser builds DOM nodes from the tree; it never parses this string).
pub fn to_html_string(nodes: &[SafeNode]) -> String {
    let mut out = String::new();
    for node in nodes {
        write_html(node, &mut out);
    }
    out
}

fn write_html(node: &SafeNode, out: &mut String) {
    match node {
        SafeNode::Text(text) => escape_into(text, out),
        SafeNode::Element(element) => {
            out.push('<');
            out.push_str(element.tag.name());
            for (attr, value) in &element.attrs {
                out.push(' ');
                out.push_str(attr.name());
                out.push_str("=\"");
                escape_into(value, out);
                out.push('"');
            }
            out.push('>');
            if element.tag.is_void() {
                if element.tag == SafeTag::Hr {
                    out.push('\n');
                }
                return;
            }
            if matches!(
                element.tag,
                SafeTag::Ul
                    | SafeTag::Ol
                    | SafeTag::Blockquote
                    | SafeTag::Table
                    | SafeTag::Thead
                    | SafeTag::Tbody
                    | SafeTag::Tr
            ) {
                out.push('\n');
            }
            for child in &element.children {
                write_html(child, out);
            }
            out.push_str("</");
            out.push_str(element.tag.name());
            out.push('>');
            if element.tag.is_block() {
                out.push('\n');
            }
        }
    }
}

fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

/// The text of the tree, for copying and accessibility: blocks on their own
/// lines, table cells separated by tabs, checkboxes as `[x]` / `[ ]`.
pub fn plain_text(nodes: &[SafeNode]) -> String {
    let mut out = String::new();
    for node in nodes {
        write_plain(node, &mut out);
    }
    out.trim_end_matches('\n').to_string()
}

fn write_plain(node: &SafeNode, out: &mut String) {
    match node {
        SafeNode::Text(text) => out.push_str(text),
        SafeNode::Element(element) => {
            match element.tag {
                SafeTag::Br => out.push('\n'),
                SafeTag::Hr => out.push_str("---"),
                SafeTag::Input => out.push_str(if element.attr(SafeAttr::Checked).is_some() { "[x] " } else { "[ ] " }),
                SafeTag::Td | SafeTag::Th if !out.ends_with('\n') && !out.is_empty() => out.push('\t'),
                _ => {}
            }
            for child in &element.children {
                write_plain(child, out);
            }
            if element.tag.is_block() && !out.ends_with('\n') {
                out.push('\n');
            }
        }
    }
}

/// What a push or finish produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenderUpdate {
    /// Newly completed top-level blocks, to append after earlier finished ones. They never change again.
    pub finished: Vec<SafeNode>,
    /// The still-open end of the answer; replaces the previous tail entirely.
    pub tail: Vec<SafeNode>,
}

/// Renders a streamed answer block by block.
///
/// Concatenating every update's `finished` nodes, then the last update's
/// `tail`, gives [`render_markdown`] of the whole text, however the text was
/// split into deltas. The one exception is a reference-style link used in a
/// block that finished before its definition (`[label]: url`) arrived: it stays
/// text. Definitions that come first are carried forward to later blocks.
///
/// **The finishing rule.** Each push appends the delta to the buffered tail
/// and parses the tail alone. Its top-level blocks `B0..Bn` are listed with
/// their source offsets. The prefix `B0..Bk` is finished when `Bk+1` begins
/// on a *complete* line (one ended by LF; a lone CR is not trusted, see
/// `complete_prefix_len`), and, when `Bk+1` is a table, the line after its
/// header too (only the delimiter row below makes it one): CommonMark decides block
/// structure line by line, so once a complete line has started a new
/// top-level block, every earlier top-level block is closed for good (a list
/// cannot regain items, a fence that a later block follows was closed, and a
/// paragraph cannot become a setext heading or a table header). Inline
/// content depends only on its own block's text. The tail buffer then drops
/// the text before the line where `Bk+1` starts (whole lines, so the
/// indentation of what follows is kept). A partial last line never finishes
/// anything: `2` after `1. a` plus a blank line is a paragraph now but may
/// become `2. b`, which continues the list.
///
/// **Cost.** A push parses the tail, which is the last top-level block plus,
/// while the line that started it is incomplete, the one before. So the work
/// is proportional to the delta plus the open block. The worst case is one
/// huge block (a long code fence, table, list or paragraph): every push then
/// re-parses it, quadratic over that block in the number of pushes.
///
/// **`finish`** returns everything still open in `finished` with an empty
/// `tail`, and resets the renderer: a later push starts a new answer.
#[derive(Debug, Clone, Default)]
pub struct IncrementalMarkdown {
    /// The text of the open tail, always starting at a line start.
    buffer: String,
    /// Link reference definitions from finished blocks, by normalized label.
    definitions: BTreeMap<String, String>,
}

impl IncrementalMarkdown {
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a delta of the answer.
    pub fn push(&mut self, delta: &str) -> RenderUpdate {
        self.buffer.push_str(delta);
        let (blocks, definitions) = parse_blocks_with(&self.buffer, &self.definitions);
        let complete = complete_prefix_len(&self.buffer);
        let (cut_block, cut_offset) = finish_point(&self.buffer, &blocks, complete);
        // Definitions in the finished text leave the buffer: keep them for the
        // blocks that follow (an earlier definition wins, as in CommonMark).
        for (label, destination, span) in definitions {
            if span.end <= cut_offset {
                self.definitions.entry(label).or_insert(destination);
            }
        }
        let mut finished = Vec::new();
        let mut tail = Vec::new();
        for (index, block) in blocks.into_iter().enumerate() {
            if index < cut_block {
                finished.extend(block.nodes);
            } else {
                tail.extend(block.nodes);
            }
        }
        self.buffer.drain(..cut_offset);
        RenderUpdate { finished, tail }
    }

    /// Ends the answer: all remaining blocks come back as finished, the tail is empty.
    pub fn finish(&mut self) -> RenderUpdate {
        let text = std::mem::take(&mut self.buffer);
        let definitions = std::mem::take(&mut self.definitions);
        let (blocks, _) = parse_blocks_with(&text, &definitions);
        RenderUpdate { finished: blocks.into_iter().flat_map(|block| block.nodes).collect(), tail: Vec::new() }
    }

    /// The bytes currently buffered (the open tail's source).
    pub fn open_len(&self) -> usize {
        self.buffer.len()
    }
}

/// The length of the text up to and including its last LF. A lone CR is not
/// trusted as a line end (it may be the first half of a CRLF, and
/// pulldown-cmark does not end every line at a lone CR, e.g. a fence's info
/// string runs past it), so CR-only text simply finishes nothing until `finish`.
fn complete_prefix_len(text: &str) -> usize {
    text.as_bytes().iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1)
}

/// The offset where the line (ended by LF) holding `offset` starts.
fn line_start(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1)
}

/// How many leading blocks are finished, and the byte offset the tail then starts at.
fn finish_point(text: &str, blocks: &[Block], complete: usize) -> (usize, usize) {
    let mut point = (0, 0);
    for index in 1..blocks.len() {
        let start = blocks[index].range.start;
        let line = line_start(text, start);
        // A table starts on its header line but is one only by the delimiter
        // row below it (`|-` may become `|--**`, and the header rejoin the
        // paragraph above): that line must be complete too.
        let is_table =
            matches!(blocks[index].nodes.first(), Some(SafeNode::Element(element)) if element.tag == SafeTag::Table);
        let decided = if is_table {
            text[start..].find('\n').is_some_and(|end| start + end + 1 < complete)
        } else {
            start < complete
        };
        if decided && blocks[index - 1].range.end <= line {
            point = (index, line);
        }
    }
    point
}

/// One top-level block: its source range and its nodes (possibly none).
struct Block {
    range: Range<usize>,
    nodes: Vec<SafeNode>,
}

/// Parses a text into its top-level blocks.
fn parse_blocks(text: &str) -> Vec<Block> {
    let mut builder = Builder::default();
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        builder.event(event, range);
    }
    builder.finish()
}

/// A reference label as CommonMark matches it: whitespace collapsed, case folded.
fn normalize_label(label: &str) -> String {
    label.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// A link reference definition: normalized label, destination, source span.
type Definition = (String, String, Range<usize>);

/// Parses a text whose references may also be defined earlier (`carried`);
/// returns its blocks and its own definitions (label, destination, source span).
fn parse_blocks_with(text: &str, carried: &BTreeMap<String, String>) -> (Vec<Block>, Vec<Definition>) {
    let callback = |link: BrokenLink<'_>| {
        carried.get(&normalize_label(&link.reference)).map(|destination| (destination.clone().into(), "".into()))
    };
    let mut builder = Builder::default();
    let mut events = Parser::new_with_broken_link_callback(text, options(), Some(callback)).into_offset_iter();
    for (event, range) in events.by_ref() {
        builder.event(event, range);
    }
    let definitions = events
        .reference_definitions()
        .iter()
        .map(|(label, definition)| (normalize_label(label), definition.dest.to_string(), definition.span.clone()))
        .collect();
    (builder.finish(), definitions)
}

/// An open element while the tree is built.
enum Frame {
    Element(SafeElement),
    /// A link that lost its `href`, or a container past the nesting cap: its
    /// children go to the parent.
    Unwrapped(Vec<SafeNode>),
    /// A code block: its text, and its language.
    Code {
        language: Option<String>,
        text: String,
    },
}

/// The alt text of the image being read.
struct ImageAlt {
    depth: usize,
    href: Option<String>,
    alt: String,
}

/// The columns of the table being read.
struct TableState {
    aligns: Vec<Alignment>,
    in_head: bool,
    cell: usize,
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    tables: Vec<TableState>,
    /// Links open around the current event (a link inside one loses its `href`).
    link_depth: usize,
    image: Option<ImageAlt>,
    /// The nodes of the top-level block being built, and where it started.
    top: Vec<SafeNode>,
    top_start: Option<usize>,
    blocks: Vec<Block>,
}

/// Appends a node, merging adjacent text.
fn push_child(children: &mut Vec<SafeNode>, node: SafeNode) {
    if let SafeNode::Text(text) = &node {
        if text.is_empty() {
            return;
        }
        if let Some(SafeNode::Text(last)) = children.last_mut() {
            last.push_str(text);
            return;
        }
    }
    children.push(node);
}

fn text(value: &str) -> SafeNode {
    SafeNode::Text(value.to_string())
}

fn heading_tag(level: HeadingLevel) -> SafeTag {
    match level {
        HeadingLevel::H1 => SafeTag::H1,
        HeadingLevel::H2 => SafeTag::H2,
        HeadingLevel::H3 => SafeTag::H3,
        HeadingLevel::H4 => SafeTag::H4,
        HeadingLevel::H5 => SafeTag::H5,
        HeadingLevel::H6 => SafeTag::H6,
    }
}

impl Builder {
    fn finish(mut self) -> Vec<Block> {
        // A well-formed event stream closes everything; be safe anyway.
        while !self.stack.is_empty() {
            self.close_frame();
        }
        if let Some(start) = self.top_start.take() {
            let nodes = std::mem::take(&mut self.top);
            self.blocks.push(Block { range: start..start, nodes });
        }
        self.blocks
    }

    fn begin_block(&mut self, start: usize) {
        if self.stack.is_empty() && self.top_start.is_none() {
            self.top_start = Some(start);
        }
    }

    fn end_block_if_closed(&mut self, end: usize) {
        if self.stack.is_empty() {
            if let Some(start) = self.top_start.take() {
                let nodes = std::mem::take(&mut self.top);
                self.blocks.push(Block { range: start..end, nodes });
            }
        }
    }

    /// Adds a node to the innermost open element.
    fn emit(&mut self, node: SafeNode) {
        match self.stack.last_mut() {
            Some(Frame::Element(element)) => push_child(&mut element.children, node),
            Some(Frame::Unwrapped(children)) => push_child(children, node),
            Some(Frame::Code { text, .. }) => {
                if let SafeNode::Text(value) = node {
                    text.push_str(&value);
                }
            }
            None => push_child(&mut self.top, node),
        }
    }

    /// A leaf event: a block of its own at top level, else a child.
    fn emit_leaf(&mut self, node: SafeNode, range: &Range<usize>) {
        self.begin_block(range.start);
        self.emit(node);
        self.end_block_if_closed(range.end);
    }

    /// Text that keeps its line breaks (raw HTML blocks): lines joined by `br`.
    fn emit_lines(&mut self, value: &str) {
        let mut lines = value.split('\n').peekable();
        while let Some(line) = lines.next() {
            self.emit(text(line.strip_suffix('\r').unwrap_or(line)));
            if lines.peek().is_some() {
                self.emit(SafeNode::Element(SafeElement::new(SafeTag::Br)));
            }
        }
    }

    fn open(&mut self, element: SafeElement) {
        self.stack.push(Frame::Element(element));
    }

    /// Opens a nestable container, or an unwrapped frame past the cap.
    fn open_nestable(&mut self, element: SafeElement) {
        if self.stack.len() >= MAX_NESTING {
            self.stack.push(Frame::Unwrapped(Vec::new()));
        } else {
            self.open(element);
        }
    }

    /// Closes the innermost frame into its parent.
    fn close_frame(&mut self) {
        match self.stack.pop() {
            Some(Frame::Element(mut element)) => {
                if element.tag == SafeTag::Tr && !self.tables.last().is_some_and(|t| t.in_head) {
                    // A body row goes into the table's tbody, created at the first row.
                    if let Some(Frame::Element(table)) = self.stack.last_mut() {
                        if table.tag == SafeTag::Table {
                            match table.children.last_mut() {
                                Some(SafeNode::Element(body)) if body.tag == SafeTag::Tbody => {
                                    body.children.push(SafeNode::Element(element));
                                }
                                _ => {
                                    let mut body = SafeElement::new(SafeTag::Tbody);
                                    body.children.push(SafeNode::Element(element));
                                    table.children.push(SafeNode::Element(body));
                                }
                            }
                            return;
                        }
                    }
                }
                if element.tag == SafeTag::P {
                    // Raw HTML blocks end with a line break; paragraphs never do.
                    while matches!(element.children.last(), Some(SafeNode::Element(e)) if e.tag == SafeTag::Br) {
                        element.children.pop();
                    }
                    if element.children.is_empty() {
                        return;
                    }
                }
                self.emit(SafeNode::Element(element));
            }
            Some(Frame::Unwrapped(children)) => {
                for child in children {
                    self.emit(child);
                }
            }
            Some(Frame::Code { language, mut text }) => {
                if text.ends_with('\n') {
                    text.pop();
                }
                let mut code = SafeElement::new(SafeTag::Code);
                push_child(&mut code.children, SafeNode::Text(text));
                let mut pre = SafeElement::new(SafeTag::Pre);
                if let Some(language) = language {
                    pre.attrs.push((SafeAttr::Language, language));
                }
                pre.children.push(SafeNode::Element(code));
                self.emit(SafeNode::Element(pre));
            }
            None => {}
        }
    }

    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        if let Some(image) = &mut self.image {
            match event {
                Event::Start(Tag::Image { .. }) => image.depth += 1,
                Event::End(TagEnd::Image) => {
                    image.depth -= 1;
                    if image.depth == 0 {
                        self.close_image();
                    }
                }
                Event::Text(value)
                | Event::Code(value)
                | Event::InlineHtml(value)
                | Event::Html(value)
                | Event::InlineMath(value)
                | Event::DisplayMath(value) => image.alt.push_str(&value),
                Event::SoftBreak | Event::HardBreak => image.alt.push(' '),
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => {
                self.begin_block(range.start);
                self.start(tag);
            }
            Event::End(tag) => {
                self.end(tag);
                self.end_block_if_closed(range.end);
            }
            Event::Text(value) => self.emit_leaf(text(&value), &range),
            Event::Code(value) => {
                let mut code = SafeElement::new(SafeTag::Code);
                push_child(&mut code.children, text(&value));
                self.emit_leaf(SafeNode::Element(code), &range);
            }
            Event::Html(value) => {
                if self.stack.is_empty() {
                    self.begin_block(range.start);
                    self.open(SafeElement::new(SafeTag::P));
                    self.emit_lines(&value);
                    self.close_frame();
                    self.end_block_if_closed(range.end);
                } else {
                    self.emit_lines(&value);
                }
            }
            Event::InlineHtml(value) | Event::InlineMath(value) | Event::DisplayMath(value) => {
                self.emit_leaf(text(&value), &range)
            }
            Event::FootnoteReference(label) => self.emit_leaf(text(&format!("[^{label}]")), &range),
            Event::SoftBreak => self.emit_leaf(text("\n"), &range),
            Event::HardBreak => self.emit_leaf(SafeNode::Element(SafeElement::new(SafeTag::Br)), &range),
            Event::Rule => self.emit_leaf(SafeNode::Element(SafeElement::new(SafeTag::Hr)), &range),
            Event::TaskListMarker(checked) => {
                let mut input = SafeElement::new(SafeTag::Input);
                input.attrs.push((SafeAttr::Type, "checkbox".to_string()));
                input.attrs.push((SafeAttr::Disabled, String::new()));
                if checked {
                    input.attrs.push((SafeAttr::Checked, String::new()));
                }
                self.emit_leaf(SafeNode::Element(input), &range);
            }
        }
    }

    fn close_image(&mut self) {
        let Some(image) = self.image.take() else { return };
        match image.href {
            Some(href) => {
                let mut link = SafeElement::new(SafeTag::A);
                let label = if image.alt.trim().is_empty() { href.clone() } else { image.alt };
                link.attrs.push((SafeAttr::Href, href));
                push_child(&mut link.children, SafeNode::Text(label));
                self.emit(SafeNode::Element(link));
            }
            None => self.emit(SafeNode::Text(image.alt)),
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph | Tag::HtmlBlock => self.open(SafeElement::new(SafeTag::P)),
            Tag::Heading { level, .. } => self.open(SafeElement::new(heading_tag(level))),
            Tag::BlockQuote(_) => self.open_nestable(SafeElement::new(SafeTag::Blockquote)),
            Tag::CodeBlock(kind) => {
                let language = match kind {
                    CodeBlockKind::Fenced(info) => sanitize_language(&info),
                    CodeBlockKind::Indented => None,
                };
                self.stack.push(Frame::Code { language, text: String::new() });
            }
            Tag::List(first) => {
                let mut list = SafeElement::new(if first.is_some() { SafeTag::Ol } else { SafeTag::Ul });
                if let Some(number) = first.filter(|&n| n != 1) {
                    list.attrs.push((SafeAttr::Start, number.to_string()));
                }
                self.open_nestable(list);
            }
            Tag::Item => self.open_nestable(SafeElement::new(SafeTag::Li)),
            Tag::Table(aligns) => {
                self.tables.push(TableState { aligns, in_head: false, cell: 0 });
                self.open(SafeElement::new(SafeTag::Table));
            }
            Tag::TableHead => {
                if let Some(table) = self.tables.last_mut() {
                    table.in_head = true;
                    table.cell = 0;
                }
                self.open(SafeElement::new(SafeTag::Thead));
                self.open(SafeElement::new(SafeTag::Tr));
            }
            Tag::TableRow => {
                if let Some(table) = self.tables.last_mut() {
                    table.cell = 0;
                }
                self.open(SafeElement::new(SafeTag::Tr));
            }
            Tag::TableCell => {
                let (tag, align) = match self.tables.last_mut() {
                    Some(table) => {
                        let align = table.aligns.get(table.cell).copied().unwrap_or(Alignment::None);
                        table.cell += 1;
                        (if table.in_head { SafeTag::Th } else { SafeTag::Td }, align)
                    }
                    None => (SafeTag::Td, Alignment::None),
                };
                let mut cell = SafeElement::new(tag);
                let align = match align {
                    Alignment::None => None,
                    Alignment::Left => Some("left"),
                    Alignment::Center => Some("center"),
                    Alignment::Right => Some("right"),
                };
                if let Some(align) = align {
                    cell.attrs.push((SafeAttr::Align, align.to_string()));
                }
                self.open(cell);
            }
            Tag::Emphasis => self.open_nestable(SafeElement::new(SafeTag::Em)),
            Tag::Strong => self.open_nestable(SafeElement::new(SafeTag::Strong)),
            Tag::Strikethrough => self.open_nestable(SafeElement::new(SafeTag::Del)),
            Tag::Link { link_type, dest_url, .. } => {
                let destination = match link_type {
                    LinkType::Email => format!("mailto:{dest_url}"),
                    _ => dest_url.to_string(),
                };
                let href = if self.link_depth == 0 { safe_href(&destination) } else { None };
                self.link_depth += 1;
                match href {
                    Some(href) => {
                        let mut link = SafeElement::new(SafeTag::A);
                        link.attrs.push((SafeAttr::Href, href));
                        self.open_nestable(link);
                    }
                    None => self.stack.push(Frame::Unwrapped(Vec::new())),
                }
            }
            Tag::Image { dest_url, .. } => {
                let href = (self.link_depth == 0 && is_http(&dest_url)).then(|| dest_url.to_string());
                self.image = Some(ImageAlt { depth: 1, href, alt: String::new() });
            }
            Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::Superscript
            | Tag::Subscript
            | Tag::MetadataBlock(_) => self.stack.push(Frame::Unwrapped(Vec::new())),
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::TableHead => {
                self.close_frame(); // tr
                self.close_frame(); // thead
                if let Some(table) = self.tables.last_mut() {
                    table.in_head = false;
                }
            }
            TagEnd::Table => {
                self.close_frame();
                self.tables.pop();
            }
            TagEnd::Link => {
                self.link_depth = self.link_depth.saturating_sub(1);
                self.close_frame();
            }
            TagEnd::Image => {} // handled while reading the alt text
            _ => self.close_frame(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(text: &str) -> String {
        to_html_string(&render_markdown(text))
    }

    /// Feeds the text in the given pieces; returns (finished per push, final concatenation).
    fn stream(pieces: &[&str]) -> (Vec<String>, Vec<SafeNode>) {
        let mut renderer = IncrementalMarkdown::new();
        let mut finished_per_push = Vec::new();
        let mut all = Vec::new();
        for piece in pieces {
            let update = renderer.push(piece);
            finished_per_push.push(to_html_string(&update.finished));
            all.extend(update.finished);
        }
        let update = renderer.finish();
        assert!(update.tail.is_empty());
        all.extend(update.finished);
        (finished_per_push, all)
    }

    #[test]
    fn urls_are_vetted() {
        for good in ["http://a.example/", "HTTPS://a.example/x?y#z", "mailto:a@b.example", "https:"] {
            assert_eq!(safe_href(good).as_deref(), Some(good), "{good}");
        }
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "java\tscript:alert(1)",
            " javascript:alert(1)",
            "\u{1}javascript:alert(1)",
            "http://a b",
            "https://a\n.example",
            "vbscript:msgbox",
            "data:text/html,<script>alert(1)</script>",
            "/relative",
            "relative.html",
            "//evil.example/",
            "#top",
            "ftp://a.example",
            "file:///etc/passwd",
            "htt",
            "",
            "ｈttp://fullwidth.example",
        ] {
            assert_eq!(safe_href(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn entity_and_escape_obfuscation_is_decoded_before_vetting() {
        for text in [
            "[x](&#106;avascript:alert(1))",
            "[x](&#x6A;avascript:alert(1))",
            "[x](java&#9;script:alert(1))",
            "[x](<java script:alert(1)>)",
            "[x](javascript&colon;alert(1))",
            "[x](\\javascript:alert(1))",
            "<javascript:alert(1)>",
        ] {
            let out = html(text);
            assert!(!out.contains("href"), "{text} gave {out}");
        }
        assert_eq!(html("[x](HTTP://a.example)"), "<p><a href=\"HTTP://a.example\">x</a></p>\n");
        assert_eq!(html("<a@b.example>"), "<p><a href=\"mailto:a@b.example\">a@b.example</a></p>\n");
    }

    #[test]
    fn languages_are_sanitized() {
        assert_eq!(sanitize_language("rust").as_deref(), Some("rust"));
        assert_eq!(sanitize_language("rust,ignore x").as_deref(), Some("rust"));
        assert_eq!(sanitize_language("c++").as_deref(), Some("c++"));
        assert_eq!(sanitize_language("\"><script>").as_deref(), None);
        assert_eq!(sanitize_language(&"a".repeat(100)).map(|l| l.len()), Some(32));
        assert_eq!(sanitize_language(""), None);
    }

    #[test]
    fn raw_html_is_text_and_images_are_not_loaded() {
        assert_eq!(html("<script>alert(1)</script>"), "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n");
        assert_eq!(html("a <b>b</b>"), "<p>a &lt;b&gt;b&lt;/b&gt;</p>\n");
        assert_eq!(html("![cat](https://a.example/c.png)"), "<p><a href=\"https://a.example/c.png\">cat</a></p>\n");
        assert_eq!(html("![cat](javascript:alert(1))"), "<p>cat</p>\n");
        assert_eq!(html("![cat](mailto:a@b.example)"), "<p>cat</p>\n");
        assert_eq!(html("![猫](http:中文)"), "<p><a href=\"http:中文\">猫</a></p>\n");
        assert_eq!(
            html("[![cat](https://i.example/c.png)](https://a.example)"),
            "<p><a href=\"https://a.example\">cat</a></p>\n"
        );
    }

    #[test]
    fn nesting_is_capped() {
        let text = ">".repeat(10_000) + " deep";
        let nodes = render_markdown(&text);
        fn depth(nodes: &[SafeNode]) -> usize {
            nodes
                .iter()
                .map(|n| match n {
                    SafeNode::Element(e) => 1 + depth(&e.children),
                    SafeNode::Text(_) => 0,
                })
                .max()
                .unwrap_or(0)
        }
        assert!(depth(&nodes) <= MAX_NESTING + 2, "depth {}", depth(&nodes));
        assert!(plain_text(&nodes).contains("deep"));
    }

    #[test]
    fn a_block_finishes_once_a_complete_line_starts_the_next() {
        // The heading is not finished while the next line is incomplete...
        let mut renderer = IncrementalMarkdown::new();
        let update = renderer.push("# Title\n\nPara");
        assert!(update.finished.is_empty());
        assert_eq!(to_html_string(&update.tail), "<h1>Title</h1>\n<p>Para</p>\n");
        // ...and is once it is complete.
        let update = renderer.push("graph\n");
        assert_eq!(to_html_string(&update.finished), "<h1>Title</h1>\n");
        assert_eq!(to_html_string(&update.tail), "<p>Paragraph</p>\n");
        assert_eq!(renderer.open_len(), "Paragraph\n".len());
    }

    #[test]
    fn a_list_stays_open_while_a_partial_line_could_continue_it() {
        let (per_push, _) = stream(&["1. a\n\n2", ". b\n\n", "after\n", "\n"]);
        assert_eq!(per_push[0], "");
        assert_eq!(per_push[1], "");
        assert_eq!(per_push[2], "<ol>\n<li><p>a</p>\n</li>\n<li><p>b</p>\n</li>\n</ol>\n");
    }

    #[test]
    fn indented_lines_and_markers_continue_a_list() {
        let (per_push, all) = stream(&["- a\n\n", "  more\n\n", "- b\n\n", "end\n"]);
        assert!(per_push[..3].iter().all(|p| p.is_empty()), "{per_push:?}");
        assert_eq!(all, render_markdown("- a\n\n  more\n\n- b\n\nend\n"));
        assert!(per_push[3].starts_with("<ul>"));
    }

    #[test]
    fn a_fence_stays_open_until_closed() {
        let (per_push, all) = stream(&["```rust\nfn a() {}\n\n", "# not a heading\n\n", "```\n", "after\n"]);
        assert_eq!(per_push[..3].concat(), "");
        assert_eq!(per_push[3], "<pre data-language=\"rust\"><code>fn a() {}\n\n# not a heading\n</code></pre>\n");
        assert_eq!(all, render_markdown("```rust\nfn a() {}\n\n# not a heading\n\n```\nafter\n"));
    }

    #[test]
    fn a_lone_cr_at_the_end_is_not_a_complete_line() {
        assert_eq!(complete_prefix_len("a\r"), 0);
        assert_eq!(complete_prefix_len("a\r\n"), 3);
        assert_eq!(complete_prefix_len("a\rb"), 0);
        assert_eq!(complete_prefix_len("a\nb\rc"), 2);
        let (_, all) = stream(&["# a\r", "\nb\r", "\n\r", "\nc"]);
        assert_eq!(all, render_markdown("# a\r\nb\r\n\r\nc"));
    }

    #[test]
    fn reference_definitions_carry_forward_to_later_blocks() {
        let text =
            "[r]: https://r.example\n\nIntro.\n\nSee [the ref][R] and [r].\n\n[late]\n\nmiddle\n\n[late]: https://l.example\n";
        for size in [1, 3, 1000] {
            let pieces: Vec<String> =
                text.chars().collect::<Vec<_>>().chunks(size).map(|c| c.iter().collect()).collect();
            let pieces: Vec<&str> = pieces.iter().map(String::as_str).collect();
            let (_, all) = stream(&pieces);
            let html = to_html_string(&all);
            assert!(
                html.contains("<a href=\"https://r.example\">the ref</a> and <a href=\"https://r.example\">r</a>"),
                "{html}"
            );
            if size < 1000 {
                // A use that finished before its definition arrived stays text.
                assert!(html.contains("<p>[late]</p>"), "{html}");
            }
        }
    }

    #[test]
    fn finished_blocks_are_not_rendered_again() {
        let mut renderer = IncrementalMarkdown::new();
        let mut text = String::new();
        for i in 0..200 {
            let paragraph = format!("Paragraph {i} with *some* text.\n\n");
            text.push_str(&paragraph);
            renderer.push(&paragraph);
            assert!(renderer.open_len() <= 2 * paragraph.len() + 2, "tail grew to {}", renderer.open_len());
        }
    }
}
