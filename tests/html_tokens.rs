//! The fast tokenizer builds the same tree as html5ever's own: on tricky snippets, on random markup, and on every page of the corpora.
//!
//! html5ever's tokenizer is the oracle: both trees are serialized and must
//! be equal byte for byte. The WCXB pages (1,497) are compared by
//! `cargo xtask bench extract`, which prints how many trees match.
//! Extraction's parse (`Whitespace::DropBetweenBlocks`) leaves out only
//! whitespace between block-level tags: checked on snippets and on every
//! corpus page against the full tree.
//!
//! Markup as a browser serializes it (`outerHTML`: every element closed,
//! no `DOCTYPE`) is built from its tag nesting without html5ever's tree
//! builder: the serialized snippets, corpus pages and random trees must
//! give the same tree that way, and most serialized pages must take it.
#![cfg(not(target_arch = "wasm32"))]

use dom_query::NodeRef;
use pagewise::extract::html_tokens::{
    parse_document, parse_document_by_the_standard, parse_document_with, parse_well_formed, Whitespace,
};
use proptest::prelude::*;
use std::path::Path;

fn html5ever_tree(html: &str) -> String {
    dom_query::Document::from(html).html().to_string()
}

fn our_tree(html: &str) -> String {
    parse_document(html).html().to_string()
}

/// Each snippet exercises one tokenizer rule; the name says which.
const SNIPPETS: &[(&str, &str)] = &[
    ("plain text and a paragraph", "<p>Tide pools</p> and sand"),
    ("uppercase tags and attributes", "<DIV CLASS=Note ID='a'>x</DIV>"),
    ("duplicate attributes keep the first", "<p class=a class=b data-x=1 DATA-X=2>x</p>"),
    ("unquoted, empty and valueless attributes", "<input value=a&amp;b disabled name= type=\"\">"),
    ("attribute names that start with = or hold quotes", "<p =x a\"b=1 c'd>x</p>"),
    ("self-closing and void tags", "<br/><img src=x /><p/>text<svg><path d=M0 /></svg>"),
    ("named references with and without semicolons", "&amp; &amp &copy; &copy x &notit; &notin; &nosuch; &;"),
    ("references in attributes: legacy rule", "<a href=\"?a=1&copy=2&amp;b&notin;&lt\" title='&ampx &amp='>x</a>"),
    (
        "numeric references and their replacements",
        "&#65;&#x42;&#X43; &#0; &#x80; &#x9D; &#xD800; &#1114112; &#99999999999; &#; &#x; &#65",
    ),
    ("two-character entity", "&NotEqualTilde; &acE;"),
    ("comments of every shape", "<!-- a -- b --><!----><!--><!---><!-- x --!> y <!-- unterminated"),
    ("bogus comments", "<?xml version=\"1.0\"?><!ELEMENT x><p>a</p></ p></3>"),
    ("a lone less-than and an empty end tag", "a < b </> c <"),
    ("a tag cut off at the end", "<p>a</p><div class=\"x"),
    ("an unquoted value cut off at the end", "<p>a</p><div class=x"),
    ("an end tag at the end", "<p>a</"),
    ("doctype: standards", "<!DOCTYPE html><p>x<table><p>y</table>"),
    ("doctype: quirks", "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 3.2 Final//EN\"><p>x<table><p>y</table>"),
    ("doctype: no name", "<!DOCTYPE><p>x<table><p>y</table>"),
    ("doctype: system only", "<!doctype html SYSTEM \"about:legacy-compat\"><p>x</p>"),
    ("no doctype is quirks", "<p>x<table><p>y</table>"),
    ("a second doctype is ignored", "<!DOCTYPE html><!DOCTYPE html><html><head></head><body><p>x</p></body></html>"),
    ("NUL in a doctype (found by fuzzing)", "<!doctype h<!d\0ctype html><p>x"),
    ("title and textarea decode references", "<title>A &amp; B <b>c</b></title><textarea>&lt;x&gt; </textarea >"),
    ("style and xmp are literal", "<style>a > b { content: \"&amp;\" }</style><xmp><b>&amp;</b></xmp>"),
    ("an end tag must match the element", "<style>a</styles> b</style ><p>c</p>"),
    ("script: end tag in any case", "<script>if (a < b) x = '</scrip>';</SCRIPT >after"),
    ("script: an escaped end tag", "<script><!-- document.write('<script>x</script>'); --></script><p>after</p>"),
    ("script: escaped but not double", "<script><!-- x </script> y --></script><p>after</p>"),
    ("script: a comment closed at once", "<script><!--></script><p>after</p>"),
    ("script cut off at the end", "<script>var a = '<!--"),
    ("plaintext reads to the end", "<plaintext><p>not a tag</p>&amp;"),
    ("iframe, noembed and noframes are raw text", "<iframe><p>x</p></iframe><noembed><b>y</b></noembed>"),
    ("noscript holds elements (scripting off)", "<noscript><p>Enable JavaScript</p></noscript>"),
    ("CDATA in foreign content", "<svg><![CDATA[a < b]]><text>t</text></svg><![CDATA[in html]]>"),
    ("NUL characters", "a\0b<p\0 x\0=\"\0\">c</p><title>\0</title><script>\0</script><!--\0-->"),
    ("carriage returns", "<p>a\r\nb\rc</p><pre>\r\nx</pre><p title=\"a\r\nb\">d</p>"),
    ("carriage returns doubled, reversed and last", "\r<p>a\r\r\nb\n\rc\r\n\r\nd</p>\r"),
    ("a byte order mark", "\u{FEFF}<!DOCTYPE html><p>x</p>"),
    ("tables and foster parenting", "<table><tr><td>a<td>b</tr>stray<tr><td>c</table>"),
    ("mis-nested formatting", "<b><i>a</b>b</i><p>c<a>d<p>e</a>"),
    ("template contents", "<template><tr><td>x</td></tr></template>"),
    ("math and svg names", "<svg viewbox=\"0 0 1 1\"><foreignobject><p>x</p></foreignobject><lineargradient/></svg><math><mi>x</mi></math>"),
    ("non-ASCII text and names", "<p data-名=\"値\">中文 text é</p><ünknown>x</ünknown>"),
    ("whitespace in odd places", "<p\n\tclass = \"a\"\x0C>x</p\n>< p>"),
    ("a frameset", "<frameset><frame src=a></frameset>"),
    ("an empty document", ""),
];

#[test]
fn every_snippet_builds_the_same_tree_as_html5ever() {
    let mismatches: Vec<String> = SNIPPETS
        .iter()
        .filter_map(|(name, html)| {
            let (expected, actual) = (html5ever_tree(html), our_tree(html));
            (expected != actual).then(|| format!("{name}:\n  html5ever: {expected:?}\n  ours:      {actual:?}"))
        })
        .collect();
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

/// Every page of the project's extraction corpus and of Mozilla's 130
/// Readability pages (when `../shared` is present).
fn corpus_pages() -> Vec<std::path::PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pages_in = |dir: &str, file: &str| -> Vec<std::path::PathBuf> {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else { return Vec::new() };
        entries.filter_map(|entry| Some(entry.ok()?.path().join(file))).filter(|path| path.exists()).collect()
    };
    let mut pages = pages_in("tests/data/extract", "input.html");
    assert!(pages.len() >= 15, "the project's own corpus is missing: {} pages", pages.len());
    // Mozilla's pages, when ../shared is beside the checkout.
    pages.extend(pages_in("../shared/corpus/readability-pages", "source.html"));
    pages
}

fn read_page(path: &Path) -> String {
    String::from_utf8_lossy(&std::fs::read(path).unwrap_or_default()).into_owned()
}

#[test]
fn every_corpus_page_builds_the_same_tree_as_html5ever() {
    let pages = corpus_pages();
    let mismatches: Vec<String> = pages
        .iter()
        .filter(|path| {
            let html = read_page(path);
            html5ever_tree(&html) != our_tree(&html)
        })
        .map(|path| path.display().to_string())
        .collect();
    assert!(mismatches.is_empty(), "{} of {} pages differ: {mismatches:?}", mismatches.len(), pages.len());
}

/// Extraction's parse, serialized.
fn tree_without_block_gaps(html: &str) -> String {
    parse_document_with(html, Whitespace::DropBetweenBlocks).html().to_string()
}

/// Each case: what is left out between blocks, and what must stay.
const BLOCK_GAPS: &[(&str, &str, &str)] = &[
    (
        "indentation between blocks goes",
        "<div>\n  <p>a</p>\n  <p>b</p>\n</div>\n<ul>\n <li>c</li>\n</ul>",
        "<html><head></head><body><div><p>a</p><p>b</p></div><ul><li>c</li></ul></body></html>",
    ),
    (
        "a space between inline elements stays",
        "<p><a>x</a> <b>y</b>\n<img alt=z> </p>",
        "<html><head></head><body><p><a>x</a> <b>y</b>\n<img alt=\"z\"> </p></body></html>",
    ),
    (
        "text beside a block stays whole",
        "<div>a \n<p>b</p>\n c</div>",
        "<html><head></head><body><div>a \n<p>b</p>\n c</div></body></html>",
    ),
    (
        "preformatted text keeps its lines",
        "<pre><div>a</div>\n<div>b</div></pre><code><div>c</div>\n<div>d</div></code>\n<p>e</p>",
        "<html><head></head><body><pre><div>a</div>\n<div>b</div></pre><code><div>c</div>\n<div>d</div></code>\n<p>e</p></body></html>",
    ),
    (
        "after a pre left open, nothing more is dropped",
        "<pre>a</div>\n<div>b</div>\n<p>c</p>",
        "<html><head></head><body><pre>a\n<div>b</div>\n<p>c</p></pre></body></html>",
    ),
    (
        "between stray end tags, whitespace keeps words apart",
        "<span>a</div>\n</div>b</span><table><tr><td>c</td></tr> </table>",
        "<html><head></head><body><span>a\nb</span><table><tbody><tr><td>c</td></tr></tbody></table></body></html>",
    ),
    (
        "a non-breaking space is text",
        "<p>a</p>&nbsp;<p>b</p>",
        "<html><head></head><body><p>a</p>&nbsp;<p>b</p></body></html>",
    ),
];

#[test]
fn extraction_parse_drops_only_whitespace_between_blocks() {
    let mismatches: Vec<String> = BLOCK_GAPS
        .iter()
        .filter_map(|(name, html, expected)| {
            let actual = tree_without_block_gaps(html);
            (actual != *expected).then(|| format!("{name}:\n  expected: {expected:?}\n  actual:   {actual:?}"))
        })
        .collect();
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

/// One step of a walk through a tree in document order.
#[derive(Clone, Debug, PartialEq)]
enum Event {
    /// An element's start: its name and attributes.
    Open(String),
    Text(String),
    Close(String),
}

/// The tree in document order.
fn events(node: NodeRef, into: &mut Vec<Event>) {
    let mut stack = vec![(node, false)];
    while let Some((node, entered)) = stack.pop() {
        if entered {
            into.push(Event::Close(node.node_name().unwrap_or_default().to_string()));
        } else if node.is_text() {
            into.push(Event::Text(node.text().to_string()));
        } else {
            if node.is_element() {
                let attributes: Vec<String> = node
                    .attrs()
                    .iter()
                    .map(|attribute| format!("{}={}", attribute.name.local, attribute.value))
                    .collect();
                into.push(Event::Open(format!("{} {}", node.node_name().unwrap_or_default(), attributes.join(" "))));
                stack.push((node, true));
            }
            let children: Vec<NodeRef> = node.children_it(false).collect();
            stack.extend(children.into_iter().rev().map(|child| (child, false)));
        }
    }
}

fn is_blank(event: &Event) -> bool {
    matches!(event, Event::Text(text) if text.chars().all(|c| matches!(c, ' ' | '\t' | '\n' | '\x0c')))
}

/// The events with whitespace-only text left out and other text's whitespace runs made one space.
fn without_whitespace(events: Vec<Event>) -> Vec<Event> {
    events
        .into_iter()
        .filter(|event| !is_blank(event))
        .map(|event| match event {
            Event::Text(text) => Event::Text(text.split_whitespace().collect::<Vec<_>>().join(" ")),
            other => other,
        })
        .collect()
}

fn trees_differ_beyond_whitespace(html: &str) -> bool {
    let (mut full, mut trimmed) = (Vec::new(), Vec::new());
    events(parse_document(html).root(), &mut full);
    events(parse_document_with(html, Whitespace::DropBetweenBlocks).root(), &mut trimmed);
    without_whitespace(full) != without_whitespace(trimmed)
}

/// Markup where leaving out a gap once ran words together, each found by
/// the random markup below: stray end tags on both sides, a table that
/// text is moved before, a formatting element closed by another's end tag,
/// a `pre` closed by a `code` end tag.
const WHITESPACE_TRAPS: &[&str] = &[
    "--><td> </svg></",
    "<<td> <p>",
    "--><td> <table>--><p><p>",
    "<p><b><p><!<p></a></style ><td> <p>",
    "<span>a</div>\n</div>b</span>",
    "<pre><div>a</div></code>\n<div>b</div></pre>",
];

#[test]
fn whitespace_traps_parse_for_extraction_with_words_kept_apart() {
    let failures: Vec<&&str> = WHITESPACE_TRAPS.iter().filter(|html| trees_differ_beyond_whitespace(html)).collect();
    assert!(failures.is_empty(), "{failures:?}");
}

/// Extraction's tree is the full tree but for whitespace-only text:
/// with such text left out of both, the two are the same.
#[test]
fn on_every_corpus_page_extraction_parse_differs_only_in_whitespace() {
    let pages = corpus_pages();
    let mut failures = Vec::new();
    let (mut full_blanks, mut trimmed_blanks) = (0, 0);
    for path in &pages {
        let html = read_page(path);
        let (mut full, mut trimmed) = (Vec::new(), Vec::new());
        events(parse_document(&html).root(), &mut full);
        events(parse_document_with(&html, Whitespace::DropBetweenBlocks).root(), &mut trimmed);
        full_blanks += full.iter().filter(|event| is_blank(event)).count();
        trimmed_blanks += trimmed.iter().filter(|event| is_blank(event)).count();
        let (full, trimmed) = (without_whitespace(full), without_whitespace(trimmed));
        if let Some(at) = (0..full.len().max(trimmed.len())).find(|at| full.get(*at) != trimmed.get(*at)) {
            let around = |events: &[Event]| events[at.saturating_sub(2)..(at + 3).min(events.len())].to_vec();
            failures.push(format!("{}: {:?} / {:?}", path.display(), around(&full), around(&trimmed)));
        }
    }
    assert!(failures.is_empty(), "{} of {} pages:\n{}", failures.len(), pages.len(), failures.join("\n"));
    assert!(
        trimmed_blanks * 3 < full_blanks * 2,
        "{trimmed_blanks} of {full_blanks} whitespace-only text nodes were kept"
    );
}

/// Markup built from the pieces tokenizers get wrong, in random order.
/// No byte order mark: html5ever also drops one that follows `</script>`
/// (its "start of stream" flag is checked again after every script), which
/// a browser does not; a leading one is in the snippets.
fn markup_piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "<p>",
        "</p>",
        "<div class=a>",
        "</div>",
        "<a href='x&amp;y'>",
        "</a>",
        "<b>",
        "</i>",
        "<br/>",
        "<table>",
        "<td>",
        "</tr>",
        "<script>",
        "</script>",
        "<style>",
        "</style >",
        "<title>",
        "</title>",
        "<textarea>",
        "<!--",
        "-->",
        "--!>",
        "<!",
        "<?",
        "</",
        "<",
        ">",
        "&",
        "&amp",
        "&amp;",
        "&notin",
        "&#x41;",
        "&#",
        "=",
        "\"",
        "'",
        " ",
        "\n",
        "\r",
        "\0",
        "text",
        "中文",
        "<svg>",
        "</svg>",
        "<![CDATA[",
        "]]>",
        "<math>",
        "<template>",
        "</template>",
        "<plaintext>",
        "<select>",
        "<option>",
        "<!DOCTYPE html>",
        "<noscript>",
        "<iframe>",
        "</iframe>",
        "<SCRIPT>",
        "</SCRIPT",
        "<p title=",
        "<img alt=x",
    ])
}

/// The same pieces and the tags whitespace between blocks lies among:
/// block starts and ends, stray ones, table parts, forms, `pre` and `code`.
fn block_markup_piece() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        markup_piece(),
        prop::sample::select(vec![
            "<li>",
            "</li>",
            "<ul>",
            "</ul>",
            "<h2>",
            "</h2>",
            "<section>",
            "</section>",
            "<form>",
            "</form>",
            "<body>",
            "</body>",
            "<html>",
            "</html>",
            "<head>",
            "</head>",
            "<pre>",
            "</pre>",
            "<code>",
            "</code>",
            "</table>",
            "<tr>",
            "<th>",
            "</td>",
            "<caption>",
            "<colgroup>",
            "<col>",
            "<tbody>",
            "</tbody>",
            "<frameset>",
            "<hr>",
            "</select>",
            "</option>",
            "<meta>",
            "<dl>",
            "<dt>",
            "<dd>",
            "</p >",
            "<i>",
            "</b>",
            "<a>",
            "<nobr>",
            "<textarea>",
            "</textarea>",
            "<listing>",
            "<path>",
            "<g>",
            "</g>",
            "\n  ",
            "\t",
            " x ",
        ]),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn random_markup_parsed_for_extraction_differs_only_in_whitespace(pieces in prop::collection::vec(block_markup_piece(), 0..40)) {
        let html = pieces.concat();
        prop_assert!(!trees_differ_beyond_whitespace(&html), "input: {:?}", html);
    }

    #[test]
    fn random_markup_builds_the_same_tree_as_html5ever(pieces in prop::collection::vec(markup_piece(), 0..40)) {
        let html = pieces.concat();
        prop_assert_eq!(our_tree(&html), html5ever_tree(&html), "input: {:?}", html);
    }
}

/// `html` parsed by html5ever and serialized again, as a browser's
/// `document.documentElement.outerHTML` gives it: no `DOCTYPE`.
fn serialized(html: &str) -> String {
    let tree = html5ever_tree(html);
    match tree.strip_prefix("<!DOCTYPE") {
        Some(rest) => rest.split_once('>').map_or(String::new(), |(_, after)| after.to_string()),
        None => tree,
    }
}

/// Whether the serialized markup builds html5ever's tree, and whether it
/// did so from its nesting alone; a mismatch is described.
fn serialized_tree_mismatch(html: &str) -> (Option<String>, bool) {
    let markup = serialized(html);
    let expected = html5ever_tree(&markup);
    let well_formed = parse_well_formed(&markup, Whitespace::Keep).map(|document| document.html().to_string());
    let mismatch = match &well_formed {
        Some(actual) if *actual != expected => Some(format!("expected: {expected:?}\n  built:    {actual:?}")),
        _ if our_tree(&markup) != expected => Some(format!("the fallback differs on {markup:?}")),
        _ => None,
    };
    (mismatch, well_formed.is_some())
}

#[test]
fn every_snippet_serialized_builds_the_same_tree_from_its_nesting() {
    let mut built_from_nesting = 0;
    let mismatches: Vec<String> = SNIPPETS
        .iter()
        .filter_map(|(name, html)| {
            let (mismatch, well_formed) = serialized_tree_mismatch(html);
            built_from_nesting += usize::from(well_formed);
            mismatch.map(|mismatch| format!("{name}: {mismatch}"))
        })
        .collect();
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    // Templates, MathML, framesets, foster-parented tables and NUL
    // characters stay with the standard's tree builder; most do not.
    assert!(
        built_from_nesting * 4 >= SNIPPETS.len() * 3,
        "{built_from_nesting} of {} built from nesting",
        SNIPPETS.len()
    );
}

#[test]
fn every_corpus_page_serialized_builds_the_same_tree_from_its_nesting() {
    let pages = corpus_pages();
    let mut built_from_nesting = 0;
    let mismatches: Vec<String> = pages
        .iter()
        .filter_map(|path| {
            let (mismatch, well_formed) = serialized_tree_mismatch(&read_page(path));
            built_from_nesting += usize::from(well_formed);
            mismatch.map(|mismatch| format!("{}: {}", path.display(), mismatch.chars().take(300).collect::<String>()))
        })
        .collect();
    assert!(mismatches.is_empty(), "{} of {} pages differ: {mismatches:#?}", mismatches.len(), pages.len());
    assert!(
        built_from_nesting * 10 >= pages.len() * 9,
        "only {built_from_nesting} of {} serialized pages were built from their nesting",
        pages.len()
    );
}

#[test]
fn pages_with_misnested_markup_fall_back_to_the_standard() {
    for html in [
        "<html><head></head><body><p>a<div>b</div></p></body></html>",
        "<html><head></head><body><table><tr><td>a</td></tr></table></body></html>",
        "<html><head></head><body><b><i>a</b></i></body></html>",
        "<html><head></head><body><a href=x>a<a href=y>b</a></a></body></html>",
        "<html><head></head><body><table>text<tbody></tbody></table></body></html>",
        "<html><head><noscript><script>x</script></noscript></head><body></body></html>",
        "<html><head><noscript><body class=a></noscript></head><body></body></html>",
        "<p>no html element</p>",
    ] {
        assert!(parse_well_formed(html, Whitespace::Keep).is_none(), "{html}");
        assert_eq!(our_tree(html), html5ever_tree(html), "{html}");
    }
}

/// `outerHTML` of pages Chromium read with scripts on: a head `<noscript>`
/// keeps its content as text and writes it back as tags, so a tracking
/// pixel's `<img>` or `<iframe>` sits in the head. The standard closes the
/// head there and opens the body early; these are built from their nesting
/// all the same, into the standard's tree, whatever whitespace is kept.
#[test]
fn body_content_in_the_head_opens_the_body_early_as_the_standard_does() {
    let pages = [
        "<html><head><meta charset=\"utf-8\">\n<noscript><img height=\"1\" width=\"1\" style=\"display:none\" \
         src=\"https://px.example/tr?id=1\"></noscript>\n<link rel=\"stylesheet\" href=\"a.css\">\n<script>var a = 1;</script>\n\
         <title>Tide pools</title></head>\n<body class=\"home\" id=\"top\"><main><p>Anemones close.</p></main></body></html>",
        "<html><head><noscript><iframe src=\"https://tags.example/ns\" height=\"0\"></iframe></noscript></head>\
         <body><div><p>Text</p></div>\n</body></html>",
        "<html><head><noscript>\n  Turn on JavaScript <b>now</b></noscript><style>p{}</style></head><body><p>x</p></body></html>",
        "<html><head><title>t</title><div>x</div></head><body><p>y</p></body></html>",
        "<html><head>\n Stray text</head><body class=b><p>y</p></body></html>",
    ];
    for html in pages {
        for whitespace in [Whitespace::Keep, Whitespace::DropBetweenBlocks] {
            let built = parse_well_formed(html, whitespace).map(|document| document.html().to_string());
            let standard = parse_document_by_the_standard(html, whitespace).html().to_string();
            assert_eq!(built.as_deref(), Some(standard.as_str()), "{whitespace:?}: {html}");
        }
        assert_eq!(our_tree(html), html5ever_tree(html), "{html}");
    }
    // The page's own `<body>` tag adds its attributes to the body opened early.
    let body = parse_well_formed(pages[0], Whitespace::Keep).expect("built from its nesting").select("body").html();
    assert!(body.contains("class=\"home\"") && body.contains("<img"), "{body}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn random_markup_serialized_builds_the_same_tree(pieces in prop::collection::vec(block_markup_piece(), 0..40)) {
        let html = pieces.concat();
        let (mismatch, _) = serialized_tree_mismatch(&html);
        prop_assert!(mismatch.is_none(), "input: {:?}\n{}", html, mismatch.unwrap_or_default());
    }
}
