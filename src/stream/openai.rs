//! The OpenAI dialect: Chat Completions chunks (and every compatible server), plus the Responses API's named events.

use super::sse::Message;
use super::{StreamError, StreamEvent, Termination, ToolCallDelta};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;
use std::borrow::Cow;

/// The common chat chunk, read without building a JSON tree: strings borrow
/// from the line, and rarely present parts (usage, errors) stay raw until
/// needed. Anything that does not fit this shape takes the general path.
#[derive(Deserialize)]
struct ChatChunk<'a> {
    /// Exactly one choice, the usual case; any other count takes the general path.
    #[serde(borrow, default)]
    choices: Option<[ChatChoice<'a>; 1]>,
    #[serde(borrow, default)]
    usage: Option<&'a RawValue>,
    #[serde(borrow, default)]
    error: Option<&'a RawValue>,
    #[serde(borrow, default)]
    object: Option<Cow<'a, str>>,
    #[serde(borrow, default, rename = "type")]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    x_groq: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct ChatChoice<'a> {
    #[serde(borrow, default)]
    delta: Option<ChatDelta<'a>>,
    #[serde(borrow, default)]
    finish_reason: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    usage: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct ChatDelta<'a> {
    #[serde(borrow, default)]
    content: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    reasoning_content: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    reasoning: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    tool_calls: Option<&'a RawValue>,
}

/// The fast path; `None` when the chunk needs the general path.
fn fast_chat_chunk(data: &str, out: &mut Vec<StreamEvent>) -> Option<()> {
    let chunk: ChatChunk = serde_json::from_str(data).ok()?;
    let is_raw_null = |raw: Option<&RawValue>| raw.is_none_or(|raw| raw.get() == "null");
    if !is_raw_null(chunk.error) || chunk.object.as_deref() == Some("error") || chunk.kind.is_some() {
        return None;
    }
    if !is_raw_null(chunk.x_groq) {
        return None;
    }
    let choice = chunk.choices.as_ref().map(|[choice]| choice);
    if let Some(choice) = choice {
        if choice.delta.as_ref().is_some_and(|delta| !is_raw_null(delta.tool_calls)) || !is_raw_null(choice.usage) {
            return None;
        }
        if let Some(delta) = &choice.delta {
            if let Some(text) = delta.content.as_deref().filter(|text| !text.is_empty()) {
                out.push(StreamEvent::Content(text.to_string()));
            }
            let reasoning = [&delta.reasoning_content, &delta.reasoning]
                .into_iter()
                .find_map(|field| field.as_deref().filter(|text| !text.is_empty()));
            if let Some(text) = reasoning {
                out.push(StreamEvent::Reasoning(text.to_string()));
            }
        }
        if let Some(reason) = &choice.finish_reason {
            out.push(StreamEvent::Finish(reason.to_string()));
        }
    }
    if !is_raw_null(chunk.usage) {
        let usage: Value = serde_json::from_str(chunk.usage?.get()).ok()?;
        usage_at(Some(&usage), out);
    }
    Some(())
}

/// Interprets one framed message.
pub(super) fn interpret(message: &Message<'_>, out: &mut Vec<StreamEvent>) {
    let data = message.data.trim();
    if data.is_empty() {
        return;
    }
    if data == "[DONE]" {
        out.push(StreamEvent::End(Termination::DoneSentinel));
        return;
    }
    if message.event.is_none() {
        let before = out.len();
        if fast_chat_chunk(data, out).is_some() {
            return;
        }
        out.truncate(before);
    }
    // A line that is not JSON (a proxy's banner, a cut line) carries nothing.
    let Ok(value) = serde_json::from_str::<Value>(data) else {
        return;
    };
    if let Some(error) = error_in(message, &value) {
        out.push(StreamEvent::Error(error));
        return;
    }
    match value.get("type").and_then(Value::as_str) {
        Some(kind) if kind.starts_with("response.") => responses_event(kind, &value, out),
        _ => chat_chunk(&value, out),
    }
}

/// Every shape an in-stream error takes: a top-level `error` (object or
/// string), `object: "error"`, or an `event: error` / legacy `error:` line.
fn error_in(message: &Message<'_>, value: &Value) -> Option<StreamError> {
    match value.get("error") {
        Some(error) if !error.is_null() => return Some(StreamError::from_value(error)),
        _ => {}
    }
    let is_error_object = value.get("object").and_then(Value::as_str) == Some("error")
        || value.get("type").and_then(Value::as_str) == Some("error");
    if is_error_object || message.event == Some("error") {
        return Some(StreamError::from_value(value));
    }
    None
}

fn chat_chunk(value: &Value, out: &mut Vec<StreamEvent>) {
    let choice = value.get("choices").and_then(Value::as_array).and_then(|choices| choices.first());
    if let Some(choice) = choice {
        if let Some(delta) = choice.get("delta").or_else(|| choice.get("message")) {
            text_field(delta, "content", out, StreamEvent::Content);
            // `reasoning_content` (DeepSeek, Qwen, llama.cpp) or `reasoning`
            // (Ollama /v1, vLLM, OpenRouter, Groq, LM Studio).
            let reasoning = ["reasoning_content", "reasoning"].iter().find_map(|name| match delta.get(*name) {
                Some(Value::String(text)) if !text.is_empty() => Some(text.clone()),
                _ => None,
            });
            out.extend(reasoning.map(StreamEvent::Reasoning));
            if let Some(calls) = delta.get("tool_calls").and_then(Value::as_array) {
                for (position, call) in calls.iter().enumerate() {
                    out.push(StreamEvent::ToolCall(tool_call(call, position)));
                }
            }
        }
        // Moonshot puts usage on the finishing choice.
        usage_at(choice.get("usage"), out);
        if let Some(reason) = choice.get("finish_reason").and_then(Value::as_str) {
            out.push(StreamEvent::Finish(reason.to_string()));
        }
    }
    usage_at(value.get("usage"), out);
    // Groq reports usage under x_groq.
    usage_at(value.get("x_groq").and_then(|groq| groq.get("usage")), out);
}

fn text_field(object: &Value, name: &str, out: &mut Vec<StreamEvent>, event: fn(String) -> StreamEvent) {
    // `content: null` is absent, never the text "null"; "" carries nothing.
    if let Some(Value::String(text)) = object.get(name) {
        if !text.is_empty() {
            out.push(event(text.clone()));
        }
    }
}

fn tool_call(call: &Value, position: usize) -> ToolCallDelta {
    let function = call.get("function");
    let arguments = match function.and_then(|f| f.get("arguments")) {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    };
    ToolCallDelta {
        index: call.get("index").and_then(Value::as_u64).unwrap_or(position as u64) as u32,
        id: call.get("id").and_then(Value::as_str).map(Into::into),
        name: function.and_then(|f| f.get("name")).and_then(Value::as_str).map(Into::into),
        arguments,
    }
}

fn usage_at(usage: Option<&Value>, out: &mut Vec<StreamEvent>) {
    if let Some(usage) = usage.filter(|usage| usage.is_object()) {
        out.push(StreamEvent::Usage(usage.clone()));
    }
}

/// The Responses API: named events, no `[DONE]`, a terminal `response.*` event.
fn responses_event(kind: &str, value: &Value, out: &mut Vec<StreamEvent>) {
    let delta = || value.get("delta").and_then(Value::as_str).filter(|text| !text.is_empty()).map(String::from);
    match kind {
        "response.output_text.delta" => out.extend(delta().map(StreamEvent::Content)),
        "response.reasoning_text.delta" | "response.reasoning_summary_text.delta" => {
            out.extend(delta().map(StreamEvent::Reasoning))
        }
        "response.completed" | "response.incomplete" => {
            let response = value.get("response");
            usage_at(response.and_then(|r| r.get("usage")), out);
            let status = response.and_then(|r| r.get("status")).and_then(Value::as_str).unwrap_or(&kind[9..]);
            out.push(StreamEvent::Finish(status.to_string()));
            out.push(StreamEvent::End(Termination::TerminalEvent));
        }
        "response.failed" => {
            let error = value.get("response").and_then(|r| r.get("error")).unwrap_or(value);
            out.push(StreamEvent::Error(StreamError::from_value(error)));
            out.push(StreamEvent::End(Termination::Error));
        }
        _ => {}
    }
}
