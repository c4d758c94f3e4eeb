//! The Gemini dialect: each SSE message is a whole `GenerateContentResponse`.

use super::sse::Message;
use super::{StreamError, StreamEvent, ToolCallDelta};
use serde_json::Value;

/// Gemini numbers nothing, so function calls are numbered as they arrive.
#[derive(Debug, Default)]
pub(super) struct GeminiState {
    tool_calls: u32,
}

impl GeminiState {
    /// Interprets one framed message.
    pub(super) fn interpret(&mut self, message: &Message<'_>, out: &mut Vec<StreamEvent>) {
        let Ok(value) = serde_json::from_str::<Value>(message.data.trim()) else {
            return;
        };
        if let Some(error) = value.get("error").filter(|e| !e.is_null()) {
            out.push(StreamEvent::Error(StreamError::from_value(error)));
            return;
        }
        let candidate = value.get("candidates").and_then(Value::as_array).and_then(|c| c.first());
        if let Some(candidate) = candidate {
            let parts = candidate.get("content").and_then(|c| c.get("parts")).and_then(Value::as_array);
            for part in parts.into_iter().flatten() {
                self.part(part, out);
            }
            if let Some(reason) = candidate.get("finishReason").and_then(Value::as_str) {
                out.push(StreamEvent::Finish(reason.to_string()));
            }
        }
        if let Some(usage) = value.get("usageMetadata").filter(|u| u.is_object()) {
            out.push(StreamEvent::Usage(usage.clone()));
        }
    }

    fn part(&mut self, part: &Value, out: &mut Vec<StreamEvent>) {
        if let Some(text) = part.get("text").and_then(Value::as_str).filter(|t| !t.is_empty()) {
            let is_thought = part.get("thought").and_then(Value::as_bool).unwrap_or(false);
            out.push(if is_thought { StreamEvent::Reasoning(text.into()) } else { StreamEvent::Content(text.into()) });
        }
        if let Some(call) = part.get("functionCall") {
            out.push(StreamEvent::ToolCall(ToolCallDelta {
                index: self.tool_calls,
                id: call.get("id").and_then(Value::as_str).map(Into::into),
                name: call.get("name").and_then(Value::as_str).map(Into::into),
                arguments: call.get("args").map(Value::to_string).unwrap_or_default(),
            }));
            self.tool_calls += 1;
        }
    }
}
