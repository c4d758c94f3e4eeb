//! The clipboard: copying a message or a code block as plain text.

use super::PlatformError;
use wasm_bindgen_futures::JsFuture;

/// Puts `text` on the clipboard (the panel must have focus, as after a click).
pub async fn copy_text(text: &str) -> Result<(), PlatformError> {
    let window = web_sys::window().ok_or_else(|| PlatformError::Missing("window".into()))?;
    let promise = window.navigator().clipboard().write_text(text);
    JsFuture::from(promise).await.map(|_| ()).map_err(|error| PlatformError::failed("clipboard.writeText", error))
}
