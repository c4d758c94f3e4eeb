//! One message of the transcript: the user's words (editable), the model's answer rendered safely as it streams, reasoning collapsed, and its actions (copy, regenerate, retry).

use super::answering::{ask, AskKind};
use super::markdown_dom::{DomLabels, FramedMarkdown};
use super::panel::PanelState;
use crate::chat::{MessageState, Role};
use crate::context_fit::{Coverage, SectionRef};
use crate::i18n::context_text::{answer_source_line, cut_prompt_warning, more_sections, trimmed_chat_divider};
use crate::i18n::UiText;
use crate::platform::clipboard::copy_text;
use crate::platform::section_scroll::scroll_to_section;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub(crate) fn MessageView(id: u64) -> impl IntoView {
    let state = expect_context::<PanelState>();
    let role = state.conversation.with_untracked(|c| c.message(id).map(|m| m.role)).unwrap_or(Role::Notice);
    let class = match role {
        Role::User => "turn turn-user",
        Role::Assistant => "turn turn-assistant",
        Role::Notice => "turn turn-notice",
    };
    let who = move || match role {
        Role::User => state.t(UiText::You),
        Role::Assistant | Role::Notice => state.t(UiText::AppName),
    };
    // The oldest message the last answer's request still carried, when older ones were left out.
    let first_sent = Memo::new(move |_| {
        state.conversation.with(|c| {
            c.messages.iter().rev().find_map(|m| m.context.as_ref()).and_then(|context| context.first_sent_message)
        })
    });
    view! {
        <Show when=move || first_sent.get() == Some(id)>
            <div class="trimmed-divider" role="note">{move || trimmed_chat_divider(state.locale.get())}</div>
        </Show>
        // aria-busy while streaming: screen readers announce the answer once it is whole.
        <article class=class aria-label=who aria-busy=move || state.conversation.with(|c| {
            c.message(id).is_some_and(|m| m.state == MessageState::Streaming)
        }).to_string()>
            <div class="turn-author" aria-hidden="true">{who}</div>
            {match role {
                Role::User => view! { <UserBody id=id/> }.into_any(),
                Role::Assistant => view! { <AnswerBody id=id/> }.into_any(),
                Role::Notice => {
                    let text = state.conversation.with_untracked(|c| c.message(id).map(|m| m.text.clone()));
                    view! { <div class="turn-text">{text}</div> }.into_any()
                }
            }}
        </article>
    }
}

/// Copies `text` and briefly says so on the button.
fn copy_with_feedback(text: String, copied: RwSignal<bool>) {
    spawn_local(async move {
        if copy_text(&text).await.is_ok() {
            copied.set(true);
            gloo::timers::callback::Timeout::new(1_500, move || copied.set(false)).forget();
        }
    });
}

#[component]
fn UserBody(id: u64) -> impl IntoView {
    let state = expect_context::<PanelState>();
    let text =
        Memo::new(move |_| state.conversation.with(|c| c.message(id).map(|m| m.text.clone()).unwrap_or_default()));
    let editing = RwSignal::new(None::<String>);
    let copied = RwSignal::new(false);
    let t = move |key: UiText| move || state.t(key);
    let save_edit = move || {
        if let Some(edited) = editing.get_untracked() {
            if !edited.trim().is_empty() {
                editing.set(None);
                ask(state, AskKind::Edited { id, text: edited });
            }
        }
    };
    view! {
        <Show
            when=move || editing.with(Option::is_some)
            fallback=move || view! {
                <div class="turn-text user-text">{move || text.get()}</div>
                <div class="turn-actions">
                    <button type="button" class="link-button" prop:disabled=move || state.streaming.get()
                        on:click=move |_| editing.set(Some(text.get_untracked()))>{t(UiText::Edit)}</button>
                    <button type="button" class="link-button" on:click=move |_| copy_with_feedback(text.get_untracked(), copied)>
                        {move || if copied.get() { state.t(UiText::Copied) } else { state.t(UiText::Copy) }}
                    </button>
                </div>
            }
        >
            <div class="edit-box">
                <textarea aria-label=t(UiText::Edit) rows="3"
                    prop:value=move || editing.get().unwrap_or_default()
                    on:input=move |ev| editing.set(Some(event_target_value(&ev)))
                    on:keydown=move |ev: web_sys::KeyboardEvent| {
                        if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
                            ev.prevent_default();
                            save_edit();
                        } else if ev.key() == "Escape" {
                            ev.prevent_default();
                            editing.set(None);
                        }
                    }></textarea>
                <div class="turn-actions">
                    <button type="button" class="primary" on:click=move |_| save_edit()>{t(UiText::SaveAndSend)}</button>
                    <button type="button" on:click=move |_| editing.set(None)>{t(UiText::Cancel)}</button>
                </div>
            </div>
        </Show>
    }
}

#[component]
fn AnswerBody(id: u64) -> impl IntoView {
    let state = expect_context::<PanelState>();
    let t = move |key: UiText| move || state.t(key);
    let message_state =
        Memo::new(move |_| state.conversation.with(|c| c.message(id).map(|m| m.state.clone()).unwrap_or_default()));
    let reasoning = Memo::new(move |_| state.conversation.with(|c| c.message(id).map(|m| m.reasoning.clone())));
    let is_last = Memo::new(move |_| state.conversation.with(|c| c.messages.last().map(|m| m.id) == Some(id)));
    let copied = RwSignal::new(false);
    let body = NodeRef::<leptos::html::Div>::new();

    // The renderer is made once the body is in the document; it starts from
    // the text so far (a stored answer, or the deltas that came first) and
    // then takes each delta from the stream.
    body.on_load(move |element| {
        let labels = DomLabels { copy: UiText::CopyCode.text(state.locale.get_untracked()).to_string() };
        let live = FramedMarkdown::new((*element).clone().into(), labels);
        live.on_render(move || state.follow_stream());
        let (text, streaming) = state.conversation.with_untracked(|c| {
            c.message(id).map(|m| (m.text.clone(), m.state == MessageState::Streaming)).unwrap_or_default()
        });
        if streaming {
            live.push(&text);
        } else {
            live.set_text(&text);
        }
        state.live.update_value(|all| {
            all.insert(id, live);
        });
    });
    on_cleanup(move || {
        state.live.try_update_value(|all| all.remove(&id));
    });

    let copy = move |_| {
        let text = state.conversation.with_untracked(|c| c.message(id).map(|m| m.text.clone()).unwrap_or_default());
        copy_with_feedback(text, copied);
    };
    view! {
        <Show when=move || reasoning.with(|r| r.as_ref().is_some_and(|r| !r.is_empty()))>
            <details class="reasoning">
                <summary>{t(UiText::Reasoning)}</summary>
                <div class="reasoning-text">{move || reasoning.get().unwrap_or_default()}</div>
            </details>
        </Show>
        <div class="turn-text answer markdown" node_ref=body></div>
        {move || match message_state.get() {
            MessageState::Streaming => view! {
                <div class="turn-status streaming" aria-hidden="true"><span class="dot"></span></div>
            }.into_any(),
            MessageState::Stopped => view! {
                <div class="turn-status stopped">{t(UiText::Stopped)}</div>
            }.into_any(),
            MessageState::Failed { advice, .. } => view! {
                <div class="turn-error" role="alert">
                    <p class="advice">{advice}</p>
                    <button type="button" class="primary retry" prop:disabled=move || state.streaming.get()
                        on:click=move |_| ask(state, AskKind::Again)>{t(UiText::Retry)}</button>
                </div>
            }.into_any(),
            MessageState::Complete => ().into_any(),
        }}
        <AnswerSource id=id/>
        <Show when=move || message_state.get() != MessageState::Streaming>
            <div class="turn-actions">
                <button type="button" class="link-button" on:click=copy>
                    {move || if copied.get() { state.t(UiText::Copied) } else { state.t(UiText::Copy) }}
                </button>
                <Show when=move || is_last.get() && !state.streaming.get()>
                    <button type="button" class="link-button" on:click=move |_| ask(state, AskKind::Again)>
                        {t(UiText::Regenerate)}
                    </button>
                </Show>
            </div>
        </Show>
    }
}

/// Sections named under an answer before a "more" button (the most relevant come first).
const SECTIONS_SHOWN: usize = 4;

/// Under an answer: what of the page it was written from (the sections, as
/// buttons that scroll the page to them), and a warning when the server
/// read far less of the prompt than was sent.
#[component]
fn AnswerSource(id: u64) -> impl IntoView {
    let state = expect_context::<PanelState>();
    let context = Memo::new(move |_| state.conversation.with(|c| c.message(id).and_then(|m| m.context.clone())));
    let not_found = RwSignal::new(false);
    let all_sections = RwSignal::new(false);
    let scroll = move |section: SectionRef| {
        let Some(tab_id) = state.tab.with_untracked(|tab| tab.as_ref().and_then(|tab| tab.id)) else { return };
        spawn_local(async move {
            let found = scroll_to_section(tab_id, &section).await.unwrap_or(false);
            not_found.set(!found);
        });
    };
    move || {
        let context = context.get()?;
        let locale = state.locale.get();
        let line = answer_source_line(&context.coverage, locale);
        let sections = match &context.coverage {
            Coverage::Sections { sections, .. } => sections.clone(),
            _ => Vec::new(),
        };
        let hidden = sections.len().saturating_sub(SECTIONS_SHOWN);
        let cut = context
            .prompt_was_cut()
            .then(|| cut_prompt_warning(context.reported_prompt_tokens.unwrap_or(0), context.prompt_tokens, locale));
        Some(view! {
            {line.map(|line| view! {
                <div class="answer-source">
                    <span class="source-line">{line}</span>
                    {sections.into_iter().enumerate().map(|(at, section)| {
                        let label = section.label();
                        let title = section.heading_path.join(" › ");
                        view! {
                            <button type="button" class="section-link" title=title
                                class:hidden=move || { at >= SECTIONS_SHOWN && !all_sections.get() }
                                on:click=move |_| scroll(section.clone())>{label}</button>
                        }
                    }).collect_view()}
                    {(hidden > 0).then(|| view! {
                        <button type="button" class="link-button more-sections"
                            class:hidden=move || all_sections.get()
                            on:click=move |_| all_sections.set(true)>{more_sections(hidden, locale)}</button>
                    })}
                    <Show when=move || not_found.get()>
                        <span class="source-missing" role="status">{UiText::SectionNotFound.text(locale)}</span>
                    </Show>
                </div>
            })}
            {cut.map(|warning| view! { <div class="turn-warn" role="alert">{warning}</div> })}
        })
    }
}
