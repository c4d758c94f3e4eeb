//! Keyboard commands: the shortcuts the browser assigned to Pagewise's commands, and its page for changing them.

use super::extension_api::{call_api, from_js, has, to_js};
use super::PlatformError;
use serde::Deserialize;

/// One command, as the browser reports it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct CommandInfo {
    /// Its name in the manifest (`summarize-page`, `_execute_action`).
    #[serde(default)]
    pub name: String,
    /// Its description, in the browser's language.
    #[serde(default)]
    pub description: String,
    /// The keys, such as `Alt+Shift+S`; empty when none is set.
    #[serde(default)]
    pub shortcut: String,
}

/// Every command with its current shortcut.
pub async fn list_commands() -> Result<Vec<CommandInfo>, PlatformError> {
    from_js(call_api(&["commands"], "getAll", &[]).await?, "the commands")
}

/// Opens the browser's page for changing extension shortcuts (Firefox has
/// an API for it; Chromium's is the `chrome://extensions/shortcuts` page).
pub async fn open_shortcut_settings() -> Result<(), PlatformError> {
    if has(&["commands", "openShortcutSettings"]) {
        call_api(&["commands"], "openShortcutSettings", &[]).await?;
        return Ok(());
    }
    let properties = to_js(&serde_json::json!({"url": "chrome://extensions/shortcuts"}), "a new tab")?;
    call_api(&["tabs"], "create", &[properties]).await?;
    Ok(())
}
