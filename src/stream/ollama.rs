//! The Ollama native dialect: `/api/chat` NDJSON lines, ending with `done: true`.

use super::sse::Message;
use super::{StreamError, StreamEvent, Termination, ToolCallDelta};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{json, Value};
use std::borrow::Cow;

/// The common line, `{message: {content}, done: false}`, read without a JSON tree.
#[derive(Deserialize)]
struct Line<'a> {
    #[serde(borrow, default)]
    message: Option<LineMessage<'a>>,
    #[serde(default)]
    done: bool,
    #[serde(borrow, default)]
    error: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct LineMessage<'a> {
    #[serde(borrow, default)]
    content: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    thinking: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    tool_calls: Option<&'a RawValue>,
}

/// Handles a plain text line; `None` sends the line down the general path.
fn fast_line(data: &str, out: &mut Vec<StreamEvent>) -> Option<()> {
    let line: Line = serde_json::from_str(data).ok()?;
    let message = line.message?;
    if line.done || line.error.is_some() || message.tool_calls.is_some() {
        return None;
    }
    for (text, event) in [
        (message.thinking, StreamEvent::Reasoning as fn(String) -> StreamEvent),
        (message.content, StreamEvent::Content),
    ] {
        if let Some(text) = text.filter(|t| !t.is_empty()) {
            out.push(event(text.into_owned()));
        }
    }
    Some(())
}

/// Ollama sends each tool call whole and unnumbered; they are numbered here.
#[derive(Debug, Default)]
pub(super) struct OllamaState {
    tool_calls: u32,
}

impl OllamaState {
    /// Interprets one NDJSON line.
    pub(super) fn interpret(&mut self, message: &Message<'_>, out: &mut Vec<StreamEvent>) {
        let before = out.len();
        if fast_line(message.data, out).is_some() {
            return;
        }
        out.truncate(before);
        let Ok(value) = serde_json::from_str::<Value>(message.data) else {
            return;
        };
        if let Some(error) = value.get("error").filter(|e| !e.is_null()) {
            out.push(StreamEvent::Error(StreamError::from_value(error)));
            return;
        }
        // The final `done: true` line can still carry text.
        if let Some(chat) = value.get("message") {
            for (field, event) in
                [("thinking", StreamEvent::Reasoning as fn(String) -> StreamEvent), ("content", StreamEvent::Content)]
            {
                if let Some(text) = chat.get(field).and_then(Value::as_str).filter(|t| !t.is_empty()) {
                    out.push(event(text.to_string()));
                }
            }
            for call in chat.get("tool_calls").and_then(Value::as_array).into_iter().flatten() {
                self.tool_call(call, out);
            }
        }
        if value.get("done").and_then(Value::as_bool) == Some(true) {
            let reason = value.get("done_reason").and_then(Value::as_str).unwrap_or("stop");
            out.push(StreamEvent::Finish(reason.to_string()));
            if value.get("prompt_eval_count").is_some() || value.get("eval_count").is_some() {
                out.push(StreamEvent::Usage(json!({
                    "prompt_tokens": value.get("prompt_eval_count").cloned().unwrap_or(Value::Null),
                    "completion_tokens": value.get("eval_count").cloned().unwrap_or(Value::Null),
                })));
            }
            out.push(StreamEvent::End(Termination::DoneFlag));
        }
    }

    fn tool_call(&mut self, call: &Value, out: &mut Vec<StreamEvent>) {
        let function = call.get("function");
        let arguments = match function.and_then(|f| f.get("arguments")) {
            Some(Value::String(text)) => text.clone(),
            Some(other) => other.to_string(),
            None => String::new(),
        };
        out.push(StreamEvent::ToolCall(ToolCallDelta {
            index: self.tool_calls,
            id: call.get("id").and_then(Value::as_str).map(Into::into),
            name: function.and_then(|f| f.get("name")).and_then(Value::as_str).map(Into::into),
            arguments,
        }));
        self.tool_calls += 1;
    }
}
