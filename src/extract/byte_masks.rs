//! Eight bytes at a time: which bytes of a 64-bit word are ASCII whitespace, visible or alphanumeric, and where runs of them start or end, for the text counts and folds that read every text node.
//!
//! A mask holds the top bit (0x80) of each byte that has the property and
//! nothing else. Bytes are read little-endian, so the byte before byte `i`
//! is byte `i - 1`, eight bits lower.

/// `byte` in each of a 64-bit word's eight bytes.
pub(super) const fn every_byte(byte: u8) -> u64 {
    u64::from_ne_bytes([byte; 8])
}

/// Eight bytes of `bytes` as one word.
pub(super) fn word_of(bytes: &[u8; 8]) -> u64 {
    u64::from_le_bytes(*bytes)
}

/// Whether all eight bytes are ASCII.
pub(super) const fn all_ascii(word: u64) -> bool {
    word & every_byte(0x80) == 0
}

/// The bytes at or above `low`, for a word whose bytes are all below
/// 0x80: no sum carries into the next byte.
const fn at_least(word: u64, low: u8) -> u64 {
    word.wrapping_add(every_byte(0x80 - low)) & every_byte(0x80)
}

/// The bytes equal to `byte`, exactly (no borrow between bytes).
const fn equal_to(word: u64, byte: u8) -> u64 {
    let low = every_byte(0x7F);
    let zeroed = word ^ every_byte(byte);
    !((zeroed & low).wrapping_add(low) | zeroed | low)
}

/// The ASCII bytes that are not whitespace (`White_Space`: 0x20 and
/// 0x09..=0x0D). Each byte is judged on its low seven bits, so a
/// non-ASCII byte's answer means nothing.
pub(super) const fn visible_ascii(word: u64) -> u64 {
    let seven = word & !every_byte(0x80);
    let control_space = at_least(seven, b'\t') & !at_least(seven, b'\r' + 1);
    !(equal_to(seven, b' ') | control_space) & every_byte(0x80)
}

/// How many of the word's bytes, from its first, are visible ASCII (ASCII
/// and not whitespace): 8 when all are.
pub(super) const fn leading_visible_ascii(word: u64) -> usize {
    // A non-ASCII byte's top bit is set in `word`: `!word` clears it.
    let visible = visible_ascii(word) & !word;
    ((!visible & every_byte(0x80)).trailing_zeros() / 8) as usize
}

/// The bytes that start a UTF-8 character (all but 10xxxxxx).
pub(super) const fn character_starts(word: u64) -> u64 {
    !(word & !(word << 1)) & every_byte(0x80)
}

/// The ASCII letters and digits, for a word whose bytes are all ASCII.
pub(super) const fn ascii_alphanumeric(word: u64) -> u64 {
    let digits = at_least(word, b'0') & !at_least(word, b'9' + 1);
    let folded = word | every_byte(0x20);
    let letters = at_least(folded, b'a') & !at_least(folded, b'z' + 1);
    digits | letters
}

/// The bytes of `mask` whose previous byte is not in it: where runs start.
/// `previous` is the mask of the eight bytes before, of which only the
/// top bit (the last byte's) is read.
pub(super) const fn run_starts(mask: u64, previous: u64) -> u64 {
    mask & !(mask << 8 | previous >> 56)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One mask bit per byte, from a per-byte rule.
    fn expected(bytes: [u8; 8], rule: impl Fn(u8) -> bool) -> u64 {
        bytes.iter().enumerate().map(|(at, byte)| if rule(*byte) { 0x80u64 << (8 * at) } else { 0 }).sum()
    }

    proptest::proptest! {
        #[test]
        fn masks_agree_with_the_byte_rules(bytes in proptest::array::uniform8(0u8..=255)) {
            let word = word_of(&bytes);
            let ascii = expected(bytes, |byte| byte.is_ascii());
            proptest::prop_assert_eq!(all_ascii(word), ascii == every_byte(0x80));
            proptest::prop_assert_eq!(visible_ascii(word) & ascii, expected(bytes, |byte| byte.is_ascii() && !char::from(byte).is_whitespace()));
            proptest::prop_assert_eq!(character_starts(word), expected(bytes, |byte| byte & 0xC0 != 0x80));
            let visible = |byte: &u8| byte.is_ascii() && !char::from(*byte).is_whitespace();
            proptest::prop_assert_eq!(leading_visible_ascii(word), bytes.iter().take_while(|byte| visible(byte)).count());
            let seven = word & !every_byte(0x80);
            let seven_bytes = seven.to_le_bytes();
            proptest::prop_assert_eq!(ascii_alphanumeric(seven), expected(seven_bytes, |byte| byte.is_ascii_alphanumeric()));
        }

        #[test]
        fn runs_start_after_a_byte_outside_them(mask in 0u64..=u64::MAX, previous in 0u64..=u64::MAX) {
            let (mask, previous) = (mask & every_byte(0x80), previous & every_byte(0x80));
            let inside = |at: usize| mask & (0x80u64 << (8 * at)) != 0;
            let before = |at: usize| if at == 0 { previous >> 63 == 1 } else { inside(at - 1) };
            let starts: u64 = (0..8).filter(|&at| inside(at) && !before(at)).map(|at| 0x80u64 << (8 * at)).sum();
            proptest::prop_assert_eq!(run_starts(mask, previous), starts);
        }
    }
}
