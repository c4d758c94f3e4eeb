//! The settings form's and first-run setup card's strings, in English and Simplified Chinese.
//!
//! Same pattern as `UiText`: [`SettingsText::text`] is an exhaustive match,
//! so a string without both translations does not compile. Placeholders such
//! as `{n}` are filled by [`SettingsText::with`]. The accessible names the
//! end-to-end tests use ("Base URL", "Model", "API key", "Save") are fixed in
//! English.

use super::Locale;
use crate::custom_actions::CustomActionError;
use crate::settings::SettingsError;

/// Every string of the settings form and the setup card.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettingsText {
    OptionsTitle,
    EndpointSection,
    Provider,
    ProviderHint,
    BaseUrl,
    BaseUrlHint,
    ApiKey,
    ApiKeyHint,
    ApiKeyNotNeeded,
    ShowKey,
    HideKey,
    ShowKeyLabel,
    HideKeyLabel,
    Model,
    ModelHint,
    LoadModels,
    LoadingModels,
    ModelsLoaded,
    NoModelsListed,
    ModelListUnreadable,
    TestConnection,
    Testing,
    ConnectedModels,
    ModelNotListed,
    AnswersSection,
    Temperature,
    TemperatureHint,
    AnswerLanguage,
    AnswerLanguageInterface,
    AnswerLanguagePage,
    ContextBudget,
    ContextBudgetHint,
    SystemPrompt,
    SystemPromptHint,
    InterfaceSection,
    InterfaceLanguage,
    LanguageAuto,
    Save,
    Saving,
    Saved,
    NotSaved,
    Loading,
    ErrorBaseUrlScheme,
    ErrorBaseUrlWhitespace,
    ErrorBaseUrlInvalid,
    ErrorModelMissing,
    ErrorApiKeyWhitespace,
    ErrorApiKeyMissing,
    ErrorTemperatureNotNumber,
    ErrorTemperatureRange,
    ErrorContextBudgetNotNumber,
    ErrorContextBudgetRange,
    ErrorSystemPromptTooLong,
    SetupTitle,
    SetupIntro,
    SetupLocalHeading,
    SetupChecking,
    SetupOllamaFound,
    SetupOllamaMissing,
    SetupUseOllama,
    SetupLlamaCppFound,
    SetupLlamaCppMissing,
    SetupUseLlamaCpp,
    SetupLmStudioFound,
    SetupUseLmStudio,
    SetupCheckAgain,
    SetupConnecting,
    SetupOllamaNoModels,
    SetupServerNoModels,
    SetupPermissionRefused,
    SetupCloudHeading,
    SetupCloudHint,
    SetupCloudSave,
    SetupSaveAnyway,
    SetupFullSettings,
    ActionsSection,
    ActionsIntro,
    ActionsEmpty,
    ActionsAddSuggested,
    ActionsNothingToSuggest,
    ActionsAdd,
    ActionsExport,
    ActionsImport,
    ActionsImported,
    ActionsImportFailed,
    ActionsSaved,
    ActionsDeleted,
    ActionsListLabel,
    ActionEdit,
    ActionDelete,
    ActionEditButton,
    ActionDeleteButton,
    ActionEditorNew,
    ActionEditorEdit,
    ActionName,
    ActionTemplate,
    ActionTemplateHint,
    ActionAppearsOn,
    ActionContextSelection,
    ActionContextPage,
    ActionContextLink,
    ActionContextImage,
    ActionModel,
    ActionModelHint,
    ActionPreview,
    ActionPreviewHint,
    ActionSave,
    ActionCancel,
    ErrorActionNameEmpty,
    ErrorActionNameTooLong,
    ErrorActionTemplateEmpty,
    ErrorActionTemplateTooLong,
    ErrorActionNoContexts,
    ErrorActionModel,
}

impl SettingsText {
    /// The string in the given locale.
    pub fn text(self, locale: Locale) -> &'static str {
        let (en, zh) = self.pair();
        match locale {
            Locale::En => en,
            Locale::ZhCn => zh,
        }
    }

    /// The string with each `(placeholder, value)` filled in, such as `("{n}", "3")`.
    pub fn with(self, locale: Locale, values: &[(&str, &str)]) -> String {
        values.iter().fold(self.text(locale).to_string(), |text, (placeholder, value)| text.replace(placeholder, value))
    }

    /// The translated message of a validation error. A base URL the
    /// normalizer refuses keeps its own (English) detail after the lead.
    pub fn error(error: &SettingsError, locale: Locale) -> String {
        let key = match error {
            SettingsError::BaseUrlScheme => SettingsText::ErrorBaseUrlScheme,
            SettingsError::BaseUrlWhitespace => SettingsText::ErrorBaseUrlWhitespace,
            SettingsError::BaseUrlInvalid(detail) => {
                return match locale {
                    Locale::En => detail.to_string(),
                    Locale::ZhCn => format!("{}{detail}", SettingsText::ErrorBaseUrlInvalid.text(locale)),
                };
            }
            SettingsError::ModelMissing => SettingsText::ErrorModelMissing,
            SettingsError::ApiKeyWhitespace => SettingsText::ErrorApiKeyWhitespace,
            SettingsError::ApiKeyMissing => SettingsText::ErrorApiKeyMissing,
            SettingsError::TemperatureNotNumber => SettingsText::ErrorTemperatureNotNumber,
            SettingsError::TemperatureRange => SettingsText::ErrorTemperatureRange,
            SettingsError::ContextBudgetNotNumber => SettingsText::ErrorContextBudgetNotNumber,
            SettingsError::ContextBudgetRange => SettingsText::ErrorContextBudgetRange,
            SettingsError::SystemPromptTooLong => SettingsText::ErrorSystemPromptTooLong,
        };
        key.text(locale).to_string()
    }

    /// The translated message of a custom action's error. Errors about an
    /// imported file keep their own (English) detail after the lead.
    pub fn action_error(error: &CustomActionError, locale: Locale) -> String {
        let key = match error {
            CustomActionError::NameEmpty => SettingsText::ErrorActionNameEmpty,
            CustomActionError::NameTooLong => SettingsText::ErrorActionNameTooLong,
            CustomActionError::TemplateEmpty => SettingsText::ErrorActionTemplateEmpty,
            CustomActionError::TemplateTooLong => SettingsText::ErrorActionTemplateTooLong,
            CustomActionError::NoContexts => SettingsText::ErrorActionNoContexts,
            CustomActionError::BadModel => SettingsText::ErrorActionModel,
            other => return format!("{}{other}", SettingsText::ActionsImportFailed.text(locale)),
        };
        key.text(locale).to_string()
    }

    fn pair(self) -> (&'static str, &'static str) {
        use SettingsText::*;
        match self {
            OptionsTitle => ("Pagewise settings", "Pagewise 设置"),
            EndpointSection => ("Model endpoint", "模型端点"),
            Provider => ("Provider", "服务商"),
            ProviderHint => (
                "Choosing a provider fills in its Base URL and default model.",
                "选择服务商会自动填入它的 Base URL 和默认模型。",
            ),
            BaseUrl => ("Base URL", "Base URL"),
            BaseUrlHint => (
                "The server's API address, for example http://127.0.0.1:11434/v1 for Ollama.",
                "服务的 API 地址，例如 Ollama 的 http://127.0.0.1:11434/v1。",
            ),
            ApiKey => ("API key", "API 密钥"),
            ApiKeyHint => (
                "Stored on this device only and sent only to the Base URL above.",
                "仅保存在本设备，且只发送到上面的 Base URL。",
            ),
            ApiKeyNotNeeded => (
                "This server needs no key unless you started it with one.",
                "除非启动时设置了密钥，此服务不需要密钥。",
            ),
            ShowKey => ("Show", "显示"),
            HideKey => ("Hide", "隐藏"),
            ShowKeyLabel => ("Show the key", "显示密钥"),
            HideKeyLabel => ("Hide the key", "隐藏密钥"),
            Model => ("Model", "模型"),
            ModelHint => (
                "Pick one from the server's list, or type the model name.",
                "从服务的列表中选择，或直接输入模型名称。",
            ),
            LoadModels => ("Load models", "获取模型列表"),
            LoadingModels => ("Loading the model list…", "正在获取模型列表…"),
            ModelsLoaded => ("{n} models available", "共 {n} 个可用模型"),
            NoModelsListed => (
                "The server lists no models. Load or download a model in it, then try again.",
                "服务没有列出任何模型。请先在服务中加载或下载模型，然后重试。",
            ),
            ModelListUnreadable => (
                "The server answered, but its model list could not be read. Type the model name instead.",
                "服务有响应，但无法读取其模型列表。请直接输入模型名称。",
            ),
            TestConnection => ("Test connection", "测试连接"),
            Testing => ("Testing the connection…", "正在测试连接…"),
            ConnectedModels => ("Connected: {n} models", "已连接：{n} 个模型"),
            ModelNotListed => (
                "Connected, but the server does not list “{model}”. Pick a model from the list.",
                "已连接，但服务的列表中没有“{model}”。请从列表中选择模型。",
            ),
            AnswersSection => ("Answers", "回答"),
            Temperature => ("Temperature", "温度"),
            TemperatureHint => (
                "From 0 (focused) to 2 (varied). Leave empty for the server's default.",
                "从 0（稳定）到 2（多样）。留空则使用服务的默认值。",
            ),
            AnswerLanguage => ("Answer language", "回答语言"),
            AnswerLanguageInterface => ("Same as the interface", "与界面相同"),
            AnswerLanguagePage => ("The page's language", "与页面相同"),
            ContextBudget => ("Context window (tokens)", "上下文窗口（token）"),
            ContextBudgetHint => (
                "The model's context window: the page, the chat and room for the answer are fitted into it. \
                 Empty or 0: automatic (what the server reports, else the model's known window, else {n} tokens).",
                "模型的上下文窗口：页面、对话和回答的空间都按它分配。\
                 留空或 0：自动（优先采用服务器报告的值，其次是已知模型的窗口，否则为 {n} token）。",
            ),
            SystemPrompt => ("Extra instructions", "附加指令"),
            SystemPromptHint => (
                "Added to Pagewise's own instructions for every answer, for example “Answer in bullet points.”",
                "附加在 Pagewise 自身指令之后，用于每次回答，例如“用要点列表回答。”",
            ),
            InterfaceSection => ("Interface", "界面"),
            InterfaceLanguage => ("Interface language", "界面语言"),
            LanguageAuto => ("Same as browser", "跟随浏览器"),
            Save => ("Save", "保存"),
            Saving => ("Saving…", "正在保存…"),
            Saved => ("Saved", "已保存"),
            NotSaved => ("Not saved: correct the marked fields.", "未保存：请修改标出的字段。"),
            Loading => ("Loading…", "加载中…"),
            ErrorBaseUrlScheme => (
                "Base URL must start with http:// or https:// (for example http://127.0.0.1:11434/v1)",
                "Base URL 必须以 http:// 或 https:// 开头（例如 http://127.0.0.1:11434/v1）",
            ),
            ErrorBaseUrlWhitespace => ("Base URL must not contain spaces", "Base URL 不能包含空格"),
            ErrorBaseUrlInvalid => ("This Base URL cannot be used: ", "此 Base URL 无法使用："),
            ErrorModelMissing => (
                "Model is empty: enter the model name your endpoint serves (for example qwen-plus or llama3.2)",
                "模型为空：请输入服务提供的模型名称（例如 qwen-plus 或 llama3.2）",
            ),
            ErrorApiKeyWhitespace => (
                "API key contains spaces or line breaks; paste the key alone",
                "API 密钥包含空格或换行；请只粘贴密钥本身",
            ),
            ErrorApiKeyMissing => (
                "API key is empty: this provider needs one; paste the key from its console",
                "API 密钥为空：此服务商需要密钥；请从其控制台复制并粘贴",
            ),
            ErrorTemperatureNotNumber => (
                "Temperature must be a number from 0 to 2, or empty for the server's default",
                "温度必须是 0 到 2 之间的数字，或留空使用服务的默认值",
            ),
            ErrorTemperatureRange => (
                "Temperature must be from 0 to 2 (lower is more focused, higher more varied)",
                "温度必须在 0 到 2 之间（越低越稳定，越高越多样）",
            ),
            ErrorContextBudgetNotNumber => (
                "Page text budget must be a whole number of tokens, or 0 for automatic",
                "页面文本预算必须是整数（token），或填 0 表示自动",
            ),
            ErrorContextBudgetRange => (
                "Page text budget must be 0 (automatic) or from 1000 to 1000000 tokens",
                "页面文本预算必须为 0（自动）或 1000 到 1000000 之间",
            ),
            ErrorSystemPromptTooLong => (
                "Extra instructions are too long: keep them under 8000 characters",
                "附加指令过长：请控制在 8000 个字符以内",
            ),
            SetupTitle => ("Set up Pagewise", "设置 Pagewise"),
            SetupIntro => (
                "Pagewise needs a language model to answer. Use one running on this computer, or a cloud provider with an API key.",
                "Pagewise 需要一个语言模型来回答。可以使用本机运行的模型，或使用带 API 密钥的云服务。",
            ),
            SetupLocalHeading => ("On this computer", "本机模型"),
            SetupChecking => ("Looking for models on this computer…", "正在查找本机模型…"),
            SetupOllamaFound => ("Ollama is running on this computer.", "本机正在运行 Ollama。"),
            SetupOllamaMissing => (
                "Ollama was not found. Install it from ollama.com, run `ollama pull qwen2.5:3b`, then choose Check again.",
                "未找到 Ollama。请从 ollama.com 安装，运行 `ollama pull qwen2.5:3b`，然后点击“重新检查”。",
            ),
            SetupUseOllama => ("Use Ollama on this computer", "使用本机的 Ollama"),
            SetupLlamaCppFound => ("A llama.cpp server is running on port 8080.", "本机 8080 端口正在运行 llama.cpp 服务。"),
            SetupLlamaCppMissing => (
                "No llama.cpp server was found. Start one with `llama-server -hf ggml-org/Qwen2.5-3B-Instruct-GGUF --port 8080`, then choose Check again.",
                "未找到 llama.cpp 服务。请运行 `llama-server -hf ggml-org/Qwen2.5-3B-Instruct-GGUF --port 8080` 启动，然后点击“重新检查”。",
            ),
            SetupUseLlamaCpp => ("Use llama.cpp on this computer", "使用本机的 llama.cpp"),
            SetupLmStudioFound => ("LM Studio's server is running on this computer.", "本机正在运行 LM Studio 服务。"),
            SetupUseLmStudio => ("Use LM Studio on this computer", "使用本机的 LM Studio"),
            SetupCheckAgain => ("Check again", "重新检查"),
            SetupConnecting => ("Connecting…", "正在连接…"),
            SetupOllamaNoModels => (
                "Ollama has no models yet. Run `ollama pull qwen2.5:3b`, then try again.",
                "Ollama 还没有模型。请运行 `ollama pull qwen2.5:3b`，然后重试。",
            ),
            SetupServerNoModels => (
                "The server lists no models. Load a model in it, then try again.",
                "服务没有列出任何模型。请先在服务中加载模型，然后重试。",
            ),
            SetupPermissionRefused => (
                "Pagewise needs your permission to talk to this server. Try again and choose Allow when the browser asks.",
                "Pagewise 需要你的许可才能连接此服务。请重试，并在浏览器询问时选择“允许”。",
            ),
            SetupCloudHeading => ("Use a cloud provider", "使用云服务"),
            SetupCloudHint => (
                "Paste an API key from the provider's console. It stays on this device.",
                "粘贴服务商控制台中的 API 密钥。密钥只保存在本设备。",
            ),
            SetupCloudSave => ("Save", "保存"),
            SetupSaveAnyway => ("Save anyway", "仍然保存"),
            SetupFullSettings => ("More options", "更多选项"),
            ActionsSection => ("Your actions", "你的操作"),
            ActionsIntro => (
                "Your own prompts, offered in the right-click menu. Variables: {{selection}}, {{page}}, {{title}}, {{url}}, {{language}}.",
                "你自己的提示词，会出现在右键菜单中。可用变量：{{selection}}、{{page}}、{{title}}、{{url}}、{{language}}。",
            ),
            ActionsEmpty => (
                "No actions yet. Add one, or start from the suggested actions.",
                "还没有操作。可以新建一个，或从推荐操作开始。",
            ),
            ActionsAddSuggested => ("Add suggested actions", "添加推荐操作"),
            ActionsNothingToSuggest => ("The suggested actions are already in your list.", "推荐操作已全部在列表中。"),
            ActionsAdd => ("Add action", "新建操作"),
            ActionsExport => ("Export actions", "导出操作"),
            ActionsImport => ("Import actions", "导入操作"),
            ActionsImported => ("Actions imported: {n}", "已导入操作：{n} 个"),
            ActionsImportFailed => ("Not imported: ", "未导入："),
            ActionsSaved => ("Stored: the right-click menu now shows your actions.", "已保存：右键菜单已更新。"),
            ActionsDeleted => ("Deleted “{name}”", "已删除“{name}”"),
            ActionsListLabel => ("Your actions", "你的操作"),
            ActionEdit => ("Edit “{name}”", "编辑“{name}”"),
            ActionDelete => ("Delete “{name}”", "删除“{name}”"),
            ActionEditButton => ("Edit", "编辑"),
            ActionDeleteButton => ("Delete", "删除"),
            ActionEditorNew => ("New action", "新建操作"),
            ActionEditorEdit => ("Edit action", "编辑操作"),
            ActionName => ("Name", "名称"),
            ActionTemplate => ("Prompt template", "提示词模板"),
            ActionTemplateHint => (
                "{{selection}}: the selected text · {{page}}: the page's text · {{title}}, {{url}}: the page's title and address · {{language}}: the answer language.",
                "{{selection}}：选中的文字 · {{page}}：页面正文 · {{title}}、{{url}}：页面标题和地址 · {{language}}：回答语言。",
            ),
            ActionAppearsOn => ("Appears on", "出现在"),
            ActionContextSelection => ("Selected text", "选中的文字"),
            ActionContextPage => ("Page", "页面"),
            ActionContextLink => ("Link", "链接"),
            ActionContextImage => ("Image", "图片"),
            ActionModel => ("Model override (optional)", "指定模型（可选）"),
            ActionModelHint => (
                "Leave empty to use the model from the endpoint settings.",
                "留空则使用端点设置中的模型。",
            ),
            ActionPreview => ("Preview", "预览"),
            ActionPreviewHint => ("The prompt as filled with sample values:", "用示例内容填充后的提示词："),
            ActionSave => ("Save action", "保存操作"),
            ActionCancel => ("Cancel", "取消"),
            ErrorActionNameEmpty => ("The action needs a name", "请为操作命名"),
            ErrorActionNameTooLong => (
                "The name is too long: keep it under 60 characters",
                "名称过长：请控制在 60 个字符以内",
            ),
            ErrorActionTemplateEmpty => ("The action needs a prompt template", "请填写提示词模板"),
            ErrorActionTemplateTooLong => (
                "The prompt template is too long: keep it under 8000 characters",
                "提示词模板过长：请控制在 8000 个字符以内",
            ),
            ErrorActionNoContexts => (
                "Choose at least one place where the action appears",
                "请至少选择一个出现位置",
            ),
            ErrorActionModel => (
                "The model override must be a model name without spaces, or empty",
                "指定模型必须是不含空格的模型名称，或留空",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accessible_names_the_tests_rely_on_are_stable_in_english() {
        assert_eq!(SettingsText::BaseUrl.text(Locale::En), "Base URL");
        assert_eq!(SettingsText::Model.text(Locale::En), "Model");
        assert_eq!(SettingsText::ApiKey.text(Locale::En), "API key");
        assert_eq!(SettingsText::Save.text(Locale::En), "Save");
        assert_eq!(SettingsText::TestConnection.text(Locale::En), "Test connection");
        assert_eq!(SettingsText::LoadModels.text(Locale::En), "Load models");
    }

    #[test]
    fn english_errors_match_the_core_messages() {
        let errors = [
            SettingsError::BaseUrlScheme,
            SettingsError::BaseUrlWhitespace,
            SettingsError::ModelMissing,
            SettingsError::ApiKeyWhitespace,
            SettingsError::ApiKeyMissing,
            SettingsError::TemperatureNotNumber,
            SettingsError::TemperatureRange,
            SettingsError::ContextBudgetNotNumber,
            SettingsError::ContextBudgetRange,
            SettingsError::SystemPromptTooLong,
            SettingsError::BaseUrlInvalid(crate::provider::base_url::BaseUrlError::MissingHost),
        ];
        for error in errors {
            assert_eq!(SettingsText::error(&error, Locale::En), error.to_string());
            assert_ne!(SettingsText::error(&error, Locale::ZhCn), error.to_string());
        }
    }

    #[test]
    fn action_errors_are_translated_and_import_errors_keep_their_detail() {
        let error = CustomActionError::NoContexts;
        assert_eq!(
            SettingsText::action_error(&error, Locale::En),
            "Choose at least one place where the action appears"
        );
        assert_eq!(SettingsText::action_error(&error, Locale::ZhCn), "请至少选择一个出现位置");
        let error = CustomActionError::UnsupportedVersion(9);
        assert!(SettingsText::action_error(&error, Locale::ZhCn).starts_with("未导入："));
        assert!(SettingsText::action_error(&error, Locale::En).contains("version 9"));
        assert_eq!(SettingsText::ActionsSection.text(Locale::ZhCn), "你的操作");
        assert_eq!(SettingsText::ActionsImported.with(Locale::En, &[("{n}", "4")]), "Actions imported: 4");
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(SettingsText::ConnectedModels.with(Locale::En, &[("{n}", "3")]), "Connected: 3 models");
        assert_eq!(SettingsText::ConnectedModels.with(Locale::ZhCn, &[("{n}", "3")]), "已连接：3 个模型");
    }
}
