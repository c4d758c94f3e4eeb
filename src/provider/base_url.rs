//! Base URL normalization: turns whatever a user pastes into the base URL each API family expects.
//!
//! Users paste full endpoint URLs (`…/v1/chat/completions`), URLs with a
//! doubled `/v1`, bare `localhost:11434`, or Gemini URLs with `?key=` on
//! them. [`normalize_base_url`] reduces all of these to the one base the
//! request builders append their paths to, and drops any query string so a
//! pasted key never ends up stored in the URL.

use thiserror::Error;

use super::ApiFamily;

/// Why a base URL cannot be used; every message says how to fix it.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum BaseUrlError {
    /// Nothing was entered.
    #[error("The base URL is empty: enter the server's address, for example https://api.openai.com/v1.")]
    Empty,
    /// The address contains a space or a control character.
    #[error("The base URL contains a space or an invisible character: paste the address again without it.")]
    InvalidCharacter,
    /// The address has no scheme and is not a bare loopback address.
    #[error("The base URL \"{input}\" has no scheme: write it as https://{input}, or http://{input} for a server on your own network.")]
    MissingScheme {
        /// What was entered, without any query string.
        input: String,
    },
    /// The scheme is neither http nor https.
    #[error("The base URL starts with \"{scheme}://\": use an http:// or https:// address.")]
    UnsupportedScheme {
        /// The scheme that was entered.
        scheme: String,
    },
    /// Nothing follows the scheme.
    #[error("The base URL has no host name: write it like https://api.example.com/v1.")]
    MissingHost,
    /// The port is not a number from 1 to 65535.
    #[error("The port \"{port}\" in the base URL is not a number from 1 to 65535: check the digits after the colon.")]
    InvalidPort {
        /// The port text that was entered.
        port: String,
    },
}

/// Normalizes a pasted base URL for `family`.
///
/// The result has a lowercase `http` or `https` scheme, a lowercase host, no
/// query, fragment or trailing slash, and the path the family's request
/// builder expects:
///
/// - OpenAI-compatible: a pasted `/chat/completions`, `/completions` or
///   `/models` suffix is removed, a doubled `/v1/v1` collapsed, and `/v1`
///   added only when there is no path at all (so `/api/v3` or
///   `/compatible-mode/v1` stay as they are).
/// - Ollama native and Anthropic: the origin, with any `/api/chat`, `/api`,
///   `/v1` (Ollama) or `/v1/messages`, `/v1` (Anthropic) suffix removed. A
///   reverse-proxy prefix before those suffixes is kept.
/// - Gemini: ends in `/v1beta` (an explicit `/v1` or `/v1alpha` is kept),
///   with any `/models/…` or `/openai` suffix removed.
///
/// # Errors
///
/// Returns a [`BaseUrlError`] whose message tells the user how to fix the
/// input: when it is empty, contains whitespace, lacks an `http://` or
/// `https://` scheme (bare loopback addresses get `http://` added instead),
/// uses another scheme, has no host, or has an invalid port.
pub fn normalize_base_url(input: &str, family: ApiFamily) -> Result<String, BaseUrlError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(BaseUrlError::Empty);
    }
    if trimmed.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(BaseUrlError::InvalidCharacter);
    }
    let without_query = trimmed.split(['?', '#']).next().unwrap_or_default();
    let (scheme, rest) = match without_query.split_once("://") {
        Some((scheme, rest)) => {
            let scheme = scheme.to_ascii_lowercase();
            if scheme != "http" && scheme != "https" {
                return Err(BaseUrlError::UnsupportedScheme { scheme });
            }
            (scheme, rest)
        }
        None if is_bare_loopback(without_query) => ("http".to_string(), without_query),
        None => return Err(BaseUrlError::MissingScheme { input: without_query.trim_end_matches('/').to_string() }),
    };
    let (authority, path) = match rest.find('/') {
        Some(index) => (&rest[..index], &rest[index..]),
        None => (rest, ""),
    };
    let authority = authority.to_ascii_lowercase();
    check_authority(&authority)?;

    let mut segments: Vec<&str> = path.split('/').filter(|segment| !segment.is_empty()).collect();
    match family {
        ApiFamily::OpenAi => shape_openai(&mut segments),
        ApiFamily::Ollama => strip_suffixes(&mut segments, OLLAMA_SUFFIXES),
        ApiFamily::Anthropic => strip_suffixes(&mut segments, ANTHROPIC_SUFFIXES),
        ApiFamily::Gemini => shape_gemini(&mut segments),
    }
    let mut url = format!("{scheme}://{authority}");
    for segment in segments {
        url.push('/');
        url.push_str(segment);
    }
    Ok(url)
}

/// Whether a scheme-less input starts with a loopback host, which is always plain http.
fn is_bare_loopback(input: &str) -> bool {
    ["localhost", "127.0.0.1", "[::1]", "0.0.0.0"].iter().any(|host| {
        input.strip_prefix(host).is_some_and(|rest| rest.is_empty() || rest.starts_with(':') || rest.starts_with('/'))
    })
}

/// Checks that the host is present and the port, if any, is a valid number.
fn check_authority(authority: &str) -> Result<(), BaseUrlError> {
    let host_and_port = authority.rsplit('@').next().unwrap_or_default();
    let (host, port) = if let Some(after_bracket) = host_and_port.strip_prefix('[') {
        match after_bracket.split_once(']') {
            Some((host, rest)) => (host, rest.strip_prefix(':')),
            None => (after_bracket, None),
        }
    } else {
        match host_and_port.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_and_port, None),
        }
    };
    if host.is_empty() {
        return Err(BaseUrlError::MissingHost);
    }
    if let Some(port) = port {
        let valid = port.parse::<u16>().is_ok_and(|number| number > 0);
        if !valid {
            return Err(BaseUrlError::InvalidPort { port: port.to_string() });
        }
    }
    Ok(())
}

/// Endpoint paths users paste after an OpenAI-compatible base URL.
const OPENAI_SUFFIXES: &[&[&str]] = &[&["chat", "completions"], &["completions"], &["models"]];

/// Paths users paste after an Ollama origin, longest first.
const OLLAMA_SUFFIXES: &[&[&str]] = &[
    &["api", "chat"],
    &["api", "generate"],
    &["api", "tags"],
    &["api"],
    &["v1", "chat", "completions"],
    &["v1", "models"],
    &["v1"],
];

/// Paths users paste after the Anthropic origin, longest first.
const ANTHROPIC_SUFFIXES: &[&[&str]] = &[&["v1", "messages"], &["v1", "models"], &["v1"]];

/// Gemini API versions a base URL may end in.
const GEMINI_VERSIONS: &[&str] = &["v1beta", "v1", "v1alpha"];

/// Whether the path ends with `suffix`, comparing ASCII case-insensitively.
fn ends_with(segments: &[&str], suffix: &[&str]) -> bool {
    segments.len() >= suffix.len()
        && segments[segments.len() - suffix.len()..]
            .iter()
            .zip(suffix)
            .all(|(segment, expected)| segment.eq_ignore_ascii_case(expected))
}

/// Removes known suffixes from the end of the path until none matches.
fn strip_suffixes(segments: &mut Vec<&str>, suffixes: &[&[&str]]) {
    while let Some(suffix) = suffixes.iter().find(|suffix| ends_with(segments, suffix)) {
        segments.truncate(segments.len() - suffix.len());
    }
}

/// Strips pasted endpoint paths, collapses `/v1/v1`, and adds `/v1` to a bare origin.
fn shape_openai(segments: &mut Vec<&str>) {
    strip_suffixes(segments, OPENAI_SUFFIXES);
    segments.dedup_by(|next, previous| next.eq_ignore_ascii_case("v1") && previous.eq_ignore_ascii_case("v1"));
    if segments.is_empty() {
        segments.push("v1");
    }
}

/// Cuts the path at `/models`, drops `/openai`, and makes it end in an API version.
fn shape_gemini(segments: &mut Vec<&str>) {
    if let Some(index) =
        segments.iter().position(|segment| segment.eq_ignore_ascii_case("models") || segment.starts_with("models:"))
    {
        segments.truncate(index);
    }
    strip_suffixes(segments, &[&["openai"]]);
    let has_version =
        segments.last().is_some_and(|last| GEMINI_VERSIONS.iter().any(|version| last.eq_ignore_ascii_case(version)));
    if !has_version {
        segments.push("v1beta");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ApiFamily::{Anthropic, Gemini, Ollama, OpenAi};

    #[test]
    fn normalizes_pasted_urls() {
        let cases: &[(&str, ApiFamily, &str)] = &[
            // OpenAI-compatible.
            ("https://api.openai.com/v1", OpenAi, "https://api.openai.com/v1"),
            ("  https://api.openai.com/v1/  ", OpenAi, "https://api.openai.com/v1"),
            ("https://api.openai.com", OpenAi, "https://api.openai.com/v1"),
            ("https://api.openai.com/", OpenAi, "https://api.openai.com/v1"),
            ("https://api.openai.com/v1/chat/completions", OpenAi, "https://api.openai.com/v1"),
            ("https://api.openai.com/v1/completions", OpenAi, "https://api.openai.com/v1"),
            ("https://api.openai.com/v1/models", OpenAi, "https://api.openai.com/v1"),
            ("https://api.openai.com/v1/v1", OpenAi, "https://api.openai.com/v1"),
            ("https://api.openai.com/v1/v1/chat/completions", OpenAi, "https://api.openai.com/v1"),
            ("HTTPS://API.OpenAI.com/v1", OpenAi, "https://api.openai.com/v1"),
            ("https://api.openai.com/v1?foo=bar#frag", OpenAi, "https://api.openai.com/v1"),
            ("https://api.deepseek.com", OpenAi, "https://api.deepseek.com/v1"),
            (
                "https://dashscope.aliyuncs.com/compatible-mode/v1/chat/completions",
                OpenAi,
                "https://dashscope.aliyuncs.com/compatible-mode/v1",
            ),
            (
                "https://ark.cn-beijing.volces.com/api/v3/chat/completions",
                OpenAi,
                "https://ark.cn-beijing.volces.com/api/v3",
            ),
            ("https://open.bigmodel.cn/api/paas/v4/", OpenAi, "https://open.bigmodel.cn/api/paas/v4"),
            ("https://api.groq.com/openai/v1/models", OpenAi, "https://api.groq.com/openai/v1"),
            ("localhost:11434/v1", OpenAi, "http://localhost:11434/v1"),
            ("127.0.0.1:8080", OpenAi, "http://127.0.0.1:8080/v1"),
            ("localhost:1234/v1/chat/completions", OpenAi, "http://localhost:1234/v1"),
            ("http://[::1]:8000/v1", OpenAi, "http://[::1]:8000/v1"),
            ("http://127.0.0.1:8080//v1//", OpenAi, "http://127.0.0.1:8080/v1"),
            // Ollama native.
            ("http://127.0.0.1:11434", Ollama, "http://127.0.0.1:11434"),
            ("http://127.0.0.1:11434/", Ollama, "http://127.0.0.1:11434"),
            ("http://localhost:11434/api/chat", Ollama, "http://localhost:11434"),
            ("http://localhost:11434/api", Ollama, "http://localhost:11434"),
            ("http://localhost:11434/api/tags", Ollama, "http://localhost:11434"),
            ("http://localhost:11434/v1", Ollama, "http://localhost:11434"),
            ("http://localhost:11434/v1/chat/completions", Ollama, "http://localhost:11434"),
            ("localhost:11434", Ollama, "http://localhost:11434"),
            ("https://gpu.example.com/ollama/api/chat", Ollama, "https://gpu.example.com/ollama"),
            // Anthropic.
            ("https://api.anthropic.com", Anthropic, "https://api.anthropic.com"),
            ("https://api.anthropic.com/v1", Anthropic, "https://api.anthropic.com"),
            ("https://api.anthropic.com/v1/messages", Anthropic, "https://api.anthropic.com"),
            ("https://api.anthropic.com/v1/models/", Anthropic, "https://api.anthropic.com"),
            // Gemini.
            (
                "https://generativelanguage.googleapis.com",
                Gemini,
                "https://generativelanguage.googleapis.com/v1beta",
            ),
            (
                "https://generativelanguage.googleapis.com/v1beta",
                Gemini,
                "https://generativelanguage.googleapis.com/v1beta",
            ),
            (
                "https://generativelanguage.googleapis.com/v1",
                Gemini,
                "https://generativelanguage.googleapis.com/v1",
            ),
            (
                "https://generativelanguage.googleapis.com/v1beta/models",
                Gemini,
                "https://generativelanguage.googleapis.com/v1beta",
            ),
            (
                "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse&key=AIzaSECRET",
                Gemini,
                "https://generativelanguage.googleapis.com/v1beta",
            ),
            (
                "https://generativelanguage.googleapis.com/v1beta/openai/",
                Gemini,
                "https://generativelanguage.googleapis.com/v1beta",
            ),
        ];
        let mut failures = Vec::new();
        for (input, family, expected) in cases {
            match normalize_base_url(input, *family) {
                Ok(actual) if actual == *expected => {}
                other => failures.push(format!("{input:?} ({family:?}): expected {expected:?}, got {other:?}")),
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn normalizing_twice_changes_nothing() {
        for family in [OpenAi, Ollama, Anthropic, Gemini] {
            for input in [
                "https://api.example.com",
                "https://api.example.com/v1/chat/completions",
                "localhost:11434/api/chat",
                "https://proxy.example.com/gemini/v1beta/models",
            ] {
                let once = normalize_base_url(input, family).unwrap();
                assert_eq!(normalize_base_url(&once, family).unwrap(), once, "{input} {family:?}");
            }
        }
    }

    #[test]
    fn rejects_unusable_input_with_a_fix() {
        let cases: &[(&str, BaseUrlError)] = &[
            ("", BaseUrlError::Empty),
            ("   ", BaseUrlError::Empty),
            ("https://api.open ai.com/v1", BaseUrlError::InvalidCharacter),
            ("api.openai.com/v1?key=sk-1", BaseUrlError::MissingScheme { input: "api.openai.com/v1".into() }),
            ("ftp://example.com", BaseUrlError::UnsupportedScheme { scheme: "ftp".into() }),
            ("chrome-extension://abc", BaseUrlError::UnsupportedScheme { scheme: "chrome-extension".into() }),
            ("https://", BaseUrlError::MissingHost),
            ("https:///v1", BaseUrlError::MissingHost),
            ("http://localhost:99999/v1", BaseUrlError::InvalidPort { port: "99999".into() }),
            ("http://localhost:abc", BaseUrlError::InvalidPort { port: "abc".into() }),
            ("localhostx:8080", BaseUrlError::MissingScheme { input: "localhostx:8080".into() }),
        ];
        for (input, expected) in cases {
            assert_eq!(normalize_base_url(input, OpenAi).as_ref(), Err(expected), "{input:?}");
        }
    }

    #[test]
    fn error_messages_say_what_to_do() {
        let error = normalize_base_url("api.deepseek.com", OpenAi).unwrap_err();
        assert_eq!(
            error.to_string(),
            "The base URL \"api.deepseek.com\" has no scheme: write it as https://api.deepseek.com, \
             or http://api.deepseek.com for a server on your own network."
        );
        let secret = normalize_base_url("example.com/v1?key=AIzaSECRET", Gemini).unwrap_err();
        assert!(!secret.to_string().contains("SECRET"), "{secret}");
    }
}
