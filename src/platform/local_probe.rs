//! Whether anything listens at a URL, asked without host permission: an opaque `no-cors` fetch.
//!
//! A `no-cors` request needs no CORS headers and no host access; its
//! response is opaque (no status, no body), but it resolves whenever a
//! server answers and rejects when the port is closed or the host does not
//! resolve. That is all the first-run setup needs to know before offering a
//! local server, and all the endpoint doctor needs to tell "nothing there"
//! from "the browser blocked it".

use gloo::timers::callback::Timeout;
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortController;

/// How long a probe waits before deciding nothing answers, in milliseconds.
pub const PROBE_TIMEOUT_MS: u32 = 2_500;

/// Resolves to true when something answers at `url` within `timeout_ms`
/// (any status: the response is opaque), false when the connection is
/// refused, the host is unknown, or the time runs out.
pub async fn is_listening(url: &str, timeout_ms: u32) -> bool {
    let Ok(controller) = AbortController::new() else {
        return false;
    };
    let init = Object::new();
    let fields = [
        ("method", JsValue::from_str("GET")),
        ("mode", JsValue::from_str("no-cors")),
        ("credentials", JsValue::from_str("omit")),
        ("cache", JsValue::from_str("no-store")),
        ("signal", controller.signal().into()),
    ];
    for (name, value) in fields {
        if Reflect::set(&init, &JsValue::from_str(name), &value).is_err() {
            return false;
        }
    }
    let global = js_sys::global();
    let Some(fetch) =
        Reflect::get(&global, &JsValue::from_str("fetch")).ok().and_then(|f| f.dyn_into::<Function>().ok())
    else {
        return false;
    };
    let Ok(returned) = fetch.call2(&global, &JsValue::from_str(url), &init) else {
        return false;
    };
    let Ok(promise) = returned.dyn_into::<Promise>() else {
        return false;
    };
    let abort = controller.clone();
    let timer = Timeout::new(timeout_ms, move || abort.abort());
    let answered = JsFuture::from(promise).await.is_ok();
    drop(timer);
    answered
}
