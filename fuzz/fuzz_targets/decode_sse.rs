//! Fuzz target: SSE bodies through `StreamDecoder` for OpenAI, Anthropic and Gemini, chunked vs. one push.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use pagewise::provider::ApiFamily;
use pagewise::stream::WireFormat;

fuzz_target!(|data: &[u8]| {
    // Byte 0 picks the API family, byte 1 the chunk size; the rest is the body.
    let [family, chunk, body @ ..] = data else {
        return;
    };
    let family = match family % 3 {
        0 => ApiFamily::OpenAi,
        1 => ApiFamily::Anthropic,
        _ => ApiFamily::Gemini,
    };
    common::check(family, WireFormat::Sse, body, common::chunk_size(*chunk));
});
