//! The extraction metrics of shared/design/extraction.md: WCXB word F1 and snippet hit rates.

use std::collections::HashMap;

/// Lower-cased `\w+` tokens. `\w` is taken as Unicode alphanumerics plus `_`,
/// which is Python's definition but for combining marks (rare in the corpus).
pub fn word_tokens(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    for character in text.chars() {
        if character.is_alphanumeric() || character == '_' {
            current.extend(character.to_lowercase());
        } else if !current.is_empty() {
            tokens.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        tokens.push(current);
    }
    tokens
}

/// One page's word precision, recall and F1.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WordScores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// WCXB word F1 of one page, with its precision and recall: multiset overlap
/// of tokens; both empty scores 1.0 throughout, one empty 0.0.
pub fn word_scores(predicted: &str, reference: &str) -> WordScores {
    let predicted = word_tokens(predicted);
    let reference = word_tokens(reference);
    if predicted.is_empty() && reference.is_empty() {
        return WordScores { precision: 1.0, recall: 1.0, f1: 1.0 };
    }
    let zero = WordScores { precision: 0.0, recall: 0.0, f1: 0.0 };
    if predicted.is_empty() || reference.is_empty() {
        return zero;
    }
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for token in &reference {
        *counts.entry(token).or_default() += 1;
    }
    let mut overlap = 0usize;
    for token in &predicted {
        if let Some(count) = counts.get_mut(token.as_str()) {
            if *count > 0 {
                *count -= 1;
                overlap += 1;
            }
        }
    }
    if overlap == 0 {
        return zero;
    }
    let precision = overlap as f64 / predicted.len() as f64;
    let recall = overlap as f64 / reference.len() as f64;
    WordScores { precision, recall, f1: 2.0 * precision * recall / (precision + recall) }
}

/// Lower case with runs of whitespace folded to one space, for snippet matching.
pub fn fold(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// How many `snippets` occur in the (folded) output.
pub fn snippets_found(folded_output: &str, snippets: &[String]) -> usize {
    snippets.iter().filter(|snippet| folded_output.contains(&fold(snippet))).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word_f1(predicted: &str, reference: &str) -> f64 {
        word_scores(predicted, reference).f1
    }

    #[test]
    fn tokens_are_lowercase_unicode_words() {
        assert_eq!(word_tokens("Hello, WORLD_1! 潮池 café"), ["hello", "world_1", "潮池", "café"]);
    }

    #[test]
    fn f1_counts_a_multiset_overlap() {
        assert_eq!(word_f1("", ""), 1.0);
        assert_eq!(word_f1("a", ""), 0.0);
        assert_eq!(word_f1("a b", "a b"), 1.0);
        // predicted a a b (3), reference a b c d (4): overlap 2; P 2/3, R 1/2.
        let expected = 2.0 * (2.0 / 3.0) * 0.5 / (2.0 / 3.0 + 0.5);
        assert!((word_f1("a a b", "a b c d") - expected).abs() < 1e-12);
        let scores = word_scores("a a b", "a b c d");
        assert_eq!((scores.precision, scores.recall), (2.0 / 3.0, 0.5));
    }

    #[test]
    fn snippets_match_folded() {
        let output = fold("The  tide\n pools HOLD life");
        assert_eq!(snippets_found(&output, &["tide pools hold".into(), "missing".into()]), 1);
    }
}
