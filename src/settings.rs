//! The settings schema: one typed, versioned record with defaults, validation and migration.
//!
//! Everything the user configures lives in [`Settings`]. The platform layer
//! stores it as one JSON value under [`Settings::STORAGE_KEY`] in
//! `storage.local` (never `storage.sync`: it holds the API key). Older stored
//! shapes are upgraded by [`migrate`], so the UI never reads loose keys.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The schema version written by this build.
pub const SCHEMA_VERSION: u32 = 1;

/// All user settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Schema version of this record; see [`migrate`].
    pub version: u32,
    /// The model endpoint answers come from.
    pub endpoint: EndpointSettings,
    /// Interface language; `Auto` follows the browser.
    pub ui_language: UiLanguage,
    /// How long to wait on the endpoint.
    pub network: NetworkSettings,
}

/// Timeouts for model requests.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NetworkSettings {
    /// Seconds to wait for a response to start (a local model loading can take a while).
    pub connect_timeout_seconds: u32,
    /// Seconds of silence in the middle of an answer before giving up.
    pub idle_timeout_seconds: u32,
}

impl Default for NetworkSettings {
    fn default() -> Self {
        NetworkSettings { connect_timeout_seconds: 30, idle_timeout_seconds: 120 }
    }
}

/// Where requests go and how they authenticate.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EndpointSettings {
    /// Base URL of an OpenAI-compatible API, such as `http://127.0.0.1:11434/v1`.
    pub base_url: String,
    /// Model name sent with each request.
    pub model: String,
    /// Secret key; only ever sent to `base_url`, never logged or synced.
    pub api_key: String,
}

/// The language the interface speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UiLanguage {
    /// Follow the browser's language.
    #[default]
    Auto,
    /// English.
    En,
    /// Simplified Chinese.
    ZhCn,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            version: SCHEMA_VERSION,
            endpoint: EndpointSettings::default(),
            ui_language: UiLanguage::Auto,
            network: NetworkSettings::default(),
        }
    }
}

impl Settings {
    /// The key the whole record is stored under.
    pub const STORAGE_KEY: &'static str = "settings";

    /// True when enough is filled in to send a request.
    pub fn is_configured(&self) -> bool {
        !self.endpoint.base_url.is_empty() && !self.endpoint.model.is_empty()
    }

    /// A copy safe to print or log: the API key is replaced by its length.
    pub fn redacted(&self) -> Settings {
        let mut copy = self.clone();
        if !copy.endpoint.api_key.is_empty() {
            copy.endpoint.api_key = format!("<{} chars>", copy.endpoint.api_key.chars().count());
        }
        copy
    }
}

/// Why a settings edit was refused; each variant names the field and the fix.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    /// The base URL is not an absolute http(s) URL.
    #[error("Base URL must start with http:// or https:// (for example http://127.0.0.1:11434/v1)")]
    BaseUrlScheme,
    /// The base URL contains whitespace or is otherwise unusable.
    #[error("Base URL must not contain spaces")]
    BaseUrlWhitespace,
    /// The model name is missing while a base URL is set.
    #[error("Model is empty: enter the model name your endpoint serves (for example qwen-plus or llama3.2)")]
    ModelMissing,
    /// The key has characters no HTTP header can carry.
    #[error("API key contains spaces or line breaks; paste the key alone")]
    ApiKeyWhitespace,
}

/// The endpoint fields as typed in a form, before validation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EndpointForm {
    /// Raw Base URL field.
    pub base_url: String,
    /// Raw Model field.
    pub model: String,
    /// Raw API key field.
    pub api_key: String,
}

/// Validates and normalizes form input into endpoint settings.
///
/// Surrounding whitespace is trimmed and a trailing slash removed. An empty
/// form is valid: it means "not configured yet".
pub fn validate_endpoint(form: &EndpointForm) -> Result<EndpointSettings, SettingsError> {
    let base_url = form.base_url.trim().trim_end_matches('/').to_string();
    let model = form.model.trim().to_string();
    let api_key = form.api_key.trim().to_string();
    if !base_url.is_empty() {
        if base_url.chars().any(char::is_whitespace) {
            return Err(SettingsError::BaseUrlWhitespace);
        }
        let lower = base_url.to_ascii_lowercase();
        let has_scheme =
            ["http://", "https://"].iter().any(|scheme| lower.starts_with(scheme) && lower.len() > scheme.len());
        if !has_scheme {
            return Err(SettingsError::BaseUrlScheme);
        }
        if model.is_empty() {
            return Err(SettingsError::ModelMissing);
        }
    }
    if api_key.chars().any(char::is_whitespace) {
        return Err(SettingsError::ApiKeyWhitespace);
    }
    Ok(EndpointSettings { base_url, model, api_key })
}

/// Upgrades any stored value to the current schema.
///
/// Never fails: a missing, corrupt or foreign value yields defaults, and
/// unknown fields are ignored, so a bad record can never lock a user out.
/// Version 0 is the flat shape `{base_url, model, api_key}` that early
/// builds wrote.
pub fn migrate(stored: Option<&Value>) -> Settings {
    let Some(value) = stored else {
        return Settings::default();
    };
    let version = value.get("version").and_then(Value::as_u64).unwrap_or(0);
    let upgraded = if version == 0 { migrate_v0(value) } else { value.clone() };
    let mut settings: Settings = serde_json::from_value(upgraded).unwrap_or_default();
    settings.version = SCHEMA_VERSION;
    settings
}

fn migrate_v0(value: &Value) -> Value {
    let field = |name: &str| value.get(name).and_then(Value::as_str).unwrap_or_default();
    serde_json::json!({
        "version": 1,
        "endpoint": {
            "base_url": field("base_url"),
            "model": field("model"),
            "api_key": field("api_key"),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn missing_record_gives_defaults() {
        assert_eq!(migrate(None), Settings::default());
        assert!(!Settings::default().is_configured());
    }

    #[test]
    fn corrupt_record_gives_defaults_instead_of_failing() {
        assert_eq!(migrate(Some(&json!("garbage"))), Settings::default());
        assert_eq!(migrate(Some(&json!({"version": 1, "endpoint": 7}))), Settings::default());
    }

    #[test]
    fn version_zero_flat_shape_is_upgraded() {
        let old = json!({"base_url": "http://h/v1", "model": "m", "api_key": "k"});
        let settings = migrate(Some(&old));
        assert_eq!(settings.version, SCHEMA_VERSION);
        assert_eq!(settings.endpoint.base_url, "http://h/v1");
        assert_eq!(settings.endpoint.model, "m");
        assert_eq!(settings.endpoint.api_key, "k");
    }

    #[test]
    fn current_record_round_trips_and_ignores_unknown_fields() {
        let mut settings = Settings::default();
        settings.endpoint.model = "qwen-plus".into();
        settings.ui_language = UiLanguage::ZhCn;
        let mut stored = serde_json::to_value(&settings).unwrap();
        stored["from_the_future"] = json!(true);
        assert_eq!(migrate(Some(&stored)), settings);
    }

    #[test]
    fn records_written_before_timeouts_existed_get_the_defaults() {
        let stored = json!({"version": 1, "endpoint": {"base_url": "http://h/v1", "model": "m", "api_key": ""}});
        let settings = migrate(Some(&stored));
        assert_eq!(settings.network, NetworkSettings::default());
        assert_eq!(settings.endpoint.model, "m");
    }

    #[test]
    fn redaction_hides_the_key() {
        let mut settings = Settings::default();
        settings.endpoint.api_key = "sk-secret".into();
        let shown = format!("{:?}", settings.redacted());
        assert!(!shown.contains("sk-secret"));
        assert!(shown.contains("<9 chars>"));
    }

    fn form(base_url: &str, model: &str, api_key: &str) -> EndpointForm {
        EndpointForm { base_url: base_url.into(), model: model.into(), api_key: api_key.into() }
    }

    #[test]
    fn validation_normalizes_and_explains() {
        let ok = validate_endpoint(&form(" http://127.0.0.1:8080/v1/ ", " m ", " k ")).unwrap();
        assert_eq!(ok.base_url, "http://127.0.0.1:8080/v1");
        assert_eq!(ok.model, "m");
        assert_eq!(ok.api_key, "k");
        assert_eq!(validate_endpoint(&form("", "", "")), Ok(EndpointSettings::default()));
        assert_eq!(validate_endpoint(&form("localhost:11434", "m", "")), Err(SettingsError::BaseUrlScheme));
        assert_eq!(validate_endpoint(&form("http://", "m", "")), Err(SettingsError::BaseUrlScheme));
        assert_eq!(validate_endpoint(&form("http://a b", "m", "")), Err(SettingsError::BaseUrlWhitespace));
        assert_eq!(validate_endpoint(&form("https://api.x/v1", "", "")), Err(SettingsError::ModelMissing));
        assert_eq!(validate_endpoint(&form("", "", "sk 1")), Err(SettingsError::ApiKeyWhitespace));
    }
}
