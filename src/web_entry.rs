//! The functions the extension's JavaScript shim calls: one per page and per worker event.

use crate::extract::extract;
use crate::i18n::Locale;
use crate::menu::{action_for_click, MenuClick};
use crate::page::PageSnapshot;
use crate::platform::extension_api::{from_js, to_js};
use crate::platform::storage::{load_settings, queue_action, StorageArea};
use crate::platform::tabs::TabInfo;
use crate::platform::{browser_language, menus, PlatformError};
use crate::ui;
use wasm_bindgen::prelude::*;

/// Renders the side panel into the current page.
#[wasm_bindgen]
pub fn start_panel() {
    console_error_panic_hook::set_once();
    ui::panel::mount();
}

/// Renders the options page into the current page.
#[wasm_bindgen]
pub fn start_options() {
    console_error_panic_hook::set_once();
    ui::options::mount();
}

/// Worker: runs on install and update, and whenever the settings change;
/// (re)creates the context menus, the user's own actions included.
#[wasm_bindgen]
pub async fn worker_installed() -> Result<(), JsValue> {
    console_error_panic_hook::set_once();
    let settings = load_settings(&StorageArea::local().map_err(to_js_error)?).await.unwrap_or_default();
    let locale = Locale::resolve(settings.ui_language, &browser_language());
    menus::create_menus(locale, &settings.custom_actions).await.map_err(to_js_error)?;
    Ok(())
}

/// Worker: runs every time the worker starts. Session rules do not survive a
/// browser restart, so the Origin rewrite for a local endpoint is re-applied.
#[wasm_bindgen]
pub async fn worker_started() -> Result<bool, JsValue> {
    let settings = load_settings(&StorageArea::local().map_err(to_js_error)?).await.map_err(to_js_error)?;
    crate::platform::origin_rewrite::apply_origin_rewrite(&settings.endpoint.base_url).await.map_err(to_js_error)
}

/// Worker: a context-menu click, with the arguments of `contextMenus.onClicked`.
///
/// The shim has already asked the browser to open the panel (that must happen
/// synchronously in the gesture); this queues the action for that tab's
/// panel and resolves to the queued action.
#[wasm_bindgen]
pub async fn worker_menu_click(info: JsValue, tab: JsValue) -> Result<JsValue, JsValue> {
    let click: MenuClick = from_js(info, "menu click data").map_err(to_js_error)?;
    let tab: TabInfo = from_js(tab, "the clicked tab").map_err(to_js_error)?;
    let tab_id = tab.id.ok_or_else(|| JsError::new("the menu click came without a tab"))?;
    let action = action_for_click(&click).map_err(|error| JsError::new(&error.to_string()))?;
    let session = StorageArea::session().map_err(to_js_error)?;
    queue_action(&session, tab_id, action.clone()).await.map_err(to_js_error)?;
    to_js(&action, "the queued action").map_err(to_js_error)
}

/// Extracts a page: `{url, title, language, html, selection}` (a
/// `PageSnapshot`; `language` and `selection` may be null or absent) in, the
/// `Article` out as a plain object (`markdown`, `title`, `sections`,
/// `word_count`, `dropped`…; a `None` field is left out). A malformed
/// snapshot throws an `Error` naming the field; extraction itself cannot fail.
#[wasm_bindgen]
pub fn extract_page(snapshot: JsValue) -> Result<JsValue, JsValue> {
    console_error_panic_hook::set_once();
    let snapshot: PageSnapshot = crate::platform::page_capture::snapshot_from_js(&snapshot).map_err(|error| {
        let reason = error.to_string();
        let reason = reason.strip_prefix("Error: ").unwrap_or(&reason);
        JsError::new(&format!("extract_page: the page snapshot is malformed: {reason}"))
    })?;
    let mut article = extract(&snapshot);
    // One JSON text, parsed by the engine in one call: converting field by
    // field crossed into JavaScript two or three times a field, every
    // section's included, which cost more than the parse. The Markdown,
    // most of the text, goes over as it stands instead, set in its place
    // afterwards: as JSON it would be escaped here and read again there.
    let markdown = std::mem::take(&mut article.markdown);
    let article = serde_json::to_string(&article)
        .map_err(|error| JsError::new(&format!("extract_page: cannot convert the article: {error}")))?;
    let article = js_sys::JSON::parse(&article)?;
    js_sys::Reflect::set(&article, &JsValue::from_str("markdown"), &JsValue::from_str(&markdown))?;
    Ok(article)
}

/// The core's token estimate of `text` (`budget::estimate_tokens`), for
/// tests and benchmarks that check what a request costs as the panel counts it.
#[wasm_bindgen]
pub fn estimate_tokens(text: &str) -> u32 {
    crate::budget::estimate_tokens(text) as u32
}

fn to_js_error(error: PlatformError) -> JsValue {
    JsError::new(&error.to_string()).into()
}

/// Benchmark (`cargo xtask bench panel`): renders `tokens` (an array of
/// strings, one streamed delta each) into `container` and times it. `mode` is
/// `"incremental"` (the panel's `LiveMarkdown`), `"naive"` (the whole answer so
/// far re-rendered on every delta) or `"once"` (the final text rendered once).
/// Returns `{total_ms, longest_delta_ms, deltas, layout_ms}`: wasm and DOM time
/// per delta with `performance.now()`, and one forced layout at the end.
#[wasm_bindgen]
pub fn bench_render_stream(container: web_sys::Element, tokens: js_sys::Array, mode: &str) -> Result<JsValue, JsValue> {
    use crate::answer_markdown::render_markdown;
    use crate::ui::markdown_dom::{append_nodes, DomLabels, LiveMarkdown};
    use wasm_bindgen::JsCast;
    let performance = web_sys::window()
        .and_then(|window| window.performance())
        .ok_or_else(|| JsError::new("bench_render_stream: no performance clock"))?;
    let document = container.owner_document().ok_or_else(|| JsError::new("bench_render_stream: no document"))?;
    let tokens: Vec<String> = tokens.iter().map(|token| token.as_string().unwrap_or_default()).collect();
    let labels = DomLabels { copy: "Copy".into() };
    container.set_text_content(None);
    let mut deltas = Vec::with_capacity(tokens.len());
    let mut timed = |work: &mut dyn FnMut()| {
        let started = performance.now();
        work();
        deltas.push(performance.now() - started);
    };
    match mode {
        "incremental" => {
            let mut live = LiveMarkdown::new(container.clone(), labels);
            for token in &tokens {
                timed(&mut || live.push(token));
            }
            timed(&mut || live.finish());
        }
        "naive" => {
            let mut so_far = String::new();
            for token in &tokens {
                so_far.push_str(token);
                timed(&mut || {
                    container.set_text_content(None);
                    append_nodes(&container, &render_markdown(&so_far), &document, &labels);
                });
            }
        }
        "once" => {
            let whole = tokens.concat();
            timed(&mut || {
                append_nodes(&container, &render_markdown(&whole), &document, &labels);
            });
        }
        other => return Err(JsError::new(&format!("bench_render_stream: unknown mode {other:?}")).into()),
    }
    let started = performance.now();
    let height = container.dyn_ref::<web_sys::HtmlElement>().map_or(0, |element| element.offset_height());
    let layout_ms = performance.now() - started;
    let total_ms: f64 = deltas.iter().sum();
    let longest_delta_ms = deltas.iter().copied().fold(0.0, f64::max);
    let report = serde_json::json!({
        "total_ms": total_ms,
        "longest_delta_ms": longest_delta_ms,
        "deltas": deltas.len(),
        "layout_ms": layout_ms,
        "height": height,
    });
    js_sys::JSON::parse(&report.to_string())
}

/// Benchmark only (`cargo xtask bench panel`): the panel's own streaming
/// path, a [`crate::ui::markdown_dom::FramedMarkdown`] that renders once per
/// animation frame, driven from JavaScript one token per task.
#[wasm_bindgen]
pub struct BenchFramedRender {
    framed: crate::ui::markdown_dom::FramedMarkdown,
}

#[wasm_bindgen]
impl BenchFramedRender {
    /// Renders into `container`.
    #[wasm_bindgen(constructor)]
    pub fn new(container: web_sys::Element) -> BenchFramedRender {
        let labels = crate::ui::markdown_dom::DomLabels { copy: "Copy".into() };
        BenchFramedRender { framed: crate::ui::markdown_dom::FramedMarkdown::new(container, labels) }
    }

    /// One delta of the stream.
    pub fn push(&self, delta: &str) {
        self.framed.push(delta);
    }

    /// The end of the stream.
    pub fn finish(&self) {
        self.framed.finish();
    }

    /// `[total render ms, longest render ms, renders]`.
    pub fn stats(&self) -> Vec<f64> {
        let (total, longest, renders) = self.framed.render_stats();
        vec![total, longest, f64::from(renders)]
    }
}
