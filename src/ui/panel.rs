//! The side panel's root: its state, layout and keyboard shortcuts; the parts live in `transcript`, `context_chip`, `answering` and `history_view`.

use super::answering::{ask, stop_answer, AskKind};
use super::context_chip::{CaptureStatus, ContextChip};
use super::history_view::HistoryView;
use super::markdown_dom::FramedMarkdown;
use super::reading_in_parts::ReadingProgress;
use super::settings_form::SettingsForm;
use super::setup_card::SetupCard;
use super::shortcuts_view::ShortcutsView;
use super::sync_document_language;
use super::transcript::MessageView;
use crate::chat::{Conversation, Task};
use crate::i18n::{Locale, UiText};
use crate::menu::PendingQueue;
use crate::platform::history_store::HistoryStore;
use crate::platform::model_fetch::Abort;
use crate::platform::model_fetch::{fetch_context_window, FetchOptions};
use crate::platform::storage::{load_settings, take_actions, watch_changes, StorageArea};
use crate::platform::tabs::{active_tab, get_tab, pinned_tab_id, watch_tabs, TabInfo};
use crate::platform::{browser_language, now_ms, random_id};
use crate::prompt::PromptReport;
use crate::provider::model_info::server_kind;
use crate::settings::Settings;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::HashMap;
use std::rc::Rc;

/// Where the unsent draft is kept, so closing the panel loses nothing.
const DRAFT_KEY: &str = "draft";
/// Where the open conversation's id is kept, so reopening the panel shows it.
const CURRENT_CONVERSATION_KEY: &str = "current_conversation";

/// Mounts the panel into `<body>`.
pub fn mount() {
    leptos::mount::mount_to_body(Panel);
}

/// Which view fills the panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum View {
    Chat,
    History,
}

/// Everything the panel's parts share. All fields are handles, so it is `Copy`.
#[derive(Clone, Copy)]
pub(crate) struct PanelState {
    pub settings: RwSignal<Option<Settings>>,
    pub locale: Memo<Locale>,
    pub tab: RwSignal<Option<TabInfo>>,
    pub conversation: RwSignal<Conversation>,
    pub capture: RwSignal<CaptureStatus>,
    /// False after the user removed the page from the context.
    pub include_page: RwSignal<bool>,
    pub draft: RwSignal<String>,
    /// The Stop handle of the answer streaming now.
    pub abort: StoredValue<Option<Abort>, LocalStorage>,
    pub streaming: RwSignal<bool>,
    /// True from a request's start (reading the page) to its end: one at a time.
    pub busy: StoredValue<bool>,
    /// The incremental renderers of the assistant messages on screen, by message id.
    pub live: StoredValue<HashMap<u64, FramedMarkdown>, LocalStorage>,
    pub report: RwSignal<Option<PromptReport>>,
    /// The last request's prompt as text, for the "prompt sent" view.
    pub last_prompt: RwSignal<Option<String>>,
    /// A summary reading a long page in parts: how far it got.
    pub progress: RwSignal<Option<ReadingProgress>>,
    /// The context window the model's server reported, keyed by "base URL|model".
    pub reported_window: RwSignal<Option<(String, u32)>>,
    pub view: RwSignal<View>,
    pub drawer_open: RwSignal<bool>,
    pub history: StoredValue<Option<Rc<HistoryStore>>, LocalStorage>,
    /// A problem worth a line under the composer (draft or history storage failing).
    pub status_line: RwSignal<Option<String>>,
    /// Follow the bottom of the transcript while an answer streams.
    pub stick_to_bottom: StoredValue<bool>,
    pub transcript_ref: NodeRef<leptos::html::Div>,
    /// The conversation id last written as the open one.
    pub remembered: StoredValue<String>,
    pub composer_ref: NodeRef<leptos::html::Textarea>,
}

impl PanelState {
    /// The string in the interface language, tracked.
    pub fn t(self, key: UiText) -> &'static str {
        key.text(self.locale.get())
    }

    /// Saves the conversation to history (if it has anything in it).
    pub fn save_conversation(self) {
        let conversation = self.conversation.get_untracked();
        if conversation.is_empty() {
            return;
        }
        spawn_local(async move {
            let store = self.history.with_value(Option::clone);
            let Some(store) = store else { return };
            if store.put(&conversation).await.is_err() {
                self.status_line.set(Some(UiText::HistorySaveFailed.text(self.locale.get_untracked()).to_string()));
            }
        });
        self.remember_current();
    }

    /// Records which conversation is open, so reopening the panel shows it;
    /// written only when it changes, not at every save.
    fn remember_current(self) {
        let id = self.conversation.with_untracked(|c| c.id.clone());
        if self.remembered.with_value(|remembered| remembered == &id) {
            return;
        }
        self.remembered.set_value(id.clone());
        spawn_local(async move {
            if let Ok(area) = StorageArea::local() {
                let _ = area.write(CURRENT_CONVERSATION_KEY, &serde_json::Value::String(id)).await;
            }
        });
    }

    /// Replaces the conversation on screen (new chat, or one from history).
    pub fn open_conversation(self, mut conversation: Conversation) {
        if self.streaming.get_untracked() {
            stop_answer(self);
        }
        conversation.settle_interrupted();
        self.live.update_value(HashMap::clear);
        self.include_page.set(true);
        self.report.set(None);
        self.last_prompt.set(None);
        self.capture.set(if conversation.page.is_some() { CaptureStatus::Ready } else { CaptureStatus::Idle });
        self.conversation.set(conversation);
        self.view.set(View::Chat);
        self.remember_current();
    }

    /// Starts a fresh conversation about the current tab.
    pub fn new_chat(self) {
        self.open_conversation(Conversation::new(random_id(), now_ms()));
    }

    /// Scrolls the transcript to its end when the reader is already there.
    pub fn follow_stream(self) {
        if !self.stick_to_bottom.get_value() {
            return;
        }
        if let Some(transcript) = self.transcript_ref.get_untracked() {
            transcript.set_scroll_top(transcript.scroll_height());
        }
    }
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
    let locale = Memo::new(move |_| {
        let setting = settings.with(|s| s.as_ref().map(|s| s.ui_language).unwrap_or_default());
        Locale::resolve(setting, &browser_language())
    });
    sync_document_language(locale);
    let state = PanelState {
        settings,
        locale,
        tab: RwSignal::new(None),
        conversation: RwSignal::new(Conversation::new(random_id(), now_ms())),
        capture: RwSignal::new(CaptureStatus::Idle),
        include_page: RwSignal::new(true),
        draft: RwSignal::new(String::new()),
        abort: StoredValue::new_local(None),
        streaming: RwSignal::new(false),
        busy: StoredValue::new(false),
        live: StoredValue::new_local(HashMap::new()),
        report: RwSignal::new(None),
        last_prompt: RwSignal::new(None),
        progress: RwSignal::new(None),
        reported_window: RwSignal::new(None),
        view: RwSignal::new(View::Chat),
        drawer_open: RwSignal::new(false),
        history: StoredValue::new_local(None),
        status_line: RwSignal::new(None),
        stick_to_bottom: StoredValue::new(true),
        transcript_ref: NodeRef::new(),
        remembered: StoredValue::new(String::new()),
        composer_ref: NodeRef::new(),
    };
    provide_context(state);

    spawn_local(async move {
        let area = StorageArea::local().ok();
        let loaded = match &area {
            Some(area) => load_settings(area).await.unwrap_or_default(),
            None => Settings::default(),
        };
        settings.set(Some(loaded));
        state.tab.set(current_tab().await);
        if let Some(area) = &area {
            if let Ok(Some(serde_json::Value::String(draft))) = area.read(DRAFT_KEY).await {
                if state.draft.get_untracked().is_empty() {
                    state.draft.set(draft);
                }
            }
        }
        let store = HistoryStore::open().await.ok().map(Rc::new);
        let current = match (&area, &store) {
            (Some(area), Some(store)) => match area.read(CURRENT_CONVERSATION_KEY).await {
                Ok(Some(serde_json::Value::String(id))) => store.get(&id).await.ok().flatten(),
                _ => None,
            },
            _ => None,
        };
        state.history.set_value(store);
        // Reopen the last conversation when it is about the page in view
        // (or about no page): closing and reopening the panel loses nothing.
        if let Some(conversation) = current {
            let tab_url = state.tab.with_untracked(|tab| tab.as_ref().and_then(|tab| tab.url.clone()));
            let same_page = conversation.page.as_ref().is_none_or(|page| Some(&page.url) == tab_url.as_ref());
            if same_page && state.conversation.with_untracked(Conversation::is_empty) {
                state.open_conversation(conversation);
            }
        }
    });
    // Actions handed over by the worker (a context-menu click or the
    // Summarize command) wait in storage.session for this tab's panel.
    // One taker at a time: a change that arrives while taking is taken after.
    let (taking, again) = (StoredValue::new(false), StoredValue::new(false));
    let take_pending = move || {
        if taking.get_value() {
            again.set_value(true);
            return;
        }
        taking.set_value(true);
        spawn_local(async move {
            loop {
                again.set_value(false);
                let tab_id = state.tab.with_untracked(|tab| tab.as_ref().and_then(|tab| tab.id));
                let queue = match (tab_id, StorageArea::session()) {
                    (Some(tab_id), Ok(session)) => take_actions(&session, tab_id).await.unwrap_or_default(),
                    _ => PendingQueue::default(),
                };
                for action in queue.0 {
                    super::menu_actions::run_pending(state, &action).await;
                }
                if !again.get_value() {
                    break;
                }
            }
            taking.set_value(false);
        });
    };
    // Settings saved elsewhere (the options page, another panel) apply here at once.
    let _ = watch_changes("local", move |keys| {
        if keys.iter().any(|key| key == Settings::STORAGE_KEY) {
            spawn_local(async move {
                if let Ok(area) = StorageArea::local() {
                    if let Ok(loaded) = load_settings(&area).await {
                        if settings.with_untracked(|current| current.as_ref() != Some(&loaded)) {
                            settings.set(Some(loaded));
                        }
                    }
                }
            });
        }
    });
    let _ = watch_changes("session", move |keys| {
        let mine = state.tab.with_untracked(|tab| tab.as_ref().and_then(|tab| tab.id)).map(PendingQueue::key_prefix);
        if mine.is_some_and(|prefix| keys.iter().any(|key| key.starts_with(&prefix))) {
            take_pending();
        }
    });
    Effect::new(move |_| {
        if state.settings.with(Option::is_some) && state.tab.with(|tab| tab.as_ref().and_then(|tab| tab.id).is_some()) {
            take_pending();
        }
    });
    // The model's context window, as its server reports it (Ollama's num_ctx,
    // llama.cpp's n_ctx, a model list's context_length), once per endpoint and model.
    Effect::new(move |_| {
        let Some(settings) = state.settings.get() else { return };
        let Some(endpoint) = settings.endpoint() else { return };
        let key = format!("{}|{}", endpoint.base_url, settings.endpoint.model);
        if state.reported_window.with_untracked(|known| known.as_ref().is_some_and(|(known, _)| known == &key)) {
            return;
        }
        spawn_local(async move {
            let kind = server_kind(&settings.endpoint.preset, &endpoint);
            let fetch = FetchOptions::from(&settings.network);
            let window = fetch_context_window(&endpoint, kind, &settings.endpoint.model, fetch).await;
            state.reported_window.set(window.map(|window| (key, window)));
        });
    });
    // Following the tab (the active one, or the pinned one as it navigates)
    // is best effort: a panel opened outside the extension has no tabs API
    // and simply keeps its first page.
    let _ = watch_tabs(move || {
        spawn_local(async move {
            let tab = current_tab().await;
            if state.tab.with_untracked(|current| current != &tab) {
                state.tab.set(tab);
            }
        })
    });

    // The draft is written a moment after typing stops, and survives the panel closing.
    let draft_timer = StoredValue::new_local(None::<gloo::timers::callback::Timeout>);
    Effect::new(move |previous: Option<()>| {
        let text = state.draft.get();
        if previous.is_none() {
            return;
        }
        let timeout = gloo::timers::callback::Timeout::new(250, move || {
            spawn_local(async move {
                let saved = match StorageArea::local() {
                    Ok(area) => area.write(DRAFT_KEY, &serde_json::Value::String(text)).await.is_ok(),
                    Err(_) => false,
                };
                if !saved {
                    state.status_line.set(Some(UiText::DraftSaveFailed.text(state.locale.get_untracked()).into()));
                }
            });
        });
        draft_timer.set_value(Some(timeout));
    });

    // Alt+Shift+S summarizes from anywhere in the panel.
    let shortcut = window_event_listener(leptos::ev::keydown, move |event| {
        if event.alt_key() && event.shift_key() && event.code() == "KeyS" {
            event.prevent_default();
            ask(state, AskKind::Task(Task::Summarize));
        }
    });
    on_cleanup(move || shortcut.remove());

    let ready = move || settings.with(Option::is_some);
    let configured = move || settings.with(|s| s.as_ref().is_some_and(Settings::is_configured));
    let t = move |key: UiText| move || state.t(key);
    let title = move || {
        let tab_title = state.tab.with(|tab| tab.as_ref().and_then(|tab| tab.title.clone()).filter(|s| !s.is_empty()));
        tab_title.unwrap_or_else(|| UiText::NoPage.text(locale.get()).to_string())
    };
    let send = move || {
        // While a request runs the draft stays in the composer: nothing typed is lost.
        if state.streaming.get_untracked() || state.busy.get_value() {
            return;
        }
        let text = state.draft.get_untracked();
        if text.trim().is_empty() {
            return;
        }
        state.draft.set(String::new());
        ask(state, AskKind::Message(text));
    };
    let on_setup_done = Callback::new(move |saved: Settings| settings.set(Some(saved)));
    let on_settings_saved = Callback::new(move |saved: Settings| settings.set(Some(saved)));

    view! {
        <div class="panel">
            <header class="panel-header">
                <button type="button" class="icon-button" aria-label=t(UiText::NewChat) title=t(UiText::NewChat)
                    on:click=move |_| state.new_chat()>
                    <svg class="icon" width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M12 5v14M5 12h14"/></svg>
                </button>
                <h1 class="page-title" title=title>{title}</h1>
                <button type="button" class="icon-button" aria-label=t(UiText::History) title=t(UiText::History)
                    aria-pressed=move || (state.view.get() == View::History).to_string()
                    on:click=move |_| state.view.update(|view| *view = if *view == View::History { View::Chat } else { View::History })>
                    <svg class="icon" width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 2"/></svg>
                </button>
                <button type="button" class="icon-button settings-link" aria-label=t(UiText::Settings) title=t(UiText::Settings)
                    aria-expanded=move || state.drawer_open.get().to_string()
                    on:click=move |_| state.drawer_open.update(|open| *open = !*open)>
                    <span aria-hidden="true">"⚙"</span>
                </button>
            </header>
            <Show when=move || state.view.get() == View::History>
                <HistoryView/>
            </Show>
            <div class="chat" class:hidden=move || state.view.get() != View::Chat>
                <Show when=move || ready() && !configured()>
                    <SetupCard settings=settings locale=locale on_done=on_setup_done/>
                </Show>
                <ContextChip/>
                <div class="transcript" role="log" aria-live="polite" aria-label=t(UiText::AppName)
                    node_ref=state.transcript_ref
                    on:scroll=move |_| {
                        if let Some(el) = state.transcript_ref.get_untracked() {
                            let gap = el.scroll_height() - el.scroll_top() - el.client_height();
                            state.stick_to_bottom.set_value(gap < 48);
                        }
                    }>
                    <Show when=move || state.conversation.with(Conversation::is_empty)>
                        <div class="empty-state">
                            <p class="empty-title">{t(UiText::EmptyTranscriptTitle)}</p>
                            <p class="empty-hint">{t(UiText::EmptyTranscriptHint)}</p>
                        </div>
                    </Show>
                    <For
                        each=move || state.conversation.with(|c| c.messages.iter().map(|m| m.id).collect::<Vec<_>>())
                        key=|id| *id
                        children=move |id| view! { <MessageView id=id/> }
                    />
                </div>
                {move || state.progress.get().map(|progress| {
                    let label = crate::i18n::context_text::progress_label(
                        progress.done, progress.total, progress.combining, locale.get());
                    view! {
                        <div class="reading-progress" role="status">
                            <progress max=progress.total.to_string() value=progress.done.to_string()
                                aria-label=label.clone()></progress>
                            <span>{label}</span>
                        </div>
                    }
                })}
                <div class="actions" role="toolbar" aria-label=t(UiText::AppName)>
                    <button type="button" class="summarize primary" title="Alt+Shift+S"
                        prop:disabled=move || !ready() || state.streaming.get()
                        on:click=move |_| ask(state, AskKind::Task(Task::Summarize))>
                        {t(UiText::SummarizePage)}
                    </button>
                    <button type="button" class="quick" prop:disabled=move || !ready() || state.streaming.get()
                        on:click=move |_| ask(state, AskKind::Task(Task::KeyPoints))>{t(UiText::KeyPoints)}</button>
                    <button type="button" class="quick" prop:disabled=move || !ready() || state.streaming.get()
                        on:click=move |_| ask(state, AskKind::Task(Task::ExplainSimply))>{t(UiText::ExplainSimply)}</button>
                    <button type="button" class="quick" prop:disabled=move || !ready() || state.streaming.get()
                        on:click=move |_| ask(state, AskKind::Task(Task::TranslatePage))>{t(UiText::TranslatePage)}</button>
                    <button type="button" class="quick" prop:disabled=move || !ready() || state.streaming.get()
                        on:click=move |_| ask(state, AskKind::Task(Task::AskSelection))>{t(UiText::AskSelection)}</button>
                </div>
                <form class="composer" on:submit=move |ev| { ev.prevent_default(); send(); }>
                    <textarea node_ref=state.composer_ref
                        aria-label=t(UiText::Message)
                        placeholder=t(UiText::MessagePlaceholder)
                        rows="3"
                        prop:disabled=move || !ready()
                        prop:value=move || state.draft.get()
                        on:input=move |ev| state.draft.set(event_target_value(&ev))
                        on:keydown=move |ev: web_sys::KeyboardEvent| {
                            // Enter sends; Shift+Enter breaks the line; an IME
                            // composition (Chinese input) keeps its own Enter.
                            if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
                                ev.prevent_default();
                                send();
                            } else if ev.key() == "Escape" && state.streaming.get_untracked() {
                                ev.prevent_default();
                                stop_answer(state);
                            }
                        }
                    ></textarea>
                    <Show
                        when=move || state.streaming.get()
                        fallback=move || view! {
                            <button type="submit" class="send primary"
                                prop:disabled=move || !ready() || state.draft.with(|d| d.trim().is_empty())>
                                {t(UiText::Send)}
                            </button>
                        }
                    >
                        <button type="button" class="stop" on:click=move |_| stop_answer(state)>{t(UiText::Stop)}</button>
                    </Show>
                </form>
                <Show when=move || state.status_line.with(Option::is_some)>
                    <p class="status-line" role="status">{move || state.status_line.get().unwrap_or_default()}</p>
                </Show>
            </div>
            <Show when=move || state.drawer_open.get()>
                <aside class="drawer" aria-label=t(UiText::Settings)
                    on:keydown=move |ev: web_sys::KeyboardEvent| {
                        if ev.key() == "Escape" { state.drawer_open.set(false); }
                    }>
                    <div class="drawer-header">
                        <h2>{t(UiText::Settings)}</h2>
                        <a href="options.html" target="_blank" class="more-settings">{t(UiText::MoreSettings)}</a>
                        <button type="button" class="icon-button" aria-label=t(UiText::CloseSettings)
                            on:click=move |_| state.drawer_open.set(false)>
                            <span aria-hidden="true">"✕"</span>
                        </button>
                    </div>
                    <SettingsForm settings=settings locale=locale on_saved=on_settings_saved/>
                    <ShortcutsView locale=locale/>
                </aside>
            </Show>
        </div>
    }
}
