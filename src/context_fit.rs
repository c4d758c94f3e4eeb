//! Fitting a long page and a long chat into a model's window: what share of the page a request carries (coverage), the sections a question needs (retrieval), the parts a summary reads (map-reduce), which old turns still fit, and spotting a server that cut the prompt.
//!
//! Nothing here builds a prompt ([`crate::prompt`] does): these are the
//! decisions about sizes, made on estimated tokens, so they are cheap and
//! tested natively. The rule they serve: the model never sees less than the
//! user is told, and the user is always told.

use crate::budget::estimate_tokens;
use crate::chunk::{chunk_markdown, Chunk};
use crate::extract::Section;
use crate::retrieval::{tokenize, Bm25Index};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeSet;
use std::ops::Range;

/// Map requests a summary keeps in flight at once.
pub const MAP_CONCURRENCY: usize = 3;
/// Retrieval's unit, in estimated tokens: small enough that a question's
/// answer does not drag a whole chapter along, big enough to keep a
/// paragraph's context.
const RETRIEVAL_CHUNK_TOKENS: u32 = 400;
/// Retrieval never cuts finer than this, whatever the budget.
const MIN_RETRIEVAL_CHUNK_TOKENS: u32 = 64;
/// Characters of a section's text kept to find it in the live page when it has no heading.
const SNIPPET_CHARACTERS: usize = 80;
/// A server that reports this share of the estimated prompt or less has
/// most likely cut it (estimates run a little high, never this high).
const CUT_PROMPT_RATIO: f64 = 0.6;
/// Prompts smaller than this are never flagged: a few hundred tokens of
/// difference is tokenizer noise, not a cut.
const CUT_PROMPT_MIN_TOKENS: u32 = 512;

/// What part of the page a request carried.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Coverage {
    /// No page was in context.
    #[default]
    NoPage,
    /// All of it.
    Whole,
    /// Its beginning only (a translation of a page too long for one request).
    Head {
        /// Share of the page's tokens sent, in whole percent.
        percent: u32,
    },
    /// The sections most relevant to the question.
    Sections {
        /// Share of the page's tokens sent, in whole percent.
        percent: u32,
        /// The sections sent, most relevant first.
        sections: Vec<SectionRef>,
    },
    /// All of it, read part by part into notes that the answer was written from.
    Parts {
        /// How many parts.
        parts: u32,
    },
}

/// A section of the page that went to the model, as the panel names it and finds it again.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionRef {
    /// Its headings, outermost first (empty for the text before the first heading).
    pub heading_path: Vec<String>,
    /// The start of its text, for finding a section with no heading in the page.
    pub snippet: String,
}

impl SectionRef {
    /// Its name for people: the innermost heading, or the snippet's first words.
    pub fn label(&self) -> String {
        match self.heading_path.last() {
            Some(heading) => heading.clone(),
            None => {
                let words: Vec<&str> = self.snippet.split_whitespace().take(6).collect();
                format!("“{}…”", words.join(" "))
            }
        }
    }
}

/// The page text chosen for a question.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Retrieved {
    /// The chosen chunks in page order; a gap between two is marked `[…]`,
    /// and a chunk that starts mid-section names its section.
    pub text: String,
    /// Estimated tokens of page text in it.
    pub tokens: u32,
    /// The sections sent, those matching the question first, each once.
    pub sections: Vec<SectionRef>,
}

/// Chooses the page text for `query` within `budget` tokens: the chunks
/// BM25 ranks highest, then the page's opening (it says what the page is),
/// then the rest in page order while room is left. A query matching nothing
/// gets the page from the start.
pub fn retrieve(markdown: &str, sections: &[Section], query: &str, budget: u32) -> Retrieved {
    let chunk_budget = (budget / 4).clamp(MIN_RETRIEVAL_CHUNK_TOKENS, RETRIEVAL_CHUNK_TOKENS);
    let chunks = chunk_markdown(markdown, sections, chunk_budget);
    let texts: Vec<&str> = chunks.iter().map(|chunk| chunk.text.as_str()).collect();
    let ranked: Vec<usize> = Bm25Index::new(&texts).rank(query, chunks.len()).into_iter().map(|(at, _)| at).collect();
    let mut order = ranked.clone();
    order.extend((0..chunks.len()).filter(|at| !ranked.contains(at)));

    let mut chosen = vec![false; chunks.len()];
    let mut left = i64::from(budget);
    for at in order {
        // Each chunk may cost a label and a gap marker on top of its text.
        let cost = i64::from(chunks[at].tokens) + label_tokens(&chunks[at]);
        if cost <= left {
            chosen[at] = true;
            left -= cost;
        }
    }

    let mut text = String::new();
    let mut previous: Option<usize> = None;
    for chunk in chunks.iter().filter(|chunk| chosen[chunk.index]) {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        if previous.map_or(chunk.index > 0, |previous| chunk.index != previous + 1) {
            text.push_str("[…]\n\n");
        }
        if !chunk.text.trim_start().starts_with('#') && !chunk.heading_path.is_empty() {
            text.push_str(&format!("[From the section “{}”]\n", chunk.heading_path.join(" › ")));
        }
        text.push_str(chunk.text.trim());
        previous = Some(chunk.index);
    }
    if previous.is_some_and(|last| last + 1 < chunks.len()) {
        text.push_str("\n\n[…]");
    }

    // The sections sent, those sharing the most terms with the question
    // first (a chunk can hold several), then by their chunk's rank.
    let query_terms: BTreeSet<String> = tokenize(query).into_iter().collect();
    let matched = ranked.iter().copied().filter(|&at| chosen[at]);
    let rest = (0..chunks.len()).filter(|&at| chosen[at] && !ranked.contains(&at));
    let mut scored: Vec<(usize, SectionRef)> = Vec::new();
    for at in matched.chain(rest) {
        for (reference, text) in sections_in(markdown, sections, &chunks[at]) {
            let known = scored.iter().any(|(_, known)| {
                known.heading_path == reference.heading_path
                    && (!known.heading_path.is_empty() || known.snippet == reference.snippet)
            });
            if !known {
                let shared = tokenize(text).into_iter().collect::<BTreeSet<_>>().intersection(&query_terms).count();
                scored.push((shared, reference));
            }
        }
    }
    // Stable: equal scores keep the chunks' rank order.
    scored.sort_by_key(|(shared, _)| std::cmp::Reverse(*shared));
    let refs = scored.into_iter().map(|(_, reference)| reference).collect();
    let tokens = chunks.iter().filter(|chunk| chosen[chunk.index]).map(|chunk| chunk.tokens).sum();
    Retrieved { text, tokens, sections: refs }
}

/// What a chunk's label and gap marker may add, in estimated tokens.
fn label_tokens(chunk: &Chunk) -> i64 {
    let path: usize = chunk.heading_path.iter().map(|heading| estimate_tokens(heading) + 1).sum();
    (path + 12) as i64
}

/// The sections a chunk holds some of, in order: the one it starts in, then
/// every one that starts inside it.
/// With the part of the chunk's text each one covers.
fn sections_in<'a>(markdown: &'a str, sections: &[Section], chunk: &'a Chunk) -> Vec<(SectionRef, &'a str)> {
    let mut starts: Vec<(usize, &[String])> = vec![(chunk.start, &chunk.heading_path)];
    starts.extend(
        sections
            .iter()
            .filter(|section| section.start > chunk.start && section.start < chunk.end)
            .filter(|section| markdown.is_char_boundary(section.start))
            .map(|section| (section.start, section.heading_path.as_slice())),
    );
    let ends: Vec<usize> = starts.iter().skip(1).map(|&(start, _)| start).chain([chunk.end]).collect();
    starts
        .iter()
        .zip(ends)
        .filter_map(|(&(start, path), end)| {
            let text = markdown.get(start..end.max(start))?;
            Some((section_ref(path, text), text))
        })
        .collect()
}

fn section_ref(heading_path: &[String], text: &str) -> SectionRef {
    // The snippet is body text: past the heading line when there is one.
    let text = text.trim_start();
    let body = if text.starts_with('#') { text.split_once('\n').map_or("", |(_, rest)| rest) } else { text };
    let snippet: String =
        body.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(SNIPPET_CHARACTERS).collect();
    SectionRef { heading_path: heading_path.to_vec(), snippet }
}

/// Groups consecutive notes (by their estimated tokens) so each group's
/// total fits `budget`; a note bigger than the budget is a group of its own.
/// Every note is in exactly one group, in order.
pub fn group_notes(note_tokens: &[u32], budget: u32) -> Vec<Range<usize>> {
    let mut groups = Vec::new();
    let mut start = 0;
    let mut total = 0u64;
    for (at, &tokens) in note_tokens.iter().enumerate() {
        if at > start && total + u64::from(tokens) > u64::from(budget) {
            groups.push(start..at);
            start = at;
            total = 0;
        }
        total += u64::from(tokens);
    }
    if start < note_tokens.len() {
        groups.push(start..note_tokens.len());
    }
    groups
}

/// The first of `turn_tokens` (the conversation's turns, oldest first) to
/// keep so the kept ones fit `budget`: older turns go first, and the last
/// turn (the question being asked) is always kept.
pub fn first_kept_turn(turn_tokens: &[u32], budget: u32) -> usize {
    let mut total = 0u64;
    for (at, &tokens) in turn_tokens.iter().enumerate().rev() {
        total += u64::from(tokens);
        if total > u64::from(budget) && at + 1 < turn_tokens.len() {
            return at + 1;
        }
    }
    0
}

/// The prompt's size in tokens as the provider reports it in its usage
/// (OpenAI `prompt_tokens`, Anthropic `input_tokens` plus cache reads,
/// Gemini `promptTokenCount`; Ollama's is mapped to `prompt_tokens` when decoded).
pub fn reported_prompt_tokens(usage: &Value) -> Option<u32> {
    let number = |key: &str| usage.get(key).and_then(Value::as_u64);
    let reported = number("prompt_tokens").or_else(|| number("promptTokenCount")).or_else(|| {
        number("input_tokens").map(|input| {
            input + number("cache_read_input_tokens").unwrap_or(0) + number("cache_creation_input_tokens").unwrap_or(0)
        })
    })?;
    u32::try_from(reported).ok()
}

/// Whether a server that read `reported` tokens of a prompt estimated at
/// `estimated` most likely cut it (as Ollama does, silently, past its `num_ctx`).
pub fn prompt_was_cut(estimated: u32, reported: u32) -> bool {
    estimated >= CUT_PROMPT_MIN_TOKENS && f64::from(reported) <= f64::from(estimated) * CUT_PROMPT_RATIO
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A page of `count` sections, each a heading and a few paragraphs of filler,
    /// with `fact` in section `fact_at`.
    fn long_page(count: usize, fact_at: usize, fact: &str) -> (String, Vec<Section>) {
        let mut markdown = String::from("# Harbour almanac\n\nA guide to the harbour and its customs.\n\n");
        let mut sections = vec![Section { heading_path: vec!["Harbour almanac".into()], level: 1, start: 0, end: 0 }];
        for number in 0..count {
            let start = markdown.len();
            let heading = format!("Chapter {number}: tides and weather");
            markdown.push_str(&format!("## {heading}\n\n"));
            for paragraph in 0..4 {
                markdown.push_str(&format!(
                    "Paragraph {paragraph} of chapter {number} describes the morning tide, the fishing boats, \
                     the gulls over the breakwater and the ferry timetable in some detail.\n\n"
                ));
            }
            if number == fact_at {
                markdown.push_str(&format!("{fact}\n\n"));
            }
            sections.push(Section {
                heading_path: vec!["Harbour almanac".into(), heading],
                level: 2,
                start,
                end: markdown.len(),
            });
        }
        (markdown, sections)
    }

    #[test]
    fn retrieval_finds_a_fact_planted_deep_in_a_long_page_and_names_its_section() {
        let fact = "The harbour pilot's code word is cormorant.";
        let (markdown, sections) = long_page(200, 170, fact);
        let retrieved = retrieve(&markdown, &sections, "What is the harbour pilot's code word?", 1_500);
        assert!(retrieved.text.contains(fact), "{}", retrieved.text);
        assert!(retrieved.tokens <= 1_500);
        assert!(estimate_tokens(&retrieved.text) <= 1_500 + 50, "labels stay within the allowance");
        assert_eq!(retrieved.sections[0].heading_path.last().unwrap(), "Chapter 170: tides and weather");
        // The opening rides along; the gaps are marked.
        assert!(retrieved.text.starts_with("# Harbour almanac"));
        assert!(retrieved.text.contains("[…]"));
    }

    #[test]
    fn retrieval_finds_chinese_facts() {
        let mut markdown = String::new();
        let mut sections = Vec::new();
        for number in 0..120 {
            let start = markdown.len();
            let heading = format!("第{number}章 潮汐与天气");
            markdown.push_str(&format!("## {heading}\n\n"));
            markdown
                .push_str("清晨的潮水、渔船、防波堤上的海鸥和渡轮时刻表在这一章都有详细描述。\n\n".repeat(5).as_str());
            if number == 97 {
                markdown.push_str("引航员的暗号是鸬鹚。\n\n");
            }
            sections.push(Section { heading_path: vec![heading], level: 2, start, end: markdown.len() });
        }
        let retrieved = retrieve(&markdown, &sections, "引航员的暗号是什么？", 800);
        assert!(retrieved.text.contains("引航员的暗号是鸬鹚"));
        assert_eq!(retrieved.sections[0].label(), "第97章 潮汐与天气");
    }

    #[test]
    fn a_query_matching_nothing_gets_the_page_from_the_start() {
        let (markdown, sections) = long_page(50, 0, "");
        let retrieved = retrieve(&markdown, &sections, "zzz qqq", 600);
        assert!(retrieved.text.starts_with("# Harbour almanac"));
        assert!(retrieved.text.ends_with("[…]"));
        assert_eq!(retrieved.sections[0].heading_path, vec!["Harbour almanac".to_string()]);
    }

    #[test]
    fn a_page_that_fits_is_retrieved_whole_and_in_order() {
        let (markdown, sections) = long_page(3, 1, "A fact.");
        let retrieved = retrieve(&markdown, &sections, "fact", 100_000);
        assert!(!retrieved.text.contains("[…]"));
        assert_eq!(retrieved.text, markdown.trim());
        assert_eq!(retrieved.sections.len(), 4);
    }

    #[test]
    fn notes_group_within_the_budget_in_order() {
        assert_eq!(group_notes(&[100, 100, 100, 100, 100], 250), vec![0..2, 2..4, 4..5]);
        assert_eq!(group_notes(&[400, 10], 250), vec![0..1, 1..2]);
        assert_eq!(group_notes(&[], 250), Vec::<Range<usize>>::new());
        assert_eq!(group_notes(&[10, 10], 250), vec![0..2]);
    }

    #[test]
    fn old_turns_go_first_and_the_question_always_stays() {
        assert_eq!(first_kept_turn(&[100, 100, 100], 1_000), 0);
        assert_eq!(first_kept_turn(&[100, 100, 100], 250), 1);
        assert_eq!(first_kept_turn(&[100, 100, 100], 150), 2);
        assert_eq!(first_kept_turn(&[100, 100, 5_000], 150), 2);
        assert_eq!(first_kept_turn(&[], 150), 0);
    }

    #[test]
    fn usage_reports_are_read_for_every_family() {
        assert_eq!(reported_prompt_tokens(&json!({"prompt_tokens": 812, "completion_tokens": 40})), Some(812));
        assert_eq!(reported_prompt_tokens(&json!({"promptTokenCount": 77})), Some(77));
        assert_eq!(
            reported_prompt_tokens(&json!({"input_tokens": 10, "cache_read_input_tokens": 900, "output_tokens": 5})),
            Some(910)
        );
        assert_eq!(reported_prompt_tokens(&json!({"completion_tokens": 40})), None);
        assert_eq!(reported_prompt_tokens(&json!({"prompt_tokens": null})), None);
    }

    #[test]
    fn a_prompt_read_far_shorter_than_sent_is_a_cut() {
        assert!(prompt_was_cut(10_000, 2_048));
        assert!(!prompt_was_cut(10_000, 9_000));
        assert!(!prompt_was_cut(300, 20), "small prompts are tokenizer noise");
    }

    #[test]
    fn a_section_without_heading_is_named_by_its_first_words() {
        let reference = SectionRef { heading_path: vec![], snippet: "One two three four five six seven".into() };
        assert_eq!(reference.label(), "“One two three four five six…”");
    }
}
