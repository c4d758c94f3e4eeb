//! Sending model requests with the browser's `fetch` and streaming the answer through the core decoder.
//!
//! [`stream_chat`] sends a core [`HttpRequest`], reads the response body
//! chunk by chunk as the network delivers it, feeds every chunk to
//! [`StreamDecoder`] and hands each event to the caller at once. It enforces
//! two timeouts: [`FetchOptions::connect_timeout_ms`] until the response
//! headers arrive, and [`FetchOptions::idle_timeout_ms`] as the longest gap
//! between two reads. [`Abort`] is the Stop button: it ends the request at
//! once. [`fetch_text`] reads a whole (bounded) body, for model lists;
//! [`fetch_context_window`] asks a server for a model's context window.
//!
//! `fetch` is looked up on `js_sys::global()`, so this works in a page and in
//! the background worker alike. Dropping a future returned here aborts its
//! request. Errors are [`FetchFailure`]s; an HTTP error keeps its status,
//! headers and body for [`crate::provider::diagnosis::diagnose_http`].

use std::cell::Cell;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use js_sys::{Array, Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, Headers, ReadableStreamDefaultReader, RequestInit, Response};

use super::describe_js_error;
use crate::provider::diagnosis::TimeoutPhase;
use crate::provider::model_info::{self, ServerKind};
use crate::provider::models::list_models_request;
use crate::provider::request::Endpoint;
use crate::provider::{ApiFamily, HttpRequest};
use crate::stream::{StreamDecoder, StreamEvent};

/// The most of an error response's body kept for diagnosis, in bytes.
pub const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;

/// The largest body [`fetch_text`] accepts, in bytes.
pub const MAX_TEXT_BODY_BYTES: usize = 16 * 1024 * 1024;

/// How long to wait for a server. A value of 0 turns that timeout off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FetchOptions {
    /// From sending the request until the response headers arrive.
    pub connect_timeout_ms: u32,
    /// The longest silence between two reads of the body (and before the first).
    pub idle_timeout_ms: u32,
}

impl Default for FetchOptions {
    /// The settings schema's defaults.
    fn default() -> FetchOptions {
        FetchOptions::from(&crate::settings::NetworkSettings::default())
    }
}

impl From<&crate::settings::NetworkSettings> for FetchOptions {
    fn from(network: &crate::settings::NetworkSettings) -> FetchOptions {
        FetchOptions {
            connect_timeout_ms: network.connect_timeout_seconds.saturating_mul(1000),
            idle_timeout_ms: network.idle_timeout_seconds.saturating_mul(1000),
        }
    }
}

/// The Stop button of one request: a handle on an `AbortController`.
///
/// Clones share the controller, so the UI can keep one clone and pass
/// another to [`stream_chat`]. Once aborted it stays aborted: make a new
/// one for the next request.
#[derive(Clone, Debug)]
pub struct Abort {
    controller: AbortController,
}

impl Abort {
    /// A fresh, not yet aborted handle.
    pub fn new() -> Result<Abort, FetchFailure> {
        AbortController::new().map(|controller| Abort { controller }).map_err(|error| {
            FetchFailure::Setup(format!("AbortController is not available: {}", describe_js_error(&error)))
        })
    }

    /// Stops the request now; a running [`stream_chat`] returns
    /// [`StreamOutcome::Aborted`]. Aborting twice, or after the end, does nothing.
    pub fn abort(&self) {
        self.controller.abort();
    }

    /// Whether [`Abort::abort`] was called.
    pub fn is_aborted(&self) -> bool {
        self.controller.signal().aborted()
    }

    fn signal(&self) -> AbortSignal {
        self.controller.signal()
    }
}

/// How a stream that did not fail ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamOutcome {
    /// The body ended, cleanly or not: the last event delivered was
    /// `StreamEvent::End`, whose termination says which.
    Completed,
    /// The user aborted; the events delivered so far are the partial answer.
    Aborted,
}

/// Why a request produced no (complete) answer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FetchFailure {
    /// The server answered with a status outside 200–299.
    #[error("the server answered HTTP {status}")]
    Http {
        /// The HTTP status.
        status: u16,
        /// The response headers the browser exposes, names in lower case.
        headers: Vec<(String, String)>,
        /// The body, cut at [`MAX_ERROR_BODY_BYTES`].
        body: String,
    },
    /// `fetch` rejected with no response: refused, unresolvable, or blocked
    /// by the browser (CORS, permissions); the browser does not say which.
    #[error("the request failed before any response: {0}")]
    Network(String),
    /// A timeout of [`FetchOptions`] ran out; the request was aborted.
    #[error("the server did not answer in time ({phase:?})")]
    Timeout {
        /// Before the response headers, or between two reads of the body.
        phase: TimeoutPhase,
    },
    /// A [`fetch_text`] body exceeded [`MAX_TEXT_BODY_BYTES`].
    #[error("the response is larger than {limit_bytes} bytes")]
    TooLarge {
        /// The limit that was exceeded.
        limit_bytes: usize,
    },
    /// The request could not be built or sent: an invalid header, no `fetch`
    /// in this context, or an unexpected value from the browser.
    #[error("could not send the request: {0}")]
    Setup(String),
}

/// Sends `request` and streams its answer, calling `on_event` for every
/// event of `StreamDecoder::new(family)` as soon as its bytes arrive.
///
/// - 2xx: the body is decoded to its end, then `finish()` closes it; a
///   connection that breaks mid-body is treated as the end of the body, so
///   the decoder reports `incomplete_stream` and `End(Truncated)`. Either way
///   the result is [`StreamOutcome::Completed`].
/// - Other statuses: [`FetchFailure::Http`], with no events.
/// - [`Abort::abort`]: reading stops at once, no further events (no `End`),
///   and the result is [`StreamOutcome::Aborted`].
/// - A timeout: the fetch is aborted and [`FetchFailure::Timeout`] returned;
///   events already delivered stay delivered.
pub async fn stream_chat(
    request: &HttpRequest,
    family: ApiFamily,
    options: FetchOptions,
    abort: &Abort,
    mut on_event: impl FnMut(StreamEvent),
) -> Result<StreamOutcome, FetchFailure> {
    let mut flight = Flight::new(Some(abort))?;
    if flight.user_aborted() {
        return Ok(StreamOutcome::Aborted);
    }
    let response = match send(request, &mut flight, options.connect_timeout_ms).await {
        Ok(response) => response,
        Err(interruption) => return interruption.outcome(),
    };
    let status = response.status();
    if !(200..300).contains(&status) {
        let headers = header_pairs(&response.headers());
        let (bytes, end) = collect(&response, &mut flight, options.idle_timeout_ms, MAX_ERROR_BODY_BYTES).await;
        if let ReadEnd::Interrupted(Interruption::User) = end {
            return Ok(StreamOutcome::Aborted);
        }
        // Any other interruption keeps the part of the error body that came.
        return Err(FetchFailure::Http { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() });
    }

    let mut decoder = StreamDecoder::new(family);
    let end = match response.body() {
        None => ReadEnd::Done,
        Some(body) => {
            let reader = ReadableStreamDefaultReader::new(&body).map_err(|error| {
                FetchFailure::Setup(format!("cannot read the response body: {}", describe_js_error(&error)))
            })?;
            read_body(&reader, &mut flight, options.idle_timeout_ms, |bytes| {
                let mut ended = false;
                for event in decoder.push(bytes) {
                    // An abort from inside `on_event` stops delivery at once.
                    if abort.is_aborted() {
                        return false;
                    }
                    ended |= matches!(event, StreamEvent::End(_));
                    on_event(event);
                }
                // After the decoder's End nothing more counts: stop reading,
                // so a server that keeps the connection open cannot stall us.
                !ended
            })
            .await
        }
    };
    if flight.user_aborted() {
        return Ok(StreamOutcome::Aborted);
    }
    match end {
        ReadEnd::Interrupted(Interruption::User) => Ok(StreamOutcome::Aborted),
        ReadEnd::Interrupted(Interruption::Timeout(phase)) => Err(FetchFailure::Timeout { phase }),
        ReadEnd::Done | ReadEnd::Stopped | ReadEnd::Interrupted(Interruption::Failed(_)) => {
            for event in decoder.finish() {
                on_event(event);
            }
            Ok(StreamOutcome::Completed)
        }
    }
}

/// Sends `request` and reads its whole body as text (invalid UTF-8 is
/// replaced), whatever the status: `(status, headers, body)`, header names
/// in lower case. For model lists and health checks.
pub async fn fetch_text(
    request: &HttpRequest,
    options: FetchOptions,
) -> Result<(u16, Vec<(String, String)>, String), FetchFailure> {
    let (status, headers, bytes) = fetch_bytes(request, options).await?;
    Ok((status, headers, String::from_utf8_lossy(&bytes).into_owned()))
}

/// The context window a request for `model` gets at `endpoint`, as its
/// server reports it: Ollama's `/api/show` and llama.cpp's `/props` for
/// those kinds ([`crate::provider::model_info::server_kind`]), the model
/// list's entry for other servers (OpenRouter, vLLM, Groq, Gemini say it).
/// `None` on any failure (network, status, body): the caller keeps its
/// default, such as [`crate::provider::model_info::known_context_window`] or
/// the preset's window.
pub async fn fetch_context_window(
    endpoint: &Endpoint,
    kind: ServerKind,
    model: &str,
    options: FetchOptions,
) -> Option<u32> {
    match model_info::context_window_request(endpoint, kind, model) {
        Some(request) => {
            let body = fetch_success_text(&request, options).await?;
            model_info::parse_context_window(kind, &body)
        }
        None => {
            let body = fetch_success_text(&list_models_request(endpoint), options).await?;
            model_info::context_window_in_model_list(endpoint.family, &body, model)
        }
    }
}

/// The body of a 2xx answer to `request`; `None` for anything else.
async fn fetch_success_text(request: &HttpRequest, options: FetchOptions) -> Option<String> {
    let (status, _, body) = fetch_text(request, options).await.ok()?;
    (200..300).contains(&status).then_some(body)
}

/// As [`fetch_text`], with the body as bytes (a linked page, an image).
pub async fn fetch_bytes(
    request: &HttpRequest,
    options: FetchOptions,
) -> Result<(u16, Vec<(String, String)>, Vec<u8>), FetchFailure> {
    let mut flight = Flight::new(None)?;
    let response = send(request, &mut flight, options.connect_timeout_ms).await.map_err(Interruption::into_failure)?;
    let status = response.status();
    let headers = header_pairs(&response.headers());
    let (bytes, end) = collect(&response, &mut flight, options.idle_timeout_ms, MAX_TEXT_BODY_BYTES).await;
    match end {
        ReadEnd::Done => Ok((status, headers, bytes)),
        ReadEnd::Stopped => Err(FetchFailure::TooLarge { limit_bytes: MAX_TEXT_BODY_BYTES }),
        ReadEnd::Interrupted(interruption) => Err(interruption.into_failure()),
    }
}

/// Why a request stopped before its natural end.
enum Interruption {
    /// The user's [`Abort`].
    User,
    /// One of the timeouts.
    Timeout(TimeoutPhase),
    /// Anything else: a network error, or an unexpected value.
    Failed(FetchFailure),
}

impl Interruption {
    fn outcome(self) -> Result<StreamOutcome, FetchFailure> {
        match self {
            Interruption::User => Ok(StreamOutcome::Aborted),
            other => Err(other.into_failure()),
        }
    }

    fn into_failure(self) -> FetchFailure {
        match self {
            Interruption::User => FetchFailure::Network("the request was aborted".into()),
            Interruption::Timeout(phase) => FetchFailure::Timeout { phase },
            Interruption::Failed(failure) => failure,
        }
    }
}

/// How reading a body ended.
enum ReadEnd {
    /// The body ended.
    Done,
    /// The consumer asked to stop.
    Stopped,
    /// Aborted, timed out or broken.
    Interrupted(Interruption),
}

/// One request in flight: its own controller (aborted by the timers, by the
/// user's [`Abort`] through a listener, and on drop) and its armed timer.
struct Flight {
    controller: AbortController,
    timed_out: Rc<Cell<Option<TimeoutPhase>>>,
    user: Option<AbortSignal>,
    _link: Option<AbortLink>,
    timer: Option<Timeout>,
}

impl Flight {
    fn new(user: Option<&Abort>) -> Result<Flight, FetchFailure> {
        let controller = Abort::new()?.controller;
        let user = user.map(Abort::signal);
        let link = match &user {
            Some(signal) => Some(AbortLink::new(signal, &controller)?),
            None => None,
        };
        Ok(Flight { controller, timed_out: Rc::new(Cell::new(None)), user, _link: link, timer: None })
    }

    fn signal(&self) -> AbortSignal {
        self.controller.signal()
    }

    fn user_aborted(&self) -> bool {
        self.user.as_ref().is_some_and(AbortSignal::aborted)
    }

    /// Starts the timer of `phase` (0 ms: none), replacing any running one.
    fn arm(&mut self, phase: TimeoutPhase, millis: u32) {
        self.timer = None;
        if millis == 0 {
            return;
        }
        let timed_out = Rc::clone(&self.timed_out);
        let controller = self.controller.clone();
        self.timer = Some(Timeout::new(millis, move || {
            timed_out.set(Some(phase));
            controller.abort();
        }));
    }

    /// Stops the running timer (dropping a gloo `Timeout` clears it).
    fn disarm(&mut self) {
        self.timer = None;
    }

    /// Explains a rejected promise: the user, a timer, or the network.
    fn interruption(&self, error: &JsValue) -> Interruption {
        if self.user_aborted() {
            Interruption::User
        } else if let Some(phase) = self.timed_out.get() {
            Interruption::Timeout(phase)
        } else {
            Interruption::Failed(FetchFailure::Network(describe_js_error(error)))
        }
    }
}

impl Drop for Flight {
    /// Ends the request if it is still running (a dropped future, or a
    /// reader that stopped early); harmless after a complete body.
    fn drop(&mut self) {
        self.timer = None;
        self.controller.abort();
    }
}

/// Forwards the user's abort to a request's own controller while it lives.
struct AbortLink {
    signal: AbortSignal,
    listener: Closure<dyn FnMut()>,
}

impl AbortLink {
    fn new(signal: &AbortSignal, target: &AbortController) -> Result<AbortLink, FetchFailure> {
        let target = target.clone();
        let listener = Closure::<dyn FnMut()>::new(move || target.abort());
        signal.add_event_listener_with_callback("abort", listener.as_ref().unchecked_ref()).map_err(|error| {
            FetchFailure::Setup(format!("cannot watch the abort signal: {}", describe_js_error(&error)))
        })?;
        Ok(AbortLink { signal: signal.clone(), listener })
    }
}

impl Drop for AbortLink {
    fn drop(&mut self) {
        // Removing a listener cannot fail in practice; nothing to report if it does.
        let _ = self.signal.remove_event_listener_with_callback("abort", self.listener.as_ref().unchecked_ref());
    }
}

/// Calls the global `fetch` and waits for the response headers, under the
/// connect timeout.
async fn send(request: &HttpRequest, flight: &mut Flight, connect_timeout_ms: u32) -> Result<Response, Interruption> {
    let setup = |what: &str, error: JsValue| {
        Interruption::Failed(FetchFailure::Setup(format!("{what}: {}", describe_js_error(&error))))
    };
    let init = RequestInit::new();
    init.set_method(request.method.as_str());
    let headers = Headers::new().map_err(|error| setup("Headers is not available", error))?;
    for (name, value) in &request.headers {
        headers.append(name, value).map_err(|error| setup(&format!("invalid header {name}"), error))?;
    }
    init.set_headers(&headers);
    if let Some(body) = &request.body {
        init.set_body(&JsValue::from_str(body));
    }
    init.set_signal(Some(&flight.signal()));

    let global = js_sys::global();
    let fetch: Function = Reflect::get(&global, &JsValue::from_str("fetch"))
        .ok()
        .and_then(|value| value.dyn_into().ok())
        .ok_or_else(|| Interruption::Failed(FetchFailure::Setup("fetch is not available in this context".into())))?;
    flight.arm(TimeoutPhase::Connect, connect_timeout_ms);
    let returned =
        fetch.call2(&global, &JsValue::from_str(&request.url), &init).map_err(|error| flight.interruption(&error))?;
    let promise: Promise = returned
        .dyn_into()
        .map_err(|_| Interruption::Failed(FetchFailure::Setup("fetch did not return a promise".into())))?;
    let result = JsFuture::from(promise).await;
    flight.disarm();
    let response = result.map_err(|error| flight.interruption(&error))?;
    if flight.user_aborted() {
        return Err(Interruption::User);
    }
    response
        .dyn_into()
        .map_err(|_| Interruption::Failed(FetchFailure::Setup("fetch did not resolve to a Response".into())))
}

/// Reads `reader` to its end, handing each chunk to `on_chunk` (which
/// returns false to stop), with the idle timer re-armed before every read.
async fn read_body(
    reader: &ReadableStreamDefaultReader,
    flight: &mut Flight,
    idle_timeout_ms: u32,
    mut on_chunk: impl FnMut(&[u8]) -> bool,
) -> ReadEnd {
    let mut buffer = Vec::new();
    loop {
        flight.arm(TimeoutPhase::Idle, idle_timeout_ms);
        let result = JsFuture::from(reader.read()).await;
        flight.disarm();
        let chunk = match result {
            Ok(chunk) => chunk,
            Err(error) => return ReadEnd::Interrupted(flight.interruption(&error)),
        };
        if flight.user_aborted() {
            return ReadEnd::Interrupted(Interruption::User);
        }
        let done =
            Reflect::get(&chunk, &JsValue::from_str("done")).ok().and_then(|done| done.as_bool()).unwrap_or(true);
        if done {
            return ReadEnd::Done;
        }
        let value = Reflect::get(&chunk, &JsValue::from_str("value")).unwrap_or(JsValue::UNDEFINED);
        let Ok(bytes) = value.dyn_into::<Uint8Array>() else {
            return ReadEnd::Interrupted(Interruption::Failed(FetchFailure::Setup(
                "the response body yielded something other than bytes".into(),
            )));
        };
        buffer.resize(bytes.length() as usize, 0);
        bytes.copy_to(&mut buffer);
        if !on_chunk(&buffer) {
            return ReadEnd::Stopped;
        }
    }
}

/// Reads a whole body, keeping at most `limit` bytes; `Stopped` means the
/// body was longer than that.
async fn collect(response: &Response, flight: &mut Flight, idle_timeout_ms: u32, limit: usize) -> (Vec<u8>, ReadEnd) {
    let Some(body) = response.body() else {
        return (Vec::new(), ReadEnd::Done);
    };
    let reader = match ReadableStreamDefaultReader::new(&body) {
        Ok(reader) => reader,
        Err(error) => {
            let failure = FetchFailure::Setup(format!("cannot read the response body: {}", describe_js_error(&error)));
            return (Vec::new(), ReadEnd::Interrupted(Interruption::Failed(failure)));
        }
    };
    let mut bytes = Vec::new();
    let end = read_body(&reader, flight, idle_timeout_ms, |chunk| {
        let room = limit.saturating_sub(bytes.len());
        bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
        chunk.len() <= room
    })
    .await;
    (bytes, end)
}

/// The response headers as `(name, value)` pairs; the browser gives names in
/// lower case, and only those CORS lets it expose.
fn header_pairs(headers: &Headers) -> Vec<(String, String)> {
    let Ok(Some(entries)) = js_sys::try_iter(headers) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let pair = entry.dyn_into::<Array>().ok()?;
            let name = pair.get(0).as_string()?;
            let value = pair.get(1).as_string()?;
            Some((name.to_ascii_lowercase(), value))
        })
        .collect()
}

/// The endpoint doctor's verdict on a failed request to `base_url`.
///
/// The browser does not say why a `fetch` got no response; an opaque
/// `no-cors` probe of the same server does: something listening means the
/// browser blocked the request (CORS, a missing permission), nothing
/// listening means the server is unreachable.
pub async fn diagnose_failure(
    failure: &FetchFailure,
    family: crate::provider::ApiFamily,
    base_url: &str,
) -> crate::provider::diagnosis::Diagnosis {
    use crate::provider::diagnosis::{diagnose_http, diagnose_transport, TransportFailure};
    use crate::provider::local_detect::{probe_url_for, transport_failure};
    let transport = |failure| diagnose_transport(family, base_url, failure);
    match failure {
        FetchFailure::Http { status, headers, body } => diagnose_http(family, base_url, *status, headers, body),
        FetchFailure::Timeout { phase } => transport(TransportFailure::Timeout { phase: *phase }),
        FetchFailure::Network(_) => {
            let listening = match probe_url_for(base_url) {
                Some(url) => super::local_probe::is_listening(&url, super::local_probe::PROBE_TIMEOUT_MS).await,
                None => false,
            };
            transport(transport_failure(listening))
        }
        FetchFailure::TooLarge { .. } | FetchFailure::Setup(_) => {
            let mut diagnosis = transport(TransportFailure::BlockedByBrowser);
            diagnosis.advice = format!("Pagewise could not send the request: {failure}.");
            diagnosis
        }
    }
}
