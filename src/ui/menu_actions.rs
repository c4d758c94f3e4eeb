//! Running what the context menu and the keyboard commands hand to the panel: page and selection actions, a linked page, an image, the user's own actions.

use super::answering::{ask, prompt_options, AskKind};
use super::context_chip::{AfterAccess, CaptureStatus};
use super::panel::PanelState;
use crate::chat::{Conversation, ImageAttachment, PageContext, Task};
use crate::custom_actions::{fill, TemplateValues};
use crate::extract::extract;
use crate::i18n::UiText;
use crate::menu::{ActionKind, PendingAction};
use crate::page::{origin_pattern, PageSnapshot};
use crate::platform::model_fetch::{fetch_bytes, FetchFailure, FetchOptions};
use crate::platform::{now_ms, random_id};
use crate::prompt::{quote, selection_instruction};
use crate::provider::{HttpMethod, HttpRequest};
use leptos::prelude::*;

/// Runs one action the worker queued for this tab, after the answer before it.
pub(crate) async fn run_pending(state: PanelState, action: &PendingAction) {
    while state.busy.get_value() {
        gloo::timers::future::TimeoutFuture::new(100).await;
    }
    // A keyboard command carries no selection: read it from the page.
    let mut selection = action.selection.clone().unwrap_or_default();
    let wants_selection = matches!(
        action.kind,
        ActionKind::ExplainSelection
            | ActionKind::TranslateSelection
            | ActionKind::SummarizeSelection
            | ActionKind::RewriteSelection
            | ActionKind::AskSelection
    );
    if wants_selection && selection.trim().is_empty() {
        if let Some(page) = super::context_chip::capture_page(state, None).await {
            selection = page.selection.clone();
            state.conversation.update(|c| c.page = Some(page));
        }
        if selection.trim().is_empty() {
            let locale = state.locale.get_untracked();
            state.conversation.update(|c| {
                c.notice(UiText::NoSelection.text(locale), now_ms());
            });
            return;
        }
    }
    let selection = selection.as_str();
    match action.kind {
        ActionKind::SummarizePage => ask(state, AskKind::Task(Task::Summarize)),
        ActionKind::ChatPage => {
            // The page joins the context now; the question is the user's to type.
            if state.conversation.with_untracked(|c| c.page.is_none()) {
                if let Some(page) = super::context_chip::capture_page(state, None).await {
                    state.conversation.update(|c| c.page = Some(page));
                }
            }
            focus_composer(state);
        }
        ActionKind::AskSelection => {
            let draft = format!("{}\n\n", quote(selection));
            state.draft.set(draft);
            focus_composer(state);
        }
        ActionKind::ExplainSelection
        | ActionKind::TranslateSelection
        | ActionKind::SummarizeSelection
        | ActionKind::RewriteSelection => {
            let language = answer_language(state);
            if let Some(text) = selection_instruction(action.kind, action.variant(), selection, language.as_deref()) {
                ask(state, AskKind::Message(text));
            }
        }
        ActionKind::SummarizeLink => {
            if let Some(url) = action.target_url.clone() {
                summarize_link(state, url).await;
            }
        }
        ActionKind::DescribeImage => {
            if let Some(url) = action.target_url.clone() {
                describe_image(state, url).await;
            }
        }
        ActionKind::Custom => run_custom(state, action, selection).await,
    }
}

/// Fills one of the user's own actions and asks it. The page itself stays
/// in the context, fenced as untrusted, so `{{page}}` names it rather than
/// pasting it into the instruction.
async fn run_custom(state: PanelState, action: &PendingAction, selection: &str) {
    let locale = state.locale.get_untracked();
    let id = action.variant().unwrap_or_default();
    let custom = state.settings.with_untracked(|settings| {
        settings.as_ref().and_then(|settings| settings.custom_actions.iter().find(|a| a.id == id).cloned())
    });
    let Some(custom) = custom else {
        state.conversation.update(|c| {
            c.notice(&format!("{} ({id})", UiText::CustomActionGone.text(locale)), now_ms());
        });
        return;
    };
    if state.include_page.get_untracked() && state.conversation.with_untracked(|c| c.page.is_none()) {
        if let Some(page) = super::context_chip::capture_page(state, None).await {
            state.conversation.update(|c| c.page = Some(page));
        }
    }
    let (title, url) = state
        .conversation
        .with_untracked(|c| c.page.as_ref().map(|p| (p.title.clone(), p.url.clone())).unwrap_or_default());
    let language = answer_language(state).unwrap_or_else(|| "English".into());
    let link = action.target_url.clone().unwrap_or_default();
    let values = TemplateValues {
        selection,
        page: "(the page above, between the untrusted_page markers)",
        title: &title,
        url: if link.is_empty() { &url } else { &link },
        language: &language,
    };
    let text = fill(&custom.template, &values);
    ask(state, AskKind::Custom { text, model: custom.model.clone() });
}

/// The answer language for the page in context.
fn answer_language(state: PanelState) -> Option<String> {
    let settings = state.settings.get_untracked()?;
    prompt_options(state, &settings).answer_language
}

/// Puts the cursor at the end of the composer.
fn focus_composer(state: PanelState) {
    if let Some(composer) = state.composer_ref.get_untracked() {
        let _ = composer.focus();
        let end = composer.value().len() as u32;
        let _ = composer.set_selection_range(end, end);
    }
}

/// Loads a URL for a link or image action; a refusal the browser will not
/// explain is taken as missing access to that site, and shown with the
/// permission button (the action runs once it is granted).
async fn load(state: PanelState, url: &str, after: AfterAccess) -> Option<(Vec<u8>, Option<String>)> {
    let request = HttpRequest { method: HttpMethod::Get, url: url.to_string(), headers: Vec::new(), body: None };
    let locale = state.locale.get_untracked();
    match fetch_bytes(&request, FetchOptions::default()).await {
        Ok((status, headers, bytes)) if (200..300).contains(&status) => {
            let content_type = headers.iter().find(|(name, _)| name == "content-type").map(|(_, value)| value.clone());
            Some((bytes, content_type))
        }
        Ok((status, _, _)) => {
            state
                .capture
                .set(CaptureStatus::Failed(format!("{} {url} (HTTP {status})", UiText::FetchFailed.text(locale))));
            None
        }
        Err(FetchFailure::Network(_)) if origin_pattern(url).is_some() => {
            state.capture.set(CaptureStatus::NeedsAccess { origin: origin_pattern(url), pending: after });
            None
        }
        Err(failure) => {
            state.capture.set(CaptureStatus::Failed(format!("{} {url}: {failure}", UiText::FetchFailed.text(locale))));
            None
        }
    }
}

/// Reads the linked page and summarizes it in a new conversation about it.
pub(crate) async fn summarize_link(state: PanelState, url: String) {
    let Some((bytes, _)) = load(state, &url, AfterAccess::Link(url.clone())).await else { return };
    let snapshot = PageSnapshot {
        url: url.clone(),
        title: String::new(),
        language: None,
        html: String::from_utf8_lossy(&bytes).into_owned(),
        selection: None,
    };
    let article = extract(&snapshot);
    if article.markdown.trim().is_empty() {
        state.capture.set(CaptureStatus::Empty);
        return;
    }
    let mut conversation = Conversation::new(random_id(), now_ms());
    conversation.page = Some(PageContext::from_article(article, &url, "", None, ""));
    state.open_conversation(conversation);
    ask(state, AskKind::OnContext(Task::Summarize));
}

/// Loads the image and asks the model to describe it.
pub(crate) async fn describe_image(state: PanelState, url: String) {
    let locale = state.locale.get_untracked();
    let Some((bytes, content_type)) = load(state, &url, AfterAccess::Image(url.clone())).await else { return };
    let Some(image) = ImageAttachment::from_bytes(&bytes, content_type.as_deref(), &url) else {
        state.capture.set(CaptureStatus::Failed(format!("{} {url}", UiText::FetchFailed.text(locale))));
        return;
    };
    let language = answer_language(state).map(|language| format!(" Answer in {language}.")).unwrap_or_default();
    let text = format!(
        "{}\n\nDescribe this image: what it shows, any text in it, and what it means on this page.{language}",
        UiText::MenuDescribeImage.text(locale)
    );
    ask(state, AskKind::Image { text, image });
}
