//! The Markdown writer: a cleaned DOM subtree to LLM-ready Markdown and its sections.
//!
//! One pass over the tree, in document order, with an explicit heap stack
//! instead of recursion (the wasm stack is 1 MiB and pages can nest
//! thousands of levels deep). Text is written straight into the output:
//! whitespace, line breaks, list markers, quote prefixes, heading markers
//! and emphasis are all decided lazily, at the moment the next word is
//! written, so the output needs no second normalization pass and section
//! offsets are exact as recorded. Only data-table cells are buffered, because
//! a GFM table row can only be written once all its cells are known.

use super::parse::attribute;
use super::tunables::{
    INVISIBLE_CHARACTERS, LAYOUT_CELL_BLOCKS, MARKUP_SEARCH_BYTES, MAX_COLSPAN, MAX_LINK_NESTING, MAX_NESTED_CONTAINERS,
};
use super::Section;
use dom_query::{local_name, Element, NodeData, NodeId, NodeRef, Tree, TreeNode};
use html5ever::LocalName;
use std::borrow::Cow;
use std::fmt::Write as _;

/// How [`render`] writes the Markdown.
#[derive(Clone, Copy, Debug, Default)]
pub struct MarkdownOptions<'a> {
    /// The page's address, against which relative link and image targets resolve.
    pub base_url: &'a str,
    /// Write link and image targets (`[text](url)`, `![alt](url)`). Off by
    /// default: targets cost tokens and rarely help the model; links then
    /// read as their text and images are left out (their alt text stands in
    /// for a picture, and is not text a sighted reader reads).
    pub link_targets: bool,
}

/// The Markdown of a subtree, with its sections.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rendered {
    /// The Markdown: no leading or trailing blank lines, no trailing spaces,
    /// at most one blank line in a row outside code blocks.
    pub markdown: String,
    /// One section per heading, in order, plus a level-0 section for any
    /// text before the first heading. Offsets are byte offsets into `markdown`.
    pub sections: Vec<Section>,
    /// Zero-width and other invisible characters dropped from the text.
    pub invisible_characters: usize,
}

/// Writes the subtree at `root` (the root included) as Markdown.
///
/// Expects a cleaned tree (hidden elements, scripts and furniture removed),
/// but never panics and never recurses on any tree.
pub fn render(root: &NodeRef, options: &MarkdownOptions) -> Rendered {
    let mut writer = Writer::new(root.tree, options);
    walk(root.tree, root.id, |node, step| match step {
        Step::Enter => writer.enter(node),
        Step::Exit => {
            writer.exit();
            Flow::Descend
        }
    });
    writer.finish()
}

// ---------------------------------------------------------------------------
// Tree walking
// ---------------------------------------------------------------------------

/// Whether a walk enters a node's children.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Flow {
    /// Visit the children, then report the node's exit.
    Descend,
    /// Skip the children; no exit is reported.
    Skip,
    /// End the walk.
    Stop,
}

/// Which side of a node a walk is on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    Enter,
    Exit,
}

/// Visits `root` and its descendants in document order, without recursion.
/// `visit` sees every node on entry; nodes it descends into (whether or
/// not they have children) are reported again on exit.
fn walk(tree: &Tree, root: NodeId, mut visit: impl FnMut(&TreeNode, Step) -> Flow) {
    let mut open: Vec<NodeId> = Vec::new();
    let mut next = Some(root);
    loop {
        let Some(id) = next else {
            let Some(parent) = open.pop() else { return };
            let Some((flow, sibling)) = tree.query_node(&parent, |node| (visit(node, Step::Exit), node.next_sibling))
            else {
                return;
            };
            if flow == Flow::Stop || parent == root {
                return;
            }
            next = sibling;
            continue;
        };
        let Some((flow, first_child, sibling)) = tree.query_node(&id, |node| {
            let mut flow = visit(node, Step::Enter);
            if flow == Flow::Descend && node.first_child.is_none() {
                flow = match visit(node, Step::Exit) {
                    Flow::Stop => Flow::Stop,
                    _ => Flow::Skip,
                };
            }
            (flow, node.first_child, node.next_sibling)
        }) else {
            return;
        };
        match flow {
            Flow::Stop => return,
            Flow::Descend => {
                open.push(id);
                next = first_child;
            }
            Flow::Skip => {
                if id == root {
                    return;
                }
                next = sibling;
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Elements
// ---------------------------------------------------------------------------

/// What the writer does with an element.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tag {
    /// Never text (scripts, styles, templates, `<head>`…).
    Skip,
    /// Inline content: no line break around it. Pages often style inline
    /// elements as blocks, so a word that ends in lower case and a word that
    /// starts in upper case on either side of one are kept apart
    /// (`<b>Title</b>Text`).
    Inline,
    /// Inline content that belongs to the word around it (`H<sub>2</sub>O`).
    Tight,
    /// A custom element (`<relative-time>`): inline, but its text never glues
    /// to a neighbouring word of a spaced script.
    Custom,
    /// A block that starts a new line (`1`) or a new paragraph (`2`).
    Block(u8),
    Heading(u8),
    Pre,
    Code,
    Blockquote,
    List {
        ordered: bool,
    },
    ListItem,
    Table,
    TableSection,
    Row,
    Cell,
    Caption,
    Rule,
    LineBreak,
    Emphasis,
    Strong,
    Link,
    Image,
}

fn classify(name: &str) -> Tag {
    match name {
        "p" | "address" | "figure" | "dl" | "details" | "fieldset" => Tag::Block(2),
        "div" | "section" | "article" | "main" | "header" | "footer" | "nav" | "aside" | "body" | "html" | "dt"
        | "dd" | "figcaption" | "summary" | "legend" | "hgroup" | "center" | "form" | "search" | "dialog"
        | "noscript" | "frameset" | "frame" | "optgroup" | "option" | "select" | "map" | "video" | "audio"
        | "picture" | "iframe" | "object" | "menuitem" => Tag::Block(1),
        "h1" => Tag::Heading(1),
        "h2" => Tag::Heading(2),
        "h3" => Tag::Heading(3),
        "h4" => Tag::Heading(4),
        "h5" => Tag::Heading(5),
        "h6" => Tag::Heading(6),
        "pre" | "listing" | "xmp" | "plaintext" => Tag::Pre,
        "code" => Tag::Code,
        "blockquote" => Tag::Blockquote,
        "ul" | "menu" | "dir" => Tag::List { ordered: false },
        "ol" => Tag::List { ordered: true },
        "li" => Tag::ListItem,
        "table" => Tag::Table,
        "thead" | "tbody" | "tfoot" | "colgroup" | "col" => Tag::TableSection,
        "tr" => Tag::Row,
        "td" | "th" => Tag::Cell,
        "caption" => Tag::Caption,
        "hr" => Tag::Rule,
        "br" => Tag::LineBreak,
        "em" | "i" => Tag::Emphasis,
        "strong" | "b" => Tag::Strong,
        "a" => Tag::Link,
        "img" => Tag::Image,
        "script" | "style" | "template" | "head" | "title" | "svg" | "annotation" | "annotation-xml" | "meta"
        | "link" | "base" => Tag::Skip,
        "sub" | "sup" | "ruby" | "rt" | "rp" | "wbr" => Tag::Tight,
        _ if name.contains('-') => Tag::Custom,
        _ => Tag::Inline,
    }
}

// ---------------------------------------------------------------------------
// Characters
// ---------------------------------------------------------------------------

/// The smallest invisible character, so that ordinary text skips the list.
const INVISIBLE_MIN: char = {
    let mut smallest = char::MAX;
    let mut index = 0;
    while index < INVISIBLE_CHARACTERS.len() {
        if (INVISIBLE_CHARACTERS[index] as u32) < smallest as u32 {
            smallest = INVISIBLE_CHARACTERS[index];
        }
        index += 1;
    }
    smallest
};

/// What a character of page text is to the writer.
#[derive(Clone, Copy, PartialEq, Eq)]
enum CharKind {
    Plain,
    /// HTML whitespace, and the no-break space (written as a plain space).
    Space,
    /// Renders as nothing: dropped and counted.
    Invisible,
    /// A control character other than whitespace: not text, dropped.
    Control,
}

// The ASCII table below knows no invisible character.
const _: () = assert!(INVISIBLE_MIN as u32 > 0x7F);

/// [`char_kind`] of every ASCII character, looked up a byte at a time.
static ASCII_KINDS: [CharKind; 128] = {
    let mut kinds = [CharKind::Plain; 128];
    let mut byte = 0;
    while byte < 128 {
        kinds[byte] = match byte as u8 {
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0C' => CharKind::Space,
            0..=0x1F | 0x7F => CharKind::Control,
            _ => CharKind::Plain,
        };
        byte += 1;
    }
    kinds
};

fn char_kind(character: char) -> CharKind {
    if character.is_ascii() {
        return ASCII_KINDS[character as usize];
    }
    match character {
        '\u{A0}' => CharKind::Space,
        _ if character >= INVISIBLE_MIN && INVISIBLE_CHARACTERS.contains(&character) => CharKind::Invisible,
        // Unicode tag characters spell ASCII invisibly ("ASCII smuggling").
        '\u{E0000}'..='\u{E007F}' => CharKind::Invisible,
        _ => CharKind::Plain,
    }
}

/// How strongly an element boundary separates the texts on either side.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Boundary {
    None,
    /// An inline element: apart only where a lower-case letter or digit
    /// meets an upper-case letter, the sign of two blocks run together.
    Case,
    /// An image or custom element: apart wherever two words of a spaced script meet.
    Word,
}

impl Boundary {
    /// Whether a space belongs between `last` and `next` across this boundary.
    fn separates(self, last: char, next: char) -> bool {
        match self {
            Boundary::None => false,
            Boundary::Case => (last.is_lowercase() || last.is_ascii_digit()) && next.is_uppercase(),
            Boundary::Word => is_spaced_word_character(last) && is_spaced_word_character(next),
        }
    }
}

/// Letters and digits of scripts that separate words with spaces. Two of
/// them side by side from different elements would read as one word.
fn is_spaced_word_character(character: char) -> bool {
    let code = character as u32;
    character.is_alphanumeric() && code < 0x2E80 && !(0x0E00..=0x0EFF).contains(&code)
}

// ---------------------------------------------------------------------------
// The writer
// ---------------------------------------------------------------------------

/// A block container that prefixes its lines.
enum Container {
    Quote,
    /// A list item: its marker on its first line, indentation on the next.
    Item {
        number: Option<u64>,
        marker_written: bool,
    },
}

impl Container {
    fn indent_width(number: Option<u64>) -> usize {
        match number {
            None => 2,
            Some(number) => {
                let mut digits = 1;
                let mut rest = number / 10;
                while rest > 0 {
                    digits += 1;
                    rest /= 10;
                }
                digits + 2
            }
        }
    }
}

/// An inline span whose markers are written around its text.
#[derive(PartialEq, Eq)]
enum SpanKind {
    Emphasis,
    Strong,
    Link(String),
}

struct Span {
    kind: SpanKind,
    /// Whether the span has begun in the current line: its closing marker is owed.
    opened: bool,
    /// Whether its markers are written: emphasis right after another
    /// emphasis's closing `*` is left plain, as `****` would not read as
    /// two spans.
    marked: bool,
    /// Where the opening marker starts in the output.
    open_at: usize,
}

/// The numbering of an open list.
struct ListCounter {
    ordered: bool,
    next: u64,
    reversed: bool,
}

/// The output state set aside while a table cell is written into its own buffer.
struct SavedOutput {
    out: String,
    pending_break: u8,
    pending_space: bool,
    boundary: Boundary,
    last_character: Option<char>,
    container_floor: usize,
    span_floor: usize,
}

/// An open table.
struct TableState {
    /// Written as a GFM table (rather than as plain blocks).
    data: bool,
    rows: Vec<Vec<String>>,
    caption: Option<String>,
    /// The surrounding output while a cell is being written.
    cell: Option<SavedOutput>,
}

/// A heading being written.
struct OpenHeading {
    level: u8,
    /// Where its line starts, once its first text is written.
    line_start: Option<usize>,
    /// Where its text starts (after `## `).
    text_start: usize,
}

/// What to do when an element closes.
enum Exit {
    Nothing,
    Boundary(Boundary),
    Break(u8),
    Heading { span_floor: usize },
    Quote,
    List(u8),
    Item,
    Span,
    Table,
    Cell { colspan: usize },
    Caption,
}

struct Writer<'t, 'o> {
    tree: &'t Tree,
    options: &'o MarkdownOptions<'o>,
    out: String,
    /// Line breaks owed before the next text: 1 a new line, 2 a blank line.
    pending_break: u8,
    /// How many containers were open when the owed break was first asked
    /// for: a blank line belongs to the blocks around both its neighbours.
    break_depth: usize,
    /// A space owed before the next text on the same line.
    pending_space: bool,
    /// An element boundary since the last text: a space is owed if the
    /// texts on either side would otherwise read as one word.
    boundary: Boundary,
    /// The last character of text written (markup aside).
    last_character: Option<char>,
    containers: Vec<Container>,
    /// Containers below this index belong to the output outside the current cell.
    container_floor: usize,
    spans: Vec<Span>,
    /// Emphasis spans below this index belong outside the current heading
    /// or cell, and stay closed inside it.
    span_floor: usize,
    /// Inside a heading or table cell: blocks and line breaks become spaces.
    inline_depth: usize,
    heading: Option<OpenHeading>,
    heading_stack: Vec<(u8, String)>,
    sections: Vec<Section>,
    lists: Vec<ListCounter>,
    tables: Vec<TableState>,
    frames: Vec<Exit>,
    invisible_characters: usize,
    /// Reused text buffer for code and alt text.
    scratch: String,
}

impl<'t, 'o> Writer<'t, 'o> {
    fn new(tree: &'t Tree, options: &'o MarkdownOptions<'o>) -> Self {
        Writer {
            tree,
            options,
            out: String::new(),
            pending_break: 0,
            break_depth: 0,
            pending_space: false,
            boundary: Boundary::None,
            last_character: None,
            containers: Vec::new(),
            container_floor: 0,
            spans: Vec::new(),
            span_floor: 0,
            inline_depth: 0,
            heading: None,
            heading_stack: Vec::new(),
            sections: Vec::new(),
            lists: Vec::new(),
            tables: Vec::new(),
            frames: Vec::new(),
            invisible_characters: 0,
            scratch: String::new(),
        }
    }

    fn finish(mut self) -> Rendered {
        self.close_spans();
        let length = self.out.trim_end().len();
        self.out.truncate(length);
        if self.sections.is_empty() && !self.out.is_empty() {
            self.sections.push(Section { heading_path: Vec::new(), level: 0, start: 0, end: length });
        }
        if let Some(last) = self.sections.last_mut() {
            last.end = length;
        }
        for section in &mut self.sections {
            section.start = section.start.min(length);
            section.end = section.end.clamp(section.start, length);
        }
        Rendered { markdown: self.out, sections: self.sections, invisible_characters: self.invisible_characters }
    }

    // --- Structure -------------------------------------------------------

    fn enter(&mut self, node: &TreeNode) -> Flow {
        match &node.data {
            NodeData::Text { contents } => {
                self.write_text(contents);
                Flow::Skip
            }
            NodeData::Element(element) => self.enter_element(node, element),
            NodeData::Document | NodeData::Fragment => {
                self.frames.push(Exit::Nothing);
                Flow::Descend
            }
            _ => Flow::Skip,
        }
    }

    fn exit(&mut self) {
        let Some(exit) = self.frames.pop() else { return };
        match exit {
            Exit::Nothing => {}
            Exit::Boundary(boundary) => self.mark_boundary(boundary),
            Exit::Break(lines) => self.request_break(lines),
            Exit::Heading { span_floor } => self.finish_heading(span_floor),
            Exit::Quote => {
                self.request_break(2);
                self.containers.pop();
            }
            Exit::List(lines) => {
                self.lists.pop();
                self.request_break(lines);
            }
            Exit::Item => {
                // Items follow each other line by line, even after a paragraph.
                if matches!(self.containers.last(), Some(Container::Item { marker_written: true, .. })) {
                    self.pending_break = self.pending_break.min(1);
                }
                self.request_break(1);
                self.containers.pop();
            }
            Exit::Span => {
                if let Some(span) = self.spans.pop() {
                    if span.opened {
                        close_span(&mut self.out, &span);
                    }
                }
                self.mark_boundary(Boundary::Case);
            }
            Exit::Table => {
                if let Some(table) = self.tables.pop() {
                    if table.data {
                        self.write_table(table);
                    }
                }
                self.request_break(2);
            }
            Exit::Cell { colspan } => {
                let text = self.finish_cell();
                if let Some(table) = self.tables.last_mut() {
                    if table.rows.is_empty() {
                        table.rows.push(Vec::new());
                    }
                    if let Some(row) = table.rows.last_mut() {
                        row.push(text);
                        for _ in 1..colspan {
                            row.push(String::new());
                        }
                    }
                }
            }
            Exit::Caption => {
                let text = self.finish_cell();
                if let Some(table) = self.tables.last_mut() {
                    match &mut table.caption {
                        Some(caption) if !text.is_empty() => {
                            caption.push(' ');
                            caption.push_str(&text);
                        }
                        Some(_) => {}
                        None => table.caption = Some(text),
                    }
                }
            }
        }
    }

    fn descend(&mut self, exit: Exit) -> Flow {
        self.frames.push(exit);
        Flow::Descend
    }

    fn enter_element(&mut self, node: &TreeNode, element: &Element) -> Flow {
        let inline = self.inline_depth > 0;
        match classify(&element.name.local) {
            Tag::Skip => Flow::Skip,
            Tag::Tight | Tag::TableSection => self.descend(Exit::Nothing),
            Tag::Inline => {
                self.mark_boundary(Boundary::Case);
                self.descend(Exit::Boundary(Boundary::Case))
            }
            Tag::Custom => {
                self.mark_boundary(Boundary::Word);
                self.descend(Exit::Boundary(Boundary::Word))
            }
            Tag::Block(lines) => {
                self.request_break(lines);
                self.descend(Exit::Break(lines))
            }
            Tag::Heading(level) => {
                self.request_break(2);
                if inline {
                    return self.descend(Exit::Break(2));
                }
                self.heading = Some(OpenHeading { level, line_start: None, text_start: 0 });
                self.inline_depth += 1;
                let span_floor = std::mem::replace(&mut self.span_floor, self.spans.len());
                self.descend(Exit::Heading { span_floor })
            }
            Tag::Pre if inline => {
                self.request_break(1);
                self.descend(Exit::Break(1))
            }
            Tag::Pre => {
                self.write_code_block(node, element);
                Flow::Skip
            }
            Tag::Code => {
                self.write_inline_code(node.id);
                Flow::Skip
            }
            Tag::Blockquote => {
                self.request_break(2);
                if inline || self.containers.len() >= MAX_NESTED_CONTAINERS {
                    return self.descend(Exit::Break(2));
                }
                self.containers.push(Container::Quote);
                self.descend(Exit::Quote)
            }
            Tag::List { ordered } => {
                let nested = matches!(self.containers.last(), Some(Container::Item { .. }));
                let lines = if nested { 1 } else { 2 };
                self.request_break(lines);
                let reversed = attribute(element, local_name!("reversed")).is_some();
                let start = attribute(element, local_name!("start")).and_then(|start| start.trim().parse::<i64>().ok());
                let next = match start {
                    Some(start) => start.clamp(0, 999_999_999) as u64,
                    None if reversed => self.count_items(node) as u64,
                    None => 1,
                };
                self.lists.push(ListCounter { ordered, next, reversed });
                self.descend(Exit::List(lines))
            }
            Tag::ListItem => {
                self.request_break(1);
                if inline || self.containers.len() >= MAX_NESTED_CONTAINERS {
                    return self.descend(Exit::Break(1));
                }
                let value = attribute(element, local_name!("value")).and_then(|value| value.trim().parse::<i64>().ok());
                let number = match self.lists.last_mut() {
                    Some(list) if list.ordered => {
                        let number = value.map_or(list.next, |value| value.clamp(0, 999_999_999) as u64);
                        list.next = if list.reversed { number.saturating_sub(1) } else { number + 1 };
                        Some(number)
                    }
                    _ => None,
                };
                self.containers.push(Container::Item { number, marker_written: false });
                self.descend(Exit::Item)
            }
            Tag::Table => {
                let data = !inline && !is_layout_table(self.tree, node.id, element);
                self.request_break(2);
                self.tables.push(TableState { data, rows: Vec::new(), caption: None, cell: None });
                self.descend(Exit::Table)
            }
            Tag::Row => {
                match self.tables.last_mut() {
                    Some(table) if table.data && table.cell.is_none() => table.rows.push(Vec::new()),
                    _ => {
                        self.request_break(1);
                        return self.descend(Exit::Break(1));
                    }
                }
                self.descend(Exit::Nothing)
            }
            tag @ (Tag::Cell | Tag::Caption) => {
                if !matches!(self.tables.last(), Some(table) if table.data && table.cell.is_none()) {
                    self.request_break(1);
                    return self.descend(Exit::Break(1));
                }
                self.start_cell();
                if tag == Tag::Caption {
                    return self.descend(Exit::Caption);
                }
                let colspan = attribute(element, local_name!("colspan"))
                    .and_then(|span| span.trim().parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, MAX_COLSPAN);
                self.descend(Exit::Cell { colspan })
            }
            Tag::Rule => {
                if inline {
                    self.pending_space = true;
                } else {
                    self.request_break(2);
                    self.write_raw_line("---");
                    self.request_break(2);
                }
                Flow::Skip
            }
            Tag::LineBreak => {
                if inline {
                    self.pending_space = true;
                } else {
                    // A second `<br>` in a row leaves a blank line.
                    self.close_spans();
                    self.owe_break((self.pending_break + 1).min(2));
                }
                Flow::Skip
            }
            Tag::Emphasis => self.enter_span(SpanKind::Emphasis),
            Tag::Strong => self.enter_span(SpanKind::Strong),
            Tag::Link => {
                let target = if self.options.link_targets {
                    attribute(element, local_name!("href"))
                        .filter(|href| {
                            let href = href.trim();
                            !href.is_empty() && !href.starts_with('#')
                        })
                        .and_then(|href| resolve_url(self.options.base_url, href))
                } else {
                    None
                };
                match target {
                    Some(url) => self.enter_span(SpanKind::Link(url)),
                    None => {
                        self.mark_boundary(Boundary::Case);
                        self.descend(Exit::Boundary(Boundary::Case))
                    }
                }
            }
            Tag::Image => {
                self.write_image(node, element);
                Flow::Skip
            }
        }
    }

    /// The `<li>` children of a list, for `reversed` numbering.
    fn count_items(&self, list: &TreeNode) -> usize {
        let mut count = 0;
        let mut child = list.first_child;
        while let Some(id) = child {
            child = self
                .tree
                .query_node(&id, |node| {
                    if matches!(&node.data, NodeData::Element(element) if element.name.local == local_name!("li")) {
                        count += 1;
                    }
                    node.next_sibling
                })
                .flatten();
        }
        count
    }

    fn enter_span(&mut self, kind: SpanKind) -> Flow {
        let same_kind_open =
            self.spans.iter().any(|span| std::mem::discriminant(&span.kind) == std::mem::discriminant(&kind));
        let emphasis = matches!(kind, SpanKind::Emphasis | SpanKind::Strong);
        // Emphasis inside headings and table cells is noise; nested
        // emphasis of one kind would write `****`.
        self.mark_boundary(Boundary::Case);
        if same_kind_open || (emphasis && self.inline_depth > 0) {
            return self.descend(Exit::Boundary(Boundary::Case));
        }
        self.spans.push(Span { kind, opened: false, marked: false, open_at: 0 });
        self.descend(Exit::Span)
    }

    fn finish_heading(&mut self, span_floor: usize) {
        self.close_spans();
        self.inline_depth = self.inline_depth.saturating_sub(1);
        self.span_floor = span_floor;
        if let Some(OpenHeading { level, line_start: Some(start), text_start }) = self.heading.take() {
            let line = self.out.get(text_start..).unwrap_or_default();
            let mut text = to_plain_text(line);
            if text.trim().is_empty() {
                // Literal markup characters only (`* *`): keep them as written.
                text = line.to_string();
            }
            while self.heading_stack.last().is_some_and(|(open, _)| *open >= level) {
                self.heading_stack.pop();
            }
            self.heading_stack.push((level, text.trim().to_string()));
            let heading_path = self.heading_stack.iter().map(|(_, text)| text.clone()).collect();
            self.sections.push(Section { heading_path, level, start, end: self.out.len() });
        }
        self.request_break(2);
    }

    /// Sets the surrounding output aside and starts a cell's own buffer.
    fn start_cell(&mut self) {
        let saved = SavedOutput {
            out: std::mem::take(&mut self.out),
            pending_break: std::mem::take(&mut self.pending_break),
            pending_space: std::mem::take(&mut self.pending_space),
            boundary: std::mem::replace(&mut self.boundary, Boundary::None),
            last_character: self.last_character.take(),
            container_floor: std::mem::replace(&mut self.container_floor, self.containers.len()),
            span_floor: std::mem::replace(&mut self.span_floor, self.spans.len()),
        };
        self.inline_depth += 1;
        if let Some(table) = self.tables.last_mut() {
            table.cell = Some(saved);
        }
    }

    /// Ends a cell: its text (pipes escaped), and the surrounding output back.
    fn finish_cell(&mut self) -> String {
        self.close_spans();
        let Some(saved) = self.tables.last_mut().and_then(|table| table.cell.take()) else {
            return String::new();
        };
        self.inline_depth = self.inline_depth.saturating_sub(1);
        let text = std::mem::replace(&mut self.out, saved.out);
        self.pending_break = saved.pending_break;
        self.pending_space = saved.pending_space;
        self.boundary = saved.boundary;
        self.last_character = saved.last_character;
        self.container_floor = saved.container_floor;
        self.span_floor = saved.span_floor;
        if text.contains(['|', '\n']) {
            text.replace('|', "\\|").replace('\n', " ")
        } else {
            text
        }
    }

    fn write_table(&mut self, table: TableState) {
        let caption = table.caption.filter(|caption| !caption.trim().is_empty());
        let rows: Vec<Vec<String>> =
            table.rows.into_iter().filter(|row| row.iter().any(|cell| !cell.trim().is_empty())).collect();
        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        let columns: Vec<usize> = (0..width)
            .filter(|&column| rows.iter().any(|row| row.get(column).is_some_and(|cell| !cell.trim().is_empty())))
            .collect();
        if let Some(caption) = caption {
            self.write_raw_line(&caption.trim().replace("\\|", "|"));
            self.request_break(2);
        }
        if columns.len() == 1 {
            // A single column of text once empty spacer columns are gone: plain lines.
            for row in &rows {
                if let Some(cell) = columns.first().and_then(|&column| row.get(column)) {
                    self.write_raw_line(cell.trim());
                }
            }
            return;
        }
        let mut line = String::new();
        for (index, row) in rows.iter().enumerate() {
            line.clear();
            line.push('|');
            for &column in &columns {
                let cell = row.get(column).map_or("", |cell| cell.trim());
                if !cell.is_empty() {
                    line.push(' ');
                    line.push_str(cell);
                }
                line.push_str(" |");
            }
            self.write_raw_line(&line);
            if index == 0 {
                line.clear();
                line.push('|');
                for _ in &columns {
                    line.push_str(" --- |");
                }
                self.write_raw_line(&line);
            }
        }
    }

    // --- Output ------------------------------------------------------------

    /// Asks for a new line (`1`) or a blank line (`2`) before the next text;
    /// inside a heading or table cell, a space instead.
    fn request_break(&mut self, lines: u8) {
        if self.inline_depth > 0 {
            self.pending_space = true;
            return;
        }
        self.close_spans();
        // A list item's first block starts on the marker's line, not after a blank one.
        let item_start = matches!(
            self.containers.get(self.container_floor..).and_then(<[Container]>::last),
            Some(Container::Item { marker_written: false, .. })
        );
        self.owe_break(if item_start { lines.min(1) } else { lines });
    }

    fn owe_break(&mut self, lines: u8) {
        self.break_depth =
            if self.pending_break == 0 { self.containers.len() } else { self.break_depth.min(self.containers.len()) };
        self.pending_break = self.pending_break.max(lines);
    }

    /// Writes page text, collapsing whitespace as HTML does.
    fn write_text(&mut self, text: &str) {
        let mut word_start = None;
        let bytes = text.as_bytes();
        let mut next = 0;
        while next < bytes.len() {
            let index = next;
            // ASCII is classified from its byte; only other text is decoded.
            let kind = if bytes[index].is_ascii() {
                next += 1;
                ASCII_KINDS[usize::from(bytes[index])]
            } else {
                let character = text[index..].chars().next().unwrap_or_default();
                next += character.len_utf8().max(1);
                char_kind(character)
            };
            if kind == CharKind::Plain {
                if word_start.is_none() {
                    word_start = Some(index);
                }
                continue;
            }
            if let Some(start) = word_start.take() {
                self.write_word(text.get(start..index).unwrap_or_default());
            }
            match kind {
                CharKind::Space => self.pending_space = true,
                CharKind::Invisible => self.invisible_characters += 1,
                CharKind::Control | CharKind::Plain => {}
            }
        }
        if let Some(start) = word_start {
            self.write_word(text.get(start..).unwrap_or_default());
        }
    }

    fn mark_boundary(&mut self, boundary: Boundary) {
        self.boundary = self.boundary.max(boundary);
    }

    fn write_word(&mut self, word: &str) {
        let Some(first) = word.chars().next() else { return };
        self.begin_inline(first);
        self.out.push_str(word);
        self.last_character = word.chars().next_back();
    }

    /// Settles what is owed before inline text starting with `first`:
    /// line breaks and prefixes, or a space, then span openers.
    fn begin_inline(&mut self, first: char) {
        if self.out.is_empty() {
            self.line_prefix();
        } else if self.pending_break > 0 {
            self.new_line(self.pending_break > 1);
        } else if self.pending_space || self.last_character.is_some_and(|last| self.boundary.separates(last, first)) {
            self.out.push(' ');
        }
        self.pending_break = 0;
        self.pending_space = false;
        self.boundary = Boundary::None;
        let floor = self.span_floor;
        let after_asterisk = self.out.ends_with('*');
        for (index, span) in self.spans.iter_mut().enumerate() {
            // Emphasis from outside a heading or cell stays outside; a link
            // around a heading or cell links its text.
            if !span.opened && (index >= floor || matches!(span.kind, SpanKind::Link(_))) {
                span.opened = true;
                span.open_at = self.out.len();
                span.marked = !(after_asterisk && matches!(span.kind, SpanKind::Emphasis | SpanKind::Strong));
                if span.marked {
                    self.out.push_str(match span.kind {
                        SpanKind::Emphasis => "*",
                        SpanKind::Strong => "**",
                        SpanKind::Link(_) => "[",
                    });
                }
            }
        }
    }

    /// Writes the closing markers of open spans, innermost first; they
    /// reopen before the next text.
    fn close_spans(&mut self) {
        for span in self.spans.iter_mut().rev().filter(|span| span.opened) {
            close_span(&mut self.out, span);
            span.opened = false;
        }
    }

    /// Ends the line: a line break, a blank line if asked, and the new line's prefix.
    fn new_line(&mut self, blank: bool) {
        self.out.push('\n');
        if blank {
            let shared = self.break_depth.min(self.containers.len());
            if let Some(containers) = self.containers.get(self.container_floor..shared) {
                for container in containers {
                    match container {
                        Container::Quote => self.out.push_str("> "),
                        Container::Item { number, marker_written: true } => {
                            push_spaces(&mut self.out, Container::indent_width(*number))
                        }
                        Container::Item { marker_written: false, .. } => {}
                    }
                }
            }
            trim_trailing_spaces(&mut self.out);
            self.out.push('\n');
        }
        self.line_prefix();
    }

    /// Writes the current line's prefix: quote markers, list markers or
    /// indentation, and a pending heading's `#`s.
    fn line_prefix(&mut self) {
        let line_start = self.out.len();
        if let Some(containers) = self.containers.get_mut(self.container_floor..) {
            for container in containers {
                match container {
                    Container::Quote => self.out.push_str("> "),
                    Container::Item { number, marker_written } => {
                        if *marker_written {
                            push_spaces(&mut self.out, Container::indent_width(*number));
                        } else {
                            *marker_written = true;
                            match number {
                                Some(number) => {
                                    let _ = write!(self.out, "{number}. ");
                                }
                                None => self.out.push_str("- "),
                            }
                        }
                    }
                }
            }
        }
        let Some(heading) = self.heading.as_mut() else { return };
        if heading.line_start.is_some() || self.inline_depth != 1 {
            return;
        }
        heading.line_start = Some(line_start);
        let level = heading.level;
        for _ in 0..level {
            self.out.push('#');
        }
        self.out.push(' ');
        heading.text_start = self.out.len();
        // The section before this one ends here; text before the first
        // heading becomes a level-0 section.
        match self.sections.last_mut() {
            Some(previous) => previous.end = line_start,
            None if line_start > 0 => {
                self.sections.push(Section { heading_path: Vec::new(), level: 0, start: 0, end: line_start })
            }
            None => {}
        }
    }

    /// Writes one line verbatim on its own line (code, table rows, rules).
    fn write_raw_line(&mut self, line: &str) {
        if self.inline_depth > 0 {
            // Never reached for well-formed input; keep the text on the line.
            self.write_text(line);
            return;
        }
        self.close_spans();
        if self.out.is_empty() {
            self.line_prefix();
        } else if self.pending_break > 0 {
            self.new_line(self.pending_break > 1);
        } else {
            self.new_line(false);
        }
        self.pending_break = 0;
        self.pending_space = false;
        self.boundary = Boundary::None;
        self.last_character = None;
        self.out.push_str(line);
        trim_trailing_spaces(&mut self.out);
    }

    fn write_code_block(&mut self, node: &TreeNode, element: &Element) {
        self.request_break(2);
        let language = code_language(self.tree, node, element);
        let mut text = std::mem::take(&mut self.scratch);
        text.clear();
        gather_text(self.tree, node.id, Gather::Verbatim, &mut text, &mut self.invisible_characters);
        let lines: Vec<&str> = text.split('\n').map(|line| line.trim_end_matches([' ', '\t'])).collect();
        let first = lines.iter().position(|line| !line.is_empty());
        let last = lines.iter().rposition(|line| !line.is_empty());
        if let (Some(first), Some(last)) = (first, last) {
            let fence = "`".repeat((longest_run(&text, '`') + 1).max(3));
            let mut opening = fence.clone();
            opening.push_str(language.as_deref().unwrap_or_default());
            self.write_raw_line(&opening);
            for line in lines.get(first..=last).unwrap_or_default() {
                self.write_raw_line(line);
            }
            self.write_raw_line(&fence);
        }
        self.scratch = text;
        self.request_break(2);
    }

    fn write_inline_code(&mut self, id: NodeId) {
        let mut text = std::mem::take(&mut self.scratch);
        text.clear();
        gather_text(self.tree, id, Gather::Collapsed, &mut text, &mut self.invisible_characters);
        if text.starts_with(' ') {
            self.pending_space = true;
        }
        let code = text.trim_matches(' ');
        if let Some(first) = code.chars().next() {
            let fence_length = longest_run(code, '`') + 1;
            let padding = if code.starts_with('`') || code.ends_with('`') { " " } else { "" };
            self.begin_inline(first);
            for _ in 0..fence_length {
                self.out.push('`');
            }
            self.out.push_str(padding);
            self.out.push_str(code);
            self.out.push_str(padding);
            for _ in 0..fence_length {
                self.out.push('`');
            }
            self.last_character = code.chars().next_back();
        }
        if text.len() > 1 && text.ends_with(' ') {
            self.pending_space = true;
        }
        self.scratch = text;
    }

    /// Whether `node` lies inside a `figure`.
    fn in_figure(&self, node: &TreeNode) -> bool {
        let Some(parent) = node.parent else { return false };
        std::iter::once(parent)
            .chain(self.tree.ancestor_ids_of_it(&parent, None))
            .any(|id| self.tree.get_name(&id).is_some_and(|name| name.local == local_name!("figure")))
    }

    fn write_image(&mut self, node: &TreeNode, element: &Element) {
        let mut alt = String::new();
        if let Some(text) = attribute(element, local_name!("alt")) {
            collapse_into(text, &mut alt, &mut self.invisible_characters);
        }
        let alt = alt.trim_matches(' ');
        let Some(first) = alt.chars().next() else { return };
        // Without targets a picture outside a `figure` is left out: its alt
        // text is not what a sighted reader reads (it stands in for a picture
        // they see), and on articles it is mostly stock-photo descriptions
        // ("A woman holding a phone"). A figure is part of the text: its
        // caption refers to it (a chart, a diagram). An emoji or smiley drawn
        // as a picture (alt without letters or digits) is part of the
        // sentence and stays. With targets the picture is a reference the
        // model can pass on.
        if !self.options.link_targets && alt.chars().any(char::is_alphanumeric) && !self.in_figure(node) {
            return;
        }
        let target = if self.options.link_targets {
            [local_name!("src"), LocalName::from("data-src")]
                .into_iter()
                .filter_map(|name| attribute(element, name))
                .map(str::trim)
                .find(|source| !source.is_empty() && !has_scheme(source, "data"))
                .and_then(|source| resolve_url(self.options.base_url, source))
        } else {
            None
        };
        // An image is a word of its own: its alt never glues to the text around it.
        self.mark_boundary(Boundary::Word);
        self.begin_inline(first);
        match target {
            Some(url) => {
                self.out.push_str("![");
                self.out.push_str(alt);
                self.out.push_str("](");
                push_destination(&mut self.out, &url);
                self.out.push(')');
            }
            None => self.out.push_str(alt),
        }
        self.last_character = alt.chars().next_back();
        self.mark_boundary(Boundary::Word);
    }
}

/// Writes a span's closing marker. A link whose text is its own address is
/// written once, as the bare address.
fn close_span(out: &mut String, span: &Span) {
    if !span.marked {
        return;
    }
    match &span.kind {
        SpanKind::Emphasis => out.push('*'),
        SpanKind::Strong => out.push_str("**"),
        SpanKind::Link(url) => {
            let text = out.get(span.open_at + 1..).unwrap_or_default();
            if out.is_char_boundary(span.open_at)
                && out.get(span.open_at..).is_some_and(|rest| rest.starts_with('['))
                && same_address(text, url)
            {
                out.remove(span.open_at);
            } else {
                out.push_str("](");
                push_destination(out, url);
                out.push(')');
            }
        }
    }
}

/// Whether link text merely spells out its target (`example.com/a` for `https://example.com/a`).
fn same_address(text: &str, url: &str) -> bool {
    fn bare(address: &str) -> &str {
        let address = address.trim();
        let address = address.split_once("://").map_or(address, |(_, rest)| rest);
        let address = address.strip_prefix("mailto:").unwrap_or(address);
        let address = address.strip_prefix("www.").unwrap_or(address);
        address.trim_end_matches('/')
    }
    !text.trim().is_empty() && bare(text).eq_ignore_ascii_case(bare(url))
}

/// Writes a link destination, escaping what would end it early.
fn push_destination(out: &mut String, url: &str) {
    for character in url.chars() {
        match character {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            _ => out.push(character),
        }
    }
}

fn push_spaces(out: &mut String, count: usize) {
    for _ in 0..count {
        out.push(' ');
    }
}

fn trim_trailing_spaces(out: &mut String) {
    let length = out.trim_end_matches(' ').len();
    out.truncate(length);
}

/// The length of the longest run of `marker` in `text`.
fn longest_run(text: &str, marker: char) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for character in text.chars() {
        if character == marker {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    longest
}

/// Appends `text` with whitespace collapsed to single spaces (kept at the
/// ends), invisible characters dropped and counted.
fn collapse_into(text: &str, out: &mut String, invisible: &mut usize) {
    for character in text.chars() {
        match char_kind(character) {
            CharKind::Plain => out.push(character),
            CharKind::Space => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            CharKind::Invisible => *invisible += 1,
            CharKind::Control => {}
        }
    }
}

/// How [`gather_text`] treats whitespace.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Gather {
    /// As in `<pre>`: kept, with `<br>` and block boundaries as line breaks.
    Verbatim,
    /// As in inline text: collapsed to single spaces.
    Collapsed,
}

/// Appends the text under `root` (not rendered as Markdown).
fn gather_text(tree: &Tree, root: NodeId, mode: Gather, out: &mut String, invisible: &mut usize) {
    let separate = |out: &mut String| match mode {
        Gather::Verbatim => {
            if !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
        }
        Gather::Collapsed => {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        }
    };
    walk(tree, root, |node, step| {
        if node.id == root {
            return Flow::Descend;
        }
        match &node.data {
            NodeData::Text { contents } if step == Step::Enter => match mode {
                Gather::Collapsed => collapse_into(contents, out, invisible),
                Gather::Verbatim => {
                    for character in contents.chars() {
                        match char_kind(character) {
                            CharKind::Plain => out.push(character),
                            CharKind::Space if character == '\u{A0}' || character == '\u{0C}' => out.push(' '),
                            CharKind::Space if character == '\r' => {}
                            CharKind::Space => out.push(character),
                            CharKind::Invisible => *invisible += 1,
                            CharKind::Control => {}
                        }
                    }
                }
            },
            NodeData::Element(element) => match classify(&element.name.local) {
                Tag::Skip => return Flow::Skip,
                Tag::LineBreak if step == Step::Enter => match mode {
                    Gather::Verbatim => out.push('\n'),
                    Gather::Collapsed => separate(out),
                },
                Tag::Block(_)
                | Tag::Heading(_)
                | Tag::Pre
                | Tag::Blockquote
                | Tag::List { .. }
                | Tag::ListItem
                | Tag::Table
                | Tag::Row
                | Tag::Caption
                | Tag::Rule => separate(out),
                Tag::Cell if step == Step::Enter => match mode {
                    Gather::Verbatim if !out.is_empty() && !out.ends_with(['\n', '\t']) => out.push('\t'),
                    Gather::Verbatim => {}
                    Gather::Collapsed => separate(out),
                },
                _ => {}
            },
            _ => {}
        }
        Flow::Descend
    });
}

/// Whether a table lays out the page rather than holding data: nested
/// tables, headings, code, quotes, many paragraphs in a cell, or a single column.
fn is_layout_table(tree: &Tree, table: NodeId, element: &Element) -> bool {
    if attribute(element, local_name!("role")).is_some_and(|role| matches!(role.trim(), "presentation" | "none")) {
        return true;
    }
    let mut layout = false;
    let mut widest_row = 0;
    let mut row_width = 0;
    let mut cell_blocks = 0;
    walk(tree, table, |node, step| {
        if node.id == table {
            return Flow::Descend;
        }
        let NodeData::Element(element) = &node.data else { return Flow::Skip };
        match (classify(&element.name.local), step) {
            (Tag::Skip, _) => return Flow::Skip,
            (Tag::Table | Tag::Heading(_) | Tag::Pre | Tag::Blockquote | Tag::Rule, _) => {
                layout = true;
                return Flow::Stop;
            }
            (Tag::Row, Step::Enter) => row_width = 0,
            (Tag::Row, Step::Exit) => widest_row = widest_row.max(row_width),
            (Tag::Cell, Step::Enter) => {
                row_width += attribute(element, local_name!("colspan"))
                    .and_then(|span| span.trim().parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, MAX_COLSPAN);
                cell_blocks = 0;
            }
            (_, Step::Enter)
                if matches!(
                    &*element.name.local,
                    "p" | "section" | "article" | "figure" | "dl" | "ul" | "ol" | "menu"
                ) =>
            {
                cell_blocks += 1;
                if cell_blocks >= LAYOUT_CELL_BLOCKS {
                    layout = true;
                    return Flow::Stop;
                }
            }
            _ => {}
        }
        Flow::Descend
    });
    layout || widest_row <= 1
}

/// The language of a code block, from the classes and data attributes that
/// highlighters put on `<pre>`, its `<code>` or its wrapper.
fn code_language(tree: &Tree, pre: &TreeNode, element: &Element) -> Option<String> {
    if let Some(language) = language_of(element, false) {
        return Some(language);
    }
    let first_element = |mut child: Option<NodeId>| {
        while let Some(id) = child {
            let (found, next) = tree.query_node(&id, |node| match &node.data {
                NodeData::Element(element) => (Some(language_of(element, false)), None),
                NodeData::Text { contents } if !contents.trim().is_empty() => (Some(None), None),
                _ => (None, node.next_sibling),
            })?;
            if found.is_some() {
                return found.flatten();
            }
            child = next;
        }
        None
    };
    if let Some(language) = first_element(pre.first_child) {
        return Some(language);
    }
    let parent = pre.parent?;
    tree.query_node(&parent, |node| match &node.data {
        NodeData::Element(element) => language_of(element, true),
        _ => None,
    })
    .flatten()
}

/// The language an element's attributes name, lower-cased. On a wrapper
/// around the `<pre>`, `lang-` is more often the page's human language.
fn language_of(element: &Element, wrapper: bool) -> Option<String> {
    let valid = |name: &str| {
        let name = name.trim().trim_end_matches(';');
        (!name.is_empty()
            && name.len() <= 32
            && name.chars().all(|character| character.is_ascii_alphanumeric() || "+-#._".contains(character)))
        .then(|| name.to_ascii_lowercase())
    };
    for name in ["data-lang", "data-language"] {
        if let Some(language) = attribute(element, LocalName::from(name)).and_then(valid) {
            return Some(language);
        }
    }
    let class = attribute(element, local_name!("class"))?;
    let mut tokens = class.split_ascii_whitespace();
    while let Some(token) = tokens.next() {
        if let Some(rest) = token.strip_prefix("brush:") {
            let name = if rest.is_empty() { tokens.next().unwrap_or_default() } else { rest };
            if let Some(language) = valid(name) {
                return Some(language);
            }
            continue;
        }
        let name = ["language-", "lang-", "highlight-source-", "highlight-"]
            .iter()
            .filter(|prefix| !(wrapper && **prefix == "lang-"))
            .find_map(|prefix| token.strip_prefix(prefix));
        if let Some(language) = name.and_then(valid) {
            return Some(language);
        }
    }
    None
}

// ---------------------------------------------------------------------------
// Plain text
// ---------------------------------------------------------------------------

/// Strips the Markdown this module writes down to readable plain text, for
/// `--format text`: no `#`, `>`, emphasis markers, code fences or link
/// targets; list markers (`- `, `1. `) and their indentation stay, table
/// rows become tab-separated cells.
pub fn to_plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    // An open code fence: its backtick count and how many `>` it sits in.
    let mut fence: Option<(usize, usize)> = None;
    let mut blank_lines = 0;
    let mut line_out = String::new();
    for line in markdown.split('\n') {
        line_out.clear();
        // Prefixes: indentation is kept, `>` dropped, list markers kept.
        let mut rest = line;
        let mut quotes = 0;
        loop {
            let unindented = rest.trim_start_matches(' ');
            let indent = rest.get(..rest.len() - unindented.len()).unwrap_or_default();
            if let Some(unquoted) = unindented.strip_prefix('>') {
                if fence.is_some_and(|(_, depth)| quotes >= depth) {
                    break;
                }
                line_out.push_str(indent);
                rest = unquoted.strip_prefix(' ').unwrap_or(unquoted);
                quotes += 1;
            } else if let Some(marker) = list_marker(unindented).filter(|_| fence.is_none()) {
                line_out.push_str(indent);
                line_out.push_str(marker);
                rest = unindented.get(marker.len()..).unwrap_or_default();
            } else {
                break;
            }
        }
        let unindented = rest.trim_start_matches(' ');
        let backticks = unindented.len() - unindented.trim_start_matches('`').len();
        let info = unindented.get(backticks..).unwrap_or_default();
        if let Some((open, _)) = fence {
            if backticks >= open && info.trim().is_empty() {
                fence = None;
                continue;
            }
            line_out.push_str(rest);
        } else if backticks >= 3 && !info.contains('`') {
            fence = Some((backticks, quotes));
            continue;
        } else if rest.trim() == "---" {
            // A thematic break: a paragraph boundary in plain text.
        } else if is_table_separator(rest) {
            continue;
        } else if rest.starts_with('|') && rest.trim_end().ends_with('|') && rest.trim_end().len() > 1 {
            write_table_row(rest.trim_end(), &mut line_out);
        } else {
            let hashes = rest.len() - rest.trim_start_matches('#').len();
            if (1..=6).contains(&hashes) && rest.get(hashes..).is_some_and(|after| after.starts_with(' ')) {
                rest = rest.get(hashes + 1..).unwrap_or_default();
            }
            strip_inline(rest, &mut line_out, 0);
        }
        let text = line_out.trim_end();
        if text.trim().is_empty() {
            blank_lines += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_lines > 0 { "\n\n" } else { "\n" });
        }
        blank_lines = 0;
        out.push_str(text);
    }
    out
}

/// A list marker (`- `, `12. `) at the start of `line`.
fn list_marker(line: &str) -> Option<&str> {
    if line.starts_with("- ") {
        return line.get(..2);
    }
    let digits = line.len() - line.trim_start_matches(|character: char| character.is_ascii_digit()).len();
    let marker = line.get(..digits + 2)?;
    ((1..=9).contains(&digits) && marker.ends_with(". ")).then_some(marker)
}

fn is_table_separator(line: &str) -> bool {
    let line = line.trim_end();
    line.starts_with('|')
        && line.contains('-')
        && line.chars().all(|character| matches!(character, '|' | '-' | ':' | ' '))
}

/// `| a | b\|c |` as `a<TAB>b|c`.
fn write_table_row(row: &str, out: &mut String) {
    let inner = row.strip_prefix('|').unwrap_or(row);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let mut cell = String::new();
    let mut first = true;
    let mut characters = inner.chars().peekable();
    fn flush(cell: &mut String, out: &mut String, first: &mut bool) {
        if !*first {
            out.push('\t');
        }
        *first = false;
        strip_inline(cell.trim(), out, 0);
        cell.clear();
    }
    while let Some(character) = characters.next() {
        match character {
            '\\' if characters.peek() == Some(&'|') => {
                cell.push('|');
                characters.next();
            }
            '|' => flush(&mut cell, out, &mut first),
            _ => cell.push(character),
        }
    }
    flush(&mut cell, out, &mut first);
}

/// An emphasis delimiter run in a line being stripped.
struct Delimiter {
    /// Where the run was copied to in the output.
    at: usize,
    length: usize,
    can_open: bool,
    can_close: bool,
    /// Paired with another run: markup, dropped.
    paired: bool,
}

/// Appends `text` with links, images, code spans and emphasis reduced to their text.
fn strip_inline(text: &str, out: &mut String, link_depth: usize) {
    let base = out.len();
    let mut delimiters: Vec<Delimiter> = Vec::new();
    let mut index = 0;
    while let Some(character) = text.get(index..).and_then(|rest| rest.chars().next()) {
        let rest = text.get(index..).unwrap_or_default();
        match character {
            '`' => {
                let run = rest.len() - rest.trim_start_matches('`').len();
                let after = rest.get(run..).unwrap_or_default();
                let closing = find_backtick_run(after, run);
                match closing {
                    Some(end) => {
                        let code = after.get(..end).unwrap_or_default();
                        let code = if code.len() >= 2 && code.starts_with(' ') && code.ends_with(' ') {
                            code.get(1..code.len() - 1).unwrap_or(code)
                        } else {
                            code
                        };
                        out.push_str(code);
                        index += run + end + run;
                    }
                    None => {
                        out.push_str(rest.get(..run).unwrap_or_default());
                        index += run;
                    }
                }
            }
            '!' | '[' => {
                let bracket = if character == '!' { 1 } else { 0 };
                let link = rest.get(bracket..).filter(|link| link.starts_with('[') && link_depth < MAX_LINK_NESTING);
                match link.and_then(parse_link) {
                    Some((label, consumed)) => {
                        strip_inline(label, out, link_depth + 1);
                        index += bracket + consumed;
                    }
                    None => {
                        out.push(character);
                        index += character.len_utf8();
                    }
                }
            }
            '*' => {
                let run = rest.len() - rest.trim_start_matches('*').len();
                let before = text.get(..index).and_then(|head| head.chars().next_back());
                let after = rest.get(run..).and_then(|tail| tail.chars().next());
                let can_open = after.is_some_and(|next| !next.is_whitespace());
                let can_close = before.is_some_and(|previous| !previous.is_whitespace());
                if run <= 3 && (can_open || can_close) {
                    delimiters.push(Delimiter {
                        at: out.len() - base,
                        length: run,
                        can_open,
                        can_close,
                        paired: false,
                    });
                }
                out.push_str(rest.get(..run).unwrap_or_default());
                index += run;
            }
            _ => {
                out.push(character);
                index += character.len_utf8();
            }
        }
    }
    // Pair closers with the nearest earlier opener of the same length.
    let mut openers: Vec<usize> = Vec::new();
    for current in 0..delimiters.len() {
        let (can_open, can_close, length) = match delimiters.get(current) {
            Some(delimiter) => (delimiter.can_open, delimiter.can_close, delimiter.length),
            None => continue,
        };
        let matching = if can_close {
            openers.iter().rposition(|&opener| delimiters.get(opener).is_some_and(|open| open.length == length))
        } else {
            None
        };
        if let Some(position) = matching {
            if let Some(&opener) = openers.get(position) {
                if let Some(open) = delimiters.get_mut(opener) {
                    open.paired = true;
                }
                if let Some(close) = delimiters.get_mut(current) {
                    close.paired = true;
                }
            }
            openers.truncate(position);
        } else if can_open {
            openers.push(current);
        }
    }
    // Drop the paired runs, last first so earlier offsets stay valid.
    for delimiter in delimiters.iter().rev().filter(|delimiter| delimiter.paired) {
        let start = base + delimiter.at;
        if out.is_char_boundary(start) && out.is_char_boundary(start + delimiter.length) {
            out.replace_range(start..start + delimiter.length, "");
        }
    }
}

/// The offset in `text` of the next run of exactly `length` backticks.
fn find_backtick_run(text: &str, length: usize) -> Option<usize> {
    let mut index = 0;
    while let Some(found) = text.get(index..).and_then(|rest| rest.find('`')) {
        let start = index + found;
        if start > MARKUP_SEARCH_BYTES {
            return None;
        }
        let rest = text.get(start..).unwrap_or_default();
        let run = rest.len() - rest.trim_start_matches('`').len();
        if run == length {
            return Some(start);
        }
        index = start + run;
    }
    None
}

/// `[label](destination)` at the start of `text`: the label and the bytes consumed.
fn parse_link(text: &str) -> Option<(&str, usize)> {
    let mut depth = 0usize;
    let mut label_end = None;
    for (index, character) in text.char_indices().take_while(|&(index, _)| index < MARKUP_SEARCH_BYTES) {
        match character {
            '[' => depth += 1,
            ']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    label_end = Some(index);
                    break;
                }
            }
            _ => {}
        }
    }
    let label_end = label_end?;
    let after = text.get(label_end + 1..)?;
    if !after.starts_with('(') {
        return None;
    }
    let mut depth = 0usize;
    for (index, character) in after.char_indices().take_while(|&(index, _)| index < MARKUP_SEARCH_BYTES) {
        match character {
            '(' => depth += 1,
            ')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    let destination = after.get(1..index)?;
                    if destination.contains([' ', '\n']) {
                        return None;
                    }
                    return Some((text.get(1..label_end)?, label_end + 1 + index + 1));
                }
            }
            _ => {}
        }
    }
    None
}

// ---------------------------------------------------------------------------
// URLs
// ---------------------------------------------------------------------------

/// Resolves a link or image `reference` against the page address `base`, as
/// in RFC 3986 section 5.2 (strict: `http:g` stays as written). `None` for
/// `javascript:`, `data:` and `vbscript:` targets, and for a relative
/// reference without an absolute base.
pub fn resolve_url(base: &str, reference: &str) -> Option<String> {
    let reference = clean_reference(reference);
    let target = UriParts::parse(&reference);
    if let Some(scheme) = target.scheme {
        if ["javascript", "data", "vbscript"].iter().any(|blocked| scheme.eq_ignore_ascii_case(blocked)) {
            return None;
        }
        let path = remove_dot_segments(target.path);
        return Some(target.with_path(&path).recompose());
    }
    let base = clean_reference(base);
    let base = UriParts::parse(&base);
    let scheme = base.scheme?;
    if ["javascript", "data", "vbscript"].iter().any(|blocked| scheme.eq_ignore_ascii_case(blocked)) {
        return None;
    }
    let (authority, path, query) = if target.authority.is_some() {
        (target.authority, remove_dot_segments(target.path), target.query)
    } else if target.path.is_empty() {
        (base.authority, base.path.to_string(), target.query.or(base.query))
    } else if target.path.starts_with('/') {
        (base.authority, remove_dot_segments(target.path), target.query)
    } else {
        let merged = if base.authority.is_some() && base.path.is_empty() {
            format!("/{}", target.path)
        } else {
            let directory = base.path.rfind('/').map_or("", |slash| base.path.get(..=slash).unwrap_or_default());
            format!("{directory}{}", target.path)
        };
        (base.authority, remove_dot_segments(&merged), target.query)
    };
    let resolved = UriParts { scheme: Some(scheme), authority, path: &path, query, fragment: target.fragment };
    Some(resolved.recompose())
}

/// Trims surrounding whitespace and drops tabs and line breaks inside, as browsers do.
fn clean_reference(reference: &str) -> Cow<'_, str> {
    let trimmed = reference.trim_matches(|character: char| character <= ' ');
    if trimmed.contains(['\t', '\n', '\r']) {
        Cow::Owned(trimmed.chars().filter(|character| !matches!(character, '\t' | '\n' | '\r')).collect())
    } else {
        Cow::Borrowed(trimmed)
    }
}

/// The five components of a URI reference (RFC 3986 appendix B).
struct UriParts<'a> {
    scheme: Option<&'a str>,
    authority: Option<&'a str>,
    path: &'a str,
    query: Option<&'a str>,
    fragment: Option<&'a str>,
}

impl<'a> UriParts<'a> {
    fn parse(text: &'a str) -> Self {
        let (text, fragment) = match text.split_once('#') {
            Some((before, fragment)) => (before, Some(fragment)),
            None => (text, None),
        };
        let (text, query) = match text.split_once('?') {
            Some((before, query)) => (before, Some(query)),
            None => (text, None),
        };
        let (scheme, text) = match text.split_once(':') {
            Some((scheme, rest)) if is_scheme(scheme) => (Some(scheme), rest),
            _ => (None, text),
        };
        let (authority, path) = match text.strip_prefix("//") {
            Some(rest) => match rest.find('/') {
                Some(slash) => (Some(rest.get(..slash).unwrap_or_default()), rest.get(slash..).unwrap_or_default()),
                None => (Some(rest), ""),
            },
            None => (None, text),
        };
        UriParts { scheme, authority, path, query, fragment }
    }

    fn with_path<'p>(&self, path: &'p str) -> UriParts<'p>
    where
        'a: 'p,
    {
        UriParts { scheme: self.scheme, authority: self.authority, path, query: self.query, fragment: self.fragment }
    }

    fn recompose(&self) -> String {
        let mut out = String::new();
        if let Some(scheme) = self.scheme {
            out.push_str(&scheme.to_ascii_lowercase());
            out.push(':');
        }
        if let Some(authority) = self.authority {
            out.push_str("//");
            out.push_str(authority);
        }
        out.push_str(self.path);
        if let Some(query) = self.query {
            out.push('?');
            out.push_str(query);
        }
        if let Some(fragment) = self.fragment {
            out.push('#');
            out.push_str(fragment);
        }
        out
    }
}

fn is_scheme(text: &str) -> bool {
    let mut characters = text.chars();
    characters.next().is_some_and(|first| first.is_ascii_alphabetic())
        && characters.all(|character| character.is_ascii_alphanumeric() || matches!(character, '+' | '-' | '.'))
}

/// Whether `reference` uses `scheme` (ASCII case-insensitive).
fn has_scheme(reference: &str, scheme: &str) -> bool {
    reference.split_once(':').is_some_and(|(found, _)| found.trim().eq_ignore_ascii_case(scheme))
}

/// RFC 3986 section 5.2.4.
fn remove_dot_segments(path: &str) -> String {
    let mut input = path;
    let mut output = String::with_capacity(path.len());
    let pop_segment = |output: &mut String| {
        let cut = output.rfind('/').unwrap_or(0);
        output.truncate(cut);
    };
    while !input.is_empty() {
        if let Some(rest) = input.strip_prefix("../") {
            input = rest;
        } else if let Some(rest) = input.strip_prefix("./") {
            input = rest;
        } else if input.starts_with("/./") {
            input = input.get(2..).unwrap_or_default();
        } else if input == "/." {
            input = "/";
        } else if input.starts_with("/../") {
            input = input.get(3..).unwrap_or_default();
            pop_segment(&mut output);
        } else if input == "/.." {
            input = "/";
            pop_segment(&mut output);
        } else if input == "." || input == ".." {
            input = "";
        } else {
            let skip = usize::from(input.starts_with('/'));
            let end = input.get(skip..).and_then(|rest| rest.find('/')).map_or(input.len(), |slash| slash + skip);
            output.push_str(input.get(..end).unwrap_or_default());
            input = input.get(end..).unwrap_or_default();
        }
    }
    output
}

#[cfg(test)]
mod tests {
    use super::*;
    use dom_query::Document;

    const BASE: &str = "https://example.com/guide/page.html?x=1";

    fn rendered(html: &str, link_targets: bool) -> Rendered {
        let document = Document::from(html);
        let root = document.body().unwrap_or_else(|| document.root());
        let result = render(&root, &MarkdownOptions { base_url: BASE, link_targets });
        assert_well_formed(&result);
        result
    }

    fn markdown(html: &str) -> String {
        rendered(html, false).markdown
    }

    fn with_targets(html: &str) -> String {
        rendered(html, true).markdown
    }

    /// The output invariants every rendering must keep.
    fn assert_well_formed(result: &Rendered) {
        let markdown = &result.markdown;
        assert_eq!(markdown.trim(), markdown, "{markdown:?}");
        let mut in_code = false;
        let mut blank_run = 0;
        for line in markdown.split('\n') {
            assert!(!line.ends_with(' '), "trailing space in {line:?} of {markdown:?}");
            let content = line.trim_start_matches(|c: char| " >-.".contains(c) || c.is_ascii_digit());
            if content.starts_with("```") {
                in_code = !in_code;
            }
            blank_run = if line.trim_start_matches(['>', ' ']).is_empty() { blank_run + 1 } else { 0 };
            assert!(in_code || blank_run <= 1, "two blank lines in a row in {markdown:?}");
        }
        let mut previous_end = 0;
        for section in &result.sections {
            assert_eq!(section.start, previous_end, "sections must tile the Markdown: {:?}", result.sections);
            assert!(section.start <= section.end && section.end <= markdown.len());
            let text = &markdown[section.start..section.end];
            if section.level > 0 {
                let line = text.lines().next().unwrap_or_default();
                let marker = "#".repeat(section.level as usize) + " ";
                let unprefixed = line.trim_start_matches(|c: char| " >-.".contains(c) || c.is_ascii_digit());
                assert!(unprefixed.starts_with(&marker), "section {section:?} starts at {line:?}");
                let title = section.heading_path.last().map(String::as_str).unwrap_or_default();
                assert!(!title.is_empty() && !title.contains('\n'), "{line:?} vs {:?}", section.heading_path);
            }
            previous_end = section.end;
        }
        if let Some(last) = result.sections.last() {
            assert_eq!(last.end, markdown.len());
        } else {
            assert!(markdown.is_empty());
        }
    }

    #[test]
    fn paragraphs_collapse_whitespace_and_are_separated_by_one_blank_line() {
        let html = "<p>  One\n\t two  </p>\n\n<p>Three&nbsp;&nbsp;four</p><div>Five</div><div>Six<br>Seven</div>";
        assert_eq!(markdown(html), "One two\n\nThree four\n\nFive\nSix\nSeven");
        assert_eq!(markdown("<div><div><p>a</p></div></div><div></div><p></p><p>b</p>"), "a\n\nb");
        assert_eq!(markdown("<p>a<br><br><br>b</p>"), "a\n\nb");
        assert_eq!(markdown(""), "");
        assert_eq!(markdown("<p>   </p>"), "");
    }

    #[test]
    fn inline_elements_never_add_or_remove_spaces() {
        assert_eq!(markdown("<p>潮<span>池</span>の<b>生</b>物</p>"), "潮池の**生**物");
        assert_eq!(markdown("<p>tide<span>pool</span> <span>life</span></p>"), "tidepool life");
        assert_eq!(markdown("<p>See <a href=/x>the <i>guide</i></a>.</p>"), "See the *guide*.");
        // Custom elements and images are words of their own in spaced scripts only.
        assert_eq!(markdown("<p><x-a>Posted</x-a><x-b>today</x-b></p>"), "Posted today");
        assert_eq!(markdown("<p><x-a>潮</x-a><x-b>池</x-b></p>"), "潮池");
        assert_eq!(with_targets("<p>A<img alt=crab src=c.png>B</p>"), "A ![crab](https://example.com/guide/c.png) B");
        // Inline elements styled as blocks: a lower-case end meeting an upper-case start.
        assert_eq!(markdown("<ul><li><b>Fast delivery</b>Our couriers</li></ul>"), "- **Fast delivery** Our couriers");
        assert_eq!(markdown("<p><a href=/a>Student Work</a><a href=/b>Brochure</a></p>"), "Student Work Brochure");
        assert_eq!(
            markdown("<p>H<sub>2</sub>O and <b>W</b>ord and un<i>believ</i>able</p>"),
            "H2O and **W**ord and un*believ*able"
        );
    }

    #[test]
    fn headings_and_emphasis() {
        let html = "<h1>Tide <em>pools</em></h1><p><strong>Bold</strong> and <em> spaced </em>, \
                    <b></b><i> </i>empty, <b><strong>nested</strong></b>.</p><h3>Deep<br>heading</h3>";
        assert_eq!(markdown(html), "# Tide pools\n\n**Bold** and *spaced* , empty, **nested**.\n\n### Deep heading");
        assert_eq!(markdown("<h2></h2><h2> <img src=x> </h2><p>x</p>"), "x");
        assert_eq!(markdown("<p><em>one<br>two</em></p>"), "*one*\n*two*");
        assert_eq!(markdown("<p><b><i>So</i></b><i>.</i>then <b>a</b><b>b</b></p>"), "***So***.then **a**b");
    }

    #[test]
    fn inline_code_fences_exceed_inner_backticks() {
        assert_eq!(markdown("<p>Run <code>cargo  test</code> now</p>"), "Run `cargo test` now");
        assert_eq!(markdown("<p><code>a`b</code></p>"), "``a`b``");
        assert_eq!(markdown("<p><code>`tick`</code></p>"), "`` `tick` ``");
        assert_eq!(markdown("<p>x<code> </code>y</p>"), "x y");
    }

    #[test]
    fn lists_nest_number_and_indent() {
        let html = "<ul><li>One</li><li>Two<ul><li>Inner</li></ul></li></ul>\
                    <ol start=9><li>Nine</li><li><p>Ten</p><p>More ten</p></li><li value=20>Twenty</li></ol>";
        assert_eq!(markdown(html), "- One\n- Two\n  - Inner\n\n9. Nine\n10. Ten\n\n    More ten\n20. Twenty");
        assert_eq!(markdown("<ol reversed><li>b</li><li>a</li></ol>"), "2. b\n1. a");
        assert_eq!(markdown("<ul><li></li><li>kept</li></ul>"), "- kept");
        assert_eq!(markdown("<p>Before</p><ul><li> </li><li>a</li></ul><p>After</p>"), "Before\n\n- a\n\nAfter");
        assert_eq!(markdown("<ol><li>a<ol><li>b<ul><li>c</li></ul></li></ol></li></ol>"), "1. a\n   1. b\n      - c");
    }

    #[test]
    fn data_tables_become_gfm_tables() {
        let html = "<table><caption>Tides</caption><thead><tr><th>Place</th><th>High | low</th></tr></thead>\
                    <tbody><tr><td>Bay<br>north</td><td><p>2 m</p></td></tr><tr><td colspan=2>Both</td></tr>\
                    <tr><td>Cove</td></tr></tbody></table><p>After</p>";
        assert_eq!(
            markdown(html),
            "Tides\n\n| Place | High \\| low |\n| --- | --- |\n| Bay north | 2 m |\n| Both | |\n| Cove | |\n\nAfter"
        );
        // Empty spacer columns go; one column left is plain lines.
        assert_eq!(markdown("<table><tr><td></td><td>a</td></tr><tr><td> </td><td>b</td></tr></table>"), "a\nb");
    }

    #[test]
    fn layout_tables_become_blocks() {
        let nested = "<table><tr><td><h2>Title</h2><p>Body</p></td><td><table><tr><td>x</td><td>y</td></tr></table></td></tr></table>";
        assert_eq!(markdown(nested), "## Title\n\nBody\n\n| x | y |\n| --- | --- |");
        let single = "<table><tr><td>First</td></tr><tr><td>Second</td></tr></table>";
        assert_eq!(markdown(single), "First\nSecond");
        let paragraphs = "<table><tr><td><p>a</p><p>b</p><p>c</p></td><td>d</td></tr></table>";
        assert_eq!(markdown(paragraphs), "a\n\nb\n\nc\n\nd");
        assert_eq!(markdown("<table role=presentation><tr><td>a</td><td>b</td></tr></table>"), "a\nb");
    }

    #[test]
    fn code_blocks_keep_whitespace_and_language() {
        let html = "<pre><code class=\"language-rust\">fn main() {\n    let x = 1;   \n\n    x\n}\n</code></pre>";
        assert_eq!(markdown(html), "```rust\nfn main() {\n    let x = 1;\n\n    x\n}\n```");
        for (html, language) in [
            ("<pre class=\"lang-py\">x</pre>", "py"),
            ("<div class=\"highlight highlight-source-shell\"><pre>x</pre></div>", "shell"),
            ("<pre class=\"highlight-js\">x</pre>", "js"),
            ("<pre class=\"brush: php; gutter: false\">x</pre>", "php"),
            ("<pre data-lang=Go>x</pre>", "go"),
            ("<div class=lang-en><pre>x</pre></div>", ""),
            ("<pre><code data-language=\"c++\">x</code></pre>", "c++"),
            ("<pre>x</pre>", ""),
        ] {
            assert_eq!(markdown(html), format!("```{language}\nx\n```"), "{html}");
        }
        assert_eq!(markdown("<pre>a ```` b</pre>"), "`````\na ```` b\n`````");
        assert_eq!(markdown("<pre><span>a</span><br><span>b</span></pre>"), "```\na\nb\n```");
        assert_eq!(markdown("<ul><li>Run<pre>make\n  all</pre></li></ul>"), "- Run\n\n  ```\n  make\n    all\n  ```");
        assert_eq!(markdown("<pre>  \n </pre><p>x</p>"), "x");
    }

    #[test]
    fn quotes_rules_and_definitions() {
        let html = "<blockquote><p>One</p><blockquote>Two</blockquote><p>Three</p></blockquote><hr><p>After</p>";
        assert_eq!(markdown(html), "> One\n>\n> > Two\n>\n> Three\n\n---\n\nAfter");
        assert_eq!(markdown("<blockquote>a<br><br>b</blockquote>"), "> a\n>\n> b");
        assert_eq!(markdown("<dl><dt>Term</dt><dd>Meaning</dd><dt>T2</dt><dd>M2</dd></dl>"), "Term\nMeaning\nT2\nM2");
        assert_eq!(markdown("<figure><img alt=\"A crab\"><figcaption>Fig. 1</figcaption></figure>"), "A crab\nFig. 1");
        assert_eq!(markdown("<details><summary>More</summary>Hidden detail</details>"), "More\nHidden detail");
    }

    #[test]
    fn links_by_default_are_text_and_pictures_outside_figures_left_out() {
        let html = "<p>See <a href=\"https://x.example/a\">the guide</a> <img src=/crab.png alt=Crab> \
                    <img src=/deco.png></p>";
        assert_eq!(markdown(html), "See the guide");
        // A stock photo's description is not the article's text.
        let html = "<p>Tide pools teem with life.</p><img alt=\"A woman holding a phone\" src=w.jpg><p>More.</p>";
        assert_eq!(markdown(html), "Tide pools teem with life.\n\nMore.");
        assert_eq!(
            markdown("<p>Thanks <img class=emoji alt=\"🙂\" src=s.png> and <img alt=\":)\" src=t.gif></p>"),
            "Thanks 🙂 and :)"
        );
    }

    #[test]
    fn links_and_images_with_targets() {
        let html = "<p><a href=\"../other page.html#top\">Other</a>, <a href=\"javascript:alert(1)\">script</a>, \
                    <a href=\"#local\">local</a>, <a href=\"https://x.example/\">x.example</a>, \
                    <a href=\"/a\"><img src=\"data:image/png;base64,AA\" alt=Inline></a> \
                    <img src=\"pic.png\" alt=\"Pic\"></p>";
        assert_eq!(
            with_targets(html),
            "[Other](https://example.com/other%20page.html#top), script, local, x.example, \
             [Inline](https://example.com/a) ![Pic](https://example.com/guide/pic.png)"
        );
        // A link around blocks is split per block, never across a line break.
        assert_eq!(
            with_targets("<a href=/p><h2>Title</h2><p>Summary</p></a>"),
            "## [Title](https://example.com/p)\n\n[Summary](https://example.com/p)"
        );
    }

    #[test]
    fn sections_follow_the_heading_outline_with_exact_offsets() {
        let html = "<p>Intro</p><h1>A</h1><p>a text</p><h2>B</h2><h3>C</h3><p>c</p><h2>D <a>link</a></h2>\
                    <blockquote><h4>E</h4></blockquote><h1>F</h1>";
        let result = rendered(html, true);
        let paths: Vec<(u8, Vec<&str>)> = result
            .sections
            .iter()
            .map(|section| (section.level, section.heading_path.iter().map(String::as_str).collect()))
            .collect();
        assert_eq!(
            paths,
            vec![
                (0, vec![]),
                (1, vec!["A"]),
                (2, vec!["A", "B"]),
                (3, vec!["A", "B", "C"]),
                (2, vec!["A", "D link"]),
                (4, vec!["A", "D link", "E"]),
                (1, vec!["F"]),
            ]
        );
        let texts: Vec<&str> =
            result.sections.iter().map(|section| &result.markdown[section.start..section.end]).collect();
        assert_eq!(texts[0], "Intro\n\n");
        assert_eq!(texts[3], "### C\n\nc\n\n");
        assert_eq!(texts[5], "> #### E\n\n");
        assert_eq!(texts[6], "# F");
        // No text before the first heading: no level-0 section.
        let result = rendered("<h2>Only</h2><p>x</p>", false);
        assert_eq!(result.sections.len(), 1);
        assert_eq!(result.sections[0].start, 0);
        // No heading at all: one level-0 section.
        let result = rendered("<p>x</p>", false);
        assert_eq!(result.sections, vec![Section { heading_path: vec![], level: 0, start: 0, end: 1 }]);
        assert!(rendered("<p> </p>", false).sections.is_empty());
    }

    #[test]
    fn invisible_characters_are_dropped_and_counted() {
        let result = rendered("<p>Zero\u{200B}width\u{200D}. Soft\u{00AD}hyphen <code>a\u{FEFF}b</code></p>", false);
        assert_eq!(result.markdown, "Zerowidth. Softhyphen `ab`");
        assert_eq!(result.invisible_characters, 4);
        let result = rendered("<p>\u{200B}</p><pre>x\u{2060}</pre><img alt=\"\u{200C}\">", false);
        assert_eq!(result.markdown, "```\nx\n```");
        assert_eq!(result.invisible_characters, 3);
    }

    #[test]
    fn deep_nesting_renders_on_a_small_stack() {
        /// `depth` nested `name` elements with `leaf` inside, built directly
        /// (parsing that deep is quadratic in html5ever and slow in debug builds).
        fn nested(name: &str, depth: usize, leaf: &str) -> Document {
            let document = Document::from("<body></body>");
            let mut parent = document.body().unwrap();
            for _ in 0..depth {
                let child = document.tree.new_element(name);
                parent.append_child(&child);
                parent = child;
            }
            parent.set_html(leaf);
            document
        }
        let result = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(|| {
                let options = MarkdownOptions::default();
                let divs = render(&nested("div", 10_000, "deep <em>text</em>").root(), &options).markdown;
                let quotes = render(&nested("blockquote", 10_000, "q").root(), &options).markdown;
                let document = Document::from("<ul><li>x".repeat(300).as_str());
                let lists = render(&document.root(), &options).markdown;
                (divs, quotes, lists)
            })
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(result.0, "deep *text*");
        // Prefixes stop growing past the container limit.
        assert_eq!(result.1, "> ".repeat(MAX_NESTED_CONTAINERS) + "q");
        assert_eq!(result.2.matches('x').count(), 300);
        assert!(result.2.lines().all(|line| line.len() <= 2 * MAX_NESTED_CONTAINERS + 2));
    }

    #[test]
    fn the_root_element_itself_is_rendered() {
        let document = Document::from("<body><pre class=language-sh>ls</pre><p>ignored sibling</p></body>");
        let pre = document.select("pre").nodes().first().copied().unwrap();
        assert_eq!(render(&pre, &MarkdownOptions::default()).markdown, "```sh\nls\n```");
        let text = pre.first_child().unwrap();
        assert_eq!(render(&text, &MarkdownOptions::default()).markdown, "ls");
    }

    #[test]
    fn urls_resolve_as_in_rfc_3986() {
        let base = "http://a/b/c/d;p?q";
        for (reference, expected) in [
            ("g:h", "g:h"),
            ("g", "http://a/b/c/g"),
            ("./g", "http://a/b/c/g"),
            ("g/", "http://a/b/c/g/"),
            ("/g", "http://a/g"),
            ("//g", "http://g"),
            ("?y", "http://a/b/c/d;p?y"),
            ("g?y", "http://a/b/c/g?y"),
            ("#s", "http://a/b/c/d;p?q#s"),
            ("g?y#s", "http://a/b/c/g?y#s"),
            (";x", "http://a/b/c/;x"),
            ("", "http://a/b/c/d;p?q"),
            (".", "http://a/b/c/"),
            ("..", "http://a/b/"),
            ("../g", "http://a/b/g"),
            ("../..", "http://a/"),
            ("../../g", "http://a/g"),
            ("../../../g", "http://a/g"),
            ("/./g", "http://a/g"),
            ("/../g", "http://a/g"),
            ("g.", "http://a/b/c/g."),
            ("..g", "http://a/b/c/..g"),
            ("./../g", "http://a/b/g"),
            ("./g/.", "http://a/b/c/g/"),
            ("g/./h", "http://a/b/c/g/h"),
            ("g;x=1/../y", "http://a/b/c/y"),
            ("g?y/./x", "http://a/b/c/g?y/./x"),
            ("g#s/../x", "http://a/b/c/g#s/../x"),
            ("http:g", "http:g"),
            (" HTTPS://X.example/a/../b\n", "https://X.example/b"),
        ] {
            assert_eq!(resolve_url(base, reference).as_deref(), Some(expected), "{reference:?}");
        }
        assert_eq!(resolve_url("https://h", "a"), Some("https://h/a".into()));
        for blocked in ["javascript:alert(1)", " JavaScript:x", "data:text/html,x", "vbscript:x"] {
            assert_eq!(resolve_url(base, blocked), None, "{blocked}");
        }
        assert_eq!(resolve_url("", "relative/path"), None);
        assert_eq!(resolve_url("not a url", "g"), None);
        assert_eq!(resolve_url("", "https://x.example/"), Some("https://x.example/".into()));
    }

    #[test]
    fn plain_text_strips_the_markup() {
        let html = "<h2>The <em>title</em></h2><p><strong>Bold</strong>, 2*3, <code>a*b*c</code> and \
                    <a href=/x>a link</a>.</p><blockquote><p>Quoted</p></blockquote>\
                    <ul><li>Item <img src=/i.png alt=Icon></li></ul><pre class=language-js>let *p = 1;</pre>\
                    <table><tr><th>A</th><th>B|C</th></tr><tr><td>1</td><td>2</td></tr></table><hr><p>End</p>";
        let markdown = with_targets(html);
        assert_eq!(
            to_plain_text(&markdown),
            "The title\n\nBold, 2*3, a*b*c and a link.\n\nQuoted\n\n- Item Icon\n\nlet *p = 1;\n\nA\tB|C\n1\t2\n\nEnd"
        );
        assert_eq!(to_plain_text(""), "");
        let nested = "- > Quoted **item**\n  > ```\n  > > not a quote\n  > ```\n1. ## Heading in item\n   - [x](y)";
        assert_eq!(to_plain_text(nested), "- Quoted item\n  > not a quote\n1. Heading in item\n   - x");
        assert_eq!(to_plain_text("a * b * c and **unclosed"), "a * b * c and **unclosed");
        let hostile = "[".repeat(5_000) + &"](x)".repeat(5_000);
        assert!(to_plain_text(&hostile).len() >= 5_000);
    }

    #[test]
    fn broken_input_never_panics() {
        for html in [
            "<",
            "<table><td>x",
            "<table><caption>c</caption></table>",
            "<ol start=-5 reversed><li>a",
            "<ol start=99999999999999999999><li>a",
            "<pre><code class=\"language-\">`</code></pre>",
            "<a href=\"http://[::1\">x</a>",
            "<h1><h2>x</h2></h1>",
            "<table><tr><td><table><tr><td>a</td></tr></table></td></tr></table>",
            "\u{0}\u{1}binary\u{7}",
            "<code>`</code><code>``</code>",
            "<math><semantics><mi>x</mi><annotation>x</annotation></semantics></math>",
        ] {
            let _ = rendered(html, true);
            let _ = rendered(html, false);
        }
        for text in ["[", "[a](", "``", "**", "| a", "|", "```", "> ", "#", "[a](b", "*\u{00E9}*", "![x](y)"] {
            let _ = to_plain_text(text);
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// Pieces of HTML that random fragments are made of.
        #[rustfmt::skip]
        const PIECES: &[&str] = &[
            "<p>", "</p>", "<div>", "</div>", "<h1>", "</h1>", "<h2>", "</h2>", "<h4>", "</h4>", "<ul>", "<ol>",
            "<ol start=7>", "<li>", "</li>", "</ul>", "</ol>", "<blockquote>", "</blockquote>", "<pre>",
            "<pre class=language-rs>", "</pre>", "<code>", "</code>", "<em>", "</em>", "<b>", "</b>", "<span>",
            "</span>", "<sub>", "</sub>", "<a href=x>", "<a href=javascript:x>", "<a href=https://word.example/>",
            "</a>", "<table>", "<caption>", "</caption>", "<tr>", "<td>", "<td colspan=3>", "<th>", "</td>", "</tr>",
            "</table>", "<br>", "<hr>", "<img alt=pic>", "word", "Word", "two words", " ", "\n", "潮池", "a|b", "`",
            "*", "\u{200B}", "&nbsp;", "<x-y>", "</x-y>", "<dl><dt>t<dd>d</dl>",
        ];

        fn fragment() -> impl Strategy<Value = String> {
            prop::collection::vec(prop::sample::select(PIECES), 0..60).prop_map(|pieces| pieces.concat())
        }

        proptest! {
            #[test]
            fn any_fragment_renders_well_formed_without_losing_words(html in fragment(), targets in any::<bool>()) {
                let result = rendered(&html, targets);
                let plain = to_plain_text(&result.markdown);
                let words = |text: &str| text.matches("word").count() - text.matches("word.example").count();
                prop_assert_eq!(words(&plain), words(&html), "{}", result.markdown);
                prop_assert_eq!(result.invisible_characters, html.matches('\u{200B}').count());
            }
        }
    }
}
