//! Context menus: creating the items the core's menu contract lists.

use super::extension_api::{call_api, to_js};
use super::PlatformError;
use crate::custom_actions::{menu_id, CustomAction};
use crate::i18n::Locale;
use crate::menu::{ChildTitle, MenuContext, MENU_ITEMS};
use serde::Serialize;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CreateProperties<'a> {
    id: &'a str,
    title: &'a str,
    contexts: &'a [MenuContext],
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_id: Option<&'a str>,
}

/// Replaces every context-menu item with the current set, titled in
/// `locale`: the built-in items, then the user's own actions.
///
/// Removing first makes this safe to run on every install and update, when
/// items from an older version may still exist.
pub async fn create_menus(locale: Locale, custom: &[CustomAction]) -> Result<(), PlatformError> {
    call_api(&["contextMenus"], "removeAll", &[]).await?;
    for item in MENU_ITEMS {
        let properties =
            CreateProperties { id: item.id, title: item.title.text(locale), contexts: item.contexts, parent_id: None };
        // `create` reports errors through runtime.lastError, not its return
        // value, so a duplicate id surfaces in the console rather than here.
        call_api(&["contextMenus"], "create", &[to_js(&properties, "a menu item")?]).await?;
        for child in item.children {
            let id = format!("{}:{}", item.id, child.suffix);
            let title = match child.title {
                ChildTitle::Text(text) => text.text(locale),
                ChildTitle::Native(name) => name,
            };
            let properties = CreateProperties { id: &id, title, contexts: item.contexts, parent_id: Some(item.id) };
            call_api(&["contextMenus"], "create", &[to_js(&properties, "a submenu item")?]).await?;
        }
    }
    for action in custom.iter().filter(|action| !action.contexts.is_empty()) {
        let id = menu_id(action);
        let properties = CreateProperties { id: &id, title: &action.name, contexts: &action.contexts, parent_id: None };
        call_api(&["contextMenus"], "create", &[to_js(&properties, "a custom action")?]).await?;
    }
    Ok(())
}
