//! Interface strings in English and Simplified Chinese, and choosing between them.
//!
//! Every user-visible string is a [`UiText`] variant; [`UiText::text`] is an
//! exhaustive match, so adding a string without both translations does not
//! compile. The manifest's name and description live in `static/_locales`
//! because the browser reads them before any code runs.

use crate::settings::UiLanguage;

pub mod context_text;
pub mod settings_text;

/// A language the interface is translated into.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Locale {
    /// English.
    #[default]
    En,
    /// Simplified Chinese.
    ZhCn,
}

impl Locale {
    /// Picks the locale for a BCP 47 tag such as `zh-CN`, `zh-Hans` or `en-US`.
    ///
    /// Every Chinese tag maps to Simplified Chinese, since it is the only
    /// Chinese translation; anything else falls back to English.
    pub fn from_language_tag(tag: &str) -> Locale {
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("zh") {
            Locale::ZhCn
        } else {
            Locale::En
        }
    }

    /// Resolves the user's setting against the browser's language tag.
    pub fn resolve(setting: UiLanguage, browser_tag: &str) -> Locale {
        match setting {
            UiLanguage::Auto => Locale::from_language_tag(browser_tag),
            UiLanguage::En => Locale::En,
            UiLanguage::ZhCn => Locale::ZhCn,
        }
    }

    /// The value for the HTML `lang` attribute.
    pub fn html_lang(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::ZhCn => "zh-CN",
        }
    }
}

/// Every string the interface shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UiText {
    AppName,
    SummarizePage,
    Send,
    Message,
    MessagePlaceholder,
    Settings,
    NoPage,
    EmptyTranscriptTitle,
    EmptyTranscriptHint,
    NotConfigured,
    You,
    OptionsTitle,
    EndpointSection,
    BaseUrl,
    BaseUrlHint,
    Model,
    ApiKey,
    ApiKeyHint,
    Language,
    LanguageAuto,
    Save,
    Saved,
    Loading,
    MenuSummarizePage,
    MenuExplainSelection,
    MenuTranslateSelection,
    MenuSummarizeSelection,
    CustomActionGone,
    KeyboardShortcuts,
    ShortcutNotSet,
    ChangeShortcuts,
    MenuChatPage,
    MenuRewriteSelection,
    MenuAskSelection,
    MenuSummarizeLink,
    MenuDescribeImage,
    MenuToAnswerLanguage,
    MenuRewriteClearer,
    MenuRewriteShorter,
    MenuRewriteFormal,
    MenuRewriteGrammar,
    LinkNeedsAccess,
    ImageNeedsAccess,
    FetchFailed,
    NotVisionModel,
    Stop,
    NewChat,
    History,
    CloseHistory,
    SearchHistory,
    NoHistory,
    NoHistoryMatch,
    DeleteConversation,
    ExportMarkdown,
    ExportJson,
    KeyPoints,
    ExplainSimply,
    TranslatePage,
    AskSelection,
    NoSelection,
    Regenerate,
    Retry,
    Edit,
    SaveAndSend,
    Cancel,
    Copy,
    Copied,
    CopyCode,
    Reasoning,
    Stopped,
    Interrupted,
    Thinking,
    ContextLabel,
    NoContext,
    AddPage,
    Recapture,
    RemovePage,
    PageChanged,
    Reading,
    Words,
    SectionNotFound,
    PromptSent,
    HidePrompt,
    PromptSentNote,
    NeedsAccess,
    AllowSite,
    NeedsPageAccess,
    AllowWebPages,
    AccessDenied,
    BrowserPage,
    StorePage,
    PdfPage,
    LocalFilePage,
    CaptureFailed,
    EmptyPage,
    CloseSettings,
    MoreSettings,
    DraftSaveFailed,
    HistorySaveFailed,
    Delete,
    ProviderSaid,
}

impl UiText {
    /// The string in the given locale.
    pub fn text(self, locale: Locale) -> &'static str {
        let (en, zh) = self.pair();
        match locale {
            Locale::En => en,
            Locale::ZhCn => zh,
        }
    }

    fn pair(self) -> (&'static str, &'static str) {
        use UiText::*;
        match self {
            AppName => ("Pagewise", "Pagewise"),
            SummarizePage => ("Summarize page", "总结页面"),
            Send => ("Send", "发送"),
            Message => ("Message", "消息"),
            MessagePlaceholder => ("Ask about this page…", "就此页面提问…"),
            Settings => ("Settings", "设置"),
            NoPage => ("No page selected", "未选择页面"),
            EmptyTranscriptTitle => ("Ask about the page you are reading", "就正在阅读的页面提问"),
            EmptyTranscriptHint => (
                "Summarize it in one click, or type a question below. Enter sends, Shift+Enter adds a line.",
                "一键总结，或在下方输入问题。Enter 发送，Shift+Enter 换行。",
            ),
            NotConfigured => (
                "No model is set up yet. Open Settings and enter a Base URL and Model.",
                "尚未设置模型。请打开“设置”，填写 Base URL 和模型。",
            ),
            You => ("You", "你"),
            OptionsTitle => ("Pagewise settings", "Pagewise 设置"),
            EndpointSection => ("Model endpoint", "模型端点"),
            BaseUrl => ("Base URL", "Base URL"),
            BaseUrlHint => (
                "Any OpenAI-compatible server, for example http://127.0.0.1:11434/v1 for Ollama.",
                "任何兼容 OpenAI 的服务，例如 Ollama 的 http://127.0.0.1:11434/v1。",
            ),
            Model => ("Model", "模型"),
            ApiKey => ("API key", "API 密钥"),
            ApiKeyHint => (
                "Stored on this device only and sent only to the Base URL above.",
                "仅保存在本设备，且只发送到上面的 Base URL。",
            ),
            Language => ("Language", "语言"),
            LanguageAuto => ("Same as browser", "跟随浏览器"),
            Save => ("Save", "保存"),
            Saved => ("Saved", "已保存"),
            Loading => ("Loading…", "加载中…"),
            MenuSummarizePage => ("Summarize page", "总结页面"),
            MenuExplainSelection => ("Explain “%s”", "解释“%s”"),
            MenuTranslateSelection => ("Translate “%s”", "翻译“%s”"),
            MenuSummarizeSelection => ("Summarize “%s”", "总结“%s”"),
            CustomActionGone => ("This action no longer exists; it may have been deleted in settings.", "此操作已不存在，可能已在设置中删除。"),
            KeyboardShortcuts => ("Keyboard shortcuts", "键盘快捷键"),
            ShortcutNotSet => ("not set", "未设置"),
            ChangeShortcuts => ("Change shortcuts", "更改快捷键"),
            MenuChatPage => ("Chat about this page", "就此页面对话"),
            MenuRewriteSelection => ("Rewrite “%s”", "改写“%s”"),
            MenuAskSelection => ("Ask Pagewise about “%s”…", "向 Pagewise 询问“%s”…"),
            MenuSummarizeLink => ("Summarize linked page", "总结链接的页面"),
            MenuDescribeImage => ("Describe image", "描述图片"),
            MenuToAnswerLanguage => ("Into the answer language", "译为回答语言"),
            MenuRewriteClearer => ("Clearer", "更清晰"),
            MenuRewriteShorter => ("Shorter", "更简短"),
            MenuRewriteFormal => ("More formal", "更正式"),
            MenuRewriteGrammar => ("Fix grammar", "修正语法"),
            LinkNeedsAccess => ("To summarize the linked page, Pagewise needs permission to read", "要总结链接的页面，Pagewise 需要读取以下网站的权限："),
            ImageNeedsAccess => ("To describe the image, Pagewise needs permission to read", "要描述这张图片，Pagewise 需要读取以下网站的权限："),
            FetchFailed => ("Pagewise could not load", "Pagewise 无法加载"),
            NotVisionModel => ("This model may not read images. Choose a vision model in Settings (for example qwen-vl-plus, gpt-4o-mini, gemini-2.0-flash or llava).", "此模型可能无法读取图片。请在“设置”中选择视觉模型（例如 qwen-vl-plus、gpt-4o-mini、gemini-2.0-flash 或 llava）。"),
            Stop => ("Stop", "停止"),
            NewChat => ("New chat", "新对话"),
            History => ("History", "历史记录"),
            CloseHistory => ("Back to chat", "返回对话"),
            SearchHistory => ("Search conversations", "搜索对话"),
            NoHistory => ("No conversations yet.", "还没有对话。"),
            NoHistoryMatch => ("No conversation matches.", "没有匹配的对话。"),
            DeleteConversation => ("Delete", "删除"),
            ExportMarkdown => ("Export Markdown", "导出 Markdown"),
            ExportJson => ("Export JSON", "导出 JSON"),
            KeyPoints => ("Key points", "要点"),
            ExplainSimply => ("Explain simply", "通俗解释"),
            TranslatePage => ("Translate page", "翻译页面"),
            AskSelection => ("Ask about selection", "询问选中内容"),
            NoSelection => ("Select some text on the page first, then ask again.", "请先在页面上选中文字，再试一次。"),
            Regenerate => ("Regenerate", "重新生成"),
            Retry => ("Retry", "重试"),
            Edit => ("Edit", "编辑"),
            SaveAndSend => ("Save and send", "保存并发送"),
            Cancel => ("Cancel", "取消"),
            Copy => ("Copy", "复制"),
            Copied => ("Copied", "已复制"),
            CopyCode => ("Copy code", "复制代码"),
            Reasoning => ("Reasoning", "思考过程"),
            Stopped => ("Stopped — the answer above is partial.", "已停止，上面的回答不完整。"),
            Interrupted => ("Interrupted — the panel closed while this answer was arriving.", "已中断：回答生成时面板被关闭。"),
            Thinking => ("Thinking…", "思考中…"),
            ContextLabel => ("Page in context", "当前页面上下文"),
            NoContext => ("The page is not in context; answers will not use it.", "页面未加入上下文，回答不会参考它。"),
            AddPage => ("Use this page", "使用此页面"),
            Recapture => ("Re-read page", "重新读取页面"),
            RemovePage => ("Remove page from context", "从上下文移除页面"),
            PageChanged => ("The page changed since it was read.", "页面在读取后已改变。"),
            Reading => ("Reading the page…", "正在读取页面…"),
            Words => ("words", "词"),
            SectionNotFound => ("That section is no longer on the page.", "页面上已找不到该章节。"),
            PromptSent => ("Prompt sent", "已发送的提示词"),
            HidePrompt => ("Hide prompt", "隐藏提示词"),
            PromptSentNote => (
                "The last request exactly as sent (the API key is never shown):",
                "最近一次请求的原文（不含 API 密钥）：",
            ),
            NeedsAccess => ("Pagewise needs your permission to read this site.", "Pagewise 需要你的许可才能读取此网站。"),
            AllowSite => ("Allow access to this site", "允许访问此网站"),
            NeedsPageAccess => (
                "Pagewise cannot see this page yet. Click the Pagewise toolbar button while on it (access to this page only), or allow Pagewise to read the web pages you ask about.",
                "Pagewise 还看不到此页面。在此页面上点击工具栏中的 Pagewise 按钮（仅授权此页面），或允许 Pagewise 读取你询问的网页。",
            ),
            AllowWebPages => ("Allow reading web pages", "允许读取网页"),
            AccessDenied => ("Access was not granted, so the page stays out of context.", "未获得许可，页面未加入上下文。"),
            BrowserPage => ("Browsers do not let extensions read their own pages (settings, new tab, extensions).", "浏览器不允许扩展读取其内置页面（设置、新标签页、扩展程序）。"),
            StorePage => ("Browsers do not let extensions read extension store pages.", "浏览器不允许扩展读取扩展商店页面。"),
            PdfPage => ("Pagewise cannot read PDFs in the browser's built-in viewer yet.", "Pagewise 暂不能读取浏览器内置查看器中的 PDF。"),
            LocalFilePage => ("To read local files, turn on “Allow access to file URLs” for Pagewise in the browser's extension settings.", "要读取本地文件，请在浏览器的扩展设置中为 Pagewise 打开“允许访问文件网址”。"),
            CaptureFailed => ("The page could not be read", "无法读取页面"),
            EmptyPage => ("This page has no readable text.", "此页面没有可读取的文字。"),
            CloseSettings => ("Close settings", "关闭设置"),
            MoreSettings => ("All settings", "全部设置"),
            DraftSaveFailed => ("Your draft could not be saved", "草稿无法保存"),
            HistorySaveFailed => ("This conversation could not be saved to history", "此对话无法保存到历史记录"),
            Delete => ("Delete", "删除"),
            ProviderSaid => ("The server said:", "服务器返回："),
        }
    }
}

/// One line saying what went wrong and what to do, per kind of endpoint
/// failure, in the interface language. The endpoint doctor's full advice
/// (with hosts, ports, waits and the provider's own words) is English; in
/// the Chinese interface this line leads it.
pub fn error_summary(kind: crate::provider::diagnosis::ErrorKind, locale: Locale) -> &'static str {
    use crate::provider::diagnosis::ErrorKind::*;
    let (en, zh) = match kind {
        Auth => (
            "The API key is missing, wrong, or lacks access: check it in Settings.",
            "API 密钥缺失、错误或无权限：请在“设置”中检查。",
        ),
        AuthCors => (
            "The provider refused a request from the browser: check the provider setting.",
            "服务商拒绝了来自浏览器的请求：请检查服务商设置。",
        ),
        Billing => (
            "The account is out of credit or quota: top it up with the provider.",
            "账户余额或额度不足：请到服务商处充值。",
        ),
        RateLimit => ("Too many requests for now: wait a moment, then retry.", "请求过于频繁：请稍候再重试。"),
        ContextOverflow => (
            "The prompt is too long for this model: remove the page or lower the page budget.",
            "提示词超出模型上下文：请移除页面或调低页面预算。",
        ),
        Unavailable => ("The server is not ready yet: wait a moment, then retry.", "服务暂不可用：请稍候再重试。"),
        Overloaded => ("The provider is overloaded: retry in a moment.", "服务商负载过高：请稍后重试。"),
        CorsOriginRejected => (
            "The local server refuses browser extensions: allow them in its settings.",
            "本地服务拒绝浏览器扩展：请在其设置中允许。",
        ),
        ModelNotFound => (
            "The server does not know this model: choose another in Settings.",
            "服务器没有这个模型：请在“设置”中另选模型。",
        ),
        WrongPath => ("Nothing answers at this address: check the Base URL.", "该地址没有响应：请检查 Base URL。"),
        ServerError => ("The server failed: retry, or check its status.", "服务器出错：请重试或查看其状态。"),
        BadRequest => {
            ("The server refused the request: check the model and settings.", "服务器拒绝了请求：请检查模型和设置。")
        }
        Unreachable => (
            "The server cannot be reached: check that it runs and the Base URL.",
            "无法连接服务器：请确认它已运行并检查 Base URL。",
        ),
        Timeout => ("The server took too long: retry.", "服务器响应超时：请重试。"),
        Tls => (
            "The secure connection failed: check the Base URL's http/https.",
            "安全连接失败：请检查 Base URL 的 http/https。",
        ),
        BlockedByBrowser => (
            "The browser blocked the request: allow access, or enable CORS on the server.",
            "浏览器拦截了请求：请允许访问，或在服务器上开启 CORS。",
        ),
    };
    match locale {
        Locale::En => en,
        Locale::ZhCn => zh,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_tags_pick_simplified_chinese() {
        for tag in ["zh", "zh-CN", "zh_CN", "zh-Hans", "ZH-tw"] {
            assert_eq!(Locale::from_language_tag(tag), Locale::ZhCn, "{tag}");
        }
        for tag in ["en", "en-US", "fr", "", "zz-zh"] {
            assert_eq!(Locale::from_language_tag(tag), Locale::En, "{tag}");
        }
    }

    #[test]
    fn explicit_setting_beats_browser_language() {
        assert_eq!(Locale::resolve(UiLanguage::En, "zh-CN"), Locale::En);
        assert_eq!(Locale::resolve(UiLanguage::ZhCn, "en-US"), Locale::ZhCn);
        assert_eq!(Locale::resolve(UiLanguage::Auto, "zh-CN"), Locale::ZhCn);
    }

    #[test]
    fn accessible_names_the_tests_rely_on_are_stable_in_english() {
        assert_eq!(UiText::Message.text(Locale::En), "Message");
        assert_eq!(UiText::Send.text(Locale::En), "Send");
        assert_eq!(UiText::SummarizePage.text(Locale::En), "Summarize page");
        assert_eq!(UiText::Settings.text(Locale::En), "Settings");
        assert_eq!(UiText::Stop.text(Locale::En), "Stop");
        assert_eq!(UiText::BaseUrl.text(Locale::En), "Base URL");
        assert_eq!(UiText::Model.text(Locale::En), "Model");
        assert_eq!(UiText::ApiKey.text(Locale::En), "API key");
        assert_eq!(UiText::Save.text(Locale::En), "Save");
    }
}
