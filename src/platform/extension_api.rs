//! Reaching the `chrome.*` extension namespace: looking up APIs and awaiting their promises.
//!
//! Both Chromium and Firefox (MV3) expose promise-returning APIs under
//! `chrome`, so one lookup serves both. APIs are looked up by path at call
//! time, which turns a missing API into a typed error instead of a crash.

use super::PlatformError;
use js_sys::{Array, Function, Promise, Reflect};
use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Looks up `chrome.<path>`, such as `["storage", "local"]`.
pub fn namespace(path: &[&str]) -> Result<JsValue, PlatformError> {
    let mut current = Reflect::get(&js_sys::global(), &JsValue::from_str("chrome"))
        .ok()
        .filter(|value| !value.is_undefined() && !value.is_null())
        .ok_or_else(|| PlatformError::Missing("chrome".into()))?;
    for (depth, name) in path.iter().enumerate() {
        current = Reflect::get(&current, &JsValue::from_str(name))
            .ok()
            .filter(|value| !value.is_undefined() && !value.is_null())
            .ok_or_else(|| PlatformError::Missing(format!("chrome.{}", path[..=depth].join("."))))?;
    }
    Ok(current)
}

/// True when `chrome.<path>` exists.
pub fn has(path: &[&str]) -> bool {
    namespace(path).is_ok()
}

/// Calls `target.method(...args)` and awaits the result when it is a promise.
pub async fn call(target: &JsValue, api: &str, method: &str, args: &[JsValue]) -> Result<JsValue, PlatformError> {
    let function: Function = Reflect::get(target, &JsValue::from_str(method))
        .ok()
        .and_then(|value| value.dyn_into().ok())
        .ok_or_else(|| PlatformError::Missing(format!("{api}.{method}")))?;
    let args: Array = args.iter().collect();
    let returned =
        function.apply(target, &args).map_err(|error| PlatformError::failed(&format!("{api}.{method}"), error))?;
    match returned.dyn_into::<Promise>() {
        Ok(promise) => {
            JsFuture::from(promise).await.map_err(|error| PlatformError::failed(&format!("{api}.{method}"), error))
        }
        Err(value) => Ok(value),
    }
}

/// Calls `chrome.<path>.method(...args)`.
pub async fn call_api(path: &[&str], method: &str, args: &[JsValue]) -> Result<JsValue, PlatformError> {
    let target = namespace(path)?;
    call(&target, &path.join("."), method, args).await
}

/// Converts a Rust value to a plain JS object (never a `Map`, which extension
/// messaging and storage would flatten to `{}`).
pub fn to_js<T: Serialize + ?Sized>(value: &T, what: &'static str) -> Result<JsValue, PlatformError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|error| PlatformError::Conversion { what, message: error.to_string() })
}

/// Converts a JS value into a Rust value.
pub fn from_js<T: DeserializeOwned>(value: JsValue, what: &'static str) -> Result<T, PlatformError> {
    serde_wasm_bindgen::from_value(value)
        .map_err(|error| PlatformError::Conversion { what, message: error.to_string() })
}
