//! The settings schema: one typed, versioned record with defaults, validation and migration.
//!
//! Everything the user configures lives in [`Settings`]. The platform layer
//! stores it as one JSON value under [`Settings::STORAGE_KEY`] in
//! `storage.local` (never `storage.sync`: it holds the API key). Older stored
//! shapes are upgraded by [`migrate`], so the UI never reads loose keys.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::custom_actions::CustomAction;
use crate::provider::base_url::{normalize_base_url, BaseUrlError};
use crate::provider::presets::{find_preset, Preset};
use crate::provider::request::Endpoint;

/// The schema version written by this build.
pub const SCHEMA_VERSION: u32 = 2;

/// The preset id used when no known preset matches.
pub const CUSTOM_PRESET: &str = "custom";

/// The highest temperature the form accepts (OpenAI's and most servers' limit).
pub const MAX_TEMPERATURE: f32 = 2.0;

/// The smallest explicit context budget, in tokens.
pub const MIN_CONTEXT_BUDGET: u32 = 1_000;

/// The largest explicit context budget, in tokens.
pub const MAX_CONTEXT_BUDGET: u32 = 1_000_000;

/// The longest extra system prompt kept, in characters.
pub const MAX_SYSTEM_PROMPT_CHARS: usize = 8_000;

/// All user settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Schema version of this record; see [`migrate`].
    pub version: u32,
    /// The model endpoint answers come from.
    #[serde(deserialize_with = "lenient")]
    pub endpoint: EndpointSettings,
    /// How answers are asked for: temperature, language, extra instructions, page budget.
    #[serde(deserialize_with = "lenient")]
    pub answer: AnswerSettings,
    /// Interface language; `Auto` follows the browser.
    #[serde(deserialize_with = "lenient")]
    pub ui_language: UiLanguage,
    /// How long to wait on the endpoint.
    #[serde(deserialize_with = "lenient")]
    pub network: NetworkSettings,
    /// Set once a first working configuration was saved; the panel stops offering first-run setup.
    #[serde(deserialize_with = "lenient")]
    pub onboarded: bool,
    /// The user's own actions, in menu order. A fresh install has none: the
    /// editor offers `custom_actions::default_actions` for the interface
    /// language instead of storing a language's set up front.
    #[serde(deserialize_with = "lenient_actions")]
    pub custom_actions: Vec<CustomAction>,
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EndpointSettings {
    /// The id of a provider preset (`provider::presets::PRESETS`); `custom` when none fits.
    pub preset: String,
    /// Base URL of the API, such as `http://127.0.0.1:11434/v1`.
    pub base_url: String,
    /// Model name sent with each request.
    pub model: String,
    /// Secret key; only ever sent to `base_url`, never logged or synced.
    pub api_key: String,
}

impl Default for EndpointSettings {
    fn default() -> Self {
        EndpointSettings {
            preset: CUSTOM_PRESET.to_string(),
            base_url: String::new(),
            model: String::new(),
            api_key: String::new(),
        }
    }
}

/// How answers are asked for.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnswerSettings {
    /// Sampling temperature, 0 to [`MAX_TEMPERATURE`]; `None` leaves the server's default.
    #[serde(deserialize_with = "lenient", serialize_with = "shortest_decimal")]
    pub temperature: Option<f32>,
    /// The language answers are written in.
    #[serde(deserialize_with = "lenient")]
    pub language: AnswerLanguage,
    /// The user's own instructions, appended to Pagewise's system prompt; empty for none.
    #[serde(deserialize_with = "lenient")]
    pub system_prompt: String,
    /// The model's context window in tokens, as the user states it (the
    /// page, the chat and the answer's room are fitted into it): 0 leaves it
    /// to the server's report, the known models and the preset; anything
    /// else is clamped to 1k..=1M. (Named for what it bounds: the context.)
    #[serde(deserialize_with = "lenient")]
    pub context_budget_tokens: u32,
}

/// The language answers are written in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerLanguage {
    /// The interface's language.
    #[default]
    Interface,
    /// The language of the page being read.
    Page,
    /// Always English.
    En,
    /// Always Simplified Chinese.
    ZhCn,
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
            answer: AnswerSettings::default(),
            ui_language: UiLanguage::Auto,
            network: NetworkSettings::default(),
            onboarded: false,
            custom_actions: Vec::new(),
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

    /// The preset this endpoint uses: the stored id, else one inferred from
    /// the base URL, else the custom (OpenAI-compatible) preset.
    pub fn preset(&self) -> &'static Preset {
        resolve_preset(&self.endpoint.preset, &self.endpoint.base_url)
    }

    /// The endpoint to send requests to, with the preset's quirks and the
    /// base URL normalized for its family; `None` when the endpoint is not
    /// configured or its base URL cannot be used.
    pub fn endpoint(&self) -> Option<Endpoint> {
        if !self.is_configured() {
            return None;
        }
        let preset = self.preset();
        let base_url = normalize_base_url(&self.endpoint.base_url, preset.family).ok()?;
        Some(Endpoint::from_preset(preset, base_url, self.endpoint.api_key.trim()))
    }

    /// The model's context window in tokens, as far as the settings know:
    /// the user's own figure, else the preset's context window.
    pub fn context_window_tokens(&self) -> u32 {
        match self.answer.context_budget_tokens {
            0 => self.preset().context_window,
            budget => budget.clamp(MIN_CONTEXT_BUDGET, MAX_CONTEXT_BUDGET),
        }
    }

    /// Brings every value into its valid range (a hand-edited or future record).
    fn sanitized(mut self) -> Settings {
        self.answer.temperature = self
            .answer
            .temperature
            .filter(|temperature| temperature.is_finite())
            .map(|temperature| temperature.clamp(0.0, MAX_TEMPERATURE));
        if self.answer.context_budget_tokens != 0 {
            self.answer.context_budget_tokens =
                self.answer.context_budget_tokens.clamp(MIN_CONTEXT_BUDGET, MAX_CONTEXT_BUDGET);
        }
        if find_preset(&self.endpoint.preset).is_none() {
            self.endpoint.preset = infer_preset(&self.endpoint.base_url).to_string();
        }
        self
    }
}

/// The preset with id `id`, else the one `base_url` points at, else custom.
fn resolve_preset(id: &str, base_url: &str) -> &'static Preset {
    find_preset(id).or_else(|| find_preset(infer_preset(base_url))).unwrap_or(&CUSTOM)
}

/// The custom preset's stand-in, should the table ever lose it.
const CUSTOM: Preset = Preset {
    id: CUSTOM_PRESET,
    name: "Custom (OpenAI-compatible)",
    family: crate::provider::ApiFamily::OpenAi,
    base_url: "",
    auth: crate::provider::presets::AuthStyle::Bearer,
    needs_key: false,
    default_model: "",
    reasoning: crate::provider::presets::ReasoningField::ReasoningContent,
    context_window: 8_192,
    local: false,
    include_usage: true,
    thinking: crate::provider::presets::ThinkingControl::None,
};

/// The OpenAI-compatible preset a base URL points at, or `custom`.
///
/// Records before schema 2 only spoke OpenAI-compatible APIs, so only
/// presets of that family are candidates: a known cloud host, or a
/// loopback server on its default port (11434 is Ollama's `/v1`).
pub fn infer_preset(base_url: &str) -> &'static str {
    let Some((host, port)) = host_and_port(base_url) else {
        return CUSTOM_PRESET;
    };
    let loopback = matches!(host.as_str(), "localhost" | "127.0.0.1" | "[::1]" | "::1" | "0.0.0.0");
    if loopback {
        return match port {
            Some(11434) => "ollama-openai",
            Some(8080) => "llamacpp",
            Some(8000) => "vllm",
            Some(1234) => "lmstudio",
            _ => CUSTOM_PRESET,
        };
    }
    crate::provider::presets::PRESETS
        .iter()
        .filter(|preset| preset.family == crate::provider::ApiFamily::OpenAi && !preset.local)
        .find(|preset| host_and_port(preset.base_url).is_some_and(|(preset_host, _)| preset_host == host))
        .map_or(CUSTOM_PRESET, |preset| preset.id)
}

/// The lowercase host and explicit port of a URL, tolerating a missing scheme.
fn host_and_port(url: &str) -> Option<(String, Option<u16>)> {
    let trimmed = url.trim();
    let rest = trimmed.split_once("://").map_or(trimmed, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next()?.rsplit('@').next()?.to_ascii_lowercase();
    if authority.is_empty() {
        return None;
    }
    if authority.starts_with('[') {
        let (host, after) = authority.split_once(']')?;
        return Some((format!("{host}]"), after.strip_prefix(':').and_then(|port| port.parse().ok())));
    }
    Some(match authority.split_once(':') {
        Some((host, port)) => (host.to_string(), port.parse().ok()),
        None => (authority, None),
    })
}

/// Reads one field, falling back to its default when the stored value has
/// the wrong shape (a value a later build added to an enum, a hand edit), so
/// one odd field never costs the user the rest of the record.
fn lenient<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned + Default,
{
    let value = Value::deserialize(deserializer)?;
    Ok(serde_json::from_value(value).unwrap_or_default())
}

/// Reads the custom actions one by one: an invalid or malformed action is
/// dropped alone, and a value that is not a list gives none.
fn lenient_actions<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<CustomAction>, D::Error> {
    let value = Value::deserialize(deserializer)?;
    Ok(crate::custom_actions::from_stored(&value))
}

/// Writes an `f32` as the decimal it was typed as (0.4, not the
/// 0.4000000059604645 a widening to `f64` gives), so the stored JSON reads
/// as entered.
fn shortest_decimal<S: serde::Serializer>(value: &Option<f32>, serializer: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => {
            let decimal = value.to_string().parse::<f64>().unwrap_or(f64::from(*value));
            serializer.serialize_some(&decimal)
        }
        None => serializer.serialize_none(),
    }
}

/// Which form field a [`SettingsError`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SettingsField {
    /// The Base URL field.
    BaseUrl,
    /// The Model field.
    Model,
    /// The API key field.
    ApiKey,
    /// The temperature field.
    Temperature,
    /// The context budget field.
    ContextBudget,
    /// The extra instructions field.
    SystemPrompt,
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
    /// The base URL has a scheme but still cannot be used (host, port).
    #[error("{0}")]
    BaseUrlInvalid(BaseUrlError),
    /// The model name is missing while a base URL is set.
    #[error("Model is empty: enter the model name your endpoint serves (for example qwen-plus or llama3.2)")]
    ModelMissing,
    /// The key has characters no HTTP header can carry.
    #[error("API key contains spaces or line breaks; paste the key alone")]
    ApiKeyWhitespace,
    /// The provider refuses requests without a key, and none was entered.
    #[error("API key is empty: this provider needs one; paste the key from its console")]
    ApiKeyMissing,
    /// The temperature is not a number.
    #[error("Temperature must be a number from 0 to 2, or empty for the server's default")]
    TemperatureNotNumber,
    /// The temperature is outside 0..=2.
    #[error("Temperature must be from 0 to 2 (lower is more focused, higher more varied)")]
    TemperatureRange,
    /// The context budget is not a whole number.
    #[error("Page text budget must be a whole number of tokens, or 0 for automatic")]
    ContextBudgetNotNumber,
    /// The context budget is outside 1k..=1M (and not 0).
    #[error("Page text budget must be 0 (automatic) or from 1000 to 1000000 tokens")]
    ContextBudgetRange,
    /// The extra instructions are too long.
    #[error("Extra instructions are too long: keep them under 8000 characters")]
    SystemPromptTooLong,
}

impl SettingsError {
    /// The field the error is about, so a form can show it there.
    pub fn field(&self) -> SettingsField {
        match self {
            SettingsError::BaseUrlScheme | SettingsError::BaseUrlWhitespace | SettingsError::BaseUrlInvalid(_) => {
                SettingsField::BaseUrl
            }
            SettingsError::ModelMissing => SettingsField::Model,
            SettingsError::ApiKeyWhitespace | SettingsError::ApiKeyMissing => SettingsField::ApiKey,
            SettingsError::TemperatureNotNumber | SettingsError::TemperatureRange => SettingsField::Temperature,
            SettingsError::ContextBudgetNotNumber | SettingsError::ContextBudgetRange => SettingsField::ContextBudget,
            SettingsError::SystemPromptTooLong => SettingsField::SystemPrompt,
        }
    }
}

/// The endpoint fields as typed in a form, before validation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EndpointForm {
    /// The chosen preset id; an unknown or empty id is inferred from the base URL.
    pub preset: String,
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
/// form is valid: it means "not configured yet". The base URL must also be
/// usable by the preset's family (`normalize_base_url`), and a preset that
/// needs a key gets one.
pub fn validate_endpoint(form: &EndpointForm) -> Result<EndpointSettings, SettingsError> {
    let base_url = form.base_url.trim().trim_end_matches('/').to_string();
    let model = form.model.trim().to_string();
    let api_key = form.api_key.trim().to_string();
    let preset = resolve_preset(form.preset.trim(), &base_url);
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
        normalize_base_url(&base_url, preset.family).map_err(SettingsError::BaseUrlInvalid)?;
        if model.is_empty() {
            return Err(SettingsError::ModelMissing);
        }
    }
    if api_key.chars().any(char::is_whitespace) {
        return Err(SettingsError::ApiKeyWhitespace);
    }
    if !base_url.is_empty() && preset.needs_key && api_key.is_empty() {
        return Err(SettingsError::ApiKeyMissing);
    }
    Ok(EndpointSettings { preset: preset.id.to_string(), base_url, model, api_key })
}

/// The answer fields as typed in a form, before validation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AnswerForm {
    /// Raw temperature field; empty means the server's default.
    pub temperature: String,
    /// The chosen answer language.
    pub language: AnswerLanguage,
    /// The extra instructions, as typed.
    pub system_prompt: String,
    /// Raw context budget field; empty or 0 means automatic.
    pub context_budget: String,
}

impl AnswerForm {
    /// The form as it shows stored settings.
    pub fn from_settings(answer: &AnswerSettings) -> AnswerForm {
        AnswerForm {
            temperature: answer.temperature.map(|temperature| format!("{temperature}")).unwrap_or_default(),
            language: answer.language,
            system_prompt: answer.system_prompt.clone(),
            context_budget: match answer.context_budget_tokens {
                0 => String::new(),
                budget => budget.to_string(),
            },
        }
    }
}

/// Validates the answer fields. A decimal comma is accepted in the
/// temperature, and digit-group separators (`,`, `_`, spaces) in the budget.
pub fn validate_answer(form: &AnswerForm) -> Result<AnswerSettings, SettingsError> {
    let temperature = match form.temperature.trim() {
        "" => None,
        text => {
            let value: f32 = text.replace(',', ".").parse().map_err(|_| SettingsError::TemperatureNotNumber)?;
            if !value.is_finite() {
                return Err(SettingsError::TemperatureNotNumber);
            }
            if !(0.0..=MAX_TEMPERATURE).contains(&value) {
                return Err(SettingsError::TemperatureRange);
            }
            Some(value)
        }
    };
    let digits: String = form.context_budget.chars().filter(|c| !matches!(c, ',' | '_' | ' ')).collect();
    let context_budget_tokens = match digits.as_str() {
        "" => 0,
        text => {
            if !text.bytes().all(|byte| byte.is_ascii_digit()) {
                return Err(SettingsError::ContextBudgetNotNumber);
            }
            match text.parse::<u32>() {
                Ok(0) => 0,
                Ok(budget) if (MIN_CONTEXT_BUDGET..=MAX_CONTEXT_BUDGET).contains(&budget) => budget,
                _ => return Err(SettingsError::ContextBudgetRange),
            }
        }
    };
    let system_prompt = form.system_prompt.trim().to_string();
    if system_prompt.chars().count() > MAX_SYSTEM_PROMPT_CHARS {
        return Err(SettingsError::SystemPromptTooLong);
    }
    Ok(AnswerSettings { temperature, language: form.language, system_prompt, context_budget_tokens })
}

/// Upgrades any stored value to the current schema.
///
/// Never fails: a missing, corrupt or foreign value yields defaults, and
/// unknown fields are ignored, so a bad record can never lock a user out.
/// Version 0 is the flat shape `{base_url, model, api_key}` that early
/// builds wrote; version 1 had no preset, answer settings or onboarding
/// flag (the preset is inferred from the base URL, and a configured
/// endpoint counts as onboarded). Out-of-range values are clamped.
pub fn migrate(stored: Option<&Value>) -> Settings {
    let Some(value) = stored else {
        return Settings::default();
    };
    let version = value.get("version").and_then(Value::as_u64).unwrap_or(0);
    let mut upgraded = if version == 0 { migrate_v0(value) } else { value.clone() };
    if version < 2 {
        upgraded = migrate_v1(upgraded);
    }
    let mut settings: Settings = serde_json::from_value(upgraded).unwrap_or_default();
    settings.version = SCHEMA_VERSION;
    settings.sanitized()
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

/// Version 1 to 2: the preset from the base URL, and `onboarded` for a
/// configured endpoint. A record whose shape is wrong is left for serde to refuse.
fn migrate_v1(mut value: Value) -> Value {
    let Some(endpoint) = value.get_mut("endpoint").and_then(Value::as_object_mut) else {
        return value;
    };
    let base_url = endpoint.get("base_url").and_then(Value::as_str).unwrap_or_default().to_string();
    let model = endpoint.get("model").and_then(Value::as_str).unwrap_or_default().to_string();
    endpoint.insert("preset".into(), Value::from(infer_preset(&base_url)));
    let configured = !base_url.is_empty() && !model.is_empty();
    if let Some(record) = value.as_object_mut() {
        record.insert("version".into(), Value::from(2));
        record.insert("onboarded".into(), Value::from(configured));
    }
    value
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
        assert_eq!(settings.endpoint.preset, "custom");
        assert!(settings.onboarded);
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
    fn custom_actions_are_kept_and_a_bad_one_falls_back_alone() {
        use crate::custom_actions::default_actions;
        use crate::i18n::Locale;
        assert!(Settings::default().custom_actions.is_empty(), "a fresh install stores no actions");
        let mut settings = Settings::default();
        settings.endpoint.model = "m".into();
        settings.custom_actions = default_actions(Locale::ZhCn);
        let stored = serde_json::to_value(&settings).unwrap();
        assert_eq!(migrate(Some(&stored)), settings);
        let mut odd = stored.clone();
        odd["custom_actions"][1] = json!({"id": "x", "name": "no template"});
        let migrated = migrate(Some(&odd));
        assert_eq!(migrated.custom_actions.len(), settings.custom_actions.len() - 1);
        assert_eq!(migrated.endpoint.model, "m");
        odd["custom_actions"] = json!("garbage");
        let migrated = migrate(Some(&odd));
        assert!(migrated.custom_actions.is_empty());
        assert_eq!(migrated.endpoint.model, "m", "the rest of the record stays");
        let before_actions = json!({"version": 2, "endpoint": {"preset": "custom", "base_url": "", "model": "m"}});
        assert!(migrate(Some(&before_actions)).custom_actions.is_empty());
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
        EndpointForm { preset: String::new(), base_url: base_url.into(), model: model.into(), api_key: api_key.into() }
    }

    fn preset_form(preset: &str, base_url: &str, model: &str, api_key: &str) -> EndpointForm {
        EndpointForm { preset: preset.into(), ..form(base_url, model, api_key) }
    }

    #[test]
    fn validation_normalizes_and_explains() {
        let ok = validate_endpoint(&form(" http://127.0.0.1:8080/v1/ ", " m ", " k ")).unwrap();
        assert_eq!(ok.base_url, "http://127.0.0.1:8080/v1");
        assert_eq!(ok.model, "m");
        assert_eq!(ok.api_key, "k");
        assert_eq!(ok.preset, "llamacpp");
        assert_eq!(validate_endpoint(&form("", "", "")), Ok(EndpointSettings::default()));
        assert_eq!(validate_endpoint(&form("localhost:11434", "m", "")), Err(SettingsError::BaseUrlScheme));
        assert_eq!(validate_endpoint(&form("http://", "m", "")), Err(SettingsError::BaseUrlScheme));
        assert_eq!(validate_endpoint(&form("http://a b", "m", "")), Err(SettingsError::BaseUrlWhitespace));
        assert_eq!(validate_endpoint(&form("https://api.x/v1", "", "")), Err(SettingsError::ModelMissing));
        assert_eq!(validate_endpoint(&form("", "", "sk 1")), Err(SettingsError::ApiKeyWhitespace));
    }

    #[test]
    fn version_one_records_get_a_preset_from_their_base_url() {
        let cases = [
            ("http://127.0.0.1:11434/v1", "ollama-openai"),
            ("http://localhost:11434/v1/", "ollama-openai"),
            ("http://127.0.0.1:8080/v1", "llamacpp"),
            ("http://127.0.0.1:1234/v1", "lmstudio"),
            ("http://[::1]:8000/v1", "vllm"),
            ("https://api.deepseek.com/v1", "deepseek"),
            ("https://dashscope.aliyuncs.com/compatible-mode/v1", "dashscope"),
            ("https://API.OPENAI.COM/v1", "openai"),
            ("https://openrouter.ai/api/v1", "openrouter"),
            // Only OpenAI-compatible presets: v1 never spoke another protocol.
            ("https://generativelanguage.googleapis.com/v1beta/openai", "custom"),
            ("https://api.anthropic.com/v1", "custom"),
            ("http://127.0.0.1:18931/v1", "custom"),
            ("http://192.168.1.5:11434/v1", "custom"),
            ("", "custom"),
        ];
        for (base_url, preset) in cases {
            let stored = json!({"version": 1, "endpoint": {"base_url": base_url, "model": "m", "api_key": "k"},
                "ui_language": "zh_cn", "network": {"connect_timeout_seconds": 5, "idle_timeout_seconds": 6}});
            let settings = migrate(Some(&stored));
            assert_eq!(settings.version, 2);
            assert_eq!(settings.endpoint.preset, preset, "{base_url}");
            assert_eq!(settings.endpoint.base_url, base_url);
            assert_eq!(settings.ui_language, UiLanguage::ZhCn);
            assert_eq!(settings.network.connect_timeout_seconds, 5);
            assert_eq!(settings.answer, AnswerSettings::default());
            assert_eq!(settings.onboarded, !base_url.is_empty());
        }
        let unconfigured = migrate(Some(&json!({"version": 1, "ui_language": "en"})));
        assert_eq!(unconfigured.endpoint.preset, "custom");
        assert!(!unconfigured.onboarded);
        assert_eq!(unconfigured.ui_language, UiLanguage::En);
    }

    #[test]
    fn version_two_records_keep_their_choices_and_clamp_odd_values() {
        let stored = json!({"version": 2, "onboarded": true,
            "endpoint": {"preset": "ollama", "base_url": "http://127.0.0.1:11434", "model": "qwen2.5:3b", "api_key": ""},
            "answer": {"temperature": 0.3, "language": "page", "system_prompt": "Be brief.", "context_budget_tokens": 32000}});
        let settings = migrate(Some(&stored));
        assert_eq!(settings.endpoint.preset, "ollama");
        assert_eq!(settings.answer.temperature, Some(0.3));
        assert_eq!(settings.answer.language, AnswerLanguage::Page);
        assert_eq!(settings.answer.system_prompt, "Be brief.");
        assert_eq!(settings.answer.context_budget_tokens, 32_000);
        assert!(settings.onboarded);

        let odd = json!({"version": 2, "endpoint": {"preset": "gone-provider", "base_url": "http://127.0.0.1:8080/v1", "model": "m"},
            "answer": {"temperature": 9.5, "language": "klingon", "context_budget_tokens": 12}});
        let settings = migrate(Some(&odd));
        // One odd field falls back to its default; the rest of the record stays.
        assert_eq!(settings.answer.language, AnswerLanguage::Interface);
        assert_eq!(settings.endpoint.model, "m");
        let odd = json!({"version": 2, "endpoint": {"preset": "gone-provider", "base_url": "http://127.0.0.1:8080/v1", "model": "m"},
            "answer": {"temperature": 9.5, "context_budget_tokens": 12}});
        let settings = migrate(Some(&odd));
        assert_eq!(settings.endpoint.preset, "llamacpp");
        assert_eq!(settings.answer.temperature, Some(2.0));
        assert_eq!(settings.answer.context_budget_tokens, 1_000);
        let mut written = Settings::default();
        written.answer.temperature = Some(0.4);
        assert_eq!(serde_json::to_value(&written).unwrap()["answer"]["temperature"], json!(0.4));
        assert_eq!(migrate(Some(&serde_json::to_value(&written).unwrap())), written);
        let future = json!({"version": 7, "answer": {"tone": "pirate", "temperature": 1}, "new_section": {}});
        assert_eq!(migrate(Some(&future)).answer.temperature, Some(1.0));
    }

    fn answer_form(temperature: &str, budget: &str, prompt: &str) -> AnswerForm {
        AnswerForm {
            temperature: temperature.into(),
            language: AnswerLanguage::ZhCn,
            system_prompt: prompt.into(),
            context_budget: budget.into(),
        }
    }

    #[test]
    fn answer_validation_accepts_ranges_and_explains() {
        let ok = validate_answer(&answer_form(" 0,7 ", "32,000", "  Answer in bullet points.\n")).unwrap();
        assert_eq!(ok.temperature, Some(0.7));
        assert_eq!(ok.context_budget_tokens, 32_000);
        assert_eq!(ok.system_prompt, "Answer in bullet points.");
        assert_eq!(ok.language, AnswerLanguage::ZhCn);
        let defaults = validate_answer(&answer_form("", "", "")).unwrap();
        assert_eq!(defaults.temperature, None);
        assert_eq!(defaults.context_budget_tokens, 0);
        assert_eq!(validate_answer(&answer_form("0", "0", "")).unwrap().temperature, Some(0.0));
        assert_eq!(validate_answer(&answer_form("2", "1000000", "")).unwrap().context_budget_tokens, 1_000_000);
        let refused = |t: &str, b: &str, p: &str| validate_answer(&answer_form(t, b, p)).unwrap_err();
        assert_eq!(refused("hot", "", ""), SettingsError::TemperatureNotNumber);
        assert_eq!(refused("NaN", "", ""), SettingsError::TemperatureNotNumber);
        assert_eq!(refused("2.5", "", ""), SettingsError::TemperatureRange);
        assert_eq!(refused("-0.1", "", ""), SettingsError::TemperatureRange);
        assert_eq!(refused("", "32k", ""), SettingsError::ContextBudgetNotNumber);
        assert_eq!(refused("", "999", ""), SettingsError::ContextBudgetRange);
        assert_eq!(refused("", "1000001", ""), SettingsError::ContextBudgetRange);
        assert_eq!(refused("", "99999999999", ""), SettingsError::ContextBudgetRange);
        assert_eq!(refused("", "", &"x".repeat(8001)), SettingsError::SystemPromptTooLong);
        assert_eq!(refused("3", "", "").field(), SettingsField::Temperature);
        assert_eq!(refused("", "5", "").field(), SettingsField::ContextBudget);
        let form = AnswerForm::from_settings(&ok);
        assert_eq!(validate_answer(&form), Ok(ok));
    }

    #[test]
    fn endpoint_validation_follows_the_preset() {
        let ok =
            validate_endpoint(&preset_form("deepseek", "https://api.deepseek.com", "deepseek-chat", "sk-1")).unwrap();
        assert_eq!(ok.preset, "deepseek");
        assert_eq!(
            validate_endpoint(&preset_form("openai", "https://api.openai.com/v1", "gpt-4o-mini", "")),
            Err(SettingsError::ApiKeyMissing)
        );
        assert_eq!(SettingsError::ApiKeyMissing.field(), SettingsField::ApiKey);
        let bad_port = validate_endpoint(&preset_form("custom", "http://127.0.0.1:99999/v1", "m", "")).unwrap_err();
        assert!(matches!(bad_port, SettingsError::BaseUrlInvalid(BaseUrlError::InvalidPort { .. })), "{bad_port:?}");
        assert_eq!(bad_port.field(), SettingsField::BaseUrl);
        assert!(bad_port.to_string().contains("99999"));
        // An unknown preset id is inferred from the URL.
        let inferred = validate_endpoint(&preset_form("nope", "http://localhost:11434/v1", "qwen", "")).unwrap();
        assert_eq!(inferred.preset, "ollama-openai");
    }

    #[test]
    fn endpoint_is_built_from_the_preset_with_a_normalized_url() {
        use crate::provider::ApiFamily;
        let mut settings = Settings::default();
        assert_eq!(settings.endpoint(), None, "not configured");
        settings.endpoint = EndpointSettings {
            preset: "ollama".into(),
            base_url: "http://127.0.0.1:11434/api/chat".into(),
            model: "qwen2.5:3b".into(),
            api_key: String::new(),
        };
        let endpoint = settings.endpoint().unwrap();
        assert_eq!(endpoint.family, ApiFamily::Ollama);
        assert_eq!(endpoint.base_url, "http://127.0.0.1:11434");
        assert_eq!(settings.context_window_tokens(), 8_192);

        settings.endpoint.preset = "custom".into();
        settings.endpoint.base_url = "http://127.0.0.1:9000/v1/chat/completions".into();
        settings.endpoint.api_key = " sk-x ".into();
        let endpoint = settings.endpoint().unwrap();
        assert_eq!(endpoint.family, ApiFamily::OpenAi);
        assert_eq!(endpoint.base_url, "http://127.0.0.1:9000/v1");
        assert_eq!(endpoint.api_key, "sk-x");

        settings.endpoint.preset = "anthropic".into();
        settings.endpoint.base_url = "https://api.anthropic.com/v1".into();
        let endpoint = settings.endpoint().unwrap();
        assert_eq!(endpoint.family, ApiFamily::Anthropic);
        assert_eq!(endpoint.base_url, "https://api.anthropic.com");
        assert_eq!(settings.context_window_tokens(), 200_000);
        settings.answer.context_budget_tokens = 50_000;
        assert_eq!(settings.context_window_tokens(), 50_000);

        // An unknown preset falls back to the URL, then to custom (OpenAI).
        settings.endpoint.preset = "gone".into();
        settings.endpoint.base_url = "http://127.0.0.1:8080".into();
        let endpoint = settings.endpoint().unwrap();
        assert_eq!(endpoint.family, ApiFamily::OpenAi);
        assert_eq!(endpoint.base_url, "http://127.0.0.1:8080/v1");
        settings.endpoint.base_url = "ftp://nope".into();
        assert_eq!(settings.endpoint(), None, "an unusable URL gives no endpoint");
        assert!(!format!("{:?}", settings.redacted()).contains("sk-x"));
    }
}
