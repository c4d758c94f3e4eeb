//! The one place Chromium's side panel and Firefox's sidebar differ, seen from Rust.
//!
//! Opening the panel must happen synchronously inside the user's gesture, so
//! the worker's JavaScript shim does that part itself; this module configures
//! the host once at install time.

use super::extension_api::{call_api, has, to_js};
use super::PlatformError;
use serde::Serialize;

/// Makes the toolbar button (and its keyboard command) open the side panel.
///
/// Chromium needs `sidePanel.setPanelBehavior`; Firefox's sidebar is opened
/// by the worker shim's `action.onClicked` handler instead, so there is
/// nothing to set up there.
pub async fn open_panel_on_action_click() -> Result<(), PlatformError> {
    if !has(&["sidePanel"]) {
        return Ok(());
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Behavior {
        open_panel_on_action_click: bool,
    }
    let behavior = to_js(
        &Behavior {
            open_panel_on_action_click: true,
        },
        "panel behavior",
    )?;
    call_api(&["sidePanel"], "setPanelBehavior", &[behavior]).await?;
    Ok(())
}
