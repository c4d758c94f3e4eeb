//! The endpoint doctor against the recorded error responses in `tests/data/streams/http_errors.json`.
//!
//! Every fixture names the provider that produced it, the status, headers and
//! body, and the expected `classify` kind and `retry` flag. The provider is
//! mapped to a preset (and so to an API family and a plausible base URL),
//! and all mismatches are reported together.

use pagewise::provider::diagnosis::diagnose_http;
use pagewise::provider::presets::find_preset;
use pagewise::provider::ApiFamily;
use serde_json::Value;

/// The fixture file, read at test time.
fn fixtures() -> Vec<Value> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/streams/http_errors.json");
    let text = std::fs::read_to_string(path).unwrap_or_else(|error| panic!("cannot read {path}: {error}"));
    let value: Value = serde_json::from_str(&text).unwrap_or_else(|error| panic!("{path} is not JSON: {error}"));
    value.as_array().cloned().unwrap_or_else(|| panic!("{path} is not an array"))
}

/// The preset a fixture's provider corresponds to. Ollama's native API
/// answers `{"error": "…"}` with a string; any other Ollama body came from `/v1`.
fn preset_id(provider: &str, body: &str) -> &'static str {
    match provider {
        "openai" => "openai",
        "anthropic" => "anthropic",
        "gemini" => "gemini",
        "openrouter" => "openrouter",
        "llama.cpp" => "llamacpp",
        "vllm" => "vllm",
        "alibaba-dashscope" => "dashscope",
        "ollama" => {
            let native =
                serde_json::from_str::<Value>(body).is_ok_and(|value| value.get("error").is_some_and(Value::is_string));
            if native {
                "ollama"
            } else {
                "ollama-openai"
            }
        }
        _ => "custom",
    }
}

/// The family the brief prescribes for a provider name.
fn expected_family(provider: &str, body: &str) -> ApiFamily {
    match (provider, preset_id(provider, body)) {
        ("anthropic", _) => ApiFamily::Anthropic,
        ("gemini", _) => ApiFamily::Gemini,
        ("ollama", "ollama") => ApiFamily::Ollama,
        _ => ApiFamily::OpenAi,
    }
}

/// A fixture's provider, status, headers and body.
struct Recorded<'a> {
    id: &'a str,
    provider: &'a str,
    status: u16,
    headers: Vec<(String, String)>,
    body: &'a str,
}

impl<'a> Recorded<'a> {
    /// Reads the fields of one fixture.
    fn read(fixture: &'a Value) -> Recorded<'a> {
        Recorded {
            id: fixture["id"].as_str().unwrap_or("<no id>"),
            provider: fixture["provider"].as_str().unwrap_or_default(),
            status: fixture["status"].as_u64().and_then(|status| u16::try_from(status).ok()).unwrap_or(0),
            headers: fixture["headers"]
                .as_object()
                .map(|object| {
                    object
                        .iter()
                        .map(|(name, value)| (name.clone(), value.as_str().unwrap_or_default().to_string()))
                        .collect()
                })
                .unwrap_or_default(),
            body: fixture["body"].as_str().unwrap_or_default(),
        }
    }
}

#[test]
fn every_recorded_error_is_classified_as_expected() {
    let fixtures = fixtures();
    assert!(fixtures.len() >= 16, "expected the full fixture set, found {}", fixtures.len());
    let mut mismatches = Vec::new();
    for fixture in &fixtures {
        let Recorded { id, provider, status, headers, body } = Recorded::read(fixture);

        let preset = find_preset(preset_id(provider, body)).expect("every mapped preset exists");
        assert_eq!(preset.family, expected_family(provider, body), "{id}: preset family");
        let base_url = if preset.base_url.is_empty() { "https://llm.example.com/v1" } else { preset.base_url };
        let diagnosis = diagnose_http(preset.family, base_url, status, &headers, body);

        let kind = serde_json::to_value(diagnosis.kind).unwrap_or(Value::Null);
        if kind != fixture["classify"] {
            mismatches.push(format!("{id}: classify expected {}, got {kind}", fixture["classify"]));
        }
        if Value::Bool(diagnosis.retry) != fixture["retry"] {
            mismatches.push(format!("{id}: retry expected {}, got {}", fixture["retry"], diagnosis.retry));
        }
        if !diagnosis.advice.ends_with('.') || diagnosis.advice.len() < 20 {
            mismatches.push(format!("{id}: advice is not a sentence: {:?}", diagnosis.advice));
        }
        if !body.trim().is_empty() && diagnosis.provider_message.is_none() {
            mismatches.push(format!("{id}: the provider's message was lost"));
        }
    }
    assert!(mismatches.is_empty(), "{} mismatches:\n{}", mismatches.len(), mismatches.join("\n"));
}

#[test]
fn recorded_rate_limits_say_when_to_retry() {
    let expected = [("openai_429_rate_limit", 20), ("gemini_429_resource_exhausted", 13)];
    let fixtures = fixtures();
    for (id, seconds) in expected {
        let fixture =
            fixtures.iter().find(|fixture| fixture["id"] == id).unwrap_or_else(|| panic!("fixture {id} is missing"));
        let Recorded { provider, status, headers, body, .. } = Recorded::read(fixture);
        let preset = find_preset(preset_id(provider, body)).expect("preset exists");
        let diagnosis = diagnose_http(preset.family, preset.base_url, status, &headers, body);
        assert_eq!(diagnosis.retry_after_seconds, Some(seconds), "{id}");
        assert!(diagnosis.advice.contains(&format!("{seconds} seconds")), "{id}: {}", diagnosis.advice);
    }
}
