//! The history view: past conversations by recency, searchable, reopenable, deletable and exportable.

use super::panel::{PanelState, View};
use crate::history::{export_json, export_markdown, HistoryEntry};
use crate::i18n::UiText;
use crate::platform::download::save_text_file;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The most conversations listed at once.
const LIST_LIMIT: usize = 200;

/// A file name for an export: the title's letters, digits and CJK, or "conversation".
fn file_stem(title: &str) -> String {
    let stem: String = title
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let stem: String = stem.chars().take(60).collect();
    if stem.is_empty() {
        "conversation".into()
    } else {
        stem
    }
}

#[component]
pub(crate) fn HistoryView() -> impl IntoView {
    let state = expect_context::<PanelState>();
    let t = move |key: UiText| move || state.t(key);
    let query = RwSignal::new(String::new());
    let entries = RwSignal::new(None::<Vec<HistoryEntry>>);
    let refresh = move || {
        let text = query.get_untracked();
        spawn_local(async move {
            let Some(store) = state.history.with_value(Option::clone) else {
                entries.set(Some(Vec::new()));
                return;
            };
            let found =
                if text.trim().is_empty() { store.list_recent(LIST_LIMIT).await } else { store.search(&text).await };
            entries.set(Some(found.unwrap_or_default()));
        });
    };
    refresh();
    let open = move |id: String| {
        spawn_local(async move {
            let Some(store) = state.history.with_value(Option::clone) else { return };
            if let Ok(Some(conversation)) = store.get(&id).await {
                state.open_conversation(conversation);
            }
        });
    };
    let delete = move |id: String| {
        spawn_local(async move {
            let Some(store) = state.history.with_value(Option::clone) else { return };
            let _ = store.delete(&id).await;
            if state.conversation.with_untracked(|c| c.id == id) {
                state.new_chat();
                state.view.set(View::History);
            }
            refresh();
        });
    };
    let export_one = move |id: String| {
        spawn_local(async move {
            let Some(store) = state.history.with_value(Option::clone) else { return };
            if let Ok(Some(conversation)) = store.get(&id).await {
                let name = format!("{}.md", file_stem(&conversation.title()));
                let _ = save_text_file(&name, "text/markdown", &export_markdown(&conversation));
            }
        });
    };
    let export_all = move |_| {
        spawn_local(async move {
            let Some(store) = state.history.with_value(Option::clone) else { return };
            if let Ok(all) = store.all().await {
                let _ = save_text_file("pagewise-history.json", "application/json", &export_json(&all));
            }
        });
    };

    view! {
        <section class="history" aria-label=t(UiText::History)>
            <div class="history-header">
                <button type="button" class="link-button" on:click=move |_| state.view.set(View::Chat)>
                    "← "{t(UiText::CloseHistory)}
                </button>
                <button type="button" class="link-button" on:click=export_all>{t(UiText::ExportJson)}</button>
            </div>
            <input type="search" class="history-search" aria-label=t(UiText::SearchHistory)
                placeholder=t(UiText::SearchHistory)
                prop:value=move || query.get()
                on:input=move |ev| { query.set(event_target_value(&ev)); refresh(); }
                on:keydown=move |ev: web_sys::KeyboardEvent| if ev.key() == "Escape" { state.view.set(View::Chat) }/>
            <ul class="history-list">
                {move || {
                    let locale = state.locale.get();
                    match entries.get() {
                        None => view! { <li class="history-empty">{UiText::Loading.text(locale)}</li> }.into_any(),
                        Some(list) if list.is_empty() => {
                            let text = if query.with(|q| q.trim().is_empty()) { UiText::NoHistory } else { UiText::NoHistoryMatch };
                            view! { <li class="history-empty">{text.text(locale)}</li> }.into_any()
                        }
                        Some(list) => list
                            .into_iter()
                            .map(|entry| {
                                let (open_id, delete_id, export_id) = (entry.id.clone(), entry.id.clone(), entry.id.clone());
                                let current = state.conversation.with_untracked(|c| c.id == entry.id);
                                view! {
                                    <li class="history-item" class:current=current>
                                        <button type="button" class="history-open" on:click=move |_| open(open_id.clone())>
                                            <span class="history-title">{entry.title.clone()}</span>
                                            <span class="history-meta">{entry.url.clone()}</span>
                                            <span class="history-preview">{entry.preview.clone()}</span>
                                        </button>
                                        <div class="history-actions">
                                            <button type="button" class="link-button"
                                                aria-label=format!("{} {}", UiText::ExportMarkdown.text(locale), entry.title)
                                                on:click=move |_| export_one(export_id.clone())>
                                                {UiText::ExportMarkdown.text(locale)}
                                            </button>
                                            <button type="button" class="link-button danger"
                                                aria-label=format!("{} {}", UiText::DeleteConversation.text(locale), entry.title)
                                                on:click=move |_| delete(delete_id.clone())>
                                                {UiText::DeleteConversation.text(locale)}
                                            </button>
                                        </div>
                                    </li>
                                }
                            })
                            .collect_view()
                            .into_any(),
                    }
                }}
            </ul>
        </section>
    }
}
