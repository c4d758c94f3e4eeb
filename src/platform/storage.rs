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

/// Appends an action to the queue of tab `tab_id`.
pub async fn queue_action(area: &StorageArea, tab_id: i64, action: PendingAction) -> Result<(), PlatformError> {
    let key = PendingQueue::storage_key(tab_id);
    let mut queue = PendingQueue::from_stored(area.read(&key).await?.as_ref());
    queue.push(action);
    let value = serde_json::to_value(&queue)
        .map_err(|error| PlatformError::Conversion { what: "pending actions", message: error.to_string() })?;
    area.write(&key, &value).await
}

/// Removes and returns every action waiting for tab `tab_id`, oldest first.
pub async fn take_actions(area: &StorageArea, tab_id: i64) -> Result<PendingQueue, PlatformError> {
    let key = PendingQueue::storage_key(tab_id);
    let queue = PendingQueue::from_stored(area.read(&key).await?.as_ref());
    if !queue.0.is_empty() {
        area.remove(&key).await?;
    }
    Ok(queue)
}
