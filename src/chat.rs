//! The conversation: its messages and their states, and every edit the panel can make (send, stream, stop, fail, regenerate, edit).
//!
//! A [`Conversation`] is plain data: the panel renders it, the history
//! store saves it whole, and [`crate::prompt`] turns it into a model
//! request. Time and identifiers come from the caller (the core has no clock
//! and no randomness), so every operation here is deterministic and tested
//! natively.

use crate::context_fit::{prompt_was_cut, Coverage};
use crate::extract::{Article, Section};
use serde::{Deserialize, Serialize};

/// Who a message belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The person using Pagewise.
    User,
    /// The model.
    Assistant,
    /// Pagewise itself: setup hints, never sent to the model.
    Notice,
}

/// A one-click task on the page, asked as a user message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Task {
    /// A structured summary: gist, key points, notable details.
    Summarize,
    /// The page's key points as a list.
    KeyPoints,
    /// The page explained in plain words.
    ExplainSimply,
    /// The page translated into the answer language.
    TranslatePage,
    /// A question about the selected text (the user's text follows).
    AskSelection,
}

/// Where a message stands.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum MessageState {
    /// Finished normally (every user message and notice).
    #[default]
    Complete,
    /// Text is still arriving.
    Streaming,
    /// The user pressed Stop; the text so far is kept.
    Stopped,
    /// The request failed; the doctor's advice says why and what to do.
    Failed {
        /// One or two sentences from the endpoint doctor.
        advice: String,
        /// Whether Retry can work without changing anything.
        retry: bool,
    },
}

/// One message of the conversation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// Unique within the conversation, increasing; the UI keys rows by it.
    pub id: u64,
    /// Whose message it is.
    pub role: Role,
    /// Markdown from the model, or what the user typed (untrusted either way).
    pub text: String,
    /// The model's reasoning ("thinking"), shown collapsed.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reasoning: String,
    /// The one-click task this user message asked for, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<Task>,
    /// Where it stands.
    #[serde(default)]
    pub state: MessageState,
    /// An image sent with a user message (Describe image).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<ImageAttachment>,
    /// What the model was given for this answer: how much of the page,
    /// which sections, which earlier turns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<AnswerContext>,
    /// When it was created, in milliseconds since the Unix epoch.
    pub created_ms: f64,
}

impl ImageAttachment {
    /// The largest image sent, in bytes (providers refuse bigger ones).
    pub const MAX_BYTES: usize = 8 * 1024 * 1024;

    /// An attachment from an image's bytes; its type from the server's
    /// `content-type`, else from the bytes' signature. `None` when the bytes
    /// are not an image a model reads (PNG, JPEG, GIF, WebP) or too large.
    pub fn from_bytes(bytes: &[u8], content_type: Option<&str>, source_url: &str) -> Option<ImageAttachment> {
        if bytes.is_empty() || bytes.len() > Self::MAX_BYTES {
            return None;
        }
        let sniffed = if bytes.starts_with(b"\x89PNG") {
            Some("image/png")
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some("image/jpeg")
        } else if bytes.starts_with(b"GIF8") {
            Some("image/gif")
        } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some("image/webp")
        } else {
            None
        };
        let declared = content_type
            .map(|value| value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
            .filter(|mime| matches!(mime.as_str(), "image/png" | "image/jpeg" | "image/gif" | "image/webp"));
        let mime = sniffed.map(str::to_string).or(declared)?;
        Some(ImageAttachment { mime, base64: base64_encode(bytes), source_url: source_url.to_string() })
    }
}

/// Standard base64 with padding.
fn base64_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (index, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if index <= chunk.len() {
                out.push(ALPHABET[((n >> shift) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// What an answer was written from, shown under it: nothing the model
/// did not see is passed off as read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerContext {
    /// The part of the page the request carried.
    pub coverage: Coverage,
    /// The earliest message still sent; those before it were left out to fit
    /// the window (`None` when nothing was left out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_sent_message: Option<u64>,
    /// The prompt's estimated tokens.
    pub prompt_tokens: u32,
    /// The prompt's tokens as the server counted them, when it said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_prompt_tokens: Option<u32>,
}

impl AnswerContext {
    /// Whether the server read far less than was sent: it cut the prompt.
    pub fn prompt_was_cut(&self) -> bool {
        self.reported_prompt_tokens.is_some_and(|reported| prompt_was_cut(self.prompt_tokens, reported))
    }
}

/// An image attached to a user message, as the model receives it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageAttachment {
    /// Its MIME type, such as `image/png`.
    pub mime: String,
    /// Its bytes in standard base64.
    pub base64: String,
    /// Where it came from.
    pub source_url: String,
}

/// The page a conversation is grounded in, as captured.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageContext {
    /// The page's address.
    pub url: String,
    /// Its title.
    pub title: String,
    /// Its site name, when the page says.
    #[serde(default)]
    pub site: String,
    /// Its language tag, when known.
    #[serde(default)]
    pub language: String,
    /// The extracted content as Markdown (untrusted).
    pub markdown: String,
    /// The selection at capture time, when there was one.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub selection: String,
    /// Words in `markdown`.
    pub words: u32,
    /// Estimated tokens in `markdown`.
    pub tokens: u32,
    /// Its sections (heading paths and offsets into `markdown`), where long pages are cut.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<Section>,
}

impl PageContext {
    /// The page as extracted; the tab's own title and language fill in what
    /// the article lacks.
    pub fn from_article(
        article: Article,
        url: &str,
        tab_title: &str,
        tab_language: Option<&str>,
        selection: &str,
    ) -> Self {
        PageContext {
            url: url.to_string(),
            title: if article.title.trim().is_empty() { tab_title.to_string() } else { article.title.clone() },
            site: article.site_name.clone().unwrap_or_default(),
            language: article.language.clone().or(tab_language.map(str::to_string)).unwrap_or_default(),
            selection: selection.to_string(),
            words: article.word_count as u32,
            tokens: article.token_estimate as u32,
            sections: article.sections,
            markdown: article.markdown,
        }
    }
}

/// A conversation, as shown, stored and exported.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Conversation {
    /// Unique across the history (the caller makes it, for example a UUID).
    pub id: String,
    /// The page in context, if any.
    #[serde(default)]
    pub page: Option<PageContext>,
    /// Messages, oldest first.
    pub messages: Vec<Message>,
    /// Creation time, milliseconds since the Unix epoch.
    pub created_ms: f64,
    /// Last change, milliseconds since the Unix epoch.
    pub updated_ms: f64,
    #[serde(default)]
    next_id: u64,
}

impl Conversation {
    /// An empty conversation.
    pub fn new(id: impl Into<String>, now_ms: f64) -> Conversation {
        Conversation { id: id.into(), created_ms: now_ms, updated_ms: now_ms, ..Conversation::default() }
    }

    /// True before anything was said.
    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    /// The conversation's title for lists: the page title, else the first message.
    pub fn title(&self) -> String {
        if let Some(page) = self.page.as_ref().filter(|page| !page.title.trim().is_empty()) {
            return page.title.trim().to_string();
        }
        let first = self.messages.iter().find(|m| m.role == Role::User).map(|m| m.text.as_str()).unwrap_or_default();
        first.lines().next().unwrap_or_default().chars().take(80).collect()
    }

    /// Whether an answer is streaming now.
    pub fn is_streaming(&self) -> bool {
        self.messages.last().is_some_and(|m| m.state == MessageState::Streaming)
    }

    /// Adds the user's draft as a message. A draft of only whitespace is not
    /// a message: it is refused and `None` returned, so the draft stays put.
    pub fn submit(&mut self, draft: &str, now_ms: f64) -> Option<u64> {
        let text = draft.trim();
        if text.is_empty() {
            return None;
        }
        Some(self.push(Role::User, text.to_string(), None, MessageState::Complete, now_ms))
    }

    /// Adds a one-click task as a user message, labelled with `label`.
    pub fn submit_task(&mut self, task: Task, label: &str, now_ms: f64) -> u64 {
        self.push(Role::User, label.to_string(), Some(task), MessageState::Complete, now_ms)
    }

    /// Adds a user message with an image attached.
    pub fn submit_with_image(&mut self, text: &str, image: ImageAttachment, now_ms: f64) -> u64 {
        let id = self.push(Role::User, text.trim().to_string(), None, MessageState::Complete, now_ms);
        if let Some(message) = self.messages.last_mut() {
            message.image = Some(image);
        }
        id
    }

    /// Adds a notice from Pagewise itself.
    pub fn notice(&mut self, text: &str, now_ms: f64) -> u64 {
        self.push(Role::Notice, text.to_string(), None, MessageState::Complete, now_ms)
    }

    /// Starts an empty streaming answer and returns its id.
    pub fn start_answer(&mut self, now_ms: f64) -> u64 {
        self.push(Role::Assistant, String::new(), None, MessageState::Streaming, now_ms)
    }

    /// Appends answer text to a streaming message.
    pub fn append_content(&mut self, id: u64, delta: &str) {
        if let Some(message) = self.streaming(id) {
            message.text.push_str(delta);
        }
    }

    /// Appends reasoning text to a streaming message.
    pub fn append_reasoning(&mut self, id: u64, delta: &str) {
        if let Some(message) = self.streaming(id) {
            message.reasoning.push_str(delta);
        }
    }

    /// Everything streamed as content so far was reasoning (an R1-style
    /// `</think>` with no opening tag): move it over.
    pub fn content_was_reasoning(&mut self, id: u64) {
        if let Some(message) = self.streaming(id) {
            let text = std::mem::take(&mut message.text);
            message.reasoning.push_str(&text);
        }
    }

    /// Records what an answer is being written from.
    pub fn set_context(&mut self, id: u64, context: AnswerContext) {
        if let Some(message) = self.messages.iter_mut().find(|m| m.id == id) {
            message.context = Some(context);
        }
    }

    /// The answer ended normally.
    pub fn complete(&mut self, id: u64, now_ms: f64) {
        self.finish(id, MessageState::Complete, now_ms);
    }

    /// The user stopped the answer: what arrived is kept.
    pub fn stop(&mut self, id: u64, now_ms: f64) {
        self.finish(id, MessageState::Stopped, now_ms);
    }

    /// The answer failed; the text that arrived is kept beside the advice.
    pub fn fail(&mut self, id: u64, advice: &str, retry: bool, now_ms: f64) {
        self.finish(id, MessageState::Failed { advice: advice.to_string(), retry }, now_ms);
    }

    fn finish(&mut self, id: u64, state: MessageState, now_ms: f64) {
        if let Some(message) = self.streaming(id) {
            message.state = state;
            self.updated_ms = now_ms;
        }
    }

    /// Removes the last answer (and any notices after the last user message)
    /// so it can be asked again: Regenerate and Retry. Returns false when
    /// the conversation does not end in an answer to a user message.
    pub fn drop_last_answer(&mut self) -> bool {
        let Some(last_user) = self.messages.iter().rposition(|m| m.role == Role::User) else {
            return false;
        };
        if last_user + 1 == self.messages.len() || self.is_streaming() {
            return false;
        }
        self.messages.truncate(last_user + 1);
        true
    }

    /// Replaces a user message's text and drops everything after it, so the
    /// edited message can be sent again. A blank edit, another role or an
    /// unknown id changes nothing and returns false.
    pub fn edit(&mut self, id: u64, text: &str, now_ms: f64) -> bool {
        let text = text.trim();
        let Some(index) = self.messages.iter().position(|m| m.id == id && m.role == Role::User) else {
            return false;
        };
        if text.is_empty() || self.is_streaming() {
            return false;
        }
        self.messages.truncate(index + 1);
        let message = &mut self.messages[index];
        message.text = text.to_string();
        message.task = None;
        self.updated_ms = now_ms;
        true
    }

    /// A conversation reopened after its panel closed mid-answer: the answer
    /// that was streaming keeps its text and counts as stopped. Returns
    /// whether anything changed.
    pub fn settle_interrupted(&mut self) -> bool {
        let mut changed = false;
        for message in &mut self.messages {
            if message.state == MessageState::Streaming {
                message.state = MessageState::Stopped;
                changed = true;
            }
        }
        changed
    }

    /// The message with this id.
    pub fn message(&self, id: u64) -> Option<&Message> {
        self.messages.iter().find(|m| m.id == id)
    }

    fn streaming(&mut self, id: u64) -> Option<&mut Message> {
        self.messages.iter_mut().find(|m| m.id == id && m.state == MessageState::Streaming)
    }

    fn push(&mut self, role: Role, text: String, task: Option<Task>, state: MessageState, now_ms: f64) -> u64 {
        // Ids stay unique even for a record written by an older build.
        let id = self.next_id.max(self.messages.iter().map(|m| m.id + 1).max().unwrap_or(0));
        self.next_id = id + 1;
        self.messages.push(Message {
            id,
            role,
            text,
            reasoning: String::new(),
            task,
            state,
            image: None,
            context: None,
            created_ms: now_ms,
        });
        self.updated_ms = now_ms;
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answered() -> (Conversation, u64) {
        let mut chat = Conversation::new("c1", 1.0);
        chat.submit("What is this page about?", 2.0).unwrap();
        let answer = chat.start_answer(3.0);
        chat.append_content(answer, "It is about ");
        chat.append_content(answer, "cats.");
        chat.complete(answer, 4.0);
        (chat, answer)
    }

    #[test]
    fn blank_drafts_are_not_sent() {
        let mut chat = Conversation::new("c", 0.0);
        assert!(chat.submit("  \n\t", 1.0).is_none());
        assert!(chat.is_empty());
    }

    #[test]
    fn an_answer_streams_then_completes() {
        let (chat, answer) = answered();
        let message = chat.message(answer).unwrap();
        assert_eq!(message.text, "It is about cats.");
        assert_eq!(message.state, MessageState::Complete);
        assert_eq!(chat.updated_ms, 4.0);
        assert!(!chat.is_streaming());
    }

    #[test]
    fn a_finished_answer_takes_no_more_text() {
        let (mut chat, answer) = answered();
        chat.append_content(answer, " Late bytes.");
        assert_eq!(chat.message(answer).unwrap().text, "It is about cats.");
    }

    #[test]
    fn stop_keeps_the_partial_answer() {
        let mut chat = Conversation::new("c", 0.0);
        chat.submit("Summarize", 1.0);
        let answer = chat.start_answer(1.0);
        chat.append_content(answer, "Half an ans");
        chat.stop(answer, 2.0);
        let message = chat.message(answer).unwrap();
        assert_eq!((message.text.as_str(), &message.state), ("Half an ans", &MessageState::Stopped));
    }

    #[test]
    fn failure_keeps_text_and_advice_and_retry_drops_the_answer() {
        let mut chat = Conversation::new("c", 0.0);
        chat.submit("Hi", 1.0);
        let answer = chat.start_answer(1.0);
        chat.append_content(answer, "partial");
        chat.fail(answer, "The server is busy; retry in 20 s.", true, 2.0);
        assert!(matches!(&chat.message(answer).unwrap().state, MessageState::Failed { retry: true, .. }));
        assert!(chat.drop_last_answer());
        assert_eq!(chat.messages.len(), 1);
        assert!(!chat.drop_last_answer(), "nothing left to regenerate");
    }

    #[test]
    fn r1_reasoning_moves_out_of_the_content() {
        let mut chat = Conversation::new("c", 0.0);
        let answer = chat.start_answer(0.0);
        chat.append_content(answer, "let me think");
        chat.content_was_reasoning(answer);
        chat.append_content(answer, "Answer.");
        let message = chat.message(answer).unwrap();
        assert_eq!((message.reasoning.as_str(), message.text.as_str()), ("let me think", "Answer."));
    }

    #[test]
    fn editing_a_user_message_drops_what_followed() {
        let (mut chat, _) = answered();
        chat.submit("And dogs?", 5.0);
        let first = chat.messages[0].id;
        assert!(chat.edit(first, "What about birds?", 6.0));
        assert_eq!(chat.messages.len(), 1);
        assert_eq!(chat.messages[0].text, "What about birds?");
        assert!(!chat.edit(first, "   ", 7.0), "a blank edit is refused");
        assert!(!chat.edit(99, "x", 7.0));
    }

    #[test]
    fn regenerate_is_refused_while_streaming() {
        let mut chat = Conversation::new("c", 0.0);
        chat.submit("Hi", 1.0);
        chat.start_answer(1.0);
        assert!(!chat.drop_last_answer());
    }

    #[test]
    fn ids_stay_unique_after_truncation_and_a_round_trip() {
        let (mut chat, answer) = answered();
        chat.drop_last_answer();
        let json = serde_json::to_string(&chat).unwrap();
        let mut back: Conversation = serde_json::from_str(&json).unwrap();
        let next = back.start_answer(9.0);
        assert!(next > answer);
        assert_eq!(back.messages.len(), 2);
    }

    #[test]
    fn title_prefers_the_page_then_the_first_question() {
        let (mut chat, _) = answered();
        assert_eq!(chat.title(), "What is this page about?");
        chat.page = Some(PageContext { title: " Cats ".into(), ..PageContext::default() });
        assert_eq!(chat.title(), "Cats");
    }

    #[test]
    fn an_answer_cut_by_a_closed_panel_reopens_as_stopped() {
        let mut chat = Conversation::new("c", 0.0);
        chat.submit("Hi", 1.0);
        let answer = chat.start_answer(1.0);
        chat.append_content(answer, "half");
        let mut reopened: Conversation = serde_json::from_str(&serde_json::to_string(&chat).unwrap()).unwrap();
        assert!(reopened.settle_interrupted());
        assert_eq!(reopened.message(answer).unwrap().state, MessageState::Stopped);
        assert_eq!(reopened.message(answer).unwrap().text, "half");
        assert!(!reopened.settle_interrupted());
    }

    #[test]
    fn images_are_recognised_by_their_bytes_and_encoded_in_base64() {
        assert_eq!(base64_encode(b""), "");
        assert_eq!(base64_encode(b"f"), "Zg==");
        assert_eq!(base64_encode(b"fo"), "Zm8=");
        assert_eq!(base64_encode(b"foobar"), "Zm9vYmFy");
        let png = [&b"\x89PNG\r\n\x1a\n"[..], &[0u8; 8]].concat();
        let image = ImageAttachment::from_bytes(&png, Some("application/octet-stream"), "https://e.org/a").unwrap();
        assert_eq!(image.mime, "image/png");
        assert!(ImageAttachment::from_bytes(b"<html>", Some("text/html"), "u").is_none());
        assert_eq!(ImageAttachment::from_bytes(b"abc", Some("image/webp; q=1"), "u").unwrap().mime, "image/webp");
    }
}
