//! The context-menu contract: which items exist, where they appear, and what a click asks for.
//!
//! Item ids are part of the tested contract with the extension shell and the
//! end-to-end tests. A click is turned into a [`PendingAction`], which the
//! worker queues for the panel of that tab; see [`PendingQueue`].

use crate::i18n::UiText;
use serde::{Deserialize, Serialize};

/// Where in a page a menu item is offered; the names match `contextMenus.ContextType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MenuContext {
    /// Anywhere on the page.
    Page,
    /// On selected text.
    Selection,
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
}

/// What the user asked Pagewise to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// Summarize the whole page.
    SummarizePage,
    /// Explain the selected text.
    ExplainSelection,
    /// Translate the selected text.
    TranslateSelection,
    /// Summarize the selected text.
    SummarizeSelection,
}

/// Every context-menu item, in menu order.
pub const MENU_ITEMS: &[MenuItem] = &[
    MenuItem {
        id: "summarize-page",
        title: UiText::MenuSummarizePage,
        contexts: &[MenuContext::Page],
        action: ActionKind::SummarizePage,
    },
    MenuItem {
        id: "explain-selection",
        title: UiText::MenuExplainSelection,
        contexts: &[MenuContext::Selection],
        action: ActionKind::ExplainSelection,
    },
    MenuItem {
        id: "translate-selection",
        title: UiText::MenuTranslateSelection,
        contexts: &[MenuContext::Selection],
        action: ActionKind::TranslateSelection,
    },
    MenuItem {
        id: "summarize-selection",
        title: UiText::MenuSummarizeSelection,
        contexts: &[MenuContext::Selection],
        action: ActionKind::SummarizeSelection,
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
}

/// Finds the menu item a click refers to; a `:suffix` names a submenu child.
pub fn find_item(menu_item_id: &str) -> Option<&'static MenuItem> {
    let base = menu_item_id.split(':').next().unwrap_or_default();
    MENU_ITEMS.iter().find(|item| item.id == base)
}

/// Turns a menu click into the action it asks for.
pub fn action_for_click(click: &MenuClick) -> Result<PendingAction, MenuError> {
    let item = find_item(&click.menu_item_id).ok_or_else(|| MenuError::UnknownItem(click.menu_item_id.clone()))?;
    let selection = click.selection_text.clone().filter(|text| !text.trim().is_empty());
    if item.contexts.contains(&MenuContext::Selection) && selection.is_none() {
        return Err(MenuError::MissingSelection(item.id));
    }
    Ok(PendingAction {
        kind: item.action,
        menu_item_id: click.menu_item_id.clone(),
        selection,
        page_url: click.page_url.clone(),
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
        }
    }

    #[test]
    fn ids_are_unique_and_match_the_contract() {
        let ids: Vec<_> = MENU_ITEMS.iter().map(|item| item.id).collect();
        assert_eq!(ids, ["summarize-page", "explain-selection", "translate-selection", "summarize-selection"]);
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
                page_url: Some("https://e.org/".into())
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
