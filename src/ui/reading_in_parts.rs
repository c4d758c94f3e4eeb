//! A summary of a page too long for one request, run from the panel: the core's map requests a few at a time, its combine rounds, and the progress bar they drive; Stop cancels them all.

use super::panel::PanelState;
use crate::map_reduce::{
    combine_plan, combine_request, map_parts, map_request, notes_for_answer, parts_label, MAP_CONCURRENCY,
};
use crate::platform::model_fetch::{diagnose_failure, stream_chat, Abort, FetchOptions, StreamOutcome};
use crate::prompt::{page_budget_for, PageNotes, PromptOptions};
use crate::provider::diagnosis::{diagnose_stream_error, Diagnosis};
use crate::provider::request::{build_chat_request, Endpoint};
use crate::provider::HttpRequest;
use crate::stream::StreamEvent;
use leptos::prelude::*;
use std::cell::{Cell, RefCell};

/// Where a summary read in parts stands, for the progress bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ReadingProgress {
    /// Requests of this stage answered.
    pub done: usize,
    /// Requests in this stage.
    pub total: usize,
    /// False while the parts are read; true while their notes are merged.
    pub combining: bool,
}

/// How reading in parts ended.
pub(crate) enum PartsOutcome {
    /// Notes on every part, for the answer.
    Notes(PageNotes),
    /// The user pressed Stop.
    Stopped,
    /// A request failed; the doctor says why.
    Failed(Diagnosis),
}

/// Reads the conversation's page in parts and merges the notes until they
/// fit the answer's request, driving the progress bar (the caller clears it).
pub(crate) async fn read_in_parts(
    state: PanelState,
    endpoint: &Endpoint,
    fetch: FetchOptions,
    abort: &Abort,
    options: &PromptOptions,
) -> PartsOutcome {
    let Some(page) = state.conversation.with_untracked(|c| c.page.clone()) else {
        return PartsOutcome::Notes(PageNotes::default());
    };
    let parts = map_parts(&page, options);
    let total = parts.len();
    let requests: Vec<HttpRequest> =
        parts.iter().map(|part| build_chat_request(endpoint, &map_request(&page, part, total, options))).collect();
    let texts = match run_all(state, &requests, endpoint, fetch, abort, false).await {
        Ok(Some(texts)) => texts,
        Ok(None) => return PartsOutcome::Stopped,
        Err(diagnosis) => return PartsOutcome::Failed(diagnosis),
    };
    // Each note with the parts it covers (numbered from 1).
    let mut spans: Vec<(usize, usize)> = (1..=total).map(|number| (number, number)).collect();
    let mut notes: Vec<(String, String)> =
        texts.into_iter().enumerate().map(|(at, text)| (parts_label(at + 1, at + 1, total), text)).collect();

    let answer_budget = state.conversation.with_untracked(|c| page_budget_for(c, options));
    loop {
        let plain: Vec<String> = notes.iter().map(|(_, note)| note.clone()).collect();
        let Some(groups) = combine_plan(&plain, answer_budget, options) else { break };
        let requests: Vec<HttpRequest> = groups
            .iter()
            .map(|group| build_chat_request(endpoint, &combine_request(&page, &notes, group.clone(), options)))
            .collect();
        let texts = match run_all(state, &requests, endpoint, fetch, abort, true).await {
            Ok(Some(texts)) => texts,
            Ok(None) => return PartsOutcome::Stopped,
            Err(diagnosis) => return PartsOutcome::Failed(diagnosis),
        };
        let merged_spans: Vec<(usize, usize)> =
            groups.iter().map(|group| (spans[group.start].0, spans[group.end - 1].1)).collect();
        notes = merged_spans
            .iter()
            .zip(texts)
            .map(|(&(first, last), text)| (parts_label(first, last, total), text))
            .collect();
        spans = merged_spans;
    }
    PartsOutcome::Notes(notes_for_answer(&notes, total))
}

/// Sends every request, [`MAP_CONCURRENCY`] at a time, and returns their
/// answers in order; `None` when stopped. The first failure ends the rest.
async fn run_all(
    state: PanelState,
    requests: &[HttpRequest],
    endpoint: &Endpoint,
    fetch: FetchOptions,
    abort: &Abort,
    combining: bool,
) -> Result<Option<Vec<String>>, Diagnosis> {
    let total = requests.len();
    state.progress.set(Some(ReadingProgress { done: 0, total, combining }));
    let answers = RefCell::new(vec![String::new(); total]);
    let next = Cell::new(0usize);
    let done = Cell::new(0usize);
    let worker = || async {
        loop {
            let at = next.get();
            if at >= total {
                return Ok(true);
            }
            next.set(at + 1);
            match ask_quietly(&requests[at], endpoint, fetch, abort).await? {
                Some(text) => answers.borrow_mut()[at] = text,
                None => return Ok(false),
            }
            done.set(done.get() + 1);
            state.progress.set(Some(ReadingProgress { done: done.get(), total, combining }));
        }
    };
    // Dropping the other workers' futures (on a failure) aborts their requests.
    let finished = futures::future::try_join_all((0..MAP_CONCURRENCY.min(total)).map(|_| worker())).await?;
    Ok(finished.iter().all(|&whole| whole).then(|| answers.into_inner()))
}

/// One request whose answer is collected rather than shown; `None` when stopped.
async fn ask_quietly(
    request: &HttpRequest,
    endpoint: &Endpoint,
    fetch: FetchOptions,
    abort: &Abort,
) -> Result<Option<String>, Diagnosis> {
    let mut text = String::new();
    let mut stream_error = None;
    let outcome = stream_chat(request, endpoint.family, fetch, abort, |event| match event {
        StreamEvent::Content(delta) => text.push_str(&delta),
        // A thinking model's notes are its answer, not its reasoning.
        StreamEvent::ContentWasReasoning => text.clear(),
        StreamEvent::Error(error) => stream_error = Some(error),
        _ => {}
    })
    .await;
    match outcome {
        Ok(StreamOutcome::Completed) => match stream_error {
            Some(error) => Err(diagnose_stream_error(&error)),
            None => Ok(Some(text)),
        },
        Ok(StreamOutcome::Aborted) => Ok(None),
        Err(failure) => Err(diagnose_failure(&failure, endpoint.family, &endpoint.base_url).await),
    }
}
