//! Reading the page in a tab: `capture_tab` injects `capture.js` and returns a `PageSnapshot`; `request_site_access` asks for a site at the moment of need.

use super::extension_api::{call_api, to_js};
use super::PlatformError;
use crate::page::{origin_pattern, unreadable_page, PageSnapshot, UnreadablePage};
use serde_json::json;
use wasm_bindgen::{JsCast, JsValue};

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
    snapshot_from_js(&value).map_err(|error| {
        CaptureError::Failed(
            PlatformError::Conversion { what: "a page snapshot", message: error.to_string() }.to_string(),
        )
    })
}

/// Reads a page snapshot object (`{url, title, language, html, selection}`)
/// into Rust. The HTML, often megabytes, is copied by the browser's own
/// UTF-8 encoder straight into wasm memory: serde's string path copies the
/// ASCII start of a string one character at a time in JavaScript, which
/// took about a fifth of extraction's time in Chromium. The small fields
/// are read one by one; a snapshot that is not all strings where strings
/// belong goes through serde, whose error names the field.
pub fn snapshot_from_js(value: &JsValue) -> Result<PageSnapshot, serde_wasm_bindgen::Error> {
    let field = |name: &str| js_sys::Reflect::get(value, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
    let html = field("html");
    let Some(html) = html.dyn_ref::<js_sys::JsString>().filter(|_| value.is_object()) else {
        return serde_wasm_bindgen::from_value(value.clone());
    };
    // `Some(None)` for an absent optional field, `None` for a wrong type.
    let text = |name: &str| -> Option<Option<String>> {
        let value = field(name);
        if value.is_undefined() || value.is_null() {
            return Some(None);
        }
        value.as_string().map(Some)
    };
    let (Some(Some(url)), Some(Some(title)), Some(language), Some(selection)) =
        (text("url"), text("title"), text("language"), text("selection"))
    else {
        return serde_wasm_bindgen::from_value(value.clone());
    };
    Ok(PageSnapshot { url, title, language, html: utf8_from_js(html), selection })
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// The browser's `TextEncoder`, bound here because web-sys's
    /// `encodeInto` takes a Rust `&str`, which is the copy this avoids.
    #[wasm_bindgen(js_name = TextEncoder)]
    type Utf8Encoder;
    #[wasm_bindgen(constructor, js_class = "TextEncoder")]
    fn new() -> Utf8Encoder;
    #[wasm_bindgen(method, js_class = "TextEncoder", js_name = encodeInto)]
    fn encode_into(this: &Utf8Encoder, source: &js_sys::JsString, destination: &js_sys::Uint8Array) -> EncodedPart;

    /// `encodeInto`'s result: UTF-16 units read, bytes written.
    type EncodedPart;
    #[wasm_bindgen(method, getter)]
    fn read(this: &EncodedPart) -> u32;
    #[wasm_bindgen(method, getter)]
    fn written(this: &EncodedPart) -> u32;
}

/// A JavaScript string as UTF-8, encoded by the browser into the string's
/// own buffer: room for one byte per UTF-16 unit first (exact for ASCII),
/// then, if the text runs over, three per unit left (the most one takes).
/// Lone surrogates become U+FFFD, as every other string path does.
fn utf8_from_js(text: &js_sys::JsString) -> String {
    let encoder = Utf8Encoder::new();
    let mut bytes: Vec<u8> = Vec::with_capacity(text.length() as usize);
    let mut rest = text.clone();
    loop {
        let spare = bytes.capacity() - bytes.len();
        // SAFETY: the view covers the vector's spare capacity only, and no
        // allocation (which could move or grow wasm memory) happens before
        // `encode_into` is done with it; the length grows by what it wrote.
        let part = unsafe {
            let view = js_sys::Uint8Array::view_mut_raw(bytes.as_mut_ptr().add(bytes.len()), spare);
            let part = encoder.encode_into(&rest, &view);
            bytes.set_len(bytes.len() + part.written() as usize);
            part
        };
        let (read, units) = (part.read(), rest.length());
        if read >= units {
            break;
        }
        rest = rest.slice(read, units);
        bytes.reserve(rest.length() as usize * 3);
    }
    // SAFETY: `encodeInto` writes UTF-8 only, whole characters only (the
    // Encoding Standard's "encode into": a character that does not fit is
    // left for the next call, a lone surrogate becomes U+FFFD), so the
    // bytes are valid UTF-8; checking them again cost about 1% of extraction.
    unsafe { String::from_utf8_unchecked(bytes) }
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
