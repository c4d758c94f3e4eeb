//! Separating `<think>…</think>` reasoning that models inline in their content.
//!
//! Two shapes occur: `<think>reasoning</think>answer`, and, with R1-distill
//! chat templates that put the opening tag in the prompt, `reasoning</think>answer`
//! with no opening tag. In the second case the text before the closing tag
//! has already streamed as content when the tag arrives, so the splitter says
//! so with [`StreamEvent::ContentWasReasoning`].

use super::StreamEvent;

const OPEN: &str = "<think>";
const CLOSE: &str = "</think>";

#[derive(Debug, Default, PartialEq, Eq)]
enum State {
    /// No tag seen yet.
    #[default]
    Undecided,
    /// Inside `<think>`.
    Thinking,
    /// After `</think>`: everything is answer.
    Answering,
}

/// Streams content through, diverting reasoning. Holds back at most the
/// few bytes that could be the start of a tag split across deltas.
#[derive(Debug, Default)]
pub(super) struct ThinkTagSplitter {
    state: State,
    held: String,
    emitted_content: bool,
    answer_started: bool,
}

impl ThinkTagSplitter {
    /// Feeds one content delta.
    pub(super) fn push(&mut self, delta: String, out: &mut Vec<StreamEvent>) {
        // Most deltas hold no `<` at all and nothing is held back: no tag
        // can start or end in them, so they pass without copying.
        if self.held.is_empty() && !delta.contains('<') {
            match self.state {
                State::Undecided if self.emitted_content || !delta.trim().is_empty() => {
                    self.emitted_content = true;
                    out.push(StreamEvent::Content(delta));
                    return;
                }
                State::Thinking => {
                    push_non_empty(out, StreamEvent::Reasoning, &delta);
                    return;
                }
                State::Answering if self.answer_started => {
                    out.push(StreamEvent::Content(delta));
                    return;
                }
                _ => {}
            }
        }
        let mut text = std::mem::take(&mut self.held);
        text.push_str(&delta);
        let mut rest = text.as_str();
        loop {
            match self.state {
                State::Answering => {
                    self.answer(rest, out);
                    return;
                }
                State::Undecided | State::Thinking => {
                    let thinking = self.state == State::Thinking;
                    if !thinking && !self.emitted_content {
                        let trimmed = rest.trim_start();
                        if let Some(after) = trimmed.strip_prefix(OPEN) {
                            self.state = State::Thinking;
                            rest = after;
                            continue;
                        }
                        if OPEN.starts_with(trimmed) {
                            // Only whitespace, or a tag still arriving.
                            self.held = rest.to_string();
                            return;
                        }
                    }
                    if let Some(end) = rest.find(CLOSE) {
                        // A closing tag with no opening one: what streamed as content was reasoning.
                        if !thinking && self.emitted_content {
                            out.push(StreamEvent::ContentWasReasoning);
                        }
                        push_non_empty(out, StreamEvent::Reasoning, &rest[..end]);
                        self.state = State::Answering;
                        rest = &rest[end + CLOSE.len()..];
                        continue;
                    }
                    let (now, later) = rest.split_at(rest.len() - partial_tag_at_end(rest));
                    if thinking {
                        push_non_empty(out, StreamEvent::Reasoning, now);
                    } else if !now.is_empty() {
                        self.emitted_content = true;
                        out.push(StreamEvent::Content(now.to_string()));
                    }
                    self.held = later.to_string();
                    return;
                }
            }
        }
    }

    /// Flushes whatever was held back.
    pub(super) fn finish(&mut self, out: &mut Vec<StreamEvent>) {
        let held = std::mem::take(&mut self.held);
        match self.state {
            State::Thinking => push_non_empty(out, StreamEvent::Reasoning, &held),
            State::Undecided | State::Answering => push_non_empty(out, StreamEvent::Content, &held),
        }
    }

    fn answer(&mut self, text: &str, out: &mut Vec<StreamEvent>) {
        // The answer after a reasoning block usually opens with blank lines.
        let text = if self.answer_started { text } else { text.trim_start() };
        if !text.is_empty() {
            self.answer_started = true;
            out.push(StreamEvent::Content(text.to_string()));
        }
    }
}

fn push_non_empty(out: &mut Vec<StreamEvent>, event: fn(String) -> StreamEvent, text: &str) {
    if !text.is_empty() {
        out.push(event(text.to_string()));
    }
}

/// How many bytes at the end of `text` could begin a closing tag.
fn partial_tag_at_end(text: &str) -> usize {
    (1..CLOSE.len()).rev().find(|&length| text.ends_with(&CLOSE[..length])).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stream::StreamResult;

    /// Runs deltas through a splitter and assembles (content, reasoning).
    fn split(deltas: &[&str]) -> (String, String) {
        let mut splitter = ThinkTagSplitter::default();
        let mut events = Vec::new();
        for delta in deltas {
            splitter.push(delta.to_string(), &mut events);
        }
        splitter.finish(&mut events);
        let mut result = StreamResult::default();
        for event in events {
            result.apply(event);
        }
        (result.content, result.reasoning)
    }

    fn pair(content: &str, reasoning: &str) -> (String, String) {
        (content.into(), reasoning.into())
    }

    #[test]
    fn plain_content_passes_untouched() {
        assert_eq!(split(&[" Yes", ", 0 < 1 and a</b>"]), pair(" Yes, 0 < 1 and a</b>", ""));
    }

    #[test]
    fn an_opening_tag_diverts_until_it_closes() {
        assert_eq!(split(&["\n<think>", "Let me see", ".</think>\n\nIt is 4."]), pair("It is 4.", "Let me see."));
    }

    #[test]
    fn tags_split_across_deltas_are_recognized() {
        assert_eq!(split(&["<th", "ink>a", "b</th", "ink>", "c"]), pair("c", "ab"));
    }

    #[test]
    fn a_closing_tag_without_an_opening_moves_earlier_content_to_reasoning() {
        assert_eq!(split(&["The user wants", " a sum.", "</think>", "\n\n2"]), pair("2", "The user wants a sum."));
    }

    #[test]
    fn after_the_answer_starts_tags_are_just_text() {
        assert_eq!(
            split(&["<think>r</think>", "Use <think> tags", " like </think> this"]),
            pair("Use <think> tags like </think> this", "r")
        );
    }

    #[test]
    fn an_unclosed_think_block_stays_reasoning() {
        assert_eq!(split(&["<think>still thinking", "</thi"]), pair("", "still thinking</thi"));
    }
}
