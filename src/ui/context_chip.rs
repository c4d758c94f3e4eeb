//! The context chip: which page is in the conversation's context and how much of it fits, reading the page on demand, and asking for a site's permission at the moment of need.

use super::answering::{ask, prompt_options, AskKind};
use super::panel::PanelState;
use crate::chat::{PageContext, Task};
use crate::context_fit::Coverage;
use crate::extract::extract;
use crate::i18n::context_text::{coverage_label, fit_label};
use crate::i18n::UiText;
use crate::map_reduce::part_budget;
use crate::page::UnreadablePage;
use crate::platform::page_capture::{capture_tab, request_site_access, CaptureError, ALL_WEB_PAGES};
use crate::prompt::page_budget;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Where reading the page stands.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum CaptureStatus {
    /// Not read yet; it is read when first needed.
    Idle,
    /// Reading now.
    Reading,
    /// Read; the conversation holds it.
    Ready,
    /// Pagewise needs the user's permission for this site; what asked waits for it.
    NeedsAccess { origin: Option<String>, pending: AfterAccess },
    /// The user said no to the permission.
    AccessDenied,
    /// No extension may read this page.
    Unreadable(UnreadablePage),
    /// The page has no readable text.
    Empty,
    /// Reading failed, with the browser's reason.
    Failed(String),
}

/// What runs once the user grants access.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum AfterAccess {
    /// Read the tab's page, then run the task, if any.
    Page(Option<Task>),
    /// Summarize the linked page.
    Link(String),
    /// Describe the image.
    Image(String),
}

/// Reads the page in the panel's tab and extracts it. On failure the chip
/// shows why (and the permission button, keeping `pending` for after it).
pub(crate) async fn capture_page(state: PanelState, pending: Option<Task>) -> Option<PageContext> {
    let tab = state.tab.get_untracked();
    let Some(tab_id) = tab.as_ref().and_then(|tab| tab.id) else {
        state.capture.set(CaptureStatus::Failed(UiText::NoPage.text(state.locale.get_untracked()).into()));
        return None;
    };
    state.capture.set(CaptureStatus::Reading);
    let url = tab.as_ref().and_then(|tab| tab.url.clone());
    let snapshot = match capture_tab(tab_id, url.as_deref()).await {
        Ok(snapshot) => snapshot,
        Err(CaptureError::NeedsAccess { origin }) => {
            state.capture.set(CaptureStatus::NeedsAccess { origin, pending: AfterAccess::Page(pending) });
            return None;
        }
        Err(CaptureError::Unreadable(reason)) => {
            state.capture.set(CaptureStatus::Unreadable(reason));
            return None;
        }
        Err(CaptureError::Failed(message)) => {
            state.capture.set(CaptureStatus::Failed(message));
            return None;
        }
    };
    let article = extract(&snapshot);
    if article.markdown.trim().is_empty() {
        state.capture.set(CaptureStatus::Empty);
        return None;
    }
    state.capture.set(CaptureStatus::Ready);
    let selection = snapshot.selection.clone().unwrap_or_default();
    // A new reading: the last request's coverage no longer describes it.
    state.report.set(None);
    Some(PageContext::from_article(article, &snapshot.url, &snapshot.title, snapshot.language.as_deref(), &selection))
}

/// Reads the page again (the page changed, or the user asked).
fn recapture(state: PanelState) {
    state.include_page.set(true);
    spawn_local(async move {
        if let Some(page) = capture_page(state, None).await {
            state.conversation.update(|c| c.page = Some(page));
            state.save_conversation();
        }
    });
}

/// The host part of a URL, for the chip.
fn host_of(url: &str) -> String {
    url.split_once("://")
        .map(|(_, rest)| rest.split(['/', '?', '#']).next().unwrap_or_default().to_string())
        .unwrap_or_default()
}

#[component]
pub(crate) fn ContextChip() -> impl IntoView {
    let state = expect_context::<PanelState>();
    let t = move |key: UiText| move || state.t(key);
    let page = move || state.conversation.with(|c| c.page.clone());
    let stale = move || {
        let tab_url = state.tab.with(|tab| tab.as_ref().and_then(|tab| tab.url.clone()));
        match (page(), tab_url) {
            (Some(page), Some(url)) => page.url != url,
            _ => false,
        }
    };
    // What the last request carried, else what the page's size means for the next one.
    let fit = move || {
        let page = page()?;
        let locale = state.locale.get();
        if let Some(report) = state.report.get().filter(|report| report.coverage != Coverage::NoPage) {
            return Some(coverage_label(&report.coverage, locale));
        }
        let settings = state.settings.get()?;
        // The window may arrive from the model's server after the page.
        state.reported_window.track();
        let options = prompt_options(state, &settings);
        let budget = page_budget(&options, 0);
        let percent = (u64::from(budget) * 100 / u64::from(page.tokens.max(1))).min(100) as u32;
        let parts = page.tokens.div_ceil(part_budget(&options).max(1)) as usize;
        Some(fit_label(percent, parts, locale))
    };
    let prompt_open = RwSignal::new(false);
    let summary = move || {
        let locale = state.locale.get();
        page().map(|page| {
            let mut parts = Vec::new();
            let site = if page.site.is_empty() { host_of(&page.url) } else { page.site.clone() };
            if !site.is_empty() {
                parts.push(site);
            }
            parts.push(format!("{} {}", page.words, UiText::Words.text(locale)));
            if let Some(fit) = fit() {
                parts.push(fit);
            }
            parts.join(" · ")
        })
    };
    let tab_title = move || state.tab.with(|tab| tab.as_ref().and_then(|tab| tab.title.clone())).unwrap_or_default();
    let allow = move |origin: Option<String>, pending: AfterAccess| {
        // The permission prompt must start inside the click: nothing is awaited before it.
        let request = match &origin {
            Some(origin) => request_site_access(&[origin.as_str()]),
            None => request_site_access(&ALL_WEB_PAGES),
        };
        spawn_local(async move {
            if request.await.unwrap_or(false) {
                match pending {
                    AfterAccess::Page(Some(task)) => ask(state, AskKind::Task(task)),
                    AfterAccess::Page(None) => recapture(state),
                    AfterAccess::Link(url) => {
                        state.capture.set(CaptureStatus::Ready);
                        super::menu_actions::summarize_link(state, url).await;
                    }
                    AfterAccess::Image(url) => {
                        state.capture.set(CaptureStatus::Ready);
                        super::menu_actions::describe_image(state, url).await;
                    }
                }
            } else {
                state.capture.set(CaptureStatus::AccessDenied);
            }
        });
    };

    view! {
        <section class="context" aria-label=t(UiText::ContextLabel)>
            {move || {
                let status = state.capture.get();
                let locale = state.locale.get();
                if !state.include_page.get() {
                    return view! {
                        <div class="chip chip-off">
                            <span class="chip-text">{UiText::NoContext.text(locale)}</span>
                            <button type="button" class="link-button" on:click=move |_| recapture(state)>
                                {UiText::AddPage.text(locale)}
                            </button>
                        </div>
                    }.into_any();
                }
                match status {
                    CaptureStatus::Reading => view! {
                        <div class="chip chip-busy" role="status">{UiText::Reading.text(locale)}</div>
                    }.into_any(),
                    CaptureStatus::NeedsAccess { origin: Some(origin), pending } => {
                        let host = host_of(&origin);
                        view! {
                            <div class="chip chip-warn" role="alert">
                                <span class="chip-text">{match &pending {
                                    AfterAccess::Link(_) => UiText::LinkNeedsAccess.text(locale),
                                    AfterAccess::Image(_) => UiText::ImageNeedsAccess.text(locale),
                                    AfterAccess::Page(_) => UiText::NeedsAccess.text(locale),
                                }}" "<code>{host}</code></span>
                                <button type="button" class="primary" on:click=move |_| allow(Some(origin.clone()), pending.clone())>
                                    {UiText::AllowSite.text(locale)}
                                </button>
                            </div>
                        }.into_any()
                    }
                    CaptureStatus::NeedsAccess { origin: None, pending } => view! {
                        <div class="chip chip-warn" role="alert">
                            <span class="chip-text">{UiText::NeedsPageAccess.text(locale)}</span>
                            <button type="button" class="primary" on:click=move |_| allow(None, pending.clone())>
                                {UiText::AllowWebPages.text(locale)}
                            </button>
                        </div>
                    }.into_any(),
                    CaptureStatus::Unreadable(reason) => {
                        let text = match reason {
                            UnreadablePage::BrowserPage => UiText::BrowserPage,
                            UnreadablePage::ExtensionStore => UiText::StorePage,
                            UnreadablePage::PdfViewer => UiText::PdfPage,
                            UnreadablePage::LocalFile => UiText::LocalFilePage,
                        };
                        view! { <div class="chip chip-warn" role="alert">{text.text(locale)}</div> }.into_any()
                    }
                    CaptureStatus::AccessDenied | CaptureStatus::Empty | CaptureStatus::Failed(_) => {
                        let text = match &status {
                            CaptureStatus::AccessDenied => UiText::AccessDenied.text(locale).to_string(),
                            CaptureStatus::Empty => UiText::EmptyPage.text(locale).to_string(),
                            CaptureStatus::Failed(reason) => format!("{}: {reason}", UiText::CaptureFailed.text(locale)),
                            _ => String::new(),
                        };
                        view! {
                            <div class="chip chip-warn" role="alert">
                                <span class="chip-text">{text}</span>
                                <button type="button" class="link-button" on:click=move |_| recapture(state)>
                                    {UiText::Recapture.text(locale)}
                                </button>
                            </div>
                        }.into_any()
                    }
                    CaptureStatus::Idle | CaptureStatus::Ready => match page() {
                        Some(page) => view! {
                            <div class="chip chip-page">
                                <span class="chip-icon"><svg class="icon" width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z"/><path d="M14 3v5h5"/></svg></span>
                                <span class="chip-body">
                                    <span class="chip-title" title=page.url.clone()>{page.title.clone()}</span>
                                    <span class="chip-meta">{summary}</span>
                                </span>
                                <button type="button" class="icon-button" aria-label=UiText::Recapture.text(locale)
                                    title=UiText::Recapture.text(locale) on:click=move |_| recapture(state)>
                                    <span aria-hidden="true">"↻"</span>
                                </button>
                                <button type="button" class="icon-button" aria-label=UiText::RemovePage.text(locale)
                                    title=UiText::RemovePage.text(locale)
                                    on:click=move |_| {
                                        state.include_page.set(false);
                                        state.conversation.update(|c| c.page = None);
                                    }>
                                    <span aria-hidden="true">"✕"</span>
                                </button>
                            </div>
                            <Show when=move || state.last_prompt.with(Option::is_some)>
                                <button type="button" class="link-button prompt-toggle"
                                    aria-expanded=move || prompt_open.get().to_string()
                                    on:click=move |_| prompt_open.update(|open| *open = !*open)>
                                    {move || if prompt_open.get() { state.t(UiText::HidePrompt) } else { state.t(UiText::PromptSent) }}
                                </button>
                            </Show>
                            <Show when=move || prompt_open.get() && state.last_prompt.with(Option::is_some)>
                                <div class="prompt-view">
                                    <p class="prompt-note">{move || state.t(UiText::PromptSentNote)}</p>
                                    <pre>{move || state.last_prompt.get().unwrap_or_default()}</pre>
                                </div>
                            </Show>
                            <Show when=stale>
                                <div class="chip chip-warn">
                                    <span class="chip-text">{UiText::PageChanged.text(locale)}</span>
                                    <button type="button" class="link-button" on:click=move |_| recapture(state)>
                                        {UiText::AddPage.text(locale)}
                                    </button>
                                </div>
                            </Show>
                        }.into_any(),
                        // No page read and no title to show (no tab, or one we cannot see yet): no chip.
                        None if tab_title().is_empty() => ().into_any(),
                        None => view! {
                            <div class="chip chip-idle">
                                <span class="chip-icon"><svg class="icon" width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z"/><path d="M14 3v5h5"/></svg></span>
                                <span class="chip-body">
                                    <span class="chip-title">{tab_title}</span>
                                </span>
                                <button type="button" class="icon-button" aria-label=UiText::RemovePage.text(locale)
                                    title=UiText::RemovePage.text(locale)
                                    on:click=move |_| state.include_page.set(false)>
                                    <span aria-hidden="true">"✕"</span>
                                </button>
                            </div>
                        }.into_any(),
                    },
                }
            }}
        </section>
    }
}
