//! Model lists: the request that asks an endpoint for its models, and the parser for each family's answer.
//!
//! The options page fills its model picker from these, and the context
//! window a server reports (Gemini, OpenRouter, vLLM, Groq) replaces the
//! preset's default when sizing prompts.

use serde_json::Value;
use thiserror::Error;

use super::request::Endpoint;
use super::{ApiFamily, HttpMethod, HttpRequest};

/// One model an endpoint offers.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ModelInfo {
    /// The id to send as `model` (Gemini's without the `models/` prefix).
    pub id: String,
    /// A human-readable name, when the server gives one that differs from the id.
    pub display_name: Option<String>,
    /// The model's context window in tokens, when the server reports it.
    pub context_window: Option<u32>,
}

/// Why a model list could not be read; every message says what to check.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ModelListError {
    /// The body is not JSON (often an HTML page from a wrong base URL or a proxy).
    #[error("The server's model list is not JSON: check that the base URL points at the API, not a web page.")]
    NotJson,
    /// The body is JSON but not a model list of the expected family.
    #[error("The server's answer has no {expected} list: check that the provider type matches the server.")]
    UnexpectedShape {
        /// The field that was expected, such as `data` or `models`.
        expected: &'static str,
    },
    /// The server answered with an error object instead of a list.
    #[error("The server refused to list models: {message}")]
    Provider {
        /// The provider's own error message.
        message: String,
    },
}

/// Builds the request that lists an endpoint's models.
pub fn list_models_request(endpoint: &Endpoint) -> HttpRequest {
    let path = match endpoint.family {
        ApiFamily::OpenAi => "/models",
        ApiFamily::Ollama => "/api/tags",
        // Both default to a short first page; ask for all of them at once.
        ApiFamily::Anthropic => "/v1/models?limit=1000",
        ApiFamily::Gemini => "/models?pageSize=1000",
    };
    HttpRequest {
        method: HttpMethod::Get,
        url: format!("{}{path}", endpoint.base()),
        headers: endpoint.common_headers(),
        body: None,
    }
}

/// Parses a model-list response body of `family`.
///
/// # Errors
///
/// Returns [`ModelListError::NotJson`] for a body that is not JSON,
/// [`ModelListError::Provider`] for an `{"error": …}` body, and
/// [`ModelListError::UnexpectedShape`] when the family's list field is missing.
pub fn parse_model_list(family: ApiFamily, body: &str) -> Result<Vec<ModelInfo>, ModelListError> {
    let value: Value = serde_json::from_str(body).map_err(|_| ModelListError::NotJson)?;
    if let Some(message) = error_message(&value) {
        return Err(ModelListError::Provider { message });
    }
    match family {
        ApiFamily::OpenAi => parse_openai(&value),
        ApiFamily::Ollama => parse_ollama(&value),
        ApiFamily::Anthropic => parse_anthropic(&value),
        ApiFamily::Gemini => parse_gemini(&value),
    }
}

/// The message of an `{"error": …}` body, whether the error is a string or an object.
fn error_message(value: &Value) -> Option<String> {
    let error = value.get("error")?;
    let message = match error {
        Value::String(message) => message.clone(),
        Value::Object(object) => object.get("message").and_then(Value::as_str).unwrap_or("unknown error").to_string(),
        _ => return None,
    };
    Some(message)
}

/// The entries of `value[field]`, or an error naming the field.
fn entries<'a>(value: &'a Value, field: &'static str) -> Result<&'a Vec<Value>, ModelListError> {
    value.get(field).and_then(Value::as_array).ok_or(ModelListError::UnexpectedShape { expected: field })
}

/// A positive token count from a JSON number that fits in a `u32`.
fn token_count(value: Option<&Value>) -> Option<u32> {
    value.and_then(Value::as_u64).filter(|count| *count > 0).and_then(|count| u32::try_from(count).ok())
}

/// A display name, kept only when it says something the id does not.
fn display_name(name: Option<&Value>, id: &str) -> Option<String> {
    name.and_then(Value::as_str).map(str::trim).filter(|name| !name.is_empty() && *name != id).map(str::to_string)
}

/// OpenAI `data[].id`; a bare array is accepted too. Context windows come
/// from OpenRouter's `context_length`, vLLM's `max_model_len` or Groq's `context_window`.
fn parse_openai(value: &Value) -> Result<Vec<ModelInfo>, ModelListError> {
    let list = match value {
        Value::Array(list) => list,
        _ => entries(value, "data")?,
    };
    Ok(list
        .iter()
        .filter_map(|entry| {
            let id = entry.get("id").and_then(Value::as_str)?.to_string();
            let context_window = ["context_length", "max_model_len", "context_window"]
                .iter()
                .find_map(|field| token_count(entry.get(*field)));
            Some(ModelInfo { display_name: display_name(entry.get("name"), &id), id, context_window })
        })
        .collect())
}

/// Ollama `models[].name`.
fn parse_ollama(value: &Value) -> Result<Vec<ModelInfo>, ModelListError> {
    Ok(entries(value, "models")?
        .iter()
        .filter_map(|entry| {
            let id = entry.get("name").or_else(|| entry.get("model")).and_then(Value::as_str)?;
            Some(ModelInfo { id: id.to_string(), display_name: None, context_window: None })
        })
        .collect())
}

/// Anthropic `data[].id` and `display_name`.
fn parse_anthropic(value: &Value) -> Result<Vec<ModelInfo>, ModelListError> {
    Ok(entries(value, "data")?
        .iter()
        .filter_map(|entry| {
            let id = entry.get("id").and_then(Value::as_str)?.to_string();
            Some(ModelInfo { display_name: display_name(entry.get("display_name"), &id), id, context_window: None })
        })
        .collect())
}

/// Gemini `models[]`: the `name` without `models/`, `displayName`,
/// `inputTokenLimit`, keeping only models that can `generateContent`.
fn parse_gemini(value: &Value) -> Result<Vec<ModelInfo>, ModelListError> {
    Ok(entries(value, "models")?
        .iter()
        .filter(|entry| {
            entry
                .get("supportedGenerationMethods")
                .and_then(Value::as_array)
                .is_some_and(|methods| methods.iter().any(|method| method.as_str() == Some("generateContent")))
        })
        .filter_map(|entry| {
            let name = entry.get("name").and_then(Value::as_str)?;
            let id = name.strip_prefix("models/").unwrap_or(name).to_string();
            Some(ModelInfo {
                display_name: display_name(entry.get("displayName"), &id),
                context_window: token_count(entry.get("inputTokenLimit")),
                id,
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::presets::{find_preset, PRESETS};

    fn model(id: &str, display_name: Option<&str>, context_window: Option<u32>) -> ModelInfo {
        ModelInfo { id: id.into(), display_name: display_name.map(str::to_string), context_window }
    }

    #[test]
    fn list_requests_use_each_familys_path_and_headers() {
        let cases = [
            ("openai", "https://api.openai.com/v1", "https://api.openai.com/v1/models"),
            ("ollama", "http://127.0.0.1:11434", "http://127.0.0.1:11434/api/tags"),
            ("anthropic", "https://api.anthropic.com", "https://api.anthropic.com/v1/models?limit=1000"),
            (
                "gemini",
                "https://generativelanguage.googleapis.com/v1beta",
                "https://generativelanguage.googleapis.com/v1beta/models?pageSize=1000",
            ),
        ];
        for (id, base, url) in cases {
            let endpoint = Endpoint::from_preset(find_preset(id).unwrap(), base, "k-SECRET");
            let request = list_models_request(&endpoint);
            assert_eq!(request.method, HttpMethod::Get);
            assert_eq!(request.url, url);
            assert_eq!(request.body, None);
            assert!(!request.url.contains("SECRET"));
        }
        let anthropic = Endpoint::from_preset(find_preset("anthropic").unwrap(), "https://api.anthropic.com", "k");
        let request = list_models_request(&anthropic);
        assert_eq!(request.header("x-api-key"), Some("k"));
        assert_eq!(request.header("anthropic-version"), Some("2023-06-01"));
        assert_eq!(request.header("anthropic-dangerous-direct-browser-access"), Some("true"));
        let gemini = Endpoint::from_preset(find_preset("gemini").unwrap(), "https://g.example/v1beta", "k");
        assert_eq!(list_models_request(&gemini).header("x-goog-api-key"), Some("k"));
        let local = Endpoint::from_preset(find_preset("llamacpp").unwrap(), "http://127.0.0.1:8080/v1", "");
        assert!(list_models_request(&local).headers.is_empty());
        for preset in PRESETS {
            let endpoint = Endpoint::from_preset(preset, "https://x.example/v1", "k-SECRET");
            assert!(!list_models_request(&endpoint).url.contains("SECRET"), "{}", preset.id);
        }
    }

    #[test]
    fn parses_openai_and_compatible_lists() {
        let openai = r#"{"object":"list","data":[
            {"id":"gpt-4o-mini","object":"model","created":1721172741,"owned_by":"system"},
            {"id":"gpt-4o","object":"model","created":1715367049,"owned_by":"system"}]}"#;
        assert_eq!(
            parse_model_list(ApiFamily::OpenAi, openai),
            Ok(vec![model("gpt-4o-mini", None, None), model("gpt-4o", None, None)])
        );
        let openrouter = r#"{"data":[{"id":"openai/gpt-4o-mini","name":"OpenAI: GPT-4o-mini",
            "context_length":128000,"pricing":{"prompt":"0.00000015"}}]}"#;
        assert_eq!(
            parse_model_list(ApiFamily::OpenAi, openrouter),
            Ok(vec![model("openai/gpt-4o-mini", Some("OpenAI: GPT-4o-mini"), Some(128_000))])
        );
        let vllm = r#"{"object":"list","data":[{"id":"Qwen/Qwen3-8B","object":"model","owned_by":"vllm",
            "root":"Qwen/Qwen3-8B","parent":null,"max_model_len":32768}]}"#;
        assert_eq!(parse_model_list(ApiFamily::OpenAi, vllm), Ok(vec![model("Qwen/Qwen3-8B", None, Some(32_768))]));
        let groq = r#"{"object":"list","data":[{"id":"llama-3.3-70b-versatile","object":"model",
            "owned_by":"Meta","active":true,"context_window":131072}]}"#;
        assert_eq!(
            parse_model_list(ApiFamily::OpenAi, groq),
            Ok(vec![model("llama-3.3-70b-versatile", None, Some(131_072))])
        );
        let llamacpp = r#"{"models":[{"name":"smollm2","model":"smollm2"}],"object":"list",
            "data":[{"id":"smollm2","object":"model","owned_by":"llamacpp","meta":{"n_ctx_train":8192}}]}"#;
        assert_eq!(parse_model_list(ApiFamily::OpenAi, llamacpp), Ok(vec![model("smollm2", None, None)]));
    }

    #[test]
    fn parses_ollama_tags() {
        let body = r#"{"models":[{"name":"llama3.2:latest","model":"llama3.2:latest","modified_at":"2025-01-01T00:00:00Z",
            "size":2019393189,"digest":"a80c4f17acd5","details":{"family":"llama","parameter_size":"3.2B"}},
            {"name":"qwen3:8b","model":"qwen3:8b","size":5225388164}]}"#;
        assert_eq!(
            parse_model_list(ApiFamily::Ollama, body),
            Ok(vec![model("llama3.2:latest", None, None), model("qwen3:8b", None, None)])
        );
        assert_eq!(parse_model_list(ApiFamily::Ollama, r#"{"models":[]}"#), Ok(vec![]));
    }

    #[test]
    fn parses_anthropic_models() {
        let body = r#"{"data":[{"type":"model","id":"claude-sonnet-4-5-20250929","display_name":"Claude Sonnet 4.5",
            "created_at":"2025-09-29T00:00:00Z"}],"has_more":false,"first_id":"claude-sonnet-4-5-20250929","last_id":null}"#;
        assert_eq!(
            parse_model_list(ApiFamily::Anthropic, body),
            Ok(vec![model("claude-sonnet-4-5-20250929", Some("Claude Sonnet 4.5"), None)])
        );
    }

    #[test]
    fn parses_gemini_models_that_can_generate() {
        let body = r#"{"models":[
            {"name":"models/gemini-2.5-flash","version":"001","displayName":"Gemini 2.5 Flash",
             "inputTokenLimit":1048576,"outputTokenLimit":65536,
             "supportedGenerationMethods":["generateContent","countTokens","createCachedContent"]},
            {"name":"models/text-embedding-004","displayName":"Text Embedding 004","inputTokenLimit":2048,
             "supportedGenerationMethods":["embedContent"]}],
            "nextPageToken":"abc"}"#;
        assert_eq!(
            parse_model_list(ApiFamily::Gemini, body),
            Ok(vec![model("gemini-2.5-flash", Some("Gemini 2.5 Flash"), Some(1_048_576))])
        );
    }

    #[test]
    fn reports_errors_and_wrong_shapes() {
        assert_eq!(parse_model_list(ApiFamily::OpenAi, "<html>Not Found</html>"), Err(ModelListError::NotJson));
        assert_eq!(
            parse_model_list(ApiFamily::Ollama, r#"{"data":[]}"#),
            Err(ModelListError::UnexpectedShape { expected: "models" })
        );
        assert_eq!(
            parse_model_list(
                ApiFamily::OpenAi,
                r#"{"error":{"message":"Incorrect API key provided","code":"invalid_api_key"}}"#
            ),
            Err(ModelListError::Provider { message: "Incorrect API key provided".into() })
        );
        assert_eq!(
            parse_model_list(ApiFamily::Ollama, r#"{"error":"unauthorized"}"#),
            Err(ModelListError::Provider { message: "unauthorized".into() })
        );
    }
}
