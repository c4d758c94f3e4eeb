//! Building each browser's manifest.json from one base and a small per-browser overlay.

use serde_json::Value;

/// Merges `overlay` into `base`: objects merge key by key, arrays are joined
/// without duplicates (so an overlay adds a permission without repeating the
/// base list), a `null` deletes the key, and anything else replaces.
pub fn merge(base: &mut Value, overlay: &Value) {
    match (base, overlay) {
        (Value::Object(base), Value::Object(overlay)) => {
            for (key, value) in overlay {
                if value.is_null() {
                    base.remove(key);
                } else if let Some(existing) = base.get_mut(key) {
                    merge(existing, value);
                } else {
                    base.insert(key.clone(), value.clone());
                }
            }
        }
        (Value::Array(base), Value::Array(overlay)) => {
            for item in overlay {
                if !base.contains(item) {
                    base.push(item.clone());
                }
            }
        }
        (base, overlay) => *base = overlay.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn overlay_adds_replaces_joins_and_deletes() {
        let mut base = json!({
            "name": "a", "permissions": ["storage", "tabs"],
            "action": {"default_title": "t", "default_icon": "i"}, "gone": 1
        });
        let overlay = json!({
            "name": "b", "permissions": ["sidePanel", "storage"],
            "action": {"default_title": "u"}, "gone": null, "side_panel": {"default_path": "p"}
        });
        merge(&mut base, &overlay);
        assert_eq!(
            base,
            json!({
                "name": "b", "permissions": ["storage", "tabs", "sidePanel"],
                "action": {"default_title": "u", "default_icon": "i"}, "side_panel": {"default_path": "p"}
            })
        );
    }
}
