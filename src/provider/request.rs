//! Chat requests: the neutral [`ChatRequest`] and how it is shaped into each family's HTTP request.
//!
//! The chat layer describes what to ask in one provider-neutral form.
//! [`build_chat_request`] turns it into the exact streaming request an
//! [`Endpoint`] expects: its path, its auth header, its body layout, and its
//! quirks (whether it accepts `stream_options`, where the thinking switch
//! goes). Keys always travel in headers, never in the URL.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Number, Value};

use super::presets::{AuthStyle, Preset, ThinkingControl};
use super::{ApiFamily, HttpMethod, HttpRequest};

/// Who wrote a message; the system prompt is separate, in [`ChatRequest::system`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The person using Pagewise (page text included).
    User,
    /// The model's earlier answers.
    Assistant,
}

/// One piece of a message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContentPart {
    /// Plain text.
    Text(String),
    /// An image, as its MIME type and base64 data (no `data:` prefix).
    Image {
        /// The image's MIME type, such as `image/png`.
        mime: String,
        /// The image bytes in standard base64.
        base64: String,
    },
}

/// One message of the conversation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    /// Who wrote it.
    pub role: Role,
    /// Its text and images, in order.
    pub parts: Vec<ContentPart>,
}

impl ChatMessage {
    /// A user message holding one piece of text.
    pub fn user(text: impl Into<String>) -> ChatMessage {
        ChatMessage { role: Role::User, parts: vec![ContentPart::Text(text.into())] }
    }

    /// An assistant message holding one piece of text.
    pub fn assistant(text: impl Into<String>) -> ChatMessage {
        ChatMessage { role: Role::Assistant, parts: vec![ContentPart::Text(text.into())] }
    }

    /// The text parts joined by blank lines.
    fn text(&self) -> String {
        let texts: Vec<&str> = self
            .parts
            .iter()
            .filter_map(|part| match part {
                ContentPart::Text(text) => Some(text.as_str()),
                ContentPart::Image { .. } => None,
            })
            .collect();
        texts.join("\n\n")
    }

    /// Whether any part is an image.
    fn has_images(&self) -> bool {
        self.parts.iter().any(|part| matches!(part, ContentPart::Image { .. }))
    }
}

/// A provider-neutral chat request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ChatRequest {
    /// The model id, as the endpoint names it.
    pub model: String,
    /// The system prompt, if any.
    pub system: Option<String>,
    /// The conversation, oldest first.
    pub messages: Vec<ChatMessage>,
    /// Sampling temperature; the server's default when `None`.
    pub temperature: Option<f32>,
    /// The answer's length cap in tokens; the server's default when `None`
    /// (except Anthropic, which requires one: [`ANTHROPIC_DEFAULT_MAX_TOKENS`]).
    pub max_tokens: Option<u32>,
    /// Stop sequences.
    pub stop: Vec<String>,
    /// Turn thinking on or off; `None` leaves the model's default and sends nothing.
    pub thinking: Option<bool>,
    /// The caller's estimate of the prompt's size in tokens, used to size
    /// Ollama's context window; estimated from the text when `None`.
    pub prompt_tokens_estimate: Option<u32>,
}

/// Where and how to send a request: a preset's quirks plus the user's URL and key.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoint {
    /// The wire protocol.
    pub family: ApiFamily,
    /// The base URL, already passed through `normalize_base_url`.
    pub base_url: String,
    /// The API key; empty when none is needed.
    pub api_key: String,
    /// Whether to send `stream_options: {"include_usage": true}` (OpenAI family only).
    pub include_usage: bool,
    /// Where the thinking switch goes.
    pub thinking_control: ThinkingControl,
}

impl Endpoint {
    /// An endpoint with a preset's quirks and the user's base URL and key.
    pub fn from_preset(preset: &Preset, base_url: impl Into<String>, api_key: impl Into<String>) -> Endpoint {
        Endpoint {
            family: preset.family,
            base_url: base_url.into(),
            api_key: api_key.into(),
            include_usage: preset.include_usage,
            thinking_control: preset.thinking,
        }
    }

    /// An endpoint with a family's usual quirks, for when no preset applies.
    pub fn new(family: ApiFamily, base_url: impl Into<String>, api_key: impl Into<String>) -> Endpoint {
        Endpoint {
            family,
            base_url: base_url.into(),
            api_key: api_key.into(),
            include_usage: family == ApiFamily::OpenAi,
            thinking_control: ThinkingControl::for_family(family),
        }
    }

    /// The base URL without a trailing slash, ready for a path to be appended.
    pub(crate) fn base(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }

    /// The headers every request to this endpoint carries: auth (when a key
    /// is set), Anthropic's version and browser-access headers.
    pub(crate) fn common_headers(&self) -> Vec<(String, String)> {
        let mut headers = Vec::new();
        let key = self.api_key.trim();
        if !key.is_empty() {
            let header = match AuthStyle::for_family(self.family) {
                AuthStyle::XApiKey => ("x-api-key".to_string(), key.to_string()),
                AuthStyle::XGoogApiKey => ("x-goog-api-key".to_string(), key.to_string()),
                AuthStyle::Bearer | AuthStyle::None => ("Authorization".to_string(), format!("Bearer {key}")),
            };
            headers.push(header);
        }
        if self.family == ApiFamily::Anthropic {
            headers.push(("anthropic-version".to_string(), ANTHROPIC_VERSION.to_string()));
            headers.push(("anthropic-dangerous-direct-browser-access".to_string(), "true".to_string()));
        }
        headers
    }
}

/// Debug output never shows the key, only its length.
impl std::fmt::Debug for Endpoint {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Endpoint")
            .field("family", &self.family)
            .field("base_url", &self.base_url)
            .field("api_key", &format!("<{} chars>", self.api_key.chars().count()))
            .field("include_usage", &self.include_usage)
            .field("thinking_control", &self.thinking_control)
            .finish()
    }
}

/// The Anthropic API version Pagewise speaks.
pub const ANTHROPIC_VERSION: &str = "2023-06-01";

/// Anthropic requires `max_tokens`; this is sent when the request sets none.
pub const ANTHROPIC_DEFAULT_MAX_TOKENS: u32 = 4096;

/// Anthropic's smallest allowed thinking budget.
const ANTHROPIC_MIN_THINKING_BUDGET: u32 = 1024;

/// The answer length assumed when sizing Ollama's context and the request sets none.
pub const OLLAMA_DEFAULT_ANSWER_TOKENS: u32 = 1024;

/// The smallest context Pagewise asks Ollama for (its own default since v0.6.7).
pub const OLLAMA_MIN_NUM_CTX: u32 = 4096;

/// Builds the streaming chat request for `endpoint`.
pub fn build_chat_request(endpoint: &Endpoint, request: &ChatRequest) -> HttpRequest {
    let (path, body) = match endpoint.family {
        ApiFamily::OpenAi => ("/chat/completions".to_string(), openai_body(endpoint, request)),
        ApiFamily::Ollama => ("/api/chat".to_string(), ollama_body(endpoint, request)),
        ApiFamily::Anthropic => ("/v1/messages".to_string(), anthropic_body(endpoint, request)),
        ApiFamily::Gemini => (
            format!("/models/{}:streamGenerateContent?alt=sse", gemini_model_segment(&request.model)),
            gemini_body(endpoint, request),
        ),
    };
    let mut headers = endpoint.common_headers();
    headers.push(("content-type".to_string(), "application/json".to_string()));
    HttpRequest {
        method: HttpMethod::Post,
        url: format!("{}{path}", endpoint.base()),
        headers,
        body: Some(body.to_string()),
    }
}

/// The `num_ctx` to ask Ollama for: prompt plus answer plus a 10% margin,
/// rounded up to a multiple of 1024 and at least [`OLLAMA_MIN_NUM_CTX`], so
/// Ollama never drops the start of the prompt silently.
pub fn ollama_num_ctx(request: &ChatRequest) -> u32 {
    let prompt = u64::from(request.prompt_tokens_estimate.unwrap_or_else(|| estimate_prompt_tokens(request)));
    let answer = u64::from(request.max_tokens.unwrap_or(OLLAMA_DEFAULT_ANSWER_TOKENS));
    let with_margin = (prompt + answer) * 11;
    let with_margin = with_margin.div_ceil(10);
    let rounded = with_margin.div_ceil(1024) * 1024;
    u32::try_from(rounded).unwrap_or(u32::MAX).max(OLLAMA_MIN_NUM_CTX)
}

/// A rough prompt size in tokens when the caller gives none: one token per
/// three characters (generous for English, about right for Chinese), plus
/// a flat 1000 per image.
pub fn estimate_prompt_tokens(request: &ChatRequest) -> u32 {
    let mut characters = request.system.as_deref().map_or(0, |system| system.chars().count());
    let mut images = 0usize;
    for message in &request.messages {
        for part in &message.parts {
            match part {
                ContentPart::Text(text) => characters += text.chars().count(),
                ContentPart::Image { .. } => images += 1,
            }
        }
    }
    let tokens = characters.div_ceil(3) + images * 1000;
    u32::try_from(tokens).unwrap_or(u32::MAX)
}

/// A temperature as JSON, printed the way it was written (0.2, not 0.20000000298023224).
fn temperature_value(temperature: f32) -> Option<Value> {
    let shortest: f64 = temperature.to_string().parse().ok()?;
    Number::from_f64(shortest).map(Value::Number)
}

/// The system prompt, when it has any text.
fn system_text(request: &ChatRequest) -> Option<&str> {
    request.system.as_deref().filter(|system| !system.trim().is_empty())
}

/// The OpenAI role name of a message.
fn openai_role(role: Role) -> &'static str {
    match role {
        Role::User => "user",
        Role::Assistant => "assistant",
    }
}

/// Adds the top-level thinking switch for controls that live at the top of an
/// OpenAI-shaped or Ollama body; family-specific controls are handled by their builders.
fn add_thinking_switch(body: &mut Map<String, Value>, control: ThinkingControl, thinking: Option<bool>) {
    let Some(on) = thinking else { return };
    match control {
        ThinkingControl::EnableThinking => {
            body.insert("enable_thinking".into(), json!(on));
        }
        ThinkingControl::ThinkingType => {
            let kind = if on { "enabled" } else { "disabled" };
            body.insert("thinking".into(), json!({ "type": kind }));
        }
        ThinkingControl::OllamaThink => {
            body.insert("think".into(), json!(on));
        }
        ThinkingControl::ChatTemplateKwargs => {
            body.insert("chat_template_kwargs".into(), json!({ "enable_thinking": on }));
        }
        ThinkingControl::OpenRouterReasoning => {
            body.insert("reasoning".into(), json!({ "enabled": on }));
        }
        ThinkingControl::None | ThinkingControl::AnthropicBudget | ThinkingControl::GeminiIncludeThoughts => {}
    }
}

/// The OpenAI Chat Completions body.
fn openai_body(endpoint: &Endpoint, request: &ChatRequest) -> Value {
    let mut messages = Vec::new();
    if let Some(system) = system_text(request) {
        messages.push(json!({ "role": "system", "content": system }));
    }
    for message in &request.messages {
        // Plain strings where possible: several compatible servers reject content arrays.
        let content = if message.has_images() {
            let parts: Vec<Value> = message
                .parts
                .iter()
                .map(|part| match part {
                    ContentPart::Text(text) => json!({ "type": "text", "text": text }),
                    ContentPart::Image { mime, base64 } => json!({
                        "type": "image_url",
                        "image_url": { "url": format!("data:{mime};base64,{base64}") }
                    }),
                })
                .collect();
            Value::Array(parts)
        } else {
            Value::String(message.text())
        };
        messages.push(json!({ "role": openai_role(message.role), "content": content }));
    }
    let mut body = Map::new();
    body.insert("model".into(), json!(request.model));
    body.insert("messages".into(), Value::Array(messages));
    body.insert("stream".into(), json!(true));
    if endpoint.include_usage {
        body.insert("stream_options".into(), json!({ "include_usage": true }));
    }
    if let Some(temperature) = request.temperature.and_then(temperature_value) {
        body.insert("temperature".into(), temperature);
    }
    if let Some(max_tokens) = request.max_tokens {
        body.insert("max_tokens".into(), json!(max_tokens));
    }
    if !request.stop.is_empty() {
        body.insert("stop".into(), json!(request.stop));
    }
    add_thinking_switch(&mut body, endpoint.thinking_control, request.thinking);
    Value::Object(body)
}

/// The Ollama native `/api/chat` body, with a context window sized to the prompt.
fn ollama_body(endpoint: &Endpoint, request: &ChatRequest) -> Value {
    let mut messages = Vec::new();
    if let Some(system) = system_text(request) {
        messages.push(json!({ "role": "system", "content": system }));
    }
    for message in &request.messages {
        let mut entry = Map::new();
        entry.insert("role".into(), json!(openai_role(message.role)));
        entry.insert("content".into(), json!(message.text()));
        let images: Vec<&str> = message
            .parts
            .iter()
            .filter_map(|part| match part {
                ContentPart::Image { base64, .. } => Some(base64.as_str()),
                ContentPart::Text(_) => None,
            })
            .collect();
        if !images.is_empty() {
            entry.insert("images".into(), json!(images));
        }
        messages.push(Value::Object(entry));
    }
    let mut options = Map::new();
    options.insert("num_ctx".into(), json!(ollama_num_ctx(request)));
    if let Some(temperature) = request.temperature.and_then(temperature_value) {
        options.insert("temperature".into(), temperature);
    }
    if let Some(max_tokens) = request.max_tokens {
        options.insert("num_predict".into(), json!(max_tokens));
    }
    if !request.stop.is_empty() {
        options.insert("stop".into(), json!(request.stop));
    }
    let mut body = Map::new();
    body.insert("model".into(), json!(request.model));
    body.insert("messages".into(), Value::Array(messages));
    body.insert("stream".into(), json!(true));
    body.insert("options".into(), Value::Object(options));
    add_thinking_switch(&mut body, endpoint.thinking_control, request.thinking);
    Value::Object(body)
}

/// The Anthropic Messages body.
fn anthropic_body(endpoint: &Endpoint, request: &ChatRequest) -> Value {
    let messages: Vec<Value> = request
        .messages
        .iter()
        .map(|message| {
            let content = if message.has_images() {
                let blocks: Vec<Value> = message
                    .parts
                    .iter()
                    .map(|part| match part {
                        ContentPart::Text(text) => json!({ "type": "text", "text": text }),
                        ContentPart::Image { mime, base64 } => json!({
                            "type": "image",
                            "source": { "type": "base64", "media_type": mime, "data": base64 }
                        }),
                    })
                    .collect();
                Value::Array(blocks)
            } else {
                Value::String(message.text())
            };
            json!({ "role": openai_role(message.role), "content": content })
        })
        .collect();
    let thinking_on = endpoint.thinking_control == ThinkingControl::AnthropicBudget && request.thinking == Some(true);
    let mut max_tokens = request.max_tokens.unwrap_or(ANTHROPIC_DEFAULT_MAX_TOKENS);
    let mut budget = 0;
    if thinking_on {
        // The budget must be at least 1024 and below max_tokens, leaving room for the answer.
        budget = (max_tokens / 2).max(ANTHROPIC_MIN_THINKING_BUDGET);
        if budget >= max_tokens {
            max_tokens = budget + ANTHROPIC_MIN_THINKING_BUDGET;
        }
    }
    let mut body = Map::new();
    body.insert("model".into(), json!(request.model));
    body.insert("max_tokens".into(), json!(max_tokens));
    if let Some(system) = system_text(request) {
        body.insert("system".into(), json!(system));
    }
    body.insert("messages".into(), Value::Array(messages));
    body.insert("stream".into(), json!(true));
    // Anthropic rejects a temperature other than 1 while thinking, so it is left out then.
    if !thinking_on {
        if let Some(temperature) = request.temperature.and_then(temperature_value) {
            body.insert("temperature".into(), temperature);
        }
    }
    if !request.stop.is_empty() {
        body.insert("stop_sequences".into(), json!(request.stop));
    }
    if thinking_on {
        body.insert("thinking".into(), json!({ "type": "enabled", "budget_tokens": budget }));
    }
    Value::Object(body)
}

/// The Gemini `generateContent` body.
fn gemini_body(endpoint: &Endpoint, request: &ChatRequest) -> Value {
    let contents: Vec<Value> = request
        .messages
        .iter()
        .map(|message| {
            let role = match message.role {
                Role::User => "user",
                Role::Assistant => "model",
            };
            let parts: Vec<Value> = message
                .parts
                .iter()
                .map(|part| match part {
                    ContentPart::Text(text) => json!({ "text": text }),
                    ContentPart::Image { mime, base64 } => {
                        json!({ "inline_data": { "mime_type": mime, "data": base64 } })
                    }
                })
                .collect();
            json!({ "role": role, "parts": parts })
        })
        .collect();
    let mut config = Map::new();
    if let Some(temperature) = request.temperature.and_then(temperature_value) {
        config.insert("temperature".into(), temperature);
    }
    if let Some(max_tokens) = request.max_tokens {
        config.insert("maxOutputTokens".into(), json!(max_tokens));
    }
    if !request.stop.is_empty() {
        config.insert("stopSequences".into(), json!(request.stop));
    }
    if endpoint.thinking_control == ThinkingControl::GeminiIncludeThoughts {
        if let Some(on) = request.thinking {
            config.insert("thinkingConfig".into(), json!({ "includeThoughts": on }));
        }
    }
    let mut body = Map::new();
    body.insert("contents".into(), Value::Array(contents));
    if let Some(system) = system_text(request) {
        body.insert("systemInstruction".into(), json!({ "parts": [{ "text": system }] }));
    }
    if !config.is_empty() {
        body.insert("generationConfig".into(), Value::Object(config));
    }
    Value::Object(body)
}

/// The model id as a URL path segment: without a pasted `models/` prefix,
/// and with anything outside the unreserved set percent-encoded.
pub(crate) fn gemini_model_segment(model: &str) -> String {
    let model = model.trim();
    let model = model.strip_prefix("models/").unwrap_or(model);
    let mut encoded = String::with_capacity(model.len());
    for byte in model.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(byte));
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            encoded.push('%');
            encoded.push(char::from(HEX[usize::from(byte >> 4)]));
            encoded.push(char::from(HEX[usize::from(byte & 0x0F)]));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::presets::{find_preset, PRESETS};

    const KEY: &str = "sk-SECRET-123";

    fn endpoint(preset_id: &str, base_url: &str) -> Endpoint {
        let preset = find_preset(preset_id).unwrap();
        Endpoint::from_preset(preset, base_url, KEY)
    }

    fn body(request: &HttpRequest) -> Value {
        serde_json::from_str(request.body.as_deref().unwrap()).unwrap()
    }

    fn image_message() -> ChatMessage {
        ChatMessage {
            role: Role::User,
            parts: vec![
                ContentPart::Text("What is in this picture?".into()),
                ContentPart::Image { mime: "image/png".into(), base64: "iVBORw0KGgo=".into() },
            ],
        }
    }

    fn conversation() -> ChatRequest {
        ChatRequest {
            model: "m".into(),
            system: Some("Be brief.".into()),
            messages: vec![ChatMessage::user("Hi"), ChatMessage::assistant("Hello."), image_message()],
            temperature: Some(0.2),
            max_tokens: Some(512),
            stop: vec!["END".into()],
            thinking: None,
            prompt_tokens_estimate: Some(3000),
        }
    }

    #[test]
    fn openai_request_is_streaming_chat_completions() {
        let request = build_chat_request(&endpoint("openai", "https://api.openai.com/v1"), &conversation());
        assert_eq!(request.method, HttpMethod::Post);
        assert_eq!(request.url, "https://api.openai.com/v1/chat/completions");
        assert_eq!(
            request.headers,
            vec![
                ("Authorization".to_string(), format!("Bearer {KEY}")),
                ("content-type".to_string(), "application/json".to_string()),
            ]
        );
        assert_eq!(
            body(&request),
            json!({
                "model": "m",
                "messages": [
                    { "role": "system", "content": "Be brief." },
                    { "role": "user", "content": "Hi" },
                    { "role": "assistant", "content": "Hello." },
                    { "role": "user", "content": [
                        { "type": "text", "text": "What is in this picture?" },
                        { "type": "image_url", "image_url": { "url": "data:image/png;base64,iVBORw0KGgo=" } }
                    ] }
                ],
                "stream": true,
                "stream_options": { "include_usage": true },
                "temperature": 0.2,
                "max_tokens": 512,
                "stop": ["END"]
            })
        );
    }

    #[test]
    fn openai_request_without_key_or_usage_sends_neither() {
        let endpoint = Endpoint {
            api_key: String::new(),
            include_usage: false,
            ..endpoint("lmstudio", "http://127.0.0.1:1234/v1")
        };
        let request =
            ChatRequest { model: "qwen".into(), messages: vec![ChatMessage::user("Hi")], ..ChatRequest::default() };
        let built = build_chat_request(&endpoint, &request);
        assert_eq!(built.header("authorization"), None);
        assert_eq!(
            body(&built),
            json!({ "model": "qwen", "messages": [{ "role": "user", "content": "Hi" }], "stream": true })
        );
    }

    #[test]
    fn thinking_switch_goes_where_the_endpoint_says() {
        let cases: &[(&str, &str, Value, Value)] = &[
            ("dashscope", "enable_thinking", json!(true), json!(false)),
            ("ark", "thinking", json!({ "type": "enabled" }), json!({ "type": "disabled" })),
            ("zhipu", "thinking", json!({ "type": "enabled" }), json!({ "type": "disabled" })),
            ("vllm", "chat_template_kwargs", json!({ "enable_thinking": true }), json!({ "enable_thinking": false })),
            (
                "llamacpp",
                "chat_template_kwargs",
                json!({ "enable_thinking": true }),
                json!({ "enable_thinking": false }),
            ),
            ("openrouter", "reasoning", json!({ "enabled": true }), json!({ "enabled": false })),
            ("ollama", "think", json!(true), json!(false)),
        ];
        for (preset, field, on, off) in cases {
            let endpoint = endpoint(preset, "http://127.0.0.1:9/v1");
            for (thinking, expected) in [(true, on), (false, off)] {
                let request = ChatRequest { thinking: Some(thinking), ..conversation() };
                let sent = body(&build_chat_request(&endpoint, &request));
                assert_eq!(&sent[*field], expected, "{preset} thinking={thinking}");
            }
            let unset = body(&build_chat_request(&endpoint, &conversation()));
            assert!(unset.get(*field).is_none(), "{preset} sends {field} when thinking is unset");
        }
        for preset in ["openai", "deepseek", "groq", "lmstudio", "ollama-openai", "custom"] {
            let request = ChatRequest { thinking: Some(true), ..conversation() };
            let sent = body(&build_chat_request(&endpoint(preset, "https://x.example/v1"), &request));
            for field in ["enable_thinking", "thinking", "think", "chat_template_kwargs", "reasoning"] {
                assert!(sent.get(field).is_none(), "{preset} sent {field}");
            }
        }
    }

    #[test]
    fn ollama_native_request_sizes_the_context() {
        let request = ChatRequest { thinking: Some(true), ..conversation() };
        let built = build_chat_request(&endpoint("ollama", "http://127.0.0.1:11434"), &request);
        assert_eq!(built.url, "http://127.0.0.1:11434/api/chat");
        // (3000 + 512) * 1.1 = 3863.2 -> 3864 -> 4096.
        assert_eq!(
            body(&built),
            json!({
                "model": "m",
                "messages": [
                    { "role": "system", "content": "Be brief." },
                    { "role": "user", "content": "Hi" },
                    { "role": "assistant", "content": "Hello." },
                    { "role": "user", "content": "What is in this picture?", "images": ["iVBORw0KGgo="] }
                ],
                "stream": true,
                "options": { "num_ctx": 4096, "temperature": 0.2, "num_predict": 512, "stop": ["END"] },
                "think": true
            })
        );
    }

    #[test]
    fn ollama_context_covers_prompt_answer_and_margin() {
        let sized = |prompt: Option<u32>, answer: Option<u32>| {
            ollama_num_ctx(&ChatRequest {
                prompt_tokens_estimate: prompt,
                max_tokens: answer,
                ..ChatRequest::default()
            })
        };
        assert_eq!(sized(Some(0), None), 4096);
        assert_eq!(sized(None, None), 4096);
        // (6000 + 1024) * 1.1 = 7726.4 -> 7727 -> 8192.
        assert_eq!(sized(Some(6000), None), 8192);
        // (20000 + 2000) * 1.1 = 24200 -> 24576.
        assert_eq!(sized(Some(20_000), Some(2000)), 24_576);
        // Exactly on a boundary: (9310 + 0) * 1.1 = 10241 -> 11264.
        assert_eq!(sized(Some(9310), Some(0)), 11_264);
        assert_eq!(sized(Some(u32::MAX), Some(u32::MAX)), u32::MAX);
        for prompt in (0..200_000).step_by(977) {
            let num_ctx = sized(Some(prompt), Some(700));
            assert_eq!(num_ctx % 1024, 0);
            assert!(f64::from(num_ctx) >= f64::from(prompt + 700) * 1.1, "{prompt}");
        }
        // With no estimate, the text is measured: 30 000 characters -> 10 000 tokens.
        let long = ChatRequest { messages: vec![ChatMessage::user("x".repeat(30_000))], ..ChatRequest::default() };
        assert_eq!(estimate_prompt_tokens(&long), 10_000);
        assert_eq!(ollama_num_ctx(&long), 12_288);
    }

    #[test]
    fn anthropic_request_has_browser_headers_and_required_max_tokens() {
        let request = ChatRequest { max_tokens: None, ..conversation() };
        let built = build_chat_request(&endpoint("anthropic", "https://api.anthropic.com"), &request);
        assert_eq!(built.url, "https://api.anthropic.com/v1/messages");
        assert_eq!(
            built.headers,
            vec![
                ("x-api-key".to_string(), KEY.to_string()),
                ("anthropic-version".to_string(), "2023-06-01".to_string()),
                ("anthropic-dangerous-direct-browser-access".to_string(), "true".to_string()),
                ("content-type".to_string(), "application/json".to_string()),
            ]
        );
        assert_eq!(
            body(&built),
            json!({
                "model": "m",
                "max_tokens": 4096,
                "system": "Be brief.",
                "messages": [
                    { "role": "user", "content": "Hi" },
                    { "role": "assistant", "content": "Hello." },
                    { "role": "user", "content": [
                        { "type": "text", "text": "What is in this picture?" },
                        { "type": "image", "source": { "type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo=" } }
                    ] }
                ],
                "stream": true,
                "temperature": 0.2,
                "stop_sequences": ["END"]
            })
        );
    }

    #[test]
    fn anthropic_thinking_budget_stays_below_max_tokens() {
        let anthropic = endpoint("anthropic", "https://api.anthropic.com");
        for (max_tokens, expected_max, expected_budget) in
            [(None, 4096, 2048), (Some(16_000), 16_000, 8000), (Some(1500), 1500, 1024), (Some(512), 2048, 1024)]
        {
            let request = ChatRequest {
                messages: vec![ChatMessage::user("Hi")],
                max_tokens,
                temperature: Some(0.5),
                thinking: Some(true),
                ..ChatRequest::default()
            };
            let sent = body(&build_chat_request(&anthropic, &request));
            assert_eq!(sent["max_tokens"], json!(expected_max), "{max_tokens:?}");
            assert_eq!(sent["thinking"], json!({ "type": "enabled", "budget_tokens": expected_budget }));
            assert!(sent.get("temperature").is_none(), "temperature must be left out while thinking");
        }
        let off =
            ChatRequest { messages: vec![ChatMessage::user("Hi")], thinking: Some(false), ..ChatRequest::default() };
        assert!(body(&build_chat_request(&anthropic, &off)).get("thinking").is_none());
    }

    #[test]
    fn gemini_request_uses_header_key_and_sse() {
        let request = ChatRequest { model: "models/gemini-2.5-flash".into(), thinking: Some(true), ..conversation() };
        let built =
            build_chat_request(&endpoint("gemini", "https://generativelanguage.googleapis.com/v1beta"), &request);
        assert_eq!(
            built.url,
            "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"
        );
        assert_eq!(
            built.headers,
            vec![
                ("x-goog-api-key".to_string(), KEY.to_string()),
                ("content-type".to_string(), "application/json".to_string()),
            ]
        );
        assert_eq!(
            body(&built),
            json!({
                "contents": [
                    { "role": "user", "parts": [{ "text": "Hi" }] },
                    { "role": "model", "parts": [{ "text": "Hello." }] },
                    { "role": "user", "parts": [
                        { "text": "What is in this picture?" },
                        { "inline_data": { "mime_type": "image/png", "data": "iVBORw0KGgo=" } }
                    ] }
                ],
                "systemInstruction": { "parts": [{ "text": "Be brief." }] },
                "generationConfig": {
                    "temperature": 0.2,
                    "maxOutputTokens": 512,
                    "stopSequences": ["END"],
                    "thinkingConfig": { "includeThoughts": true }
                }
            })
        );
        assert_eq!(gemini_model_segment("tunedModels x/y"), "tunedModels%20x%2Fy");
    }

    #[test]
    fn no_request_ever_carries_the_key_in_its_url() {
        let request = conversation();
        for preset in PRESETS {
            let base = if preset.base_url.is_empty() { "https://proxy.example/v1" } else { preset.base_url };
            let endpoint = Endpoint::from_preset(preset, base, KEY);
            let built = build_chat_request(&endpoint, &request);
            assert!(!built.url.contains(KEY), "{}: {}", preset.id, built.url);
            assert!(!built.url.contains("key="), "{}: {}", preset.id, built.url);
            assert!(!format!("{built:?}").contains(KEY), "{} debug output shows the key", preset.id);
            assert!(!format!("{endpoint:?}").contains(KEY), "{} endpoint debug shows the key", preset.id);
            assert!(built.headers.iter().any(|(_, value)| value.contains(KEY)), "{} sends no key", preset.id);
            assert!(built.url.starts_with(base), "{}", preset.id);
        }
    }

    #[test]
    fn endpoint_defaults_follow_the_family() {
        let ollama = Endpoint::new(ApiFamily::Ollama, "http://127.0.0.1:11434", "");
        assert_eq!(ollama.thinking_control, ThinkingControl::OllamaThink);
        assert!(!ollama.include_usage);
        assert!(ollama.common_headers().is_empty());
        let openai = Endpoint::new(ApiFamily::OpenAi, "https://x.example/v1/", "k");
        assert!(openai.include_usage);
        assert_eq!(build_chat_request(&openai, &ChatRequest::default()).url, "https://x.example/v1/chat/completions");
    }

    #[test]
    fn temperatures_print_as_written() {
        assert_eq!(temperature_value(0.2), Some(json!(0.2)));
        assert_eq!(temperature_value(1.0), Some(json!(1.0)));
        assert_eq!(temperature_value(f32::NAN), None);
    }
}
