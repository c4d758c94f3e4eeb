//! Asking the model from the panel: a message or task becomes a conversation turn, the core builds the request, and the answer streams into the transcript.

use super::context_chip::{capture_page, CaptureStatus};
use super::panel::PanelState;
use super::reading_in_parts::{read_in_parts, PartsOutcome};
use crate::chat::AnswerContext;
use crate::chat::Task;
use crate::context_fit::reported_prompt_tokens as reported_prompt_tokens_of;
use crate::i18n::UiText;
use crate::platform::model_fetch::{diagnose_failure, stream_chat, Abort, FetchOptions, StreamOutcome};
use crate::platform::now_ms;
use crate::prompt::{build_prompt, prompt_as_text, wants_map_reduce, PromptOptions};
use crate::provider::diagnosis::{diagnose_stream_error, Diagnosis};
use crate::provider::request::build_chat_request;
use crate::stream::StreamEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// How often a streaming answer is written to history, so a closed panel keeps it.
const CHECKPOINT_EVERY_MS: f64 = 2_000.0;

/// What the user asked for.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum AskKind {
    /// A typed message.
    Message(String),
    /// A one-click task on the page.
    Task(Task),
    /// Ask the last question again (Regenerate, Retry).
    Again,
    /// One of the user's own actions: its filled prompt, and its model if it names one.
    Custom {
        /// The filled prompt.
        text: String,
        /// The model to ask instead of the configured one.
        model: Option<String>,
    },
    /// A task on the page already in context (a linked page just read): no re-reading.
    OnContext(Task),
    /// A message with an image (Describe image).
    Image {
        /// The instruction.
        text: String,
        /// The image.
        image: crate::chat::ImageAttachment,
    },
    /// A user message was edited: answer it afresh.
    Edited {
        /// The message edited.
        id: u64,
        /// Its new text.
        text: String,
    },
}

/// Whether a task needs the page's text to mean anything.
fn needs_page(task: Task) -> bool {
    !matches!(task, Task::AskSelection)
}

/// Starts answering. Ignored while an answer streams.
pub(crate) fn ask(state: PanelState, kind: AskKind) {
    if state.busy.get_value() || state.streaming.get_untracked() {
        return;
    }
    state.busy.set_value(true);
    let locale = state.locale.get_untracked();
    let configured =
        state.settings.with_untracked(|s| s.as_ref().is_some_and(crate::settings::Settings::is_configured));
    spawn_local(async move {
        run_request(state, kind, locale, configured).await;
        state.busy.set_value(false);
    });
}

/// The body of [`ask`]: context, the turn, then the answer.
async fn run_request(state: PanelState, kind: AskKind, locale: crate::i18n::Locale, configured: bool) {
    {
        // The page joins the context first: a task on a page that cannot be
        // read stops here, with the reason and the fix shown in the chip.
        let wants_page = state.include_page.get_untracked();
        let fresh_selection = matches!(kind, AskKind::Task(Task::AskSelection));
        let has_page = state.conversation.with_untracked(|c| c.page.is_some());
        // A task is about the page in view: one read before the tab moved on is read again.
        let tab_url = state.tab.with_untracked(|tab| tab.as_ref().and_then(|tab| tab.url.clone()));
        let stale = state
            .conversation
            .with_untracked(|c| c.page.as_ref().zip(tab_url.as_ref()).is_some_and(|(page, url)| &page.url != url));
        let is_task = matches!(kind, AskKind::Task(_));
        let keeps_context = matches!(kind, AskKind::OnContext(_) | AskKind::Image { .. });
        if wants_page && !keeps_context && (!has_page || fresh_selection || (is_task && stale)) {
            let pending = if let AskKind::Task(task) = &kind { Some(*task) } else { None };
            match capture_page(state, pending).await {
                Some(page) => state.conversation.update(|c| c.page = Some(page)),
                None => {
                    if let AskKind::Task(task) = &kind {
                        if needs_page(*task) {
                            return;
                        }
                    }
                }
            }
        }
        let now = now_ms();
        let asked = match &kind {
            AskKind::Message(text) | AskKind::Custom { text, .. } => {
                state.conversation.try_update(|c| c.submit(text, now)).flatten().is_some()
            }
            AskKind::Task(Task::AskSelection) => {
                let selection = state
                    .conversation
                    .with_untracked(|c| c.page.as_ref().map(|p| p.selection.trim().to_string()).unwrap_or_default());
                if selection.is_empty() {
                    state.conversation.update(|c| {
                        c.notice(UiText::NoSelection.text(locale), now);
                    });
                    false
                } else {
                    let label = format!("{}: “{}”", UiText::AskSelection.text(locale), preview(&selection, 80));
                    // The typed draft, if any, is the question about the selection.
                    let question = state.draft.get_untracked();
                    state.draft.set(String::new());
                    state.conversation.update(|c| {
                        let id = c.submit_task(Task::AskSelection, &label, now);
                        if !question.trim().is_empty() {
                            if let Some(message) = c.messages.iter_mut().find(|m| m.id == id) {
                                message.text = format!("{label}\n\n{}", question.trim());
                            }
                        }
                    });
                    true
                }
            }
            AskKind::Image { text, image } => {
                state.conversation.update(|c| {
                    c.submit_with_image(text, image.clone(), now);
                });
                true
            }
            AskKind::Task(task) | AskKind::OnContext(task) => {
                let label = task_label(*task).text(locale);
                state.conversation.update(|c| {
                    c.submit_task(*task, label, now);
                });
                true
            }
            AskKind::Again => state.conversation.try_update(|c| c.drop_last_answer()).unwrap_or(false),
            AskKind::Edited { id, text } => state.conversation.try_update(|c| c.edit(*id, text, now)).unwrap_or(false),
        };
        if !asked {
            return;
        }
        if !configured {
            state.conversation.update(|c| {
                c.notice(UiText::NotConfigured.text(locale), now_ms());
            });
            state.save_conversation();
            return;
        }
        let model = if let AskKind::Custom { model, .. } = &kind { model.clone() } else { None };
        stream_answer(state, model).await;
    }
}

/// The label a task's user message shows.
fn task_label(task: Task) -> UiText {
    match task {
        Task::Summarize => UiText::SummarizePage,
        Task::KeyPoints => UiText::KeyPoints,
        Task::ExplainSimply => UiText::ExplainSimply,
        Task::TranslatePage => UiText::TranslatePage,
        Task::AskSelection => UiText::AskSelection,
    }
}

/// The first `limit` characters of `text` on one line, with an ellipsis when cut.
fn preview(text: &str, limit: usize) -> String {
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= limit {
        return line;
    }
    let mut cut: String = line.chars().take(limit).collect();
    cut.push('…');
    cut
}

/// Stops the answer streaming now; its text so far is kept.
pub(crate) fn stop_answer(state: PanelState) {
    if let Some(abort) = state.abort.get_value() {
        abort.abort();
    }
}

/// The prompt choices of the settings, the interface language and the page in context.
pub(crate) fn prompt_options(state: PanelState, settings: &crate::settings::Settings) -> PromptOptions {
    let locale = state.locale.get_untracked();
    let page_language = state.conversation.with_untracked(|c| c.page.as_ref().map(|p| p.language.clone()));
    PromptOptions {
        model: settings.endpoint.model.clone(),
        answer_language: crate::prompt::answer_language(settings.answer.language, locale, page_language.as_deref()),
        user_system_prompt: settings.answer.system_prompt.clone(),
        context_window_tokens: context_window(state, settings),
        // The page's share is sized from the window (the setting is the window).
        page_budget_tokens: 0,
        temperature: settings.answer.temperature,
        page_notes: None,
    }
}

/// The model's context window: the user's budget when set, else what its
/// server reported, else the known window of a model of that name, else the preset's.
fn context_window(state: PanelState, settings: &crate::settings::Settings) -> u32 {
    if settings.answer.context_budget_tokens > 0 {
        return settings.context_window_tokens();
    }
    let model = &settings.endpoint.model;
    let key = settings.endpoint().map(|endpoint| format!("{}|{model}", endpoint.base_url));
    state
        .reported_window
        .with_untracked(|reported| reported.as_ref().filter(|(known, _)| Some(known) == key.as_ref()).map(|(_, w)| *w))
        .or_else(|| crate::provider::model_info::known_context_window(model))
        .unwrap_or_else(|| settings.context_window_tokens())
}

/// Streams the next answer of the conversation into a new assistant message.
///
/// A summary of a page too long for the window first reads it in parts
/// (with a progress bar); the answer then streams from their notes. What
/// the request carried is recorded on the answer, and a server that read
/// far less than was sent is flagged there.
async fn stream_answer(state: PanelState, model: Option<String>) {
    let Some(settings) = state.settings.get_untracked() else { return };
    let Some(endpoint) = settings.endpoint() else { return };
    let mut options = prompt_options(state, &settings);
    if let Some(model) = model.filter(|model| !model.trim().is_empty()) {
        options.model = model.trim().to_string();
    }
    let fetch = FetchOptions::from(&settings.network);

    let abort = match Abort::new() {
        Ok(abort) => abort,
        Err(error) => {
            state.conversation.update(|c| {
                c.notice(&error.to_string(), now_ms());
            });
            return;
        }
    };
    let Some(id) = state.conversation.try_update(|c| c.start_answer(now_ms())) else { return };
    state.abort.set_value(Some(abort.clone()));
    state.streaming.set(true);
    state.stick_to_bottom.set_value(true);
    state.follow_stream();

    if state.conversation.with_untracked(|c| wants_map_reduce(c, &options)) {
        let outcome = read_in_parts(state, &endpoint, fetch, &abort, &options).await;
        state.progress.set(None);
        match outcome {
            PartsOutcome::Notes(notes) => options.page_notes = Some(notes),
            PartsOutcome::Stopped => return finish(state, id, Ending::Stopped),
            PartsOutcome::Failed(diagnosis) => return finish(state, id, Ending::Failed(diagnosis)),
        }
    }

    let (request, report) = state.conversation.with_untracked(|c| build_prompt(c, &options));
    state.last_prompt.set(Some(prompt_as_text(&request)));
    state.conversation.update(|c| {
        c.set_context(
            id,
            AnswerContext {
                coverage: report.coverage.clone(),
                first_sent_message: report.first_sent_message,
                prompt_tokens: report.prompt_tokens,
                reported_prompt_tokens: None,
            },
        )
    });
    state.report.set(Some(report));
    let http = build_chat_request(&endpoint, &request);

    let mut stream_error = None;
    let mut reported_prompt_tokens = None;
    let mut last_checkpoint = now_ms();
    let outcome = stream_chat(&http, endpoint.family, fetch, &abort, |event| {
        match event {
            StreamEvent::Content(delta) => {
                // Untracked: the renderer takes the delta itself, so nothing
                // re-renders the whole answer.
                state.conversation.update_untracked(|c| c.append_content(id, &delta));
                // Rendered in the next animation frame, together with the
                // deltas that arrive before it.
                if let Some(view) = state.live.with_value(|live| live.get(&id).cloned()) {
                    view.push(&delta);
                }
            }
            StreamEvent::Reasoning(delta) => state.conversation.update(|c| c.append_reasoning(id, &delta)),
            StreamEvent::ContentWasReasoning => {
                state.conversation.update(|c| c.content_was_reasoning(id));
                if let Some(view) = state.live.with_value(|live| live.get(&id).cloned()) {
                    view.set_text("");
                }
            }
            StreamEvent::Usage(usage) => {
                reported_prompt_tokens = reported_prompt_tokens_of(&usage).or(reported_prompt_tokens);
            }
            StreamEvent::Error(error) => stream_error = Some(error),
            _ => {}
        }
        if now_ms() - last_checkpoint > CHECKPOINT_EVERY_MS {
            last_checkpoint = now_ms();
            state.save_conversation();
        }
    })
    .await;

    if let Some(reported) = reported_prompt_tokens {
        state.conversation.update(|c| {
            if let Some(context) = c.messages.iter_mut().find(|m| m.id == id).and_then(|m| m.context.as_mut()) {
                context.reported_prompt_tokens = Some(reported);
            }
        });
    }
    match outcome {
        Ok(StreamOutcome::Completed) => match stream_error {
            Some(error) => finish(state, id, Ending::Failed(diagnose_stream_error(&error))),
            None => finish(state, id, Ending::Complete),
        },
        Ok(StreamOutcome::Aborted) => finish(state, id, Ending::Stopped),
        Err(failure) => {
            let diagnosis = diagnose_failure(&failure, endpoint.family, &endpoint.base_url).await;
            finish(state, id, Ending::Failed(diagnosis));
        }
    }
}

/// How an answer ended.
enum Ending {
    Complete,
    Stopped,
    Failed(Diagnosis),
}

/// Ends the answer `id`, tidies up after it and saves the conversation.
fn finish(state: PanelState, id: u64, ending: Ending) {
    state.streaming.set(false);
    state.abort.set_value(None);
    let now = now_ms();
    match ending {
        Ending::Complete => state.conversation.update(|c| c.complete(id, now)),
        Ending::Stopped => state.conversation.update(|c| c.stop(id, now)),
        Ending::Failed(diagnosis) => fail(state, id, &diagnosis, now),
    }
    if let Some(view) = state.live.with_value(|live| live.get(&id).cloned()) {
        view.finish();
    }
    if matches!(state.capture.get_untracked(), CaptureStatus::Reading) {
        state.capture.set(CaptureStatus::Ready);
    }
    state.save_conversation();
}

/// Marks the answer failed with the doctor's advice (and the provider's own words).
fn fail(state: PanelState, id: u64, diagnosis: &Diagnosis, now: f64) {
    let locale = state.locale.get_untracked();
    // The doctor speaks English; the Chinese interface leads with its own line.
    let mut advice = match locale {
        crate::i18n::Locale::En => diagnosis.advice.clone(),
        crate::i18n::Locale::ZhCn => {
            format!("{}\n{}", crate::i18n::error_summary(diagnosis.kind, locale), diagnosis.advice)
        }
    };
    // A request with an image that the server refused most likely went to a text-only model.
    let sent_image = state.conversation.with_untracked(|c| {
        c.messages.iter().rev().find(|m| m.role == crate::chat::Role::User).is_some_and(|m| m.image.is_some())
    });
    if sent_image {
        use crate::provider::diagnosis::ErrorKind;
        if matches!(diagnosis.kind, ErrorKind::BadRequest | ErrorKind::ServerError | ErrorKind::ModelNotFound) {
            advice = format!("{}\n{advice}", UiText::NotVisionModel.text(locale));
        }
    }
    if let Some(said) = diagnosis.provider_message.as_deref().filter(|m| !m.trim().is_empty()) {
        advice.push_str(&format!("\n{} {said}", UiText::ProviderSaid.text(locale)));
    }
    state.conversation.update(|c| c.fail(id, &advice, diagnosis.retry, now));
}
