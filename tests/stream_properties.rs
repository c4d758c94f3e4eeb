//! Property tests: any chunking of a stream gives the same result, and no input makes the decoder panic.
#![cfg(not(target_arch = "wasm32"))]

use pagewise::provider::ApiFamily;
use pagewise::stream::{decode_all, StreamDecoder, StreamEvent, StreamResult, WireFormat};
use proptest::prelude::*;
use std::path::Path;

/// Every corpus body with the family and framing it is decoded with.
fn corpus_bodies() -> Vec<(ApiFamily, WireFormat, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/streams");
    let mut bodies = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let body = std::fs::read(&path).unwrap();
        if name.ends_with(".ndjson") {
            bodies.push((ApiFamily::Ollama, WireFormat::Ndjson, body));
        } else if name.ends_with(".sse") {
            let family = if name.starts_with("anthropic") {
                ApiFamily::Anthropic
            } else if name.starts_with("gemini") {
                ApiFamily::Gemini
            } else {
                ApiFamily::OpenAi
            };
            bodies.push((family, WireFormat::Sse, body));
        }
    }
    bodies.sort_by(|a, b| a.2.cmp(&b.2));
    bodies
}

fn decode_at(family: ApiFamily, format: WireFormat, body: &[u8], cuts: &[usize]) -> Vec<StreamEvent> {
    let mut cuts: Vec<usize> = cuts.iter().map(|cut| cut % (body.len() + 1)).collect();
    cuts.sort_unstable();
    let mut decoder = StreamDecoder::with_format(family, format);
    let mut events = Vec::new();
    let mut start = 0;
    for cut in cuts.into_iter().chain(std::iter::once(body.len())) {
        events.extend(decoder.push(&body[start..cut]));
        start = cut;
    }
    events.extend(decoder.finish());
    events
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_chunking_of_a_corpus_stream_gives_the_same_result(
        index in 0usize..64,
        cuts in proptest::collection::vec(0usize..100_000, 0..40),
    ) {
        let bodies = corpus_bodies();
        let (family, format, body) = &bodies[index % bodies.len()];
        let whole = StreamResult::from_events(decode_all(*family, *format, body, 0));
        let chunked = StreamResult::from_events(decode_at(*family, *format, body, &cuts));
        prop_assert_eq!(chunked, whole);
    }

    #[test]
    fn arbitrary_bytes_never_panic_and_always_end(
        body in proptest::collection::vec(any::<u8>(), 0..2_000),
        cuts in proptest::collection::vec(0usize..2_000, 0..20),
        family in prop_oneof![Just(ApiFamily::OpenAi), Just(ApiFamily::Anthropic), Just(ApiFamily::Gemini), Just(ApiFamily::Ollama)],
    ) {
        let events = decode_at(family, WireFormat::of(family), &body, &cuts);
        let ends = events.iter().filter(|event| matches!(event, StreamEvent::End(_))).count();
        prop_assert_eq!(ends, 1);
        prop_assert!(matches!(events.last(), Some(StreamEvent::End(_))));
    }

    #[test]
    fn sse_shaped_noise_chunks_consistently(
        lines in proptest::collection::vec(prop_oneof![
            Just("data: {\"choices\":[{\"delta\":{\"content\":\"é\"}}]}".to_string()),
            Just("data: {\"choices\":[{\"delta\":{\"reasoning_content\":\"思\"},\"finish_reason\":null}]}".to_string()),
            Just("data: {\"choices\":[{\"delta\":{\"content\":\"</think>\"}}]}".to_string()),
            Just("data: [DONE]".to_string()),
            Just(": keep-alive".to_string()),
            Just("event: error".to_string()),
            Just("data: {\"error\":{\"message\":\"x\"}}".to_string()),
            Just(String::new()),
            "[ -~]{0,12}",
        ], 0..30),
        separator in prop_oneof![Just("\n"), Just("\r\n"), Just("\r")],
        cuts in proptest::collection::vec(0usize..4_000, 0..30),
    ) {
        let body = lines.join(separator).into_bytes();
        let whole = StreamResult::from_events(decode_all(ApiFamily::OpenAi, WireFormat::Sse, &body, 0));
        let chunked = StreamResult::from_events(decode_at(ApiFamily::OpenAi, WireFormat::Sse, &body, &cuts));
        prop_assert_eq!(chunked, whole);
    }
}
