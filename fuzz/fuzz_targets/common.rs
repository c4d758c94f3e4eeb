//! The checks both stream-decoder fuzz targets share: chunked vs. one-push decoding and the End invariants.

use pagewise::provider::ApiFamily;
use pagewise::stream::{decode_all, StreamDecoder, StreamEvent, StreamResult, WireFormat};

/// Chunk size for the chunked decode, from the selector byte: 1..=64.
pub fn chunk_size(selector: u8) -> usize {
    usize::from(selector % 64) + 1
}

/// A finished decoder stays finished: pushing or finishing again yields nothing.
fn assert_finished_stays_finished(family: ApiFamily, format: WireFormat, body: &[u8]) {
    let mut decoder = StreamDecoder::with_format(family, format);
    decoder.push(body);
    decoder.finish();
    let after_end = decoder.push(body);
    assert!(after_end.is_empty(), "push after finish yielded {after_end:?}");
    let after_end = decoder.finish();
    assert!(after_end.is_empty(), "second finish yielded {after_end:?}");
}

/// Exactly one `End`, and it is the last event (so nothing follows it).
fn assert_single_trailing_end(events: &[StreamEvent], how: &str) {
    let ends = events.iter().filter(|event| matches!(event, StreamEvent::End(_))).count();
    assert_eq!(ends, 1, "{how}: expected exactly one End, got {ends} in {events:?}");
    assert!(matches!(events.last(), Some(StreamEvent::End(_))), "{how}: End is not the last event in {events:?}");
}

/// Runs every check on one input: chunked and one-push decodes both end with
/// a single `End`, and they assemble to the same `StreamResult`.
pub fn check(family: ApiFamily, format: WireFormat, body: &[u8], chunk: usize) {
    let chunked = decode_all(family, format, body, chunk);
    assert_single_trailing_end(&chunked, "chunked");
    let whole = decode_all(family, format, body, 0);
    assert_single_trailing_end(&whole, "one push");
    let chunked_result = StreamResult::from_events(chunked.clone());
    let whole_result = StreamResult::from_events(whole.clone());
    assert_eq!(
        chunked_result, whole_result,
        "chunk size {chunk} disagrees with one push\nchunked events: {chunked:?}\none-push events: {whole:?}"
    );
    assert_finished_stays_finished(family, format, body);
}
