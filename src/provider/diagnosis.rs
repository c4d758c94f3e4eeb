//! The endpoint doctor: classifies a failed request and says, in plain words, what the user should do.
//!
//! [`diagnose_http`] reads an error response (status, headers, body) from any
//! family, and [`diagnose_transport`] a failure with no response at all. Both
//! return a [`Diagnosis`]: a stable [`ErrorKind`], whether retrying the same
//! request can help and after how long, the provider's own message, and one
//! or two sentences of advice. The rules follow section 4 of `endpoints.md`
//! and are checked against `tests/data/streams/http_errors.json`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::ApiFamily;

/// What kind of failure a request met.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The key is missing, wrong, or lacks access.
    Auth,
    /// Anthropic refused a browser call without its direct-browser-access header.
    AuthCors,
    /// Out of credit, balance or quota.
    Billing,
    /// Too many requests for now.
    RateLimit,
    /// The prompt does not fit the model's context window.
    ContextOverflow,
    /// The server is up but not ready (loading a model, provider down).
    Unavailable,
    /// The provider is overloaded (Anthropic 529).
    Overloaded,
    /// Ollama refused the extension's Origin (403 with an empty body).
    CorsOriginRejected,
    /// The server does not know the model.
    ModelNotFound,
    /// Nothing answers at this path: the base URL is probably wrong.
    WrongPath,
    /// The server failed with a 5xx.
    ServerError,
    /// The server rejected the request as invalid.
    BadRequest,
    /// Nothing answered at the address.
    Unreachable,
    /// The server took too long to answer or stopped sending.
    Timeout,
    /// The secure connection failed.
    Tls,
    /// The browser blocked the request (CORS or network) before any status arrived.
    BlockedByBrowser,
}

/// When a request timed out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeoutPhase {
    /// No response headers arrived in time.
    Connect,
    /// The response started but then went quiet for too long.
    Idle,
}

/// A request that failed without an HTTP status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransportFailure {
    /// The connection was refused or the host name did not resolve.
    Unreachable,
    /// The server did not answer, or stopped answering, in time.
    Timeout {
        /// Whether it never answered or went quiet mid-answer.
        phase: TimeoutPhase,
    },
    /// The TLS handshake or certificate check failed.
    Tls,
    /// `fetch` threw a `TypeError` with no status: CORS or a network block.
    BlockedByBrowser,
}

/// The doctor's verdict on a failed request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnosis {
    /// What went wrong.
    pub kind: ErrorKind,
    /// Whether sending the same request again can succeed without the user changing anything.
    pub retry: bool,
    /// How long to wait before retrying, when the server said.
    pub retry_after_seconds: Option<u64>,
    /// The provider's own error message, when it sent one.
    pub provider_message: Option<String>,
    /// One or two plain sentences saying what to do.
    pub advice: String,
}

/// The Ollama origin fix, shared by the 403 and the browser-block diagnoses.
const OLLAMA_ORIGINS_ADVICE: &str = "Ollama only accepts browser extensions it is told about. \
     Set OLLAMA_ORIGINS=chrome-extension://*,moz-extension://* in Ollama's environment and restart Ollama.";

/// The LM Studio CORS fix.
const LM_STUDIO_CORS_ADVICE: &str = "LM Studio does not accept requests from browser extensions unless CORS is on. \
     Turn on \"Enable CORS\" in LM Studio's server settings (or start it with `lms server start --cors`) and send again.";

/// Ollama's default port.
const OLLAMA_PORT: u16 = 11434;

/// LM Studio's default port.
const LM_STUDIO_PORT: u16 = 1234;

/// The longest provider message kept, in characters.
const MAX_PROVIDER_MESSAGE: usize = 500;

/// Classifies an HTTP error response from an endpoint of `family` at `base_url`.
pub fn diagnose_http(
    family: ApiFamily,
    base_url: &str,
    status: u16,
    headers: &[(String, String)],
    body: &str,
) -> Diagnosis {
    let server = Server::parse(base_url);
    let error = ProviderError::parse(body);
    let text = error.haystack();
    let body_is_empty = body.trim().is_empty();
    let retry_delay = error.retry_delay_seconds.is_some();

    let kind = if status == 401
        && (text.contains("anthropic-dangerous-direct-browser-access") || text.contains("cors requests must set"))
    {
        ErrorKind::AuthCors
    } else if status == 402 || is_billing(&text, retry_delay) {
        ErrorKind::Billing
    } else if !matches!(status, 401 | 403 | 429) && is_context_overflow(&text) {
        ErrorKind::ContextOverflow
    } else if matches!(status, 400 | 404 | 422) && is_model_not_found(&text) {
        ErrorKind::ModelNotFound
    } else if matches!(status, 400 | 401 | 403) && is_bad_key(&text) {
        ErrorKind::Auth
    } else if text.contains("overloaded") && (status == 429 || status >= 500) {
        ErrorKind::Overloaded
    } else {
        match status {
            401 => ErrorKind::Auth,
            403 if body_is_empty && (family == ApiFamily::Ollama || server.port == Some(OLLAMA_PORT)) => {
                ErrorKind::CorsOriginRejected
            }
            403 => ErrorKind::Auth,
            404 | 405 => ErrorKind::WrongPath,
            408 => ErrorKind::Timeout,
            413 => ErrorKind::ContextOverflow,
            429 => ErrorKind::RateLimit,
            529 => ErrorKind::Overloaded,
            502..=504 => ErrorKind::Unavailable,
            500..=599 => ErrorKind::ServerError,
            _ => ErrorKind::BadRequest,
        }
    };
    let retry = matches!(
        kind,
        ErrorKind::RateLimit
            | ErrorKind::Unavailable
            | ErrorKind::Overloaded
            | ErrorKind::ServerError
            | ErrorKind::Timeout
    );
    let retry_after_seconds = if retry { retry_after(headers, &error) } else { None };
    let advice = http_advice(kind, family, &server, &error, retry_after_seconds);
    Diagnosis { kind, retry, retry_after_seconds, provider_message: error.message, advice }
}

/// Classifies a request to an endpoint of `family` at `base_url` that got no HTTP status.
pub fn diagnose_transport(family: ApiFamily, base_url: &str, failure: TransportFailure) -> Diagnosis {
    let server = Server::parse(base_url);
    let host = server.display();
    let (kind, retry, advice) = match failure {
        TransportFailure::Unreachable if server.loopback => (
            ErrorKind::Unreachable,
            false,
            format!(
                "Nothing is answering at {host} on this computer. Start the server (for Ollama, open the app or run \
                 `ollama serve`), or correct the port in the base URL."
            ),
        ),
        TransportFailure::Unreachable => (
            ErrorKind::Unreachable,
            false,
            format!(
                "Pagewise could not reach {host}. Check your internet connection and the host name in the base URL."
            ),
        ),
        TransportFailure::Timeout { phase: TimeoutPhase::Connect } => (
            ErrorKind::Timeout,
            true,
            format!("{host} did not answer in time. Check that the server is running and reachable, then send again."),
        ),
        TransportFailure::Timeout { phase: TimeoutPhase::Idle } => (
            ErrorKind::Timeout,
            true,
            "The server stopped sending before the answer was complete. Send again; a local model can be slow the \
             first time it loads."
                .to_string(),
        ),
        TransportFailure::Tls if server.loopback && server.https => (
            ErrorKind::Tls,
            false,
            format!(
                "The secure connection to {host} failed; servers on this computer usually speak plain HTTP. Change \
                 the base URL to start with http:// instead of https://."
            ),
        ),
        TransportFailure::Tls => (
            ErrorKind::Tls,
            false,
            format!(
                "The secure connection to {host} failed because its certificate was not accepted. Check the host name \
                 in the base URL, and whether a proxy or antivirus is intercepting HTTPS."
            ),
        ),
        TransportFailure::BlockedByBrowser => {
            let advice = if family == ApiFamily::Ollama || server.port == Some(OLLAMA_PORT) {
                OLLAMA_ORIGINS_ADVICE.to_string()
            } else if server.loopback && server.port == Some(LM_STUDIO_PORT) {
                LM_STUDIO_CORS_ADVICE.to_string()
            } else {
                format!(
                    "The browser blocked the request to {host} before any answer arrived. Allow Pagewise to access \
                     this site when it asks, and check that the server accepts cross-origin requests (CORS)."
                )
            };
            (ErrorKind::BlockedByBrowser, false, advice)
        }
    };
    Diagnosis { kind, retry, retry_after_seconds: None, provider_message: None, advice }
}

/// Classifies an error that arrived inside a 2xx stream, or a stream that
/// broke off: the answer so far is partial, and the advice says so.
pub fn diagnose_stream_error(error: &crate::stream::StreamError) -> Diagnosis {
    let incomplete = error.kind.as_deref() == Some(crate::stream::StreamError::INCOMPLETE);
    let text = error.message.to_ascii_lowercase();
    let (kind, retry, advice) = if incomplete {
        (
            ErrorKind::Timeout,
            true,
            "The connection closed before the model finished, so the answer above is partial. Retry to ask again."
                .to_string(),
        )
    } else if is_context_overflow(&text) {
        (ErrorKind::ContextOverflow, false, "The prompt is too long for this model's context window. Remove the page from the context, or choose a model with a larger window.".to_string())
    } else if text.contains("overloaded") || text.contains("rate limit") || text.contains("too many requests") {
        (
            ErrorKind::Overloaded,
            true,
            "The provider is busy and stopped the answer part way. Wait a moment, then retry.".to_string(),
        )
    } else {
        (ErrorKind::ServerError, true, "The model stopped with an error part way through the answer. Retry; if it keeps failing, check the provider's status page or the server's log.".to_string())
    };
    let provider_message = (!incomplete && !error.message.trim().is_empty())
        .then(|| error.message.chars().take(MAX_PROVIDER_MESSAGE).collect());
    Diagnosis { kind, retry, retry_after_seconds: None, provider_message, advice }
}

/// The parts of a base URL the advice needs.
struct Server {
    /// The host name, lowercase, without brackets.
    host: String,
    /// The explicit port, if any.
    port: Option<u16>,
    /// Whether the scheme is https.
    https: bool,
    /// Whether the host is this computer.
    loopback: bool,
}

impl Server {
    /// Reads host and port from a base URL, tolerating a missing scheme.
    fn parse(base_url: &str) -> Server {
        let trimmed = base_url.trim();
        let (https, rest) = match trimmed.split_once("://") {
            Some((scheme, rest)) => (scheme.eq_ignore_ascii_case("https"), rest),
            None => (false, trimmed),
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let authority = authority.rsplit('@').next().unwrap_or_default().to_ascii_lowercase();
        let (host, port) = if let Some(after_bracket) = authority.strip_prefix('[') {
            match after_bracket.split_once(']') {
                Some((host, rest)) => (host.to_string(), rest.strip_prefix(':').and_then(|port| port.parse().ok())),
                None => (after_bracket.to_string(), None),
            }
        } else {
            match authority.split_once(':') {
                Some((host, port)) => (host.to_string(), port.parse().ok()),
                None => (authority.clone(), None),
            }
        };
        let loopback = host == "localhost"
            || host.ends_with(".localhost")
            || host.starts_with("127.")
            || host == "::1"
            || host == "0.0.0.0";
        Server { host, port, https, loopback }
    }

    /// `host:port` (or just the host) for use in advice.
    fn display(&self) -> String {
        let host = if self.host.is_empty() { "the server" } else { self.host.as_str() };
        match self.port {
            Some(port) => format!("{host}:{port}"),
            None => host.to_string(),
        }
    }
}

/// What a provider's error body says, whatever its shape.
#[derive(Default)]
struct ProviderError {
    /// The human-readable message.
    message: Option<String>,
    /// The error type (`invalid_request_error`, `overloaded_error`, …).
    kind: Option<String>,
    /// The error code (`invalid_api_key`, `insufficient_quota`, 400, …).
    code: Option<String>,
    /// Gemini's status name (`RESOURCE_EXHAUSTED`).
    status: Option<String>,
    /// Gemini's `RetryInfo.retryDelay`, in whole seconds rounded up.
    retry_delay_seconds: Option<u64>,
    /// llama.cpp's `n_ctx` on a context overflow.
    context_size: Option<u64>,
}

impl ProviderError {
    /// Reads the OpenAI, Anthropic, Gemini, Ollama, llama.cpp and legacy vLLM shapes, or plain text.
    fn parse(body: &str) -> ProviderError {
        let trimmed = body.trim();
        if trimmed.is_empty() {
            return ProviderError::default();
        }
        let Ok(value) = serde_json::from_str::<Value>(trimmed) else {
            // An HTML page (a proxy's or a web server's) says nothing useful.
            let message = (!trimmed.starts_with('<')).then(|| cap(trimmed));
            return ProviderError { message, ..ProviderError::default() };
        };
        let text = |value: Option<&Value>| -> Option<String> {
            match value? {
                Value::String(text) if !text.trim().is_empty() => Some(text.trim().to_string()),
                Value::Number(number) => Some(number.to_string()),
                _ => None,
            }
        };
        match value.get("error") {
            Some(Value::String(message)) => ProviderError { message: Some(cap(message)), ..ProviderError::default() },
            Some(error @ Value::Object(_)) => ProviderError {
                message: text(error.get("message")).map(|message| cap(&message)),
                kind: text(error.get("type")),
                code: text(error.get("code")),
                status: text(error.get("status")),
                retry_delay_seconds: error
                    .get("details")
                    .and_then(Value::as_array)
                    .and_then(|details| {
                        details.iter().find_map(|detail| detail.get("retryDelay").and_then(Value::as_str))
                    })
                    .and_then(parse_duration_seconds),
                context_size: error.get("n_ctx").and_then(Value::as_u64),
            },
            _ => ProviderError {
                message: text(value.get("message")).map(|message| cap(&message)),
                kind: text(value.get("type")),
                code: text(value.get("code")),
                ..ProviderError::default()
            },
        }
    }

    /// Message, type, code and status in lowercase, for keyword rules.
    fn haystack(&self) -> String {
        [&self.message, &self.kind, &self.code, &self.status]
            .iter()
            .filter_map(|field| field.as_deref())
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    }
}

/// A message cut to [`MAX_PROVIDER_MESSAGE`] characters.
fn cap(message: &str) -> String {
    let message = message.trim();
    if message.chars().count() <= MAX_PROVIDER_MESSAGE {
        return message.to_string();
    }
    let mut capped: String = message.chars().take(MAX_PROVIDER_MESSAGE).collect();
    capped.push('…');
    capped
}

/// Out of money: a hard quota, no balance or no credits. Gemini's
/// per-minute quota message carries a retry delay and is a rate limit instead.
fn is_billing(text: &str, has_retry_delay: bool) -> bool {
    const MARKERS: &[&str] = &[
        "insufficient_quota",
        "insufficient balance",
        "insufficient_balance",
        "insufficient credits",
        "arrearage",
        "billing_hard_limit",
        "credit balance is too low",
    ];
    MARKERS.iter().any(|marker| text.contains(marker))
        || (!has_retry_delay && text.contains("exceeded your current quota"))
}

/// The prompt does not fit the model's context window.
fn is_context_overflow(text: &str) -> bool {
    const MARKERS: &[&str] = &[
        "context_length_exceeded",
        "exceed_context_size",
        "maximum context length",
        "exceeds the available context size",
        "input length exceeds the context length",
        "context window",
        "prompt is too long",
        "exceeds the maximum number of tokens",
        "too many tokens",
    ];
    MARKERS.iter().any(|marker| text.contains(marker))
}

/// The server does not know the model.
fn is_model_not_found(text: &str) -> bool {
    const MARKERS: &[&str] =
        &["not found", "not_found", "does not exist", "not exist", "no such model", "unknown model"];
    // OpenRouter: "No endpoints found for mistral/nope."
    text.contains("no endpoints found")
        || (text.contains("model") && MARKERS.iter().any(|marker| text.contains(marker)))
}

/// The key itself was rejected, whatever the status (Gemini answers 400 for a bad key).
fn is_bad_key(text: &str) -> bool {
    const MARKERS: &[&str] = &[
        "invalid_api_key",
        "invalid api key",
        "incorrect api key",
        "api key not valid",
        "api_key_invalid",
        "unregistered callers",
    ];
    MARKERS.iter().any(|marker| text.contains(marker))
}

/// The value of header `name`, case-insensitively.
fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.trim())
}

/// How long to wait, from the first of: `retry-after-ms`, `retry-after`
/// (seconds; an HTTP date is skipped since the core has no clock), the
/// `x-ratelimit-reset-*` headers, Gemini's `retryDelay`, or "try again in
/// 20s" in the message. Always rounded up to whole seconds.
fn retry_after(headers: &[(String, String)], error: &ProviderError) -> Option<u64> {
    if let Some(millis) = header(headers, "retry-after-ms").and_then(|value| value.parse::<f64>().ok()) {
        return Some(whole_seconds(millis / 1000.0));
    }
    if let Some(seconds) = header(headers, "retry-after").and_then(|value| value.parse::<f64>().ok()) {
        return Some(whole_seconds(seconds));
    }
    if let Some(seconds) = rate_limit_reset(headers) {
        return Some(seconds);
    }
    if let Some(seconds) = error.retry_delay_seconds {
        return Some(seconds);
    }
    let message = error.message.as_deref()?.to_lowercase();
    ["try again in ", "retry in "].iter().find_map(|lead| {
        let (_, after) = message.split_once(lead)?;
        let token = after.split_whitespace().next()?;
        parse_duration_seconds(token.trim_end_matches(['.', ',', ')']))
    })
}

/// OpenAI's `x-ratelimit-reset-{requests,tokens}`: the reset of whichever
/// limit is exhausted, or the later of the two when the headers do not say.
fn rate_limit_reset(headers: &[(String, String)]) -> Option<u64> {
    let reset = |limit: &str| header(headers, &format!("x-ratelimit-reset-{limit}")).and_then(parse_duration_seconds);
    let exhausted = |limit: &str| header(headers, &format!("x-ratelimit-remaining-{limit}")) == Some("0");
    let requests = reset("requests");
    let tokens = reset("tokens");
    let chosen: Vec<u64> = match (exhausted("requests"), exhausted("tokens")) {
        (true, false) => requests.into_iter().collect(),
        (false, true) => tokens.into_iter().collect(),
        _ => requests.into_iter().chain(tokens).collect(),
    };
    chosen.into_iter().max()
}

/// Seconds rounded up, with negative and non-finite values treated as zero.
fn whole_seconds(seconds: f64) -> u64 {
    if seconds.is_finite() && seconds > 0.0 {
        // Saturating float-to-int conversion.
        seconds.ceil() as u64
    } else {
        0
    }
}

/// Parses a Go or protobuf duration (`20s`, `1m30s`, `75ms`, `1h2m3.5s`,
/// `31.28s`) or a bare number of seconds, rounded up to whole seconds.
fn parse_duration_seconds(text: &str) -> Option<u64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Ok(seconds) = text.parse::<f64>() {
        return Some(whole_seconds(seconds));
    }
    let mut total = 0.0;
    let mut rest = text;
    while !rest.is_empty() {
        let number_end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let number: f64 = rest[..number_end].parse().ok()?;
        rest = &rest[number_end..];
        let unit_end = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let scale = match &rest[..unit_end] {
            "h" => 3600.0,
            "m" => 60.0,
            "s" => 1.0,
            "ms" => 1e-3,
            "us" | "µs" => 1e-6,
            "ns" => 1e-9,
            _ => return None,
        };
        total += number * scale;
        rest = &rest[unit_end..];
    }
    Some(whole_seconds(total))
}

/// The model name quoted in a provider message, such as `llama9` in "model 'llama9' not found".
fn quoted_model(message: &str) -> Option<&str> {
    for quote in ['\'', '`', '"'] {
        if let Some((_, after)) = message.split_once(quote) {
            if let Some((name, _)) = after.split_once(quote) {
                if !name.is_empty() && !name.contains(char::is_whitespace) {
                    return Some(name);
                }
            }
        }
    }
    let (_, after) = message.split_once("models/")?;
    after.split(|c: char| c.is_whitespace() || c == ',').next().filter(|name| !name.is_empty())
}

/// The advice for an HTTP error.
fn http_advice(
    kind: ErrorKind,
    family: ApiFamily,
    server: &Server,
    error: &ProviderError,
    retry_after_seconds: Option<u64>,
) -> String {
    let host = server.display();
    match kind {
        ErrorKind::Auth if server.loopback => format!(
            "The server at {host} requires an API key. Enter the key it was started with (its --api-key option) in \
             Pagewise's options."
        ),
        ErrorKind::Auth => format!(
            "{host} rejected the API key. Check in Pagewise's options that the key is complete and belongs to this \
             provider."
        ),
        ErrorKind::AuthCors => "Anthropic refused the request because the anthropic-dangerous-direct-browser-access \
             header was missing. Pagewise sends it, so a proxy between you and Anthropic is stripping it: remove the \
             proxy or let it pass that header through."
            .to_string(),
        ErrorKind::Billing => {
            "The account behind this key is out of credit or quota. Add credit or raise the limit on \
             the provider's billing page, then send again."
                .to_string()
        }
        ErrorKind::RateLimit => match retry_after_seconds {
            Some(seconds) => format!(
                "The provider is limiting how often this key may send requests. Wait {seconds} seconds and send again, \
                 or ask the provider for a higher limit."
            ),
            None => "The provider is limiting how often this key may send requests. Wait a minute and send again, \
                 or ask the provider for a higher limit."
                .to_string(),
        },
        ErrorKind::ContextOverflow => match error.context_size {
            Some(size) => format!(
                "The request is longer than the {size}-token context the server was started with. Restart it with a \
                 larger context (for example -c {}), or shorten the selection or the conversation.",
                (size * 2).max(8192)
            ),
            None => "The page and the conversation are too long for this model's context window. Shorten the \
                 selection or start a new conversation, or pick a model with a larger context window."
                .to_string(),
        },
        ErrorKind::Unavailable if server.loopback => {
            "The server is not ready yet; it is probably still loading the model. Wait a few seconds and send again."
                .to_string()
        }
        ErrorKind::Unavailable => "The provider's service is temporarily unavailable. Wait a moment and send again, \
             or pick another model."
            .to_string(),
        ErrorKind::Overloaded => {
            "The provider is overloaded right now. Wait a moment and send again, or pick another model.".to_string()
        }
        ErrorKind::CorsOriginRejected => OLLAMA_ORIGINS_ADVICE.to_string(),
        ErrorKind::ModelNotFound => {
            let name = error.message.as_deref().and_then(quoted_model);
            match (family == ApiFamily::Ollama || server.port == Some(OLLAMA_PORT), name) {
                (true, Some(name)) => format!(
                    "The model \"{name}\" is not installed in Ollama. Run `ollama pull {name}`, or pick an installed \
                     model from the list in Pagewise's options."
                ),
                (true, None) => "This model is not installed in Ollama. Run `ollama pull` with its name, or pick an \
                     installed model from the list in Pagewise's options."
                    .to_string(),
                (false, Some(name)) => format!(
                    "{host} does not offer the model \"{name}\". Pick a model from the list in Pagewise's options, or \
                     check the spelling of its name."
                ),
                (false, None) => format!(
                    "{host} does not offer this model. Pick a model from the list in Pagewise's options, or check the \
                     spelling of its name."
                ),
            }
        }
        ErrorKind::WrongPath => {
            let expected = match family {
                ApiFamily::OpenAi => "it usually ends in /v1, written once",
                ApiFamily::Ollama => "for Ollama it is just the address and port, such as http://127.0.0.1:11434",
                ApiFamily::Anthropic => "for Anthropic it is https://api.anthropic.com",
                ApiFamily::Gemini => "for Gemini it ends in /v1beta",
            };
            format!(
                "{host} has no API at this address, so the base URL is probably wrong. Check it against the \
                 provider's documentation: {expected}."
            )
        }
        ErrorKind::ServerError => "The server failed while handling the request. Send again, and if it keeps failing, \
             check the provider's status page or the server's log."
            .to_string(),
        ErrorKind::Timeout => {
            format!("{host} took too long to handle the request. Send again, perhaps with a shorter selection.")
        }
        ErrorKind::BadRequest | ErrorKind::Unreachable | ErrorKind::Tls | ErrorKind::BlockedByBrowser => {
            "The server rejected the request. Check the model and the options against \
             the provider's message, or try another model."
                .to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(name, value)| (name.to_string(), value.to_string())).collect()
    }

    const OPENAI: &str = "https://api.openai.com/v1";

    #[test]
    fn kinds_serialize_in_snake_case() {
        let names = [
            (ErrorKind::Auth, "auth"),
            (ErrorKind::AuthCors, "auth_cors"),
            (ErrorKind::Billing, "billing"),
            (ErrorKind::RateLimit, "rate_limit"),
            (ErrorKind::ContextOverflow, "context_overflow"),
            (ErrorKind::Unavailable, "unavailable"),
            (ErrorKind::Overloaded, "overloaded"),
            (ErrorKind::CorsOriginRejected, "cors_origin_rejected"),
            (ErrorKind::ModelNotFound, "model_not_found"),
            (ErrorKind::WrongPath, "wrong_path"),
            (ErrorKind::ServerError, "server_error"),
            (ErrorKind::BadRequest, "bad_request"),
            (ErrorKind::Unreachable, "unreachable"),
            (ErrorKind::Timeout, "timeout"),
            (ErrorKind::Tls, "tls"),
            (ErrorKind::BlockedByBrowser, "blocked_by_browser"),
        ];
        for (kind, name) in names {
            assert_eq!(serde_json::to_value(kind).unwrap(), serde_json::json!(name));
        }
    }

    #[test]
    fn classifies_status_and_body() {
        let cases: &[(ApiFamily, &str, u16, &str, ErrorKind, bool)] = &[
            (
                ApiFamily::OpenAi,
                OPENAI,
                404,
                r#"{"error":{"message":"Invalid URL (POST /v1/v1/chat/completions)","type":"invalid_request_error","param":null,"code":null}}"#,
                ErrorKind::WrongPath,
                false,
            ),
            (ApiFamily::OpenAi, OPENAI, 404, "404 page not found", ErrorKind::WrongPath, false),
            (ApiFamily::OpenAi, OPENAI, 404, "<html><body>Not Found</body></html>", ErrorKind::WrongPath, false),
            (
                ApiFamily::OpenAi,
                OPENAI,
                404,
                r#"{"error":{"message":"The model `gpt-9` does not exist or you do not have access to it.","type":"invalid_request_error","param":null,"code":"model_not_found"}}"#,
                ErrorKind::ModelNotFound,
                false,
            ),
            (
                ApiFamily::Anthropic,
                "https://api.anthropic.com",
                404,
                r#"{"type":"error","error":{"type":"not_found_error","message":"model: claude-9"}}"#,
                ErrorKind::ModelNotFound,
                false,
            ),
            (
                ApiFamily::Gemini,
                "https://generativelanguage.googleapis.com/v1beta",
                404,
                r#"{"error":{"code":404,"message":"models/gemini-9 is not found for API version v1beta, or is not supported for generateContent.","status":"NOT_FOUND"}}"#,
                ErrorKind::ModelNotFound,
                false,
            ),
            (
                ApiFamily::Gemini,
                "https://generativelanguage.googleapis.com/v1beta",
                400,
                r#"{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT"}}"#,
                ErrorKind::Auth,
                false,
            ),
            (
                ApiFamily::Gemini,
                "https://generativelanguage.googleapis.com/v1beta",
                400,
                r#"{"error":{"code":400,"message":"The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).","status":"INVALID_ARGUMENT"}}"#,
                ErrorKind::ContextOverflow,
                false,
            ),
            (
                ApiFamily::Gemini,
                "https://generativelanguage.googleapis.com/v1beta",
                503,
                r#"{"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}"#,
                ErrorKind::Overloaded,
                true,
            ),
            (
                ApiFamily::Anthropic,
                "https://api.anthropic.com",
                400,
                r#"{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 210000 tokens > 200000 maximum"}}"#,
                ErrorKind::ContextOverflow,
                false,
            ),
            (
                ApiFamily::Anthropic,
                "https://api.anthropic.com",
                400,
                r#"{"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API."}}"#,
                ErrorKind::Billing,
                false,
            ),
            (
                ApiFamily::Anthropic,
                "https://api.anthropic.com",
                429,
                r#"{"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"}}"#,
                ErrorKind::RateLimit,
                true,
            ),
            (
                ApiFamily::OpenAi,
                "https://api.deepseek.com/v1",
                402,
                r#"{"error":{"message":"Insufficient Balance","type":"unknown_error","param":null,"code":"invalid_request_error"}}"#,
                ErrorKind::Billing,
                false,
            ),
            (
                ApiFamily::OpenAi,
                "https://dashscope.aliyuncs.com/compatible-mode/v1",
                400,
                r#"{"error":{"code":"Arrearage","message":"Access denied, please make sure your account is in good standing.","type":"Arrearage"}}"#,
                ErrorKind::Billing,
                false,
            ),
            (
                ApiFamily::OpenAi,
                "https://openrouter.ai/api/v1",
                502,
                r#"{"error":{"code":502,"message":"Provider returned error"}}"#,
                ErrorKind::Unavailable,
                true,
            ),
            (
                ApiFamily::OpenAi,
                "https://openrouter.ai/api/v1",
                404,
                r#"{"error":{"message":"No endpoints found for mistral/nope.","code":404}}"#,
                ErrorKind::ModelNotFound,
                false,
            ),
            (
                ApiFamily::OpenAi,
                OPENAI,
                500,
                r#"{"error":{"message":"The server had an error while processing your request.","type":"server_error","param":null,"code":null}}"#,
                ErrorKind::ServerError,
                true,
            ),
            (
                ApiFamily::OpenAi,
                OPENAI,
                400,
                r#"{"error":{"message":"Invalid value for 'temperature'","type":"invalid_request_error","param":"temperature","code":null}}"#,
                ErrorKind::BadRequest,
                false,
            ),
            (ApiFamily::OpenAi, "http://127.0.0.1:1234/v1", 403, "", ErrorKind::Auth, false),
            (ApiFamily::Ollama, "http://192.168.1.5:8000", 403, "", ErrorKind::CorsOriginRejected, false),
            (ApiFamily::Ollama, "http://127.0.0.1:11434", 404, "404 page not found", ErrorKind::WrongPath, false),
            (ApiFamily::OpenAi, OPENAI, 408, "", ErrorKind::Timeout, true),
        ];
        let mut failures = Vec::new();
        for (family, base, status, body, kind, retry) in cases {
            let diagnosis = diagnose_http(*family, base, *status, &[], body);
            if diagnosis.kind != *kind || diagnosis.retry != *retry {
                failures.push(format!("{status} {body}: expected {kind:?}/{retry}, got {diagnosis:?}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn retry_time_comes_from_headers_body_or_message() {
        let rate_limited = |headers: &[(String, String)], body: &str| {
            diagnose_http(ApiFamily::OpenAi, OPENAI, 429, headers, body).retry_after_seconds
        };
        assert_eq!(rate_limited(&headers(&[("Retry-After", "20")]), ""), Some(20));
        assert_eq!(rate_limited(&headers(&[("retry-after-ms", "1500")]), ""), Some(2));
        assert_eq!(rate_limited(&headers(&[("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")]), ""), None);
        assert_eq!(rate_limited(&headers(&[("x-ratelimit-reset-requests", "1m30s")]), ""), Some(90));
        assert_eq!(
            rate_limited(
                &headers(&[
                    ("x-ratelimit-remaining-requests", "2"),
                    ("x-ratelimit-reset-requests", "20s"),
                    ("x-ratelimit-remaining-tokens", "0"),
                    ("x-ratelimit-reset-tokens", "75ms"),
                ]),
                ""
            ),
            Some(1)
        );
        let gemini = r#"{"error":{"code":429,"message":"Quota exceeded. Please retry in 31.28s.","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"31s"}]}}"#;
        assert_eq!(rate_limited(&[], gemini), Some(31));
        let message =
            r#"{"error":{"message":"Rate limit reached. Please try again in 6.5s.","code":"rate_limit_exceeded"}}"#;
        assert_eq!(rate_limited(&[], message), Some(7));
        assert_eq!(rate_limited(&[], "{}"), None);
        // No wait is reported for errors that retrying does not fix.
        let billing = diagnose_http(ApiFamily::OpenAi, OPENAI, 402, &headers(&[("retry-after", "5")]), "");
        assert_eq!(billing.retry_after_seconds, None);
    }

    #[test]
    fn durations_parse_like_go_and_protobuf() {
        let cases = [("20s", 20), ("1m30s", 90), ("75ms", 1), ("0s", 0), ("1h2m3.5s", 3724), ("6m0s", 360), ("2", 2)];
        for (text, seconds) in cases {
            assert_eq!(parse_duration_seconds(text), Some(seconds), "{text}");
        }
        for text in ["", "soon", "5 minutes", "1x"] {
            assert_eq!(parse_duration_seconds(text), None, "{text}");
        }
    }

    #[test]
    fn provider_messages_are_kept_and_capped() {
        let diagnosis = diagnose_http(
            ApiFamily::Ollama,
            "http://127.0.0.1:11434",
            404,
            &[],
            r#"{"error":"model 'llama9' not found"}"#,
        );
        assert_eq!(diagnosis.provider_message.as_deref(), Some("model 'llama9' not found"));
        assert!(diagnosis.advice.contains("ollama pull llama9"), "{}", diagnosis.advice);
        let long = "x".repeat(2000);
        let capped = diagnose_http(ApiFamily::OpenAi, OPENAI, 500, &[], &long);
        assert_eq!(capped.provider_message.map(|message| message.chars().count()), Some(MAX_PROVIDER_MESSAGE + 1));
        let html = diagnose_http(ApiFamily::OpenAi, OPENAI, 502, &[], "<html><h1>502 Bad Gateway</h1></html>");
        assert_eq!(html.provider_message, None);
    }

    #[test]
    fn special_cases_give_the_specific_fix() {
        let ollama = diagnose_http(
            ApiFamily::OpenAi,
            "http://127.0.0.1:11434/v1",
            403,
            &headers(&[("content-length", "0")]),
            "",
        );
        assert_eq!(ollama.kind, ErrorKind::CorsOriginRejected);
        assert!(ollama.advice.contains("OLLAMA_ORIGINS=chrome-extension://*,moz-extension://*"));
        assert!(ollama.advice.contains("restart Ollama"));

        let cors = diagnose_http(
            ApiFamily::Anthropic,
            "https://api.anthropic.com",
            401,
            &[],
            r#"{"type":"error","error":{"type":"authentication_error","message":"CORS requests must set 'anthropic-dangerous-direct-browser-access' header"}}"#,
        );
        assert_eq!(cors.kind, ErrorKind::AuthCors);
        assert!(cors.advice.contains("proxy"), "{}", cors.advice);

        let llamacpp = diagnose_http(
            ApiFamily::OpenAi,
            "http://127.0.0.1:8080/v1",
            400,
            &[],
            r#"{"error":{"code":400,"message":"request (9412 tokens) exceeds the available context size (8192 tokens), try increasing it","type":"exceed_context_size_error","n_prompt_tokens":9412,"n_ctx":8192}}"#,
        );
        assert!(llamacpp.advice.contains("8192-token context"), "{}", llamacpp.advice);
        assert!(llamacpp.advice.contains("-c 16384"), "{}", llamacpp.advice);

        let local_key = diagnose_http(ApiFamily::OpenAi, "http://127.0.0.1:8080/v1", 401, &[], "");
        assert!(local_key.advice.contains("--api-key"), "{}", local_key.advice);
    }

    #[test]
    fn transport_failures_point_at_the_local_server_fix() {
        let lm_studio =
            diagnose_transport(ApiFamily::OpenAi, "http://127.0.0.1:1234/v1", TransportFailure::BlockedByBrowser);
        assert_eq!(lm_studio.kind, ErrorKind::BlockedByBrowser);
        assert!(lm_studio.advice.contains("Enable CORS"), "{}", lm_studio.advice);
        assert!(!lm_studio.retry);
        for (family, base) in
            [(ApiFamily::Ollama, "http://localhost:11434"), (ApiFamily::OpenAi, "http://127.0.0.1:11434/v1")]
        {
            let ollama = diagnose_transport(family, base, TransportFailure::BlockedByBrowser);
            assert!(ollama.advice.contains("OLLAMA_ORIGINS"), "{}", ollama.advice);
        }
        let remote =
            diagnose_transport(ApiFamily::OpenAi, "https://api.example.com/v1", TransportFailure::BlockedByBrowser);
        assert!(remote.advice.contains("api.example.com"), "{}", remote.advice);

        let down = diagnose_transport(ApiFamily::Ollama, "http://127.0.0.1:11434", TransportFailure::Unreachable);
        assert_eq!((down.kind, down.retry), (ErrorKind::Unreachable, false));
        assert!(down.advice.contains("127.0.0.1:11434"), "{}", down.advice);
        assert!(down.advice.contains("ollama serve"), "{}", down.advice);

        let offline = diagnose_transport(ApiFamily::OpenAi, OPENAI, TransportFailure::Unreachable);
        assert!(offline.advice.contains("internet connection"), "{}", offline.advice);

        let slow =
            diagnose_transport(ApiFamily::OpenAi, OPENAI, TransportFailure::Timeout { phase: TimeoutPhase::Idle });
        assert_eq!((slow.kind, slow.retry), (ErrorKind::Timeout, true));
        let connect =
            diagnose_transport(ApiFamily::OpenAi, OPENAI, TransportFailure::Timeout { phase: TimeoutPhase::Connect });
        assert_eq!((connect.kind, connect.retry), (ErrorKind::Timeout, true));

        let tls = diagnose_transport(ApiFamily::OpenAi, "https://localhost:8080/v1", TransportFailure::Tls);
        assert_eq!(tls.kind, ErrorKind::Tls);
        assert!(tls.advice.contains("http://"), "{}", tls.advice);
        let remote_tls = diagnose_transport(ApiFamily::OpenAi, OPENAI, TransportFailure::Tls);
        assert!(remote_tls.advice.contains("certificate"), "{}", remote_tls.advice);
    }

    #[test]
    fn every_advice_is_one_or_two_sentences() {
        let mut advices = Vec::new();
        for status in [400, 401, 402, 403, 404, 405, 408, 413, 422, 429, 500, 502, 503, 504, 529] {
            for (family, base) in [
                (ApiFamily::OpenAi, OPENAI),
                (ApiFamily::Ollama, "http://127.0.0.1:11434"),
                (ApiFamily::Anthropic, "https://api.anthropic.com"),
                (ApiFamily::Gemini, "https://generativelanguage.googleapis.com/v1beta"),
            ] {
                advices.push(diagnose_http(family, base, status, &[], "").advice);
            }
        }
        for failure in [
            TransportFailure::Unreachable,
            TransportFailure::Timeout { phase: TimeoutPhase::Connect },
            TransportFailure::Timeout { phase: TimeoutPhase::Idle },
            TransportFailure::Tls,
            TransportFailure::BlockedByBrowser,
        ] {
            for base in [OPENAI, "http://127.0.0.1:1234/v1", "https://127.0.0.1:8080/v1"] {
                advices.push(diagnose_transport(ApiFamily::OpenAi, base, failure).advice);
            }
        }
        for advice in advices {
            assert!(advice.ends_with('.'), "{advice}");
            assert!(!advice.contains("  "), "{advice}");
            let sentences = advice.matches(". ").count() + 1;
            assert!((1..=2).contains(&sentences), "{advice}");
        }
    }

    #[test]
    fn a_cut_stream_is_partial_and_retryable_and_a_provider_error_keeps_its_message() {
        let cut = crate::stream::StreamError {
            message: "stream ended without finish_reason or [DONE]".into(),
            kind: Some(crate::stream::StreamError::INCOMPLETE.into()),
            code: Value::Null,
        };
        let diagnosis = diagnose_stream_error(&cut);
        assert!(diagnosis.retry && diagnosis.advice.contains("partial") && diagnosis.provider_message.is_none());
        let overloaded = crate::stream::StreamError {
            message: "Overloaded".into(),
            kind: Some("overloaded_error".into()),
            code: Value::Null,
        };
        let diagnosis = diagnose_stream_error(&overloaded);
        assert_eq!((diagnosis.kind, diagnosis.retry), (ErrorKind::Overloaded, true));
        assert_eq!(diagnosis.provider_message.as_deref(), Some("Overloaded"));
    }
}
