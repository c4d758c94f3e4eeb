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
/// Two quick clicks must both run, in order, so the queue appends and the
/// panel drains it whole.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PendingQueue(pub Vec<PendingAction>);

impl PendingQueue {
    /// The session-storage key holding the queue of tab `tab_id`.
    pub fn storage_key(tab_id: i64) -> String {
        format!("pending_actions:{tab_id}")
    }

    /// Reads a stored queue; anything unreadable counts as empty.
    pub fn from_stored(value: Option<&serde_json::Value>) -> PendingQueue {
        value.and_then(|value| serde_json::from_value(value.clone()).ok()).unwrap_or_default()
    }

    /// Appends an action behind those already waiting.
    pub fn push(&mut self, action: PendingAction) {
        self.0.push(action);
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
    fn queue_keeps_clicks_in_order_and_survives_garbage() {
        let mut queue = PendingQueue::from_stored(Some(&serde_json::json!({"not": "a queue"})));
        assert!(queue.0.is_empty());
        queue.push(action_for_click(&click("summarize-page", None)).unwrap());
        queue.push(action_for_click(&click("explain-selection", Some("x"))).unwrap());
        let stored = serde_json::to_value(&queue).unwrap();
        let again = PendingQueue::from_stored(Some(&stored));
        assert_eq!(again, queue);
        assert_eq!(again.0[1].kind, ActionKind::ExplainSelection);
        assert_eq!(PendingQueue::storage_key(42), "pending_actions:42");
    }
}
