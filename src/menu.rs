//! The context-menu contract: which items exist, where they appear, and what a click asks for.
//!
//! Item ids are part of the tested contract with the extension shell and the
//! end-to-end tests. A click is turned into a [`PendingAction`], which the
//! worker queues for the panel of that tab; see [`PendingQueue`].

use crate::i18n::UiText;
use serde::{Deserialize, Serialize};

/// Where in a page a menu item is offered; the names match `contextMenus.ContextType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MenuContext {
    /// Anywhere on the page.
    Page,
    /// On selected text.
    Selection,
    /// On a link.
    Link,
    /// On an image.
    Image,
}

/// One context-menu item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MenuItem {
    /// Stable id, part of the extension's tested contract.
    pub id: &'static str,
    /// Title; `%s` is replaced by the browser with the selected text.
    pub title: UiText,
    /// Where the item appears.
    pub contexts: &'static [MenuContext],
    /// What a click on it asks for.
    pub action: ActionKind,
    /// The submenu under it; a click on a child arrives as `id:suffix`.
    pub children: &'static [MenuChild],
}

/// One entry of a submenu: its id suffix and its title.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MenuChild {
    /// Appended to the parent's id after a colon (`translate-selection:fr`).
    pub suffix: &'static str,
    /// Its title.
    pub title: ChildTitle,
}

/// A submenu title: translated, or a language's own name (the same in every interface).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChildTitle {
    /// An interface string.
    Text(UiText),
    /// A fixed name, such as "Français".
    Native(&'static str),
}

/// What the user asked Pagewise to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// Summarize the whole page.
    SummarizePage,
    /// Open the chat with the page in context.
    ChatPage,
    /// Explain the selected text.
    ExplainSelection,
    /// Translate the selected text (the suffix names the target language).
    TranslateSelection,
    /// Summarize the selected text.
    SummarizeSelection,
    /// Rewrite the selected text (the suffix names the style).
    RewriteSelection,
    /// Ask a question about the selected text: the panel quotes it and waits for the question.
    AskSelection,
    /// Summarize the page a link points to.
    SummarizeLink,
    /// Describe an image (vision models).
    DescribeImage,
    /// One of the user's own actions (the id follows `custom-action:`).
    Custom,
}

/// The translation targets offered under "Translate": the answer language first.
pub const TRANSLATE_TARGETS: &[MenuChild] = &[
    MenuChild { suffix: "answer", title: ChildTitle::Text(UiText::MenuToAnswerLanguage) },
    MenuChild { suffix: "en", title: ChildTitle::Native("English") },
    MenuChild { suffix: "zh-CN", title: ChildTitle::Native("简体中文") },
    MenuChild { suffix: "zh-TW", title: ChildTitle::Native("繁體中文") },
    MenuChild { suffix: "ja", title: ChildTitle::Native("日本語") },
    MenuChild { suffix: "ko", title: ChildTitle::Native("한국어") },
    MenuChild { suffix: "fr", title: ChildTitle::Native("Français") },
    MenuChild { suffix: "de", title: ChildTitle::Native("Deutsch") },
    MenuChild { suffix: "es", title: ChildTitle::Native("Español") },
];

/// The rewriting styles offered under "Rewrite".
pub const REWRITE_STYLES: &[MenuChild] = &[
    MenuChild { suffix: "clearer", title: ChildTitle::Text(UiText::MenuRewriteClearer) },
    MenuChild { suffix: "shorter", title: ChildTitle::Text(UiText::MenuRewriteShorter) },
    MenuChild { suffix: "formal", title: ChildTitle::Text(UiText::MenuRewriteFormal) },
    MenuChild { suffix: "grammar", title: ChildTitle::Text(UiText::MenuRewriteGrammar) },
];

/// Every built-in context-menu item, in menu order.
pub const MENU_ITEMS: &[MenuItem] = &[
    MenuItem {
        id: "summarize-page",
        title: UiText::MenuSummarizePage,
        contexts: &[MenuContext::Page],
        action: ActionKind::SummarizePage,
        children: &[],
    },
    MenuItem {
        id: "chat-page",
        title: UiText::MenuChatPage,
        contexts: &[MenuContext::Page],
        action: ActionKind::ChatPage,
        children: &[],
    },
    MenuItem {
        id: "explain-selection",
        title: UiText::MenuExplainSelection,
        contexts: &[MenuContext::Selection],
        action: ActionKind::ExplainSelection,
        children: &[],
    },
    MenuItem {
        id: "translate-selection",
        title: UiText::MenuTranslateSelection,
        contexts: &[MenuContext::Selection],
        action: ActionKind::TranslateSelection,
        children: TRANSLATE_TARGETS,
    },
    MenuItem {
        id: "summarize-selection",
        title: UiText::MenuSummarizeSelection,
        contexts: &[MenuContext::Selection],
        action: ActionKind::SummarizeSelection,
        children: &[],
    },
    MenuItem {
        id: "rewrite-selection",
        title: UiText::MenuRewriteSelection,
        contexts: &[MenuContext::Selection],
        action: ActionKind::RewriteSelection,
        children: REWRITE_STYLES,
    },
    MenuItem {
        id: "ask-selection",
        title: UiText::MenuAskSelection,
        contexts: &[MenuContext::Selection],
        action: ActionKind::AskSelection,
        children: &[],
    },
    MenuItem {
        id: "summarize-link",
        title: UiText::MenuSummarizeLink,
        contexts: &[MenuContext::Link],
        action: ActionKind::SummarizeLink,
        children: &[],
    },
    MenuItem {
        id: "describe-image",
        title: UiText::MenuDescribeImage,
        contexts: &[MenuContext::Image],
        action: ActionKind::DescribeImage,
        children: &[],
    },
];

/// The fields of `contextMenus.OnClickData` and `tabs.Tab` that a click needs.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MenuClick {
    /// The clicked item's id; a submenu child may append `:suffix`.
    pub menu_item_id: String,
    /// The selected text, when the click was on a selection.
    pub selection_text: Option<String>,
    /// The page the click happened on.
    pub page_url: Option<String>,
    /// The link's target, when the click was on a link.
    #[serde(default)]
    pub link_url: Option<String>,
    /// The image's source, when the click was on an image.
    #[serde(default)]
    pub src_url: Option<String>,
    /// A keyboard command, not a click: a selection action then reads the
    /// selection from the page itself.
    #[serde(default)]
    pub from_command: bool,
}

/// Why a click could not be turned into an action.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MenuError {
    /// The id matches no item this build created.
    #[error("unknown menu item {0:?}")]
    UnknownItem(String),
    /// A selection action arrived without selected text.
    #[error("menu item {0:?} needs selected text, but none came with the click")]
    MissingSelection(&'static str),
    /// A link or image action arrived without its URL.
    #[error("menu item {0:?} needs the link or image address, but none came with the click")]
    MissingTarget(&'static str),
}

/// A request handed from the menu (in the worker) to the panel of one tab.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingAction {
    /// What to do.
    pub kind: ActionKind,
    /// The item id that asked for it, suffix included.
    pub menu_item_id: String,
    /// The selected text, for selection actions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selection: Option<String>,
    /// The page the action is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_url: Option<String>,
    /// The link or image address, for link and image actions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_url: Option<String>,
}

impl PendingAction {
    /// The submenu choice (`fr` in `translate-selection:fr`), or the custom action's id.
    pub fn variant(&self) -> Option<&str> {
        self.menu_item_id.split_once(':').map(|(_, variant)| variant).filter(|v| !v.is_empty())
    }
}

/// Finds the menu item a click refers to; a `:suffix` names a submenu child.
pub fn find_item(menu_item_id: &str) -> Option<&'static MenuItem> {
    let (base, suffix) = match menu_item_id.split_once(':') {
        Some((base, suffix)) => (base, Some(suffix)),
        None => (menu_item_id, None),
    };
    let item = MENU_ITEMS.iter().find(|item| item.id == base)?;
    // A suffix must name one of the item's children; a parent with children
    // is not clickable itself.
    match suffix {
        Some(suffix) => item.children.iter().any(|child| child.suffix == suffix).then_some(item),
        None => item.children.is_empty().then_some(item),
    }
}

/// Turns a menu click into the action it asks for.
pub fn action_for_click(click: &MenuClick) -> Result<PendingAction, MenuError> {
    let selection = click.selection_text.clone().filter(|text| !text.trim().is_empty());
    if click.menu_item_id.strip_prefix(crate::custom_actions::MENU_ID_PREFIX).is_some_and(|id| !id.is_empty()) {
        return Ok(PendingAction {
            kind: ActionKind::Custom,
            menu_item_id: click.menu_item_id.clone(),
            selection,
            page_url: click.page_url.clone(),
            target_url: click.link_url.clone().or_else(|| click.src_url.clone()),
        });
    }
    let item = find_item(&click.menu_item_id).ok_or_else(|| MenuError::UnknownItem(click.menu_item_id.clone()))?;
    if item.contexts.contains(&MenuContext::Selection) && selection.is_none() && !click.from_command {
        return Err(MenuError::MissingSelection(item.id));
    }
    let target_url = match item.contexts.first() {
        Some(MenuContext::Link) => Some(click.link_url.clone().ok_or(MenuError::MissingTarget(item.id))?),
        Some(MenuContext::Image) => Some(click.src_url.clone().ok_or(MenuError::MissingTarget(item.id))?),
        _ => None,
    };
    Ok(PendingAction {
        kind: item.action,
        menu_item_id: click.menu_item_id.clone(),
        selection,
        page_url: click.page_url.clone(),
        target_url,
    })
}

/// The actions waiting for one tab's panel, oldest first.
///
/// Two quick clicks must both run, in order, and none may be lost or run
/// twice although the worker writes and the panel takes from different
/// pages. So each action is stored under a key of its own (never a shared
/// list read, changed and written back): the worker only adds keys, the
/// panel only removes the keys it read, and the keys sort in arrival order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PendingQueue(pub Vec<PendingAction>);

impl PendingQueue {
    /// The prefix of the session-storage keys holding tab `tab_id`'s actions.
    pub fn key_prefix(tab_id: i64) -> String {
        format!("pending_actions:{tab_id}:")
    }

    /// The key of one action of tab `tab_id`; `stamp` (the clock in
    /// microseconds plus a counter) makes keys sort in arrival order.
    pub fn action_key(tab_id: i64, stamp: u64) -> String {
        format!("{}{stamp:020}", Self::key_prefix(tab_id))
    }

    /// Tab `tab_id`'s actions among stored entries, oldest first, and the
    /// keys to remove (unreadable entries are removed, not run).
    pub fn from_entries(
        tab_id: i64,
        entries: &serde_json::Map<String, serde_json::Value>,
    ) -> (PendingQueue, Vec<String>) {
        let prefix = Self::key_prefix(tab_id);
        let mut keys: Vec<&String> = entries.keys().filter(|key| key.starts_with(&prefix)).collect();
        keys.sort();
        let actions =
            keys.iter().filter_map(|key| serde_json::from_value(entries[key.as_str()].clone()).ok()).collect();
        (PendingQueue(actions), keys.into_iter().cloned().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn click(id: &str, selection: Option<&str>) -> MenuClick {
        MenuClick {
            menu_item_id: id.into(),
            selection_text: selection.map(Into::into),
            page_url: Some("https://example.com/a".into()),
            ..MenuClick::default()
        }
    }

    #[test]
    fn ids_are_unique_and_match_the_contract() {
        let ids: Vec<_> = MENU_ITEMS.iter().map(|item| item.id).collect();
        assert_eq!(
            ids,
            [
                "summarize-page",
                "chat-page",
                "explain-selection",
                "translate-selection",
                "summarize-selection",
                "rewrite-selection",
                "ask-selection",
                "summarize-link",
                "describe-image"
            ]
        );
        for item in MENU_ITEMS {
            let mut suffixes: Vec<_> = item.children.iter().map(|child| child.suffix).collect();
            suffixes.dedup();
            assert_eq!(suffixes.len(), item.children.len(), "{}", item.id);
        }
    }

    #[test]
    fn a_parent_with_a_submenu_is_clicked_through_its_children_only() {
        assert!(find_item("translate-selection").is_none());
        assert!(find_item("translate-selection:xx").is_none());
        assert_eq!(find_item("rewrite-selection:shorter").map(|item| item.id), Some("rewrite-selection"));
        assert!(find_item("summarize-page:extra").is_none());
        let action = action_for_click(&click("rewrite-selection:formal", Some("hey guys"))).unwrap();
        assert_eq!((action.kind, action.variant()), (ActionKind::RewriteSelection, Some("formal")));
    }

    #[test]
    fn link_and_image_clicks_carry_their_address() {
        let mut on_link = click("summarize-link", None);
        on_link.link_url = Some("https://example.com/b".into());
        let action = action_for_click(&on_link).unwrap();
        assert_eq!(
            (action.kind, action.target_url.as_deref()),
            (ActionKind::SummarizeLink, Some("https://example.com/b"))
        );
        assert_eq!(action_for_click(&click("describe-image", None)), Err(MenuError::MissingTarget("describe-image")));
        let mut on_image = click("describe-image", None);
        on_image.src_url = Some("https://example.com/c.png".into());
        assert_eq!(action_for_click(&on_image).unwrap().target_url.as_deref(), Some("https://example.com/c.png"));
    }

    #[test]
    fn a_keyboard_command_may_leave_the_selection_to_the_panel() {
        let mut command = click("explain-selection", None);
        command.from_command = true;
        let action = action_for_click(&command).unwrap();
        assert_eq!((action.kind, action.selection), (ActionKind::ExplainSelection, None));
    }

    #[test]
    fn custom_actions_pass_through_with_their_id() {
        let action = action_for_click(&click("custom-action:reply", Some("hi"))).unwrap();
        assert_eq!((action.kind, action.variant()), (ActionKind::Custom, Some("reply")));
        assert!(action_for_click(&click("custom-action:", None)).is_err());
    }

    #[test]
    fn selection_click_carries_the_text() {
        let action = action_for_click(&click("explain-selection", Some("borrow checker"))).unwrap();
        assert_eq!(action.kind, ActionKind::ExplainSelection);
        assert_eq!(action.selection.as_deref(), Some("borrow checker"));
        assert_eq!(action.page_url.as_deref(), Some("https://example.com/a"));
    }

    #[test]
    fn submenu_suffix_keeps_the_base_action() {
        let action = action_for_click(&click("translate-selection:fr", Some("bonjour"))).unwrap();
        assert_eq!(action.kind, ActionKind::TranslateSelection);
        assert_eq!(action.menu_item_id, "translate-selection:fr");
    }

    #[test]
    fn bad_clicks_are_refused_with_a_reason() {
        assert_eq!(action_for_click(&click("nope", None)), Err(MenuError::UnknownItem("nope".into())));
        assert_eq!(
            action_for_click(&click("summarize-selection", Some("  "))),
            Err(MenuError::MissingSelection("summarize-selection"))
        );
    }

    #[test]
    fn click_data_deserializes_from_the_browser_shape() {
        let data = serde_json::json!({
            "menuItemId": "summarize-page", "pageUrl": "https://e.org/", "editable": false, "frameId": 0
        });
        let parsed: MenuClick = serde_json::from_value(data).unwrap();
        assert_eq!(
            parsed,
            MenuClick {
                menu_item_id: "summarize-page".into(),
                selection_text: None,
                page_url: Some("https://e.org/".into()),
                ..MenuClick::default()
            }
        );
    }

    #[test]
    fn queue_keeps_clicks_in_order_per_tab_and_skips_garbage() {
        let summarize = action_for_click(&click("summarize-page", None)).unwrap();
        let explain = action_for_click(&click("explain-selection", Some("x"))).unwrap();
        let mut entries = serde_json::Map::new();
        // Keys sort by stamp whatever order the map holds them in.
        entries.insert(PendingQueue::action_key(42, 20), serde_json::to_value(&explain).unwrap());
        entries.insert(PendingQueue::action_key(42, 3), serde_json::to_value(&summarize).unwrap());
        entries.insert(PendingQueue::action_key(42, 25), serde_json::json!({"not": "an action"}));
        entries.insert(PendingQueue::action_key(4, 1), serde_json::to_value(&summarize).unwrap());
        entries.insert("settings".into(), serde_json::json!({}));
        let (queue, keys) = PendingQueue::from_entries(42, &entries);
        assert_eq!(queue.0, [summarize, explain]);
        assert_eq!(keys.len(), 3, "the unreadable entry is removed too");
        assert!(keys.iter().all(|key| key.starts_with("pending_actions:42:")));
        assert_eq!(PendingQueue::action_key(42, 7), "pending_actions:42:00000000000000000007");
    }
}
