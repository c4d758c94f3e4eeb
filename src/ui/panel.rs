//! The side panel: page header, transcript, composer and the Summarize button.

use super::sync_document_language;
use crate::chat::{Role, Transcript, Turn};
use crate::i18n::{Locale, UiText};
use crate::platform::browser_language;
use crate::platform::storage::{load_settings, StorageArea};
use crate::platform::tabs::{active_tab, get_tab, pinned_tab_id, watch_tabs, TabInfo};
use crate::settings::Settings;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Mounts the panel into `<body>`.
pub fn mount() {
    leptos::mount::mount_to_body(Panel);
}

/// The tab this panel is about: the pinned one, or the active one.
async fn current_tab() -> Option<TabInfo> {
    match pinned_tab_id() {
        Some(id) => get_tab(id).await.ok(),
        None => active_tab().await.ok().flatten(),
    }
}

#[component]
fn Panel() -> impl IntoView {
    let settings = RwSignal::new(None::<Settings>);
    let page = RwSignal::new(None::<TabInfo>);
    let draft = RwSignal::new(String::new());
    let transcript = RwSignal::new(Transcript::default());
    let locale = Memo::new(move |_| {
        let setting = settings.with(|s| s.as_ref().map(|s| s.ui_language).unwrap_or_default());
        Locale::resolve(setting, &browser_language())
    });
    sync_document_language(locale);

    spawn_local(async move {
        let loaded = match StorageArea::local() {
            Ok(area) => load_settings(&area).await.unwrap_or_default(),
            Err(_) => Settings::default(),
        };
        settings.set(Some(loaded));
        page.set(current_tab().await);
    });
    if pinned_tab_id().is_none() {
        // Following the active tab is best effort: a panel opened outside
        // the extension has no tabs API and simply keeps its first page.
        let _ = watch_tabs(move || spawn_local(async move { page.set(current_tab().await) }));
    }

    let ready = move || settings.with(Option::is_some);
    let answer_notice = move || {
        let configured = settings.with(|s| s.as_ref().is_some_and(Settings::is_configured));
        if configured {
            UiText::AnswersNotYetAvailable
        } else {
            UiText::NotConfigured
        }
    };
    let send = move || {
        let text = draft.get_untracked();
        let notice = answer_notice().text(locale.get_untracked());
        transcript.update(|t| {
            if t.submit(&text).is_some() {
                t.notice(notice);
                draft.set(String::new());
            }
        });
    };
    let summarize = move || {
        let notice = answer_notice().text(locale.get_untracked());
        transcript.update(|t| {
            t.submit(UiText::SummarizePage.text(locale.get_untracked()));
            t.notice(notice);
        });
    };
    let t = move |key: UiText| move || key.text(locale.get());
    let title = move || {
        page.with(|p| p.as_ref().and_then(|p| p.title.clone()).filter(|s| !s.is_empty()))
            .unwrap_or_else(|| UiText::NoPage.text(locale.get()).to_string())
    };

    view! {
        <div class="panel">
            <header class="panel-header">
                <h1 class="page-title" title=title>{title}</h1>
                <a class="settings-link" href="options.html" target="_blank" aria-label=t(UiText::Settings)>
                    <span aria-hidden="true">"⚙"</span>
                    <span class="label">{t(UiText::Settings)}</span>
                </a>
            </header>
            <div class="transcript" role="log" aria-live="polite" aria-label=t(UiText::AppName)>
                <Show when=move || transcript.with(Transcript::is_empty)>
                    <div class="empty-state">
                        <p class="empty-title">{t(UiText::EmptyTranscriptTitle)}</p>
                        <p class="empty-hint">{t(UiText::EmptyTranscriptHint)}</p>
                    </div>
                </Show>
                <For
                    each=move || transcript.with(|t| t.turns().to_vec())
                    key=|turn| turn.id
                    children=move |turn| view! { <TurnView turn=turn locale=locale/> }
                />
            </div>
            <div class="actions">
                <button type="button" class="summarize" prop:disabled=move || !ready() on:click=move |_| summarize()>
                    {t(UiText::SummarizePage)}
                </button>
            </div>
            <form class="composer" on:submit=move |ev| { ev.prevent_default(); send(); }>
                <textarea
                    aria-label=t(UiText::Message)
                    placeholder=t(UiText::MessagePlaceholder)
                    rows="3"
                    prop:disabled=move || !ready()
                    prop:value=move || draft.get()
                    on:input=move |ev| draft.set(event_target_value(&ev))
                    on:keydown=move |ev: web_sys::KeyboardEvent| {
                        // Enter sends; Shift+Enter breaks the line; an IME
                        // composition (Chinese input) keeps its own Enter.
                        if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
                            ev.prevent_default();
                            send();
                        }
                    }
                ></textarea>
                <button type="submit" class="send" prop:disabled=move || !ready() || draft.with(|d| d.trim().is_empty())>
                    {t(UiText::Send)}
                </button>
            </form>
        </div>
    }
}

#[component]
fn TurnView(turn: Turn, locale: Memo<Locale>) -> impl IntoView {
    let class = match turn.role {
        Role::User => "turn turn-user",
        Role::Assistant => "turn turn-assistant",
        Role::Notice => "turn turn-notice",
    };
    let who = move || match turn.role {
        Role::User => UiText::You.text(locale.get()),
        Role::Assistant | Role::Notice => UiText::AppName.text(locale.get()),
    };
    view! {
        <div class=class>
            <div class="turn-author">{who}</div>
            <div class="turn-text">{turn.text}</div>
        </div>
    }
}
