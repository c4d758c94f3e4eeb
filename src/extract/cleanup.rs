//! Removing what a reader never sees or never reads: hidden text, page furniture, invisible characters.

use super::tunables::{
    BOILERPLATE_WORDS, DENSE_BLOCK_SHARE, FURNITURE_ROLES, FURNITURE_TAGS, HIDING_STYLES, INVISIBLE_CHARACTERS,
    MAX_DEPTH, MIN_MAIN_SHARE, NEVER_TEXT, NOSCRIPT_CONTENT_CHARACTERS, PARAGRAPH_MIN_CHARACTERS,
    TRANSPARENT_CONTENT_SHARE, TRANSPARENT_STYLE,
};
use super::Dropped;
use dom_query::{Document, NodeRef};

/// Flattens elements nested deeper than [`MAX_DEPTH`] into their text, so
/// no later step (the Markdown writer above all) recurses without bound on
/// hostile input such as 10,000 nested `<div>`s.
pub(super) fn limit_depth(document: &Document) {
    let mut stack = vec![(document.root(), 0usize)];
    while let Some((node, depth)) = stack.pop() {
        if depth >= MAX_DEPTH {
            if node.element_children().into_iter().next().is_some() {
                let text = node.text();
                node.set_text(text);
            }
            continue;
        }
        for child in node.element_children() {
            stack.push((child, depth + 1));
        }
    }
}

/// Removes non-text elements, and elements hidden from readers (counted).
pub(super) fn remove_hidden(document: &Document, dropped: &mut Dropped) {
    document.select(&NEVER_TEXT.join(",")).remove();
    for noscript in document.select("noscript").nodes() {
        if text_length(noscript) < NOSCRIPT_CONTENT_CHARACTERS {
            noscript.remove_from_parent();
        }
    }
    let page_text = document.body().as_ref().map(text_length).unwrap_or(0);
    for node in document.select("[hidden],[aria-hidden],[style]").nodes() {
        let hidden = match hiding(node) {
            Hiding::Visible => false,
            Hiding::Hidden => true,
            // A fade-in wrapper around most of the page is content waiting
            // for its script; an injected instruction is a small snippet.
            Hiding::Transparent => (text_length(node) as f64) < TRANSPARENT_CONTENT_SHARE * page_text as f64,
        };
        if hidden {
            dropped.hidden_elements += 1;
            node.remove_from_parent();
        }
    }
}

/// How an element's own attributes hide it.
enum Hiding {
    Visible,
    Hidden,
    /// Only `opacity: 0`, which scripts commonly animate away.
    Transparent,
}

fn hiding(node: &NodeRef) -> Hiding {
    if node.has_attr("hidden") || node.attr("aria-hidden").is_some_and(|v| v.trim().eq_ignore_ascii_case("true")) {
        return Hiding::Hidden;
    }
    let style: String = node
        .attr("style")
        .map(|style| style.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase())
        .unwrap_or_default();
    let declares =
        |wanted: &str| style.split(';').any(|declaration| declaration.trim_end_matches("!important") == wanted);
    if HIDING_STYLES.iter().any(|hiding| declares(hiding)) {
        Hiding::Hidden
    } else if declares(TRANSPARENT_STYLE) {
        Hiding::Transparent
    } else {
        Hiding::Visible
    }
}

/// The element standing for the page's main content, and its name: a
/// `main`, `[role=main]` or `article` holding enough of the page's text,
/// else the body.
pub(super) fn main_root(document: &Document) -> (Option<NodeRef<'_>>, String) {
    let body = document.body().or_else(|| document.select("html").nodes().first().cloned());
    let total = body.as_ref().map(text_length).unwrap_or(0).max(1);
    let mut best: Option<(NodeRef, usize, &str)> = None;
    for (selector, name) in [("main", "main"), ("[role=main]", "main"), ("article", "article")] {
        let candidates = document.select(selector);
        // Several articles usually means a list of cards, not one story.
        if name == "article" && candidates.length() != 1 {
            continue;
        }
        for node in candidates.nodes() {
            let length = text_length(node);
            let big_enough = length as f64 >= MIN_MAIN_SHARE * total as f64;
            if big_enough && best.as_ref().is_none_or(|(_, best_length, _)| length > *best_length) {
                best = Some((*node, length, name));
            }
        }
    }
    match best {
        Some((node, _, name)) => (Some(node), name.to_string()),
        None => match body.as_ref().and_then(|body| densest_block(body, total)) {
            Some(block) => (Some(block), "block".to_string()),
            None => (body, "body".to_string()),
        },
    }
}

/// The container that gathers most paragraph text, for pages without
/// landmarks: each paragraph credits its parent fully and its grandparent
/// by half, as Readability does. It must hold enough of the page's text;
/// otherwise the whole body is the better guess.
fn densest_block<'a>(body: &NodeRef<'a>, total: usize) -> Option<NodeRef<'a>> {
    let mut scores: Vec<(NodeRef<'a>, usize)> = Vec::new();
    let mut credit = |node: Option<NodeRef<'a>>, points: usize| {
        let Some(node) = node else { return };
        match scores.iter_mut().find(|(seen, _)| seen.id == node.id) {
            Some((_, score)) => *score += points,
            None => scores.push((node, points)),
        }
    };
    // `descendants_it` walks without recursion; `find` recurses per level.
    let paragraphs = body.descendants_it().filter(|node| matches!(node.node_name().as_deref(), Some("p" | "pre")));
    for paragraph in paragraphs {
        let length = text_length(&paragraph);
        if length < PARAGRAPH_MIN_CHARACTERS {
            continue;
        }
        let parent = paragraph.parent();
        let grandparent = parent.as_ref().and_then(|parent| parent.parent());
        credit(parent, length);
        credit(grandparent, length / 2);
    }
    let (best, _) = scores.into_iter().max_by_key(|(_, score)| *score)?;
    (text_length(&best) as f64 >= DENSE_BLOCK_SHARE * total as f64 && best.id != body.id).then_some(best)
}

/// Removes navigation, sidebars, footers, forms and boilerplate blocks
/// inside `root` (counted), but never a block holding most of its text.
pub(super) fn remove_furniture(root: &Option<NodeRef>, dropped: &mut Dropped) {
    let Some(root) = root else { return };
    let total = text_length(root).max(1);
    for node in root.descendants() {
        if !node.is_element() || !is_furniture(&node) {
            continue;
        }
        if text_length(&node) * 2 > total {
            continue;
        }
        dropped.boilerplate_elements += 1;
        node.remove_from_parent();
    }
}

fn is_furniture(node: &NodeRef) -> bool {
    let name = node.node_name().map(|name| name.to_ascii_lowercase()).unwrap_or_default();
    if FURNITURE_TAGS.contains(&name.as_str()) {
        return true;
    }
    if node.attr("role").is_some_and(|role| FURNITURE_ROLES.contains(&role.trim().to_ascii_lowercase().as_str())) {
        return true;
    }
    let marks = format!("{} {}", node.attr("class").unwrap_or_default(), node.attr("id").unwrap_or_default());
    marks.to_ascii_lowercase().split(|c: char| !c.is_ascii_alphanumeric()).any(|word| BOILERPLATE_WORDS.contains(&word))
}

fn text_length(node: &NodeRef) -> usize {
    node.text().chars().filter(|c| !c.is_whitespace()).count()
}

/// Drops invisible characters (counted), trailing spaces and runs of blank lines.
pub(super) fn normalize_markdown(markdown: &str, dropped: &mut Dropped) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut blank_lines = 0;
    for line in markdown.lines() {
        let mut clean = String::with_capacity(line.len());
        for character in line.chars() {
            if INVISIBLE_CHARACTERS.contains(&character) {
                dropped.invisible_characters += 1;
            } else {
                clean.push(if character == '\u{00A0}' { ' ' } else { character });
            }
        }
        let clean = clean.trim_end();
        if clean.trim().is_empty() {
            blank_lines += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_lines > 0 { "\n\n" } else { "\n" });
        }
        blank_lines = 0;
        out.push_str(clean);
    }
    out
}

/// Links become their text (targets waste tokens) and images their alt text.
pub(super) fn links_and_images_as_text(root: &Option<NodeRef>) {
    let Some(root) = root else { return };
    for node in root.descendants() {
        match node.node_name().as_deref() {
            // `unwrap_node` lifts a node and its siblings out of their parent.
            Some("a") => match node.first_child() {
                Some(child) => child.unwrap_node(),
                None => node.remove_from_parent(),
            },
            Some("img") => {
                let alt = node.attr("alt").map(|alt| alt.trim().to_string()).unwrap_or_default();
                if alt.is_empty() {
                    node.remove_from_parent();
                } else {
                    node.replace_with_html(escape_text(&alt));
                }
            }
            _ => {}
        }
    }
}

fn escape_text(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}
