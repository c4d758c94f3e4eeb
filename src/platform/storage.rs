//! Extension storage: typed reads and writes of settings and pending actions.
//!
//! Settings live in `storage.local` (never `storage.sync`, since they hold
//! the API key). Pending menu actions live in `storage.session`, which the
//! browser clears on restart and which survives the worker being stopped.

use super::extension_api::{call, from_js, namespace, to_js};
use super::PlatformError;
use crate::menu::{PendingAction, PendingQueue};
use crate::settings::{migrate, Settings};
use js_sys::{Object, Reflect};
use serde_json::Value;
use wasm_bindgen::JsValue;

/// One storage area: anything with the `StorageArea` promise API (get, set, remove).
#[derive(Clone, Debug)]
pub struct StorageArea {
    area: JsValue,
    name: String,
}

impl StorageArea {
    /// `chrome.storage.local`: persistent, this device only.
    pub fn local() -> Result<StorageArea, PlatformError> {
        Ok(StorageArea::wrap(namespace(&["storage", "local"])?, "storage.local"))
    }

    /// `chrome.storage.session`: in memory, cleared when the browser restarts.
    pub fn session() -> Result<StorageArea, PlatformError> {
        Ok(StorageArea::wrap(namespace(&["storage", "session"])?, "storage.session"))
    }

    /// Wraps any object implementing the `StorageArea` interface.
    pub fn wrap(area: JsValue, name: &str) -> StorageArea {
        StorageArea { area, name: name.to_string() }
    }

    /// Reads one key; `None` when it was never written.
    pub async fn read(&self, key: &str) -> Result<Option<Value>, PlatformError> {
        let items = call(&self.area, &self.name, "get", &[JsValue::from_str(key)]).await?;
        let value = Reflect::get(&items, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
        if value.is_undefined() {
            return Ok(None);
        }
        from_js(value, "a stored value").map(Some)
    }

    /// Writes one key.
    pub async fn write(&self, key: &str, value: &Value) -> Result<(), PlatformError> {
        let items = Object::new();
        Reflect::set(&items, &JsValue::from_str(key), &to_js(value, "a value to store")?)
            .map_err(|error| PlatformError::failed(&self.name, error))?;
        call(&self.area, &self.name, "set", &[items.into()]).await?;
        Ok(())
    }

    /// Deletes one key.
    pub async fn remove(&self, key: &str) -> Result<(), PlatformError> {
        call(&self.area, &self.name, "remove", &[JsValue::from_str(key)]).await?;
        Ok(())
    }
}

/// Loads settings, upgrading older records; a missing record yields defaults.
pub async fn load_settings(area: &StorageArea) -> Result<Settings, PlatformError> {
    let stored = area.read(Settings::STORAGE_KEY).await?;
    Ok(migrate(stored.as_ref()))
}

/// Saves the whole settings record.
pub async fn save_settings(area: &StorageArea, settings: &Settings) -> Result<(), PlatformError> {
    let value = serde_json::to_value(settings)
        .map_err(|error| PlatformError::Conversion { what: "settings", message: error.to_string() })?;
    area.write(Settings::STORAGE_KEY, &value).await
}

/// Adds an action for tab `tab_id` under a key of its own (see [`PendingQueue`]).
pub async fn queue_action(area: &StorageArea, tab_id: i64, action: PendingAction) -> Result<(), PlatformError> {
    thread_local! {
        static COUNTER: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    }
    // Microseconds of the clock plus a per-page counter: two actions in the
    // same millisecond still sort in the order they were queued.
    let count = COUNTER.with(|counter| {
        counter.set(counter.get() + 1);
        counter.get()
    });
    let stamp = (js_sys::Date::now() as u64).saturating_mul(1000) + count % 1000;
    let value = serde_json::to_value(&action)
        .map_err(|error| PlatformError::Conversion { what: "a pending action", message: error.to_string() })?;
    area.write(&PendingQueue::action_key(tab_id, stamp), &value).await
}

/// Removes and returns every action waiting for tab `tab_id`, oldest first.
pub async fn take_actions(area: &StorageArea, tab_id: i64) -> Result<PendingQueue, PlatformError> {
    let items = call(&area.area, &area.name, "get", &[JsValue::NULL]).await?;
    let entries: serde_json::Map<String, Value> = from_js(items, "stored items")?;
    let (queue, keys) = PendingQueue::from_entries(tab_id, &entries);
    if !keys.is_empty() {
        let keys = to_js(&keys, "keys to remove")?;
        call(&area.area, &area.name, "remove", &[keys]).await?;
    }
    Ok(queue)
}

/// Calls `on_change` whenever a key of the storage area `area_name`
/// (`"local"`, `"session"`) changes, with the changed keys. The listener
/// lives as long as the page.
pub fn watch_changes(area_name: &'static str, on_change: impl Fn(Vec<String>) + 'static) -> Result<(), PlatformError> {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let callback = Closure::<dyn Fn(JsValue, JsValue)>::new(move |changes: JsValue, area: JsValue| {
        if area.as_string().as_deref() == Some(area_name) {
            let keys =
                Object::keys(&changes.unchecked_into::<Object>()).iter().filter_map(|key| key.as_string()).collect();
            on_change(keys);
        }
    });
    let target = namespace(&["storage", "onChanged"])?;
    let add: js_sys::Function = Reflect::get(&target, &JsValue::from_str("addListener"))
        .ok()
        .and_then(|value| value.dyn_into().ok())
        .ok_or_else(|| PlatformError::Missing("storage.onChanged.addListener".into()))?;
    add.call1(&target, callback.as_ref())
        .map_err(|error| PlatformError::failed("storage.onChanged.addListener", error))?;
    callback.forget();
    Ok(())
}
