//! Saving a file the user asked for (history exports) through the browser's download.

use super::PlatformError;
use wasm_bindgen::JsCast;

/// Offers `text` as a file named `name` of type `mime`.
pub fn save_text_file(name: &str, mime: &str, text: &str) -> Result<(), PlatformError> {
    let document = web_sys::window()
        .and_then(|window| window.document())
        .ok_or_else(|| PlatformError::Missing("document".into()))?;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|error| PlatformError::failed("Blob", error))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|error| PlatformError::failed("URL", error))?;
    let anchor = document
        .create_element("a")
        .map_err(|error| PlatformError::failed("createElement", error))?
        .dyn_into::<web_sys::HtmlAnchorElement>()
        .map_err(|_| PlatformError::Missing("HTMLAnchorElement".into()))?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    // The click has started the download; the URL can go once it has been read.
    let _ = gloo::timers::callback::Timeout::new(10_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}
