//! The user's own actions (custom prompts): the record, template filling, defaults, validation, ids and JSON export.
//!
//! A [`CustomAction`] is a named prompt template with `{{selection}}`,
//! `{{page}}`, `{{title}}`, `{{url}}` and `{{language}}` variables, the menu
//! contexts it appears in and an optional model override. The actions live
//! in `Settings::custom_actions`; a fresh install stores none, and the
//! editor offers [`default_actions`] for the interface language. They are
//! exported and imported as `{"format":"pagewise-actions","version":1}`.

use crate::i18n::Locale;
use crate::menu::MenuContext;
use serde::{Deserialize, Serialize};

/// The longest action name, in characters.
pub const MAX_NAME_CHARS: usize = 60;

/// The longest action id, in bytes (ids are ASCII).
pub const MAX_ID_CHARS: usize = 40;

/// The longest prompt template, in characters.
pub const MAX_TEMPLATE_CHARS: usize = 8_000;

/// The prefix of a custom action's context-menu item id; see [`menu_id`].
pub const MENU_ID_PREFIX: &str = "custom-action:";

/// The `format` of an actions export.
pub const EXPORT_FORMAT: &str = "pagewise-actions";

/// The export version this build writes and the newest it reads.
pub const EXPORT_VERSION: u64 = 1;

/// One of the user's own actions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomAction {
    /// Stable id: `[a-z0-9-]`, at most [`MAX_ID_CHARS`]; see [`new_id`].
    pub id: String,
    /// The name shown in the menu and the editor.
    pub name: String,
    /// The prompt, with `{{variable}}` placeholders; see [`fill`].
    pub template: String,
    /// Where the action appears in the context menu.
    pub contexts: Vec<MenuContext>,
    /// A model to use instead of the endpoint's; `None` keeps the endpoint's.
    #[serde(default)]
    pub model: Option<String>,
}

/// The values a template's variables are filled with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TemplateValues<'a> {
    /// `{{selection}}`: the selected text (or the link or image address).
    pub selection: &'a str,
    /// `{{page}}`: the page's text.
    pub page: &'a str,
    /// `{{title}}`: the page's title.
    pub title: &'a str,
    /// `{{url}}`: the page's address.
    pub url: &'a str,
    /// `{{language}}`: the language to answer in, by name.
    pub language: &'a str,
}

impl<'a> TemplateValues<'a> {
    /// The value of variable `name`, if it is one.
    fn get(&self, name: &str) -> Option<&'a str> {
        Some(match name {
            "selection" => self.selection,
            "page" => self.page,
            "title" => self.title,
            "url" => self.url,
            "language" => self.language,
            _ => return None,
        })
    }
}

/// The variables a template may use, in the order the editor lists them.
pub const VARIABLES: &[&str] = &["selection", "page", "title", "url", "language"];

/// Fills `template`'s `{{variable}}` placeholders (spaces inside the braces
/// are allowed) in one pass: a value containing `{{page}}` stays as it is,
/// and an unknown `{{x}}` is left in the text.
pub fn fill(template: &str, values: &TemplateValues) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("}}").and_then(|end| values.get(after[..end].trim()).map(|value| (end, value))) {
            Some((end, value)) => {
                out.push_str(value);
                rest = &after[end + 2..];
            }
            None => {
                // Not a variable: keep the first brace and look again from the next one.
                out.push('{');
                rest = &rest[start + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Sample values for the editor's live preview, in the interface language.
pub fn preview_values(locale: Locale) -> TemplateValues<'static> {
    match locale {
        Locale::En => TemplateValues {
            selection: "Tide pools hold anemones.",
            page:
                "Tide pools are rocky hollows that the sea fills at high tide. Anemones, crabs and snails live in them…",
            title: "Tide pools — a field guide",
            url: "https://example.org/tide-pools",
            language: "English",
        },
        Locale::ZhCn => TemplateValues {
            selection: "潮池里生活着海葵。",
            page: "潮池是涨潮时被海水灌满的岩石洼地，海葵、螃蟹和螺生活在其中……",
            title: "潮池观察指南",
            url: "https://example.org/tide-pools",
            language: "Simplified Chinese (简体中文)",
        },
    }
}

/// The suggested actions for a language, with stable `default-…` ids.
pub fn default_actions(locale: Locale) -> Vec<CustomAction> {
    let action = |id: &str, name: &str, template: &str, contexts: &[MenuContext]| CustomAction {
        id: id.to_string(),
        name: name.to_string(),
        template: template.to_string(),
        contexts: contexts.to_vec(),
        model: None,
    };
    let selection = [MenuContext::Selection];
    let page_or_selection = [MenuContext::Page, MenuContext::Selection];
    match locale {
        Locale::En => vec![
            action(
                "default-reply",
                "Reply to this",
                "Draft a short, polite reply to the following message. Keep its tone and answer every question it asks. Write the reply in {{language}}.\n\n{{selection}}",
                &selection,
            ),
            action(
                "default-action-items",
                "Extract action items",
                "List the action items in “{{title}}” ({{url}}) as a checklist: who does what, and by when if the text says so. Write in {{language}}.\n\n{{page}}",
                &page_or_selection,
            ),
            action(
                "default-explain-beginner",
                "Explain like I'm a beginner",
                "Explain the following to someone new to the subject, in plain words and with one everyday example. Write in {{language}}.\n\n{{selection}}",
                &selection,
            ),
            action(
                "default-fact-check",
                "Fact-check the claims",
                "List the factual claims in the following text. For each, say whether it is well established, disputed or doubtful, and what a reader could check. Write in {{language}}.\n\n{{selection}}",
                &selection,
            ),
        ],
        Locale::ZhCn => vec![
            action(
                "default-reply",
                "起草回复",
                "请为下面的消息起草一封简短、礼貌的回复，保持原有语气，并回答其中的每个问题。用{{language}}撰写。\n\n{{selection}}",
                &selection,
            ),
            action(
                "default-action-items",
                "提取待办事项",
                "请以清单形式列出《{{title}}》（{{url}}）中的待办事项：谁做什么；如文中提到期限，也请写明。用{{language}}撰写。\n\n{{page}}",
                &page_or_selection,
            ),
            action(
                "default-explain-beginner",
                "像给初学者一样解释",
                "请用通俗的语言向初学者解释下面的内容，并举一个日常生活中的例子。用{{language}}撰写。\n\n{{selection}}",
                &selection,
            ),
            action(
                "default-fact-check",
                "核查事实",
                "请列出下面文字中的事实性说法，逐条说明它是公认的、有争议的还是可疑的，以及读者可以如何核实。用{{language}}撰写。\n\n{{selection}}",
                &selection,
            ),
        ],
    }
}

/// Why an action, or a file of actions, was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CustomActionError {
    /// The name is empty.
    #[error("the action needs a name")]
    NameEmpty,
    /// The name is longer than [`MAX_NAME_CHARS`].
    #[error("the action's name is too long: keep it under 60 characters")]
    NameTooLong,
    /// The template is empty.
    #[error("the action needs a prompt template")]
    TemplateEmpty,
    /// The template is longer than [`MAX_TEMPLATE_CHARS`].
    #[error("the prompt template is too long: keep it under 8000 characters")]
    TemplateTooLong,
    /// The action appears nowhere.
    #[error("choose at least one place where the action appears")]
    NoContexts,
    /// The id is empty, too long or has characters other than `a-z`, `0-9` and `-`.
    #[error("the action id {0:?} is invalid: use up to 40 of a-z, 0-9 and -")]
    BadId(String),
    /// The model override is set but blank or has spaces.
    #[error("the model override must be a model name without spaces, or empty")]
    BadModel,
    /// The text is not JSON at all.
    #[error("the file is not valid JSON (line {line}, column {column}): {message}")]
    NotJson {
        /// Line of the first error, from 1.
        line: usize,
        /// Column of the first error, from 1.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// JSON, but not a Pagewise actions export.
    #[error("the file is not a Pagewise actions export (it needs \"format\": \"{EXPORT_FORMAT}\")")]
    NotActions,
    /// An export from a newer Pagewise.
    #[error("the file is actions version {0}, newer than this Pagewise reads ({EXPORT_VERSION}); update Pagewise")]
    UnsupportedVersion(u64),
    /// The `version` is missing or not a whole number.
    #[error("the export's \"version\" must be a whole number")]
    BadVersion,
    /// The `actions` list is missing or not a list.
    #[error("the export has no \"actions\" list")]
    NoActions,
    /// One action is malformed or invalid; nothing is imported.
    #[error("action {index} of the export (from 0) is invalid: {message}")]
    BadAction {
        /// Its position in the list, from 0.
        index: usize,
        /// What is wrong with it.
        message: String,
    },
    /// Two actions of the file share an id; nothing is imported.
    #[error("the export has two actions with the id {0:?}")]
    DuplicateId(String),
}

/// Whether `id` is a valid action id.
fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_CHARS
        && id.bytes().all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-')
}

/// Checks an action before it is saved or imported.
pub fn validate(action: &CustomAction) -> Result<(), CustomActionError> {
    if !valid_id(&action.id) {
        return Err(CustomActionError::BadId(action.id.clone()));
    }
    let name = action.name.trim();
    if name.is_empty() {
        return Err(CustomActionError::NameEmpty);
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(CustomActionError::NameTooLong);
    }
    if action.template.trim().is_empty() {
        return Err(CustomActionError::TemplateEmpty);
    }
    if action.template.chars().count() > MAX_TEMPLATE_CHARS {
        return Err(CustomActionError::TemplateTooLong);
    }
    if action.contexts.is_empty() {
        return Err(CustomActionError::NoContexts);
    }
    if let Some(model) = &action.model {
        if model.is_empty() || model.chars().any(char::is_whitespace) {
            return Err(CustomActionError::BadModel);
        }
    }
    Ok(())
}

/// A new unique id for an action named `name`: an ASCII slug of the name
/// (`Reply to this` → `reply-to-this`), `-2`, `-3`… when taken, and
/// `action-1`, `action-2`… for a name with no ASCII letters or digits (CJK).
pub fn new_id(name: &str, existing: &[CustomAction]) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    // Leave room for a `-NNNNNNN` suffix within the id limit.
    slug.truncate(MAX_ID_CHARS - 8);
    let slug = slug.trim_end_matches('-').to_string();
    let taken = |id: &str| existing.iter().any(|action| action.id == id);
    if !slug.is_empty() && !taken(&slug) {
        return slug;
    }
    let (base, first) = if slug.is_empty() { ("action".to_string(), 1) } else { (slug, 2) };
    (first..).map(|n| format!("{base}-{n}")).find(|id| !taken(id)).unwrap_or(base)
}

/// The context-menu item id of an action: [`MENU_ID_PREFIX`] and its id.
pub fn menu_id(action: &CustomAction) -> String {
    format!("{MENU_ID_PREFIX}{}", action.id)
}

#[derive(Serialize)]
struct ExportRef<'a> {
    format: &'static str,
    version: u64,
    actions: &'a [CustomAction],
}

/// Actions as a pretty-printed JSON export:
/// `{"format": "pagewise-actions", "version": 1, "actions": [...]}`.
pub fn export_json(actions: &[CustomAction]) -> String {
    let export = ExportRef { format: EXPORT_FORMAT, version: EXPORT_VERSION, actions };
    // Plain strings and enums always serialize.
    serde_json::to_string_pretty(&export).unwrap_or_default()
}

/// Reads an export back, all or nothing: a file that is not JSON, not an
/// actions export, from a newer version, with any invalid action or with a
/// repeated id is refused with an error saying which and where.
pub fn import_json(text: &str) -> Result<Vec<CustomAction>, CustomActionError> {
    let value: serde_json::Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|error| {
        CustomActionError::NotJson { line: error.line(), column: error.column(), message: error.to_string() }
    })?;
    let object = value.as_object().ok_or(CustomActionError::NotActions)?;
    if object.get("format").and_then(|format| format.as_str()) != Some(EXPORT_FORMAT) {
        return Err(CustomActionError::NotActions);
    }
    let version = object.get("version").and_then(|version| version.as_u64()).ok_or(CustomActionError::BadVersion)?;
    if version > EXPORT_VERSION {
        return Err(CustomActionError::UnsupportedVersion(version));
    }
    let list = object.get("actions").and_then(|list| list.as_array()).ok_or(CustomActionError::NoActions)?;
    let mut actions: Vec<CustomAction> = Vec::with_capacity(list.len());
    for (index, value) in list.iter().enumerate() {
        let action = CustomAction::deserialize(value)
            .map_err(|error| CustomActionError::BadAction { index, message: error.to_string() })?;
        validate(&action).map_err(|error| CustomActionError::BadAction { index, message: error.to_string() })?;
        if actions.iter().any(|seen| seen.id == action.id) {
            return Err(CustomActionError::DuplicateId(action.id));
        }
        actions.push(action);
    }
    Ok(actions)
}

/// `existing` with `imported` merged in: an imported action replaces the
/// one with its id in place; new ones are appended in file order.
pub fn merge_imported(existing: &[CustomAction], imported: &[CustomAction]) -> Vec<CustomAction> {
    let mut merged = existing.to_vec();
    for action in imported {
        match merged.iter_mut().find(|kept| kept.id == action.id) {
            Some(kept) => *kept = action.clone(),
            None => merged.push(action.clone()),
        }
    }
    merged
}

/// The stored actions from a settings value, keeping each valid one: an
/// odd entry is dropped alone, and a value that is not a list gives none.
pub fn from_stored(value: &serde_json::Value) -> Vec<CustomAction> {
    let Some(list) = value.as_array() else {
        return Vec::new();
    };
    let mut actions: Vec<CustomAction> = Vec::new();
    for value in list {
        if let Ok(action) = CustomAction::deserialize(value) {
            if validate(&action).is_ok() && !actions.iter().any(|seen| seen.id == action.id) {
                actions.push(action);
            }
        }
    }
    actions
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> TemplateValues<'static> {
        TemplateValues { selection: "SEL", page: "PAGE", title: "TITLE", url: "https://e.org/", language: "English" }
    }

    fn action(id: &str, name: &str) -> CustomAction {
        CustomAction {
            id: id.into(),
            name: name.into(),
            template: "Reply politely to: {{selection}}".into(),
            contexts: vec![MenuContext::Selection],
            model: None,
        }
    }

    #[test]
    fn fill_replaces_every_variable_and_tolerates_spaces() {
        let filled = fill("{{selection}}|{{ page }}|{{title  }}|{{ url}}|{{language}}", &values());
        assert_eq!(filled, "SEL|PAGE|TITLE|https://e.org/|English");
        assert_eq!(fill("{{selection}} and {{selection}}", &values()), "SEL and SEL");
        assert_eq!(fill("", &values()), "");
        assert_eq!(fill("no variables", &values()), "no variables");
    }

    #[test]
    fn fill_leaves_unknown_and_broken_placeholders_alone() {
        assert_eq!(fill("{{x}} {{ Selection }} {{selection", &values()), "{{x}} {{ Selection }} {{selection");
        assert_eq!(fill("{{{selection}}}", &values()), "{SEL}");
        assert_eq!(fill("{{}} {{", &values()), "{{}} {{");
        assert_eq!(fill("}} {{title}}", &values()), "}} TITLE");
    }

    #[test]
    fn fill_is_a_single_pass() {
        let values = TemplateValues { selection: "{{page}} {{ url }}", ..values() };
        assert_eq!(fill("Q: {{selection}} / {{page}}", &values), "Q: {{page}} {{ url }} / PAGE");
    }

    #[test]
    fn fill_keeps_chinese_text() {
        let values = TemplateValues { selection: "潮池里生活着海葵。", language: "简体中文", ..values() };
        assert_eq!(
            fill("用{{language}}解释：{{ selection }}「完」", &values),
            "用简体中文解释：潮池里生活着海葵。「完」"
        );
    }

    #[test]
    fn defaults_are_valid_and_match_across_languages() {
        for locale in [Locale::En, Locale::ZhCn] {
            let defaults = default_actions(locale);
            assert!((3..=4).contains(&defaults.len()));
            for action in &defaults {
                assert_eq!(validate(action), Ok(()), "{action:?}");
                assert!(action.id.starts_with("default-"));
                assert!(action.template.contains("{{"));
                assert!(!fill(&action.template, &preview_values(locale)).contains("{{"), "{}", action.id);
            }
        }
        let ids = |locale| default_actions(locale).into_iter().map(|action| action.id).collect::<Vec<_>>();
        assert_eq!(ids(Locale::En), ids(Locale::ZhCn));
        assert_eq!(default_actions(Locale::En)[0].name, "Reply to this");
        assert_eq!(default_actions(Locale::ZhCn)[0].name, "起草回复");
        assert_eq!(default_actions(Locale::ZhCn)[1].name, "提取待办事项");
    }

    #[test]
    fn validation_explains_what_is_wrong() {
        assert_eq!(validate(&action("reply", "Reply")), Ok(()));
        assert_eq!(validate(&action("reply", "回复")), Ok(()));
        assert_eq!(validate(&action("reply", "  ")), Err(CustomActionError::NameEmpty));
        assert_eq!(validate(&action("reply", &"长".repeat(60))), Ok(()));
        assert_eq!(validate(&action("reply", &"长".repeat(61))), Err(CustomActionError::NameTooLong));
        for bad in ["", "Reply", "a b", "回复", "a_b", &"a".repeat(41)] {
            assert_eq!(validate(&action(bad, "x")), Err(CustomActionError::BadId(bad.to_string())));
        }
        assert_eq!(validate(&action(&"a".repeat(40), "x")), Ok(()));
        let blank = CustomAction { template: " \n".into(), ..action("a", "x") };
        assert_eq!(validate(&blank), Err(CustomActionError::TemplateEmpty));
        let long = CustomAction { template: "x".repeat(8001), ..action("a", "x") };
        assert_eq!(validate(&long), Err(CustomActionError::TemplateTooLong));
        let nowhere = CustomAction { contexts: vec![], ..action("a", "x") };
        assert_eq!(validate(&nowhere), Err(CustomActionError::NoContexts));
        let model = CustomAction { model: Some("qwen2.5:3b".into()), ..action("a", "x") };
        assert_eq!(validate(&model), Ok(()));
        let model = CustomAction { model: Some("two words".into()), ..action("a", "x") };
        assert_eq!(validate(&model), Err(CustomActionError::BadModel));
        assert!(CustomActionError::NoContexts.to_string().contains("at least one"));
    }

    #[test]
    fn new_ids_are_slugs_unique_and_valid() {
        assert_eq!(new_id("Reply to this", &[]), "reply-to-this");
        assert_eq!(new_id("  Explain like I'm 5!  ", &[]), "explain-like-i-m-5");
        let existing = [action("reply-to-this", "x"), action("reply-to-this-2", "x")];
        assert_eq!(new_id("Reply to this", &existing), "reply-to-this-3");
        assert_eq!(new_id("起草回复", &[]), "action-1");
        assert_eq!(new_id("起草回复", &[action("action-1", "x")]), "action-2");
        assert_eq!(new_id("GPT 总结", &[]), "gpt");
        assert_eq!(new_id("", &[]), "action-1");
        let long = new_id(&"Summarize ".repeat(20), &[]);
        assert!(long.len() <= MAX_ID_CHARS && !long.ends_with('-'), "{long}");
        let taken = [action(&long, "x")];
        let next = new_id(&"Summarize ".repeat(20), &taken);
        assert_ne!(next, long);
        for id in [long, next] {
            assert_eq!(validate(&action(&id, "x")), Ok(()));
        }
    }

    #[test]
    fn menu_ids_carry_the_prefix() {
        assert_eq!(menu_id(&action("default-reply", "x")), "custom-action:default-reply");
    }

    #[test]
    fn export_and_import_round_trip() {
        let mut actions = default_actions(Locale::ZhCn);
        actions.push(CustomAction {
            model: Some("qwen-plus".into()),
            contexts: vec![MenuContext::Link, MenuContext::Image],
            ..action("mine", "我的操作")
        });
        let text = export_json(&actions);
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["format"], "pagewise-actions");
        assert_eq!(value["version"], 1);
        assert_eq!(value["actions"][0]["contexts"], serde_json::json!(["selection"]));
        assert!(text.contains("起草回复"), "Chinese stays readable");
        assert_eq!(value["actions"][4]["contexts"], serde_json::json!(["link", "image"]));
        assert!(text.contains('\n'), "pretty-printed");
        assert_eq!(import_json(&text), Ok(actions));
        assert_eq!(import_json(&format!("\u{feff}{}", export_json(&[]))), Ok(vec![]));
        // The model may be left out.
        let minimal = r#"{"format":"pagewise-actions","version":1,"actions":[
            {"id":"a","name":"A","template":"{{page}}","contexts":["page"]}]}"#;
        assert_eq!(import_json(minimal).unwrap()[0].model, None);
    }

    #[test]
    fn import_is_all_or_nothing_with_clear_errors() {
        assert!(matches!(import_json("{\n  \"format\": "), Err(CustomActionError::NotJson { line: 2, .. })));
        assert_eq!(import_json("[]"), Err(CustomActionError::NotActions));
        let history = r#"{"format":"pagewise-history","version":1,"conversations":[]}"#;
        assert_eq!(import_json(history), Err(CustomActionError::NotActions));
        let newer = r#"{"format":"pagewise-actions","version":2,"actions":[]}"#;
        assert_eq!(import_json(newer), Err(CustomActionError::UnsupportedVersion(2)));
        let no_version = r#"{"format":"pagewise-actions","actions":[]}"#;
        assert_eq!(import_json(no_version), Err(CustomActionError::BadVersion));
        assert_eq!(import_json(r#"{"format":"pagewise-actions","version":1}"#), Err(CustomActionError::NoActions));
        let good = serde_json::to_value(action("a", "A")).unwrap();
        let wrap = |actions: serde_json::Value| {
            serde_json::json!({"format": "pagewise-actions", "version": 1, "actions": actions}).to_string()
        };
        let unknown_context = wrap(serde_json::json!([good, {"id":"b","name":"B","template":"t","contexts":["tab"]}]));
        assert!(matches!(import_json(&unknown_context), Err(CustomActionError::BadAction { index: 1, .. })));
        let invalid = wrap(serde_json::json!([good, {"id":"b","name":"","template":"t","contexts":["page"]}]));
        let error = import_json(&invalid).unwrap_err();
        assert_eq!(error, CustomActionError::BadAction { index: 1, message: "the action needs a name".into() });
        assert!(error.to_string().contains("action 1"));
        let twice = wrap(serde_json::json!([good, good]));
        assert_eq!(import_json(&twice), Err(CustomActionError::DuplicateId("a".into())));
    }

    #[test]
    fn merging_replaces_by_id_and_appends_new_ones() {
        let existing = vec![action("a", "A"), action("b", "B")];
        let imported = vec![action("c", "C"), action("a", "A2")];
        let merged = merge_imported(&existing, &imported);
        let names: Vec<_> = merged.iter().map(|action| action.name.as_str()).collect();
        assert_eq!(names, ["A2", "B", "C"]);
        assert_eq!(merge_imported(&existing, &[]), existing);
    }

    #[test]
    fn stored_actions_drop_bad_entries_alone() {
        let stored = serde_json::json!([
            serde_json::to_value(action("a", "A")).unwrap(),
            {"id": "b", "name": "B"},
            {"id": "Bad Id", "name": "C", "template": "t", "contexts": ["page"]},
            serde_json::to_value(action("a", "again")).unwrap(),
            serde_json::to_value(action("d", "D")).unwrap(),
        ]);
        let ids: Vec<_> = from_stored(&stored).into_iter().map(|action| action.id).collect();
        assert_eq!(ids, ["a", "d"]);
        assert_eq!(from_stored(&serde_json::json!("nope")), vec![]);
    }
}
