//! The keyboard shortcuts section of the settings drawer: each command with its keys, and a button to the browser's shortcuts page.

use crate::i18n::{Locale, UiText};
use crate::platform::commands::{list_commands, open_shortcut_settings, CommandInfo};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub(crate) fn ShortcutsView(locale: Memo<Locale>) -> impl IntoView {
    let commands = RwSignal::new(Vec::<CommandInfo>::new());
    spawn_local(async move {
        if let Ok(list) = list_commands().await {
            commands.set(list);
        }
    });
    let t = move |key: UiText| move || key.text(locale.get());
    view! {
        <section class="shortcuts" aria-labelledby="shortcuts-title">
            <h3 id="shortcuts-title">{t(UiText::KeyboardShortcuts)}</h3>
            <dl class="shortcut-list">
                <For
                    each=move || commands.get()
                    key=|command| command.name.clone()
                    children=move |command| {
                        let keys = command.shortcut.clone();
                        view! {
                            <dt>{command.description.clone()}</dt>
                            <dd>
                                {if keys.is_empty() {
                                    view! { <span class="hint">{t(UiText::ShortcutNotSet)}</span> }.into_any()
                                } else {
                                    view! { <kbd>{keys}</kbd> }.into_any()
                                }}
                            </dd>
                        }
                    }
                />
            </dl>
            <button type="button" class="link-button" on:click=move |_| {
                spawn_local(async move {
                    let _ = open_shortcut_settings().await;
                });
            }>{t(UiText::ChangeShortcuts)}</button>
        </section>
    }
}
