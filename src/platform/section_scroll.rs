//! Scrolling the tab to a section an answer was written from: injects `scroll_to_section.js` once and asks it, by message, to find the section.

use super::extension_api::{call_api, to_js};
use super::PlatformError;
use crate::context_fit::SectionRef;
use serde_json::json;

/// Scrolls the tab to `section` and outlines it. Resolves to false when the
/// page no longer holds it (it changed since it was read).
pub async fn scroll_to_section(tab_id: i64, section: &SectionRef) -> Result<bool, PlatformError> {
    let injection =
        to_js(&json!({"target": {"tabId": tab_id}, "files": ["scroll_to_section.js"]}), "a script injection")?;
    call_api(&["scripting"], "executeScript", &[injection]).await?;
    let message = json!({
        "type": "pagewise-scroll-to-section",
        "heading": section.heading_path.last().cloned().unwrap_or_default(),
        "snippet": section.snippet,
    });
    let found = call_api(
        &["tabs"],
        "sendMessage",
        &[wasm_bindgen::JsValue::from_f64(tab_id as f64), to_js(&message, "a scroll request")?],
    )
    .await?;
    Ok(found.as_bool() == Some(true))
}
