//! Stream conformance: every transcript in tests/data/streams decodes to its expected result, however it is chunked.

use pagewise::provider::ApiFamily;
use pagewise::stream::{decode_all, StreamDecoder, StreamEvent, StreamResult, WireFormat};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/streams")
}

/// One corpus case: the body, its expectation, and how to decode it.
struct Case {
    name: String,
    body: Vec<u8>,
    expected: Value,
    family: ApiFamily,
    format: WireFormat,
}

fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(corpus()).unwrap().flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        let Some(name) = path.file_name().and_then(|n| n.to_str()).and_then(|n| n.strip_suffix(".expected.json"))
        else {
            continue;
        };
        let expected: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let file = expected["file"].as_str().unwrap();
        let body = std::fs::read(corpus().join(file)).unwrap();
        let format = if expected["format"] == "ndjson" { WireFormat::Ndjson } else { WireFormat::Sse };
        let provider = expected["provider"].as_str().unwrap_or_default();
        let family = if provider.starts_with("anthropic") {
            ApiFamily::Anthropic
        } else if provider.starts_with("gemini") {
            ApiFamily::Gemini
        } else if format == WireFormat::Ndjson {
            ApiFamily::Ollama
        } else {
            ApiFamily::OpenAi
        };
        cases.push(Case { name: name.to_string(), body, expected, family, format });
    }
    assert!(cases.len() >= 30, "the corpus went missing: {} cases", cases.len());
    cases
}

/// Feeds the body cut at the given offsets.
fn decode_split(case: &Case, splits: &[usize]) -> StreamResult {
    let mut decoder = StreamDecoder::with_format(case.family, case.format);
    let mut events: Vec<StreamEvent> = Vec::new();
    let mut start = 0;
    for &cut in splits.iter().chain(std::iter::once(&case.body.len())) {
        let cut = cut.clamp(start, case.body.len());
        events.extend(decoder.push(&case.body[start..cut]));
        start = cut;
    }
    events.extend(decoder.finish());
    StreamResult::from_events(events)
}

/// Compares a result with `expect`; the error is compared as a subset.
fn mismatches(result: &StreamResult, expect: &Value) -> Vec<String> {
    let actual = serde_json::to_value(result).unwrap();
    let mut problems = Vec::new();
    for key in ["content", "reasoning", "finish_reason", "usage", "tool_calls", "termination"] {
        if actual[key] != expect[key] {
            problems.push(format!("{key}: got {} want {}", actual[key], expect[key]));
        }
    }
    match (&expect["error"], &actual["error"]) {
        (Value::Null, Value::Null) => {}
        (Value::Object(want), Value::Object(got)) => {
            for (key, value) in want {
                if got.get(key) != Some(value) {
                    problems.push(format!("error.{key}: got {:?} want {value}", got.get(key)));
                }
            }
        }
        (want, got) => problems.push(format!("error: got {got} want {want}")),
    }
    problems
}

#[test]
fn every_transcript_decodes_whole_at_its_splits_and_byte_by_byte() {
    let mut failures = Vec::new();
    let cases = cases();
    for case in &cases {
        let expect = &case.expected["expect"];
        let splits: Vec<usize> = case.expected["replay_splits"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_u64).map(|n| n as usize).collect())
            .unwrap_or_default();
        let one_byte: Vec<usize> = (1..case.body.len()).collect();
        for (mode, cuts) in [("whole", Vec::new()), ("splits", splits), ("one byte", one_byte)] {
            for problem in mismatches(&decode_split(case, &cuts), expect) {
                failures.push(format!("{} ({mode}): {problem}", case.name));
            }
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn every_chunk_size_gives_the_same_events() {
    for case in cases() {
        let whole = decode_all(case.family, case.format, &case.body, 0);
        for chunk in [1, 2, 3, 5, 7, 16, 64] {
            let pieces = decode_all(case.family, case.format, &case.body, chunk);
            assert_eq!(
                StreamResult::from_events(pieces.clone()),
                StreamResult::from_events(whole.clone()),
                "{} with {chunk}-byte reads",
                case.name
            );
            assert!(matches!(pieces.last(), Some(StreamEvent::End(_))), "{} must end with End", case.name);
        }
    }
}
