//! The options page: the model endpoint and interface language, saved through the settings schema.

use super::sync_document_language;
use crate::i18n::{Locale, UiText};
use crate::platform::browser_language;
use crate::platform::origin_rewrite::{apply_origin_rewrite, request_local_endpoint_access};
use crate::platform::storage::{load_settings, save_settings, StorageArea};
use crate::settings::{validate_endpoint, EndpointForm, Settings, UiLanguage};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Mounts the options page into `<body>`.
pub fn mount() {
    leptos::mount::mount_to_body(Options);
}

/// The outcome of the last save, shown beside the button.
#[derive(Clone, PartialEq)]
enum SaveStatus {
    Idle,
    Saved,
    Failed(String),
}

#[component]
fn Options() -> impl IntoView {
    let stored = RwSignal::new(None::<Settings>);
    let base_url = RwSignal::new(String::new());
    let model = RwSignal::new(String::new());
    let api_key = RwSignal::new(String::new());
    let language = RwSignal::new(UiLanguage::Auto);
    let status = RwSignal::new(SaveStatus::Idle);
    let locale = Memo::new(move |_| Locale::resolve(language.get(), &browser_language()));
    sync_document_language(locale);

    spawn_local(async move {
        let loaded = match StorageArea::local() {
            Ok(area) => load_settings(&area).await,
            Err(error) => Err(error),
        };
        match loaded {
            Ok(settings) => {
                base_url.set(settings.endpoint.base_url.clone());
                model.set(settings.endpoint.model.clone());
                api_key.set(settings.endpoint.api_key.clone());
                language.set(settings.ui_language);
                stored.set(Some(settings));
            }
            Err(error) => {
                status.set(SaveStatus::Failed(error.to_string()));
                stored.set(Some(Settings::default()));
            }
        }
    });

    let save = move || {
        let form = EndpointForm {
            base_url: base_url.get_untracked(),
            model: model.get_untracked(),
            api_key: api_key.get_untracked(),
        };
        let endpoint = match validate_endpoint(&form) {
            Ok(endpoint) => endpoint,
            Err(error) => return status.set(SaveStatus::Failed(error.to_string())),
        };
        let mut settings = stored.get_untracked().unwrap_or_default();
        base_url.set(endpoint.base_url.clone());
        settings.endpoint = endpoint;
        settings.ui_language = language.get_untracked();
        spawn_local(async move {
            // Still inside the click's activation: ask for the local
            // endpoint now, if it needs the Origin rewrite. Saving goes on
            // either way; the doctor explains a refusal later.
            let base_url = settings.endpoint.base_url.clone();
            let _ = request_local_endpoint_access(&base_url).await;
            let saved = match StorageArea::local() {
                Ok(area) => save_settings(&area, &settings).await,
                Err(error) => Err(error),
            };
            match saved {
                Ok(()) => {
                    let _ = apply_origin_rewrite(&base_url).await;
                    stored.set(Some(settings));
                    status.set(SaveStatus::Saved);
                }
                Err(error) => status.set(SaveStatus::Failed(error.to_string())),
            }
        });
    };

    let t = move |key: UiText| move || key.text(locale.get());
    let language_option = move |value: UiLanguage, code: &'static str, label: Box<dyn Fn() -> String + Send + Sync>| {
        view! { <option value=code selected=move || language.get() == value>{label}</option> }
    };
    let loading = move || stored.with(Option::is_none);

    view! {
        <main class="options">
            <h1>{t(UiText::OptionsTitle)}</h1>
            <form novalidate on:submit=move |ev| { ev.prevent_default(); save(); }>
                <fieldset prop:disabled=loading>
                    <legend>{t(UiText::EndpointSection)}</legend>
                    <label for="base-url">{t(UiText::BaseUrl)}</label>
                    <input id="base-url" type="text" inputmode="url" spellcheck="false" autocomplete="off"
                        placeholder="http://127.0.0.1:11434/v1"
                        aria-describedby="base-url-hint"
                        prop:value=move || base_url.get()
                        on:input=move |ev| { base_url.set(event_target_value(&ev)); status.set(SaveStatus::Idle); }/>
                    <p class="hint" id="base-url-hint">{t(UiText::BaseUrlHint)}</p>
                    <label for="model">{t(UiText::Model)}</label>
                    <input id="model" type="text" spellcheck="false" autocomplete="off"
                        prop:value=move || model.get()
                        on:input=move |ev| { model.set(event_target_value(&ev)); status.set(SaveStatus::Idle); }/>
                    <label for="api-key">{t(UiText::ApiKey)}</label>
                    <input id="api-key" type="password" spellcheck="false" autocomplete="off"
                        aria-describedby="api-key-hint"
                        prop:value=move || api_key.get()
                        on:input=move |ev| { api_key.set(event_target_value(&ev)); status.set(SaveStatus::Idle); }/>
                    <p class="hint" id="api-key-hint">{t(UiText::ApiKeyHint)}</p>
                </fieldset>
                <fieldset prop:disabled=loading>
                    <label for="language">{t(UiText::Language)}</label>
                    <select id="language" on:change=move |ev| {
                        let value = match event_target_value(&ev).as_str() {
                            "en" => UiLanguage::En,
                            "zh_cn" => UiLanguage::ZhCn,
                            _ => UiLanguage::Auto,
                        };
                        language.set(value);
                        status.set(SaveStatus::Idle);
                    }>
                        {language_option(UiLanguage::Auto, "auto", Box::new(move || UiText::LanguageAuto.text(locale.get()).to_string()))}
                        {language_option(UiLanguage::En, "en", Box::new(|| "English".to_string()))}
                        {language_option(UiLanguage::ZhCn, "zh_cn", Box::new(|| "简体中文".to_string()))}
                    </select>
                </fieldset>
                <div class="form-actions">
                    <button type="submit" prop:disabled=loading>{t(UiText::Save)}</button>
                    <p class="status" role="status" class:error=move || matches!(status.get(), SaveStatus::Failed(_))>
                        {move || match status.get() {
                            SaveStatus::Idle => String::new(),
                            SaveStatus::Saved => UiText::Saved.text(locale.get()).to_string(),
                            SaveStatus::Failed(message) => message,
                        }}
                    </p>
                </div>
            </form>
        </main>
    }
}
