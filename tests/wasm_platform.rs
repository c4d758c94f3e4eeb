//! Wasm tier: the platform adapters running in headless Chromium (`cargo xtask test wasm`).
//!
//! A plain test page has no `chrome.*` APIs, so the storage adapter is run
//! against a `StorageArea` backed by the page's real `localStorage`; the real
//! `chrome.storage` is covered by the end-to-end tier.
#![cfg(target_arch = "wasm32")]

use pagewise::menu::{ActionKind, PendingAction};
use pagewise::platform::extension_api::{namespace, to_js};
use pagewise::platform::storage::{load_settings, queue_action, save_settings, take_actions, StorageArea};
use pagewise::platform::PlatformError;
use pagewise::settings::{Settings, UiLanguage};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = "
export function local_storage_area(prefix) {
  localStorage.clear();
  return {
    // As chrome.storage: get(null) returns every item, remove takes a key or a list.
    async get(key) {
      if (key === null) {
        const all = {};
        for (const stored of Object.keys(localStorage).filter((k) => k.startsWith(prefix))) {
          all[stored.slice(prefix.length)] = JSON.parse(localStorage.getItem(stored));
        }
        return all;
      }
      const raw = localStorage.getItem(prefix + key);
      return raw === null ? {} : { [key]: JSON.parse(raw) };
    },
    async set(items) {
      for (const [key, value] of Object.entries(items)) localStorage.setItem(prefix + key, JSON.stringify(value));
    },
    async remove(keys) { for (const key of [keys].flat()) localStorage.removeItem(prefix + key); },
  };
}
export function json(value) { return JSON.stringify(value); }
")]
extern "C" {
    fn local_storage_area(prefix: &str) -> JsValue;
    fn json(value: &JsValue) -> String;
}

fn area(prefix: &str) -> StorageArea {
    StorageArea::wrap(local_storage_area(prefix), "test.local")
}

#[wasm_bindgen_test]
async fn settings_round_trip_through_storage() {
    let area = area("round-trip:");
    assert_eq!(load_settings(&area).await.unwrap(), Settings::default());
    let mut settings = Settings::default();
    settings.endpoint.base_url = "http://127.0.0.1:11434/v1".into();
    settings.endpoint.model = "qwen2.5:7b".into();
    settings.endpoint.api_key = "sk-密钥".into();
    settings.ui_language = UiLanguage::ZhCn;
    save_settings(&area, &settings).await.unwrap();
    assert_eq!(load_settings(&area).await.unwrap(), settings);
}

#[wasm_bindgen_test]
async fn a_corrupt_record_loads_as_defaults() {
    let area = area("corrupt:");
    area.write(Settings::STORAGE_KEY, &serde_json::json!([1, 2, 3])).await.unwrap();
    assert_eq!(load_settings(&area).await.unwrap(), Settings::default());
}

#[wasm_bindgen_test]
async fn pending_actions_queue_in_order_and_drain_once() {
    let area = area("queue:");
    let action = |kind, id: &str| PendingAction {
        kind,
        menu_item_id: id.into(),
        selection: None,
        page_url: None,
        target_url: None,
    };
    queue_action(&area, 7, action(ActionKind::SummarizePage, "summarize-page")).await.unwrap();
    queue_action(&area, 7, action(ActionKind::ExplainSelection, "explain-selection")).await.unwrap();
    queue_action(&area, 8, action(ActionKind::SummarizePage, "summarize-page")).await.unwrap();
    let drained = take_actions(&area, 7).await.unwrap();
    let ids: Vec<_> = drained.0.iter().map(|a| a.menu_item_id.as_str()).collect();
    assert_eq!(ids, ["summarize-page", "explain-selection"]);
    assert!(take_actions(&area, 7).await.unwrap().0.is_empty());
    assert_eq!(take_actions(&area, 8).await.unwrap().0.len(), 1);
}

#[wasm_bindgen_test]
fn values_cross_to_js_as_plain_objects_not_maps() {
    let value = serde_json::json!({"endpoint": {"model": "m"}, "list": [1]});
    let js = to_js(&value, "test value").unwrap();
    assert_eq!(json(&js), r#"{"endpoint":{"model":"m"},"list":[1]}"#);
}

#[wasm_bindgen_test]
fn a_missing_extension_api_is_a_typed_error() {
    // Chromium defines `window.chrome` on every page, but not its extension APIs.
    let error = namespace(&["storage", "local"]).unwrap_err();
    assert!(
        matches!(&error, PlatformError::Missing(path) if path == "chrome" || path == "chrome.storage"),
        "{error:?}"
    );
    assert!(error.to_string().contains("is not available in this context"));
    assert!(StorageArea::local().is_err());
}
