//! Folding stream events into the whole answer: what a finished (or broken) stream amounts to.

use super::{StreamError, StreamEvent, Termination};
use serde::Serialize;
use serde_json::Value;

/// The assembled result of a stream. Field names match the conformance
/// corpus's `expected.json` files and `pagewise decode`'s output.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct StreamResult {
    /// The answer text.
    pub content: String,
    /// The reasoning text.
    pub reasoning: String,
    /// The provider's finish reason, verbatim.
    pub finish_reason: Option<String>,
    /// The provider's usage object, as it sent it.
    pub usage: Option<Value>,
    /// Tool calls with their argument fragments joined, ordered by index.
    pub tool_calls: Vec<ToolCall>,
    /// The first error reported.
    pub error: Option<StreamError>,
    /// How the stream ended; `None` while it is still running.
    pub termination: Option<Termination>,
}

/// A complete tool call.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ToolCall {
    /// Position among the calls.
    pub index: u32,
    /// The provider's call id.
    pub id: Option<String>,
    /// The function name.
    pub name: Option<String>,
    /// The JSON arguments, joined.
    pub arguments: String,
}

impl StreamResult {
    /// Applies one event.
    pub fn apply(&mut self, event: StreamEvent) {
        match event {
            StreamEvent::Content(text) => self.content.push_str(&text),
            StreamEvent::Reasoning(text) => self.reasoning.push_str(&text),
            StreamEvent::ContentWasReasoning => {
                let content = std::mem::take(&mut self.content);
                self.reasoning.insert_str(0, &content);
            }
            StreamEvent::ToolCall(delta) => {
                let call = match self.tool_calls.iter_mut().position(|call| call.index == delta.index) {
                    Some(position) => &mut self.tool_calls[position],
                    None => {
                        self.tool_calls.push(ToolCall { index: delta.index, ..ToolCall::default() });
                        self.tool_calls.sort_by_key(|call| call.index);
                        let position = self.tool_calls.iter().position(|call| call.index == delta.index).unwrap_or(0);
                        &mut self.tool_calls[position]
                    }
                };
                if call.id.is_none() {
                    call.id = delta.id;
                }
                if call.name.is_none() {
                    call.name = delta.name;
                }
                call.arguments.push_str(&delta.arguments);
            }
            StreamEvent::Usage(usage) => self.usage = Some(usage),
            StreamEvent::Finish(reason) => self.finish_reason = Some(reason),
            StreamEvent::Error(error) => {
                if self.error.is_none() {
                    self.error = Some(error);
                }
            }
            StreamEvent::End(termination) => self.termination = Some(termination),
        }
    }

    /// Assembles a whole event list.
    pub fn from_events(events: impl IntoIterator<Item = StreamEvent>) -> StreamResult {
        let mut result = StreamResult::default();
        for event in events {
            result.apply(event);
        }
        result
    }
}
