//! Chromium only: a session declarativeNetRequest rule that rewrites `Origin` for the configured loopback endpoint.
//!
//! See `provider::local_origin` for why. The rule is scoped to requests that
//! Pagewise itself makes (`initiatorDomains` is the extension's id) to that
//! one endpoint, and it only takes effect once the user granted host access
//! to it (`declarativeNetRequestWithHostAccess`). Session rules vanish with
//! the browser, so the worker re-applies it on start. Firefox has no such
//! rule; there the endpoint doctor explains `OLLAMA_ORIGINS`.

use super::extension_api::{call_api, has, namespace, to_js};
use super::PlatformError;
use crate::provider::local_origin::local_origin_rewrite;
use serde_json::json;
use wasm_bindgen::JsValue;

/// The one rule id Pagewise uses; replacing it keeps exactly one rule.
const RULE_ID: u32 = 1;

/// Installs (or removes, for a non-local endpoint) the rewrite for
/// `base_url`. Returns whether a rule is now active.
pub async fn apply_origin_rewrite(base_url: &str) -> Result<bool, PlatformError> {
    if !has(&["declarativeNetRequest", "updateSessionRules"]) {
        return Ok(false);
    }
    let extension_id = namespace(&["runtime", "id"])?.as_string().unwrap_or_default();
    let rule = local_origin_rewrite(base_url).map(|rewrite| {
        json!({
            "id": RULE_ID,
            "priority": 1,
            "action": {
                "type": "modifyHeaders",
                "requestHeaders": [{"header": "origin", "operation": "set", "value": rewrite.origin}],
            },
            "condition": {
                "urlFilter": rewrite.url_filter,
                "initiatorDomains": [extension_id],
                "resourceTypes": ["xmlhttprequest", "other"],
            },
        })
    });
    let active = rule.is_some();
    let update = json!({"removeRuleIds": [RULE_ID], "addRules": rule.into_iter().collect::<Vec<_>>()});
    call_api(&["declarativeNetRequest"], "updateSessionRules", &[to_js(&update, "a session rule")?]).await?;
    Ok(active)
}

/// Asks for host access to a loopback endpoint, the moment the user saves it,
/// so Chromium lets the rewrite apply. Call it inside the click's task.
pub async fn request_local_endpoint_access(base_url: &str) -> Result<bool, PlatformError> {
    let Some(rewrite) = local_origin_rewrite(base_url) else {
        return Ok(false);
    };
    if !has(&["declarativeNetRequest", "updateSessionRules"]) {
        return Ok(false);
    }
    let origins = json!({"origins": [format!("{}/*", rewrite.origin)]});
    let origins = to_js(&origins, "a permission request")?;
    let granted = call_api(&["permissions"], "contains", std::slice::from_ref(&origins)).await?;
    if granted.as_bool() == Some(true) {
        return Ok(true);
    }
    let granted: JsValue = call_api(&["permissions"], "request", &[origins]).await?;
    Ok(granted.as_bool() == Some(true))
}
