//! The Anthropic Messages dialect: named events from `message_start` to `message_stop`.

use super::sse::Message;
use super::{StreamError, StreamEvent, Termination, ToolCallDelta};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::borrow::Cow;

/// The hot event, `content_block_delta`, read without building a JSON tree.
#[derive(Deserialize)]
struct BlockDelta<'a> {
    #[serde(borrow, rename = "type")]
    kind: Cow<'a, str>,
    #[serde(default)]
    index: u32,
    #[serde(borrow)]
    delta: DeltaBody<'a>,
}

#[derive(Deserialize)]
struct DeltaBody<'a> {
    #[serde(borrow, rename = "type")]
    kind: Cow<'a, str>,
    #[serde(borrow, default)]
    text: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    thinking: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    partial_json: Option<Cow<'a, str>>,
}

fn fast_block_delta(data: &str, out: &mut Vec<StreamEvent>) -> Option<()> {
    let event: BlockDelta = serde_json::from_str(data).ok()?;
    if event.kind != "content_block_delta" {
        return None;
    }
    let text = |field: Option<Cow<str>>| field.filter(|t| !t.is_empty()).map(String::from);
    match event.delta.kind.as_ref() {
        "text_delta" => out.extend(text(event.delta.text).map(StreamEvent::Content)),
        "thinking_delta" => out.extend(text(event.delta.thinking).map(StreamEvent::Reasoning)),
        "input_json_delta" => out.push(StreamEvent::ToolCall(ToolCallDelta {
            index: event.index,
            arguments: event.delta.partial_json.map(String::from).unwrap_or_default(),
            ..ToolCallDelta::default()
        })),
        _ => {}
    }
    Some(())
}

/// Usage arrives in `message_start` and is updated (cumulatively) by
/// `message_delta`, so the dialect keeps the merged object.
#[derive(Debug, Default)]
pub(super) struct AnthropicState {
    usage: Map<String, Value>,
}

impl AnthropicState {
    /// Interprets one framed message.
    pub(super) fn interpret(&mut self, message: &Message<'_>, out: &mut Vec<StreamEvent>) {
        if message.event.is_none_or(|event| event == "content_block_delta") {
            let before = out.len();
            if fast_block_delta(message.data, out).is_some() {
                return;
            }
            out.truncate(before);
        }
        let Ok(value) = serde_json::from_str::<Value>(message.data.trim()) else {
            return;
        };
        let kind = value.get("type").and_then(Value::as_str).or(message.event).unwrap_or_default();
        let index = value.get("index").and_then(Value::as_u64).unwrap_or(0) as u32;
        match kind {
            "message_start" => self.merge_usage(value.get("message").and_then(|m| m.get("usage")), out),
            "content_block_start" => block_start(index, value.get("content_block"), out),
            "content_block_delta" => block_delta(index, value.get("delta"), out),
            "message_delta" => {
                if let Some(reason) = value.get("delta").and_then(|d| d.get("stop_reason")).and_then(Value::as_str) {
                    out.push(StreamEvent::Finish(reason.to_string()));
                }
                self.merge_usage(value.get("usage"), out);
            }
            "message_stop" => out.push(StreamEvent::End(Termination::TerminalEvent)),
            "error" => out.push(StreamEvent::Error(StreamError::from_value(value.get("error").unwrap_or(&value)))),
            _ => {}
        }
    }

    fn merge_usage(&mut self, usage: Option<&Value>, out: &mut Vec<StreamEvent>) {
        let Some(Value::Object(fields)) = usage else {
            return;
        };
        for (key, value) in fields {
            if !value.is_null() {
                self.usage.insert(key.clone(), value.clone());
            }
        }
        out.push(StreamEvent::Usage(Value::Object(self.usage.clone())));
    }
}

fn block_start(index: u32, block: Option<&Value>, out: &mut Vec<StreamEvent>) {
    let Some(block) = block else { return };
    match block.get("type").and_then(Value::as_str) {
        Some("tool_use") => out.push(StreamEvent::ToolCall(ToolCallDelta {
            index,
            id: block.get("id").and_then(Value::as_str).map(Into::into),
            name: block.get("name").and_then(Value::as_str).map(Into::into),
            arguments: String::new(),
        })),
        Some("text") => out.extend(non_empty(block, "text").map(StreamEvent::Content)),
        Some("thinking") => out.extend(non_empty(block, "thinking").map(StreamEvent::Reasoning)),
        _ => {}
    }
}

fn block_delta(index: u32, delta: Option<&Value>, out: &mut Vec<StreamEvent>) {
    let Some(delta) = delta else { return };
    match delta.get("type").and_then(Value::as_str) {
        Some("text_delta") => out.extend(non_empty(delta, "text").map(StreamEvent::Content)),
        Some("thinking_delta") => out.extend(non_empty(delta, "thinking").map(StreamEvent::Reasoning)),
        Some("input_json_delta") => out.push(StreamEvent::ToolCall(ToolCallDelta {
            index,
            arguments: delta.get("partial_json").and_then(Value::as_str).unwrap_or_default().to_string(),
            ..ToolCallDelta::default()
        })),
        _ => {}
    }
}

fn non_empty(object: &Value, field: &str) -> Option<String> {
    object.get(field).and_then(Value::as_str).filter(|text| !text.is_empty()).map(String::from)
}
