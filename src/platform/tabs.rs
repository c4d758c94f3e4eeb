//! Browser tabs: which page the panel is about.

use super::extension_api::{call_api, from_js, to_js};
use super::PlatformError;
use serde::Deserialize;
use wasm_bindgen::JsValue;

/// What the panel needs to know about a tab. Title and URL are only visible
/// once the user granted access (activeTab or a host permission).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TabInfo {
    /// The browser's tab id.
    pub id: Option<i64>,
    /// The window holding the tab.
    pub window_id: Option<i64>,
    /// The page title, when access was granted.
    pub title: Option<String>,
    /// The page URL, when access was granted.
    pub url: Option<String>,
}

/// Looks up one tab by id.
pub async fn get_tab(tab_id: i64) -> Result<TabInfo, PlatformError> {
    let tab = call_api(&["tabs"], "get", &[JsValue::from_f64(tab_id as f64)]).await?;
    from_js(tab, "a tab")
}

/// The active tab of the window the calling page belongs to, unless that is
/// one of our own pages (the panel popped out into a tab is not a web page).
pub async fn active_tab() -> Result<Option<TabInfo>, PlatformError> {
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Query {
        active: bool,
        current_window: bool,
    }
    let query = to_js(&Query { active: true, current_window: true }, "a tab query")?;
    let tabs = call_api(&["tabs"], "query", &[query]).await?;
    let tabs: Vec<TabInfo> = from_js(tabs, "tabs")?;
    let own_origin = web_sys::window().and_then(|window| window.location().origin().ok());
    Ok(tabs.into_iter().next().filter(|tab| match (&tab.url, &own_origin) {
        (Some(url), Some(origin)) => !url.starts_with(origin.as_str()),
        _ => true,
    }))
}

/// The tab a panel opened as `panel.html?tab=ID` is pinned to, if any.
pub fn pinned_tab_id() -> Option<i64> {
    let search = web_sys::window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    params.get("tab")?.parse().ok()
}

/// Calls `on_change` whenever the active tab changes or a tab finishes
/// loading or changes its title. The listeners live as long as the page.
pub fn watch_tabs(on_change: impl Fn() + 'static) -> Result<(), PlatformError> {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let callback = Closure::<dyn Fn()>::new(on_change);
    for event in ["onActivated", "onUpdated"] {
        let target = super::extension_api::namespace(&["tabs", event])?;
        let add: js_sys::Function = js_sys::Reflect::get(&target, &JsValue::from_str("addListener"))
            .ok()
            .and_then(|value| value.dyn_into().ok())
            .ok_or_else(|| PlatformError::Missing(format!("tabs.{event}.addListener")))?;
        add.call1(&target, callback.as_ref())
            .map_err(|error| PlatformError::failed(&format!("tabs.{event}.addListener"), error))?;
    }
    callback.forget();
    Ok(())
}
