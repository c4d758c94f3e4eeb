//! Server-Sent Events framing: lines into events (`event:` name plus joined `data:`).

use super::lines::LineSplitter;

/// One dispatched event, borrowed from the framer's buffers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Message<'a> {
    /// The `event:` name, when the server sent one.
    pub event: Option<&'a str>,
    /// The `data:` lines joined with `\n`.
    pub data: &'a str,
}

/// Turns SSE bytes into [`Message`]s, following the WHATWG parsing rules
/// plus the quirks real servers need (see ARCHITECTURE.md, stream).
#[derive(Debug, Default)]
pub struct SseFramer {
    lines: LineSplitter,
    event: Option<String>,
    data: String,
    has_data: bool,
    /// A byte-order mark may open the stream; it is stripped from the first
    /// whole line, so it is found even when its three bytes arrive apart.
    first_line_done: bool,
}

impl SseFramer {
    /// Feeds bytes, calling `on_message` with each completed event.
    pub fn push(&mut self, bytes: &[u8], mut on_message: impl FnMut(Message)) {
        let Self { lines, event, data, has_data, first_line_done } = self;
        lines.push(bytes, |line| {
            let line = if *first_line_done { line } else { strip_bom(line) };
            *first_line_done = true;
            Self::line(line, event, data, has_data, &mut on_message)
        });
    }

    /// Ends the stream. An event without its closing blank line is
    /// discarded, as the SSE standard says: a cut connection must not
    /// deliver half a JSON object.
    pub fn finish(&mut self) {
        let _ = self.lines.finish();
        self.event = None;
        self.data.clear();
        self.has_data = false;
    }

    fn line(
        line: &[u8],
        event: &mut Option<String>,
        data: &mut String,
        has_data: &mut bool,
        on_message: &mut impl FnMut(Message),
    ) {
        if line.is_empty() {
            if *has_data {
                on_message(Message { event: event.as_deref(), data });
                data.clear();
                *has_data = false;
            }
            *event = None;
            return;
        }
        if line[0] == b':' {
            return;
        }
        let text = String::from_utf8_lossy(line);
        let (field, value) = match text.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (text.as_ref(), ""),
        };
        match field {
            "data" => {
                if *has_data {
                    data.push('\n');
                }
                data.push_str(value);
                *has_data = true;
            }
            "event" => *event = Some(value.to_string()),
            // llama.cpp before PR #16109 sent errors as a non-standard
            // `error: {...}` line; keep it as an error event.
            "error" => {
                *event = Some("error".to_string());
                data.clear();
                data.push_str(value);
                *has_data = true;
            }
            _ => {}
        }
    }
}

/// The line without a leading UTF-8 byte-order mark.
pub(super) fn strip_bom(line: &[u8]) -> &[u8] {
    line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(chunks: &[&[u8]]) -> Vec<(Option<String>, String)> {
        let mut framer = SseFramer::default();
        let mut out = Vec::new();
        for chunk in chunks {
            framer.push(chunk, |m| out.push((m.event.map(String::from), m.data.to_string())));
        }
        framer.finish();
        out
    }

    fn message(event: Option<&str>, data: &str) -> (Option<String>, String) {
        (event.map(Into::into), data.into())
    }

    #[test]
    fn data_lines_join_and_comments_vanish() {
        let out = frame(&[b"\xEF\xBB\xBF: keep-alive\ndata:a\ndata: b\n\nevent: x\ndata: c\r\n\r\n"]);
        assert_eq!(out, [message(None, "a\nb"), message(Some("x"), "c")]);
    }

    #[test]
    fn a_byte_order_mark_split_across_reads_is_still_stripped() {
        let out = frame(&[b"\xEF", b"\xBB", b"\xBF", b"da", b"ta: x\n\n"]);
        assert_eq!(out, [message(None, "x")]);
        // Only at the very start: later it is part of the line.
        assert_eq!(frame(&[b"data: a\n\n\xEF\xBB\xBFdata: b\n\n"]), [message(None, "a")]);
    }

    #[test]
    fn an_unterminated_event_is_dropped() {
        assert_eq!(frame(&[b"data: [DONE]"]), []);
        assert_eq!(frame(&[b"data: 1\n\ndata: {\"cut"]), [message(None, "1")]);
    }

    #[test]
    fn an_event_name_without_data_does_not_leak_into_the_next() {
        assert_eq!(frame(&[b"event: ping\n\ndata: x\n\n"]), [message(None, "x")]);
    }

    #[test]
    fn the_legacy_error_line_becomes_an_error_event() {
        assert_eq!(frame(&[b"error: {\"message\":\"m\"}\n\n"]), [message(Some("error"), "{\"message\":\"m\"}")]);
    }
}
