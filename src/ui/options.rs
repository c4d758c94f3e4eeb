//! The options page: loads the settings, hosts the settings form and the actions editor, follows the interface language.

use super::actions_editor::ActionsEditor;
use super::settings_form::SettingsForm;
use super::sync_document_language;
use crate::i18n::settings_text::SettingsText;
use crate::i18n::Locale;
use crate::platform::browser_language;
use crate::platform::storage::{load_settings, StorageArea};
use crate::settings::Settings;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Mounts the options page into `<body>`.
pub fn mount() {
    leptos::mount::mount_to_body(Options);
}

#[component]
fn Options() -> impl IntoView {
    let settings = RwSignal::new(None::<Settings>);
    let load_error = RwSignal::new(None::<String>);
    let locale = Memo::new(move |_| {
        let setting = settings.with(|s| s.as_ref().map(|s| s.ui_language).unwrap_or_default());
        Locale::resolve(setting, &browser_language())
    });
    sync_document_language(locale);

    spawn_local(async move {
        let loaded = match StorageArea::local() {
            Ok(area) => load_settings(&area).await,
            Err(error) => Err(error),
        };
        match loaded {
            Ok(loaded) => settings.set(Some(loaded)),
            Err(error) => {
                load_error.set(Some(error.to_string()));
                settings.set(Some(Settings::default()));
            }
        }
    });

    view! {
        <main class="options">
            <h1>{move || SettingsText::OptionsTitle.text(locale.get())}</h1>
            <p class="status error" role="alert">{move || load_error.get()}</p>
            <SettingsForm settings=settings locale=locale/>
            <section class="settings-section actions-section" aria-labelledby="actions-heading">
                <h2 id="actions-heading">{move || SettingsText::ActionsSection.text(locale.get())}</h2>
                <ActionsEditor settings=settings locale=locale/>
            </section>
        </main>
    }
}
