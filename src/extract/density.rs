//! Text and link density per element, measured in one pass, and the pruning of link-dense blocks (menus, tag clouds, "related" lists).

use super::byte_masks;
use super::parse::tag_name;
use super::tunables::{CARD_DISTINCT_TARGET_SHARE, MENU_LINK_DENSITY, MENU_MAX_WORDS_PER_LINK, RELATED_LINK_DENSITY};
use super::Dropped;
use dom_query::{local_name, NodeData, NodeId, NodeRef};
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// Hashes a `NodeId` (a small integer) with one multiplication: SipHash,
/// the default, was most of the cost of a lookup.
#[derive(Clone, Copy, Default)]
pub(super) struct NodeIdHasher(u64);

impl Hasher for NodeIdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u32(&mut self, value: u32) {
        // Fibonacci hashing: the table reads the high bits.
        self.0 = u64::from(value).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// Per-node values keyed by `NodeId`.
pub(super) type NodeMap<V> = HashMap<NodeId, V, BuildHasherDefault<NodeIdHasher>>;

/// A set of nodes, hashed as [`NodeMap`]'s keys are.
pub(super) type NodeSet = HashSet<NodeId, BuildHasherDefault<NodeIdHasher>>;

/// What one element holds: visible characters (whitespace excluded), how
/// many of them are inside links, how many links, and how many words.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct TextStats {
    pub characters: usize,
    pub link_characters: usize,
    pub links: usize,
    pub words: usize,
    pub link_words: usize,
}

impl TextStats {
    pub fn link_density(&self) -> f64 {
        if self.characters == 0 {
            0.0
        } else {
            self.link_characters as f64 / self.characters as f64
        }
    }

    fn add(&mut self, other: &TextStats) {
        self.characters += other.characters;
        self.link_characters += other.link_characters;
        self.links += other.links;
        self.words += other.words;
        self.link_words += other.link_words;
    }

    fn subtract(&mut self, other: &TextStats) {
        self.characters = self.characters.saturating_sub(other.characters);
        self.link_characters = self.link_characters.saturating_sub(other.link_characters);
        self.links = self.links.saturating_sub(other.links);
        self.words = self.words.saturating_sub(other.words);
        self.link_words = self.link_words.saturating_sub(other.link_words);
    }
}

/// A root's stats from [`measure`] while they are current, handed along the
/// passes that prune it so that none measures it again; `None` once a
/// change could not be carried into them.
pub(super) type Measured = Option<NodeMap<TextStats>>;

/// Removes `node` from the tree, keeping `measured` current, or emptying
/// it when that cannot be done (see [`take_out`]).
pub(super) fn remove_measured(node: &NodeRef, measured: &mut Measured) {
    if measured.as_mut().is_some_and(|stats| !take_out(stats, node)) {
        *measured = None;
    }
    node.remove_from_parent();
}

/// Keeps `stats` (from [`measure`]) current as `node` is about to leave
/// its place: its sums are taken from every ancestor's. `false` when they
/// cannot be: `node` was not measured, or an ancestor is a link, whose
/// sums are not plain sums (see [`measure`]).
pub(super) fn take_out(stats: &mut NodeMap<TextStats>, node: &NodeRef) -> bool {
    carry(stats, node, TextStats::subtract)
}

/// Keeps `stats` current as `node` has just been put in a new place
/// inside the measured root: its sums are added to every ancestor's. `false` as for [`take_out`].
pub(super) fn put_in(stats: &mut NodeMap<TextStats>, node: &NodeRef) -> bool {
    carry(stats, node, TextStats::add)
}

fn carry(stats: &mut NodeMap<TextStats>, node: &NodeRef, change: fn(&mut TextStats, &TextStats)) -> bool {
    let Some(own) = stats.get(&node.id).copied() else { return false };
    let mut plain_sums = true;
    for ancestor in node.ancestors_it(None) {
        plain_sums &= tag_name(&ancestor) != Some(local_name!("a"));
        if let Some(sums) = stats.get_mut(&ancestor.id) {
            change(sums, &own);
        }
    }
    plain_sums
}

/// Stats for every element under (and including) `root`, from one
/// post-order pass: children are folded into parents, so the cost is linear.
pub(super) fn measure(root: &NodeRef) -> NodeMap<TextStats> {
    /// An element being summed: its children not yet read start at `next`.
    struct Open<'a> {
        node: NodeRef<'a>,
        link: bool,
        next: Option<NodeRef<'a>>,
        sum: TextStats,
    }
    let kind_of = |node: &NodeRef| {
        node.query_or(NodeKind::Other, |tree_node| match &tree_node.data {
            NodeData::Text { contents } => NodeKind::Text(text_stats(contents)),
            NodeData::Element(element) => NodeKind::Element { link: element.name.local == local_name!("a") },
            _ => NodeKind::Other,
        })
    };
    let NodeKind::Element { link } = kind_of(root) else { return NodeMap::default() };
    // Sized for about half the tree's nodes being elements under the root:
    // growing the table moves every entry.
    let mut stats: NodeMap<TextStats> = NodeMap::with_capacity_and_hasher(root.tree.len() / 2, Default::default());
    // Depth first, each node read once in place; a finished element's sum
    // goes into its parent's, so the cost is linear.
    let mut open = vec![Open { node: *root, link, next: root.first_child(), sum: TextStats::default() }];
    while let Some(top) = open.last_mut() {
        if let Some(child) = top.next.take() {
            top.next = child.next_sibling();
            match kind_of(&child) {
                NodeKind::Text(text) => top.sum.add(&text),
                NodeKind::Element { link } => {
                    let next = child.first_child();
                    open.push(Open { node: child, link, next, sum: TextStats::default() });
                }
                NodeKind::Other => {}
            }
            continue;
        }
        let Some(done) = open.pop() else { break };
        let mut own = done.sum;
        // A link without text (an icon, a swatch) is no menu entry.
        if done.link && own.characters > 0 {
            own.link_characters = own.characters;
            own.link_words = own.words;
            own.links += 1;
        }
        stats.insert(done.node.id, own);
        if let Some(parent) = open.last_mut() {
            parent.sum.add(&own);
        }
    }
    stats
}

/// What [`measure`] needs of one node.
enum NodeKind {
    Text(TextStats),
    Element { link: bool },
    Other,
}

/// Visible characters and words of one text node, counted in one pass
/// without copying it: eight ASCII bytes at a time as one 64-bit word, and
/// only other characters decoded.
fn text_stats(text: &str) -> TextStats {
    let bytes = text.as_bytes();
    let (mut characters, mut words) = (0, 0);
    // The visibility of the character before `at`, in the top bit (where
    // a run of eight ASCII bytes leaves its last byte's).
    let mut previous = 0u64;
    let mut at = 0;
    while at < bytes.len() {
        if let Some(run) = bytes[at..].first_chunk::<8>().map(byte_masks::word_of) {
            if byte_masks::all_ascii(run) {
                let visible = byte_masks::visible_ascii(run);
                characters += visible.count_ones() as usize;
                // A word starts at a visible byte after an invisible one.
                words += byte_masks::run_starts(visible, previous).count_ones() as usize;
                previous = visible;
                at += 8;
                continue;
            }
        }
        let visible = if bytes[at].is_ascii() {
            at += 1;
            !is_ascii_space(bytes[at - 1])
        } else {
            let character = text[at..].chars().next().unwrap_or(' ');
            at += character.len_utf8();
            !character.is_whitespace()
        };
        characters += usize::from(visible);
        words += usize::from(visible && previous >> 63 == 0);
        previous = u64::from(visible) << 63;
    }
    TextStats { characters, words, ..TextStats::default() }
}

/// ASCII's `White_Space`: tab, line feed, vertical tab, form feed, carriage return, space.
const fn is_ascii_space(byte: u8) -> bool {
    byte.wrapping_sub(b'\t') < 5 || byte == b' '
}

/// Characters that are not whitespace (Unicode's `White_Space`), eight
/// bytes at a time as one 64-bit word.
pub(super) fn visible_characters(text: &str) -> usize {
    // Every character counts but whitespace. A character's first byte is
    // the one byte not of the form 10xxxxxx, so one pass counts the bytes
    // that start a character and are not ASCII whitespace, and notes any
    // non-ASCII byte.
    let bytes = text.as_bytes();
    let (runs, rest) = bytes.as_chunks::<8>();
    let (mut counted, mut all_ascii) = (0, true);
    for run in runs.iter().map(byte_masks::word_of) {
        // An ASCII byte that is not visible is whitespace.
        let ascii_space = !byte_masks::visible_ascii(run) & !run;
        counted += (byte_masks::character_starts(run) & !ascii_space).count_ones() as usize;
        all_ascii &= byte_masks::all_ascii(run);
    }
    for &byte in rest {
        counted += usize::from(byte & 0xC0 != 0x80 && !is_ascii_space(byte));
        all_ascii &= byte.is_ascii();
    }
    if all_ascii {
        return counted;
    }
    // Only the characters that may be other whitespace are decoded: all of
    // Unicode's begin with 0xC2 (U+0085, U+00A0), 0xE1 (U+1680), 0xE2
    // (U+2000–U+205F) or 0xE3 (U+3000).
    let other_whitespace = memchr::memchr3_iter(0xC2, 0xE2, 0xE3, bytes)
        .chain(memchr::memchr_iter(0xE1, bytes))
        .filter(|&at| text[at..].chars().next().is_some_and(char::is_whitespace))
        .count();
    counted - other_whitespace
}

/// Which link-dense blocks to drop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum LinkPruning {
    /// Only menus: blocks of short links (tag clouds, category lists).
    MenusOnly,
    /// Only menus, but not a shop's item cards (see [`is_item_card`]).
    OnlyMenusNotCards,
    /// Menus and lists of article links ("related", "more stories").
    MenusAndLinkLists,
}

/// The link-dense blocks inside `root` (never one holding most of the
/// root's text), and the share of the root's text they hold.
pub(super) struct LinkBlocks<'a> {
    pub blocks: Vec<NodeRef<'a>>,
    pub text_share: f64,
}

impl LinkBlocks<'_> {
    /// Drops the blocks (counted as boilerplate), keeping `measured` current.
    pub fn remove(self, dropped: &mut Dropped, measured: &mut Measured) {
        for block in self.blocks {
            dropped.boilerplate_elements += 1;
            remove_measured(&block, measured);
        }
    }
}

/// Finds the link-dense blocks to drop under `pruning`, from `measured`
/// when the caller kept [`measure`]'s stats of `root` current, else measuring.
pub(super) fn link_blocks<'a>(
    root: &NodeRef<'a>,
    pruning: LinkPruning,
    measured: Option<&NodeMap<TextStats>>,
) -> LinkBlocks<'a> {
    let measured_here;
    let stats = match measured {
        Some(stats) => stats,
        None => {
            measured_here = measure(root);
            &measured_here
        }
    };
    let total = stats.get(&root.id).map(|s| s.characters).unwrap_or(0).max(1);
    let mut blocks = Vec::new();
    let mut covered = 0;
    let mut stack: Vec<NodeRef> = root.element_children();
    while let Some(node) = stack.pop() {
        let Some(node_stats) = stats.get(&node.id) else { continue };
        if is_block_container(&node)
            && node_stats.characters * 2 < total
            && is_link_block(node_stats, pruning)
            && !(pruning == LinkPruning::OnlyMenusNotCards && is_item_card(&node))
        {
            covered += node_stats.characters;
            blocks.push(node);
            continue;
        }
        stack.extend(node.children_it(false).filter(|child| child.is_element()));
    }
    LinkBlocks { blocks, text_share: covered as f64 / total as f64 }
}

fn is_link_block(stats: &TextStats, pruning: LinkPruning) -> bool {
    if stats.links < 2 || stats.characters == 0 {
        return false;
    }
    let density = stats.link_density();
    let words_per_link = stats.link_words as f64 / stats.links as f64;
    let menu = density >= MENU_LINK_DENSITY && words_per_link <= MENU_MAX_WORDS_PER_LINK;
    menu || (pruning == LinkPruning::MenusAndLinkLists && density >= RELATED_LINK_DENSITY)
}

/// Whether a block's links repeat their targets (title, picture and price of
/// one item link to one page), which a menu's links do not.
fn is_item_card(node: &NodeRef) -> bool {
    // A story's card heads its title; a shop's card is links and a price.
    let headed = node.descendants_it().any(|descendant| {
        matches!(
            tag_name(&descendant),
            Some(
                local_name!("h1")
                    | local_name!("h2")
                    | local_name!("h3")
                    | local_name!("h4")
                    | local_name!("h5")
                    | local_name!("h6")
            )
        )
    });
    if headed {
        return false;
    }
    let mut targets: Vec<String> = Vec::new();
    let mut links = 0usize;
    for link in node.descendants_it().filter(|descendant| tag_name(descendant) == Some(local_name!("a"))) {
        // A link without text (a picture, an avatar) is no entry of either.
        let Some(href) = link.attr("href").filter(|_| !link.text().trim().is_empty()) else { continue };
        let href = href.split(['?', '#']).next().unwrap_or_default().to_string();
        if href.is_empty() {
            continue;
        }
        links += 1;
        if !targets.contains(&href) {
            targets.push(href);
        }
    }
    links >= 2 && targets.len() as f64 <= links as f64 * CARD_DISTINCT_TARGET_SHARE
}

fn is_block_container(node: &NodeRef) -> bool {
    matches!(
        tag_name(node),
        Some(
            local_name!("ul")
                | local_name!("ol")
                | local_name!("dl")
                | local_name!("div")
                | local_name!("section")
                | local_name!("table")
                | local_name!("tbody")
                | local_name!("p")
                | local_name!("header")
                | local_name!("li")
        )
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use dom_query::Document;

    proptest::proptest! {
        /// The byte loops agree with counting Unicode characters, on ASCII and beyond.
        #[test]
        fn the_fast_counts_agree_with_counting_characters(text in "[ a-z\t\n\r\x0B\x0C.é中\u{00A0}\u{00A9}\u{2003}\u{0085}\u{1680}\u{1681}\u{2028}\u{201C}\u{3000}\u{3001}\u{1F30A}]{0,60}") {
            let visible: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
            proptest::prop_assert_eq!(visible_characters(&text), visible.len());
            let stats = text_stats(&text);
            proptest::prop_assert_eq!(stats.characters, visible.len());
            proptest::prop_assert_eq!(stats.words, text.split_whitespace().count());
        }
    }

    /// Every element's stats in `stats`, as `(id, characters, link characters, links, words)` in id order.
    fn sums_of(root: &NodeRef, stats: &NodeMap<TextStats>) -> Vec<(NodeId, usize, usize, usize, usize)> {
        let mut sums: Vec<_> = std::iter::once(*root)
            .chain(root.descendants_it())
            .filter_map(|node| {
                stats.get(&node.id).map(|s| (node.id, s.characters, s.link_characters, s.links, s.words))
            })
            .collect();
        sums.sort_by_key(|sum| sum.0);
        sums
    }

    #[test]
    fn stats_kept_through_removals_and_moves_are_those_measured_afresh() {
        let document = Document::from(
            "<body><main><h1>Tide pools</h1><div><p>Anemones close <b>at low tide</b>.</p>\
             <nav><a href=/a>Home</a> <a href=/b>Guides</a></nav><aside><p>Related reading</p></aside></div>\
             <section><p>Crabs hide under rocks.</p></section></main></body>",
        );
        let root = document.select("main").nodes()[0];
        let mut stats = measure(&root);
        for gone in ["nav", "aside"] {
            let node = document.select(gone).nodes()[0];
            assert!(take_out(&mut stats, &node));
            node.remove_from_parent();
        }
        let (heading, section) = (document.select("h1").nodes()[0], document.select("section").nodes()[0]);
        assert!(take_out(&mut stats, &heading));
        section.prepend_child(&heading);
        assert!(put_in(&mut stats, &heading));
        assert_eq!(sums_of(&root, &stats), sums_of(&root, &measure(&root)));
    }

    #[test]
    fn stats_cannot_be_kept_through_a_removal_inside_a_link() {
        let document =
            Document::from("<body><main><a href=/x><span>Read</span> more</a><p>Text here.</p></main></body>");
        let root = document.select("main").nodes()[0];
        let mut stats = measure(&root);
        let inside_the_link = document.select("span").nodes()[0];
        assert!(!take_out(&mut stats, &inside_the_link));
        let mut measured = Some(measure(&root));
        remove_measured(&inside_the_link, &mut measured);
        assert!(measured.is_none(), "stale stats are dropped");
    }

    #[test]
    fn an_item_card_linking_title_and_price_to_one_page_is_not_a_menu() {
        let cards: String = (0..6)
            .map(|i| {
                format!(
                    "<li><div><a href=/dp/{i}>Tide Pools {i}</a><a href=/author/{i}>Ann Lee</a>\
                     <span>Paperback</span><a href=/dp/{i}?psc=1>$14.98</a></div><span>4 formats</span></li>"
                )
            })
            .collect();
        let document = Document::from(format!(
            "<body><h1>Best sellers</h1><ol>{cards}</ol>\
             <div><a href=/a>Hats</a> <a href=/b>Socks</a> <a href=/c>Scarves</a></div></body>"
        ));
        let body = document.body().unwrap();
        let menus = link_blocks(&body, LinkPruning::OnlyMenusNotCards, None);
        let texts: Vec<String> = menus.blocks.iter().map(|block| block.text().to_string()).collect();
        assert_eq!(texts.len(), 1, "{texts:?}");
        assert!(texts[0].contains("Hats"), "{texts:?}");
    }

    #[test]
    fn a_card_grid_with_colour_swatches_is_not_a_menu() {
        let swatches = "<a href=/red aria-label=Red></a><a href=/blue aria-label=Blue></a><a href=/tan></a>";
        let cards: String = (0..6)
            .map(|i| format!("<li><a href=/p{i}>Adorable striped crochet midi dress {i}</a>{swatches}</li>"))
            .collect();
        let document = Document::from(format!(
            "<body><h1>Dresses</h1><p>Casual dresses for warm days, in cotton and linen.</p><ul>{cards}</ul>\
             <div><a href=/a>Hats</a> <a href=/b>Socks</a> <a href=/c>Scarves</a></div></body>"
        ));
        let body = document.body().unwrap();
        let menus = link_blocks(&body, LinkPruning::MenusOnly, None);
        let texts: Vec<String> = menus.blocks.iter().map(|block| block.text().to_string()).collect();
        assert_eq!(texts.len(), 1, "{texts:?}");
        assert!(texts[0].contains("Hats"), "{texts:?}");
    }
}
