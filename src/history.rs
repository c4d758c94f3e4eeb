//! The conversation history as data: list entries, search, Markdown export, and JSON export and import.
//!
//! The history store (`platform::history_store`, IndexedDB) saves whole
//! [`Conversation`]s; everything it shows or exchanges is decided here:
//! the [`HistoryEntry`] a list row displays, [`search`] (every term must
//! match; CJK text matches as substrings, since Chinese has no spaces),
//! [`export_markdown`] for one conversation and [`export_json`] /
//! [`import_json`] for a whole history. All of it is deterministic: dates
//! are formatted from the stored epoch milliseconds, in UTC.

use crate::chat::{Conversation, Message, MessageState, Role};
use serde::{Deserialize, Serialize};

/// How many characters of the last answer a list row previews.
pub const PREVIEW_CHARS: usize = 140;

/// The `format` field of a JSON export.
pub const EXPORT_FORMAT: &str = "pagewise-history";

/// The export version this build writes, and the newest it reads.
pub const EXPORT_VERSION: u64 = 1;

/// One row of the history list: what it shows without loading the messages.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// The conversation's id (the store's key).
    pub id: String,
    /// [`Conversation::title`]: the page title, else the first question.
    pub title: String,
    /// The page's address, empty when the conversation has no page.
    pub url: String,
    /// The page's site name, when the page said.
    pub site: Option<String>,
    /// Last change, milliseconds since the Unix epoch (the list's order).
    pub updated_ms: f64,
    /// Messages from the user and the model (Pagewise's own notices are not counted).
    pub message_count: usize,
    /// The start of the last answer (else the last message), whitespace
    /// collapsed, at most [`PREVIEW_CHARS`] characters plus an ellipsis.
    pub preview: String,
}

impl HistoryEntry {
    /// The list row for a conversation.
    pub fn of(conversation: &Conversation) -> HistoryEntry {
        let page = conversation.page.as_ref();
        let said =
            || conversation.messages.iter().rev().filter(|m| m.role != Role::Notice && !m.text.trim().is_empty());
        let last = said().find(|m| m.role == Role::Assistant).or_else(|| said().next());
        HistoryEntry {
            id: conversation.id.clone(),
            title: conversation.title(),
            url: page.map(|page| page.url.trim().to_string()).unwrap_or_default(),
            site: page.map(|page| page.site.trim()).filter(|site| !site.is_empty()).map(str::to_string),
            updated_ms: conversation.updated_ms,
            message_count: said_messages(conversation).count(),
            preview: last.map(|m| clip(&collapse_whitespace(&m.text), PREVIEW_CHARS)).unwrap_or_default(),
        }
    }
}

/// Messages from the user and the model, in order (notices are Pagewise's own hints).
fn said_messages(conversation: &Conversation) -> impl Iterator<Item = &Message> {
    conversation.messages.iter().filter(|m| m.role != Role::Notice)
}

/// `text` with every run of whitespace (newlines included) turned into one space, trimmed.
pub fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first `max` characters of `text`, with `…` when something was cut.
fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((end, _)) => format!("{}…", text[..end].trim_end()),
    }
}

/// The conversations matching `query`, as list entries, most recent first.
///
/// The query is split at whitespace into terms; a conversation matches when
/// every term occurs, ignoring case, somewhere in its title, page URL, site
/// name or the text of a message from the user or the model. Terms match as
/// substrings, so a Chinese query (written without spaces) finds any
/// conversation containing it, and `cat` finds "Concatenate". An empty or
/// blank query matches everything. Ties in time are ordered by id, so the
/// order is stable.
pub fn search(conversations: &[Conversation], query: &str) -> Vec<HistoryEntry> {
    let terms = query_terms(query);
    let mut found: Vec<&Conversation> =
        conversations.iter().filter(|conversation| matches_terms(conversation, &terms)).collect();
    found.sort_by(|a, b| b.updated_ms.total_cmp(&a.updated_ms).then_with(|| a.id.cmp(&b.id)));
    found.into_iter().map(HistoryEntry::of).collect()
}

/// Whether one conversation matches `query` (see [`search`]).
pub fn matches(conversation: &Conversation, query: &str) -> bool {
    matches_terms(conversation, &query_terms(query))
}

fn query_terms(query: &str) -> Vec<String> {
    query.split_whitespace().map(str::to_lowercase).collect()
}

fn matches_terms(conversation: &Conversation, terms: &[String]) -> bool {
    if terms.is_empty() {
        return true;
    }
    let mut haystack = conversation.title();
    if let Some(page) = &conversation.page {
        for field in [&page.url, &page.site] {
            haystack.push('\n');
            haystack.push_str(field);
        }
    }
    for message in said_messages(conversation) {
        haystack.push('\n');
        haystack.push_str(&message.text);
    }
    let haystack = haystack.to_lowercase();
    terms.iter().all(|term| haystack.contains(term.as_str()))
}

/// One conversation as a Markdown document.
///
/// The title is the `# ` heading, followed by a list with the page address,
/// the site and the start and last-change times (ISO 8601, UTC). Each
/// message follows under a `**You**` or `**Pagewise**` line with its time.
/// The model's reasoning, when there is any, is a block quote before the
/// answer; a stopped, failed or interrupted answer says so in italics.
/// Pagewise's notices are left out. No HTML is produced; the messages' own
/// Markdown is kept as written.
pub fn export_markdown(conversation: &Conversation) -> String {
    let title = collapse_whitespace(&conversation.title());
    let title = if title.is_empty() { "Untitled conversation".to_string() } else { title };
    let mut out = format!("# {title}\n\n");
    if let Some(page) = &conversation.page {
        let url = page.url.trim();
        if !url.is_empty() {
            if url.contains(|c: char| c.is_whitespace() || c == '<' || c == '>') {
                out.push_str(&format!("- Page: {url}\n"));
            } else {
                out.push_str(&format!("- Page: <{url}>\n"));
            }
        }
        let site = collapse_whitespace(&page.site);
        if !site.is_empty() {
            out.push_str(&format!("- Site: {site}\n"));
        }
    }
    out.push_str(&format!("- Started: {}\n", format_utc(conversation.created_ms)));
    out.push_str(&format!("- Updated: {}\n", format_utc(conversation.updated_ms)));
    out.push('\n');
    for message in said_messages(conversation) {
        let who = if message.role == Role::User { "You" } else { "Pagewise" };
        out.push_str(&format!("---\n\n**{who}** · {}\n\n", format_utc(message.created_ms)));
        let reasoning = message.reasoning.trim();
        if !reasoning.is_empty() {
            out.push_str("> *Reasoning*\n>\n");
            for line in reasoning.lines().map(str::trim_end) {
                if line.is_empty() {
                    out.push_str(">\n");
                } else {
                    out.push_str(&format!("> {line}\n"));
                }
            }
            out.push('\n');
        }
        let text = message.text.trim();
        if !text.is_empty() {
            out.push_str(text);
            out.push_str("\n\n");
        }
        match &message.state {
            MessageState::Complete => {}
            MessageState::Streaming => out.push_str("*The answer was still arriving when this was saved.*\n\n"),
            MessageState::Stopped => out.push_str("*Stopped before the answer was finished.*\n\n"),
            MessageState::Failed { advice, .. } => {
                let advice = collapse_whitespace(advice);
                if advice.is_empty() {
                    out.push_str("*The answer failed.*\n\n");
                } else {
                    out.push_str(&format!("*The answer failed: {advice}*\n\n"));
                }
            }
        }
    }
    let end = out.trim_end().len();
    out.truncate(end);
    out.push('\n');
    out
}

/// Milliseconds since the Unix epoch as an ISO 8601 UTC time to the second
/// (`2024-02-29T23:59:59Z`); `unknown time` for values outside years 0 to 9999.
pub fn format_utc(epoch_ms: f64) -> String {
    /// Seconds from the epoch to 10000-01-01 and from 0000-01-01 to the epoch.
    const END: f64 = 253_402_300_800.0;
    const START: f64 = -62_167_219_200.0;
    let seconds = (epoch_ms / 1000.0).floor();
    if !seconds.is_finite() || !(START..END).contains(&seconds) {
        return "unknown time".to_string();
    }
    crate::calendar::iso_utc(seconds as i64)
}

/// Why a history file could not be imported.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HistoryError {
    /// The text is not JSON at all.
    #[error("the file is not valid JSON (line {line}, column {column}): {message}")]
    NotJson {
        /// Line of the first error, from 1.
        line: usize,
        /// Column of the first error, from 1.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// JSON, but not a Pagewise history export.
    #[error("the file is not a Pagewise history export (it needs \"format\": \"{EXPORT_FORMAT}\")")]
    NotHistory,
    /// An export from a newer Pagewise.
    #[error("the file is history version {0}, newer than this Pagewise reads ({EXPORT_VERSION}); update Pagewise")]
    UnsupportedVersion(u64),
    /// The `version` is missing or not a whole number.
    #[error("the export's \"version\" must be a whole number")]
    BadVersion,
    /// The `conversations` list is missing or not a list.
    #[error("the export has no \"conversations\" list")]
    NoConversations,
    /// One conversation has the wrong shape; nothing is imported.
    #[error("conversation {index} of the export (from 0) is malformed: {message}")]
    BadConversation {
        /// Its position in the list, from 0.
        index: usize,
        /// What is wrong with it.
        message: String,
    },
}

#[derive(Serialize)]
struct ExportRef<'a> {
    format: &'static str,
    version: u64,
    conversations: &'a [Conversation],
}

/// Conversations as a pretty-printed JSON export:
/// `{"format": "pagewise-history", "version": 1, "conversations": [...]}`,
/// each conversation exactly as it is stored. [`import_json`] reads it back.
pub fn export_json(conversations: &[Conversation]) -> String {
    let export = ExportRef { format: EXPORT_FORMAT, version: EXPORT_VERSION, conversations };
    // Conversations are plain structs with string keys, which always serialize
    // (a non-finite time becomes `null`, which import then reports).
    serde_json::to_string_pretty(&export).unwrap_or_default()
}

/// Reads a JSON export back into conversations, all or nothing: a file that is
/// not JSON, not a Pagewise export, from a newer version, or with any
/// malformed conversation is refused with an error saying which and where.
pub fn import_json(text: &str) -> Result<Vec<Conversation>, HistoryError> {
    let value: serde_json::Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|error| {
        HistoryError::NotJson { line: error.line(), column: error.column(), message: error.to_string() }
    })?;
    let object = value.as_object().ok_or(HistoryError::NotHistory)?;
    if object.get("format").and_then(|format| format.as_str()) != Some(EXPORT_FORMAT) {
        return Err(HistoryError::NotHistory);
    }
    let version = object.get("version").and_then(|version| version.as_u64()).ok_or(HistoryError::BadVersion)?;
    if version > EXPORT_VERSION {
        return Err(HistoryError::UnsupportedVersion(version));
    }
    let list = object.get("conversations").and_then(|list| list.as_array()).ok_or(HistoryError::NoConversations)?;
    list.iter()
        .enumerate()
        .map(|(index, value)| {
            let conversation = Conversation::deserialize(value)
                .map_err(|error| HistoryError::BadConversation { index, message: error.to_string() })?;
            if conversation.id.trim().is_empty() {
                return Err(HistoryError::BadConversation { index, message: "its \"id\" is empty".into() });
            }
            Ok(conversation)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::PageContext;

    fn page(title: &str, url: &str) -> Option<PageContext> {
        Some(PageContext { title: title.into(), url: url.into(), ..PageContext::default() })
    }

    /// A conversation with one question and one complete answer, at `at` ms.
    fn chat(id: &str, title: &str, url: &str, question: &str, answer: &str, at: f64) -> Conversation {
        let mut conversation = Conversation::new(id, at);
        conversation.page = page(title, url);
        conversation.submit(question, at + 1.0);
        let reply = conversation.start_answer(at + 2.0);
        conversation.append_content(reply, answer);
        conversation.complete(reply, at + 3.0);
        conversation
    }

    fn library() -> Vec<Conversation> {
        vec![
            chat(
                "a",
                "Rust ownership",
                "https://doc.rust-lang.org/book/ch04",
                "What is borrowing?",
                "A reference.",
                1000.0,
            ),
            chat(
                "b",
                "量子计算简介",
                "https://zhihu.com/q/1",
                "这篇文章讲了什么？",
                "它介绍了量子比特和叠加态。",
                3000.0,
            ),
            chat("c", "Cats", "https://example.com/cats", "Do cats sleep a lot?", "Yes, cats sleep 16 hours.", 2000.0),
        ]
    }

    fn ids(entries: &[HistoryEntry]) -> Vec<&str> {
        entries.iter().map(|entry| entry.id.as_str()).collect()
    }

    #[test]
    fn an_entry_shows_title_page_count_and_the_last_answer() {
        let mut conversation = chat("c1", "  Cats  ", " https://example.com/cats ", "Q?", "first", 10.0);
        conversation.page.as_mut().unwrap().site = "Example".into();
        conversation.notice("Set an API key first.", 20.0);
        conversation.submit("Follow-up?", 30.0);
        let entry = HistoryEntry::of(&conversation);
        assert_eq!(entry.id, "c1");
        assert_eq!(entry.title, "Cats");
        assert_eq!(entry.url, "https://example.com/cats");
        assert_eq!(entry.site.as_deref(), Some("Example"));
        assert_eq!(entry.updated_ms, 30.0);
        assert_eq!(entry.message_count, 3, "notices are not counted");
        assert_eq!(entry.preview, "first", "the last answer, not the later question");
    }

    #[test]
    fn the_preview_collapses_whitespace_and_is_clipped() {
        let long = format!("Line one.\n\n   Line\ttwo. {}", "字".repeat(300));
        let conversation = chat("c", "", "", "Q", &long, 0.0);
        let preview = HistoryEntry::of(&conversation).preview;
        assert!(preview.starts_with("Line one. Line two. 字字"), "{preview}");
        assert_eq!(preview.chars().count(), PREVIEW_CHARS + 1);
        assert!(preview.ends_with('…'));
        let short = chat("c", "", "", "Q", "  Short.  ", 0.0);
        assert_eq!(HistoryEntry::of(&short).preview, "Short.");
    }

    #[test]
    fn without_an_answer_the_preview_is_the_last_message() {
        let mut conversation = Conversation::new("c", 0.0);
        conversation.submit("Only a question", 1.0);
        let entry = HistoryEntry::of(&conversation);
        assert_eq!((entry.title.as_str(), entry.preview.as_str()), ("Only a question", "Only a question"));
        assert_eq!((entry.url.as_str(), entry.site.as_deref()), ("", None));
        assert_eq!(HistoryEntry::of(&Conversation::new("e", 0.0)).preview, "");
    }

    #[test]
    fn an_empty_query_lists_everything_most_recent_first() {
        assert_eq!(ids(&search(&library(), "")), ["b", "c", "a"]);
        assert_eq!(ids(&search(&library(), "  \t ")), ["b", "c", "a"]);
    }

    #[test]
    fn equal_times_are_ordered_by_id() {
        let same = vec![chat("z", "t", "", "q", "a", 5.0), chat("m", "t", "", "q", "a", 5.0)];
        assert_eq!(ids(&search(&same, "")), ["m", "z"]);
    }

    #[test]
    fn search_ignores_case_and_looks_in_title_url_and_messages() {
        let library = library();
        assert_eq!(ids(&search(&library, "RUST")), ["a"], "title");
        assert_eq!(ids(&search(&library, "zhihu.com")), ["b"], "url");
        assert_eq!(ids(&search(&library, "borrowing")), ["a"], "question");
        assert_eq!(ids(&search(&library, "16 HOURS")), ["c"], "answer");
        assert!(search(&library, "dogs").is_empty());
    }

    #[test]
    fn every_term_must_match_somewhere() {
        let library = library();
        assert_eq!(ids(&search(&library, "cats hours")), ["c"], "title and answer");
        assert_eq!(ids(&search(&library, "example.com sleep")), ["c"], "url and question");
        assert!(search(&library, "cats borrowing").is_empty(), "terms from two conversations");
        assert_eq!(ids(&search(&library, "https")), ["b", "c", "a"]);
    }

    #[test]
    fn chinese_queries_match_as_substrings() {
        let library = library();
        assert_eq!(ids(&search(&library, "量子")), ["b"], "part of the title");
        assert_eq!(ids(&search(&library, "叠加态")), ["b"], "inside an answer with no spaces");
        assert_eq!(ids(&search(&library, "量子比特 叠加")), ["b"], "two terms");
        assert!(search(&library, "量子 猫").is_empty());
        assert_eq!(ids(&search(&library, "文章")), ["b"], "inside the question");
    }

    #[test]
    fn notices_are_not_searched() {
        let mut conversation = chat("n", "t", "", "q", "a", 0.0);
        conversation.notice("Set an API key in the options.", 5.0);
        assert!(!matches(&conversation, "options"));
        assert!(matches(&conversation, "T"));
    }

    fn exported() -> Conversation {
        let mut conversation = Conversation::new("x", 1_709_251_199_000.0);
        conversation.page = Some(PageContext {
            title: "Cats\nand dogs".into(),
            url: "https://example.com/pets?a=1".into(),
            site: "Example".into(),
            ..PageContext::default()
        });
        conversation.submit("Summarize this.", 1_709_251_200_000.0);
        let answer = conversation.start_answer(1_709_251_201_000.0);
        conversation.append_reasoning(answer, "The page is about pets.\n\nKeep it short.");
        conversation.append_content(answer, "- Cats sleep.\n- Dogs bark.\n");
        conversation.complete(answer, 1_709_251_202_000.0);
        conversation.notice("A notice that is not exported.", 1_709_251_203_000.0);
        conversation.submit("More?", 1_709_251_204_000.0);
        let stopped = conversation.start_answer(1_709_251_205_000.0);
        conversation.append_content(stopped, "Half");
        conversation.stop(stopped, 1_709_251_206_000.0);
        conversation.submit("Again", 1_709_251_207_000.0);
        let failed = conversation.start_answer(1_709_251_208_000.0);
        conversation.fail(failed, "The server is busy;\nretry in 20 s.", true, 1_709_251_209_000.0);
        conversation
    }

    #[test]
    fn markdown_export_snapshot() {
        let expected = "\
# Cats and dogs

- Page: <https://example.com/pets?a=1>
- Site: Example
- Started: 2024-02-29T23:59:59Z
- Updated: 2024-03-01T00:00:09Z

---

**You** · 2024-03-01T00:00:00Z

Summarize this.

---

**Pagewise** · 2024-03-01T00:00:01Z

> *Reasoning*
>
> The page is about pets.
>
> Keep it short.

- Cats sleep.
- Dogs bark.

---

**You** · 2024-03-01T00:00:04Z

More?

---

**Pagewise** · 2024-03-01T00:00:05Z

Half

*Stopped before the answer was finished.*

---

**You** · 2024-03-01T00:00:07Z

Again

---

**Pagewise** · 2024-03-01T00:00:08Z

*The answer failed: The server is busy; retry in 20 s.*
";
        let markdown = export_markdown(&exported());
        assert_eq!(markdown, expected, "\n{markdown}");
        assert!(!markdown.contains("</") && !markdown.contains("<details"), "no HTML");
        assert_eq!(export_markdown(&exported()), markdown, "deterministic");
    }

    #[test]
    fn markdown_export_of_an_empty_conversation() {
        let markdown = export_markdown(&Conversation::new("e", 0.0));
        assert_eq!(
            markdown,
            "# Untitled conversation\n\n- Started: 1970-01-01T00:00:00Z\n- Updated: 1970-01-01T00:00:00Z\n"
        );
    }

    #[test]
    fn streaming_answers_and_odd_urls_are_exported_plainly() {
        let mut conversation = Conversation::new("s", 0.0);
        conversation.page = page("T", "https://example.com/a b");
        conversation.submit("Q", 0.0);
        let answer = conversation.start_answer(0.0);
        conversation.append_content(answer, "Part");
        let markdown = export_markdown(&conversation);
        assert!(markdown.contains("- Page: https://example.com/a b\n"), "{markdown}");
        assert!(markdown.ends_with("Part\n\n*The answer was still arriving when this was saved.*\n"), "{markdown}");
    }

    #[test]
    fn utc_dates_are_civil_dates() {
        assert_eq!(format_utc(0.0), "1970-01-01T00:00:00Z");
        assert_eq!(format_utc(-1.0), "1969-12-31T23:59:59Z");
        assert_eq!(format_utc(-1000.0), "1969-12-31T23:59:59Z");
        assert_eq!(format_utc(951_782_400_000.0), "2000-02-29T00:00:00Z");
        assert_eq!(format_utc(1_700_000_000_999.0), "2023-11-14T22:13:20Z");
        assert_eq!(format_utc(253_402_300_799_000.0), "9999-12-31T23:59:59Z");
        assert_eq!(format_utc(-62_167_219_200_000.0), "0000-01-01T00:00:00Z");
        assert_eq!(format_utc(253_402_300_800_000.0), "unknown time");
        assert_eq!(format_utc(f64::NAN), "unknown time");
        assert_eq!(format_utc(f64::NEG_INFINITY), "unknown time");
    }

    #[test]
    fn json_export_round_trips() {
        let conversations = vec![exported(), library().remove(1), Conversation::new("empty", 5.0)];
        let json = export_json(&conversations);
        assert!(json.starts_with("{\n  \"format\": \"pagewise-history\",\n  \"version\": 1,\n  \"conversations\": ["));
        let back = import_json(&json).unwrap();
        assert_eq!(back, conversations);
        assert_eq!(export_json(&back), json);
        // Message ids continue after a round trip.
        let mut again = back[0].clone();
        let last = again.messages.last().unwrap().id;
        assert!(again.submit("next", 1.0).unwrap() > last);
        assert_eq!(import_json(&export_json(&[])).unwrap(), []);
        assert_eq!(import_json(&format!("\u{feff}{json}")).unwrap().len(), 3, "a byte-order mark is fine");
    }

    #[test]
    fn import_errors_say_what_is_wrong() {
        assert!(matches!(import_json("{\n  \"format\": "), Err(HistoryError::NotJson { line: 2, .. })));
        assert_eq!(import_json("[]"), Err(HistoryError::NotHistory));
        assert_eq!(import_json(r#"{"format":"other","version":1,"conversations":[]}"#), Err(HistoryError::NotHistory));
        assert_eq!(
            import_json(r#"{"format":"pagewise-history","version":2,"conversations":[]}"#),
            Err(HistoryError::UnsupportedVersion(2))
        );
        assert_eq!(
            import_json(r#"{"format":"pagewise-history","version":"1","conversations":[]}"#),
            Err(HistoryError::BadVersion)
        );
        assert_eq!(import_json(r#"{"format":"pagewise-history","version":1}"#), Err(HistoryError::NoConversations));
        let good = serde_json::to_value(Conversation::new("ok", 1.0)).unwrap();
        let bad = serde_json::json!({"format": "pagewise-history", "version": 1,
            "conversations": [good, {"id": "x", "messages": "nope", "created_ms": 1, "updated_ms": 1}]});
        let error = import_json(&bad.to_string()).unwrap_err();
        assert!(
            matches!(&error, HistoryError::BadConversation { index: 1, message } if message.contains("messages") || message.contains("sequence")),
            "{error}"
        );
        assert!(error.to_string().starts_with("conversation 1 of the export"), "{error}");
        let blank = serde_json::json!({"format": "pagewise-history", "version": 1,
            "conversations": [{"id": " ", "messages": [], "created_ms": 1, "updated_ms": 1}]});
        assert!(matches!(import_json(&blank.to_string()), Err(HistoryError::BadConversation { index: 0, .. })));
    }
}
