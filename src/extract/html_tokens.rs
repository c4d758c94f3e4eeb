//! The HTML parse's front half: splits markup into html5ever's tokens and feeds its tree builder, skipping raw text at memchr speed.
//!
//! html5ever's own tokenizer walks the input one character at a time
//! through a state machine and a buffer queue; that was about a third of
//! extraction's time, most of it spent inside scripts, styles and long runs
//! of text the extractor never reads token by token. This tokenizer jumps
//! between the bytes that matter (`<`, `&`, quotes, the end of a raw-text
//! element) and hands html5ever's tree builder the same tokens, so the tree
//! (error recovery, implied end tags, foster parenting, foreign content) is
//! still built by the standard algorithm. The equivalence is checked on
//! every corpus page by `tests/html_tokens.rs` and `cargo xtask bench extract`.
//!
//! Well-formed markup (the panel's `outerHTML`) goes first to
//! [`WellFormedTree`], which builds the same tree from the tag nesting and
//! gives up, for html5ever's tree builder, where recovery is needed. Text
//! and attribute values that stand in the input as they are reach either
//! as slices of one shared copy of the input, not as copies of their own.
//!
//! Deliberate simplifications, none of which changes the tree: parse errors
//! are not reported, `NUL` in text is dropped where the tree builder would
//! drop it, and character references are decoded with the standard's
//! longest-match rule from html5ever's own entity table.
//!
//! Extraction's parse ([`Whitespace::DropBetweenBlocks`]) also leaves out
//! whitespace-only text between block-level tags, which changes the tree
//! in that whitespace alone (checked by the same tests).

use super::well_formed::WellFormedTree;
use dom_query::Document;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{Doctype, Tag, TagKind, Token, TokenSink, TokenSinkResult};
use html5ever::tree_builder::{create_element, TreeBuilder, TreeBuilderOpts, TreeSink};
use html5ever::{local_name, ns, Attribute, LocalName, QualName};
use markup5ever::data::{C1_REPLACEMENTS, NAMED_ENTITIES};
use memchr::memmem;
use std::borrow::Cow;

/// The longest named character reference (`&CounterClockwiseContourIntegral;`), in bytes after the `&`.
const LONGEST_ENTITY_NAME: usize = 32;

/// Which whitespace-only text the tokenizer hands the tree builder.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Whitespace {
    /// All of it: the tree is exactly the standard's (`Document::from`'s).
    Keep,
    /// Not the whitespace between two block-level tags (`</p>\n  <p>`,
    /// `<ul>\n <li>`), where it can go without the text around it running
    /// together (the rule is in the tokenizer's `emit`). A reader never sees
    /// it (no browser renders it), and it is about half of a page's
    /// whitespace-only text nodes: every later walk over the tree skips it.
    /// Whitespace beside inline content (`</a> <a>`), in preformatted text,
    /// and all other text stay.
    DropBetweenBlocks,
}

/// Parses a whole HTML document into a `dom_query` tree, as
/// `Document::from` would (scripting off, so `<noscript>` holds elements).
pub fn parse_document(html: &str) -> Document {
    parse_document_with(html, Whitespace::Keep)
}

/// Parses a whole HTML document, keeping the whitespace-only text `whitespace` says.
///
/// Well-formed markup (a browser's `outerHTML`) is built by
/// [`WellFormedTree`] from the tag nesting alone; at the first tag that
/// needs the standard's error recovery it gives up and the whole input is
/// parsed again by html5ever's tree builder. Both build the same tree.
pub fn parse_document_with(html: &str, whitespace: Whitespace) -> Document {
    parse_page(html, whitespace).document
}

/// A parsed page, with what the tokenizer saw on the way.
pub(super) struct ParsedPage {
    pub document: Document,
    /// Whether an element whose content is raw text (`<script>`, `<style>`,
    /// `<iframe>`…) started inside a `<noscript>`: only such an element can
    /// have read the `<noscript>`'s end tag, and the page after it, as its
    /// text (see `parse::page`).
    pub raw_text_in_noscript: bool,
}

/// [`parse_document_with`], and what the tokenizer saw.
pub(super) fn parse_page(html: &str, whitespace: Whitespace) -> ParsedPage {
    well_formed_page(html, whitespace).unwrap_or_else(|| page_by_the_standard(html, whitespace))
}

/// The tree of well-formed markup, built from its tag nesting alone, or
/// `None` where it needs the standard's error recovery (see [`WellFormedTree`]).
pub fn parse_well_formed(html: &str, whitespace: Whitespace) -> Option<Document> {
    well_formed_page(html, whitespace).map(|page| page.document)
}

fn well_formed_page(html: &str, whitespace: Whitespace) -> Option<ParsedPage> {
    // A byte order mark is not content.
    let html = html.strip_prefix('\u{FEFF}').unwrap_or(html);
    let well_formed = WellFormedTree::new();
    let raw_text_in_noscript = run(html, &well_formed, whitespace);
    (!well_formed.gave_up()).then_some(ParsedPage { document: well_formed.sink, raw_text_in_noscript })
}

/// Parses a whole HTML document with html5ever's tree builder only (the
/// standard's algorithm, error recovery and all).
pub fn parse_document_by_the_standard(html: &str, whitespace: Whitespace) -> Document {
    page_by_the_standard(html, whitespace).document
}

fn page_by_the_standard(html: &str, whitespace: Whitespace) -> ParsedPage {
    let html = html.strip_prefix('\u{FEFF}').unwrap_or(html);
    let builder = TreeBuilder::new(
        Document::default(),
        TreeBuilderOpts { scripting_enabled: false, ..TreeBuilderOpts::default() },
    );
    let raw_text_in_noscript = run(html, &builder, whitespace);
    ParsedPage { document: builder.sink.finish(), raw_text_in_noscript }
}

/// What the tokenizer needs of a tree constructor: html5ever's tree
/// builder, or [`WellFormedTree`], which may give up.
pub(super) trait TreeConstruction {
    /// Takes one token; the answer says how the text after a start tag is read.
    fn process_token(&self, token: Token) -> TokenSinkResult<dom_query::NodeId>;
    /// Parse errors so far.
    fn error_count(&self) -> usize;
    /// Whether the current node is not an HTML element (where `<![CDATA[` is text).
    fn in_foreign_content(&self) -> bool;
    /// Whether construction stopped: the rest of the input is not read.
    fn gave_up(&self) -> bool;
    /// The input is done.
    fn end(&self);
}

impl TreeConstruction for TreeBuilder<dom_query::NodeId, Document> {
    fn process_token(&self, token: Token) -> TokenSinkResult<dom_query::NodeId> {
        TokenSink::process_token(self, token, 0)
    }

    fn error_count(&self) -> usize {
        self.sink.errors.borrow().len()
    }

    fn in_foreign_content(&self) -> bool {
        self.adjusted_current_node_present_but_not_in_html_namespace()
    }

    fn gave_up(&self) -> bool {
        false
    }

    fn end(&self) {
        TokenSink::end(self);
    }
}

/// Parses markup as the children of a `<body>` (the way `innerHTML` does),
/// scripting off: the tree's `html` element holds the nodes parsed.
pub fn parse_body_fragment(html: &str) -> Document {
    let html = html.strip_prefix('\u{FEFF}').unwrap_or(html);
    let sink = Document::fragment_sink();
    let body = create_element(&sink, QualName::new(None, ns!(html), local_name!("body")), Vec::new());
    let options = TreeBuilderOpts { scripting_enabled: false, drop_doctype: true, ..TreeBuilderOpts::default() };
    let builder = TreeBuilder::new_for_fragment(sink, body, None, options);
    run(html, &builder, Whitespace::Keep);
    builder.sink.finish()
}

/// Tokenizes `html` (newlines normalized) into the tree builder; says
/// whether raw text started inside a `<noscript>` ([`ParsedPage`]).
fn run(html: &str, builder: &impl TreeConstruction, whitespace: Whitespace) -> bool {
    let normalized: Cow<str> = if memchr::memchr(b'\r', html.as_bytes()).is_some() {
        Cow::Owned(without_carriage_returns(html))
    } else {
        Cow::Borrowed(html)
    };
    Tokenizer {
        html: &normalized,
        bytes: normalized.as_bytes(),
        source: StrTendril::from_slice(&normalized),
        position: 0,
        text: String::new(),
        text_span: None,
        raw_text_element: String::new(),
        attributes: Vec::new(),
        builder,
        whitespace,
        after_block_tag: false,
        text_closed_off: false,
        open: OpenCounts::default(),
        raw_text_in_noscript: false,
    }
    .run()
}

/// The input stream's newline normalization: `\r\n` and a lone `\r` become `\n`.
fn without_carriage_returns(html: &str) -> String {
    // One pass from `\r` to `\r` (most pages with any have one per line).
    let mut normalized = String::with_capacity(html.len());
    let mut at = 0;
    for carriage_return in memchr::memchr_iter(b'\r', html.as_bytes()) {
        normalized.push_str(&html[at..carriage_return]);
        normalized.push('\n');
        at = carriage_return + 1;
        if html.as_bytes().get(at) == Some(&b'\n') {
            at += 1;
        }
    }
    normalized.push_str(&html[at..]);
    normalized
}

/// How the text after a start tag is read, as the tree builder asks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TextMode {
    /// Ordinary markup.
    Markup,
    /// Text up to the element's end tag, character references decoded (`title`, `textarea`).
    Rcdata,
    /// Text up to the element's end tag, taken literally (`style`, `xmp`, `iframe`…).
    Rawtext,
    /// A script's text, with the standard's `<!--` escape rules.
    Script,
    /// Everything to the end of the input (`plaintext`).
    Plaintext,
}

struct Tokenizer<'a, Builder: TreeConstruction> {
    html: &'a str,
    bytes: &'a [u8],
    position: usize,
    /// The input as one shared buffer: text and attribute values taken
    /// from it as they stand are slices of it, not copies.
    source: StrTendril,
    /// Character data not yet handed to the tree builder, when it is not
    /// `text_span` (an empty `text` then).
    text: String,
    /// Character data not yet handed over that is one run of the input as it stands.
    text_span: Option<(usize, usize)>,
    /// The start tag that switched to raw text: its end tag ends it.
    raw_text_element: String,
    /// The attributes of the tag being read, moved into a list of their
    /// exact size when it ends: growing each tag's own list from empty was
    /// an allocation and a reallocation for most tags.
    attributes: Vec<Attribute>,
    builder: &'a Builder,
    whitespace: Whitespace,
    /// Whether the last token handed over was a block-level tag (the text
    /// gathered since is not handed over yet).
    after_block_tag: bool,
    /// Whether, since the last text that is not whitespace alone, an
    /// element was put in the tree (a start tag of [`always_opens`],
    /// outside a `select`) or closed (an end tag the tree builder took
    /// without a parse error, other than `body` and `html`, which close
    /// nothing): that text's node then has a sibling after it or is shut
    /// in, and no later text can run into it.
    text_closed_off: bool,
    /// Elements open that change how whitespace is read: in a `select`,
    /// the tree builder ignores block tags; in a preformatted element,
    /// whitespace is text; while a formatting element (`b`, `i`, `a`…)
    /// may be left open, whitespace is text the tree builder may wrap in a
    /// copy of it (the standard's "reconstruct the active formatting
    /// elements"), moving what follows. And `noscript`.
    open: OpenCounts,
    /// Whether raw text started while a `noscript` was open.
    raw_text_in_noscript: bool,
}

impl<'a, Builder: TreeConstruction> Tokenizer<'a, Builder> {
    fn run(&mut self) -> bool {
        let mut mode = TextMode::Markup;
        while self.position < self.bytes.len() && !self.builder.gave_up() {
            mode = match mode {
                TextMode::Markup => self.markup(),
                TextMode::Plaintext => {
                    self.push_raw_text(self.position, self.bytes.len(), false);
                    self.position = self.bytes.len();
                    TextMode::Plaintext
                }
                raw => self.raw_text(raw),
            };
        }
        self.flush_text();
        self.hand_over(Token::EOFToken);
        self.builder.end();
        self.raw_text_in_noscript
    }

    /// Reads text and markup until a start tag asks for another text mode.
    fn markup(&mut self) -> TextMode {
        while self.position < self.bytes.len() && !self.builder.gave_up() {
            let rest = &self.bytes[self.position..];
            let Some(offset) = memchr::memchr2(b'<', b'&', rest) else {
                self.push_text(self.position, self.bytes.len());
                self.position = self.bytes.len();
                break;
            };
            self.push_text(self.position, self.position + offset);
            self.position += offset;
            if self.bytes[self.position] == b'&' {
                let (html, position) = (self.html, self.position);
                self.position = character_reference(html, position, false, self.text_mut());
                continue;
            }
            if let Some(mode) = self.after_less_than() {
                if mode != TextMode::Markup {
                    return mode;
                }
            }
        }
        TextMode::Markup
    }

    /// Text between two markup bytes. A `NUL` is a token of its own (the
    /// tree builder ignores it in a body, but before one it opens the body).
    fn push_text(&mut self, start: usize, end: usize) {
        let mut at = start;
        while let Some(nul) = memchr::memchr(0, &self.bytes[at..end]) {
            self.push_span(at, at + nul);
            self.flush_text();
            self.after_block_tag = false;
            self.text_closed_off = false;
            let _ = self.builder.process_token(Token::NullCharacterToken);
            at += nul + 1;
        }
        self.push_span(at, end);
    }

    /// Adds `html[start..end]` to the pending text, as a span of the input while it is one.
    fn push_span(&mut self, start: usize, end: usize) {
        if start == end {
            return;
        }
        match self.text_span {
            None if self.text.is_empty() => self.text_span = Some((start, end)),
            Some((first, last)) if last == start => self.text_span = Some((first, end)),
            _ => {
                let html = self.html;
                self.text_mut().push_str(&html[start..end]);
            }
        }
    }

    /// `html[start..end]` as a slice of the shared input buffer, not a copy.
    fn input_slice(&self, start: usize, end: usize) -> StrTendril {
        assert!(start <= end && end <= self.bytes.len());
        debug_assert!(self.html.is_char_boundary(start) && self.html.is_char_boundary(end));
        // SAFETY: in bounds (checked above), and every span the tokenizer
        // takes starts and ends at an ASCII delimiter or the input's ends,
        // so on character boundaries: tendril's own boundary validation
        // (a tenth of the tokenizer's time) would only repeat that.
        unsafe { self.source.unsafe_subtendril(start as u32, (end - start) as u32) }
    }

    /// The pending text as a string to add to (a span becomes a copy).
    fn text_mut(&mut self) -> &mut String {
        if let Some((start, end)) = self.text_span.take() {
            self.text.push_str(&self.html[start..end]);
        }
        &mut self.text
    }

    fn no_pending_text(&self) -> bool {
        self.text.is_empty() && self.text_span.is_none()
    }

    fn pending_text_is_space(&self) -> bool {
        match self.text_span {
            Some((start, end)) => self.bytes[start..end].iter().all(|byte| is_space_byte(*byte)),
            None => self.text.bytes().all(is_space_byte),
        }
    }

    fn clear_pending_text(&mut self) {
        self.text.clear();
        self.text_span = None;
    }

    /// Raw text: `NUL` becomes U+FFFD; in RCDATA, references are decoded.
    fn push_raw_text(&mut self, start: usize, end: usize, decode_references: bool) {
        if !decode_references {
            let raw = &self.html[start..end];
            match memchr::memchr(0, raw.as_bytes()) {
                None => self.push_span(start, end),
                Some(_) => self.text_mut().push_str(&nul_replaced(raw)),
            }
            return;
        }
        let html = self.html;
        let mut at = start;
        while let Some(offset) = memchr::memchr(b'&', &self.bytes[at..end]) {
            self.text_mut().push_str(&nul_replaced(&html[at..at + offset]));
            at = character_reference(&html[..end], at + offset, false, self.text_mut());
        }
        self.text_mut().push_str(&nul_replaced(&html[at..end]));
    }

    fn flush_text(&mut self) {
        if !self.no_pending_text() {
            if !self.pending_text_is_space() {
                self.text_closed_off = false;
            }
            let text = match self.text_span.take() {
                Some((start, end)) => self.input_slice(start, end),
                None => StrTendril::from_slice(&self.text),
            };
            self.text.clear();
            let _ = self.builder.process_token(Token::CharacterTokens(text));
        }
    }

    /// Hands the tree builder a tag, after the text before it, leaving out a
    /// whitespace-only gap between block-level tags where [`Whitespace`] allows.
    fn emit(&mut self, token: Token) -> TokenSinkResult<dom_query::NodeId> {
        let (block_tag, opens_block) = match &token {
            Token::TagToken(tag) => {
                let outside_select = !self.open.any_open(Tracked::Select);
                self.open.count(tag);
                let block = is_block_level(&tag.name);
                (block, block && tag.kind == TagKind::StartTag && always_opens(&tag.name) && outside_select)
            }
            _ => (false, false),
        };
        // Without the gap, the text before it and the text after it could
        // run together ("a</div> </div>b" with no `div` open reads "ab"):
        // an element opened or closed since the one, or opened by this tag
        // before the other, keeps them apart.
        if block_tag
            && self.after_block_tag
            && (opens_block || self.text_closed_off)
            && self.whitespace == Whitespace::DropBetweenBlocks
            && !self.open.any_open(Tracked::Preformatted)
            && !self.open.any_open(Tracked::Formatting)
            && !self.open.any_open(Tracked::Select)
            && self.pending_text_is_space()
        {
            self.clear_pending_text();
        }
        self.flush_text();
        self.after_block_tag = block_tag;
        self.text_closed_off |= opens_block;
        let closes = match &token {
            Token::TagToken(tag) => {
                block_tag
                    && tag.kind == TagKind::EndTag
                    && !matches!(tag.name, local_name!("body") | local_name!("html"))
                    && !self.open.any_open(Tracked::Select)
            }
            _ => false,
        };
        let errors_before = if closes { self.builder.error_count() } else { 0 };
        let result = self.builder.process_token(token);
        if closes && self.builder.error_count() == errors_before {
            self.text_closed_off = true;
        }
        result
    }

    /// Gives the tree builder a token after which the text mode cannot
    /// change (only start tags switch it).
    fn hand_over(&mut self, token: Token) {
        let is_text = matches!(token, Token::CharacterTokens(_));
        if !is_text {
            self.flush_text();
        }
        self.after_block_tag = false;
        let _ = self.builder.process_token(token);
    }

    /// At a `<`: a tag, comment, doctype, or a literal `<`. Returns the text
    /// mode a start tag asked for, if any.
    fn after_less_than(&mut self) -> Option<TextMode> {
        let start = self.position;
        match self.bytes.get(start + 1).copied() {
            Some(b'!') => {
                self.markup_declaration();
                None
            }
            Some(b'/') => match self.bytes.get(start + 2).copied() {
                Some(letter) if letter.is_ascii_alphabetic() => {
                    self.position = start + 2;
                    self.tag(TagKind::EndTag);
                    None
                }
                Some(b'>') => {
                    self.position = start + 3;
                    None
                }
                None => {
                    self.text_mut().push_str("</");
                    self.position = start + 2;
                    None
                }
                Some(_) => {
                    self.bogus_comment(start + 2);
                    None
                }
            },
            Some(b'?') => {
                self.bogus_comment(start + 1);
                None
            }
            Some(letter) if letter.is_ascii_alphabetic() => {
                self.position = start + 1;
                self.tag(TagKind::StartTag)
            }
            _ => {
                self.text_mut().push('<');
                self.position = start + 1;
                None
            }
        }
    }

    /// `<!--`, `<!DOCTYPE`, `<![CDATA[`, or a bogus comment.
    fn markup_declaration(&mut self) {
        let start = self.position;
        let rest = &self.bytes[start..];
        if rest.starts_with(b"<!--") {
            self.comment(start + 4);
        } else if rest.len() >= 9 && rest[2..9].eq_ignore_ascii_case(b"doctype") {
            self.doctype(start + 9);
        } else if rest.starts_with(b"<![CDATA[") {
            if self.builder.in_foreign_content() {
                let body = start + 9;
                let end = memmem::find(&self.bytes[body..], b"]]>").map_or(self.bytes.len(), |at| body + at);
                self.push_text(body, end);
                self.position = (end + 3).min(self.bytes.len());
            } else {
                self.bogus_comment(start + 2);
            }
        } else {
            self.bogus_comment(start + 2);
        }
    }

    /// A comment's body from `body`: it ends at `-->` or `--!>`; `<!-->` and `<!--->` are empty.
    fn comment(&mut self, body: usize) {
        let rest = &self.bytes[body..];
        let (content_end, next) = if rest.starts_with(b">") {
            (body, body + 1)
        } else if rest.starts_with(b"->") {
            (body, body + 2)
        } else {
            let mut search = body;
            loop {
                match memmem::find(&self.bytes[search..], b"--") {
                    // Unterminated: the last one or two dashes were the start of an end.
                    None => {
                        let tail = &self.bytes[body..];
                        let dashes = tail.iter().rev().take(2).take_while(|b| **b == b'-').count();
                        break (self.bytes.len() - dashes, self.bytes.len());
                    }
                    Some(offset) => {
                        let dashes = search + offset;
                        let after = &self.bytes[dashes + 2..];
                        if after.starts_with(b">") {
                            break (dashes, dashes + 3);
                        }
                        if after.starts_with(b"!>") {
                            break (dashes, dashes + 4);
                        }
                        search = dashes + 1;
                    }
                }
            }
        };
        let content = StrTendril::from_slice(&nul_replaced(&self.html[body..content_end]));
        self.position = next;
        self.hand_over(Token::CommentToken(content));
    }

    /// `<?…>`, `<!…>` and `</…>` that are not tags: a comment up to the next `>`.
    fn bogus_comment(&mut self, body: usize) {
        let end = memchr::memchr(b'>', &self.bytes[body..]).map_or(self.bytes.len(), |at| body + at);
        let content = StrTendril::from_slice(&nul_replaced(&self.html[body..end]));
        self.position = (end + 1).min(self.bytes.len());
        self.hand_over(Token::CommentToken(content));
    }

    /// `<!DOCTYPE name PUBLIC "…" "…">`, read well enough for the quirks-mode decision.
    fn doctype(&mut self, after_keyword: usize) {
        let end = memchr::memchr(b'>', &self.bytes[after_keyword..]).map(|at| after_keyword + at);
        let body = self.html[after_keyword..end.unwrap_or(self.bytes.len())].replace('\0', "\u{FFFD}");
        let mut words = body.as_str().trim_start_matches(is_html_space).splitn(2, |c: char| is_html_space(c));
        let name = words.next().filter(|name| !name.is_empty()).map(|name| name.to_ascii_lowercase());
        let rest = words.next().unwrap_or("").trim_matches(is_html_space);
        let quoted: Vec<&str> = rest.split(['"', '\'']).skip(1).step_by(2).collect();
        let keyword = rest.get(..6).map(str::to_ascii_uppercase);
        let (public_id, system_id) = match keyword.as_deref() {
            Some("PUBLIC") => (quoted.first().copied(), quoted.get(1).copied()),
            Some("SYSTEM") => (None, quoted.first().copied()),
            _ => (None, None),
        };
        let bogus = !rest.is_empty() && public_id.is_none() && system_id.is_none();
        self.position = end.map_or(self.bytes.len(), |end| end + 1);
        self.hand_over(Token::DoctypeToken(Doctype {
            force_quirks: name.is_none() || end.is_none() || bogus,
            name: name.map(|name| StrTendril::from_slice(&name)),
            public_id: public_id.map(StrTendril::from_slice),
            system_id: system_id.map(StrTendril::from_slice),
        }));
    }

    /// A start or end tag from its name's first letter. A tag cut off by
    /// the end of the input is dropped, as the standard says.
    fn tag(&mut self, kind: TagKind) -> Option<TextMode> {
        let name_start = self.position;
        let (mut name_end, mut not_lowercase) = (name_start, false);
        while let Some(role) = self.bytes.get(name_end).map(|byte| NAME_BYTES[usize::from(*byte)]) {
            if role.ends_tag_name {
                break;
            }
            not_lowercase |= role.uppercase_or_nul;
            name_end += 1;
        }
        let html = self.html;
        let name = lowercase_name(&html[name_start..name_end], not_lowercase);
        self.position = name_end;
        self.attributes.clear();
        let mut self_closing = false;
        let mut had_duplicate_attributes = false;
        loop {
            self.skip_spaces();
            match self.bytes.get(self.position).copied() {
                None => return None,
                Some(b'>') => {
                    self.position += 1;
                    break;
                }
                Some(b'/') => {
                    self.position += 1;
                    if self.bytes.get(self.position) == Some(&b'>') {
                        self.position += 1;
                        self_closing = true;
                        break;
                    }
                }
                Some(_) => {
                    let Some((attribute_name, value)) = self.attribute() else {
                        self.position = self.bytes.len();
                        return None;
                    };
                    let attribute_name = name_atom(&attribute_name);
                    if self.attributes.iter().any(|existing| existing.name.local == attribute_name) {
                        had_duplicate_attributes = true;
                    } else {
                        self.attributes.push(Attribute { name: QualName::new(None, ns!(), attribute_name), value });
                    }
                }
            }
        }
        let attrs = match kind {
            TagKind::StartTag if !self.attributes.is_empty() => {
                let mut attrs = Vec::with_capacity(self.attributes.len());
                attrs.append(&mut self.attributes);
                attrs
            }
            _ => Vec::new(),
        };
        let is_start = kind == TagKind::StartTag;
        let tag = Tag { kind, name: name_atom(&name), self_closing, attrs, had_duplicate_attributes };
        let mode = match self.emit(Token::TagToken(tag)) {
            TokenSinkResult::RawData(RawKind::Rcdata) if is_start => TextMode::Rcdata,
            TokenSinkResult::RawData(RawKind::Rawtext) if is_start => TextMode::Rawtext,
            TokenSinkResult::RawData(RawKind::ScriptData | RawKind::ScriptDataEscaped(_)) if is_start => {
                TextMode::Script
            }
            TokenSinkResult::Plaintext => TextMode::Plaintext,
            _ => TextMode::Markup,
        };
        if matches!(mode, TextMode::Rcdata | TextMode::Rawtext | TextMode::Script) {
            self.raw_text_in_noscript |= self.open.any_open(Tracked::Noscript);
            self.raw_text_element.clear();
            self.raw_text_element.push_str(&name);
        }
        Some(mode)
    }

    /// One attribute: its lowercased name and decoded value. `None` when the input ends inside it.
    fn attribute(&mut self) -> Option<(Cow<'a, str>, StrTendril)> {
        let html = self.html;
        let name_start = self.position;
        // A name may begin with `=`; after that, `=` ends it.
        let mut not_lowercase = NAME_BYTES[usize::from(self.bytes[name_start])].uppercase_or_nul;
        let mut at = name_start + 1;
        while let Some(role) = self.bytes.get(at).map(|byte| NAME_BYTES[usize::from(*byte)]) {
            if role.ends_attribute_name {
                break;
            }
            not_lowercase |= role.uppercase_or_nul;
            at += 1;
        }
        let name = lowercase_name(&html[name_start..at], not_lowercase);
        self.position = at;
        self.skip_spaces();
        if self.bytes.get(self.position) != Some(&b'=') {
            return (self.position < self.bytes.len()).then_some((name, StrTendril::new()));
        }
        self.position += 1;
        self.skip_spaces();
        let mut value = StrTendril::new();
        match self.bytes.get(self.position).copied() {
            None => return None,
            Some(quote @ (b'"' | b'\'')) => {
                let body = self.position + 1;
                let end = body + memchr::memchr(quote, &self.bytes[body..])?;
                value = self.attribute_value(body, end);
                self.position = end + 1;
            }
            Some(b'>') => {}
            Some(_) => {
                let body = self.position;
                let end = self.bytes[body..]
                    .iter()
                    .position(|b| is_space_byte(*b) || *b == b'>')
                    .map_or(self.bytes.len(), |at| body + at);
                value = self.attribute_value(body, end);
                self.position = end;
                if end == self.bytes.len() {
                    return None;
                }
            }
        }
        Some((name, value))
    }

    /// An attribute's value with its character references decoded (copied
    /// once when it has none).
    fn attribute_value(&self, start: usize, end: usize) -> StrTendril {
        let raw = &self.bytes[start..end];
        if memchr::memchr2(b'&', 0, raw).is_none() {
            return self.input_slice(start, end);
        }
        let mut value = String::with_capacity(end - start);
        let mut at = start;
        while let Some(offset) = memchr::memchr(b'&', &self.bytes[at..end]) {
            value.push_str(&self.html[at..at + offset]);
            // A reference never reaches past the value's end.
            at = character_reference(&self.html[..end], at + offset, true, &mut value);
        }
        value.push_str(&self.html[at..end]);
        StrTendril::from_slice(&nul_replaced(&value))
    }

    fn skip_spaces(&mut self) {
        while self.bytes.get(self.position).is_some_and(|b| is_space_byte(*b)) {
            self.position += 1;
        }
    }

    /// Raw text up to the end tag of the element that opened it (the
    /// tree builder's current node), which is then read as markup.
    fn raw_text(&mut self, mode: TextMode) -> TextMode {
        let element = std::mem::take(&mut self.raw_text_element);
        let start = self.position;
        let end = match mode {
            TextMode::Script => self.script_end(start, &element),
            _ => self.appropriate_end_tag(start, &element),
        };
        let text_end = end.unwrap_or(self.bytes.len());
        self.push_raw_text(start, text_end, mode == TextMode::Rcdata);
        self.position = text_end;
        if end.is_some() {
            self.position = text_end + 2;
            self.tag(TagKind::EndTag);
        }
        TextMode::Markup
    }

    /// The next `</name` (any case) followed by a space, `/` or `>`.
    fn appropriate_end_tag(&self, from: usize, name: &str) -> Option<usize> {
        let mut search = from;
        while let Some(offset) = memmem::find(&self.bytes[search..], b"</") {
            let at = search + offset;
            if self.is_end_tag_of(at, name) {
                return Some(at);
            }
            search = at + 2;
        }
        None
    }

    fn is_end_tag_of(&self, at: usize, name: &str) -> bool {
        let name_end = at + 2 + name.len();
        self.bytes[at..].starts_with(b"</")
            && self.bytes.get(at + 2..name_end).is_some_and(|candidate| candidate.eq_ignore_ascii_case(name.as_bytes()))
            && self.bytes.get(name_end).is_some_and(|b| is_space_byte(*b) || *b == b'/' || *b == b'>')
    }

    /// A script ends at `</script` unless it sits inside `<!-- <script> … -->`
    /// (the standard's escaped and double-escaped states).
    fn script_end(&self, from: usize, name: &str) -> Option<usize> {
        let first = self.appropriate_end_tag(from, name);
        let scanned_to = first.unwrap_or(self.bytes.len());
        if memmem::find(&self.bytes[from..scanned_to], b"<!--").is_none() {
            return first;
        }
        let bytes = self.bytes;
        let (mut escaped, mut double_escaped) = (false, false);
        let mut at = from;
        while at < bytes.len() {
            let rest = &bytes[at..];
            if !escaped {
                if rest.starts_with(b"<!--") {
                    // After `<!--` come dashes; a `>` then closes it at once.
                    at += 4;
                    while bytes.get(at) == Some(&b'-') {
                        at += 1;
                    }
                    if bytes.get(at) == Some(&b'>') {
                        at += 1;
                    } else {
                        escaped = true;
                    }
                    continue;
                }
                if self.is_end_tag_of(at, name) {
                    return Some(at);
                }
            } else if rest.starts_with(b"-->") {
                escaped = false;
                double_escaped = false;
                at += 3;
                continue;
            } else if !double_escaped {
                if self.is_end_tag_of(at, name) {
                    return Some(at);
                }
                if rest.len() > 7
                    && rest[0] == b'<'
                    && rest[1..7].eq_ignore_ascii_case(b"script")
                    && (is_space_byte(rest[7]) || rest[7] == b'/' || rest[7] == b'>')
                {
                    double_escaped = true;
                    at += 7;
                    continue;
                }
            } else if rest.len() > 8
                && rest.starts_with(b"</")
                && rest[2..8].eq_ignore_ascii_case(b"script")
                && (is_space_byte(rest[8]) || rest[8] == b'/' || rest[8] == b'>')
            {
                double_escaped = false;
                at += 8;
                continue;
            }
            at += 1;
        }
        None
    }
}

/// Decodes the character reference at `ampersand` into `out` and returns
/// where reading goes on. Not a reference: a literal `&`.
fn character_reference(html: &str, ampersand: usize, in_attribute: bool, out: &mut String) -> usize {
    let bytes = html.as_bytes();
    let after = ampersand + 1;
    match bytes.get(after).copied() {
        Some(b'#') => numeric_reference(html, ampersand, out),
        Some(first) if first.is_ascii_alphanumeric() => {
            // What a serializer writes (`outerHTML` escapes with these and
            // no others), each its own longest match: no table lookup.
            let escape = SERIALIZER_ESCAPES.iter().find(|(name, _)| bytes[after..].starts_with(name.as_bytes()));
            if let Some((name, character)) = escape {
                out.push(*character);
                return after + name.len();
            }
            let run_end = (after..bytes.len().min(after + LONGEST_ENTITY_NAME))
                .find(|at| !bytes[*at].is_ascii_alphanumeric())
                .unwrap_or(bytes.len().min(after + LONGEST_ENTITY_NAME));
            let candidate_end = if bytes.get(run_end) == Some(&b';') { run_end + 1 } else { run_end };
            let matched = (after + 1..=candidate_end).rev().find_map(|end| {
                let (first, second) = *NAMED_ENTITIES.get(&html[after..end])?;
                (first != 0).then_some((end, first, second))
            });
            let Some((end, first, second)) = matched else {
                out.push('&');
                return after;
            };
            let terminated = bytes[end - 1] == b';';
            let next = bytes.get(end).copied();
            if in_attribute && !terminated && next.is_some_and(|b| b == b'=' || b.is_ascii_alphanumeric()) {
                out.push('&');
                return after;
            }
            out.extend([first, second].into_iter().filter(|c| *c != 0).filter_map(char::from_u32));
            end
        }
        _ => {
            out.push('&');
            after
        }
    }
}

/// The named references the HTML serialization algorithm writes, with
/// their characters (the semicolon is part of the name).
const SERIALIZER_ESCAPES: [(&str, char); 5] =
    [("amp;", '&'), ("lt;", '<'), ("gt;", '>'), ("quot;", '"'), ("nbsp;", '\u{A0}')];

/// `&#123;` and `&#x7B;`, with the standard's replacements for
/// out-of-range values, surrogates and the C1 range.
fn numeric_reference(html: &str, ampersand: usize, out: &mut String) -> usize {
    let bytes = html.as_bytes();
    let hex = matches!(bytes.get(ampersand + 2), Some(b'x' | b'X'));
    let digits_start = ampersand + if hex { 3 } else { 2 };
    let radix = if hex { 16 } else { 10 };
    let digits_end =
        (digits_start..bytes.len()).find(|at| !(bytes[*at] as char).is_digit(radix)).unwrap_or(bytes.len());
    if digits_end == digits_start {
        out.push_str(&html[ampersand..digits_start]);
        return digits_start;
    }
    let value = html[digits_start..digits_end]
        .chars()
        .try_fold(0u32, |value, digit| value.checked_mul(radix)?.checked_add(digit.to_digit(radix)?))
        .unwrap_or(u32::MAX);
    let character = match value {
        0 => '\u{FFFD}',
        0x80..=0x9F => {
            C1_REPLACEMENTS[(value - 0x80) as usize].unwrap_or_else(|| char::from_u32(value).unwrap_or('\u{FFFD}'))
        }
        _ => char::from_u32(value).unwrap_or('\u{FFFD}'),
    };
    out.push(character);
    if bytes.get(digits_end) == Some(&b';') {
        digits_end + 1
    } else {
        digits_end
    }
}

/// What a byte means inside a tag or attribute name.
#[derive(Clone, Copy)]
struct NameByte {
    /// Whitespace, `/` or `>`.
    ends_tag_name: bool,
    /// Those or `=` (after an attribute name's first byte).
    ends_attribute_name: bool,
    /// An ASCII capital or `NUL`, which a name does not keep as it is.
    uppercase_or_nul: bool,
}

/// [`NameByte`] for every byte: names are scanned with one lookup a byte.
static NAME_BYTES: [NameByte; 256] = {
    let mut roles = [NameByte { ends_tag_name: false, ends_attribute_name: false, uppercase_or_nul: false }; 256];
    let mut byte = 0;
    while byte < 256 {
        let ends_tag_name = is_space_byte(byte as u8) || byte as u8 == b'/' || byte as u8 == b'>';
        roles[byte] = NameByte {
            ends_tag_name,
            ends_attribute_name: ends_tag_name || byte as u8 == b'=',
            uppercase_or_nul: (byte as u8).is_ascii_uppercase() || byte == 0,
        };
        byte += 1;
    }
    roles
};

/// The standard's ASCII whitespace.
pub(super) const fn is_space_byte(byte: u8) -> bool {
    matches!(byte, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

/// `NUL` as U+FFFD, as the tokenizer reports it; text without one (nearly
/// all) is borrowed as it is.
fn nul_replaced(text: &str) -> Cow<'_, str> {
    match memchr::memchr(0, text.as_bytes()) {
        None => Cow::Borrowed(text),
        Some(_) => Cow::Owned(text.replace('\0', "\u{FFFD}")),
    }
}

fn is_html_space(c: char) -> bool {
    c.is_ascii() && is_space_byte(c as u8)
}

/// Block-level start tags that the tree builder never ignores outside a
/// `select` (it ignores a second `html`, `body`, `head` or nested `form`,
/// and table parts outside a table), and whose element nothing is later
/// put before (text in a table is moved to before the `table`).
fn always_opens(name: &LocalName) -> bool {
    !matches!(
        *name,
        local_name!("table")
            | local_name!("html")
            | local_name!("body")
            | local_name!("head")
            | local_name!("form")
            | local_name!("tbody")
            | local_name!("td")
            | local_name!("tfoot")
            | local_name!("th")
            | local_name!("thead")
            | local_name!("tr")
    )
}

/// The kinds of element whose open count the tokenizer keeps.
#[derive(Clone, Copy)]
enum Tracked {
    /// Elements whose whitespace is text (`code` as well: pages set code
    /// in lines of `div`s and style it as preformatted).
    Preformatted,
    /// The standard's formatting elements, which the tree builder reopens
    /// after a block that closed them.
    Formatting,
    /// `select`: in one, the tree builder ignores block tags.
    Select,
    /// `noscript`.
    Noscript,
}

/// The element's slot among the tracked names, and its kinds (a bit per
/// [`Tracked`]); `None` for the rest. A match on the atom, one search
/// where a list per kind was four.
fn tracked(name: &LocalName) -> Option<(usize, u8)> {
    const PREFORMATTED: u8 = 1 << Tracked::Preformatted as u8;
    const FORMATTING: u8 = 1 << Tracked::Formatting as u8;
    Some(match *name {
        local_name!("pre") => (0, PREFORMATTED),
        local_name!("code") => (1, PREFORMATTED | FORMATTING),
        local_name!("textarea") => (2, PREFORMATTED),
        local_name!("listing") => (3, PREFORMATTED),
        local_name!("plaintext") => (4, PREFORMATTED),
        local_name!("a") => (5, FORMATTING),
        local_name!("b") => (6, FORMATTING),
        local_name!("big") => (7, FORMATTING),
        local_name!("em") => (8, FORMATTING),
        local_name!("font") => (9, FORMATTING),
        local_name!("i") => (10, FORMATTING),
        local_name!("nobr") => (11, FORMATTING),
        local_name!("s") => (12, FORMATTING),
        local_name!("small") => (13, FORMATTING),
        local_name!("strike") => (14, FORMATTING),
        local_name!("strong") => (15, FORMATTING),
        local_name!("tt") => (16, FORMATTING),
        local_name!("u") => (17, FORMATTING),
        local_name!("select") => (18, 1 << Tracked::Select as u8),
        local_name!("noscript") => (19, 1 << Tracked::Noscript as u8),
        _ => return None,
    })
}

/// How many start tags of each [`tracked`] element are not yet matched by
/// end tags, counted from the tags alone: an end tag a page leaves out
/// keeps the count up for the rest of the page, which only ever keeps
/// whitespace that could have gone.
#[derive(Default)]
struct OpenCounts {
    open: [usize; 20],
    /// The sum of `open` over each kind's elements.
    open_of_kind: [usize; 4],
}

impl OpenCounts {
    /// Counts `tag` if it is a tracked element's; a count never goes below zero.
    fn count(&mut self, tag: &Tag) {
        let Some((slot, kinds)) = tracked(&tag.name) else { return };
        let opens = match tag.kind {
            TagKind::StartTag => true,
            TagKind::EndTag if self.open[slot] > 0 => false,
            TagKind::EndTag => return,
        };
        let step = |count: &mut usize| if opens { *count += 1 } else { *count -= 1 };
        step(&mut self.open[slot]);
        for (kind, open) in self.open_of_kind.iter_mut().enumerate() {
            if kinds & (1 << kind) != 0 {
                step(open);
            }
        }
    }

    /// Whether an element of this kind is open.
    fn any_open(&self, kind: Tracked) -> bool {
        self.open_of_kind[kind as usize] > 0
    }
}

/// Elements that begin or end a block of their own, so that whitespace
/// between two of their tags is never rendered (also the `head`'s
/// elements and an SVG drawing's shapes, which render no text).
fn is_block_level(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("address")
            | local_name!("article")
            | local_name!("aside")
            | local_name!("base")
            | local_name!("blockquote")
            | local_name!("body")
            | local_name!("circle")
            | local_name!("dd")
            | local_name!("defs")
            | local_name!("details")
            | local_name!("dialog")
            | local_name!("div")
            | local_name!("dl")
            | local_name!("dt")
            | local_name!("fieldset")
            | local_name!("figcaption")
            | local_name!("figure")
            | local_name!("footer")
            | local_name!("form")
            | local_name!("g")
            | local_name!("h1")
            | local_name!("h2")
            | local_name!("h3")
            | local_name!("h4")
            | local_name!("h5")
            | local_name!("h6")
            | local_name!("head")
            | local_name!("header")
            | local_name!("hgroup")
            | local_name!("hr")
            | local_name!("html")
            | local_name!("li")
            | local_name!("link")
            | local_name!("main")
            | local_name!("menu")
            | local_name!("meta")
            | local_name!("nav")
            | local_name!("noscript")
            | local_name!("ol")
            | local_name!("optgroup")
            | local_name!("option")
            | local_name!("p")
            | local_name!("path")
            | local_name!("rect")
            | local_name!("script")
            | local_name!("section")
            | local_name!("select")
            | local_name!("style")
            | local_name!("summary")
            | local_name!("svg")
            | local_name!("table")
            | local_name!("tbody")
            | local_name!("td")
            | local_name!("template")
            | local_name!("tfoot")
            | local_name!("th")
            | local_name!("thead")
            | local_name!("title")
            | local_name!("tr")
            | local_name!("ul")
    )
}

/// The atom of a lowercased tag or attribute name. `LocalName::from` hashes
/// the name to look it up among the known atoms; the names pages use most
/// are matched here directly.
fn name_atom(name: &str) -> LocalName {
    match name {
        "a" => local_name!("a"),
        "abbr" => local_name!("abbr"),
        "alt" => local_name!("alt"),
        "aria-hidden" => local_name!("aria-hidden"),
        "aria-label" => local_name!("aria-label"),
        "article" => local_name!("article"),
        "aside" => local_name!("aside"),
        "b" => local_name!("b"),
        "blockquote" => local_name!("blockquote"),
        "body" => local_name!("body"),
        "br" => local_name!("br"),
        "button" => local_name!("button"),
        "circle" => local_name!("circle"),
        "class" => local_name!("class"),
        "code" => local_name!("code"),
        "content" => local_name!("content"),
        "d" => local_name!("d"),
        "dd" => local_name!("dd"),
        "div" => local_name!("div"),
        "dl" => local_name!("dl"),
        "dt" => local_name!("dt"),
        "em" => local_name!("em"),
        "figcaption" => local_name!("figcaption"),
        "figure" => local_name!("figure"),
        "fill" => local_name!("fill"),
        "footer" => local_name!("footer"),
        "form" => local_name!("form"),
        "g" => local_name!("g"),
        "h1" => local_name!("h1"),
        "h2" => local_name!("h2"),
        "h3" => local_name!("h3"),
        "h4" => local_name!("h4"),
        "h5" => local_name!("h5"),
        "h6" => local_name!("h6"),
        "head" => local_name!("head"),
        "header" => local_name!("header"),
        "height" => local_name!("height"),
        "hidden" => local_name!("hidden"),
        "hr" => local_name!("hr"),
        "href" => local_name!("href"),
        "html" => local_name!("html"),
        "i" => local_name!("i"),
        "id" => local_name!("id"),
        "iframe" => local_name!("iframe"),
        "img" => local_name!("img"),
        "input" => local_name!("input"),
        "itemprop" => local_name!("itemprop"),
        "itemscope" => local_name!("itemscope"),
        "itemtype" => local_name!("itemtype"),
        "label" => local_name!("label"),
        "lang" => local_name!("lang"),
        "li" => local_name!("li"),
        "link" => local_name!("link"),
        "loading" => local_name!("loading"),
        "main" => local_name!("main"),
        "meta" => local_name!("meta"),
        "name" => local_name!("name"),
        "nav" => local_name!("nav"),
        "noscript" => local_name!("noscript"),
        "ol" => local_name!("ol"),
        "option" => local_name!("option"),
        "p" => local_name!("p"),
        "path" => local_name!("path"),
        "picture" => local_name!("picture"),
        "pre" => local_name!("pre"),
        "property" => local_name!("property"),
        "rect" => local_name!("rect"),
        "rel" => local_name!("rel"),
        "role" => local_name!("role"),
        "script" => local_name!("script"),
        "section" => local_name!("section"),
        "select" => local_name!("select"),
        "small" => local_name!("small"),
        "source" => local_name!("source"),
        "span" => local_name!("span"),
        "src" => local_name!("src"),
        "srcset" => local_name!("srcset"),
        "strong" => local_name!("strong"),
        "style" => local_name!("style"),
        "svg" => local_name!("svg"),
        "tabindex" => local_name!("tabindex"),
        "table" => local_name!("table"),
        "target" => local_name!("target"),
        "tbody" => local_name!("tbody"),
        "td" => local_name!("td"),
        "template" => local_name!("template"),
        "time" => local_name!("time"),
        "title" => local_name!("title"),
        "tr" => local_name!("tr"),
        "type" => local_name!("type"),
        "u" => local_name!("u"),
        "ul" => local_name!("ul"),
        "use" => local_name!("use"),
        "value" => local_name!("value"),
        "video" => local_name!("video"),
        "viewbox" => local_name!("viewbox"),
        "width" => local_name!("width"),
        "xmlns" => local_name!("xmlns"),
        _ => LocalName::from(name),
    }
}

/// Tag and attribute names are ASCII-lowercased; `NUL` becomes U+FFFD.
/// Most names already are lowercase (`not_lowercase`, noted while the
/// name was scanned, is false) and are borrowed as they are.
#[inline]
fn lowercase_name(name: &str, not_lowercase: bool) -> Cow<'_, str> {
    if !not_lowercase {
        return Cow::Borrowed(name);
    }
    Cow::Owned(lowercased_name(name))
}

/// [`lowercase_name`]'s copy, for the few names that need one (SVG's
/// `viewBox`, old pages' capitals): one allocation unless a `NUL` needs a second.
#[cold]
fn lowercased_name(name: &str) -> String {
    let lowercased = name.to_ascii_lowercase();
    if lowercased.contains('\0') {
        lowercased.replace('\0', "\u{FFFD}")
    } else {
        lowercased
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(kind: TagKind, name: &str) -> Tag {
        Tag {
            kind,
            name: LocalName::from(name),
            self_closing: false,
            attrs: Vec::new(),
            had_duplicate_attributes: false,
        }
    }

    #[test]
    fn every_tracked_element_counts_in_a_slot_of_its_own() {
        let names = [
            "pre",
            "code",
            "textarea",
            "listing",
            "plaintext",
            "a",
            "b",
            "big",
            "em",
            "font",
            "i",
            "nobr",
            "s",
            "small",
            "strike",
            "strong",
            "tt",
            "u",
            "select",
            "noscript",
        ];
        let mut slots: Vec<usize> = names.iter().map(|name| tracked(&LocalName::from(*name)).expect(name).0).collect();
        slots.sort_unstable();
        slots.dedup();
        assert_eq!(slots.len(), names.len());
        assert!(slots.iter().all(|slot| *slot < OpenCounts::default().open.len()));
        assert!(tracked(&local_name!("div")).is_none());
    }

    #[test]
    fn open_counts_follow_the_tags_and_never_go_below_zero() {
        let mut counts = OpenCounts::default();
        // `code` is preformatted and a formatting element at once.
        counts.count(&tag(TagKind::StartTag, "code"));
        assert!(counts.any_open(Tracked::Preformatted) && counts.any_open(Tracked::Formatting));
        counts.count(&tag(TagKind::StartTag, "b"));
        counts.count(&tag(TagKind::EndTag, "code"));
        assert!(!counts.any_open(Tracked::Preformatted) && counts.any_open(Tracked::Formatting));
        // A stray end tag is not counted against a later start tag.
        counts.count(&tag(TagKind::EndTag, "select"));
        counts.count(&tag(TagKind::StartTag, "select"));
        assert!(counts.any_open(Tracked::Select));
        counts.count(&tag(TagKind::EndTag, "b"));
        counts.count(&tag(TagKind::EndTag, "b"));
        assert!(!counts.any_open(Tracked::Formatting) && !counts.any_open(Tracked::Noscript));
    }
}
