//! Tree construction for well-formed markup, such as a browser's own `outerHTML`: every element closed where it ends, so the tree is the nesting of the tags.
//!
//! The panel extracts what `document.documentElement.outerHTML` returns: a
//! serialization of a tree the browser already built, where every element
//! that is not void has its end tag and nothing needs the standard's error
//! recovery. For such markup the tree builder's work (scope checks, the
//! active formatting list, the adoption agency) finds nothing to do, yet it
//! was a tenth of extraction's time in Chromium. This constructor builds
//! the tree straight from the tag nesting, giving the tokenizer the same
//! answers as html5ever's tree builder (the text mode after a start tag,
//! the parse errors it counts, whether the current node is foreign).
//!
//! It gives up at the first token where the standard's algorithm would do
//! anything but append or close the current node: an end tag that is not
//! the current element's, a `<p>` that another block would close, a table
//! part outside its table, a nested link, a `<template>`, MathML, a
//! `DOCTYPE` other than `<!DOCTYPE html>`, text where a table would foster
//! it out. One recovery is made here, as the standard makes it, because
//! Chromium's `outerHTML` needs it on many pages: body content in the head
//! or in a head `<noscript>` (a page read with scripts on keeps a tracking
//! pixel's `<img>` there as text, and writes it back as a tag) closes the
//! head and opens the body early. Where it gives up, the caller parses the
//! whole input again with html5ever's
//! tree builder ([`super::html_tokens::parse_document_with`]), so the tree
//! is the standard's either way; `tests/html_tokens.rs` checks that both
//! build the same tree on every corpus page, as served and as serialized.

use super::html_tokens::{is_space_byte, TreeConstruction};
use dom_query::{Document, NodeId};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{Tag, TagKind, Token, TokenSinkResult};
use html5ever::{local_name, namespace_prefix, ns, Attribute, LocalName, QualName};
use markup5ever::interface::tree_builder::create_element_with_flags;
use markup5ever::interface::{NodeOrText, QuirksMode, TreeSink};
use std::cell::{Cell, RefCell};

/// SVG element names the standard writes in camel case (the tokenizer lowercases every name).
const SVG_CAMEL_CASE_ELEMENTS: &[&str] = &[
    "altGlyph",
    "altGlyphDef",
    "altGlyphItem",
    "animateColor",
    "animateMotion",
    "animateTransform",
    "clipPath",
    "feBlend",
    "feColorMatrix",
    "feComponentTransfer",
    "feComposite",
    "feConvolveMatrix",
    "feDiffuseLighting",
    "feDisplacementMap",
    "feDistantLight",
    "feDropShadow",
    "feFlood",
    "feFuncA",
    "feFuncB",
    "feFuncG",
    "feFuncR",
    "feGaussianBlur",
    "feImage",
    "feMerge",
    "feMergeNode",
    "feMorphology",
    "feOffset",
    "fePointLight",
    "feSpecularLighting",
    "feSpotLight",
    "feTile",
    "feTurbulence",
    "foreignObject",
    "glyphRef",
    "linearGradient",
    "radialGradient",
    "textPath",
];

/// SVG attribute names the standard writes in camel case.
const SVG_CAMEL_CASE_ATTRIBUTES: &[&str] = &[
    "attributeName",
    "attributeType",
    "baseFrequency",
    "baseProfile",
    "calcMode",
    "clipPathUnits",
    "diffuseConstant",
    "edgeMode",
    "filterUnits",
    "glyphRef",
    "gradientTransform",
    "gradientUnits",
    "kernelMatrix",
    "kernelUnitLength",
    "keyPoints",
    "keySplines",
    "keyTimes",
    "lengthAdjust",
    "limitingConeAngle",
    "markerHeight",
    "markerUnits",
    "markerWidth",
    "maskContentUnits",
    "maskUnits",
    "numOctaves",
    "pathLength",
    "patternContentUnits",
    "patternTransform",
    "patternUnits",
    "pointsAtX",
    "pointsAtY",
    "pointsAtZ",
    "preserveAlpha",
    "preserveAspectRatio",
    "primitiveUnits",
    "refX",
    "refY",
    "repeatCount",
    "repeatDur",
    "requiredExtensions",
    "requiredFeatures",
    "specularConstant",
    "specularExponent",
    "spreadMethod",
    "startOffset",
    "stdDeviation",
    "stitchTiles",
    "surfaceScale",
    "systemLanguage",
    "tableValues",
    "targetX",
    "targetY",
    "textLength",
    "viewBox",
    "viewTarget",
    "xChannelSelector",
    "yChannelSelector",
    "zoomAndPan",
];

/// For each first letter, the lengths of a camel-case list's names: most
/// SVG names (`d`, `fill`, `path`) are ruled out without comparing.
const fn lengths_by_first_letter(names: &[&str]) -> [u32; 26] {
    let mut lengths = [0; 26];
    let mut at = 0;
    while at < names.len() {
        let name = names[at].as_bytes();
        lengths[(name[0].to_ascii_lowercase() - b'a') as usize] |= 1 << name.len();
        at += 1;
    }
    lengths
}

const SVG_ELEMENT_LENGTHS: [u32; 26] = lengths_by_first_letter(SVG_CAMEL_CASE_ELEMENTS);
const SVG_ATTRIBUTE_LENGTHS: [u32; 26] = lengths_by_first_letter(SVG_CAMEL_CASE_ATTRIBUTES);

/// The standard's camel-case spelling of a lowercase SVG name, if it has one.
fn camel_case(name: &str, names: &[&'static str], lengths: &[u32; 26]) -> Option<&'static str> {
    let first = *name.as_bytes().first()?;
    let may_be =
        first.is_ascii_lowercase() && name.len() < 32 && lengths[usize::from(first - b'a')] & (1 << name.len()) != 0;
    if !may_be {
        return None;
    }
    names.iter().copied().find(|camel| camel.len() == name.len() && camel.eq_ignore_ascii_case(name))
}

/// Where the document is, as far as the standard's insertion modes matter here.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Phase {
    /// Before `<html>`: a `DOCTYPE`, comments and whitespace only.
    BeforeHtml,
    /// After `<html>`, before `<head>`.
    BeforeHead,
    /// Inside `<head>`.
    InHead,
    /// After `</head>`, before `<body>`.
    AfterHead,
    /// Inside `<body>`.
    InBody,
    /// After `</body>` (the body stays the current node).
    AfterBody,
    /// After `</html>`.
    AfterAfterBody,
}

/// Which rules the nearest of these open elements puts in force (the
/// standard's "reset the insertion mode", read off the open elements).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Context {
    Html,
    Head,
    Body,
    Table,
    TableSection,
    Row,
    /// `td`, `th` or `caption`: body rules, but no table parts.
    Cell,
    /// A `template`'s contents: body rules (a template of table parts gives up).
    Template,
    ColumnGroup,
    Select,
}

/// One open element.
#[derive(Clone)]
struct Open {
    id: NodeId,
    /// Where its children go: the element, or a template's contents.
    children: NodeId,
    name: LocalName,
    svg: bool,
    context: Context,
}

/// Counts of open elements whose nesting the standard repairs; while one is
/// open, a tag that could nest another gives up.
#[derive(Default)]
struct OpenCounts {
    paragraphs: usize,
    list_items: usize,
    definitions: usize,
    links: usize,
    buttons: usize,
    forms: usize,
    nobrs: usize,
}

impl OpenCounts {
    fn slot(&mut self, name: &LocalName) -> Option<&mut usize> {
        Some(match *name {
            local_name!("p") => &mut self.paragraphs,
            local_name!("li") => &mut self.list_items,
            local_name!("dd") | local_name!("dt") => &mut self.definitions,
            local_name!("a") => &mut self.links,
            local_name!("button") => &mut self.buttons,
            local_name!("form") => &mut self.forms,
            local_name!("nobr") => &mut self.nobrs,
            _ => return None,
        })
    }
}

/// Builds a [`Document`] from well-formed markup, or gives up (see the module notes).
pub(super) struct WellFormedTree {
    pub(super) sink: Document,
    open: RefCell<Vec<Open>>,
    counts: RefCell<OpenCounts>,
    phase: Cell<Phase>,
    quirks: Cell<bool>,
    /// A newline right after `<pre>`, `<listing>` or `<textarea>` is not content.
    ignore_newline: Cell<bool>,
    /// Parse errors the standard's tree builder would count so far, where
    /// this constructor recovers as it does (the tokenizer reads them).
    errors: Cell<usize>,
    gave_up: Cell<bool>,
}

impl WellFormedTree {
    pub(super) fn new() -> Self {
        Self {
            sink: Document::default(),
            open: RefCell::new(Vec::new()),
            counts: RefCell::new(OpenCounts::default()),
            phase: Cell::new(Phase::BeforeHtml),
            quirks: Cell::new(true),
            ignore_newline: Cell::new(false),
            errors: Cell::new(0),
            gave_up: Cell::new(false),
        }
    }

    fn give_up(&self) -> TokenSinkResult<NodeId> {
        self.gave_up.set(true);
        TokenSinkResult::Continue
    }

    fn current(&self) -> Option<Open> {
        self.open.borrow().last().cloned()
    }

    /// Whether the current node is an HTML element or an SVG element whose children are HTML.
    fn html_rules_apply(current: &Open) -> bool {
        !current.svg
            || matches!(current.name, local_name!("foreignObject") | local_name!("desc") | local_name!("title"))
    }

    fn append(&self, parent: NodeId, child: NodeOrText<NodeId>) {
        self.sink.append(&parent, child);
    }

    fn push(&self, id: NodeId, name: LocalName, svg: bool) {
        let mut open = self.open.borrow_mut();
        let inherited = open.last().map_or(Context::Html, |parent| parent.context);
        let context = if svg {
            inherited
        } else {
            match name {
                local_name!("head") => Context::Head,
                local_name!("body") => Context::Body,
                local_name!("table") => Context::Table,
                local_name!("tbody") | local_name!("thead") | local_name!("tfoot") => Context::TableSection,
                local_name!("tr") => Context::Row,
                local_name!("td") | local_name!("th") | local_name!("caption") => Context::Cell,
                local_name!("colgroup") => Context::ColumnGroup,
                local_name!("select") => Context::Select,
                local_name!("template") => Context::Template,
                _ => inherited,
            }
        };
        let children = if !svg && name == local_name!("template") { self.sink.get_template_contents(&id) } else { id };
        if !svg {
            if let Some(count) = self.counts.borrow_mut().slot(&name) {
                *count += 1;
            }
        }
        open.push(Open { id, children, name, svg, context });
    }

    fn pop(&self) {
        if let Some(popped) = self.open.borrow_mut().pop() {
            if !popped.svg {
                if let Some(count) = self.counts.borrow_mut().slot(&popped.name) {
                    *count -= 1;
                }
            }
        }
    }

    /// Creates an element and appends it to the current node; pushes it unless it is void.
    fn insert(&self, tag: Tag, svg: bool, push: bool) {
        let namespace = if svg { ns!(svg) } else { ns!(html) };
        let name = tag.name.clone();
        let element = create_element_with_flags(
            &self.sink,
            QualName::new(None, namespace, tag.name),
            tag.attrs,
            tag.had_duplicate_attributes,
        );
        let parent = self.current().map_or_else(|| self.sink.get_document(), |open| open.children);
        self.append(parent, NodeOrText::AppendNode(element));
        if push {
            self.push(element, name, svg);
        }
    }

    fn characters(&self, mut text: StrTendril) -> TokenSinkResult<NodeId> {
        if self.ignore_newline.take() && text.starts_with('\n') {
            text.pop_front(1);
            if text.is_empty() {
                return TokenSinkResult::Continue;
            }
        }
        // Where the text's first character that is not whitespace is, if it has one.
        let first_visible = text.bytes().position(|byte| !is_space_byte(byte));
        let whitespace = first_visible.is_none();
        let Some(current) = self.current() else {
            // Before `<html>` whitespace is dropped; anything else implies elements.
            return if whitespace { TokenSinkResult::Continue } else { self.give_up() };
        };
        match self.phase.get() {
            Phase::BeforeHtml | Phase::BeforeHead => {
                return if whitespace { TokenSinkResult::Continue } else { self.give_up() };
            }
            // Text in a `<head>` belongs to its `title`, `style` or `script`:
            // other text is body content, after the whitespace before it.
            Phase::InHead if !whitespace && matches!(current.name, local_name!("head") | local_name!("noscript")) => {
                let body_text_at = first_visible.unwrap_or_default();
                if body_text_at > 0 {
                    let leading = text.subtendril(0, body_text_at as u32);
                    self.append(current.children, NodeOrText::AppendText(leading));
                    text.pop_front(body_text_at as u32);
                }
                self.leave_head_for_body();
                let Some(body) = self.current() else { return self.give_up() };
                self.append(body.children, NodeOrText::AppendText(text));
                return TokenSinkResult::Continue;
            }
            Phase::AfterHead | Phase::AfterBody | Phase::AfterAfterBody if !whitespace => {
                return self.give_up();
            }
            _ => {}
        }
        // Text straight inside a table, its sections, rows or column groups
        // is moved out in front of the table unless it is whitespace.
        let foster_parented = !current.svg
            && matches!(
                current.name,
                local_name!("table")
                    | local_name!("tbody")
                    | local_name!("thead")
                    | local_name!("tfoot")
                    | local_name!("tr")
                    | local_name!("colgroup")
            );
        if foster_parented && !whitespace {
            return self.give_up();
        }
        self.append(current.children, NodeOrText::AppendText(text));
        TokenSinkResult::Continue
    }

    fn comment(&self, text: StrTendril) -> TokenSinkResult<NodeId> {
        let comment = self.sink.create_comment(text);
        let parent = match (self.phase.get(), self.open.borrow().first()) {
            (Phase::AfterBody, Some(html)) => html.id,
            (Phase::BeforeHtml | Phase::AfterAfterBody, _) | (_, None) => self.sink.get_document(),
            _ => self.open.borrow().last().map(|open| open.children).unwrap_or_else(|| self.sink.get_document()),
        };
        self.append(parent, NodeOrText::AppendNode(comment));
        TokenSinkResult::Continue
    }

    fn start_tag(&self, tag: Tag) -> TokenSinkResult<NodeId> {
        match self.phase.get() {
            Phase::BeforeHtml if tag.name == local_name!("html") => {
                let root = create_element_with_flags(
                    &self.sink,
                    QualName::new(None, ns!(html), local_name!("html")),
                    tag.attrs,
                    false,
                );
                self.append(self.sink.get_document(), NodeOrText::AppendNode(root));
                self.push(root, local_name!("html"), false);
                self.phase.set(Phase::BeforeHead);
                TokenSinkResult::Continue
            }
            Phase::BeforeHead if tag.name == local_name!("head") => {
                self.insert(tag, false, true);
                self.phase.set(Phase::InHead);
                TokenSinkResult::Continue
            }
            // A template's contents follow body rules, even in the head.
            Phase::InHead if self.current().is_some_and(|open| open.context == Context::Template) => {
                self.start_tag_in_body(tag)
            }
            Phase::InHead => self.start_tag_in_head(tag),
            Phase::AfterHead if tag.name == local_name!("body") => {
                self.insert(tag, false, true);
                self.phase.set(Phase::InBody);
                TokenSinkResult::Continue
            }
            Phase::InBody if tag.name == local_name!("body") => self.body_tag_in_body(tag),
            Phase::InBody => self.start_tag_in_body(tag),
            _ => self.give_up(),
        }
    }

    fn start_tag_in_head(&self, tag: Tag) -> TokenSinkResult<NodeId> {
        let Some(current) = self.current() else { return self.give_up() };
        let in_noscript = current.name == local_name!("noscript");
        match tag.name {
            local_name!("meta") | local_name!("link") | local_name!("basefont") | local_name!("bgsound") => {
                self.insert(tag, false, false);
                TokenSinkResult::Continue
            }
            local_name!("base") if !in_noscript => {
                self.insert(tag, false, false);
                TokenSinkResult::Continue
            }
            local_name!("style") | local_name!("noframes") => self.raw(tag, RawKind::Rawtext),
            local_name!("title") if !in_noscript => self.raw(tag, RawKind::Rcdata),
            local_name!("script") if !in_noscript => self.raw(tag, RawKind::ScriptData),
            // Scripting is off (as html5ever runs): a `<noscript>` holds markup.
            local_name!("noscript") | local_name!("template") if !in_noscript => {
                self.insert(tag, false, true);
                TokenSinkResult::Continue
            }
            // Elements of the head, the body and the document that the
            // standard would place elsewhere than a body: left to it.
            local_name!("html")
            | local_name!("head")
            | local_name!("body")
            | local_name!("frameset")
            | local_name!("base")
            | local_name!("title")
            | local_name!("script")
            | local_name!("noscript")
            | local_name!("template") => self.give_up(),
            _ => {
                self.leave_head_for_body();
                self.start_tag_in_body(tag)
            }
        }
    }

    /// What the standard does with body content met in the head, or in a
    /// `<noscript>` there: the `<noscript>` (a parse error) and the head
    /// close, and a `<body>` without attributes opens; the page's own
    /// `<body>` tag later only adds its attributes. Chromium's `outerHTML`
    /// of a page read with scripts on writes a head `<noscript>`'s content
    /// as it stands, so a tracking pixel's `<img>` there is such content.
    fn leave_head_for_body(&self) {
        if self.current().is_some_and(|open| open.name == local_name!("noscript")) {
            self.pop();
            self.errors.set(self.errors.get() + 1);
        }
        self.pop();
        self.phase.set(Phase::AfterHead);
        let body = Tag {
            kind: TagKind::StartTag,
            name: local_name!("body"),
            self_closing: false,
            attrs: Vec::new(),
            had_duplicate_attributes: false,
        };
        self.insert(body, false, true);
        self.phase.set(Phase::InBody);
    }

    /// A second `<body>` tag: a parse error whose attributes go to the body
    /// element where the body is the second open element and no template
    /// is open (the standard's rule).
    fn body_tag_in_body(&self, tag: Tag) -> TokenSinkResult<NodeId> {
        let body = {
            let open = self.open.borrow();
            let no_template = open.iter().all(|open| open.svg || open.name != local_name!("template"));
            open.get(1).filter(|body| body.name == local_name!("body") && !body.svg && no_template).map(|body| body.id)
        };
        let Some(body) = body else { return self.give_up() };
        self.errors.set(self.errors.get() + 1);
        self.sink.add_attrs_if_missing(&body, tag.attrs);
        TokenSinkResult::Continue
    }

    /// An element whose text the tokenizer reads raw up to its end tag.
    fn raw(&self, tag: Tag, kind: RawKind) -> TokenSinkResult<NodeId> {
        self.insert(tag, false, true);
        TokenSinkResult::RawData(kind)
    }

    fn start_tag_in_body(&self, tag: Tag) -> TokenSinkResult<NodeId> {
        let Some(current) = self.current() else { return self.give_up() };
        if !Self::html_rules_apply(&current) {
            return self.start_tag_in_svg(tag);
        }
        let name = tag.name.clone();
        match current.context {
            Context::Select => {
                let current_is_option = current.name == local_name!("option");
                let current_is_group = current.name == local_name!("optgroup");
                return match name {
                    local_name!("option") if !current_is_option => self.element(tag),
                    local_name!("optgroup") if !current_is_option && !current_is_group => self.element(tag),
                    _ => self.give_up(),
                };
            }
            Context::Table | Context::TableSection | Context::Row | Context::ColumnGroup => {
                let allowed = match current.context {
                    Context::Table => matches!(
                        name,
                        local_name!("caption")
                            | local_name!("colgroup")
                            | local_name!("tbody")
                            | local_name!("thead")
                            | local_name!("tfoot")
                    ),
                    Context::TableSection => name == local_name!("tr"),
                    Context::Row => matches!(name, local_name!("td") | local_name!("th")),
                    _ => name == local_name!("col"),
                };
                // A table's scripts and styles are its children; a column group has only columns.
                let raw = matches!(name, local_name!("script") | local_name!("style"));
                return if allowed || (raw && current.context != Context::ColumnGroup) {
                    self.element(tag)
                } else {
                    self.give_up()
                };
            }
            // In a cell or caption (body rules), a table part would close it:
            // `repairs_nesting` gives up on every table part outside its table.
            Context::Html | Context::Head => return self.give_up(),
            _ => {}
        }
        if self.repairs_nesting(&current, &tag) {
            return self.give_up();
        }
        if name == local_name!("svg") {
            return self.foreign_element(tag);
        }
        self.element(tag)
    }

    /// Whether the standard's rules for this start tag in a body would close
    /// or reopen an element, or ignore or rename the tag.
    fn repairs_nesting(&self, current: &Open, tag: &Tag) -> bool {
        let counts = self.counts.borrow();
        let name = &tag.name;
        match *name {
            local_name!("html")
            | local_name!("head")
            | local_name!("body")
            | local_name!("frameset")
            | local_name!("frame")
            | local_name!("math")
            | local_name!("image")
            | local_name!("plaintext")
            | local_name!("caption")
            | local_name!("col")
            | local_name!("colgroup")
            | local_name!("tbody")
            | local_name!("td")
            | local_name!("tfoot")
            | local_name!("th")
            | local_name!("thead")
            | local_name!("tr") => return true,
            local_name!("a") if counts.links > 0 => return true,
            local_name!("button") if counts.buttons > 0 => return true,
            local_name!("form") if counts.forms > 0 => return true,
            local_name!("nobr") if counts.nobrs > 0 => return true,
            local_name!("li") if counts.list_items > 0 && self.open_in_list_scope(&[local_name!("li")]) => return true,
            local_name!("dd") | local_name!("dt")
                if counts.definitions > 0 && self.open_in_list_scope(&[local_name!("dd"), local_name!("dt")]) =>
            {
                return true
            }
            _ if is_heading(name) && !current.svg && is_heading(&current.name) => return true,
            local_name!("option") | local_name!("optgroup") if current.name == local_name!("option") => return true,
            local_name!("rb") | local_name!("rp") | local_name!("rt") | local_name!("rtc")
                if !current.svg && closes_implicitly(&current.name) =>
            {
                return true
            }
            _ => {}
        }
        let closes_paragraph = closes_paragraph(name) || (*name == local_name!("table") && !self.quirks.get());
        closes_paragraph && counts.paragraphs > 0 && self.paragraph_in_button_scope()
    }

    /// Whether a `p` is open in button scope (the standard's test before a block start tag).
    fn paragraph_in_button_scope(&self) -> bool {
        for open in self.open.borrow().iter().rev() {
            if open.svg {
                if matches!(open.name, local_name!("foreignObject") | local_name!("desc") | local_name!("title")) {
                    return false;
                }
                continue;
            }
            match open.name {
                local_name!("p") => return true,
                local_name!("applet")
                | local_name!("caption")
                | local_name!("html")
                | local_name!("table")
                | local_name!("td")
                | local_name!("th")
                | local_name!("marquee")
                | local_name!("object")
                | local_name!("template")
                | local_name!("button") => return false,
                _ => {}
            }
        }
        false
    }

    /// Whether one of `names` is open where a new `li`/`dd`/`dt` would close
    /// it: above the nearest special element other than `address`, `div` and `p`.
    fn open_in_list_scope(&self, names: &[LocalName]) -> bool {
        for open in self.open.borrow().iter().rev() {
            if !open.svg && names.contains(&open.name) {
                return true;
            }
            let special = if open.svg {
                matches!(open.name, local_name!("foreignObject") | local_name!("desc") | local_name!("title"))
            } else {
                is_special(&open.name)
                    && !matches!(open.name, local_name!("address") | local_name!("div") | local_name!("p"))
            };
            if special {
                return false;
            }
        }
        false
    }

    /// An HTML element in the body: void, raw text, or pushed.
    fn element(&self, tag: Tag) -> TokenSinkResult<NodeId> {
        let raw = match tag.name {
            local_name!("title") | local_name!("textarea") => Some(RawKind::Rcdata),
            local_name!("style")
            | local_name!("xmp")
            | local_name!("iframe")
            | local_name!("noembed")
            | local_name!("noframes") => Some(RawKind::Rawtext),
            local_name!("script") => Some(RawKind::ScriptData),
            _ => None,
        };
        if matches!(tag.name, local_name!("pre") | local_name!("listing") | local_name!("textarea")) {
            self.ignore_newline.set(true);
        }
        let void = is_void(&tag.name);
        self.insert(tag, false, !void);
        match raw {
            Some(kind) => TokenSinkResult::RawData(kind),
            None => TokenSinkResult::Continue,
        }
    }

    /// A start tag inside SVG (not at a point whose children are HTML).
    fn start_tag_in_svg(&self, tag: Tag) -> TokenSinkResult<NodeId> {
        let breaks_out = matches!(
            tag.name,
            local_name!("b")
                | local_name!("big")
                | local_name!("blockquote")
                | local_name!("body")
                | local_name!("br")
                | local_name!("center")
                | local_name!("code")
                | local_name!("dd")
                | local_name!("div")
                | local_name!("dl")
                | local_name!("dt")
                | local_name!("em")
                | local_name!("embed")
                | local_name!("head")
                | local_name!("hr")
                | local_name!("i")
                | local_name!("img")
                | local_name!("li")
                | local_name!("listing")
                | local_name!("menu")
                | local_name!("meta")
                | local_name!("nobr")
                | local_name!("ol")
                | local_name!("p")
                | local_name!("pre")
                | local_name!("ruby")
                | local_name!("s")
                | local_name!("small")
                | local_name!("span")
                | local_name!("strong")
                | local_name!("strike")
                | local_name!("sub")
                | local_name!("sup")
                | local_name!("table")
                | local_name!("tt")
                | local_name!("u")
                | local_name!("ul")
                | local_name!("var")
        ) || is_heading(&tag.name)
            || (tag.name == local_name!("font")
                && tag.attrs.iter().any(|attribute| {
                    matches!(attribute.name.local, local_name!("color") | local_name!("face") | local_name!("size"))
                }));
        if breaks_out {
            return self.give_up();
        }
        self.foreign_element(tag)
    }

    /// An SVG element: names in the standard's case, `xlink:`/`xml:` attributes in their namespaces.
    fn foreign_element(&self, mut tag: Tag) -> TokenSinkResult<NodeId> {
        if let Some(camel) = camel_case(&tag.name, SVG_CAMEL_CASE_ELEMENTS, &SVG_ELEMENT_LENGTHS) {
            tag.name = LocalName::from(camel);
        }
        for Attribute { name, .. } in &mut tag.attrs {
            if let Some(camel) = camel_case(&name.local, SVG_CAMEL_CASE_ATTRIBUTES, &SVG_ATTRIBUTE_LENGTHS) {
                *name = QualName::new(None, ns!(), LocalName::from(camel));
            } else if let Some(adjusted) = foreign_attribute(&name.local) {
                *name = adjusted;
            }
        }
        let push = !tag.self_closing;
        self.insert(tag, true, push);
        TokenSinkResult::Continue
    }

    fn end_tag(&self, tag: Tag) -> TokenSinkResult<NodeId> {
        let Some(current) = self.current() else { return self.give_up() };
        match (self.phase.get(), &tag.name) {
            (Phase::InHead, &local_name!("head")) if current.name == local_name!("head") => {
                self.pop();
                self.phase.set(Phase::AfterHead);
                return TokenSinkResult::Continue;
            }
            (Phase::InBody, &local_name!("body")) if current.name == local_name!("body") && !current.svg => {
                self.phase.set(Phase::AfterBody);
                return TokenSinkResult::Continue;
            }
            (Phase::InBody | Phase::AfterBody, &local_name!("html"))
                if current.name == local_name!("body") && !current.svg =>
            {
                self.phase.set(Phase::AfterAfterBody);
                return TokenSinkResult::Continue;
            }
            // The end of a head or `<noscript>` that [`Self::leave_head_for_body`]
            // closed early: the body, a special element, stops the search
            // for it, and the tag is ignored as a parse error.
            (Phase::InBody, &local_name!("head") | &local_name!("noscript"))
                if current.name == local_name!("body") && !current.svg =>
            {
                self.errors.set(self.errors.get() + 1);
                return TokenSinkResult::Continue;
            }
            (Phase::InHead | Phase::InBody, _) => {}
            _ => return self.give_up(),
        }
        let matches = if current.svg { current.name.eq_ignore_ascii_case(&tag.name) } else { current.name == tag.name };
        let closes_structure =
            matches!(current.name, local_name!("html") | local_name!("head") | local_name!("body")) && !current.svg;
        if !matches || closes_structure || tag.name == local_name!("br") {
            return self.give_up();
        }
        self.pop();
        TokenSinkResult::Continue
    }
}

impl TreeConstruction for WellFormedTree {
    fn process_token(&self, token: Token) -> TokenSinkResult<NodeId> {
        if self.gave_up.get() {
            return TokenSinkResult::Continue;
        }
        let ignore_newline = self.ignore_newline.get();
        if !matches!(token, Token::CharacterTokens(_)) {
            self.ignore_newline.set(false);
        }
        match token {
            Token::DoctypeToken(doctype) => {
                let html = doctype.name.as_deref() == Some("html")
                    && doctype.public_id.is_none()
                    && doctype.system_id.as_deref().is_none_or(|id| id == "about:legacy-compat")
                    && !doctype.force_quirks;
                // Only the first `DOCTYPE` counts (html5ever ignores later ones); a second gives up.
                let first = self.quirks.get();
                if self.phase.get() != Phase::BeforeHtml || !self.open.borrow().is_empty() || !html || !first {
                    return self.give_up();
                }
                self.sink.append_doctype_to_document(
                    doctype.name.unwrap_or_default(),
                    doctype.public_id.unwrap_or_default(),
                    doctype.system_id.unwrap_or_default(),
                );
                self.quirks.set(false);
                self.sink.set_quirks_mode(QuirksMode::NoQuirks);
                TokenSinkResult::Continue
            }
            Token::TagToken(tag) => {
                if self.phase.get() == Phase::BeforeHtml && self.quirks.get() {
                    // No DOCTYPE: the standard's quirks mode, as html5ever sets it.
                    self.sink.set_quirks_mode(QuirksMode::Quirks);
                }
                match tag.kind {
                    TagKind::StartTag => self.start_tag(tag),
                    TagKind::EndTag => self.end_tag(tag),
                }
            }
            Token::CommentToken(text) => self.comment(text),
            Token::CharacterTokens(text) => {
                self.ignore_newline.set(ignore_newline);
                self.characters(text)
            }
            // Markup that ends before its `<body>` leaves the standard to make the rest.
            Token::EOFToken
                if !matches!(self.phase.get(), Phase::InBody | Phase::AfterBody | Phase::AfterAfterBody) =>
            {
                self.give_up()
            }
            Token::EOFToken => TokenSinkResult::Continue,
            Token::NullCharacterToken | Token::ParseError(_) => self.give_up(),
        }
    }

    fn error_count(&self) -> usize {
        self.errors.get()
    }

    fn in_foreign_content(&self) -> bool {
        self.open.borrow().last().is_some_and(|open| open.svg)
    }

    fn gave_up(&self) -> bool {
        self.gave_up.get()
    }

    fn end(&self) {}
}

fn is_heading(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("h1")
            | local_name!("h2")
            | local_name!("h3")
            | local_name!("h4")
            | local_name!("h5")
            | local_name!("h6")
    )
}

/// Elements "generate implied end tags" closes.
fn closes_implicitly(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("dd")
            | local_name!("dt")
            | local_name!("li")
            | local_name!("optgroup")
            | local_name!("option")
            | local_name!("p")
            | local_name!("rb")
            | local_name!("rp")
            | local_name!("rt")
            | local_name!("rtc")
    )
}

/// Start tags that close a `p` open in button scope.
fn closes_paragraph(name: &LocalName) -> bool {
    is_heading(name)
        || matches!(
            *name,
            local_name!("address")
                | local_name!("article")
                | local_name!("aside")
                | local_name!("blockquote")
                | local_name!("center")
                | local_name!("details")
                | local_name!("dialog")
                | local_name!("dir")
                | local_name!("div")
                | local_name!("dl")
                | local_name!("fieldset")
                | local_name!("figcaption")
                | local_name!("figure")
                | local_name!("footer")
                | local_name!("header")
                | local_name!("hgroup")
                | local_name!("main")
                | local_name!("menu")
                | local_name!("nav")
                | local_name!("ol")
                | local_name!("p")
                | local_name!("search")
                | local_name!("section")
                | local_name!("summary")
                | local_name!("ul")
                | local_name!("pre")
                | local_name!("listing")
                | local_name!("form")
                | local_name!("li")
                | local_name!("dd")
                | local_name!("dt")
                | local_name!("plaintext")
                | local_name!("hr")
                | local_name!("xmp")
        )
}

/// Void elements: no end tag, never open.
fn is_void(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("area")
            | local_name!("base")
            | local_name!("basefont")
            | local_name!("bgsound")
            | local_name!("br")
            | local_name!("col")
            | local_name!("embed")
            | local_name!("hr")
            | local_name!("img")
            | local_name!("input")
            | local_name!("keygen")
            | local_name!("link")
            | local_name!("meta")
            | local_name!("param")
            | local_name!("source")
            | local_name!("track")
            | local_name!("wbr")
    )
}

/// The standard's "special" HTML elements (the list-item rules stop at them).
fn is_special(name: &LocalName) -> bool {
    is_heading(name)
        || matches!(
            *name,
            local_name!("address")
                | local_name!("applet")
                | local_name!("area")
                | local_name!("article")
                | local_name!("aside")
                | local_name!("base")
                | local_name!("basefont")
                | local_name!("bgsound")
                | local_name!("blockquote")
                | local_name!("body")
                | local_name!("br")
                | local_name!("button")
                | local_name!("caption")
                | local_name!("center")
                | local_name!("col")
                | local_name!("colgroup")
                | local_name!("dd")
                | local_name!("details")
                | local_name!("dir")
                | local_name!("div")
                | local_name!("dl")
                | local_name!("dt")
                | local_name!("embed")
                | local_name!("fieldset")
                | local_name!("figcaption")
                | local_name!("figure")
                | local_name!("footer")
                | local_name!("form")
                | local_name!("frame")
                | local_name!("frameset")
                | local_name!("head")
                | local_name!("header")
                | local_name!("hgroup")
                | local_name!("hr")
                | local_name!("html")
                | local_name!("iframe")
                | local_name!("img")
                | local_name!("input")
                | local_name!("keygen")
                | local_name!("li")
                | local_name!("link")
                | local_name!("listing")
                | local_name!("main")
                | local_name!("marquee")
                | local_name!("menu")
                | local_name!("meta")
                | local_name!("nav")
                | local_name!("noembed")
                | local_name!("noframes")
                | local_name!("noscript")
                | local_name!("object")
                | local_name!("ol")
                | local_name!("p")
                | local_name!("param")
                | local_name!("plaintext")
                | local_name!("pre")
                | local_name!("script")
                | local_name!("search")
                | local_name!("section")
                | local_name!("select")
                | local_name!("source")
                | local_name!("style")
                | local_name!("summary")
                | local_name!("table")
                | local_name!("tbody")
                | local_name!("td")
                | local_name!("template")
                | local_name!("textarea")
                | local_name!("tfoot")
                | local_name!("th")
                | local_name!("thead")
                | local_name!("title")
                | local_name!("tr")
                | local_name!("track")
                | local_name!("ul")
                | local_name!("wbr")
                | local_name!("xmp")
        )
}

/// `xlink:`, `xml:` and `xmlns` attributes of foreign elements, in their namespaces.
fn foreign_attribute(name: &LocalName) -> Option<QualName> {
    let xlink = |local: LocalName| QualName::new(Some(namespace_prefix!("xlink")), ns!(xlink), local);
    Some(match *name {
        local_name!("xlink:actuate") => xlink(local_name!("actuate")),
        local_name!("xlink:arcrole") => xlink(local_name!("arcrole")),
        local_name!("xlink:href") => xlink(local_name!("href")),
        local_name!("xlink:role") => xlink(local_name!("role")),
        local_name!("xlink:show") => xlink(local_name!("show")),
        local_name!("xlink:title") => xlink(local_name!("title")),
        local_name!("xlink:type") => xlink(local_name!("type")),
        local_name!("xml:lang") => QualName::new(Some(namespace_prefix!("xml")), ns!(xml), local_name!("lang")),
        local_name!("xml:space") => QualName::new(Some(namespace_prefix!("xml")), ns!(xml), local_name!("space")),
        local_name!("xmlns") => QualName::new(None, ns!(xmlns), local_name!("xmlns")),
        local_name!("xmlns:xlink") => QualName::new(Some(namespace_prefix!("xmlns")), ns!(xmlns), local_name!("xlink")),
        _ => return None,
    })
}
