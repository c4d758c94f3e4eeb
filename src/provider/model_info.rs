//! Per-model context windows: asking a local server what it serves (Ollama `/api/show`, llama.cpp `/props`), parsing its answer, and a table of known models.
//!
//! A prompt must fit the window the server will actually use, which is not
//! always the model's: Ollama serves every request that does not set
//! `options.num_ctx` with its own default (4096 tokens in current releases),
//! whatever the model was trained for, and cuts a longer prompt silently;
//! llama.cpp serves each request in one slot of `--ctx-size` tokens (divided
//! among the slots unless the cache is unified). So for these two servers the
//! window is asked for ([`context_window_request`], [`parse_context_window`]);
//! for cloud models a name table ([`known_context_window`]) says it. The
//! model lists of OpenRouter, vLLM, Groq and Gemini carry it too
//! ([`super::models::ModelInfo::context_window`]), and
//! [`context_window_in_model_list`] picks one model's from such a list.

use serde_json::Value;

use super::models::parse_model_list;
use super::request::Endpoint;
use super::{ApiFamily, HttpMethod, HttpRequest};

/// Which kind of server an endpoint is, as far as its context window goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ServerKind {
    /// Ollama, native (`/api/chat`) or through its `/v1` compatibility layer.
    Ollama,
    /// llama.cpp's `llama-server`.
    LlamaCpp,
    /// Anything else: cloud APIs, vLLM, LM Studio, unknown servers.
    Other,
}

/// Ollama's default port.
const OLLAMA_PORT: u16 = 11434;
/// `llama-server`'s default port.
const LLAMA_CPP_PORT: u16 = 8080;

/// Ollama's `num_ctx` for a request that sets none and a model whose
/// Modelfile sets none: 4096 since v0.6.7 (2048 before; since v0.15.5 larger
/// on GPUs with 24 GiB or more, and `OLLAMA_CONTEXT_LENGTH` changes it, none
/// of which `/api/show` reports). The smallest current value is assumed.
pub const OLLAMA_DEFAULT_NUM_CTX: u32 = 4096;

/// The kind of server behind `endpoint`, saved with preset `preset_id`.
///
/// The preset decides when it names the server (`ollama`, `ollama-openai`,
/// `llamacpp`) or another known one; the native Ollama family is always
/// Ollama; a custom or unknown preset is recognized by the servers' default
/// ports (11434 Ollama, 8080 llama.cpp). A wrong guess costs one request
/// that fails, and the caller falls back to its default.
pub fn server_kind(preset_id: &str, endpoint: &Endpoint) -> ServerKind {
    if endpoint.family == ApiFamily::Ollama {
        return ServerKind::Ollama;
    }
    match preset_id {
        "ollama" | "ollama-openai" => return ServerKind::Ollama,
        "llamacpp" => return ServerKind::LlamaCpp,
        "custom" | "" => {}
        known if super::presets::find_preset(known).is_some() => return ServerKind::Other,
        _ => {}
    }
    match explicit_port(&endpoint.base_url) {
        Some(OLLAMA_PORT) => ServerKind::Ollama,
        Some(LLAMA_CPP_PORT) => ServerKind::LlamaCpp,
        _ => ServerKind::Other,
    }
}

/// The explicit port of a URL, if any.
fn explicit_port(url: &str) -> Option<u16> {
    let rest = url.trim().split_once("://").map_or(url.trim(), |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next()?.rsplit('@').next()?;
    let after_host = match authority.strip_prefix('[') {
        Some(bracketed) => bracketed.split_once(']')?.1,
        None => authority.split_once(':').map_or("", |(_, port)| port),
    };
    after_host.trim_start_matches(':').parse().ok()
}

/// The server's own root: the base URL without the `/v1` of its
/// OpenAI-compatible layer (a reverse-proxy prefix before it is kept).
fn server_root(endpoint: &Endpoint) -> &str {
    let base = endpoint.base();
    base.strip_suffix("/v1").unwrap_or(base)
}

/// The request that asks `endpoint`'s server for `model`'s context window:
/// Ollama `POST {root}/api/show` with `{"model": model}` (and the older
/// `name` field), llama.cpp `GET {root}/props` (with `?model=` and
/// `autoload=false`, which a router-mode server needs to answer for one of
/// its models and a single-model server ignores); `None` for other servers.
/// The key goes in the endpoint's auth header, as for every request.
pub fn context_window_request(endpoint: &Endpoint, kind: ServerKind, model: &str) -> Option<HttpRequest> {
    let root = server_root(endpoint);
    match kind {
        ServerKind::Ollama => {
            let mut headers = endpoint.common_headers();
            headers.push(("content-type".to_string(), "application/json".to_string()));
            Some(HttpRequest {
                method: HttpMethod::Post,
                url: format!("{root}/api/show"),
                headers,
                body: Some(serde_json::json!({ "model": model, "name": model }).to_string()),
            })
        }
        ServerKind::LlamaCpp => {
            let query = if model.trim().is_empty() {
                String::new()
            } else {
                format!("?model={}&autoload=false", query_component(model))
            };
            Some(HttpRequest {
                method: HttpMethod::Get,
                url: format!("{root}/props{query}"),
                headers: endpoint.common_headers(),
                body: None,
            })
        }
        ServerKind::Other => None,
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn query_component(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// The context window a request to the server will get, from the body of
/// the [`context_window_request`] answer of a server of `kind`; `None` when
/// the body does not say (an error, another server, a router that has not
/// loaded the model).
///
/// - Ollama `/api/show`: the `num_ctx` line of `parameters` (the
///   Modelfile's `PARAMETER num_ctx`) when there is one; else Ollama's
///   default [`OLLAMA_DEFAULT_NUM_CTX`], or the model's
///   `model_info["<architecture>.context_length"]` when that is smaller.
///   Not the trained length itself: Ollama cuts a prompt longer than
///   `num_ctx` without an error (its users' most common complaint), so the
///   window of a request that does not set `options.num_ctx` is the default.
///   Pagewise's native Ollama requests do set it, sized to the prompt; for
///   them [`ollama_model_context_length`] is the ceiling.
/// - llama.cpp `/props`: `default_generation_settings.n_ctx` (a top-level
///   `n_ctx` too, as some builds and forks report it). That is the context
///   of one slot, the one a request runs in: `--ctx-size` divided by
///   `--parallel` unless the KV cache is unified (`--kv-unified`), when each
///   slot may use it all.
pub fn parse_context_window(kind: ServerKind, body: &str) -> Option<u32> {
    let value: Value = serde_json::from_str(body).ok()?;
    match kind {
        ServerKind::Ollama => {
            if let Some(num_ctx) = ollama_num_ctx(&value) {
                return Some(num_ctx);
            }
            let trained = context_length(&value);
            // A body without `model_info` or `parameters` is not /api/show's.
            if trained.is_none() && value.get("parameters").is_none() && value.get("details").is_none() {
                return None;
            }
            Some(trained.map_or(OLLAMA_DEFAULT_NUM_CTX, |trained| trained.min(OLLAMA_DEFAULT_NUM_CTX)))
        }
        ServerKind::LlamaCpp => {
            positive(value.pointer("/default_generation_settings/n_ctx")).or_else(|| positive(value.get("n_ctx")))
        }
        ServerKind::Other => None,
    }
}

/// The length a model was trained for, from an Ollama `/api/show` body:
/// the most `options.num_ctx` may ask for (memory permitting).
pub fn ollama_model_context_length(body: &str) -> Option<u32> {
    context_length(&serde_json::from_str(body).ok()?)
}

/// `num_ctx` from `/api/show`'s `parameters`, one `name value` pair a line
/// (`"num_ctx                        8192\nstop \"<|im_end|>\""`).
fn ollama_num_ctx(value: &Value) -> Option<u32> {
    value
        .get("parameters")?
        .as_str()?
        .lines()
        .find_map(|line| {
            let mut words = line.split_whitespace();
            (words.next() == Some("num_ctx")).then(|| words.next()?.trim_matches('"').parse::<u32>().ok()).flatten()
        })
        .filter(|num_ctx| *num_ctx > 0)
}

/// `model_info["<general.architecture>.context_length"]`, else any
/// `*.context_length` key (for a body without the architecture).
fn context_length(value: &Value) -> Option<u32> {
    let info = value.get("model_info")?.as_object()?;
    let architecture = info.get("general.architecture").and_then(Value::as_str);
    architecture.and_then(|architecture| positive(info.get(&format!("{architecture}.context_length")))).or_else(|| {
        info.iter().filter(|(key, _)| key.ends_with(".context_length")).find_map(|(_, v)| positive(Some(v)))
    })
}

/// A positive whole number that fits a `u32`.
fn positive(value: Option<&Value>) -> Option<u32> {
    value.and_then(Value::as_u64).filter(|n| *n > 0).and_then(|n| u32::try_from(n).ok())
}

/// `model`'s context window in a model-list body of `family` (OpenRouter's
/// `context_length`, vLLM's `max_model_len`, Groq's `context_window`,
/// Gemini's `inputTokenLimit`), when the list has the model and says.
pub fn context_window_in_model_list(family: ApiFamily, body: &str, model: &str) -> Option<u32> {
    let wanted = model.trim().strip_prefix("models/").unwrap_or(model.trim());
    parse_model_list(family, body).ok()?.into_iter().find(|info| info.id == wanted)?.context_window
}

/// How a [`KNOWN_WINDOWS`] pattern matches a model name.
#[derive(Clone, Copy)]
enum Pattern {
    /// The name starts with it (short names such as `o3`, which would match
    /// inside others).
    Prefix(&'static str),
    /// The name contains it.
    Contains(&'static str),
}

/// Context windows of well-known models by name, first match wins (so the
/// specific before the general). Input windows as their makers publish
/// them, the smaller when versions differ (a model that grew later keeps
/// its first size) and without opt-in extensions (YaRN, beta headers).
const KNOWN_WINDOWS: &[(Pattern, u32)] = &[
    // OpenAI. GPT-5 takes 272,000 input tokens of its 400,000.
    (Pattern::Prefix("gpt-5"), 272_000),
    (Pattern::Prefix("gpt-4.1"), 1_047_576),
    (Pattern::Prefix("gpt-4o"), 128_000),
    (Pattern::Prefix("chatgpt-4o"), 128_000),
    (Pattern::Prefix("gpt-4-turbo"), 128_000),
    (Pattern::Prefix("gpt-4-1106"), 128_000),
    (Pattern::Prefix("gpt-4-0125"), 128_000),
    (Pattern::Prefix("gpt-4"), 8_192),
    (Pattern::Prefix("gpt-3.5-turbo-instruct"), 4_096),
    (Pattern::Prefix("gpt-3.5"), 16_385),
    (Pattern::Prefix("gpt-oss"), 131_072),
    (Pattern::Prefix("o1-mini"), 128_000),
    (Pattern::Prefix("o1-preview"), 128_000),
    (Pattern::Prefix("o1"), 200_000),
    (Pattern::Prefix("o3"), 200_000),
    (Pattern::Prefix("o4"), 200_000),
    // Anthropic: every Claude 3 and 4 model; Claude 2.0 and Instant had 100,000.
    (Pattern::Contains("claude-2.0"), 100_000),
    (Pattern::Contains("claude-instant"), 100_000),
    (Pattern::Contains("claude"), 200_000),
    // Google.
    (Pattern::Contains("gemini-1.5-pro"), 2_097_152),
    (Pattern::Contains("gemini-1.0"), 30_720),
    (Pattern::Prefix("gemini-pro"), 30_720),
    (Pattern::Contains("gemini"), 1_048_576),
    (Pattern::Contains("gemma-3"), 32_768),
    (Pattern::Contains("gemma3"), 32_768),
    (Pattern::Contains("gemma"), 8_192),
    // DeepSeek's API (V3.1 and later; 64K before).
    (Pattern::Contains("deepseek-chat"), 128_000),
    (Pattern::Contains("deepseek-reasoner"), 128_000),
    (Pattern::Contains("deepseek"), 64_000),
    // Alibaba. Hosted Qwen: qwen3-max 262,144, qwen-max 32,768, plus and turbo
    // 131,072 (later versions take 1M); open Qwen 2.5 and 3: 32,768 native.
    (Pattern::Contains("qwen3-max"), 262_144),
    (Pattern::Contains("qwen-max"), 32_768),
    (Pattern::Contains("qwen-plus"), 131_072),
    (Pattern::Contains("qwen-turbo"), 131_072),
    (Pattern::Contains("qwen-long"), 1_000_000),
    (Pattern::Contains("qwq"), 32_768),
    (Pattern::Contains("qwen"), 32_768),
    // Moonshot (the -8k/-32k/-128k names are read from the name itself).
    (Pattern::Contains("moonshot"), 131_072),
    (Pattern::Contains("kimi"), 131_072),
    // ByteDance Doubao on Ark (sizes in the name are read from it).
    (Pattern::Contains("doubao-seed"), 262_144),
    (Pattern::Contains("doubao"), 32_768),
    // Zhipu GLM-4 and later.
    (Pattern::Contains("glm-4-long"), 1_000_000),
    (Pattern::Contains("glm"), 131_072),
    // Meta Llama: 3.1 and later 131,072; 3.0 8,192; 2 4,096.
    (Pattern::Contains("llama3.1"), 131_072),
    (Pattern::Contains("llama-3.1"), 131_072),
    (Pattern::Contains("llama3.2"), 131_072),
    (Pattern::Contains("llama-3.2"), 131_072),
    (Pattern::Contains("llama3.3"), 131_072),
    (Pattern::Contains("llama-3.3"), 131_072),
    (Pattern::Contains("llama-4"), 131_072),
    (Pattern::Contains("llama4"), 131_072),
    (Pattern::Contains("llama3"), 8_192),
    (Pattern::Contains("llama-3"), 8_192),
    (Pattern::Contains("llama2"), 4_096),
    (Pattern::Contains("llama-2"), 4_096),
    // Mistral.
    (Pattern::Contains("mistral-large"), 131_072),
    (Pattern::Contains("mistral-nemo"), 131_072),
    (Pattern::Contains("mistral"), 32_768),
    (Pattern::Contains("mixtral"), 32_768),
    (Pattern::Contains("codestral"), 32_768),
    // Others often served locally or on Groq and OpenRouter.
    (Pattern::Contains("phi-4"), 16_384),
    (Pattern::Contains("phi4"), 16_384),
    (Pattern::Contains("phi-3"), 4_096),
    (Pattern::Contains("phi3"), 4_096),
    (Pattern::Contains("command-r"), 131_072),
    (Pattern::Contains("grok"), 131_072),
];

/// The context window of a well-known model, from its name alone
/// (case-insensitive; a provider prefix such as `openai/` and an Ollama tag
/// such as `:8b` are ignored). A size in the name wins (`moonshot-v1-32k`,
/// `doubao-1.5-pro-256k`, `phi-3-mini-128k-instruct`), read as thousands of
/// tokens (32,000 for `32k`, never more than the model has); then
/// [`KNOWN_WINDOWS`]. `None` for a model it does not know.
pub fn known_context_window(model: &str) -> Option<u32> {
    let lower = model.trim().to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or_default();
    if name.is_empty() {
        return None;
    }
    if let Some(size) = size_in_name(name) {
        return Some(size);
    }
    KNOWN_WINDOWS
        .iter()
        .find(|(pattern, _)| match pattern {
            Pattern::Prefix(prefix) => name.starts_with(prefix),
            Pattern::Contains(part) => name.contains(part),
        })
        .map(|(_, window)| *window)
}

/// A `-32k`-style size in a model name (a part of it between `-`, `_`, `:`
/// or `.` that is digits then `k`), in tokens.
fn size_in_name(name: &str) -> Option<u32> {
    name.split(['-', '_', ':', '.'])
        .filter_map(|part| part.strip_suffix('k'))
        .filter(|digits| !digits.is_empty() && digits.len() <= 4 && digits.bytes().all(|b| b.is_ascii_digit()))
        .find_map(|digits| digits.parse::<u32>().ok())
        .filter(|thousands| *thousands >= 1)
        .map(|thousands| thousands * 1_000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::presets::find_preset;

    fn endpoint(preset: &str, base_url: &str, key: &str) -> Endpoint {
        Endpoint::from_preset(find_preset(preset).unwrap(), base_url, key)
    }

    #[test]
    fn server_kind_follows_the_preset_then_the_default_port() {
        let cases = [
            ("ollama", "http://127.0.0.1:11434", ServerKind::Ollama),
            ("ollama-openai", "http://127.0.0.1:11434/v1", ServerKind::Ollama),
            ("ollama-openai", "http://gpu-box:9999/v1", ServerKind::Ollama),
            ("llamacpp", "http://127.0.0.1:8080/v1", ServerKind::LlamaCpp),
            ("llamacpp", "http://192.168.1.20:9000/v1", ServerKind::LlamaCpp),
            ("custom", "http://localhost:11434/v1", ServerKind::Ollama),
            ("custom", "http://[::1]:8080/v1", ServerKind::LlamaCpp),
            ("custom", "https://user@llm.example:8080/v1", ServerKind::LlamaCpp),
            ("custom", "http://127.0.0.1:8000/v1", ServerKind::Other),
            ("custom", "https://llm.example/v1", ServerKind::Other),
            ("custom", "http://[::1]/v1", ServerKind::Other),
            ("no-such-preset", "http://127.0.0.1:8080/v1", ServerKind::LlamaCpp),
            // A named preset wins over the port.
            ("vllm", "http://127.0.0.1:8080/v1", ServerKind::Other),
            ("lmstudio", "http://127.0.0.1:11434/v1", ServerKind::Other),
            ("openai", "https://api.openai.com/v1", ServerKind::Other),
        ];
        for (preset, base, kind) in cases {
            let preset_entry = find_preset(preset).unwrap_or_else(|| find_preset("custom").unwrap());
            let endpoint = Endpoint::from_preset(preset_entry, base, "");
            assert_eq!(server_kind(preset, &endpoint), kind, "{preset} {base}");
        }
        // The native Ollama family is Ollama whatever the preset says.
        let native = Endpoint::new(ApiFamily::Ollama, "http://ollama.lan", "");
        assert_eq!(server_kind("custom", &native), ServerKind::Ollama);
    }

    #[test]
    fn ollama_is_asked_at_its_native_api_whatever_the_base_url() {
        let cases = [
            ("ollama", "http://127.0.0.1:11434", "http://127.0.0.1:11434/api/show"),
            ("ollama-openai", "http://127.0.0.1:11434/v1", "http://127.0.0.1:11434/api/show"),
            ("ollama-openai", "https://box.example/ollama/v1/", "https://box.example/ollama/api/show"),
            ("ollama", "https://box.example/ollama", "https://box.example/ollama/api/show"),
        ];
        for (preset, base, url) in cases {
            let request = context_window_request(&endpoint(preset, base, ""), ServerKind::Ollama, "qwen3:8b").unwrap();
            assert_eq!(request.method, HttpMethod::Post);
            assert_eq!(request.url, url);
            assert_eq!(request.header("content-type"), Some("application/json"));
            assert_eq!(request.header("authorization"), None);
            let body: Value = serde_json::from_str(request.body.as_deref().unwrap()).unwrap();
            assert_eq!(body, serde_json::json!({ "model": "qwen3:8b", "name": "qwen3:8b" }));
        }
        let keyed = context_window_request(
            &endpoint("ollama-openai", "https://proxy.example/v1", "k-SECRET"),
            ServerKind::Ollama,
            "m",
        )
        .unwrap();
        assert_eq!(keyed.header("authorization"), Some("Bearer k-SECRET"));
        assert!(!keyed.url.contains("SECRET"));
    }

    #[test]
    fn llama_cpp_is_asked_for_its_props() {
        let local = endpoint("llamacpp", "http://127.0.0.1:8080/v1", "");
        let request = context_window_request(&local, ServerKind::LlamaCpp, "Qwen3 8B/Q4_K_M").unwrap();
        assert_eq!(request.method, HttpMethod::Get);
        assert_eq!(request.url, "http://127.0.0.1:8080/props?model=Qwen3%208B%2FQ4_K_M&autoload=false");
        assert_eq!(request.body, None);
        assert!(request.headers.is_empty());
        let unnamed = context_window_request(&local, ServerKind::LlamaCpp, " ").unwrap();
        assert_eq!(unnamed.url, "http://127.0.0.1:8080/props");
        let keyed = context_window_request(
            &endpoint("llamacpp", "https://gpu.example/llm/v1", "k-SECRET"),
            ServerKind::LlamaCpp,
            "smollm2",
        )
        .unwrap();
        assert_eq!(keyed.url, "https://gpu.example/llm/props?model=smollm2&autoload=false");
        assert_eq!(keyed.header("authorization"), Some("Bearer k-SECRET"));
        assert_eq!(context_window_request(&local, ServerKind::Other, "m"), None);
    }

    /// `/api/show` for `llama3.2:3b` as Ollama 0.6 to 0.12 answer it (the
    /// license, template and Modelfile shortened; tokenizer arrays are null
    /// unless `verbose` is set).
    const OLLAMA_SHOW_LLAMA: &str = r##"{
        "license": "LLAMA 3.2 COMMUNITY LICENSE AGREEMENT\nLlama 3.2 Version Release Date: September 25, 2024\n...",
        "modelfile": "# Modelfile generated by \"ollama show\"\n# To build a new Modelfile based on this, replace FROM with:\n# FROM llama3.2:3b\n\nFROM /root/.ollama/models/blobs/sha256-dde5aa3fc5ffc17176b5e8bdc82f587b24b2678c6c66101bf7da77af9f7ccdff\nTEMPLATE \"\"\"<|start_header_id|>system<|end_header_id|>...\"\"\"\nPARAMETER stop <|start_header_id|>\nPARAMETER stop <|end_header_id|>\nPARAMETER stop <|eot_id|>\n",
        "parameters": "stop                           \"<|start_header_id|>\"\nstop                           \"<|end_header_id|>\"\nstop                           \"<|eot_id|>\"",
        "template": "<|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\n...",
        "details": {"parent_model": "", "format": "gguf", "family": "llama", "families": ["llama"],
                    "parameter_size": "3.2B", "quantization_level": "Q4_K_M"},
        "model_info": {
            "general.architecture": "llama", "general.basename": "Llama-3.2", "general.file_type": 15,
            "general.finetune": "Instruct", "general.parameter_count": 3212749888, "general.quantization_version": 2,
            "general.size_label": "3B", "llama.attention.head_count": 24, "llama.attention.head_count_kv": 8,
            "llama.attention.key_length": 128, "llama.attention.layer_norm_rms_epsilon": 0.00001,
            "llama.block_count": 28, "llama.context_length": 131072, "llama.embedding_length": 3072,
            "llama.feed_forward_length": 8192, "llama.rope.dimension_count": 128, "llama.rope.freq_base": 500000,
            "llama.vocab_size": 128256, "tokenizer.ggml.bos_token_id": 128000, "tokenizer.ggml.eos_token_id": 128009,
            "tokenizer.ggml.merges": null, "tokenizer.ggml.model": "gpt2", "tokenizer.ggml.pre": "llama-bpe",
            "tokenizer.ggml.token_type": null, "tokenizer.ggml.tokens": null},
        "capabilities": ["completion", "tools"],
        "modified_at": "2025-05-02T09:41:07.123456789+08:00"
    }"##;

    /// A model built from a Modelfile with `PARAMETER num_ctx 16384`.
    const OLLAMA_SHOW_QWEN_NUM_CTX: &str = r##"{
        "modelfile": "FROM qwen3:8b\nPARAMETER num_ctx 16384\nPARAMETER temperature 0.6\n",
        "parameters": "repeat_penalty                 1\nstop                           \"<|im_start|>\"\nstop                           \"<|im_end|>\"\ntemperature                    0.6\ntop_k                          20\ntop_p                          0.95\nnum_ctx                        16384",
        "template": "{{- if .Messages }}...",
        "details": {"parent_model": "qwen3:8b", "format": "gguf", "family": "qwen3", "families": ["qwen3"],
                    "parameter_size": "8.2B", "quantization_level": "Q4_K_M"},
        "model_info": {"general.architecture": "qwen3", "general.parameter_count": 8190735360,
                       "qwen3.block_count": 36, "qwen3.context_length": 40960, "qwen3.embedding_length": 4096},
        "capabilities": ["completion", "tools", "thinking"],
        "modified_at": "2025-06-11T20:03:45.5536452+08:00"
    }"##;

    #[test]
    fn ollama_windows_are_num_ctx_else_the_servers_default() {
        // No num_ctx: Ollama serves 4096, not the 131,072 the model was trained for.
        assert_eq!(parse_context_window(ServerKind::Ollama, OLLAMA_SHOW_LLAMA), Some(4096));
        assert_eq!(ollama_model_context_length(OLLAMA_SHOW_LLAMA), Some(131_072));
        // The Modelfile's num_ctx is what a request gets.
        assert_eq!(parse_context_window(ServerKind::Ollama, OLLAMA_SHOW_QWEN_NUM_CTX), Some(16_384));
        assert_eq!(ollama_model_context_length(OLLAMA_SHOW_QWEN_NUM_CTX), Some(40_960));
        // A model trained for less than the default gets its own length.
        let small = r#"{"parameters":"stop \"</s>\"","details":{"family":"llama"},
            "model_info":{"general.architecture":"llama","llama.context_length":2048}}"#;
        assert_eq!(parse_context_window(ServerKind::Ollama, small), Some(2048));
        // No architecture key: any *.context_length.
        let bare = r#"{"model_info":{"gemma3.context_length":131072}}"#;
        assert_eq!(parse_context_window(ServerKind::Ollama, bare), Some(4096));
        assert_eq!(ollama_model_context_length(bare), Some(131_072));
        // Old servers without model_info: the default.
        assert_eq!(parse_context_window(ServerKind::Ollama, r#"{"parameters":"","details":{}}"#), Some(4096));
        // Errors and other bodies say nothing.
        assert_eq!(parse_context_window(ServerKind::Ollama, r#"{"error":"model 'nope' not found"}"#), None);
        assert_eq!(parse_context_window(ServerKind::Ollama, "404 page not found"), None);
        assert_eq!(parse_context_window(ServerKind::Ollama, r#"{"parameters":"num_ctx 0"}"#), Some(4096));
    }

    /// `/props` of `llama-server -m Qwen3-8B-Q4_K_M.gguf -c 16384 -np 2` (a
    /// late-2025 build; the chat template and most sampling params shortened).
    const LLAMA_CPP_PROPS: &str = r##"{
        "default_generation_settings": {
            "id": 0, "id_task": -1, "n_ctx": 8192, "speculative": false, "is_processing": false,
            "params": {"n_predict": -1, "seed": 4294967295, "temperature": 0.800000011920929,
                       "dynatemp_range": 0.0, "top_k": 40, "top_p": 0.949999988079071, "min_p": 0.0500000007450581,
                       "max_tokens": -1, "n_keep": 0, "stream": true, "samplers": ["penalties", "dry", "top_k",
                       "typ_p", "top_p", "min_p", "xtc", "temperature"], "timings_per_token": false},
            "prompt": "",
            "next_token": {"has_next_token": true, "has_new_line": false, "n_remain": -1, "n_decoded": 0,
                           "stopping_word": ""}},
        "total_slots": 2,
        "model_path": "/models/Qwen3-8B-Q4_K_M.gguf",
        "modalities": {"vision": false, "audio": false},
        "chat_template": "{%- if tools %}...",
        "chat_template_caps": {"supports_tools": true, "supports_system_role": true},
        "bos_token": "", "eos_token": "<|im_end|>",
        "build_info": "b6640-4e0388aa",
        "webui": true,
        "is_sleeping": false
    }"##;

    #[test]
    fn llama_cpp_windows_are_the_per_slot_context() {
        assert_eq!(parse_context_window(ServerKind::LlamaCpp, LLAMA_CPP_PROPS), Some(8192));
        assert_eq!(parse_context_window(ServerKind::LlamaCpp, r#"{"n_ctx": 4096, "total_slots": 1}"#), Some(4096));
        // A router that has not loaded the model, errors, and other servers.
        assert_eq!(parse_context_window(ServerKind::LlamaCpp, r#"{"role":"router"}"#), None);
        assert_eq!(
            parse_context_window(
                ServerKind::LlamaCpp,
                r#"{"error":{"code":401,"message":"Invalid API Key","type":"authentication_error"}}"#
            ),
            None
        );
        assert_eq!(parse_context_window(ServerKind::LlamaCpp, r#"{"detail":"Not Found"}"#), None);
        assert_eq!(parse_context_window(ServerKind::Other, LLAMA_CPP_PROPS), None);
    }

    #[test]
    fn model_lists_give_one_models_window() {
        let openrouter = r#"{"data":[
            {"id":"qwen/qwen3-235b-a22b","name":"Qwen: Qwen3 235B A22B","context_length":40960},
            {"id":"openai/gpt-4o-mini","name":"OpenAI: GPT-4o-mini","context_length":128000}]}"#;
        assert_eq!(context_window_in_model_list(ApiFamily::OpenAi, openrouter, "openai/gpt-4o-mini"), Some(128_000));
        assert_eq!(context_window_in_model_list(ApiFamily::OpenAi, openrouter, "openai/gpt-4o"), None);
        let gemini = r#"{"models":[{"name":"models/gemini-2.5-flash","inputTokenLimit":1048576,
            "supportedGenerationMethods":["generateContent"]}]}"#;
        assert_eq!(context_window_in_model_list(ApiFamily::Gemini, gemini, "models/gemini-2.5-flash"), Some(1_048_576));
        assert_eq!(context_window_in_model_list(ApiFamily::OpenAi, "<html>", "m"), None);
    }

    #[test]
    fn known_models_have_their_published_windows() {
        let cases: &[(&str, Option<u32>)] = &[
            ("gpt-4o", Some(128_000)),
            ("GPT-4o-mini", Some(128_000)),
            ("openai/gpt-4o-2024-08-06", Some(128_000)),
            ("gpt-4.1-mini", Some(1_047_576)),
            ("gpt-4-turbo-preview", Some(128_000)),
            ("gpt-4", Some(8_192)),
            ("gpt-4-32k-0613", Some(32_000)),
            ("gpt-3.5-turbo", Some(16_385)),
            ("gpt-5-mini", Some(272_000)),
            ("o3-mini", Some(200_000)),
            ("o4-mini-2025-04-16", Some(200_000)),
            ("o1-mini", Some(128_000)),
            ("claude-sonnet-4-5-20250929", Some(200_000)),
            ("anthropic/claude-3.5-haiku", Some(200_000)),
            ("gemini-2.5-flash", Some(1_048_576)),
            ("gemini-1.5-pro-002", Some(2_097_152)),
            ("deepseek-chat", Some(128_000)),
            ("deepseek-reasoner", Some(128_000)),
            ("deepseek-r1:7b", Some(64_000)),
            ("qwen-plus", Some(131_072)),
            ("qwen-turbo-latest", Some(131_072)),
            ("qwen-max", Some(32_768)),
            ("qwen3-max", Some(262_144)),
            ("qwen2.5:7b", Some(32_768)),
            ("Qwen/Qwen3-8B", Some(32_768)),
            ("moonshot-v1-8k", Some(8_000)),
            ("moonshot-v1-32k", Some(32_000)),
            ("moonshot-v1-128k", Some(128_000)),
            ("kimi-k2-0711-preview", Some(131_072)),
            ("doubao-1.5-pro-32k-250115", Some(32_000)),
            ("doubao-1.5-pro-256k", Some(256_000)),
            ("doubao-seed-1-6-250615", Some(262_144)),
            ("glm-4-plus", Some(131_072)),
            ("GLM-4.5", Some(131_072)),
            ("llama3.1:8b", Some(131_072)),
            ("llama3.2", Some(131_072)),
            ("meta-llama/Meta-Llama-3.1-8B-Instruct", Some(131_072)),
            ("llama-3.3-70b-versatile", Some(131_072)),
            ("llama3:8b", Some(8_192)),
            ("llama2:13b", Some(4_096)),
            ("mistral:7b", Some(32_768)),
            ("mistral-large-latest", Some(131_072)),
            ("phi-3-mini-128k-instruct", Some(128_000)),
            ("phi3:mini", Some(4_096)),
            ("gemma3:4b", Some(32_768)),
            ("gemma2:9b", Some(8_192)),
            ("smollm2:135m", None),
            ("my-finetune", None),
            ("", None),
            ("openai/", None),
        ];
        for (model, window) in cases {
            assert_eq!(known_context_window(model), *window, "{model}");
        }
    }
}
