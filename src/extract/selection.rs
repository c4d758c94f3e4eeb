//! Placing the user's selection in the extracted article: the section around it, found by its words.

use super::tunables::{SELECTION_PROBE_CHARACTERS, SELECTION_SECTION_MAX_BYTES};
use super::{Section, Selection};

/// The selection with the section that holds it. Matching ignores case,
/// punctuation, whitespace and Markdown markup, so a selection made across
/// a link or a line break still lands; when it is not in the article (it
/// sat in a sidebar), the section is `None` and the text is still given.
pub(super) fn place_selection(selected: &str, markdown: &str, sections: &[Section]) -> Option<Selection> {
    let text = selected.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return None;
    }
    let (probe, _) = word_characters(&text);
    let probe: String = probe.chars().take(SELECTION_PROBE_CHARACTERS).collect();
    let (haystack, offsets) = word_characters(markdown);
    let found = (!probe.is_empty()).then(|| haystack.find(&probe)).flatten();
    let Some(at) = found else {
        return Some(Selection { text, section_markdown: None, heading_path: Vec::new() });
    };
    // `at` is a byte index into `haystack`; count its characters to map back.
    let character_index = haystack[..at].chars().count();
    let offset = offsets.get(character_index).copied().unwrap_or(0);
    let section = sections.iter().find(|section| section.start <= offset && offset < section.end);
    let (start, end, heading_path) = match section {
        Some(section) => (section.start, section.end, section.heading_path.clone()),
        None => (0, markdown.len(), Vec::new()),
    };
    Some(Selection { text, section_markdown: Some(around(markdown, start, end, offset)), heading_path })
}

/// `markdown[start..end]`, cut to at most [`SELECTION_SECTION_MAX_BYTES`]
/// centred on `offset`, on character boundaries.
fn around(markdown: &str, start: usize, end: usize, offset: usize) -> String {
    let (mut start, mut end) = (start.min(markdown.len()), end.min(markdown.len()));
    if end - start > SELECTION_SECTION_MAX_BYTES {
        let half = SELECTION_SECTION_MAX_BYTES / 2;
        start = offset.saturating_sub(half).max(start);
        end = (start + SELECTION_SECTION_MAX_BYTES).min(end);
    }
    while !markdown.is_char_boundary(start) {
        start -= 1;
    }
    while !markdown.is_char_boundary(end) {
        end += 1;
    }
    markdown[start..end].trim().to_string()
}

/// The lower-cased letters and digits of `text`, and for each of them the
/// byte offset in `text` it came from.
fn word_characters(text: &str) -> (String, Vec<usize>) {
    let mut folded = String::with_capacity(text.len());
    let mut offsets = Vec::with_capacity(text.len());
    for (offset, character) in text.char_indices() {
        if character.is_alphanumeric() {
            for lower in character.to_lowercase() {
                folded.push(lower);
                offsets.push(offset);
            }
        }
    }
    (folded, offsets)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sections(markdown: &str) -> Vec<Section> {
        let second = markdown.find("## Care").expect("heading");
        vec![
            Section { heading_path: vec!["Pools".into()], level: 1, start: 0, end: second },
            Section { heading_path: vec!["Pools".into(), "Care".into()], level: 2, start: second, end: markdown.len() },
        ]
    }

    #[test]
    fn a_selection_across_markup_finds_its_section() {
        let markdown = "# Pools\n\nTide pools form.\n\n## Care\n\nNever *lift* rocks; put them **back**.";
        let selection = place_selection("lift rocks;\n put them back", markdown, &sections(markdown)).expect("some");
        assert_eq!(selection.text, "lift rocks; put them back");
        assert_eq!(selection.heading_path, ["Pools", "Care"]);
        assert_eq!(selection.section_markdown.as_deref(), Some("## Care\n\nNever *lift* rocks; put them **back**."));
    }

    #[test]
    fn a_selection_outside_the_article_keeps_its_text() {
        let markdown = "# Pools\n\nTide pools form.\n\n## Care\n\nText.";
        let selection = place_selection("Sidebar ad", markdown, &sections(markdown)).expect("some");
        assert_eq!(selection.section_markdown, None);
        assert_eq!(selection.text, "Sidebar ad");
        assert!(place_selection(" \n ", markdown, &[]).is_none());
    }

    #[test]
    fn cjk_selections_match_and_long_sections_are_cut_around_them() {
        let filler = "填充文字。".repeat(4000);
        let markdown = format!("# 潮池\n\n{filler}潮池里的海葵在退潮时闭合。{filler}");
        let all = vec![Section { heading_path: vec!["潮池".into()], level: 1, start: 0, end: markdown.len() }];
        let selection = place_selection("海葵在退潮时闭合", &markdown, &all).expect("some");
        let section = selection.section_markdown.expect("found");
        assert!(section.len() <= SELECTION_SECTION_MAX_BYTES && section.contains("海葵在退潮时闭合"));
    }
}
