//! Splitting a byte stream into lines at CR, LF or CRLF, however the bytes are chunked.

/// Cuts bytes into lines. A line is only handed out once its terminator has
/// arrived, so a UTF-8 sequence or a CRLF pair split across reads is never
/// seen half. Memory holds at most the longest unfinished line.
#[derive(Debug, Default)]
pub struct LineSplitter {
    partial: Vec<u8>,
    /// The previous read ended in CR: a LF at the start of the next read
    /// belongs to the same terminator.
    after_cr: bool,
}

impl LineSplitter {
    /// Feeds bytes, calling `on_line` with each completed line (terminator removed).
    pub fn push(&mut self, mut bytes: &[u8], mut on_line: impl FnMut(&[u8])) {
        if bytes.is_empty() {
            return;
        }
        if self.after_cr {
            self.after_cr = false;
            if let Some(rest) = bytes.strip_prefix(b"\n") {
                bytes = rest;
            }
        }
        while let Some(end) = bytes.iter().position(|&byte| byte == b'\n' || byte == b'\r') {
            if self.partial.is_empty() {
                on_line(&bytes[..end]);
            } else {
                self.partial.extend_from_slice(&bytes[..end]);
                on_line(&self.partial);
                self.partial.clear();
            }
            let is_cr = bytes[end] == b'\r';
            bytes = &bytes[end + 1..];
            if is_cr {
                match bytes.first() {
                    Some(b'\n') => bytes = &bytes[1..],
                    Some(_) => {}
                    None => self.after_cr = true,
                }
            }
        }
        self.partial.extend_from_slice(bytes);
    }

    /// Ends the stream, returning the last line if it had no terminator.
    pub fn finish(&mut self) -> Option<Vec<u8>> {
        self.after_cr = false;
        (!self.partial.is_empty()).then(|| std::mem::take(&mut self.partial))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(chunks: &[&[u8]]) -> (Vec<String>, Option<String>) {
        let mut splitter = LineSplitter::default();
        let mut lines = Vec::new();
        for chunk in chunks {
            splitter.push(chunk, |line| lines.push(String::from_utf8_lossy(line).into_owned()));
        }
        let rest = splitter.finish().map(|rest| String::from_utf8_lossy(&rest).into_owned());
        (lines, rest)
    }

    #[test]
    fn every_terminator_ends_a_line() {
        let (lines, rest) = split(&[b"a\nb\r\nc\rd\n\ne"]);
        assert_eq!(lines, ["a", "b", "c", "d", ""]);
        assert_eq!(rest.as_deref(), Some("e"));
    }

    #[test]
    fn crlf_split_across_reads_is_one_terminator() {
        let (lines, _) = split(&[b"a\r", b"\nb\r", b"\r\n"]);
        assert_eq!(lines, ["a", "b", ""]);
    }

    #[test]
    fn an_empty_read_between_cr_and_lf_changes_nothing() {
        let (lines, _) = split(&[b"a\r", b"", b"\nb\n"]);
        assert_eq!(lines, ["a", "b"]);
    }

    #[test]
    fn a_line_split_across_reads_is_joined() {
        let (lines, rest) = split(&[b"da", b"ta: x", b"y\n", b"z"]);
        assert_eq!(lines, ["data: xy"]);
        assert_eq!(rest.as_deref(), Some("z"));
    }
}
