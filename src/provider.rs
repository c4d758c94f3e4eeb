//! Model providers: which wire protocol an endpoint speaks, and requests described as data.
//!
//! The core never sends anything. It describes a request as an
//! [`HttpRequest`]; one adapter per platform (fetch in the browser, a small
//! HTTP client in the native CLI) sends it and feeds the response bytes to
//! the stream decoder.
//!
//! The submodules hold the rest of the provider layer: [`presets`] (known
//! endpoints and their quirks), [`base_url`] (normalizing what users paste),
//! [`request`] (the neutral chat request and its per-family shaping),
//! [`models`] (listing models), [`model_info`] (context windows per model)
//! and [`diagnosis`] (explaining failures).

use serde::{Deserialize, Serialize};

pub mod base_url;
pub mod diagnosis;
pub mod local_detect;
pub mod local_origin;
pub mod model_info;
pub mod models;
pub mod presets;
pub mod request;

/// The wire protocol family an endpoint speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApiFamily {
    /// OpenAI Chat Completions and every compatible server (SSE).
    #[serde(rename = "openai")]
    OpenAi,
    /// Anthropic Messages (SSE with named events).
    Anthropic,
    /// Google Gemini `streamGenerateContent?alt=sse` (SSE).
    Gemini,
    /// Ollama's native `/api/chat` (NDJSON).
    Ollama,
}

impl ApiFamily {
    /// Parses the names the CLI accepts: `openai`, `anthropic`, `gemini`, `ollama`.
    pub fn from_name(name: &str) -> Option<ApiFamily> {
        match name {
            "openai" => Some(ApiFamily::OpenAi),
            "anthropic" => Some(ApiFamily::Anthropic),
            "gemini" => Some(ApiFamily::Gemini),
            "ollama" => Some(ApiFamily::Ollama),
            _ => None,
        }
    }
}

/// An HTTP method the providers use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum HttpMethod {
    /// GET, for model lists and health checks.
    Get,
    /// POST, for chat requests.
    Post,
}

impl HttpMethod {
    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
        }
    }
}

/// A request described as data, ready for a platform adapter to send.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpRequest {
    /// GET or POST.
    pub method: HttpMethod,
    /// The full URL, query included.
    pub url: String,
    /// Header names and values, in order.
    pub headers: Vec<(String, String)>,
    /// A JSON body, for POST.
    pub body: Option<String>,
}

/// Header names whose values are secrets.
const SECRET_HEADERS: &[&str] = &["authorization", "x-api-key", "x-goog-api-key", "api-key"];

impl HttpRequest {
    /// The value of header `name` (case-insensitive), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
    }
}

/// Debug output never shows a key: secret headers print as their length.
impl std::fmt::Debug for HttpRequest {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let headers: Vec<(String, String)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let shown = if SECRET_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
                    format!("<{} chars>", value.chars().count())
                } else {
                    value.clone()
                };
                (name.clone(), shown)
            })
            .collect();
        formatter
            .debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers)
            .field("body", &self.body)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_hides_keys() {
        let request = HttpRequest {
            method: HttpMethod::Post,
            url: "https://api.example.com/v1/chat/completions".into(),
            headers: vec![
                ("Authorization".into(), "Bearer sk-secret".into()),
                ("x-api-key".into(), "ak-secret".into()),
                ("content-type".into(), "application/json".into()),
            ],
            body: None,
        };
        let shown = format!("{request:?}");
        assert!(!shown.contains("secret"), "{shown}");
        assert!(shown.contains("application/json"));
        assert_eq!(request.header("AUTHORIZATION"), Some("Bearer sk-secret"));
    }

    #[test]
    fn family_names_round_trip() {
        for name in ["openai", "anthropic", "gemini", "ollama"] {
            let family = ApiFamily::from_name(name).unwrap();
            assert_eq!(serde_json::to_value(family).unwrap(), serde_json::json!(name));
        }
        assert_eq!(ApiFamily::from_name("nope"), None);
    }
}
