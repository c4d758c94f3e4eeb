//! Reading the page in a tab: `capture_tab` injects `capture.js` and returns a `PageSnapshot`; `request_site_access` asks for a site at the moment of need.

use super::extension_api::{call_api, from_js, to_js};
use super::PlatformError;
use crate::page::{origin_pattern, unreadable_page, PageSnapshot, UnreadablePage};
use serde_json::json;
use wasm_bindgen::JsValue;

/// Why a page could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaptureError {
    /// No extension may read this page.
    Unreadable(UnreadablePage),
    /// Pagewise needs the user's permission to read the page.
    NeedsAccess {
        /// The one-site pattern to ask for (`https://host/*`); `None` when the
        /// tab's URL is hidden from us (no grant for it yet), so only access
        /// to web pages in general can be asked for.
        origin: Option<String>,
    },
    /// The page gave nothing back (still loading, or an error inside it).
    Failed(String),
}

/// Injects the capture script into the tab's top frame and returns what it read.
pub async fn capture_tab(tab_id: i64, url: Option<&str>) -> Result<PageSnapshot, CaptureError> {
    if let Some(reason) = url.and_then(unreadable_page) {
        return Err(CaptureError::Unreadable(reason));
    }
    let details = json!({"target": {"tabId": tab_id}, "files": ["capture.js"]});
    let details = to_js(&details, "a script injection").map_err(|error| CaptureError::Failed(error.to_string()))?;
    let results = match call_api(&["scripting"], "executeScript", &[details]).await {
        Ok(results) => results,
        Err(error) => return Err(classify_failure(&error, url)),
    };
    let first = js_sys::Array::from(&results).get(0);
    let value = js_sys::Reflect::get(&first, &JsValue::from_str("result")).unwrap_or(JsValue::UNDEFINED);
    if value.is_undefined() || value.is_null() {
        return Err(CaptureError::Failed("the page returned nothing; wait for it to load and try again".into()));
    }
    from_js::<PageSnapshot>(value, "a page snapshot").map_err(|error| CaptureError::Failed(error.to_string()))
}

/// Host access errors name the permission; everything else is kept as text.
fn classify_failure(error: &PlatformError, url: Option<&str>) -> CaptureError {
    let message = error.to_string();
    let lower = message.to_ascii_lowercase();
    let denied = ["permission", "cannot access contents", "missing host", "cannot be scripted"]
        .iter()
        .any(|needle| lower.contains(needle));
    if lower.contains("extensions gallery") || lower.contains("cannot be scripted due to an extensionsettings") {
        return CaptureError::Unreadable(UnreadablePage::ExtensionStore);
    }
    if lower.contains("chrome://") || lower.contains("about:") {
        return CaptureError::Unreadable(UnreadablePage::BrowserPage);
    }
    if denied {
        CaptureError::NeedsAccess { origin: url.and_then(origin_pattern) }
    } else {
        CaptureError::Failed(message)
    }
}

/// The patterns that let Pagewise read any web page (the manifest's optional hosts).
pub const ALL_WEB_PAGES: [&str; 2] = ["http://*/*", "https://*/*"];

/// Asks the user for access to these origin patterns (one site, or
/// [`ALL_WEB_PAGES`]). Call it first thing in a click handler: browsers only
/// show the prompt inside a user gesture.
pub fn request_site_access(origins: &[&str]) -> impl std::future::Future<Output = Result<bool, PlatformError>> {
    // The request starts synchronously, inside the gesture; only the answer is awaited.
    let started = to_js(&json!({"origins": origins}), "a permission request").and_then(|origins| {
        let namespace = super::extension_api::namespace(&["permissions"])?;
        let request = js_sys::Reflect::get(&namespace, &JsValue::from_str("request"))
            .map_err(|error| PlatformError::failed("permissions.request", error))?;
        let request: js_sys::Function = wasm_bindgen::JsCast::dyn_into(request)
            .map_err(|_| PlatformError::Missing("permissions.request".into()))?;
        request.call1(&namespace, &origins).map_err(|error| PlatformError::failed("permissions.request", error))
    });
    async move {
        let promise = js_sys::Promise::resolve(&started?);
        let granted = wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .map_err(|error| PlatformError::failed("permissions.request", error))?;
        Ok(granted.as_bool() == Some(true))
    }
}
