//! Removing what a reader never sees or never reads: hidden text, page furniture, invisible characters.

use super::parse::{attribute, elements_where, holds_unread_text, tag_name};
use super::tunables::{
    ARTICLE_BODY_MIN_SHARE, AUTHOR_CARD_NAMES, AUTHOR_CARD_WORDS, AUTHOR_MARKS, BOILERPLATE_HEADINGS,
    BOILERPLATE_HEADING_CLIMB, BOILERPLATE_HEADING_MAX_WORDS, BOILERPLATE_WORDS, CONSENT_WORDS, CONTENT_SECTIONS_MIN,
    CURRENCY_SIGNS, DECORATION_ALT_WORDS, DENSE_BLOCK_SHARE, FORM_CONTROLS, FORUM_POST_EXTRAS, FURNITURE_ROLES,
    FURNITURE_TAGS, HIDING_CLASSES, IMAGE_EXTENSIONS, INTERFACE_LABELS, INTERFACE_LABEL_MAX_CHARACTERS,
    ITEM_WRAPPER_MIN_HEADLINES, LISTING_CONTROLS, MAX_DEPTH, MEMBER_STAT_LABELS, MEMBER_STAT_MAX_CHARACTERS,
    MENU_LINK_DENSITY, MIN_MAIN_SHARE, NEVER_TEXT, NOSCRIPT_CONTENT_CHARACTERS, OFF_SCREEN_PIXELS, OTHER_PAGES_WORDS,
    PARAGRAPH_MIN_CHARACTERS, PRODUCT_CARDS_MIN, PRODUCT_CAROUSELS, PRODUCT_CAROUSEL_LINK_DENSITY, PROFILE_PATHS,
    QUOTE_PROBE_CHARACTERS, QUOTE_PROBE_MIN_CHARACTERS, RELATIVE_TIME_ENDINGS, RELATIVE_TIME_UNITS,
    REPEATED_BLOCK_MIN_CHARACTERS, REPEATED_CONTAINER_MAX_SHARE, REPEATED_CONTAINER_MIN_CHARACTERS, SHOWING_DISPLAYS,
    SIGN_IN_PATHS, SIGN_IN_PROMPT_MAX_CHARACTERS, SIGN_IN_WORDS, SITE_FOOTER_MIN_REST_CHARACTERS, SLUG_MIN_SEPARATORS,
    STORY_CARDS_LISTING_SHARE, STORY_CARDS_MIN, STORY_CARD_MAX_CHARACTERS, STREAMED_PLACEHOLDER_PREFIXES,
    STREAMED_SEGMENT_PREFIX, TINY_FONT_PIXELS, TRANSPARENT_CONTENT_SHARE,
};
use super::{byte_masks, density, Dropped};
use dom_query::{local_name, Document, NodeData, NodeId, NodeRef};
use html5ever::tendril::StrTendril;
use std::cell::LazyCell;
use std::collections::HashMap;

/// Flattens elements nested deeper than [`MAX_DEPTH`] into their text, so
/// no later step (the Markdown writer above all) recurses without bound on
/// hostile input such as 10,000 nested `<div>`s. `deepest` is the depth
/// of the deepest element ([`super::parse::Landmarks::deepest`]): nearly
/// every page is well within the limit and needs no walk.
pub(super) fn limit_depth(document: &Document, deepest: usize) {
    if deepest <= MAX_DEPTH {
        return;
    }
    let mut stack = vec![(document.root(), 0usize)];
    while let Some((node, depth)) = stack.pop() {
        if depth >= MAX_DEPTH {
            if node.element_children().into_iter().next().is_some() {
                // Hidden text must not survive the flattening: drop it first.
                for descendant in node.descendants() {
                    if descendant.is_element() && !matches!(hiding(&descendant), Hiding::Visible) {
                        descendant.remove_from_parent();
                    }
                }
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

/// Which hidden elements a reader can still reach.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum HiddenTabs {
    /// Hidden tab panels are dropped like any hidden text.
    Drop,
    /// Hidden tab panels beside a visible one are kept: in documentation
    /// and on service pages they hold the same steps for another language or
    /// system, or another plan, one click away.
    Keep,
}

/// Puts the segments of a streamed server render where the page's own
/// runtime puts them: React sends each late part of the page as a hidden
/// `<div id="S:n">` and a script (`$RC`, `$RS`) moves it over the
/// `<template id="B:n">` (or `P:n`) left in its place, replacing the
/// fallback ("Loading…") up to the boundary's `<!--/$-->`. Only a hidden
/// segment with its own placeholder moves; any other hidden text stays hidden.
pub(super) fn place_streamed_segments(document: &Document, segments: &[NodeRef]) {
    if segments.is_empty() {
        return;
    }
    // Every `template` with an id, by id, in document order: found in one
    // walk rather than by a query of the whole page for each segment.
    let mut templates: std::collections::HashMap<String, Vec<NodeRef>> = std::collections::HashMap::new();
    for node in document.root().descendants_it() {
        if tag_name(&node) == Some(local_name!("template")) {
            if let Some(id) = node.attr("id") {
                templates.entry(id.to_string()).or_default().push(node);
            }
        }
    }
    for segment in segments {
        // A segment flattened away with a too deep subtree is not in the page.
        if !in_document(segment, document) {
            continue;
        }
        let id = segment.attr("id").unwrap_or_default();
        let number = &id[STREAMED_SEGMENT_PREFIX.len()..];
        if number.is_empty() || !number.chars().all(|c| c.is_ascii_alphanumeric()) {
            continue;
        }
        // The first placeholder still in the page (an earlier segment's
        // fallback may have taken one out).
        let placeholder = STREAMED_PLACEHOLDER_PREFIXES.iter().find_map(|prefix| {
            let candidates = templates.get(&format!("{prefix}{number}"))?;
            candidates.iter().find(|template| in_document(template, document)).copied()
        });
        let Some(placeholder) = placeholder else { continue };
        let mut fallback = Vec::new();
        let mut next = placeholder.next_sibling();
        while let Some(sibling) = next {
            let closes = sibling.query_or(
                false,
                |tree_node| matches!(&tree_node.data, NodeData::Comment { contents } if contents.trim() == "/$"),
            );
            if closes {
                break;
            }
            next = sibling.next_sibling();
            fallback.push(sibling);
        }
        if next.is_some() {
            fallback.iter().for_each(NodeRef::remove_from_parent);
        }
        if let Some(first) = segment.first_child() {
            placeholder.insert_siblings_before(&first);
        }
        placeholder.remove_from_parent();
        segment.remove_from_parent();
    }
}

/// A hidden segment of a streamed server render: `div[hidden][id^="S:"]`.
pub(super) fn is_streamed_segment(element: &dom_query::Element) -> bool {
    let attribute = |name: &str| element.attrs.iter().find(|attribute| &*attribute.name.local == name);
    element.name.local == local_name!("div")
        && attribute("hidden").is_some()
        && attribute("id").is_some_and(|id| id.value.starts_with(STREAMED_SEGMENT_PREFIX))
}

/// Whether `node` is still in the document's tree (not removed, nor inside something removed).
fn in_document(node: &NodeRef, document: &Document) -> bool {
    node.ancestors_it(None).last().is_some_and(|top| top.id == document.root().id)
}

/// Removes non-text elements, and elements hidden from readers (counted).
/// A collapsed accordion panel, named by its toggle's `aria-controls`
/// (`aria-expanded="false"`) outside navigation, is one click away (a FAQ's
/// answers, a section's details) and kept; hidden text inside it still goes.
pub(super) fn remove_hidden(document: &Document, tabs: HiddenTabs, dropped: &mut Dropped) {
    // One walk decides what is plainly gone (non-text elements, hidden
    // attributes, hiding styles and classes) without entering it, and
    // gathers what needs the page's remaining text to decide.
    let mut noscripts = Vec::new();
    let mut transparent = Vec::new();
    // Accordion panels named by the visible toggles met so far (a toggle comes before its panel).
    let mut collapsed: Vec<String> = Vec::new();
    let mut stack: Vec<NodeRef> = document.root().children();
    stack.reverse();
    while let Some(node) = stack.pop() {
        if !node.is_element() {
            continue;
        }
        if let Some(panels) = collapsed_panels_of(&node) {
            // A toggle a reader can see and read: an empty or hidden one
            // opens nothing (it would only be a way to smuggle text in).
            if matches!(hiding(&node), Hiding::Visible) && node.text().chars().any(char::is_alphanumeric) {
                collapsed.extend(panels.split_whitespace().map(str::to_string));
            }
        }
        let name = tag_name(&node).unwrap_or_default();
        if NEVER_TEXT.contains(&name.as_ref()) {
            if is_form_control(&node, &name) {
                // Reached, so not inside a hidden block: its form is one a reader fills in.
                // Found first: the walk borrows the tree, which the mark writes to.
                let form = node.ancestors_it(None).find(|a| tag_name(a) == Some(local_name!("form")));
                if let Some(form) = form {
                    form.set_attr(FORM_WITH_FIELDS_MARK, "");
                }
            }
            node.remove_from_parent();
            continue;
        }
        if name == local_name!("noscript") {
            noscripts.push(node);
            continue;
        }
        // The class read in place, not copied: this runs on every element.
        let has_hiding_class = node.query_or(false, |tree_node| {
            tree_node.as_element().is_some_and(|element| {
                element.attrs.iter().any(|attribute| {
                    attribute.name.local == local_name!("class") && names_a_hiding_class(&attribute.value)
                })
            })
        });
        let hidden_by_class = has_hiding_class && !shown_at_some_width(&node);
        let how = hiding(&node);
        match how {
            // A framework's hiding class on a wrapper around the page's main
            // content is a loading guard a script lifts, judged like `opacity: 0`.
            _ if hidden_by_class => {
                if holds_a_content_landmark(&node) {
                    transparent.push(node);
                } else {
                    dropped.hidden_elements += 1;
                    node.remove_from_parent();
                    continue;
                }
                stack.extend(node.children_it(true));
                continue;
            }
            Hiding::Hidden
                if tabs == HiddenTabs::Keep && is_tab_beside_a_shown_one(&node)
                    || is_collapsed_panel(&node, &collapsed)
                    || wraps_a_collapsed_panel(&node, &collapsed) =>
            {
                stack.extend(node.children_it(true));
                continue;
            }
            Hiding::Hidden => {}
            Hiding::Transparent | Hiding::Visible => {
                if matches!(how, Hiding::Transparent) {
                    transparent.push(node);
                }
                stack.extend(node.children_it(true));
                continue;
            }
        }
        dropped.hidden_elements += 1;
        node.remove_from_parent();
    }
    let noscript_lengths: Vec<usize> = noscripts.iter().map(text_length).collect();
    let noscript_text: usize = noscript_lengths.iter().sum();
    // Measured (before anything below is removed) only when a long noscript
    // or a hidden wrapper needs it: most pages have neither.
    let needs_page_text =
        !transparent.is_empty() || noscript_lengths.iter().any(|length| *length >= NOSCRIPT_CONTENT_CHARACTERS);
    let page_text = if needs_page_text { document.body().as_ref().map(text_length).unwrap_or(0) } else { 0 };
    for (noscript, length) in noscripts.into_iter().zip(noscript_lengths) {
        // Kept only as a single-page app's crawler view: long, and most of
        // what the page has to say; padding an injection past the length
        // alone does not get it in.
        let crawler_view = length >= NOSCRIPT_CONTENT_CHARACTERS && noscript_text * 2 > page_text;
        if !crawler_view {
            noscript.remove_from_parent();
        }
    }
    for node in transparent {
        // A fade-in wrapper or hydration guard around most of the page is
        // content waiting for its script; an injected instruction is a small snippet.
        if (text_length(&node) as f64) < TRANSPARENT_CONTENT_SHARE * page_text as f64 {
            dropped.hidden_elements += 1;
            node.remove_from_parent();
        }
    }
}

/// Whether `node` wraps the page's main content: a `main`, `article` or `h1`.
fn holds_a_content_landmark(node: &NodeRef) -> bool {
    node.descendants_it().any(|descendant| {
        matches!(tag_name(&descendant), Some(local_name!("main") | local_name!("article") | local_name!("h1")))
            || descendant.attr("role").is_some_and(|role| role.trim().eq_ignore_ascii_case("main"))
    })
}

/// Whether `node` is a tab panel with a shown tab panel among its siblings:
/// a tab group's other panels, not text hidden on its own.
fn is_tab_beside_a_shown_one(node: &NodeRef) -> bool {
    let is_panel = |node: &NodeRef| node.attr("role").is_some_and(|role| role.trim().eq_ignore_ascii_case("tabpanel"));
    is_panel(node)
        && node.parent().is_some_and(|parent| {
            parent.element_children().iter().any(|sibling| {
                sibling.id != node.id
                    && is_panel(sibling)
                    && matches!(hiding(sibling), Hiding::Visible)
                    && !sibling.attr("class").is_some_and(|classes| names_a_hiding_class(&classes))
            })
        })
}

/// The ids an accordion's toggle opens: an element with
/// `aria-expanded="false"` names the panels it shows in `aria-controls`.
/// One scan of the attributes, copying only a toggle's: this runs on every element.
fn collapsed_panels_of(node: &NodeRef) -> Option<String> {
    node.query_or(None, |tree_node| {
        let NodeData::Element(element) = &tree_node.data else { return None };
        let mut collapsed = false;
        let mut controls = None;
        // Atoms compare as integers; matching names as text would unpack every attribute's name.
        for attribute in &element.attrs {
            if attribute.name.local == local_name!("aria-expanded") {
                collapsed = attribute.value.trim().eq_ignore_ascii_case("false");
            } else if attribute.name.local == local_name!("aria-controls") {
                controls = Some(&attribute.value);
            }
        }
        controls.filter(|_| collapsed).map(|controls| controls.to_string())
    })
}

/// Whether `node` is a collapsed accordion panel: its toggle names it, and
/// it is no menu's dropdown (inside navigation or the site's header).
fn is_collapsed_panel(node: &NodeRef, collapsed: &[String]) -> bool {
    !collapsed.is_empty()
        && node.attr("id").is_some_and(|id| collapsed.iter().any(|panel| panel.as_str() == id.trim()))
        && !std::iter::once(*node)
            .chain(node.ancestors_it(None))
            .any(|ancestor| is_landmark_furniture(&ancestor) || tag_name(&ancestor) == Some(local_name!("header")))
}

/// Whether `node` is the collapse wrapper around a collapsed accordion
/// panel (Chakra's and Headless UI's `<div style="display:none">` holding
/// the panel its toggle names): the panel is its only child that can hold
/// text, so it shows exactly when the panel does.
fn wraps_a_collapsed_panel(node: &NodeRef, collapsed: &[String]) -> bool {
    if collapsed.is_empty() {
        return false;
    }
    let mut children = node
        .element_children()
        .into_iter()
        .filter(|child| !tag_name(child).is_some_and(|name| NEVER_TEXT.contains(&name.as_ref())));
    let only = children.next();
    let no_text_beside = node.children_it(false).all(|child| !child.is_text() || child.text().trim().is_empty());
    children.next().is_none()
        && no_text_beside
        && only.is_some_and(|panel| is_collapsed_panel(&panel, collapsed) && matches!(hiding(&panel), Hiding::Visible))
}

/// Whether a `class` value names one of [`HIDING_CLASSES`], class by class
/// as a stylesheet matches them (split at ASCII whitespace, case kept). Most
/// names are passed over by their length alone: this runs on every element.
fn names_a_hiding_class(classes: &str) -> bool {
    classes
        .split_ascii_whitespace()
        .any(|class| HIDING_CLASS_LENGTHS & length_bit(class.len()) != 0 && HIDING_CLASSES.contains(&class))
}

/// A [`length_bit`] for each length of name in [`HIDING_CLASSES`].
static HIDING_CLASS_LENGTHS: u64 = {
    let mut lengths = 0;
    let mut at = 0;
    while at < HIDING_CLASSES.len() {
        lengths |= length_bit(HIDING_CLASSES[at].len());
        at += 1;
    }
    lengths
};

/// Whether a hidden-by-class element is shown again from some screen width
/// on (`hidden md:block`, `d-none d-lg-flex`): desktop content, kept.
fn shown_at_some_width(node: &NodeRef) -> bool {
    let classes = node.attr("class").unwrap_or_default();
    classes.split_whitespace().any(|class| {
        let display = match class.split_once(':') {
            Some((_, display)) => display,
            None => match class.strip_prefix("d-").and_then(|rest| rest.split_once('-')) {
                Some((_, display)) => display,
                None => return false,
            },
        };
        display != "hidden" && display != "none" && SHOWING_DISPLAYS.iter().any(|shown| display.starts_with(shown))
    })
}

/// How an element's own attributes hide it.
enum Hiding {
    Visible,
    Hidden,
    /// Only `opacity: 0` or `visibility: hidden`, which scripts commonly
    /// lift once the page has loaded (fade-ins, hydration guards).
    Transparent,
}

fn hiding(node: &NodeRef) -> Hiding {
    // One scan of the attributes, without copying them: this runs on every element.
    let (hidden, style) = node.query_or((false, None), |tree_node| {
        let NodeData::Element(element) = &tree_node.data else { return (false, None) };
        let mut hidden = false;
        let mut style = None;
        for attribute in &element.attrs {
            let name = &attribute.name.local;
            if *name == local_name!("hidden") {
                hidden = true;
            } else if *name == local_name!("aria-hidden") {
                hidden |= attribute.value.trim().eq_ignore_ascii_case("true");
            } else if *name == local_name!("style") {
                style = Some(squeezed_lowercase(&attribute.value));
            }
        }
        (hidden, style)
    });
    if hidden {
        return Hiding::Hidden;
    }
    let Some(style) = style else { return Hiding::Visible };
    let declarations = InlineStyle::parse(&style);
    if declarations.hides_text() {
        Hiding::Hidden
    } else if declarations.get("opacity").is_some_and(|opacity| length(opacity) == Some(0.0))
        || declarations.get("visibility").is_some_and(|visibility| visibility == "hidden")
    {
        Hiding::Transparent
    } else {
        Hiding::Visible
    }
}

/// `text` without whitespace (Unicode's) and with ASCII letters
/// lower-cased, in one copy.
fn squeezed_lowercase(text: &str) -> String {
    let mut squeezed = String::with_capacity(text.len());
    squeezed.extend(text.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_lowercase()));
    squeezed
}

/// An inline `style`, lower-cased and without whitespace, as declarations.
struct InlineStyle<'a> {
    declarations: Vec<(&'a str, &'a str)>,
}

impl<'a> InlineStyle<'a> {
    fn parse(style: &'a str) -> InlineStyle<'a> {
        let declarations = style
            .split(';')
            .filter_map(|declaration| declaration.split_once(':'))
            .map(|(property, value)| (property, value.trim_end_matches("!important")))
            .collect();
        InlineStyle { declarations }
    }

    /// The last value given for `property`, as CSS applies it.
    fn get(&self, property: &str) -> Option<&'a str> {
        self.declarations.iter().rev().find(|(name, _)| *name == property).map(|(_, value)| *value)
    }

    /// Whether these declarations keep the element's text from a sighted
    /// reader: each way is a known channel for instructions meant only for
    /// a model reading the page.
    fn hides_text(&self) -> bool {
        let is = |property: &str, wanted: &[&str]| self.get(property).is_some_and(|value| wanted.contains(&value));
        let at_most =
            |property: &str, limit: f64| self.get(property).and_then(length).is_some_and(|size| size <= limit);
        let clipped = self.get("overflow").is_some_and(|value| value == "hidden" || value == "clip");
        let color = self.get("color");
        let background = self.get("background-color").or(self.get("background"));
        is("display", &["none"])
            || is("visibility", &["collapse"])
            || at_most("font-size", TINY_FONT_PIXELS)
            // Pushed off the screen.
            || ["left", "top", "right", "text-indent", "margin-left"].iter().any(|side| {
                self.get(side).and_then(length).is_some_and(|offset| offset <= OFF_SCREEN_PIXELS)
            })
            // Painted in no colour, or in the background's.
            || color.is_some_and(|color| color == "transparent" || is_transparent_color(color))
            || color.is_some_and(|color| !color.is_empty() && background == Some(color))
            // Squeezed to nothing, or clipped away.
            || clipped && (at_most("height", 0.0) || at_most("max-height", 0.0) || at_most("width", 0.0))
            || self.get("clip-path").is_some_and(|clip| clip.starts_with("inset(50%") || clip.starts_with("inset(100%"))
            || self.get("clip").is_some_and(|clip| clip.replace("px", "") == "rect(0,0,0,0)" || clip == "rect(1px,1px,1px,1px)")
            || self.get("transform").is_some_and(|transform| {
                ["scale(0)", "scale(0,0)", "scalex(0)", "scaley(0)"].iter().any(|zero| transform.contains(zero))
            })
    }
}

/// A CSS length in pixels (`0`, `1px`, `-9999px`, `12pt`, `0.5em` and
/// `rem` at the default 16px, `%` of that); `None` for other units
/// (viewport units depend on the window) and for anything unparsable.
fn length(value: &str) -> Option<f64> {
    let unit_start = value.find(|c: char| c.is_ascii_alphabetic() || c == '%').unwrap_or(value.len());
    let (number, unit) = value.split_at(unit_start);
    let number: f64 = number.parse().ok()?;
    let scale = match unit {
        "" | "px" => 1.0,
        "pt" => 4.0 / 3.0,
        "em" | "rem" => 16.0,
        "%" => 0.16,
        _ => return None,
    };
    Some(number * scale)
}

/// `rgba(…, 0)` and `hsla(…, 0)`: a colour with zero alpha.
fn is_transparent_color(color: &str) -> bool {
    (color.starts_with("rgba(") || color.starts_with("hsla(") || color.starts_with("rgb(") || color.starts_with("hsl("))
        && color.trim_end_matches(')').rsplit([',', '/']).next().and_then(length).is_some_and(|alpha| alpha == 0.0)
        && color.matches([',', '/']).count() >= 3
}

/// The element standing for the page's main content, and its name: a
/// `main`, `[role=main]` or `article` holding enough of the page's text,
/// else the body. Also the body's [`density::measure`] stats, which every
/// length here is read from and which [`remove_furniture`] takes over for
/// the root inside it.
///
/// `gathered` is the page's `main`, `[role=main]` and `article` elements
/// as found before cleanup ([`super::parse::Landmarks::main_landmarks`]),
/// in document order; those cleanup removed are passed over. `None` when
/// cleanup may have moved content (the page has a streamed render's
/// segments), which can change their order: then they are found again.
pub(super) fn main_root<'a>(
    document: &'a Document,
    gathered: Option<&[NodeRef<'a>]>,
) -> (Option<NodeRef<'a>>, String, density::Measured) {
    let body = document.body().or_else(|| document.select("html").nodes().first().cloned());
    let measured = body.as_ref().map(density::measure);
    let total = body.as_ref().map_or(0, |body| characters_of(body, &measured)).max(1);
    let mut best: Option<(NodeRef, usize, &str)> = None;
    let found_again;
    let landmarks = match gathered {
        Some(gathered) => gathered,
        None => {
            found_again = elements_where(document, |_, element| is_main_landmark(element));
            &found_again
        }
    };
    let (mut mains, mut role_mains, mut articles) = (Vec::new(), Vec::new(), Vec::new());
    for node in landmarks.iter().copied().filter(|node| in_document(node, document)) {
        let (is_main, has_main_role, is_article) =
            node.query_or((false, false, false), |tree_node| match &tree_node.data {
                NodeData::Element(element) => main_landmark_kind(element),
                _ => (false, false, false),
            });
        for (list, member) in [(&mut mains, is_main), (&mut role_mains, has_main_role), (&mut articles, is_article)] {
            if member {
                list.push(node);
            }
        }
    }
    for (candidates, name) in [(mains, "main"), (role_mains, "main"), (articles, "article")] {
        // Several articles usually means a list of cards, not one story.
        if name == "article" && candidates.len() != 1 {
            continue;
        }
        for node in &candidates {
            let length = characters_of(node, &measured);
            let big_enough = length as f64 >= MIN_MAIN_SHARE * total as f64;
            if big_enough && best.as_ref().is_none_or(|(_, best_length, _)| length > *best_length) {
                best = Some((*node, length, name));
            }
        }
    }
    let (root, name) = match best {
        Some((node, _, name)) => (Some(node), name),
        None => match body.as_ref().and_then(|body| densest_block(body, total, &measured)) {
            Some(block) => (Some(block), "block"),
            None => (body, "body"),
        },
    };
    (root, name.to_string(), measured)
}

/// Whether the element is a `main`, has `role=main`, or is an `article`.
fn main_landmark_kind(element: &dom_query::Element) -> (bool, bool, bool) {
    let has_main_role = element
        .attrs
        .iter()
        .any(|attribute| attribute.name.local == local_name!("role") && &*attribute.value == "main");
    (element.name.local == local_name!("main"), has_main_role, element.name.local == local_name!("article"))
}

/// A `main`, `[role=main]` or `article`: what [`main_root`] chooses among.
pub(super) fn is_main_landmark(element: &dom_query::Element) -> bool {
    main_landmark_kind(element) != (false, false, false)
}

/// The one article body inside a wider content root (a `main` that also
/// holds related stories, the author's card and sign-up boxes): the single
/// `article`, with its header, else the single `[itemprop=articleBody]`, when it holds at
/// least [`ARTICLE_BODY_MIN_SHARE`] of the root's text. The root's one `h1`,
/// the headline, moves to the top of the body when it lies outside it.
///
/// `measured`, the root's stats when current, is kept so through the move.
pub(super) fn article_body<'a>(root: &NodeRef<'a>, measured: &mut density::Measured) -> Option<NodeRef<'a>> {
    let total = LazyCell::new(|| characters_of(root, measured).max(1));
    let single = |wanted: &dyn Fn(&NodeRef) -> bool| {
        let mut found = root.descendants_it().filter(|node| node.is_element() && wanted(node));
        let first = found.next()?;
        found.next().is_none().then_some(first)
    };
    let big_enough = |body: &NodeRef| characters_of(body, measured) as f64 >= ARTICLE_BODY_MIN_SHARE * *total as f64;
    let article = single(&|node| tag_name(node) == Some(local_name!("article"))).filter(big_enough);
    let body = article.or_else(|| {
        single(&|node| node.attr("itemprop").is_some_and(|value| value.split_whitespace().any(|v| v == "articleBody")))
            .filter(big_enough)
    })?;
    // The headline often sits above the body, beside the byline: it comes along.
    let is_h1 = |node: &NodeRef| tag_name(node) == Some(local_name!("h1"));
    // Collected first: moving while the iterator borrows the tree panics.
    let headings: Vec<NodeRef> = root.descendants_it().filter(is_h1).collect();
    if let [heading] = headings.as_slice() {
        if !heading.ancestors_it(None).any(|ancestor| ancestor.id == body.id) {
            let taken_out = measured.as_mut().is_some_and(|stats| density::take_out(stats, heading));
            body.prepend_child(heading);
            let put_in = measured.as_mut().is_some_and(|stats| density::put_in(stats, heading));
            if !(taken_out && put_in) {
                *measured = None;
            }
        }
    }
    Some(body)
}

/// The container that gathers most paragraph text, for pages without
/// landmarks: each paragraph credits its parent fully and its grandparent
/// by half, as Readability does. It must hold enough of the page's text;
/// otherwise the whole body is the better guess.
fn densest_block<'a>(body: &NodeRef<'a>, total: usize, measured: &density::Measured) -> Option<NodeRef<'a>> {
    // In order of first credit (ties go to the last), found by id.
    let mut scores: Vec<(NodeRef<'a>, usize)> = Vec::new();
    let mut positions: density::NodeMap<usize> = density::NodeMap::default();
    let mut credit = |node: Option<NodeRef<'a>>, points: usize| {
        let Some(node) = node else { return };
        let position = *positions.entry(node.id).or_insert_with(|| {
            scores.push((node, 0));
            scores.len() - 1
        });
        scores[position].1 += points;
    };
    // `descendants_it` walks without recursion; `find` recurses per level.
    // Paragraphs in furniture (a footer's privacy-policy dialog, a sidebar)
    // say nothing about where the content is.
    let paragraphs = body
        .descendants_it()
        .filter(|node| matches!(tag_name(node), Some(local_name!("p") | local_name!("pre"))))
        .filter(|node| !node.ancestors_it(None).any(|ancestor| is_landmark_furniture(&ancestor)));
    for paragraph in paragraphs {
        let length = characters_of(&paragraph, measured);
        if length < PARAGRAPH_MIN_CHARACTERS {
            continue;
        }
        let parent = paragraph.parent();
        let grandparent = parent.as_ref().and_then(|parent| parent.parent());
        credit(parent, length);
        credit(grandparent, length / 2);
    }
    let (best, _) = scores.into_iter().max_by_key(|(_, score)| *score)?;
    (characters_of(&best, measured) as f64 >= DENSE_BLOCK_SHARE * total as f64 && best.id != body.id).then_some(best)
}

/// Whether a content root holds a list of items (a listing's stories, a
/// collection's products): then a wrapper of those items is content even
/// when its class names a layout slot (`section-more-ads`, `content-sidebar-wrap`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Items {
    /// The page lists items.
    Listed,
    /// Any other page.
    None,
}

/// Removes navigation, sidebars, footers, forms and boilerplate blocks
/// inside `root` (counted), but never a block holding most of its text,
/// unless that block is made of links (a documentation site's navigation
/// tree can outweigh the short page it frames) or is the site's footer
/// (pages of footnoted legal notes under a short product page) beside at
/// least [`SITE_FOOTER_MIN_REST_CHARACTERS`] of other text. On a page that lists items,
/// a block marked only by its class (not by tag or role) that holds the
/// items (see [`holds_the_items`]) stays.
///
/// `measured` holds the stats of a tree around the root when they are
/// current ([`main_root`]'s body), else the root is measured here.
/// Returns those stats, kept current through the removals, or `None` when
/// they could not be (see [`density::take_out`]).
pub(super) fn remove_furniture(
    root: &Option<NodeRef>,
    items: Items,
    measured: density::Measured,
    dropped: &mut Dropped,
) -> density::Measured {
    let root = root.as_ref()?;
    // Measured before anything is removed. A pre-order walk meets an
    // element's ancestors before it, so taking a removed block's sums out
    // of its ancestors never changes a number the walk reads later.
    let mut stats = match measured {
        Some(stats) if stats.contains_key(&root.id) => stats,
        _ => density::measure(root),
    };
    let characters =
        |stats: &density::NodeMap<density::TextStats>, node: &NodeRef| stats.get(&node.id).map_or(0, |s| s.characters);
    let total = characters(&stats, root).max(1);
    // Each `class` read once for both uses: the content sections and the furniture test.
    let classed = boilerplate_classed(root);
    let sections = content_sections(&classed, &stats, total);
    let classed: density::NodeSet = classed.iter().map(|(node, _)| node.id).collect();
    let mut current = true;
    // In document order; a removed block's insides are not visited (nor
    // counted again).
    let mut stack: Vec<NodeRef> = root.children_it(true).filter(NodeRef::is_element).collect();
    while let Some(node) = stack.pop() {
        if !is_furniture(&node, &classed) {
            stack.extend(node.children_it(true).filter(NodeRef::is_element));
            continue;
        }
        let made_of_links = stats.get(&node.id).is_some_and(|stats| stats.link_density() >= MENU_LINK_DENSITY);
        // A site's footer stays furniture however long its legal notes run,
        // while the rest of the root still holds the page.
        let site_footer = is_site_footer(&node) && total - characters(&stats, &node) >= SITE_FOOTER_MIN_REST_CHARACTERS;
        if characters(&stats, &node) * 2 > total && !made_of_links && !site_footer
            || sections.contains(&node.id)
            || items == Items::Listed && holds_the_items(&node)
        {
            stack.extend(node.children_it(true).filter(NodeRef::is_element));
            continue;
        }
        dropped.boilerplate_elements += 1;
        current &= density::take_out(&mut stats, &node);
        node.remove_from_parent();
    }
    current.then_some(stats)
}

/// Blocks marked as furniture only by a class word that the page repeats
/// on each section of its text (`content-nav-section`, `skip-item`: the
/// targets of an in-page menu or skip links): when the blocks sharing one
/// `class` value hold most of the root's text together, and are not made of
/// links, they are the content cut into sections, each too small alone to
/// be kept as most of the page. Text inside their own footers, navs and
/// dialogs is not counted: a theme's footer group holds the site's footer.
/// `classed` is [`boilerplate_classed`]'s list.
fn content_sections(
    classed: &[(NodeRef, StrTendril)],
    stats: &density::NodeMap<density::TextStats>,
    total: usize,
) -> density::NodeSet {
    let characters = |id: &NodeId| stats.get(id).map_or(0, |stats| stats.characters);
    // Groups by class value, in the order first met; each member's group, to find nested members.
    let mut group_of_class: HashMap<String, usize> = HashMap::new();
    let mut groups: Vec<Vec<NodeRef>> = Vec::new();
    let mut group_of_member: density::NodeMap<usize> = density::NodeMap::default();
    for (node, class) in classed {
        let node = *node;
        if is_landmark_furniture(&node) || heading_level(&node).is_some() {
            continue;
        }
        let key = class.split_whitespace().collect::<Vec<_>>().join(" ");
        let group = *group_of_class.entry(key).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        // A member nested in another adds nothing the outer one does not hold.
        if node.ancestors_it(None).any(|ancestor| group_of_member.get(&ancestor.id) == Some(&group)) {
            continue;
        }
        group_of_member.insert(node.id, group);
        groups[group].push(node);
    }
    let section_text = |members: &[NodeRef]| {
        let mut sum = density::TextStats::default();
        for member in members {
            if let Some(own) = stats.get(&member.id) {
                sum.characters += own.characters;
                sum.link_characters += own.link_characters;
            }
            // What a footer, nav or dialog inside holds goes with it, not with the sections.
            let outermost_furniture = member.descendants_it().filter(|inner| {
                is_landmark_furniture(inner)
                    && !inner
                        .ancestors_it(None)
                        .take_while(|ancestor| ancestor.id != member.id)
                        .any(|ancestor| is_landmark_furniture(&ancestor))
            });
            for inner in outermost_furniture {
                if let Some(furniture) = stats.get(&inner.id) {
                    sum.characters = sum.characters.saturating_sub(furniture.characters);
                    sum.link_characters = sum.link_characters.saturating_sub(furniture.link_characters);
                }
            }
        }
        sum
    };
    groups
        .into_iter()
        // Furniture inside only takes text away: a group too small before
        // that is not looked into.
        .filter(|members| {
            members.len() >= CONTENT_SECTIONS_MIN
                && members.iter().map(|member| characters(&member.id)).sum::<usize>() * 2 > total
        })
        .filter(|members| {
            let sum = section_text(members);
            sum.characters * 2 > total && sum.link_density() < MENU_LINK_DENSITY
        })
        .flat_map(|members| members.into_iter().map(|member| member.id))
        .collect()
}

/// Removes cookie-consent managers (counted) before the content root is
/// chosen: their banners, preference dialogs and vendor lists can hold most
/// of a short page's text and would otherwise weigh in every share the root
/// choice and the furniture pass measure. A block marked with one of
/// [`CONSENT_WORDS`] goes unless it wraps the page's content (an `h1`,
/// `main` or `article`), as a page wrapper named for the banner it makes
/// room for (`has-cookie-bar`) does.
pub(super) fn remove_consent_managers(document: &Document, dropped: &mut Dropped) {
    let Some(body) = document.body() else { return };
    let mut stack = body.element_children();
    while let Some(node) = stack.pop() {
        let wraps_content = || {
            node.descendants_it().any(|d| {
                matches!(tag_name(&d), Some(local_name!("h1") | local_name!("main") | local_name!("article")))
                    || d.attr("role").is_some_and(|role| role.trim().eq_ignore_ascii_case("main"))
            })
        };
        if marked_with(&node, &CONSENT) && !wraps_content() {
            dropped.boilerplate_elements += 1;
            node.remove_from_parent();
            continue;
        }
        stack.extend(node.children_it(false).filter(|child| child.is_element()));
    }
}

/// A block marked as furniture only by a class word, holding at least
/// [`ITEM_WRAPPER_MIN_HEADLINES`] linked headings (`h2`–`h4`, the titles of
/// a listing's cards), and not marked as a list of other pages
/// ([`OTHER_PAGES_WORDS`]): a wrapper around the items, named for the ad
/// slots or the sidebar placed beside them.
fn holds_the_items(node: &NodeRef) -> bool {
    let name = tag_name(node).unwrap_or_default();
    if is_landmark_furniture(node) || name == local_name!("header") || marked_with(node, &OTHER_PAGES) {
        return false;
    }
    let is_link = |node: &NodeRef| tag_name(node) == Some(local_name!("a"));
    let headlines = node
        .descendants_it()
        .filter(|heading| matches!(heading_level(heading), Some(2..=4)))
        .filter(|heading| {
            heading.descendants_it().any(|d| is_link(&d)) || heading.ancestors_it(None).any(|a| is_link(&a))
        })
        .take(ITEM_WRAPPER_MIN_HEADLINES)
        .count();
    headlines >= ITEM_WRAPPER_MIN_HEADLINES
}

/// Removes interface labels that say nothing about the page: "Loading…",
/// "Learn more", "Shop now" (counted as boilerplate).
pub(super) fn remove_interface_labels(root: &NodeRef, dropped: &mut Dropped) {
    // One buffer for every leaf's label: most leaves are one text node of ASCII.
    let mut label = String::new();
    for node in root.descendants() {
        // Labels are leaves: checking only elements without element children keeps this linear.
        if !node.is_element()
            || node.first_element_child().is_some()
            || text_length(&node) > INTERFACE_LABEL_MAX_CHARACTERS
        {
            continue;
        }
        let as_label = |text: &str, label: &mut String| {
            let text = text.trim().trim_end_matches(['.', '…', '›', '»', '>', ' ', '→', '↓']);
            label.clear();
            if text.is_ascii() {
                label.extend(text.bytes().map(|byte| char::from(byte.to_ascii_lowercase())));
            } else {
                label.push_str(&text.to_lowercase());
            }
        };
        let one_text_child = node.first_child().filter(|child| child.next_sibling().is_none()).and_then(|child| {
            child.query_or(None, |tree_node| match &tree_node.data {
                NodeData::Text { contents } => {
                    as_label(contents, &mut label);
                    Some(())
                }
                _ => None,
            })
        });
        if one_text_child.is_none() {
            as_label(&node.text(), &mut label);
        }
        let label = label.as_str();
        // A relative time in a table cell is a column of the table's data ("Posted: 3 days ago").
        let in_table =
            || node.ancestors_it(None).any(|a| matches!(tag_name(&a), Some(local_name!("td") | local_name!("th"))));
        let stale_time = || is_relative_time(label) && !in_table();
        if label.is_empty() || !(INTERFACE_LABELS.contains(&label) || stale_time()) {
            continue;
        }
        // A label stands alone: "close" inside a sentence is a word, not a button.
        let in_running_text = node.parent().is_some_and(|parent| {
            parent.children_it(false).any(|sibling| {
                sibling.query_or(false, |tree_node| match &tree_node.data {
                    NodeData::Text { contents } => !contents.trim().is_empty(),
                    _ => false,
                })
            })
        });
        if !in_running_text {
            dropped.boilerplate_elements += 1;
            node.remove_from_parent();
        }
    }
}

/// "3 days ago", "an hour ago", "5 min read" (lower case): a count, a unit
/// from [`RELATIVE_TIME_UNITS`] and an ending from [`RELATIVE_TIME_ENDINGS`].
fn is_relative_time(label: &str) -> bool {
    let mut words = label.split_whitespace();
    let (Some(count), Some(unit), Some(ending), None) = (words.next(), words.next(), words.next(), words.next()) else {
        return false;
    };
    let counted = matches!(count, "a" | "an" | "one") || count.chars().all(|c| c.is_ascii_digit());
    let unit = unit.trim_end_matches('.');
    let unit = unit.strip_suffix('s').unwrap_or(unit);
    counted && RELATIVE_TIME_UNITS.contains(&unit) && RELATIVE_TIME_ENDINGS.contains(&ending)
}

/// Removes elements marked with a word of any of `word_lists` (counted), in
/// one walk, but never one holding most of the root's text.
/// `measured`, the root's stats when current, is kept so.
pub(super) fn remove_marked(
    root: &NodeRef,
    word_lists: &[ClassWords],
    dropped: &mut Dropped,
    measured: &mut density::Measured,
) {
    // Read at the first candidate, before anything goes.
    let mut total = None;
    let mut stack = root.element_children();
    while let Some(node) = stack.pop() {
        if word_lists.iter().any(|words| marked_with(&node, words))
            && characters_of(&node, measured) * 2 < *total.get_or_insert_with(|| characters_of(root, measured).max(1))
        {
            dropped.boilerplate_elements += 1;
            density::remove_measured(&node, measured);
            continue;
        }
        stack.extend(node.children_it(false).filter(|child| child.is_element()));
    }
}

/// Removes what a product page shows of other products, counted: a
/// carousel (marked with [`PRODUCT_CAROUSELS`]) whose text is at least
/// [`PRODUCT_CAROUSEL_LINK_DENSITY`] link text or which holds product
/// cards, and any other block of product cards (at least
/// [`PRODUCT_CARDS_MIN`] links and as many prices: "Customers also
/// bought", "Complete the look") outside the product's own block, the one
/// with the `h1`. The product's own slides of features and details are
/// text, and stay.
///
/// `measured` is the root's stats when current.
pub(super) fn remove_other_products(root: &NodeRef, dropped: &mut Dropped, measured: density::Measured) {
    let stats = measured.unwrap_or_else(|| density::measure(root));
    let cards = card_counts(root);
    let total = stats.get(&root.id).map_or(0, |stats| stats.characters).max(1);
    let mut stack = root.element_children();
    while let Some(node) = stack.pop() {
        let node_stats = stats.get(&node.id).copied().unwrap_or_default();
        let counts = cards.get(&node.id).copied().unwrap_or_default();
        let holds_cards = counts.links >= PRODUCT_CARDS_MIN && counts.prices >= PRODUCT_CARDS_MIN;
        let carousel = marked_with(&node, &CAROUSELS)
            && (node_stats.characters == 0
                || node_stats.link_density() >= PRODUCT_CAROUSEL_LINK_DENSITY
                || holds_cards);
        let strip = holds_cards
            && !counts.holds_h1
            && matches!(
                tag_name(&node),
                Some(
                    local_name!("div")
                        | local_name!("section")
                        | local_name!("ul")
                        | local_name!("ol")
                        | local_name!("aside")
                )
            );
        if (carousel || strip) && node_stats.characters * 2 < total {
            dropped.boilerplate_elements += 1;
            node.remove_from_parent();
            continue;
        }
        stack.extend(node.children_it(false).filter(|child| child.is_element()));
    }
}

/// Removes an article's author cards (counted): the writer's photo, name
/// and biography under the story, or the byline box above it, marked by a
/// class or id (see [`AUTHOR_MARKS`]) or by schema.org's `itemprop=author`
/// around the person's `itemprop=description`. Never one holding most of
/// the root's text.
/// `measured`, the root's stats when current, is kept so.
pub(super) fn remove_author_cards(root: &NodeRef, dropped: &mut Dropped, measured: &mut density::Measured) {
    // Read at the first candidate, before anything goes.
    let mut total = None;
    let mut stack = root.element_children();
    while let Some(node) = stack.pop() {
        if is_author_card(&node)
            && characters_of(&node, measured) * 2 < *total.get_or_insert_with(|| characters_of(root, measured).max(1))
        {
            dropped.boilerplate_elements += 1;
            density::remove_measured(&node, measured);
            continue;
        }
        stack.extend(node.children_it(false).filter(|child| child.is_element()));
    }
}

/// What marks product cards under an element: its links, its prices (currency signs) and whether it holds the `h1`.
#[derive(Clone, Copy, Debug, Default)]
struct CardCounts {
    links: usize,
    prices: usize,
    holds_h1: bool,
}

/// [`CardCounts`] for every element under `root`, from one post-order pass.
fn card_counts(root: &NodeRef) -> density::NodeMap<CardCounts> {
    let nodes: Vec<NodeRef> = root.descendants_it().collect();
    let mut counts: density::NodeMap<CardCounts> =
        density::NodeMap::with_capacity_and_hasher(nodes.len(), Default::default());
    // Pre-order reversed visits every child before its parent.
    for node in nodes.iter().rev() {
        let own = node.query_or(CardCounts::default(), |tree_node| match &tree_node.data {
            NodeData::Text { contents } => CardCounts {
                prices: contents.chars().filter(|c| CURRENCY_SIGNS.contains(c)).count(),
                ..CardCounts::default()
            },
            NodeData::Element(element) => {
                let mut own = CardCounts::default();
                match element.name.local.as_ref() {
                    "a" => own.links = 1,
                    "h1" => own.holds_h1 = true,
                    _ => {}
                }
                own
            }
            _ => CardCounts::default(),
        });
        let entry = counts.entry(node.id).or_default();
        entry.links += own.links;
        entry.prices += own.prices;
        entry.holds_h1 |= own.holds_h1;
        let own = *entry;
        if let Some(parent) = node.parent().filter(|parent| parent.id != root.id) {
            let parent = counts.entry(parent.id).or_default();
            parent.links += own.links;
            parent.prices += own.prices;
            parent.holds_h1 |= own.holds_h1;
        }
    }
    counts
}

/// Removes grids of story cards under an article (counted): blocks holding
/// at least [`STORY_CARDS_MIN`] headings, every heading a link to another
/// page, with no more than [`STORY_CARD_MAX_CHARACTERS`] per heading (a
/// title, a date, a teaser). The teasers are not links, so the link
/// density misses such a grid. A story's own sections have headings that
/// link nowhere; never a block holding most of the root's text.
/// `measured`, the root's stats when current, serves as them and is kept current.
pub(super) fn remove_story_cards(root: &NodeRef, dropped: &mut Dropped, measured: &mut density::Measured) {
    // Each heading is judged once and counted into every block above it:
    // asking each block about its own headings would judge them once per
    // level of nesting.
    let mut heading_counts: density::NodeMap<(usize, usize)> = density::NodeMap::default();
    for heading in root.descendants_it().filter(|descendant| heading_level(descendant).is_some()) {
        let linked = usize::from(links_away(&heading));
        for block in heading.ancestors_it(None).take_while(|ancestor| ancestor.id != root.id) {
            let counts = heading_counts.entry(block.id).or_default();
            counts.0 += 1;
            counts.1 += linked;
        }
    }
    let measured_here = LazyCell::new(|| density::measure(root));
    let stats = |id: &NodeId| match measured.as_ref() {
        Some(stats) => stats.get(id).copied(),
        None => measured_here.get(id).copied(),
    };
    let total = LazyCell::new(|| stats(&root.id).map_or(0, |stats| stats.characters).max(1));
    let mut grids = Vec::new();
    let mut covered = 0;
    let mut stack = root.element_children();
    while let Some(node) = stack.pop() {
        let (headings, linked) = heading_counts.get(&node.id).copied().unwrap_or_default();
        if headings < STORY_CARDS_MIN {
            continue;
        }
        let length = stats(&node.id).map_or(0, |stats| stats.characters);
        if linked == headings && length <= headings * STORY_CARD_MAX_CHARACTERS && length * 2 < *total {
            covered += length;
            grids.push(node);
            continue;
        }
        stack.extend(node.children_it(false).filter(|child| child.is_element()));
    }
    if grids.is_empty() {
        return;
    }
    // Cards that are much of the page are what it lists: a guide's
    // chapters, a section front's stories.
    if covered as f64 >= STORY_CARDS_LISTING_SHARE * *total as f64 {
        return;
    }
    for grid in grids {
        dropped.boilerplate_elements += 1;
        density::remove_measured(&grid, measured);
    }
}

/// Whether a heading is a link to another page: it sits in a link, or a
/// link holds most of its text, and the link leaves the page (not `#…`).
fn links_away(heading: &NodeRef) -> bool {
    let leaves =
        |link: &NodeRef| link.attr("href").is_some_and(|href| !href.trim().is_empty() && !href.trim().starts_with('#'));
    let is_link = |node: &NodeRef| tag_name(node) == Some(local_name!("a"));
    if heading.ancestors_it(None).find(is_link).is_some_and(|link| leaves(&link)) {
        return true;
    }
    let length = text_length(heading);
    length > 0
        && heading.descendants_it().filter(is_link).filter(leaves).map(|link| text_length(&link)).sum::<usize>() * 2
            > length
}

/// Whether the element is an author card: one class name (or the id) naming
/// the author with a card word (`author-box`, `ArticleAuthor_wrapper`), or a
/// schema.org author holding a description.
fn is_author_card(node: &NodeRef) -> bool {
    let marked = node.query_or(false, |tree_node| {
        let NodeData::Element(element) = &tree_node.data else { return false };
        element
            .attrs
            .iter()
            .filter(|attribute| matches!(attribute.name.local, local_name!("class") | local_name!("id")))
            // A name can only hold a mark or a card name as a word if it
            // holds it at all, and only if the whole value does.
            .filter(|attribute| holds_an_author_word(&attribute.value))
            .flat_map(|attribute| attribute.value.split_whitespace())
            .filter(|name| holds_an_author_word(name))
            .any(|name| {
                let words = name_words(name);
                words.iter().any(|word| AUTHOR_CARD_NAMES.contains(&word.as_str()))
                    || words.iter().any(|word| AUTHOR_MARKS.contains(&word.as_str()))
                        && words.iter().any(|word| AUTHOR_CARD_WORDS.contains(&word.as_str()))
            })
    });
    marked
        || node.attr("itemprop").is_some_and(|value| value.split_whitespace().any(|v| v == "author"))
            && node.descendants_it().any(|descendant| {
                descendant.attr("itemprop").is_some_and(|value| value.split_whitespace().any(|v| v == "description"))
            })
}

/// Whether `text` holds an author mark or card name anywhere, in any case.
fn holds_an_author_word(text: &str) -> bool {
    holds_any_ignoring_case(text, &[AUTHOR_MARKS, AUTHOR_CARD_NAMES])
}

/// Whether `text` holds any of the `lists`' words (lower-case ASCII)
/// anywhere, ignoring ASCII case: one pass, compared only where a word's
/// first letter occurs.
fn holds_any_ignoring_case(text: &str, lists: &[&[&str]]) -> bool {
    let words = || lists.iter().flat_map(|list| list.iter()).map(|word| word.as_bytes());
    let first_letters = words().filter_map(|word| word.first()).fold(0u128, |set, &byte| set | 1 << (byte & 127));
    let text = text.as_bytes();
    text.iter().enumerate().any(|(at, byte)| {
        let lower = byte.to_ascii_lowercase();
        lower.is_ascii()
            && first_letters & 1 << lower != 0
            && words().any(|word| {
                word.first() == Some(&lower)
                    && text.len() - at >= word.len()
                    && text[at + 1..at + word.len()].eq_ignore_ascii_case(&word[1..])
            })
    })
}

/// A class name's words, lower case: split at punctuation and where a
/// lower-case letter meets a capital (`ArticleAuthor_wrapper` is "article",
/// "author", "wrapper").
fn name_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut previous_lower = false;
    for character in name.chars() {
        if !character.is_ascii_alphanumeric() {
            previous_lower = false;
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            continue;
        }
        if character.is_ascii_uppercase() && previous_lower && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        previous_lower = character.is_ascii_lowercase();
        word.push(character.to_ascii_lowercase());
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// Removes what a forum adds around each post (elements marked with
/// [`FORUM_POST_EXTRAS`]: signatures, ranks, counters, Like/Reply bars;
/// and schema.org's `itemprop=interactionStatistic`: like counts),
/// counted, but never one naming a post's author: Q&A sites call the card
/// with the asker's name and the date a "post-signature".
pub(super) fn remove_post_extras(root: &NodeRef, dropped: &mut Dropped) {
    let total = LazyCell::new(|| text_length(root).max(1));
    let mut stack = root.element_children();
    while let Some(node) = stack.pop() {
        // schema.org's interaction statistics: "1 Like", "12 replies".
        let statistic = node.attr("itemprop").is_some_and(|itemprop| itemprop.trim() == "interactionStatistic");
        if (statistic || marked_with(&node, &POST_EXTRAS)) && text_length(&node) * 2 < *total && !names_an_author(&node)
        {
            dropped.boilerplate_elements += 1;
            node.remove_from_parent();
            continue;
        }
        stack.extend(node.children_it(false).filter(|child| child.is_element()));
    }
}

/// Removes quotations of posts shown on the same page (counted): a reply
/// quoting an earlier post repeats it. A quotation is recognised by its
/// longest run of text, when that run appears outside every quotation;
/// a quotation of something not on the page stays.
pub(super) fn remove_quoted_posts(root: &NodeRef, dropped: &mut Dropped) {
    let is_quote = |node: &NodeRef| tag_name(node) == Some(local_name!("blockquote"));
    let fold = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut outside = String::new();
    let mut quotes = Vec::new();
    let mut stack = vec![*root];
    while let Some(node) = stack.pop() {
        if node.is_text() {
            outside.push_str(&fold(&node.text()));
            outside.push(' ');
        } else if is_quote(&node) {
            quotes.push(node);
        } else {
            stack.extend(node.children_it(true));
        }
    }
    for quote in quotes {
        let longest = quote
            .descendants_it()
            .filter(NodeRef::is_text)
            .map(|text| fold(&text.text()))
            .max_by_key(String::len)
            .unwrap_or_default();
        let probe: String = longest.chars().take(QUOTE_PROBE_CHARACTERS).collect();
        if probe.chars().count() >= QUOTE_PROBE_MIN_CHARACTERS && outside.contains(&probe) {
            dropped.boilerplate_elements += 1;
            quote.remove_from_parent();
        }
    }
}

/// Removes the prompts a forum shows guests instead of a reply box ("You
/// must log in or register to reply here", "Create an account or sign in
/// to comment"): each link to a sign-in or sign-up page ([`SIGN_IN_PATHS`])
/// that says so ([`SIGN_IN_WORDS`]) and stands alone, not inside a
/// sentence, with the largest wrapper around it
/// that holds no more than [`SIGN_IN_PROMPT_MAX_CHARACTERS`] (counted).
pub(super) fn remove_sign_in_prompts(root: &NodeRef, dropped: &mut Dropped) {
    let links: Vec<NodeRef> = root
        .descendants_it()
        .filter(|node| tag_name(node) == Some(local_name!("a")))
        .filter(|link| {
            let href = link.attr("href").unwrap_or_default().to_ascii_lowercase();
            let text = link.text().to_lowercase();
            SIGN_IN_PATHS.iter().any(|path| href.contains(path)) && SIGN_IN_WORDS.iter().any(|word| text.contains(word))
        })
        // A prompt is a button on its own; a link inside a sentence is a post's.
        .filter(|link| {
            !link.parent().is_some_and(|parent| {
                parent.children_it(false).any(|sibling| sibling.is_text() && !sibling.text().trim().is_empty())
            })
        })
        .collect();
    for link in links {
        // An earlier prompt's removal may have taken this link along.
        if !link.ancestors_it(None).any(|ancestor| ancestor.id == root.id) {
            continue;
        }
        let mut prompt = link;
        while let Some(parent) = prompt.parent() {
            if parent.id == root.id || text_length(&parent) > SIGN_IN_PROMPT_MAX_CHARACTERS {
                break;
            }
            prompt = parent;
        }
        dropped.boilerplate_elements += 1;
        prompt.remove_from_parent();
    }
}

/// Removes the member statistics a forum prints beside each post ("Posts:
/// 710", "Joined 2002", "Registered: 2016-07-02", "25,064 posts"): small
/// elements whose whole text is a label from [`MEMBER_STAT_LABELS`] and a
/// number or date, either way round (counted).
pub(super) fn remove_member_stats(root: &NodeRef, dropped: &mut Dropped) {
    let stats = density::measure(root);
    let mut stack = root.element_children();
    while let Some(node) = stack.pop() {
        let small = stats.get(&node.id).is_some_and(|stats| stats.characters <= MEMBER_STAT_MAX_CHARACTERS);
        if small && is_member_stat(&node.text()) {
            dropped.boilerplate_elements += 1;
            node.remove_from_parent();
            continue;
        }
        stack.extend(node.children_it(false).filter(|child| child.is_element()));
    }
}

/// "Posts: 710", "Joined Feb 8, 2023", "410 posts": a member statistic's label and its value.
fn is_member_stat(text: &str) -> bool {
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let is_number = |word: &str| {
        !word.is_empty()
            && word.chars().all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | 'k' | 'm'))
            && word.starts_with(|c: char| c.is_ascii_digit())
    };
    MEMBER_STAT_LABELS.iter().any(|label| {
        let label_first = folded.strip_prefix(label).is_some_and(|rest| {
            let value = rest.trim_start_matches(':').trim();
            rest.starts_with([':', ' '])
                && value.starts_with(|c: char| c.is_alphanumeric())
                && value.contains(|c: char| c.is_ascii_digit())
        });
        let number_first = folded.strip_suffix(label).is_some_and(|rest| rest.ends_with(' ') && is_number(rest.trim()));
        label_first || number_first
    })
}

/// The share of `node`'s text in links that name another page, leaving out
/// links that read as web addresses ("https://…", "www.…"): pasted into a
/// post, an address is what the post says, where a list of other pages
/// names them by title.
pub(super) fn titled_link_share(node: &NodeRef) -> f64 {
    let total = text_length(node).max(1);
    let titled: usize = node
        .descendants_it()
        .filter(|node| tag_name(node) == Some(local_name!("a")))
        .filter(|link| {
            let text = link.text();
            let text = text.trim().to_ascii_lowercase();
            !(text.starts_with("http://") || text.starts_with("https://") || text.starts_with("www."))
        })
        .map(|link| text_length(&link))
        .sum();
    titled as f64 / total as f64
}

/// Whether `node` holds an author: schema.org's `itemprop=author`,
/// `rel=author`, or a link to a member's profile ([`PROFILE_PATHS`]) that
/// reads as a name.
fn names_an_author(node: &NodeRef) -> bool {
    node.descendants_it().filter(NodeRef::is_element).any(|descendant| {
        let has_word = |attribute: &str, word: &str| {
            descendant
                .attr(attribute)
                .is_some_and(|value| value.split_whitespace().any(|w| w.eq_ignore_ascii_case(word)))
        };
        has_word("itemprop", "author")
            || has_word("rel", "author")
            || tag_name(&descendant) == Some(local_name!("a"))
                && descendant.attr("href").is_some_and(|href| {
                    let href = href.to_ascii_lowercase();
                    PROFILE_PATHS.iter().any(|path| href.contains(path))
                })
                // A name, not a counter linked to the profile ("Trophy points: 5")
                // or an avatar's initial.
                && descendant.text().chars().any(char::is_alphabetic)
                && descendant.text().chars().filter(|c| c.is_alphanumeric()).count() >= 2
    })
}

/// Which pictures [`remove_images`] drops.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum WhichImages {
    /// Every picture (a listing's: each item's picture repeats its title).
    All,
    /// Pictures inside links: thumbnails and buttons for other pages, whose
    /// alt text repeats the link's label or describes another page.
    Linked,
}

/// Removes pictures, so their alt text does not reach the Markdown.
pub(super) fn remove_images(root: &NodeRef, which: WhichImages) {
    let images: Vec<NodeRef> = root
        .descendants_it()
        .filter(|node| tag_name(node) == Some(local_name!("img")))
        .filter(|node| {
            which == WhichImages::All || node.ancestors_it(None).any(|a| tag_name(&a) == Some(local_name!("a")))
        })
        .collect();
    for image in images {
        image.remove_from_parent();
    }
}

/// Removes a listing's controls (filters, facets, sort bars, pagination:
/// elements marked with [`LISTING_CONTROLS`]), but never a wrapper that
/// also holds the items, which shows in its headings (most of the root's)
/// or in its text (most of the root's).
pub(super) fn remove_listing_controls(root: &NodeRef, dropped: &mut Dropped) {
    let headings = |node: &NodeRef| node.descendants_it().filter(|d| heading_level(d).is_some()).count();
    let total = LazyCell::new(|| text_length(root).max(1));
    let total_headings = LazyCell::new(|| headings(root));
    let mut stack = root.element_children();
    while let Some(node) = stack.pop() {
        if marked_with(&node, &LISTING_CONTROL_WORDS)
            && text_length(&node) * 2 < *total
            && headings(&node) * 2 <= *total_headings
        {
            dropped.boilerplate_elements += 1;
            node.remove_from_parent();
            continue;
        }
        stack.extend(node.children_it(false).filter(|child| child.is_element()));
    }
}

/// A list of class words (from `tunables`, lowercase ASCII letters and
/// digits) with, for each first character, a bit set for each length a
/// word starting with it has: nearly every word of a `class` value is
/// rejected by its first byte and length alone, without comparing it to
/// the list (this runs on every element, in several passes, and Tailwind
/// pages carry class values of hundreds of bytes).
#[derive(Clone, Copy)]
pub(super) struct ClassWords {
    words: &'static [&'static str],
    lengths_by_first: [u64; 36],
    /// For each first character, a bit set for each word (by its index) starting with it.
    words_by_first: [u64; 36],
}

impl ClassWords {
    pub(super) const fn new(words: &'static [&'static str]) -> Self {
        assert!(words.len() <= 64, "ClassWords: a list of at most 64 words");
        let mut lengths_by_first = [0; 36];
        let mut words_by_first = [0; 36];
        let mut at = 0;
        while at < words.len() {
            let word = words[at].as_bytes();
            if !word.is_empty() {
                lengths_by_first[first_slot(word[0])] |= length_bit(word.len());
                words_by_first[first_slot(word[0])] |= 1 << at;
            }
            at += 1;
        }
        Self { words, lengths_by_first, words_by_first }
    }

    /// Whether `word` (ASCII letters and digits, not empty, its first
    /// byte's [`first_slot`] `slot`) is in the list, ignoring ASCII case:
    /// compared only with the words that start with the same character.
    fn holds(&self, slot: u8, word: &[u8]) -> bool {
        let slot = usize::from(slot);
        if self.lengths_by_first[slot] & length_bit(word.len()) == 0 {
            return false;
        }
        let mut candidates = self.words_by_first[slot];
        while candidates != 0 {
            let at = candidates.trailing_zeros() as usize;
            candidates &= candidates - 1;
            if word.eq_ignore_ascii_case(self.words[at].as_bytes()) {
                return true;
            }
        }
        false
    }
}

/// The slot of a word's first byte (an ASCII letter, either case, or digit) in [`ClassWords`]' table.
const fn first_slot(byte: u8) -> usize {
    match byte {
        b'a'..=b'z' => (byte - b'a') as usize,
        b'A'..=b'Z' => (byte - b'A') as usize,
        _ => 26 + (byte % 10) as usize,
    }
}

/// The bit standing for words of `length` bytes (all of 63 and more share one).
const fn length_bit(length: usize) -> u64 {
    1 << if length < 63 { length } else { 63 }
}

const BOILERPLATE: ClassWords = ClassWords::new(BOILERPLATE_WORDS);
const CONSENT: ClassWords = ClassWords::new(CONSENT_WORDS);
const OTHER_PAGES: ClassWords = ClassWords::new(OTHER_PAGES_WORDS);
const CAROUSELS: ClassWords = ClassWords::new(PRODUCT_CAROUSELS);
const POST_EXTRAS: ClassWords = ClassWords::new(FORUM_POST_EXTRAS);
const LISTING_CONTROL_WORDS: ClassWords = ClassWords::new(LISTING_CONTROLS);
pub(super) const COMMENTS: ClassWords = ClassWords::new(super::tunables::COMMENT_WORDS);
pub(super) const FINE_PRINT: ClassWords = ClassWords::new(super::tunables::FINE_PRINT_WORDS);
pub(super) const PRODUCT_EXTRA_WORDS: ClassWords = ClassWords::new(super::tunables::PRODUCT_EXTRAS);

/// Whether the element's `class` or `id` holds one of `words` as a whole
/// hyphen/underscore-separated word.
fn marked_with(node: &NodeRef, words: &ClassWords) -> bool {
    node.query_or(false, |tree_node| {
        let NodeData::Element(element) = &tree_node.data else { return false };
        element
            .attrs
            .iter()
            .filter(|attribute| matches!(attribute.name.local, local_name!("class") | local_name!("id")))
            .any(|attribute| holds_word(&attribute.value, words))
    })
}

/// Whether `value` holds one of `words` as a whole word (a run of ASCII
/// letters and digits), ignoring ASCII case. Read as bytes: a non-ASCII
/// character only separates words, as any other non-alphanumeric does.
fn holds_word(value: &str, words: &ClassWords) -> bool {
    let bytes = value.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let slot = WORD_SLOTS[usize::from(bytes[at])];
        at += 1;
        let Some(slot) = slot else { continue };
        let start = at - 1;
        while at < bytes.len() && WORD_SLOTS[usize::from(bytes[at])].is_some() {
            at += 1;
        }
        if words.holds(slot, &bytes[start..at]) {
            return true;
        }
    }
    false
}

/// Each byte's slot in [`ClassWords`]' table ([`first_slot`]), `None` for
/// a byte that is not an ASCII letter or digit: one lookup a byte where
/// class values are scanned.
static WORD_SLOTS: [Option<u8>; 256] = {
    let mut slots = [None; 256];
    let mut byte = 0;
    while byte < 256 {
        if (byte as u8).is_ascii_alphanumeric() {
            slots[byte] = Some(first_slot(byte as u8) as u8);
        }
        byte += 1;
    }
    slots
};

/// Furniture by tag or ARIA role alone (`footer`, `nav`, `role=dialog`…), not by class words.
fn is_landmark_furniture(node: &NodeRef) -> bool {
    // Read in place: this runs on every ancestor of every paragraph.
    let (furniture_tag, furniture_role) = node.query_or((None, false), |tree_node| {
        let NodeData::Element(element) = &tree_node.data else { return (None, false) };
        let name: &str = &element.name.local;
        let tag =
            FURNITURE_TAGS.iter().any(|tag| name.eq_ignore_ascii_case(tag)).then(|| name.eq_ignore_ascii_case("form"));
        (tag, has_furniture_role(element))
    });
    furniture_tag.is_some_and(|is_form| !(is_form && is_fieldless_form(node, "form"))) || furniture_role
}

/// Whether the element's ARIA role is one of [`FURNITURE_ROLES`] (any case).
fn has_furniture_role(element: &dom_query::Element) -> bool {
    attribute(element, local_name!("role"))
        .is_some_and(|role| FURNITURE_ROLES.iter().any(|furniture| role.trim().eq_ignore_ascii_case(furniture)))
}

/// The site's footer: a `footer` or `role=contentinfo` outside any article,
/// main landmark, quotation or figure (whose footers are their own).
fn is_site_footer(node: &NodeRef) -> bool {
    (tag_name(node) == Some(local_name!("footer"))
        || node.attr("role").is_some_and(|role| role.trim().eq_ignore_ascii_case("contentinfo")))
        && !node.ancestors_it(None).any(|a| {
            matches!(
                tag_name(&a),
                Some(local_name!("article") | local_name!("main") | local_name!("blockquote") | local_name!("figure"))
            )
        })
}

/// The elements under `root` whose `class` holds a [`BOILERPLATE_WORDS`]
/// word, with that class, in document order.
fn boilerplate_classed<'a>(root: &NodeRef<'a>) -> Vec<(NodeRef<'a>, StrTendril)> {
    root.descendants_it()
        .filter_map(|node| {
            let class = node.query_or(None, |tree_node| {
                let element = tree_node.as_element()?;
                let class = element.attrs.iter().find(|attribute| attribute.name.local == local_name!("class"))?;
                holds_word(&class.value, &BOILERPLATE).then(|| class.value.clone())
            })?;
            Some((node, class))
        })
        .collect()
}

/// Whether the element is page furniture; `classed` holds the elements
/// whose `class` holds a boilerplate word ([`boilerplate_classed`]).
fn is_furniture(node: &NodeRef, classed: &density::NodeSet) -> bool {
    // The parser lowercases HTML tag names; only SVG's have capitals
    // (`clipPath`), and none of those is furniture.
    let name = tag_name(node).unwrap_or_default();
    let name: &str = &name;
    if FURNITURE_TAGS.contains(&name) && !is_fieldless_form(node, name) {
        // A quotation's or figure's footer is its attribution, not the site's.
        let attribution = name == "footer"
            && node
                .ancestors_it(None)
                .any(|ancestor| matches!(tag_name(&ancestor), Some(local_name!("blockquote") | local_name!("figure"))));
        return !attribution;
    }
    // A site header outside the article; an article's own header holds its h1.
    if name == "header"
        && !node.ancestors_it(None).any(|a| matches!(tag_name(&a), Some(local_name!("article") | local_name!("main"))))
        && node.descendants_it().all(|d| tag_name(&d) != Some(local_name!("h1")))
    {
        return true;
    }
    let furniture_role = node.query_or(false, |tree_node| match &tree_node.data {
        NodeData::Element(element) => has_furniture_role(element),
        _ => false,
    });
    if furniture_role {
        return true;
    }
    // A custom element's name says what it is, as a class does (`devsite-content-footer`, `app-sidebar`).
    let custom_element_furniture = name.contains('-')
        && name.split(|c: char| !c.is_ascii_alphanumeric()).any(|word| BOILERPLATE_WORDS.contains(&word));
    let marked = classed.contains(&node.id)
        || node.query_or(false, |tree_node| {
            tree_node
                .as_element()
                .and_then(|element| attribute(element, local_name!("id")))
                .is_some_and(|id| holds_word(id, &BOILERPLATE))
        });
    // A heading is a title, whatever its class says (`ad-listing-title`).
    (custom_element_furniture || marked) && heading_level(node).is_none()
}

/// A `form` with nothing to fill in or press (no control but hidden inputs,
/// or every control inside a hidden block) that holds a paragraph of prose
/// is not a form a reader meets but a wrapper: a forum renders each post
/// inside the form that edits it (old Reddit's `usertext`), its editor
/// hidden. A shop's compare form around its product cards, or a footer's,
/// holds no paragraph and stays furniture. `remove_hidden` marks the forms
/// whose controls it reached; `name` is the lower-cased tag.
fn is_fieldless_form(node: &NodeRef, name: &str) -> bool {
    name == "form"
        && !node.has_attr(FORM_WITH_FIELDS_MARK)
        && node.descendants_it().any(|descendant| {
            tag_name(&descendant) == Some(local_name!("p")) && text_length(&descendant) >= PARAGRAPH_MIN_CHARACTERS
        })
}

/// Whether an element is a control a reader fills in or presses: any of
/// [`FORM_CONTROLS`] or an `input` that is not hidden. `name` is its tag.
fn is_form_control(node: &NodeRef, name: &str) -> bool {
    match name {
        "input" => node.attr("type").is_none_or(|kind| !kind.trim().eq_ignore_ascii_case("hidden")),
        _ => FORM_CONTROLS.contains(&name),
    }
}

/// The attribute `remove_hidden` sets on a form whose visible controls it
/// removed (see [`is_fieldless_form`]). A page setting it itself only makes
/// its form furniture.
const FORM_WITH_FIELDS_MARK: &str = "data-pagewise-form-fields";

/// Visible characters under `node`, as [`text_length`] counts them: read
/// from `measured` (the root's stats while current) when it holds `node`.
fn characters_of(node: &NodeRef, measured: &density::Measured) -> usize {
    match measured.as_ref().and_then(|stats| stats.get(&node.id)) {
        Some(stats) => stats.characters,
        None => text_length(node),
    }
}

/// Visible characters (whitespace excluded) under `node`, counted in place
/// without building the text.
fn text_length(node: &NodeRef) -> usize {
    let count = |node: &NodeRef| {
        node.query_or(0, |tree_node| match &tree_node.data {
            NodeData::Text { contents } => density::visible_characters(contents),
            _ => 0,
        })
    };
    count(node) + node.descendants_it().map(|descendant| count(&descendant)).sum::<usize>()
}

/// Moves the page's one `h1` to the top of the content root when it lies
/// outside it and is the page's title (a question above its answers, not a
/// logo): on a forum the title is the question everything below answers.
pub(super) fn bring_in_the_title(document: &Document, root: &NodeRef, page_title: &str) {
    let headings = document.select("h1");
    let [heading] = headings.nodes() else { return };
    let inside = heading.ancestors_it(None).any(|ancestor| ancestor.id == root.id);
    let contains_root = root.ancestors_it(None).any(|ancestor| ancestor.id == heading.id);
    let fold = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let (heading_text, page_title) = (fold(&heading.text()), fold(page_title));
    let is_the_title = !heading_text.is_empty()
        && !page_title.is_empty()
        && (page_title.contains(&heading_text) && heading_text.len() * 2 >= page_title.len()
            || heading_text.contains(&page_title));
    if !inside && !contains_root && is_the_title {
        root.prepend_child(heading);
    }
}

/// Removes images whose alt text names a decoration ("Acme logo"), which
/// would otherwise be written as text, and tracking pixels.
pub(super) fn remove_decorative_images(root: &NodeRef) {
    for image in root.descendants() {
        let tiny = |side: &str| image.attr(side).and_then(|size| length(size.trim())).is_some_and(|size| size <= 2.0);
        // A 1×1 image is a tracking pixel, and its alt text a hiding place.
        if tag_name(&image) == Some(local_name!("img"))
            && (image.attr("alt").is_some_and(|alt| is_decoration(alt.trim())) || tiny("width") && tiny("height"))
        {
            image.remove_from_parent();
        }
    }
}

/// Removes pictures whose alt text repeats an earlier picture's (folded
/// spacing and case): a gallery's strip of thumbnails, or the same picture
/// once per screen size, says again what the first one said.
pub(super) fn remove_repeated_pictures(root: &NodeRef) {
    let mut seen = std::collections::HashSet::new();
    let images: Vec<NodeRef> =
        root.descendants_it().filter(|node| tag_name(node) == Some(local_name!("img"))).collect();
    for image in images {
        let alt = image.attr("alt").unwrap_or_default();
        let folded = alt.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
        if folded.chars().any(char::is_alphanumeric) && !seen.insert(folded) {
            image.remove_from_parent();
        }
    }
}

/// Removes sections introduced by a boilerplate heading ("Related posts",
/// "Leave a reply", "相关文章"…): the heading and its following siblings up
/// to the next heading of the same or a higher level (counted).
pub(super) fn remove_boilerplate_sections(root: &NodeRef, dropped: &mut Dropped) {
    let total = LazyCell::new(|| text_length(root).max(1));
    let headings: Vec<NodeRef> = root
        .descendants_it()
        .filter(|node| heading_level(node).is_some())
        .filter(|node| is_boilerplate_heading(&node.text()))
        .collect();
    for heading in headings {
        let Some(level) = heading_level(&heading) else { continue };
        // A heading alone at the end of its wrapper (`<div><h2>Related</h2></div>
        // <div>…cards…</div>`) heads what follows the wrapper: climb to it.
        let mut start = heading;
        for _ in 0..BOILERPLATE_HEADING_CLIMB {
            match start.parent() {
                Some(parent) if start.next_element_sibling().is_none() && parent.id != root.id => start = parent,
                _ => break,
            }
        }
        let mut doomed = vec![start];
        let mut next = start.next_element_sibling();
        while let Some(sibling) = next {
            let heads_a_section = heading_level(&sibling).is_some_and(|other| other <= level)
                || sibling.descendants_it().any(|node| heading_level(&node).is_some_and(|other| other <= level));
            if heads_a_section {
                break;
            }
            next = sibling.next_element_sibling();
            doomed.push(sibling);
        }
        if doomed.iter().map(text_length).sum::<usize>() * 2 >= *total {
            continue;
        }
        dropped.boilerplate_elements += 1;
        for node in doomed {
            node.remove_from_parent();
        }
    }
}

fn heading_level(node: &NodeRef) -> Option<u8> {
    match tag_name(node)? {
        local_name!("h1") => Some(1),
        local_name!("h2") => Some(2),
        local_name!("h3") => Some(3),
        local_name!("h4") => Some(4),
        local_name!("h5") => Some(5),
        local_name!("h6") => Some(6),
        _ => None,
    }
}

fn is_boilerplate_heading(text: &str) -> bool {
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let folded = folded.trim_matches(|c: char| !c.is_alphanumeric());
    if folded.is_empty() || folded.split(' ').count() > BOILERPLATE_HEADING_MAX_WORDS {
        return false;
    }
    BOILERPLATE_HEADINGS.iter().any(|phrase| folded.starts_with(phrase))
}

/// Alt text that names a decoration ("Acme logo", "star icon") rather than
/// describing a picture.
fn is_decoration(alt: &str) -> bool {
    let last = alt.rsplit(|c: char| !c.is_alphanumeric()).find(|word| !word.is_empty()).unwrap_or_default();
    DECORATION_ALT_WORDS.iter().any(|word| last.eq_ignore_ascii_case(word)) || is_file_name(alt)
}

/// Alt text that is the picture's file name or slug ("staple-tee-front",
/// "IMG_2041.jpg"), filled in by a CMS rather than written for a reader.
fn is_file_name(alt: &str) -> bool {
    let lower = alt.to_ascii_lowercase();
    let separators = alt.chars().filter(|c| matches!(c, '-' | '_')).count();
    !alt.is_empty()
        && !alt.contains(char::is_whitespace)
        && (separators >= SLUG_MIN_SEPARATORS || IMAGE_EXTENSIONS.iter().any(|extension| lower.ends_with(extension)))
}

/// Removes containers (`div`, `section`, `article`; counted) whose text
/// repeats an earlier block's text word for word: pages render a layout once
/// per screen size, or a widget or article twice, and only CSS hides the
/// copies. The first copy is kept. Linear: one post-order pass hashes every
/// element's text (spaces aside) from its children's hashes, and one
/// document-order pass keeps the first block of each text.
pub(super) fn remove_repeated_containers(root: &NodeRef, dropped: &mut Dropped) {
    const HASH_BASE: u64 = 0x100_0000_01b3;
    struct Entry<'a> {
        node: NodeRef<'a>,
        parent: usize,
        // Last index of the subtree (pre-order).
        end: usize,
        hash: u64,
        power: u64,
        length: usize,
    }
    // Pre-order list of the subtree.
    let mut entries: Vec<Entry> = Vec::new();
    let mut stack = vec![(*root, usize::MAX)];
    while let Some((node, parent)) = stack.pop() {
        let index = entries.len();
        let (mut hash, mut power, mut length) = (0u64, 1u64, 0usize);
        let is_text = node.query_or(false, |tree_node| {
            let NodeData::Text { contents } = &tree_node.data else { return false };
            for c in contents.chars().filter(|c| !c.is_whitespace()) {
                hash = hash.wrapping_mul(HASH_BASE).wrapping_add(c as u64);
                power = power.wrapping_mul(HASH_BASE);
                length += 1;
            }
            true
        });
        if !is_text && node.is_element() && !tag_name(&node).is_some_and(|name| holds_unread_text(&name)) {
            for child in node.children_it(true) {
                stack.push((child, index));
            }
        }
        entries.push(Entry { node, parent, end: index, hash, power, length });
    }
    // Post-order: each node's text is its children's, in order; children are
    // finished last to first, so each is prepended to its parent's text.
    for index in (1..entries.len()).rev() {
        let (hash, power, length, end) =
            (entries[index].hash, entries[index].power, entries[index].length, entries[index].end);
        let parent = entries[index].parent;
        let parent = &mut entries[parent];
        parent.hash = hash.wrapping_mul(parent.power).wrapping_add(parent.hash);
        parent.power = power.wrapping_mul(parent.power);
        parent.length += length;
        parent.end = parent.end.max(end);
    }
    let Some(total) = entries.first().map(|entry| entry.length) else { return };
    // Sized up front: growing the table would hash every key again.
    let mut seen: std::collections::HashMap<(u64, usize), usize> = std::collections::HashMap::with_capacity(
        entries.iter().filter(|entry| entry.length >= REPEATED_CONTAINER_MIN_CHARACTERS).count(),
    );
    // Removed at the end: the texts are compared as the page had them.
    let mut copies = Vec::new();
    let mut index = 0;
    while index < entries.len() {
        let entry = &entries[index];
        if !entry.node.is_element() || entry.length < REPEATED_CONTAINER_MIN_CHARACTERS {
            index += 1;
            continue;
        }
        let key = (entry.hash, entry.length);
        match seen.get(&key) {
            // A wrapper's only child repeats the wrapper's text: no copy.
            // Equal hashes are confirmed on the text itself: a crafted
            // page could collide a polynomial hash and hide a block.
            Some(&first)
                if !(first < index && index <= entries[first].end)
                    && matches!(
                        tag_name(&entry.node),
                        Some(local_name!("div") | local_name!("section") | local_name!("article"))
                    )
                    && (entry.length as f64) <= REPEATED_CONTAINER_MAX_SHARE * total as f64
                    && visible_text(&entries[first].node) == visible_text(&entry.node) =>
            {
                copies.push(entry.node);
                index = entry.end + 1;
                continue;
            }
            Some(_) => {}
            None => {
                seen.insert(key, index);
            }
        }
        index += 1;
    }
    for copy in copies {
        dropped.boilerplate_elements += 1;
        copy.remove_from_parent();
    }
}

/// An element's text without its whitespace (scripts and styles left out),
/// as `remove_repeated_containers` hashes it.
fn visible_text(node: &NodeRef) -> String {
    let mut text = String::new();
    let mut stack = vec![*node];
    while let Some(node) = stack.pop() {
        node.query_or((), |tree_node| match &tree_node.data {
            NodeData::Text { contents } => text.extend(contents.chars().filter(|c| !c.is_whitespace())),
            NodeData::Element(element) if !holds_unread_text(&element.name.local) => {
                stack.extend(node.children_it(true));
            }
            _ => {}
        });
    }
    text
}

/// Removes repeated blocks (counted): responsive pages often carry the same
/// hero or card twice, once per screen size, and only CSS tells them apart.
pub(super) fn remove_repeated_blocks(root: &NodeRef, dropped: &mut Dropped) {
    // Collected first: removing while the iterator borrows the tree panics.
    let blocks: Vec<NodeRef> = root
        .descendants_it()
        .filter(|node| {
            matches!(
                tag_name(node),
                Some(local_name!("p") | local_name!("li") | local_name!("blockquote") | local_name!("figcaption"))
            ) || heading_level(node).is_some()
        })
        .collect();
    // Each text's first element, and that element's parent; sized up front,
    // as growing the table would hash every text again.
    let mut seen: HashMap<String, (NodeId, Option<NodeId>)> = HashMap::with_capacity(blocks.len());
    // One buffer for every block's text, folded from its text nodes as they
    // come: building each text, then a folded copy, was most of this pass.
    let mut folded = FoldedText::default();
    for node in blocks {
        folded.clear();
        for descendant in node.descendants_it() {
            descendant.query_or((), |tree_node| {
                if let NodeData::Text { contents } = &tree_node.data {
                    folded.push(contents);
                }
            });
        }
        if folded.characters < REPEATED_BLOCK_MIN_CHARACTERS {
            continue;
        }
        let parent = node.parent().map(|parent| parent.id);
        match seen.get(folded.text.as_str()) {
            // A list item holding one paragraph repeats its own text, and a
            // refrain repeats among its siblings: neither is a duplicate.
            Some((first, first_parent))
                if parent != *first_parent && node.ancestors_it(None).all(|ancestor| ancestor.id != *first) =>
            {
                dropped.boilerplate_elements += 1;
                node.remove_from_parent();
            }
            Some(_) => {}
            None => {
                seen.insert(folded.text.clone(), (node.id, parent));
            }
        }
    }
}

/// An element's text as `split_whitespace` and `join(" ")` fold it, built
/// from its text nodes as they come: each run of whitespace one space,
/// none at either end.
#[derive(Default)]
struct FoldedText {
    text: String,
    /// Characters in `text`.
    characters: usize,
    /// Whitespace met after the last word: a space before the next one.
    space_pending: bool,
}

impl FoldedText {
    fn clear(&mut self) {
        self.text.clear();
        self.characters = 0;
        self.space_pending = false;
    }

    /// Folds in the next text node.
    fn push(&mut self, text: &str) {
        // `char::is_whitespace` on ASCII: tab to carriage return, and space.
        let is_ascii_space = |byte: &u8| matches!(byte, b'\t'..=b'\r' | b' ');
        let bytes = text.as_bytes();
        let mut at = 0;
        while let Some(&byte) = bytes.get(at) {
            let (end, characters, is_space) = if is_ascii_space(&byte) {
                (at + 1, 1, true)
            } else if byte.is_ascii() {
                // A run of ASCII that is not whitespace, found eight bytes at
                // a time and copied at once.
                let mut end = at;
                loop {
                    let Some(word) = bytes[end..].first_chunk::<8>() else {
                        end += bytes[end..].iter().take_while(|byte| byte.is_ascii() && !is_ascii_space(byte)).count();
                        break;
                    };
                    let run = byte_masks::leading_visible_ascii(byte_masks::word_of(word));
                    end += run;
                    if run < 8 {
                        break;
                    }
                }
                (end, end - at, false)
            } else {
                let character = text[at..].chars().next().unwrap_or_default();
                (at + character.len_utf8(), 1, character.is_whitespace())
            };
            if is_space {
                self.space_pending = !self.text.is_empty();
            } else {
                if std::mem::take(&mut self.space_pending) {
                    self.text.push(' ');
                    self.characters += 1;
                }
                self.text.push_str(&text[at..end]);
                self.characters += characters;
            }
            at = end;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_class_word_matches_whole_in_any_case_and_nothing_else_does() {
        const WORDS: ClassWords = ClassWords::new(&["share", "ad", "menu", "404"]);
        let cases = [
            ("post-share-bar", true),
            ("SHARE_buttons", true),
            ("x ad", true),
            ("menu", true),
            ("page-404", true),
            ("shareholder", false),
            ("ads header", false),
            ("adx readmenu", false),
            ("", false),
            ("--__  ", false),
            ("分享share分享", true),
            ("gap-4 text-[13px] sm:grid-cols-2 hover:bg-white/10 md:flex-row lg:px-8", false),
        ];
        for (value, expected) in cases {
            assert_eq!(holds_word(value, &WORDS), expected, "{value:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn a_folded_text_is_its_text_nodes_split_at_whitespace_and_joined(
            pieces in proptest::collection::vec("[ a-zA-Z09_.,\t\n\u{0B}\u{0C}\r\u{85}\u{A0}\u{3000}é中—🌊]{0,24}", 0..6)
        ) {
            let mut folded = FoldedText::default();
            pieces.iter().for_each(|piece| folded.push(piece));
            let expected = pieces.concat().split_whitespace().collect::<Vec<_>>().join(" ");
            proptest::prop_assert_eq!(&folded.text, &expected);
            proptest::prop_assert_eq!(folded.characters, expected.chars().count());
            folded.clear();
            folded.push(&pieces.concat());
            proptest::prop_assert_eq!(folded.text, expected);
        }
    }

    #[test]
    fn a_lone_interface_label_goes_whatever_its_case_and_text_nodes_but_a_word_in_a_sentence_stays() {
        let document = Document::from(
            "<main><p>Anemones close when the tide goes out.</p><span> LOADING… </span>\
             <a href=/more>Read<!-- --> More ›</a><p>Tap <b>Show more</b> to open the list.</p>\
             <span>3 Days ago</span><span>Læs mere</span></main>",
        );
        let main = document.select("main").nodes()[0];
        let mut dropped = Dropped::default();
        remove_interface_labels(&main, &mut dropped);
        let text = main.text();
        assert_eq!(dropped.boilerplate_elements, 3, "{}", main.html());
        assert!(!text.contains("LOADING") && !text.contains("Read") && !text.contains("Days"), "{text}");
        assert!(text.contains("Tap Show more to open") && text.contains("Læs mere"), "{text}");
    }

    #[test]
    fn a_block_repeated_elsewhere_goes_whatever_its_whitespace_and_text_nodes() {
        let text = "Anemones close when the tide goes out, holding water until the sea returns.";
        let spaced = text.replace(' ', " \u{A0}\n ");
        let document = Document::from(format!(
            "<main><section><p>{text}</p><p>Only once, and long enough to count as a block of its own.</p></section>\
             <aside><p> {spaced} </p><p><b>Anemones</b> close when the tide goes out, holding water until the sea returns.</p></aside>\
             <ul><li><p>{text}</p></li></ul></main>"
        ));
        let main = document.select("main").nodes()[0];
        let mut dropped = Dropped::default();
        remove_repeated_blocks(&main, &mut dropped);
        // The two copies in the aside go, and the list item that repeats it
        // (counted with the paragraph it holds, met after it).
        assert_eq!(dropped.boilerplate_elements, 4, "{}", main.html());
        assert_eq!(main.text().matches("Anemones").count(), 1, "{}", main.html());
        assert!(main.text().contains("Only once"));
    }

    /// Two different texts whose polynomial hashes (mod 2^64) collide: the
    /// Thue–Morse word and its complement, 2,048 letters each.
    fn thue_morse(flip: bool) -> String {
        (0..2048u32).map(|i| if (i.count_ones() % 2 == 1) ^ flip { 'b' } else { 'a' }).collect()
    }

    #[test]
    fn a_block_whose_hash_collides_with_an_earlier_one_is_not_taken_for_a_copy() {
        let (first, second) = (thue_morse(false), thue_morse(true));
        let document = Document::from(format!(
            "<body><main><div>{first}</div><div>{second}</div><div>{first}</div></main></body>"
        ));
        let root = document.select("main").nodes()[0];
        let mut dropped = Dropped::default();
        remove_repeated_containers(&root, &mut dropped);
        let kept: Vec<String> = root.element_children().iter().map(|div| div.text().to_string()).collect();
        assert_eq!(kept, [first, second], "the true copy goes, the collision stays");
        assert_eq!(dropped.boilerplate_elements, 1);
    }

    #[test]
    fn a_name_holds_a_word_in_any_case_anywhere_in_it() {
        for (text, expected) in [
            ("ArticleAuthor_wrapper", true),
            ("AUTHORS", true),
            ("post-autho", false),
            ("auth", false),
            ("aauthor", true),
            ("", false),
            ("x-BOX-card", true),
            ("card", false),
            ("Über-author", true),
            ("Überbox", true),
        ] {
            let lists: &[&[&str]] = &[&["author", "box"], &["about"]];
            let naive = ["author", "box", "about"].iter().any(|word| text.to_ascii_lowercase().contains(word));
            assert_eq!(holds_any_ignoring_case(text, lists), expected, "{text}");
            assert_eq!(holds_any_ignoring_case(text, lists), naive, "{text}");
        }
        // The lists it searches for are written in lower case.
        for wanted in AUTHOR_MARKS.iter().chain(AUTHOR_CARD_NAMES).chain(AUTHOR_CARD_WORDS) {
            assert_eq!(*wanted, wanted.to_ascii_lowercase());
        }
    }

    #[test]
    fn the_measured_characters_agree_with_counting_each_element() {
        let document = Document::from(
            "<body><main> <h2> Tide  pools </h2><!-- a comment --><div><p>潮池 和 沙滩\u{00A0}!</p><ul><li>a</li>\
             <li> </li><li><b>b</b>c</li></ul></div><section></section>\t\n</main></body>",
        );
        let root = document.select("main").nodes()[0];
        let measured = density::measure(&root);
        let elements: Vec<NodeRef> =
            std::iter::once(root).chain(root.descendants_it().filter(NodeRef::is_element)).collect();
        assert_eq!(elements.len(), 10);
        for element in elements {
            let characters = measured.get(&element.id).map(|stats| stats.characters);
            assert_eq!(characters, Some(text_length(&element)), "{}", element.html());
        }
    }

    #[test]
    fn the_body_stats_that_chose_the_root_serve_the_furniture_pass_as_measuring_the_root_would() {
        let html = "<body><header><nav><a href=/>Home</a> <a href=/news>News</a></nav></header>\
                    <main><h1>Tide pools</h1><p>Anemones close at low tide and open again when the water returns.</p>\
                    <aside><p>Related: <a href=/crabs>Crabs</a> <a href=/kelp>Kelp</a></p></aside>\
                    <p>Crabs hide under rocks, out of reach of the gulls that walk the pools.</p>\
                    <nav><a href=/a>Previous</a> <a href=/b>Next</a></nav></main>\
                    <footer><p>Copyright 2026, the Shore Society.</p></footer></body>";
        let run = |hand_over: bool| {
            let document = Document::from(html);
            let (root, name, measured) = main_root(&document, None);
            let root = root.expect("a root");
            assert_eq!(name, "main");
            assert!(measured.as_ref().is_some_and(|stats| stats.contains_key(&root.id)), "the body holds the root");
            let mut dropped = Dropped::default();
            let kept = remove_furniture(&Some(root), Items::None, measured.filter(|_| hand_over), &mut dropped);
            let kept = kept.expect("stats kept current");
            let sums = |stats: &density::NodeMap<density::TextStats>| {
                let mut sums: Vec<_> = std::iter::once(root)
                    .chain(root.descendants_it().filter(NodeRef::is_element))
                    .map(|node| stats.get(&node.id).map(|s| (s.characters, s.link_characters, s.links, s.words)))
                    .collect();
                sums.sort();
                sums
            };
            assert_eq!(sums(&kept), sums(&density::measure(&root)), "the stats handed on are current");
            (root.text().to_string(), dropped.boilerplate_elements, sums(&kept))
        };
        let (handed_over, measured_here) = (run(true), run(false));
        assert!(!handed_over.0.contains("Previous") && handed_over.0.contains("gulls"), "{}", handed_over.0);
        assert_eq!(handed_over, measured_here);
    }

    #[test]
    fn a_site_footer_goes_even_when_it_holds_most_of_the_text_but_not_when_it_is_all_there_is() {
        let notes = "1. Testing conducted in July using preproduction units; results may vary by region. ".repeat(12);
        let page =
            "<p>Noise cancellation twice as strong, a heart rate sensor and eight hours of listening per charge.</p>"
                .repeat(6);
        let run = |html: String| {
            let document = Document::from(html);
            let root = document.body();
            let mut dropped = Dropped::default();
            remove_furniture(&root, Items::None, None, &mut dropped);
            (root.map(|root| root.text().to_string()).unwrap_or_default(), dropped.boilerplate_elements)
        };
        let (text, dropped) = run(format!("<body><div>{page}</div><footer><ol><li>{notes}</li></ol></footer></body>"));
        assert!(text.contains("heart rate sensor") && !text.contains("preproduction"), "{text}");
        assert_eq!(dropped, 1);
        let (text, dropped) = run(format!("<body><p>Buy</p><footer><ol><li>{notes}</li></ol></footer></body>"));
        assert!(text.contains("preproduction"), "{text}");
        assert_eq!(dropped, 0);
    }
}
