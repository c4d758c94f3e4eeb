//! Fuzz target: arbitrary bytes, decoded lossily, parsed by `html_tokens::parse_document` and by html5ever's own tokenizer; the two trees must serialize the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pagewise::extract::html_tokens::parse_document;

fuzz_target!(|data: &[u8]| {
    let html = String::from_utf8_lossy(data).into_owned();
    // html5ever also drops a byte order mark that follows `</script>` (its
    // start-of-stream check runs again after every script); a browser
    // does not, and neither do we. Only a leading one is comparable.
    if html.chars().skip(1).any(|c| c == '\u{FEFF}') {
        return;
    }
    let ours = parse_document(&html).html().to_string();
    let html5ever = dom_query::Document::from(html.as_str()).html().to_string();
    assert_eq!(ours, html5ever, "the trees differ for {html:?}");
});
