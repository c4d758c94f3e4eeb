//! Wasm tier: `platform::model_fetch` against `tests/support/stream_server.mjs` in headless Chromium.
//!
//! The server's address is baked in at compile time from
//! `PAGEWISE_STREAM_SERVER` (such as `http://127.0.0.1:PORT`);
//! `cargo xtask test wasm` starts the server and sets it. The test page and
//! the server are different origins, so every request here is a real CORS
//! request.
#![cfg(target_arch = "wasm32")]

use gloo::timers::callback::Timeout;
use pagewise::platform::model_fetch::{fetch_text, stream_chat, Abort, FetchFailure, FetchOptions, StreamOutcome};
use pagewise::provider::diagnosis::{diagnose_http, ErrorKind, TimeoutPhase};
use pagewise::provider::request::{build_chat_request, ChatMessage, ChatRequest, Endpoint};
use pagewise::provider::{ApiFamily, HttpMethod, HttpRequest};
use pagewise::stream::{StreamError, StreamEvent, StreamResult, Termination};
use serde_json::Value;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The stream server's base URL, without a trailing slash.
fn server() -> &'static str {
    match option_env!("PAGEWISE_STREAM_SERVER") {
        Some(url) if !url.trim().is_empty() => url.trim().trim_end_matches('/'),
        _ => panic!(
            "PAGEWISE_STREAM_SERVER is not set: run these tests through `cargo xtask test wasm`, \
             which starts tests/support/stream_server.mjs and passes its address"
        ),
    }
}

fn get(path: &str) -> HttpRequest {
    HttpRequest { method: HttpMethod::Get, url: format!("{}{path}", server()), headers: Vec::new(), body: None }
}

fn now() -> f64 {
    js_sys::Date::now()
}

fn options(connect_timeout_ms: u32, idle_timeout_ms: u32) -> FetchOptions {
    FetchOptions { connect_timeout_ms, idle_timeout_ms }
}

/// Streams `request` and returns the outcome with every event delivered.
async fn run(
    request: &HttpRequest,
    family: ApiFamily,
    options: FetchOptions,
    abort: &Abort,
) -> (Result<StreamOutcome, FetchFailure>, Vec<StreamEvent>) {
    let mut events = Vec::new();
    let outcome = stream_chat(request, family, options, abort, |event| events.push(event)).await;
    (outcome, events)
}

/// Replays corpus file `file` with 1-byte and 7-byte writes and checks the
/// assembled answer against its `expected.json`.
async fn replays_like_the_corpus(file: &str, family: ApiFamily, expected_json: &str) {
    let expected: Value = serde_json::from_str(expected_json).unwrap();
    let expect = &expected["expect"];
    for query in ["chunk=1&delay=0", "chunk=7&delay=1"] {
        let abort = Abort::new().unwrap();
        let request = get(&format!("/stream/{file}?{query}"));
        let (outcome, events) = run(&request, family, FetchOptions::default(), &abort).await;
        assert_eq!(outcome, Ok(StreamOutcome::Completed), "{file} {query}");
        assert!(
            matches!(events.last(), Some(StreamEvent::End(_))),
            "{file} {query}: the last event must be End: {events:?}"
        );
        let result = StreamResult::from_events(events);
        let context = format!("{file} {query}");
        assert_eq!(result.content, expect["content"].as_str().unwrap(), "{context}");
        assert_eq!(result.reasoning, expect["reasoning"].as_str().unwrap(), "{context}");
        assert_eq!(serde_json::to_value(&result.finish_reason).unwrap(), expect["finish_reason"], "{context}");
        assert_eq!(result.usage.clone().unwrap_or(Value::Null), expect["usage"], "{context}");
        assert_eq!(serde_json::to_value(result.termination).unwrap(), expect["termination"], "{context}");
        assert_eq!(result.error.is_some(), !expect["error"].is_null(), "{context}");
    }
}

#[wasm_bindgen_test]
async fn openai_basic_streams_like_the_corpus() {
    replays_like_the_corpus(
        "openai_chat_basic.sse",
        ApiFamily::OpenAi,
        include_str!("data/streams/openai_chat_basic.expected.json"),
    )
    .await;
}

#[wasm_bindgen_test]
async fn anthropic_thinking_streams_like_the_corpus() {
    replays_like_the_corpus(
        "anthropic_messages_thinking.sse",
        ApiFamily::Anthropic,
        include_str!("data/streams/anthropic_messages_thinking.expected.json"),
    )
    .await;
}

#[wasm_bindgen_test]
async fn ollama_native_ndjson_streams_like_the_corpus() {
    replays_like_the_corpus(
        "ollama_native_chat.ndjson",
        ApiFamily::Ollama,
        include_str!("data/streams/ollama_native_chat.expected.json"),
    )
    .await;
}

#[wasm_bindgen_test]
async fn dashscope_thinking_streams_like_the_corpus() {
    replays_like_the_corpus(
        "dashscope_qwen_thinking.sse",
        ApiFamily::OpenAi,
        include_str!("data/streams/dashscope_qwen_thinking.expected.json"),
    )
    .await;
}

#[wasm_bindgen_test]
async fn utf8_split_across_writes_streams_like_the_corpus() {
    replays_like_the_corpus(
        "edge_utf8_split.sse",
        ApiFamily::OpenAi,
        include_str!("data/streams/edge_utf8_split.expected.json"),
    )
    .await;
}

#[wasm_bindgen_test]
async fn events_arrive_while_the_body_is_still_streaming() {
    // 1487 bytes in 100-byte writes 150 ms apart: about 2.1 s in all, with
    // every gap well under the 1 s idle timeout.
    let abort = Abort::new().unwrap();
    let request = get("/stream/openai_chat_basic.sse?chunk=100&delay=150");
    let start = now();
    let mut content_times = Vec::new();
    let mut events = Vec::new();
    let outcome = stream_chat(&request, ApiFamily::OpenAi, options(5_000, 1_000), &abort, |event| {
        if matches!(event, StreamEvent::Content(_)) {
            content_times.push(now() - start);
        }
        events.push(event);
    })
    .await;
    let total = now() - start;
    assert_eq!(outcome, Ok(StreamOutcome::Completed));
    assert_eq!(StreamResult::from_events(events).content, "Hello! How can I help?");
    assert!(content_times.len() >= 2, "{content_times:?}");
    assert!(
        content_times[0] < total - 500.0,
        "the first words must come before the body ends: {content_times:?}, total {total} ms"
    );
}

#[wasm_bindgen_test]
async fn a_stall_trips_the_idle_timeout_and_keeps_the_partial_answer() {
    let abort = Abort::new().unwrap();
    let request = get("/stall/openai_chat_basic.sse?after=900");
    let start = now();
    let (outcome, events) = run(&request, ApiFamily::OpenAi, options(5_000, 500), &abort).await;
    let elapsed = now() - start;
    assert_eq!(outcome, Err(FetchFailure::Timeout { phase: TimeoutPhase::Idle }));
    assert!(elapsed < 3_000.0, "took {elapsed} ms");
    let result = StreamResult::from_events(events);
    assert_eq!(result.content, "Hello! How can");
    assert_eq!(result.termination, None);
}

#[wasm_bindgen_test]
async fn no_response_headers_trips_the_connect_timeout() {
    let abort = Abort::new().unwrap();
    let start = now();
    let (outcome, events) = run(&get("/hang"), ApiFamily::OpenAi, options(300, 10_000), &abort).await;
    let elapsed = now() - start;
    assert_eq!(outcome, Err(FetchFailure::Timeout { phase: TimeoutPhase::Connect }));
    assert!(events.is_empty());
    assert!(elapsed < 3_000.0, "took {elapsed} ms");
}

#[wasm_bindgen_test]
async fn a_dropped_connection_ends_truncated_with_the_partial_answer() {
    let abort = Abort::new().unwrap();
    let request = get("/drop/openai_chat_basic.sse?after=900");
    let (outcome, events) = run(&request, ApiFamily::OpenAi, options(5_000, 5_000), &abort).await;
    assert_eq!(outcome, Ok(StreamOutcome::Completed));
    let result = StreamResult::from_events(events);
    assert_eq!(result.content, "Hello! How can");
    assert_eq!(result.termination, Some(Termination::Truncated));
    assert_eq!(result.error.and_then(|error| error.kind).as_deref(), Some(StreamError::INCOMPLETE));
}

/// Requests `/status/CODE` with `body` and one extra header.
fn status_request(code: u16, body: &str, header: &str) -> HttpRequest {
    let body = String::from(js_sys::encode_uri_component(body));
    let header = String::from(js_sys::encode_uri_component(header));
    get(&format!("/status/{code}?body={body}&header={header}"))
}

#[wasm_bindgen_test]
async fn http_429_is_reported_with_status_headers_and_body_for_the_doctor() {
    let body =
        r#"{"error":{"message":"Rate limit reached for gpt-4o-mini","type":"requests","code":"rate_limit_exceeded"}}"#;
    let abort = Abort::new().unwrap();
    let request = status_request(429, body, "retry-after:7");
    let (outcome, events) = run(&request, ApiFamily::OpenAi, FetchOptions::default(), &abort).await;
    assert!(events.is_empty(), "{events:?}");
    let Err(FetchFailure::Http { status, headers, body: received }) = outcome else {
        panic!("expected FetchFailure::Http, got {outcome:?}");
    };
    assert_eq!(status, 429);
    assert_eq!(received, body);
    assert!(headers.contains(&("retry-after".to_string(), "7".to_string())), "{headers:?}");
    assert!(headers.iter().all(|(name, _)| *name == name.to_ascii_lowercase()));
    let diagnosis = diagnose_http(ApiFamily::OpenAi, server(), status, &headers, &received);
    assert_eq!(diagnosis.kind, ErrorKind::RateLimit);
    assert_eq!(diagnosis.retry_after_seconds, Some(7));
    assert_eq!(diagnosis.provider_message.as_deref(), Some("Rate limit reached for gpt-4o-mini"));
}

#[wasm_bindgen_test]
async fn http_401_is_reported_and_diagnosed_as_auth() {
    let body = r#"{"error":{"message":"Incorrect API key provided: sk-abc.","type":"invalid_request_error","code":"invalid_api_key"}}"#;
    let abort = Abort::new().unwrap();
    let request = status_request(401, body, "x-request-id:req_1");
    let (outcome, _) = run(&request, ApiFamily::OpenAi, FetchOptions::default(), &abort).await;
    let Err(FetchFailure::Http { status, headers, body: received }) = outcome else {
        panic!("expected FetchFailure::Http, got {outcome:?}");
    };
    assert_eq!((status, received.as_str()), (401, body));
    let diagnosis = diagnose_http(ApiFamily::OpenAi, server(), status, &headers, &received);
    assert_eq!(diagnosis.kind, ErrorKind::Auth);
}

#[wasm_bindgen_test]
async fn abort_mid_stream_returns_promptly_and_keeps_the_partial_answer() {
    let abort = Abort::new().unwrap();
    let stop = abort.clone();
    let _timer = Timeout::new(300, move || stop.abort());
    let request = get("/stall/openai_chat_basic.sse?after=900");
    let start = now();
    let (outcome, events) = run(&request, ApiFamily::OpenAi, options(5_000, 10_000), &abort).await;
    let elapsed = now() - start;
    assert_eq!(outcome, Ok(StreamOutcome::Aborted));
    assert!(elapsed < 1_500.0, "took {elapsed} ms");
    assert!(abort.is_aborted());
    assert!(!events.iter().any(|event| matches!(event, StreamEvent::End(_))));
    assert_eq!(StreamResult::from_events(events).content, "Hello! How can");
}

#[wasm_bindgen_test]
async fn abort_from_an_event_handler_stops_delivery_at_once() {
    let abort = Abort::new().unwrap();
    let stop = abort.clone();
    let request = get("/stream/openai_chat_basic.sse?chunk=7&delay=5");
    let mut events = Vec::new();
    let outcome = stream_chat(&request, ApiFamily::OpenAi, FetchOptions::default(), &abort, |event| {
        if matches!(&event, StreamEvent::Content(text) if !text.is_empty()) {
            stop.abort();
        }
        events.push(event);
    })
    .await;
    assert_eq!(outcome, Ok(StreamOutcome::Aborted));
    assert!(
        matches!(events.last(), Some(StreamEvent::Content(text)) if text == "Hello"),
        "nothing may follow the abort: {events:?}"
    );
}

#[wasm_bindgen_test]
async fn abort_before_the_response_returns_aborted() {
    let abort = Abort::new().unwrap();
    let stop = abort.clone();
    let _timer = Timeout::new(200, move || stop.abort());
    let start = now();
    let (outcome, events) = run(&get("/hang"), ApiFamily::OpenAi, options(10_000, 10_000), &abort).await;
    assert_eq!(outcome, Ok(StreamOutcome::Aborted));
    assert!(events.is_empty());
    assert!(now() - start < 1_500.0);

    // An already aborted handle sends nothing.
    let (outcome, _) = run(&get("/hang"), ApiFamily::OpenAi, options(10_000, 10_000), &abort).await;
    assert_eq!(outcome, Ok(StreamOutcome::Aborted));
}

#[wasm_bindgen_test]
async fn a_closed_port_is_a_network_failure() {
    let (status, _, port) = fetch_text(&get("/closed-port"), FetchOptions::default()).await.unwrap();
    assert_eq!(status, 200);
    let request = HttpRequest {
        method: HttpMethod::Post,
        url: format!("http://127.0.0.1:{port}/v1/chat/completions"),
        headers: vec![("content-type".into(), "application/json".into())],
        body: Some("{}".into()),
    };
    let abort = Abort::new().unwrap();
    let (outcome, events) = run(&request, ApiFamily::OpenAi, options(5_000, 5_000), &abort).await;
    assert!(matches!(outcome, Err(FetchFailure::Network(_))), "expected a network failure, got {outcome:?}");
    assert!(events.is_empty());
}

#[wasm_bindgen_test]
async fn the_request_carries_the_method_headers_and_body_it_was_built_with() {
    let endpoint = Endpoint::new(ApiFamily::OpenAi, format!("{}/echo/v1", server()), "sk-test-free");
    let chat = ChatRequest {
        model: "gpt-4o-mini".into(),
        messages: vec![ChatMessage::user("Summarize: 你好")],
        ..ChatRequest::default()
    };
    let request = build_chat_request(&endpoint, &chat);
    let (status, headers, body) = fetch_text(&request, FetchOptions::default()).await.unwrap();
    assert_eq!(status, 200);
    assert!(headers.iter().any(|(name, value)| name == "content-type" && value == "application/json"));
    let echoed: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(echoed["method"], "POST");
    assert_eq!(echoed["path"], "/echo/v1/chat/completions");
    assert_eq!(echoed["headers"]["authorization"], "Bearer sk-test-free");
    assert_eq!(echoed["headers"]["content-type"], "application/json");
    let sent: Value = serde_json::from_str(echoed["body"].as_str().unwrap()).unwrap();
    assert_eq!(sent, serde_json::from_str::<Value>(request.body.as_deref().unwrap()).unwrap());
    assert_eq!(sent["stream"], true);
    assert_eq!(sent["model"], "gpt-4o-mini");
    assert!(sent.to_string().contains("你好"));
}

#[wasm_bindgen_test]
async fn fetch_text_reads_a_whole_body_byte_exact() {
    let (status, _, body) =
        fetch_text(&get("/stream/edge_utf8_split.sse?chunk=5&delay=0"), FetchOptions::default()).await.unwrap();
    assert_eq!(status, 200);
    assert_eq!(body, include_str!("data/streams/edge_utf8_split.sse"));

    // fetch_text reports error statuses as data, not as failures.
    let (status, _, body) =
        fetch_text(&status_request(404, "no such model", "x:y"), FetchOptions::default()).await.unwrap();
    assert_eq!((status, body.as_str()), (404, "no such model"));
}

#[wasm_bindgen_test]
fn default_options_follow_the_settings_schema_30_s_and_120_s() {
    server();
    assert_eq!(FetchOptions::default(), options(30_000, 120_000));
}

#[wasm_bindgen_test]
async fn a_header_the_browser_refuses_is_a_setup_failure() {
    // Header values are byte strings: a key pasted with non-Latin-1 text in it
    // must come back as an error, not a panic.
    let endpoint = Endpoint::new(ApiFamily::OpenAi, format!("{}/echo/v1", server()), "sk-密钥");
    let request = build_chat_request(&endpoint, &ChatRequest::default());
    let abort = Abort::new().unwrap();
    let (outcome, _) = run(&request, ApiFamily::OpenAi, FetchOptions::default(), &abort).await;
    assert!(
        matches!(&outcome, Err(FetchFailure::Setup(message)) if message.contains("authorization") || message.contains("Authorization")),
        "{outcome:?}"
    );
}
