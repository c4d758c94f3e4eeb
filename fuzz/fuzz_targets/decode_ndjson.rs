//! Fuzz target: Ollama NDJSON bodies through `StreamDecoder`, chunked vs. one push.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use pagewise::provider::ApiFamily;
use pagewise::stream::WireFormat;

fuzz_target!(|data: &[u8]| {
    // Byte 0 is reserved for the family (only Ollama speaks NDJSON), byte 1
    // picks the chunk size; the rest is the body.
    let [_family, chunk, body @ ..] = data else {
        return;
    };
    common::check(ApiFamily::Ollama, WireFormat::Ndjson, body, common::chunk_size(*chunk));
});
