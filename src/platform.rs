//! Browser adapters (wasm32 only): the only code that talks to extension and DOM APIs.
//!
//! Each submodule wraps one browser API behind typed Rust functions that take
//! and return core types. Chromium and Firefox share every API used here; the
//! one difference (side panel or sidebar) is opened by the worker shim,
//! because it must happen synchronously inside the user's gesture.

pub mod clipboard;
pub mod commands;
pub mod download;
pub mod extension_api;
pub mod history_store;
pub mod local_probe;
pub mod menus;
pub mod model_fetch;
pub mod origin_rewrite;
pub mod page_capture;
pub mod section_scroll;
pub mod storage;
pub mod tabs;

use wasm_bindgen::JsValue;

/// A browser API call that failed, with the browser's own message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PlatformError {
    /// The API does not exist here (a plain web page, or another browser).
    #[error("browser API {0} is not available in this context")]
    Missing(String),
    /// The API exists but threw or rejected.
    #[error("{api} failed: {message}")]
    Failed {
        /// Dotted API path, such as `storage.local.set`.
        api: String,
        /// The browser's error message.
        message: String,
    },
    /// A value crossing the JS boundary had an unexpected shape.
    #[error("could not convert {what}: {message}")]
    Conversion {
        /// What was being converted.
        what: &'static str,
        /// Why it failed.
        message: String,
    },
}

impl PlatformError {
    pub(crate) fn failed(api: &str, error: JsValue) -> PlatformError {
        PlatformError::Failed { api: api.to_string(), message: describe_js_error(&error) }
    }
}

/// The message of a thrown JS value, without ever panicking on odd values.
pub fn describe_js_error(error: &JsValue) -> String {
    if let Some(text) = error.as_string() {
        return text;
    }
    js_sys::Reflect::get(error, &JsValue::from_str("message"))
        .ok()
        .and_then(|message| message.as_string())
        .unwrap_or_else(|| format!("{error:?}"))
}

/// The browser's UI language tag (such as `zh-CN`), from any page or worker.
pub fn browser_language() -> String {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("navigator"))
        .and_then(|navigator| js_sys::Reflect::get(&navigator, &JsValue::from_str("language")))
        .ok()
        .and_then(|language| language.as_string())
        .unwrap_or_default()
}

/// Milliseconds since the Unix epoch, from the browser's clock.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// A fresh random identifier (`crypto.randomUUID`, else time and `Math.random`).
pub fn random_id() -> String {
    let uuid = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("crypto")).ok().and_then(|crypto| {
        let function = js_sys::Reflect::get(&crypto, &JsValue::from_str("randomUUID")).ok()?;
        let function: js_sys::Function = wasm_bindgen::JsCast::dyn_into(function).ok()?;
        function.call0(&crypto).ok()?.as_string()
    });
    uuid.unwrap_or_else(|| format!("{:x}-{:x}", js_sys::Date::now() as u64, (js_sys::Math::random() * 1e15) as u64))
}
