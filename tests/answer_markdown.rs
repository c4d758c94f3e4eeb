//! Answer Markdown: the corpus in tests/data/answer_markdown renders to its snapshot, whole and streamed, and any split of any answer streams to the whole render.
#![cfg(not(target_arch = "wasm32"))]

use pagewise::answer_markdown::{
    plain_text, render_markdown, to_html_string, IncrementalMarkdown, SafeAttr, SafeNode, SafeTag,
};
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/answer_markdown")
}

/// Streams `text` cut at the given byte offsets (moved forward to char boundaries).
fn stream_at(text: &str, cuts: &[usize]) -> Vec<SafeNode> {
    let mut renderer = IncrementalMarkdown::new();
    let mut nodes = Vec::new();
    let mut tail = Vec::new();
    let mut start = 0;
    let mut cuts: Vec<usize> = cuts.iter().map(|&c| c.min(text.len())).collect();
    cuts.sort_unstable();
    for mut cut in cuts.into_iter().chain(std::iter::once(text.len())) {
        while !text.is_char_boundary(cut) {
            cut += 1;
        }
        if cut < start {
            continue;
        }
        let update = renderer.push(&text[start..cut]);
        nodes.extend(update.finished);
        tail = update.tail;
        start = cut;
    }
    // Before finish, finished + tail is the render of the text so far.
    let mut so_far = nodes.clone();
    so_far.extend(tail);
    let update = renderer.finish();
    assert!(update.tail.is_empty(), "finish leaves no tail");
    nodes.extend(update.finished);
    assert_eq!(so_far, nodes, "finish changed what the last push showed");
    nodes
}

/// Streams `text` in deltas of `size` characters.
fn stream_by(text: &str, size: usize) -> Vec<SafeNode> {
    let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).skip(size).step_by(size).collect();
    stream_at(text, &boundaries)
}

/// Every element tag and every href in the tree.
fn walk(nodes: &[SafeNode], tags: &mut BTreeSet<&'static str>, hrefs: &mut Vec<String>) {
    for node in nodes {
        if let SafeNode::Element(element) = node {
            tags.insert(element.tag.name());
            for (attr, value) in &element.attrs {
                if *attr == SafeAttr::Href {
                    hrefs.push(value.clone());
                }
            }
            walk(&element.children, tags, hrefs);
        }
    }
}

fn href_is_safe(href: &str) -> bool {
    let lower = href.to_ascii_lowercase();
    ["http:", "https:", "mailto:"].iter().any(|s| lower.starts_with(s)) && !href.chars().any(char::is_whitespace)
}

#[test]
fn corpus_renders_to_its_snapshots_whole_and_streamed() {
    let bless = std::env::var_os("PAGEWISE_BLESS").is_some();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(corpus()).unwrap().flatten().map(|e| e.path()).collect();
    entries.sort();
    let mut failures = Vec::new();
    let mut count = 0;
    for dir in entries.iter().filter(|p| p.is_dir()) {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let input = std::fs::read_to_string(dir.join("input.md")).unwrap();
        let whole = render_markdown(&input);
        let html = to_html_string(&whole);
        let expected_path = dir.join("expected.html");
        if bless {
            std::fs::write(&expected_path, &html).unwrap();
        } else {
            let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
            if expected != html {
                failures.push(format!("{name}: snapshot differs (PAGEWISE_BLESS=1 to accept):\n{html}"));
            }
        }
        for size in [1, 7] {
            if stream_by(&input, size) != whole {
                failures.push(format!("{name}: streaming in {size}-char deltas differs from the whole render"));
            }
        }
        let mut hrefs = Vec::new();
        walk(&whole, &mut BTreeSet::new(), &mut hrefs);
        for href in hrefs.iter().filter(|h| !href_is_safe(h)) {
            failures.push(format!("{name}: unsafe href {href:?}"));
        }
        count += 1;
    }
    assert!(count >= 15, "the corpus went missing: {count} cases");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn xss_payloads_become_text() {
    let input = std::fs::read_to_string(corpus().join("xss/input.md")).unwrap();
    let nodes = render_markdown(&input);
    let mut tags = BTreeSet::new();
    let mut hrefs = Vec::new();
    walk(&nodes, &mut tags, &mut hrefs);
    let allowed: BTreeSet<&str> = ["p", "a", "code", "pre", "ul", "li", "br", "em", "strong"].into_iter().collect();
    assert!(tags.is_subset(&allowed), "unexpected tags: {:?}", tags.difference(&allowed).collect::<Vec<_>>());
    assert!(hrefs.iter().all(|h| href_is_safe(h)), "unsafe hrefs: {hrefs:?}");
    assert!(
        hrefs.iter().all(|h| h.starts_with("https://example.com")),
        "only the harmless links keep an href: {hrefs:?}"
    );
    // The payloads are still visible, as text.
    let text = plain_text(&nodes);
    for payload in ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>"] {
        assert!(text.contains(payload), "{payload} should be shown literally");
    }
}

#[test]
fn plain_text_reads_like_the_answer() {
    let nodes =
        render_markdown("# Title\n\nSome *em* text.\n\n- [x] done\n- [ ] todo\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
    assert_eq!(plain_text(&nodes), "Title\nSome em text.\n[x] done\n[ ] todo\na\tb\n1\t2");
}

#[test]
fn a_tail_never_loses_text_already_shown_as_finished() {
    let text =
        "Intro paragraph.\n\n```python\nprint('hi')\n\nprint('there')\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nBye";
    let mut renderer = IncrementalMarkdown::new();
    let mut finished = Vec::new();
    for (i, c) in text.char_indices() {
        let update = renderer.push(&text[i..i + c.len_utf8()]);
        finished.extend(update.finished);
        let mut shown = finished.clone();
        shown.extend(update.tail);
        // Whatever is shown is the render of the prefix received so far.
        assert_eq!(shown, render_markdown(&text[..i + c.len_utf8()]), "after {:?}", &text[..i + c.len_utf8()]);
    }
}

/// Markdown-ish lines: every block kind, inline markup, raw HTML, and lines that continue or interrupt blocks.
const PIECES: &[&str] = &[
    "# Heading",
    "## Sub *heading*",
    "###### six",
    "#not a heading",
    "Setext title",
    "===",
    "---",
    "***",
    "* * *",
    "",
    "",
    "",
    "plain words here",
    "more **bold** and *em* and ~~del~~ and `code`",
    "an **unclosed bold",
    "closing** it",
    "a [link](https://a.example/x) and [bad](javascript:alert(1))",
    "<https://auto.example> and <a@b.example>",
    "![img](https://i.example/p.png) ![js](javascript:x)",
    "trailing hard break  ",
    "back\\slash \\*not em\\*",
    "中文段落，包含**粗体**和`代码`。",
    "emoji 🎉 text",
    "- item",
    "- item two",
    "* star item",
    "+ plus item",
    "1. first",
    "2. second",
    "3) paren",
    "10. ten",
    "  - nested",
    "    - deeper",
    "  continuation",
    "    indented code",
    "\tindented tab",
    "- [ ] task",
    "- [x] done",
    "-",
    "1.",
    "```",
    "```rust",
    "~~~",
    "~~~ python extra",
    "    ```",
    "  ```js",
    "| a | b |",
    "|---|:-:|",
    "| --- | ---: |",
    "| 1 | 2 |",
    "a | b",
    "> quote",
    "> - quoted item",
    ">",
    "> > nested quote",
    "> ```",
    "<div>",
    "</div>",
    "<script>alert(1)</script>",
    "<script>",
    "</script>",
    "<!-- comment",
    "-->",
    "<pre>",
    "</pre>",
    "<img src=x onerror=alert(1)>",
    "<b>inline</b> html",
    "<?php",
    "?>",
    "&lt;script&gt; &amp; &#106;",
];

const SEPARATORS: &[&str] = &["\n", "\n", "\n", "\r\n", "\r"];

fn markdownish() -> impl Strategy<Value = String> {
    (prop::collection::vec((0..PIECES.len(), 0..SEPARATORS.len()), 0..40), any::<bool>()).prop_map(
        |(lines, final_newline)| {
            let mut text = String::new();
            for (i, (piece, separator)) in lines.iter().enumerate() {
                text.push_str(PIECES[*piece]);
                if i + 1 < lines.len() || final_newline {
                    text.push_str(SEPARATORS[*separator]);
                }
            }
            text
        },
    )
}

/// Short strings over Markdown's significant characters.
fn symbol_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "a",
            "b",
            " ",
            "  ",
            "    ",
            "\t",
            "\n",
            "\n",
            "\n\n",
            "\r\n",
            "\r",
            "*",
            "**",
            "_",
            "-",
            "- ",
            "+ ",
            "1. ",
            "2) ",
            "#",
            "# ",
            ">",
            "> ",
            "`",
            "```",
            "~~~",
            "~",
            "|",
            "[",
            "]",
            "(",
            ")",
            "!",
            "<",
            ">",
            "</",
            "=",
            ":",
            "&",
            ";",
            "\\",
            "中",
            "é",
            "http://x",
            "javascript:",
        ]),
        0..60,
    )
    .prop_map(|parts| parts.concat())
}

fn cuts() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(0usize..2000, 0..30)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    /// Reference definitions (`[label]: url`) resolve across the whole text
    /// only in the whole render, so texts containing `]:` are left out.
    #[test]
    fn any_split_streams_to_the_whole_render(text in markdownish(), cuts in cuts()) {
        prop_assume!(!text.contains("]:"));
        let cuts: Vec<usize> = cuts.into_iter().map(|c| c % (text.len() + 1)).collect();
        let whole = render_markdown(&text);
        prop_assert_eq!(to_html_string(&stream_at(&text, &cuts)), to_html_string(&whole), "text: {:?}", text);
    }

    #[test]
    fn any_split_of_symbol_soup_streams_to_the_whole_render(text in symbol_soup(), cuts in cuts()) {
        prop_assume!(!text.contains("]:"));
        let cuts: Vec<usize> = cuts.into_iter().map(|c| c % (text.len() + 1)).collect();
        let whole = render_markdown(&text);
        prop_assert_eq!(to_html_string(&stream_at(&text, &cuts)), to_html_string(&whole), "text: {:?}", text);
    }

    #[test]
    fn one_char_deltas_stream_to_the_whole_render(text in markdownish()) {
        prop_assume!(!text.contains("]:"));
        prop_assert_eq!(to_html_string(&stream_by(&text, 1)), to_html_string(&render_markdown(&text)), "text: {:?}", text);
    }

    #[test]
    fn only_allowlisted_links_survive(text in symbol_soup()) {
        let mut tags = BTreeSet::new();
        let mut hrefs = Vec::new();
        walk(&render_markdown(&text), &mut tags, &mut hrefs);
        prop_assert!(hrefs.iter().all(|h| href_is_safe(h)), "{:?}", hrefs);
        prop_assert!(!tags.contains(SafeTag::Input.name()) || text.contains('['));
    }
}

/// Found by `any_split_of_symbol_soup_streams_to_the_whole_render`: with a
/// delta ending in `|-`, the line above read as a table's header and the
/// paragraph before it was finished; the next delta (`-**`) undid the table.
#[test]
fn a_table_that_its_next_delta_undoes_does_not_finish_the_paragraph_above() {
    for text in ["\n\n`*aaa\n|**************\r\n|--**\n\n", "Intro *a\n| b\n|--**\n", "Intro\n| b |\n|-- |\n| c |\n"] {
        let whole = to_html_string(&render_markdown(text));
        for cut in (0..=text.len()).filter(|cut| text.is_char_boundary(*cut)) {
            assert_eq!(to_html_string(&stream_at(text, &[cut])), whole, "{text:?} cut at {cut}");
        }
    }
}
