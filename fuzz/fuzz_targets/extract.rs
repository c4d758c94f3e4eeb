//! Fuzz target: arbitrary bytes, decoded lossily, through `pagewise::extract::extract`; checks the Article's structural invariants.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pagewise::extract::{count_words, extract};
use pagewise::page::PageSnapshot;

fuzz_target!(|data: &[u8]| {
    // As the CLI and the extension see a page: bytes decoded lossily.
    let html = String::from_utf8_lossy(data).into_owned();
    // When byte 0 is odd, a run of the page's characters (where and how long
    // picked by bytes 1 and 2) is also the user's selection, so the code
    // that places a selection in the article is fuzzed too.
    let selection = match data {
        [flags, start, length, ..] if flags % 2 == 1 => {
            Some(html.chars().skip(usize::from(*start) * 8).take(usize::from(*length)).collect::<String>())
        }
        _ => None,
    };
    let snapshot =
        PageSnapshot { url: "https://fuzz.example/page.html".into(), html, selection, ..PageSnapshot::default() };
    let article = extract(&snapshot);
    let markdown = &article.markdown;

    assert_eq!(article.word_count, count_words(markdown), "word_count disagrees with count_words(markdown)");

    // Sections are ordered, non-overlapping byte ranges of the Markdown
    // that start and end on character boundaries.
    let mut previous_end = 0;
    for (index, section) in article.sections.iter().enumerate() {
        assert!(
            section.start <= section.end && section.end <= markdown.len(),
            "section {index} spans {}..{} in {} bytes",
            section.start,
            section.end,
            markdown.len()
        );
        assert!(
            markdown.is_char_boundary(section.start) && markdown.is_char_boundary(section.end),
            "section {index} ({}..{}) is not on character boundaries",
            section.start,
            section.end
        );
        assert!(section.start >= previous_end, "section {index} starts before the previous one ends");
        previous_end = section.end;
    }
});
