//! Sans-IO decoding of streamed model answers: bytes in, unified events out, for every API family.
//!
//! A platform adapter reads the response body in whatever chunks the network
//! delivers and calls [`StreamDecoder::push`] with each, then
//! [`StreamDecoder::finish`] when the body ends. The decoder frames the bytes
//! (SSE or NDJSON), interprets each message in its provider's dialect, and
//! returns [`StreamEvent`]s. Any chunking of the same bytes yields the same
//! events. Memory is bounded by the largest single event, not the stream.

mod anthropic;
mod assembly;
mod gemini;
mod lines;
mod ollama;
mod openai;
mod sse;
mod think_tags;

pub use assembly::StreamResult;

use crate::provider::ApiFamily;
use lines::LineSplitter;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sse::{Message, SseFramer};
use think_tags::ThinkTagSplitter;

/// How the response body is framed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WireFormat {
    /// `text/event-stream`.
    Sse,
    /// One JSON object per line (Ollama native).
    Ndjson,
}

impl WireFormat {
    /// The framing an API family uses.
    pub fn of(family: ApiFamily) -> WireFormat {
        match family {
            ApiFamily::Ollama => WireFormat::Ndjson,
            ApiFamily::OpenAi | ApiFamily::Anthropic | ApiFamily::Gemini => WireFormat::Sse,
        }
    }
}

/// One step of a streamed answer, the same for every provider.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "value")]
pub enum StreamEvent {
    /// More answer text.
    Content(String),
    /// More reasoning ("thinking") text.
    Reasoning(String),
    /// Everything streamed as content so far was reasoning: a `</think>`
    /// arrived without an opening tag (R1-style templates open it in the prompt).
    ContentWasReasoning,
    /// A fragment of a tool call; fragments merge by `index`.
    ToolCall(ToolCallDelta),
    /// Token usage as the provider reports it; the latest replaces earlier ones.
    Usage(Value),
    /// The provider's finish reason, verbatim (`stop`, `length`, `end_turn`, `STOP`…).
    Finish(String),
    /// The provider reported an error, or the stream broke off.
    Error(StreamError),
    /// The stream is over; nothing follows.
    End(Termination),
}

/// A fragment of a tool call.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolCallDelta {
    /// Which call this fragment belongs to.
    pub index: u32,
    /// The call's id, on its first fragment.
    pub id: Option<String>,
    /// The function name, on its first fragment.
    pub name: Option<String>,
    /// A piece of the JSON arguments.
    pub arguments: String,
}

/// An error reported in or about the stream.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StreamError {
    /// The provider's message, or ours for a broken stream.
    pub message: String,
    /// The provider's error type, such as `server_error` or `overloaded_error`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// The provider's error code, when it sent one.
    pub code: Value,
}

impl StreamError {
    /// The type used when the connection ended with no finish and no error.
    pub const INCOMPLETE: &'static str = "incomplete_stream";

    fn incomplete() -> StreamError {
        StreamError {
            message: "stream ended without finish_reason or [DONE]".into(),
            kind: Some(Self::INCOMPLETE.into()),
            code: Value::Null,
        }
    }

    /// Reads an error from any of the shapes providers send: an object with
    /// `message`/`type`/`code`, a bare string, or anything else (kept as text).
    pub(crate) fn from_value(error: &Value) -> StreamError {
        match error {
            Value::String(message) => StreamError { message: message.clone(), kind: None, code: Value::Null },
            Value::Object(fields) => StreamError {
                message: match fields.get("message") {
                    Some(Value::String(message)) => message.clone(),
                    Some(other) if !other.is_null() => other.to_string(),
                    _ => error.to_string(),
                },
                kind: fields.get("type").or_else(|| fields.get("status")).and_then(Value::as_str).map(Into::into),
                code: fields.get("code").cloned().unwrap_or(Value::Null),
            },
            other => StreamError { message: other.to_string(), kind: None, code: Value::Null },
        }
    }
}

/// How a stream ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Termination {
    /// `data: [DONE]`.
    DoneSentinel,
    /// A closing named event (`message_stop`, `response.completed`).
    TerminalEvent,
    /// NDJSON `done: true`.
    DoneFlag,
    /// A clean close after a finish reason: success.
    EofAfterFinish,
    /// The provider reported an error.
    Error,
    /// The connection closed with no finish: the answer is partial.
    Truncated,
}

/// The per-family interpretation of framed messages.
#[derive(Debug)]
enum Dialect {
    OpenAi,
    Anthropic(anthropic::AnthropicState),
    Gemini(gemini::GeminiState),
    Ollama(ollama::OllamaState),
}

impl Dialect {
    fn interpret(&mut self, message: &Message<'_>, out: &mut Vec<StreamEvent>) {
        match self {
            Dialect::OpenAi => openai::interpret(message, out),
            Dialect::Anthropic(state) => state.interpret(message, out),
            Dialect::Gemini(state) => state.interpret(message, out),
            Dialect::Ollama(state) => state.interpret(message, out),
        }
    }
}

#[derive(Debug)]
enum Framing {
    Sse(SseFramer),
    Ndjson(LineSplitter),
}

/// Decodes one streamed response. See the module docs.
#[derive(Debug)]
pub struct StreamDecoder {
    framing: Framing,
    dialect: Dialect,
    think_tags: Option<ThinkTagSplitter>,
    raw: Vec<StreamEvent>,
    saw_finish: bool,
    saw_error: bool,
    ended: bool,
}

impl StreamDecoder {
    /// A decoder for `family` in its usual framing.
    pub fn new(family: ApiFamily) -> StreamDecoder {
        StreamDecoder::with_format(family, WireFormat::of(family))
    }

    /// A decoder for `family` with an explicit framing.
    pub fn with_format(family: ApiFamily, format: WireFormat) -> StreamDecoder {
        let dialect = match family {
            ApiFamily::OpenAi => Dialect::OpenAi,
            ApiFamily::Anthropic => Dialect::Anthropic(Default::default()),
            ApiFamily::Gemini => Dialect::Gemini(Default::default()),
            ApiFamily::Ollama => Dialect::Ollama(Default::default()),
        };
        // Only chat-completion style content can carry inline <think> tags;
        // Anthropic and Gemini mark thinking structurally.
        let think_tags = matches!(family, ApiFamily::OpenAi | ApiFamily::Ollama).then(ThinkTagSplitter::default);
        let framing = match format {
            WireFormat::Sse => Framing::Sse(SseFramer::default()),
            WireFormat::Ndjson => Framing::Ndjson(LineSplitter::default()),
        };
        StreamDecoder {
            framing,
            dialect,
            think_tags,
            raw: Vec::new(),
            saw_finish: false,
            saw_error: false,
            ended: false,
        }
    }

    /// Feeds the next bytes of the body; returns the events they complete.
    pub fn push(&mut self, bytes: &[u8]) -> Vec<StreamEvent> {
        let mut out = Vec::new();
        if self.ended {
            return out;
        }
        let Self { framing, dialect, raw, .. } = self;
        match framing {
            Framing::Sse(framer) => framer.push(bytes, |message| dialect.interpret(&message, raw)),
            Framing::Ndjson(lines) => lines.push(bytes, |line| interpret_ndjson_line(dialect, line, raw)),
        }
        self.forward_raw(&mut out);
        out
    }

    /// Ends the body; returns the final events, always closing with
    /// [`StreamEvent::End`]. A body that stops without a finish reason or
    /// terminal marker yields an `incomplete_stream` error and `Truncated`.
    pub fn finish(&mut self) -> Vec<StreamEvent> {
        let mut out = Vec::new();
        if self.ended {
            return out;
        }
        match &mut self.framing {
            Framing::Sse(framer) => framer.finish(),
            Framing::Ndjson(lines) => {
                if let Some(last) = lines.finish() {
                    interpret_ndjson_line(&mut self.dialect, &last, &mut self.raw);
                }
            }
        }
        self.forward_raw(&mut out);
        if self.ended {
            return out;
        }
        self.flush_think_tags(&mut out);
        let termination = if self.saw_error {
            Termination::Error
        } else if self.saw_finish {
            Termination::EofAfterFinish
        } else {
            out.push(StreamEvent::Error(StreamError::incomplete()));
            Termination::Truncated
        };
        out.push(StreamEvent::End(termination));
        self.ended = true;
        out
    }

    /// Tracks how the stream is going and routes content through the
    /// think-tag splitter. Nothing after the end passes.
    fn forward_raw(&mut self, out: &mut Vec<StreamEvent>) {
        for event in self.raw.drain(..) {
            if self.ended {
                continue;
            }
            match event {
                StreamEvent::Content(text) => match &mut self.think_tags {
                    Some(splitter) => splitter.push(text, out),
                    None => out.push(StreamEvent::Content(text)),
                },
                StreamEvent::Finish(reason) => {
                    self.saw_finish = true;
                    out.push(StreamEvent::Finish(reason));
                }
                StreamEvent::Error(error) => {
                    self.saw_error = true;
                    out.push(StreamEvent::Error(error));
                }
                StreamEvent::End(termination) => {
                    if let Some(splitter) = &mut self.think_tags {
                        splitter.finish(out);
                    }
                    // An error reported earlier wins over a later [DONE].
                    let termination = if self.saw_error { Termination::Error } else { termination };
                    out.push(StreamEvent::End(termination));
                    self.ended = true;
                }
                other => out.push(other),
            }
        }
    }

    fn flush_think_tags(&mut self, out: &mut Vec<StreamEvent>) {
        if let Some(splitter) = &mut self.think_tags {
            splitter.finish(out);
        }
    }
}

fn interpret_ndjson_line(dialect: &mut Dialect, line: &[u8], raw: &mut Vec<StreamEvent>) {
    let text = String::from_utf8_lossy(line);
    // A byte-order mark can only open the body; no JSON line starts with one.
    let trimmed = text.trim().trim_start_matches('\u{FEFF}');
    if !trimmed.is_empty() {
        dialect.interpret(&Message { event: None, data: trimmed }, raw);
    }
}

/// Decodes a whole body at once, feeding it in pieces of `chunk` bytes
/// (0 means all at once). Handy for tests, the CLI and benchmarks.
pub fn decode_all(family: ApiFamily, format: WireFormat, body: &[u8], chunk: usize) -> Vec<StreamEvent> {
    let mut decoder = StreamDecoder::with_format(family, format);
    let mut events = Vec::new();
    if chunk == 0 {
        events.extend(decoder.push(body));
    } else {
        for piece in body.chunks(chunk) {
            events.extend(decoder.push(piece));
        }
    }
    events.extend(decoder.finish());
    events
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_order_mark_arriving_byte_by_byte_changes_nothing() {
        let sse = b"\xEF\xBB\xBFdata: {\"choices\":[{\"delta\":{\"content\":\"Hi\"},\"finish_reason\":\"stop\"}]}\n\n";
        let ndjson = b"\xEF\xBB\xBF{\"message\":{\"content\":\"Hi\"},\"done\":true}\n";
        for (family, body) in [(ApiFamily::OpenAi, &sse[..]), (ApiFamily::Ollama, &ndjson[..])] {
            for chunk in [0, 1] {
                let result = StreamResult::from_events(decode_all(family, WireFormat::of(family), body, chunk));
                assert_eq!(result.content, "Hi", "{family:?} in {chunk}-byte reads");
            }
        }
    }
}
