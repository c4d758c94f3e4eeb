//! Long pages cut into chunks that each fit a token budget, along the page's sections, for retrieval.
//!
//! [`chunk_markdown`] walks the sections extraction found (heading paths and
//! byte offsets into the Markdown) and packs them into [`Chunk`]s: small
//! adjacent sections merge while they fit, a section that fits is never
//! split, and a section over the budget is cut at paragraph boundaries
//! (blank lines), else at line ends, else between characters. The chunks
//! are in order and tile the Markdown exactly: concatenating their texts
//! gives it back. Costs are [`estimate_tokens`]'s.

use crate::budget::{estimate_tokens, MAX_CHARACTER_TOKENS};
use crate::extract::Section;

/// A piece of a page's Markdown, within the budget it was cut for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chunk {
    /// Its position among the page's chunks, from 0.
    pub index: usize,
    /// The heading path of the first section it holds (empty for text
    /// before the first heading).
    pub heading_path: Vec<String>,
    /// Byte offset in the Markdown where it starts.
    pub start: usize,
    /// Byte offset where it ends (exclusive): the next chunk's start.
    pub end: usize,
    /// `markdown[start..end]`.
    pub text: String,
    /// Its estimated tokens.
    pub tokens: u32,
}

/// Cuts `markdown` into chunks of at most `budget_tokens` estimated tokens
/// (a budget under [`MAX_CHARACTER_TOKENS`], the most one character costs,
/// counts as that), along `sections`.
///
/// Sections are read by their `start` offsets: each runs to the next one's
/// start (or the end of the text), text before the first one belongs to a
/// section with an empty path, and offsets that are not character
/// boundaries inside the text are ignored. With no sections, the whole text
/// is one section with an empty path. An empty text has no chunks.
pub fn chunk_markdown(markdown: &str, sections: &[Section], budget_tokens: u32) -> Vec<Chunk> {
    let budget = budget_tokens.max(MAX_CHARACTER_TOKENS) as usize;
    let mut packer = Packer { markdown, budget, chunks: Vec::new(), open: None };
    for (start, end, heading_path) in spans(markdown, sections) {
        let cost = estimate_tokens(&markdown[start..end]);
        if cost > budget {
            packer.close();
            let pieces = split(markdown, start, end, budget, Level::Paragraph);
            let last = pieces.len().saturating_sub(1);
            for (number, (piece_start, piece_end)) in pieces.into_iter().enumerate() {
                packer.open = Some(Open { start: piece_start, end: piece_end, heading_path: heading_path.to_vec() });
                // The last piece stays open: following small sections may join it.
                if number < last {
                    packer.close();
                }
            }
        } else {
            packer.add(start, end, heading_path);
        }
    }
    packer.close();
    packer.chunks
}

/// The sections as contiguous `(start, end, heading path)` spans covering
/// the whole text, in order.
fn spans<'a>(markdown: &str, sections: &'a [Section]) -> Vec<(usize, usize, &'a [String])> {
    let mut starts: Vec<(usize, &[String])> = sections
        .iter()
        .filter(|section| section.start < markdown.len() && markdown.is_char_boundary(section.start))
        .map(|section| (section.start, section.heading_path.as_slice()))
        .collect();
    // Stable: of two sections at one offset, the first given wins.
    starts.sort_by_key(|&(start, _)| start);
    starts.dedup_by_key(|&mut (start, _)| start);
    if starts.first().is_none_or(|&(start, _)| start > 0) && !markdown.is_empty() {
        starts.insert(0, (0, &[]));
    }
    let ends = starts.iter().skip(1).map(|&(start, _)| start).chain([markdown.len()]);
    starts.iter().zip(ends).map(|(&(start, path), end)| (start, end, path)).collect()
}

/// The chunks so far and the one still growing.
struct Packer<'a> {
    markdown: &'a str,
    budget: usize,
    chunks: Vec<Chunk>,
    open: Option<Open>,
}

/// A chunk still taking sections.
struct Open {
    start: usize,
    end: usize,
    heading_path: Vec<String>,
}

impl Packer<'_> {
    /// Adds a section that fits the budget: to the open chunk when both fit
    /// together, else as the start of a new one.
    fn add(&mut self, start: usize, end: usize, heading_path: &[String]) {
        if let Some(open) = &mut self.open {
            if estimate_tokens(&self.markdown[open.start..end]) <= self.budget {
                open.end = end;
                return;
            }
        }
        self.close();
        self.open = Some(Open { start, end, heading_path: heading_path.to_vec() });
    }

    /// Turns the open chunk, if any, into a finished one.
    fn close(&mut self) {
        if let Some(open) = self.open.take() {
            let text = self.markdown[open.start..open.end].to_string();
            let tokens = estimate_tokens(&text) as u32;
            let index = self.chunks.len();
            self.chunks.push(Chunk {
                index,
                heading_path: open.heading_path,
                start: open.start,
                end: open.end,
                text,
                tokens,
            });
        }
    }
}

/// The boundaries a too-long text is cut at, coarsest first.
#[derive(Clone, Copy)]
enum Level {
    Paragraph,
    Line,
    Character,
}

/// Cuts `markdown[start..end]` into contiguous pieces within `budget`:
/// greedily, each piece as long as the cut points of `level` allow; a unit
/// between two cut points that alone is over the budget is cut at the next
/// finer level.
fn split(markdown: &str, start: usize, end: usize, budget: usize, level: Level) -> Vec<(usize, usize)> {
    let text = &markdown[start..end];
    let cuts: Vec<usize> = match level {
        Level::Paragraph => paragraph_starts(text),
        Level::Line => text.match_indices('\n').map(|(at, _)| at + 1).collect(),
        Level::Character => text.char_indices().map(|(at, _)| at).skip(1).collect(),
    }
    .into_iter()
    .filter(|&at| at > 0 && at < text.len())
    .map(|at| start + at)
    .chain([end])
    .collect();
    let mut pieces = Vec::new();
    let mut from = start;
    let mut next = 0; // Index in `cuts` of the first cut after `from`.
    while from < end {
        // The cost of a prefix only grows, so the furthest cut that fits is found by bisection.
        let fitting = cuts[next..].partition_point(|&cut| estimate_tokens(&markdown[from..cut]) <= budget);
        if fitting > 0 {
            let to = cuts[next + fitting - 1];
            pieces.push((from, to));
            from = to;
            next += fitting;
        } else {
            let to = cuts[next];
            match level {
                Level::Paragraph => pieces.extend(split(markdown, from, to, budget, Level::Line)),
                Level::Line => pieces.extend(split(markdown, from, to, budget, Level::Character)),
                // One character costs at most MAX_CHARACTER_TOKENS, and the budget is at least that.
                Level::Character => pieces.push((from, to)),
            }
            from = to;
            next += 1;
        }
    }
    pieces
}

/// Byte offsets in `text` where a paragraph begins after a blank line (a
/// line empty or only whitespace): the blank lines stay with the paragraph
/// before.
fn paragraph_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut offset = 0;
    let mut after_blank = false;
    for line in text.split_inclusive('\n') {
        let blank = line.trim().is_empty();
        if after_blank && !blank {
            starts.push(offset);
        }
        after_blank = blank;
        offset += line.len();
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(path: &[&str], start: usize, end: usize) -> Section {
        Section {
            heading_path: path.iter().map(|part| part.to_string()).collect(),
            level: path.len() as u8,
            start,
            end,
        }
    }

    /// The sections of Markdown whose headings are ATX lines, as extraction reports them.
    fn sections_of(markdown: &str) -> Vec<Section> {
        let mut sections = Vec::new();
        let mut path: Vec<(u8, String)> = Vec::new();
        let mut offset = 0;
        for line in markdown.split_inclusive('\n') {
            let level = line.bytes().take_while(|&byte| byte == b'#').count();
            if (1..=6).contains(&level) && line[level..].starts_with(' ') {
                if offset > 0 && sections.is_empty() {
                    sections.push(section(&[], 0, offset));
                }
                if let Some(last) = sections.last_mut() {
                    last.end = offset;
                }
                path.retain(|(outer, _)| (*outer as usize) < level);
                path.push((level as u8, line[level..].trim().to_string()));
                sections.push(Section {
                    heading_path: path.iter().map(|(_, title)| title.clone()).collect(),
                    level: level as u8,
                    start: offset,
                    end: markdown.len(),
                });
            }
            offset += line.len();
        }
        if sections.is_empty() && !markdown.is_empty() {
            sections.push(section(&[], 0, markdown.len()));
        }
        sections
    }

    /// Checks every invariant of `chunk_markdown`'s output.
    fn check(markdown: &str, sections: &[Section], budget: u32) -> Result<(), String> {
        let chunks = chunk_markdown(markdown, sections, budget);
        let mut position = 0;
        for (index, chunk) in chunks.iter().enumerate() {
            if chunk.index != index {
                return Err(format!("chunk {index} is numbered {}", chunk.index));
            }
            if chunk.start != position || chunk.end <= chunk.start {
                return Err(format!("chunk {index} spans {}..{} after {position}", chunk.start, chunk.end));
            }
            if chunk.text != markdown[chunk.start..chunk.end] {
                return Err(format!("chunk {index}'s text is not its span"));
            }
            let tokens = estimate_tokens(&chunk.text);
            if tokens != chunk.tokens as usize || tokens > budget.max(MAX_CHARACTER_TOKENS) as usize {
                return Err(format!("chunk {index} costs {tokens} (says {}), budget {budget}", chunk.tokens));
            }
            let first = sections.iter().filter(|found| found.start <= chunk.start).max_by_key(|found| found.start);
            let path = first.map(|found| found.heading_path.as_slice()).unwrap_or_default();
            if chunk.heading_path != path {
                return Err(format!("chunk {index} has path {:?}, its first section {path:?}", chunk.heading_path));
            }
            position = chunk.end;
        }
        if position != markdown.len() {
            return Err(format!("the chunks stop at {position} of {}", markdown.len()));
        }
        if chunks.iter().map(|chunk| chunk.text.as_str()).collect::<String>() != markdown {
            return Err("the chunks do not concatenate to the text".to_string());
        }
        for found in sections {
            let holder = chunks.iter().find(|chunk| chunk.start <= found.start && found.start < chunk.end);
            let Some(holder) = holder else { continue };
            let fits = estimate_tokens(&markdown[found.start..found.end]) <= budget.max(MAX_CHARACTER_TOKENS) as usize;
            if fits && found.end > holder.end {
                return Err(format!("the section at {} fits but is split", found.start));
            }
        }
        Ok(())
    }

    #[test]
    fn small_sections_merge_while_they_fit_and_carry_the_first_path() {
        let markdown = "# A\none two\n## B\nthree\n# C\nfour five six seven\n";
        let sections = sections_of(markdown);
        assert_eq!(sections.len(), 3);
        let chunks = chunk_markdown(markdown, &sections, 1_000);
        assert_eq!(chunks.len(), 1);
        assert_eq!(chunks[0].heading_path, vec!["A".to_string()]);
        assert_eq!(chunks[0].text, markdown);
        // A budget that fits A and B together but not C too.
        let a_and_b = estimate_tokens(&markdown[..sections[2].start]) as u32;
        let chunks = chunk_markdown(markdown, &sections, a_and_b);
        assert_eq!(chunks.len(), 2);
        assert_eq!(chunks[0].end, sections[2].start);
        assert_eq!(chunks[1].heading_path, vec!["C".to_string()]);
        check(markdown, &sections, a_and_b).unwrap();
    }

    #[test]
    fn a_long_section_is_cut_at_paragraphs_then_lines_then_characters() {
        let paragraph = "word ".repeat(12); // 60 characters, 15 tokens.
        let markdown = format!("# Long\n{paragraph}\n\n{paragraph}\n\n{paragraph}\n");
        let sections = sections_of(&markdown);
        let chunks = chunk_markdown(&markdown, &sections, 20);
        assert!(chunks.len() >= 3, "{chunks:#?}");
        for chunk in &chunks[1..] {
            assert!(chunk.text.starts_with("word"), "cut at a paragraph: {:?}", chunk.text);
            assert_eq!(chunk.heading_path, vec!["Long".to_string()]);
        }
        check(&markdown, &sections, 20).unwrap();

        let lines = "line of text\n".repeat(10);
        let chunks = chunk_markdown(&lines, &[], 8);
        assert!(chunks.iter().all(|chunk| chunk.text.ends_with('\n')), "{chunks:#?}");
        check(&lines, &[], 8).unwrap();

        let cjk = "潮池里有海星和海葵".repeat(5);
        let chunks = chunk_markdown(&cjk, &[], 16);
        assert_eq!(chunks.len(), estimate_tokens(&cjk).div_ceil(15), "{chunks:#?}");
        assert!(chunks.iter().all(|chunk| chunk.tokens <= 16));
        check(&cjk, &[], 16).unwrap();
    }

    #[test]
    fn no_single_character_costs_more_than_the_smallest_budget() {
        let samples =
            ['a', 'Z', 'É', 'ř', '7', '#', ' ', '\n', '潮', 'ア', '한', 'Ж', 'λ', 'ع', '😀', '\u{200B}', '\u{10FFFF}'];
        for character in samples {
            let text = character.to_string();
            assert!(
                estimate_tokens(&text) <= MAX_CHARACTER_TOKENS as usize,
                "{character:?} costs {}",
                estimate_tokens(&text)
            );
        }
    }

    #[test]
    fn no_sections_is_one_section_and_empty_text_has_no_chunks() {
        let chunks = chunk_markdown("just text", &[], 100);
        assert_eq!(chunks.len(), 1);
        assert!(chunks[0].heading_path.is_empty());
        assert!(chunk_markdown("", &[], 100).is_empty());
        check("abc", &[], 0).unwrap();
    }

    #[test]
    fn text_before_the_first_section_and_bad_offsets_are_still_covered() {
        let markdown = "intro\n# Héading\nbody\n";
        let start = markdown.find('#').unwrap();
        let sections = [
            section(&["Héading"], start, markdown.len()),
            section(&["bad"], start + 4, markdown.len()),
            section(&["out"], 999, 1_000),
        ];
        let chunks = chunk_markdown(markdown, &sections, 3);
        assert!(chunks[0].heading_path.is_empty());
        assert_eq!(chunks.iter().map(|chunk| chunk.text.as_str()).collect::<String>(), markdown);
        check(markdown, &sections[..1], 3).unwrap();
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn word() -> impl Strategy<Value = String> {
            prop_oneof![
                "[a-z]{1,12}",
                "[0-9]{1,6}",
                prop::sample::select(vec!["潮池", "海星和海葵", "の", "한국어", "é", "—", "**bold**"])
                    .prop_map(String::from),
                "[\u{4E00}-\u{4E60}]{1,40}",
            ]
        }

        fn line() -> impl Strategy<Value = String> {
            prop::collection::vec(word(), 1..30).prop_map(|words| words.join(" "))
        }

        /// A heading, a paragraph of lines, or blank lines.
        fn block() -> impl Strategy<Value = String> {
            prop_oneof![
                (1usize..=4, line()).prop_map(|(level, title)| format!("{} {title}\n", "#".repeat(level))),
                prop::collection::vec(line(), 1..6).prop_map(|lines| lines.join("\n") + "\n\n"),
                prop::collection::vec(word(), 1..200).prop_map(|words| words.concat()),
                Just("\n\n\n".to_string()),
            ]
        }

        fn markdown() -> impl Strategy<Value = String> {
            prop::collection::vec(block(), 0..25).prop_map(|blocks| blocks.concat())
        }

        /// Many short sections, so that merging decides most chunks.
        fn short_sections() -> impl Strategy<Value = String> {
            let short_line = prop::collection::vec(word(), 1..6).prop_map(|words| words.join(" "));
            prop::collection::vec((1usize..=3, "[a-z]{1,8}", short_line), 1..40).prop_map(|sections| {
                sections
                    .into_iter()
                    .map(|(level, title, body)| format!("{} {title}\n{body}\n\n", "#".repeat(level)))
                    .collect()
            })
        }

        proptest! {
            #[test]
            fn chunks_tile_the_text_within_the_budget(markdown in markdown(), budget in 16u32..400) {
                let sections = sections_of(&markdown);
                prop_assert_eq!(check(&markdown, &sections, budget), Ok(()));
                prop_assert_eq!(check(&markdown, &[], budget), Ok(()));
            }

            #[test]
            fn short_sections_merge_within_the_budget(markdown in short_sections(), budget in 16u32..80) {
                prop_assert_eq!(check(&markdown, &sections_of(&markdown), budget), Ok(()));
            }
        }
    }
}
