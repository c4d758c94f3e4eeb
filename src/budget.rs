//! Token budgets: estimating how many model tokens a text costs, without a tokenizer.

/// Estimated tokens for `text` under the tokenizers of today's chat models:
/// a CJK character is about one token, other text about four characters a
/// token (counting spaces and punctuation). Deliberately a slight
/// overestimate, so a prompt sized with it fits.
pub fn estimate_tokens(text: &str) -> usize {
    let mut cjk = 0usize;
    let mut other = 0usize;
    for character in text.chars() {
        if is_cjk(character) {
            cjk += 1;
        } else {
            other += 1;
        }
    }
    cjk + other.div_ceil(CHARACTERS_PER_TOKEN)
}

/// Characters per token for Latin-script text (English averages about 4.2
/// with GPT-4-class and Qwen tokenizers; rounding down overestimates).
const CHARACTERS_PER_TOKEN: usize = 4;

/// Han ideographs, kana and Hangul, which tokenizers split about one per token.
pub fn is_cjk(character: char) -> bool {
    matches!(character as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xAC00..=0xD7AF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_text_costs_a_token_per_four_characters_and_cjk_one_per_character() {
        assert_eq!(estimate_tokens(""), 0);
        assert_eq!(estimate_tokens("abcd"), 1);
        assert_eq!(estimate_tokens("abcde"), 2);
        assert_eq!(estimate_tokens("潮池"), 2);
        assert_eq!(estimate_tokens("潮池 tide"), 2 + 2);
    }
}
