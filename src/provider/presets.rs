//! Provider presets: the table of known endpoints with their defaults and request quirks.
//!
//! A preset is what the options page offers in its provider list. It fills
//! in the base URL, the default model and the context window, and records
//! the quirks a request must respect: whether the server accepts
//! `stream_options.include_usage`, and where the switch that turns a
//! model's thinking on or off goes. The values are the servers' own
//! defaults as described in `endpoints.md`; a user can override the base
//! URL, the model and the key.

use serde::{Deserialize, Serialize};

use super::ApiFamily;

/// How an endpoint expects the API key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthStyle {
    /// `Authorization: Bearer KEY`, used by OpenAI and every compatible server.
    Bearer,
    /// `x-api-key: KEY`, used by Anthropic.
    XApiKey,
    /// `x-goog-api-key: KEY`, used by Gemini.
    XGoogApiKey,
    /// The server checks no key by default. A key entered anyway is sent as
    /// a Bearer header, which `llama-server --api-key` and `vllm --api-key` expect.
    None,
}

impl AuthStyle {
    /// The header style the request builder uses for a family when a key is set.
    pub fn for_family(family: ApiFamily) -> AuthStyle {
        match family {
            ApiFamily::OpenAi | ApiFamily::Ollama => AuthStyle::Bearer,
            ApiFamily::Anthropic => AuthStyle::XApiKey,
            ApiFamily::Gemini => AuthStyle::XGoogApiKey,
        }
    }
}

/// Where an endpoint streams the model's reasoning (documentation for the stream decoder).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasoningField {
    /// The endpoint streams no reasoning text.
    None,
    /// `choices[0].delta.reasoning_content` (DeepSeek, DashScope, Moonshot, Ark, Zhipu, llama.cpp).
    ReasoningContent,
    /// `choices[0].delta.reasoning` (OpenRouter, Groq, vLLM, LM Studio, Ollama `/v1`).
    Reasoning,
    /// `message.thinking` on Ollama's native NDJSON lines.
    OllamaThinking,
    /// Anthropic `thinking_delta` blocks.
    AnthropicThinking,
    /// Gemini parts marked `thought: true`.
    GeminiThought,
}

/// Where the switch that turns a model's thinking on or off goes in a request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThinkingControl {
    /// The endpoint has no switch (thinking is chosen by picking a model); nothing is sent.
    #[default]
    None,
    /// DashScope: top-level `enable_thinking: bool`.
    EnableThinking,
    /// Volcengine Ark and Zhipu: `thinking: {"type": "enabled" | "disabled"}`.
    ThinkingType,
    /// Ollama native: top-level `think: bool`.
    OllamaThink,
    /// Anthropic: `thinking: {"type": "enabled", "budget_tokens": N}`, omitted when off.
    AnthropicBudget,
    /// Gemini: `generationConfig.thinkingConfig.includeThoughts: bool`.
    GeminiIncludeThoughts,
    /// vLLM and llama.cpp: `chat_template_kwargs: {"enable_thinking": bool}`.
    ChatTemplateKwargs,
    /// OpenRouter: `reasoning: {"enabled": bool}`.
    OpenRouterReasoning,
}

impl ThinkingControl {
    /// The natural switch for a family when no preset says otherwise.
    pub fn for_family(family: ApiFamily) -> ThinkingControl {
        match family {
            ApiFamily::OpenAi => ThinkingControl::None,
            ApiFamily::Ollama => ThinkingControl::OllamaThink,
            ApiFamily::Anthropic => ThinkingControl::AnthropicBudget,
            ApiFamily::Gemini => ThinkingControl::GeminiIncludeThoughts,
        }
    }
}

/// One known endpoint and its defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Preset {
    /// Stable identifier, stored in settings; never renamed.
    pub id: &'static str,
    /// Name shown in the provider list.
    pub name: &'static str,
    /// The wire protocol the endpoint speaks.
    pub family: ApiFamily,
    /// Default base URL; empty for the custom preset, where the user must enter one.
    pub base_url: &'static str,
    /// How the API key is sent.
    pub auth: AuthStyle,
    /// Whether the endpoint refuses requests without a key.
    pub needs_key: bool,
    /// Default model id; empty means "pick one from the server's model list".
    pub default_model: &'static str,
    /// Where the endpoint streams reasoning text.
    pub reasoning: ReasoningField,
    /// Context window of the default model in tokens, used when the model
    /// list does not report one. For local servers it is the server's usual
    /// default, which is what silently caps a prompt.
    pub context_window: u32,
    /// Whether the server runs on this machine (a loopback address).
    pub local: bool,
    /// Whether the server accepts `stream_options: {"include_usage": true}`.
    pub include_usage: bool,
    /// Where the thinking switch goes.
    pub thinking: ThinkingControl,
}

/// Every preset, in the order the options page lists them.
pub const PRESETS: &[Preset] = &[
    Preset {
        id: "openai",
        name: "OpenAI",
        family: ApiFamily::OpenAi,
        base_url: "https://api.openai.com/v1",
        auth: AuthStyle::Bearer,
        needs_key: true,
        default_model: "gpt-4o-mini",
        reasoning: ReasoningField::None,
        context_window: 128_000,
        local: false,
        include_usage: true,
        thinking: ThinkingControl::None,
    },
    Preset {
        id: "dashscope",
        name: "Alibaba Cloud Model Studio (DashScope, China)",
        family: ApiFamily::OpenAi,
        base_url: "https://dashscope.aliyuncs.com/compatible-mode/v1",
        auth: AuthStyle::Bearer,
        needs_key: true,
        default_model: "qwen-plus",
        reasoning: ReasoningField::ReasoningContent,
        context_window: 131_072,
        local: false,
        include_usage: true,
        thinking: ThinkingControl::EnableThinking,
    },
    Preset {
        id: "dashscope-intl",
        name: "Alibaba Cloud Model Studio (DashScope, international)",
        family: ApiFamily::OpenAi,
        base_url: "https://dashscope-intl.aliyuncs.com/compatible-mode/v1",
        auth: AuthStyle::Bearer,
        needs_key: true,
        default_model: "qwen-plus",
        reasoning: ReasoningField::ReasoningContent,
        context_window: 131_072,
        local: false,
        include_usage: true,
        thinking: ThinkingControl::EnableThinking,
    },
    Preset {
        id: "deepseek",
        name: "DeepSeek",
        family: ApiFamily::OpenAi,
        base_url: "https://api.deepseek.com",
        auth: AuthStyle::Bearer,
        needs_key: true,
        default_model: "deepseek-chat",
        reasoning: ReasoningField::ReasoningContent,
        context_window: 128_000,
        local: false,
        include_usage: true,
        thinking: ThinkingControl::None,
    },
    Preset {
        id: "moonshot",
        name: "Moonshot Kimi (China)",
        family: ApiFamily::OpenAi,
        base_url: "https://api.moonshot.cn/v1",
        auth: AuthStyle::Bearer,
        needs_key: true,
        default_model: "kimi-k2-0905-preview",
        reasoning: ReasoningField::ReasoningContent,
        context_window: 262_144,
        local: false,
        // Moonshot reports usage in `choices[0].usage` on the finish chunk anyway.
        include_usage: false,
        thinking: ThinkingControl::None,
    },
    Preset {
        id: "moonshot-intl",
        name: "Moonshot Kimi (international)",
        family: ApiFamily::OpenAi,
        base_url: "https://api.moonshot.ai/v1",
        auth: AuthStyle::Bearer,
        needs_key: true,
        default_model: "kimi-k2-0905-preview",
        reasoning: ReasoningField::ReasoningContent,
        context_window: 262_144,
        local: false,
        include_usage: false,
        thinking: ThinkingControl::None,
    },
    Preset {
        id: "ark",
        name: "Volcengine Ark (Doubao)",
        family: ApiFamily::OpenAi,
        base_url: "https://ark.cn-beijing.volces.com/api/v3",
        auth: AuthStyle::Bearer,
        needs_key: true,
        default_model: "doubao-seed-1-6-250615",
        reasoning: ReasoningField::ReasoningContent,
        context_window: 262_144,
        local: false,
        include_usage: true,
        thinking: ThinkingControl::ThinkingType,
    },
    Preset {
        id: "zhipu",
        name: "Zhipu GLM (BigModel)",
        family: ApiFamily::OpenAi,
        base_url: "https://open.bigmodel.cn/api/paas/v4",
        auth: AuthStyle::Bearer,
        needs_key: true,
        default_model: "glm-4.5",
        reasoning: ReasoningField::ReasoningContent,
        context_window: 131_072,
        local: false,
        // Zhipu sends usage on its last chunk without being asked.
        include_usage: false,
        thinking: ThinkingControl::ThinkingType,
    },
    Preset {
        id: "openrouter",
        name: "OpenRouter",
        family: ApiFamily::OpenAi,
        base_url: "https://openrouter.ai/api/v1",
        auth: AuthStyle::Bearer,
        needs_key: true,
        default_model: "openrouter/auto",
        reasoning: ReasoningField::Reasoning,
        context_window: 128_000,
        local: false,
        // OpenRouter always sends usage (with cost) on the final chunk.
        include_usage: false,
        thinking: ThinkingControl::OpenRouterReasoning,
    },
    Preset {
        id: "groq",
        name: "Groq",
        family: ApiFamily::OpenAi,
        base_url: "https://api.groq.com/openai/v1",
        auth: AuthStyle::Bearer,
        needs_key: true,
        default_model: "llama-3.3-70b-versatile",
        reasoning: ReasoningField::Reasoning,
        context_window: 131_072,
        local: false,
        include_usage: true,
        thinking: ThinkingControl::None,
    },
    Preset {
        id: "ollama",
        name: "Ollama",
        family: ApiFamily::Ollama,
        base_url: "http://127.0.0.1:11434",
        auth: AuthStyle::None,
        needs_key: false,
        default_model: "",
        reasoning: ReasoningField::OllamaThinking,
        // Requests set `options.num_ctx` to fit the prompt, so this is only a starting point.
        context_window: 8_192,
        local: true,
        include_usage: false,
        thinking: ThinkingControl::OllamaThink,
    },
    Preset {
        id: "ollama-openai",
        name: "Ollama (OpenAI-compatible /v1)",
        family: ApiFamily::OpenAi,
        base_url: "http://127.0.0.1:11434/v1",
        auth: AuthStyle::None,
        needs_key: false,
        default_model: "",
        reasoning: ReasoningField::Reasoning,
        // `/v1` cannot raise `num_ctx`, so Ollama's default silently caps prompts here.
        context_window: 4_096,
        local: true,
        include_usage: true,
        thinking: ThinkingControl::None,
    },
    Preset {
        id: "llamacpp",
        name: "llama.cpp server",
        family: ApiFamily::OpenAi,
        base_url: "http://127.0.0.1:8080/v1",
        auth: AuthStyle::None,
        needs_key: false,
        default_model: "",
        reasoning: ReasoningField::ReasoningContent,
        context_window: 4_096,
        local: true,
        include_usage: true,
        thinking: ThinkingControl::ChatTemplateKwargs,
    },
    Preset {
        id: "vllm",
        name: "vLLM",
        family: ApiFamily::OpenAi,
        base_url: "http://127.0.0.1:8000/v1",
        auth: AuthStyle::None,
        needs_key: false,
        default_model: "",
        reasoning: ReasoningField::Reasoning,
        context_window: 8_192,
        local: true,
        include_usage: true,
        thinking: ThinkingControl::ChatTemplateKwargs,
    },
    Preset {
        id: "lmstudio",
        name: "LM Studio",
        family: ApiFamily::OpenAi,
        base_url: "http://127.0.0.1:1234/v1",
        auth: AuthStyle::None,
        needs_key: false,
        default_model: "",
        reasoning: ReasoningField::Reasoning,
        context_window: 4_096,
        local: true,
        include_usage: true,
        thinking: ThinkingControl::None,
    },
    Preset {
        id: "anthropic",
        name: "Anthropic",
        family: ApiFamily::Anthropic,
        base_url: "https://api.anthropic.com",
        auth: AuthStyle::XApiKey,
        needs_key: true,
        default_model: "claude-sonnet-4-5",
        reasoning: ReasoningField::AnthropicThinking,
        context_window: 200_000,
        local: false,
        include_usage: false,
        thinking: ThinkingControl::AnthropicBudget,
    },
    Preset {
        id: "gemini",
        name: "Google Gemini",
        family: ApiFamily::Gemini,
        base_url: "https://generativelanguage.googleapis.com/v1beta",
        auth: AuthStyle::XGoogApiKey,
        needs_key: true,
        default_model: "gemini-2.5-flash",
        reasoning: ReasoningField::GeminiThought,
        context_window: 1_048_576,
        local: false,
        include_usage: false,
        thinking: ThinkingControl::GeminiIncludeThoughts,
    },
    Preset {
        id: "custom",
        name: "Custom (OpenAI-compatible)",
        family: ApiFamily::OpenAi,
        base_url: "",
        auth: AuthStyle::Bearer,
        needs_key: false,
        default_model: "",
        // The stream decoder reads both `reasoning_content` and `reasoning`.
        reasoning: ReasoningField::ReasoningContent,
        context_window: 8_192,
        local: false,
        // Most compatible servers accept it; the user can turn it off if one rejects it.
        include_usage: true,
        thinking: ThinkingControl::None,
    },
];

/// The preset with this id, if there is one.
pub fn find_preset(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|preset| preset.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::base_url::normalize_base_url;
    use std::collections::HashSet;

    const REQUIRED_IDS: &[&str] = &[
        "openai",
        "dashscope",
        "dashscope-intl",
        "deepseek",
        "moonshot",
        "moonshot-intl",
        "ark",
        "zhipu",
        "openrouter",
        "groq",
        "ollama",
        "ollama-openai",
        "llamacpp",
        "vllm",
        "lmstudio",
        "anthropic",
        "gemini",
        "custom",
    ];

    #[test]
    fn every_required_preset_exists_once() {
        let ids: Vec<&str> = PRESETS.iter().map(|preset| preset.id).collect();
        let unique: HashSet<&str> = ids.iter().copied().collect();
        assert_eq!(ids.len(), unique.len(), "duplicate preset ids: {ids:?}");
        for id in REQUIRED_IDS {
            assert!(find_preset(id).is_some(), "missing preset {id}");
        }
        assert_eq!(ids.len(), REQUIRED_IDS.len());
        assert!(find_preset("nope").is_none());
    }

    #[test]
    fn local_presets_are_exactly_the_loopback_ones() {
        for preset in PRESETS {
            let loopback = preset.base_url.starts_with("http://127.0.0.1:");
            assert_eq!(preset.local, loopback, "{}", preset.id);
            if preset.local {
                assert!(!preset.needs_key, "{}", preset.id);
                assert_eq!(preset.auth, AuthStyle::None, "{}", preset.id);
            } else if !preset.base_url.is_empty() {
                assert!(preset.base_url.starts_with("https://"), "{}", preset.id);
            }
        }
    }

    #[test]
    fn keyed_presets_use_their_familys_header() {
        for preset in PRESETS.iter().filter(|preset| preset.auth != AuthStyle::None) {
            assert_eq!(preset.auth, AuthStyle::for_family(preset.family), "{}", preset.id);
        }
    }

    #[test]
    fn preset_base_urls_are_already_normalized() {
        for preset in PRESETS.iter().filter(|preset| !preset.base_url.is_empty()) {
            let normalized = normalize_base_url(preset.base_url, preset.family)
                .unwrap_or_else(|error| panic!("{}: {error}", preset.id));
            // DeepSeek documents its bare origin; it serves the same API under /v1.
            let expected = if preset.id == "deepseek" {
                "https://api.deepseek.com/v1".to_string()
            } else {
                preset.base_url.to_string()
            };
            assert_eq!(normalized, expected, "{}", preset.id);
        }
    }

    #[test]
    fn quirks_match_the_endpoint_reference() {
        let quirk = |id: &str| find_preset(id).map(|preset| (preset.family, preset.thinking));
        assert_eq!(quirk("dashscope"), Some((ApiFamily::OpenAi, ThinkingControl::EnableThinking)));
        assert_eq!(quirk("ark"), Some((ApiFamily::OpenAi, ThinkingControl::ThinkingType)));
        assert_eq!(quirk("zhipu"), Some((ApiFamily::OpenAi, ThinkingControl::ThinkingType)));
        assert_eq!(quirk("ollama"), Some((ApiFamily::Ollama, ThinkingControl::OllamaThink)));
        assert_eq!(quirk("ollama-openai"), Some((ApiFamily::OpenAi, ThinkingControl::None)));
        assert_eq!(quirk("vllm"), Some((ApiFamily::OpenAi, ThinkingControl::ChatTemplateKwargs)));
        assert_eq!(quirk("llamacpp"), Some((ApiFamily::OpenAi, ThinkingControl::ChatTemplateKwargs)));
        assert_eq!(quirk("openrouter"), Some((ApiFamily::OpenAi, ThinkingControl::OpenRouterReasoning)));
        assert_eq!(quirk("anthropic"), Some((ApiFamily::Anthropic, ThinkingControl::AnthropicBudget)));
        assert_eq!(quirk("gemini"), Some((ApiFamily::Gemini, ThinkingControl::GeminiIncludeThoughts)));
        for preset in PRESETS.iter().filter(|preset| preset.family != ApiFamily::OpenAi) {
            assert!(!preset.include_usage, "{} is not an OpenAI-shaped endpoint", preset.id);
        }
        let custom = find_preset("custom").map(|preset| (preset.base_url, preset.family));
        assert_eq!(custom, Some(("", ApiFamily::OpenAi)));
    }

    #[test]
    fn cloud_presets_name_a_default_model() {
        for preset in PRESETS.iter().filter(|preset| !preset.local && preset.id != "custom") {
            assert!(!preset.default_model.is_empty(), "{}", preset.id);
            assert!(preset.context_window >= 4_096, "{}", preset.id);
        }
    }
}
