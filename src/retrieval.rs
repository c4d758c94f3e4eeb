//! Finding the chunks of a long page that answer a question: BM25 ranking over CJK-aware terms.
//!
//! [`tokenize`] turns text into terms: Latin and digit words in lowercase,
//! split on everything else, minus a few English stopwords and with plural
//! and `-ing`/`-ed` endings stripped; CJK runs as their characters and
//! character bigrams, since Chinese and Japanese are written without spaces.
//! [`Bm25Index`] scores chunks against a query with Okapi BM25.

use std::collections::BTreeMap;

use crate::budget::is_cjk;

/// BM25's term-frequency saturation.
pub const K1: f32 = 1.2;
/// BM25's document-length normalization.
pub const B: f32 = 0.75;

/// English words too common to tell passages apart.
#[rustfmt::skip]
const STOPWORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "do", "does", "for", "from", "how", "in", "is", "it", "of",
    "on", "or", "that", "the", "this", "to", "was", "what", "when", "where", "which", "who", "why", "with",
];

/// CJK characters too common to be terms on their own (they still make bigrams).
const CJK_STOP_CHARACTERS: &[char] =
    &['的', '了', '是', '在', '和', '与', '也', '都', '吗', '呢', '吧', '啊', 'の', 'は', 'を', 'が'];

/// The terms of `text`, in order (a CJK run gives each character, then the
/// bigram it starts).
pub fn tokenize(text: &str) -> Vec<String> {
    let mut terms = Vec::new();
    let mut word = String::new();
    let mut run: Vec<char> = Vec::new();
    for character in text.chars().flat_map(char::to_lowercase) {
        if is_cjk(character) {
            push_word(&mut terms, &mut word);
            run.push(character);
        } else if character.is_alphanumeric() {
            push_run(&mut terms, &mut run);
            word.push(character);
        } else {
            push_word(&mut terms, &mut word);
            push_run(&mut terms, &mut run);
        }
    }
    push_word(&mut terms, &mut word);
    push_run(&mut terms, &mut run);
    terms
}

/// Ends a Latin or digit word: keeps its stem unless it is a stopword.
fn push_word(terms: &mut Vec<String>, word: &mut String) {
    if !word.is_empty() && !STOPWORDS.contains(&word.as_str()) {
        terms.push(stem(word));
    }
    word.clear();
}

/// Ends a CJK run: its characters (but the commonest) and its bigrams.
fn push_run(terms: &mut Vec<String>, run: &mut Vec<char>) {
    for (at, &character) in run.iter().enumerate() {
        if !CJK_STOP_CHARACTERS.contains(&character) {
            terms.push(character.to_string());
        }
        if let Some(&next) = run.get(at + 1) {
            terms.push([character, next].iter().collect());
        }
    }
    run.clear();
}

/// A light English stemmer: plural, `-ing` and `-ed` endings off, enough for
/// "tides" to meet "tide" and "feeding" to meet "feed".
fn stem(word: &str) -> String {
    let length = word.chars().count();
    if length > 4 {
        if let Some(base) = word.strip_suffix("ies") {
            return format!("{base}y");
        }
        if ["sses", "shes", "ches", "xes"].iter().any(|ending| word.ends_with(ending)) {
            return word[..word.len() - 2].to_string();
        }
    }
    if length > 5 {
        if let Some(base) = word.strip_suffix("ing") {
            return base.to_string();
        }
    }
    if length > 4 {
        if let Some(base) = word.strip_suffix("ed") {
            return base.to_string();
        }
    }
    if length > 3 && word.ends_with('s') && !["ss", "us", "is"].iter().any(|ending| word.ends_with(ending)) {
        return word[..word.len() - 1].to_string();
    }
    word.to_string()
}

/// BM25 statistics over a fixed set of chunks.
#[derive(Clone, Debug, Default)]
pub struct Bm25Index {
    /// Each chunk's term frequencies.
    documents: Vec<BTreeMap<String, u32>>,
    /// Each chunk's length in terms.
    lengths: Vec<u32>,
    /// How many chunks hold each term.
    document_frequency: BTreeMap<String, u32>,
    /// The mean chunk length in terms.
    average_length: f32,
}

impl Bm25Index {
    /// Indexes `chunks_texts`; a chunk's index in the slice is its index in [`Bm25Index::rank`].
    pub fn new(chunks_texts: &[&str]) -> Self {
        let mut documents = Vec::with_capacity(chunks_texts.len());
        let mut lengths = Vec::with_capacity(chunks_texts.len());
        let mut document_frequency = BTreeMap::new();
        for text in chunks_texts {
            let terms = tokenize(text);
            lengths.push(terms.len() as u32);
            let mut frequencies = BTreeMap::new();
            for term in terms {
                *frequencies.entry(term).or_insert(0u32) += 1;
            }
            for term in frequencies.keys() {
                *document_frequency.entry(term.clone()).or_insert(0u32) += 1;
            }
            documents.push(frequencies);
        }
        let total: u64 = lengths.iter().map(|&length| u64::from(length)).sum();
        let average_length = if lengths.is_empty() { 0.0 } else { total as f32 / lengths.len() as f32 };
        Bm25Index { documents, lengths, document_frequency, average_length }
    }

    /// The `top_k` chunks best matching `query`, as (chunk index, score),
    /// best first, ties by index; chunks sharing no term with the query are
    /// left out.
    pub fn rank(&self, query: &str, top_k: usize) -> Vec<(usize, f32)> {
        let mut query_terms = tokenize(query);
        query_terms.sort();
        query_terms.dedup();
        let count = self.documents.len() as f32;
        let weights: Vec<(&str, f32)> = query_terms
            .iter()
            .filter_map(|term| {
                let frequency = *self.document_frequency.get(term)? as f32;
                // The "plus one" form: never negative, even for a term in every chunk.
                Some((term.as_str(), (1.0 + (count - frequency + 0.5) / (frequency + 0.5)).ln()))
            })
            .collect();
        let mut scores: Vec<(usize, f32)> = self
            .documents
            .iter()
            .zip(&self.lengths)
            .enumerate()
            .filter_map(|(index, (frequencies, &length))| {
                let norm = K1 * (1.0 - B + B * length as f32 / self.average_length.max(f32::MIN_POSITIVE));
                let score: f32 = weights
                    .iter()
                    .filter_map(|&(term, idf)| {
                        let tf = *frequencies.get(term)? as f32;
                        Some(idf * tf * (K1 + 1.0) / (tf + norm))
                    })
                    .sum();
                (score > 0.0).then_some((index, score))
            })
            .collect();
        scores.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        scores.truncate(top_k);
        scores
    }

    /// How many chunks it indexes.
    pub fn len(&self) -> usize {
        self.documents.len()
    }

    /// Whether it indexes no chunk.
    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_first(passages: &[&str], cases: &[(&str, usize)]) {
        let index = Bm25Index::new(passages);
        for &(query, expected) in cases {
            let ranked = index.rank(query, 3);
            assert_eq!(ranked.first().map(|&(at, _)| at), Some(expected), "{query:?} ranked {ranked:?}");
        }
    }

    #[test]
    fn tokenize_splits_latin_words_and_makes_cjk_bigrams() {
        assert_eq!(tokenize("The Tides, of 2024!"), vec!["tide", "2024"]);
        assert_eq!(tokenize("feeding starfishes"), vec!["feed", "starfish"]);
        assert_eq!(tokenize("潮池的海星"), vec!["潮", "潮池", "池", "池的", "的海", "海", "海星", "星"]);
        assert_eq!(tokenize("Rust语言"), vec!["rust", "语", "语言", "言"]);
        assert!(tokenize("  ,.;  ").is_empty());
    }

    #[test]
    fn english_queries_find_their_passage() {
        let passages = [
            "Tide pools form on rocky shores where seawater is trapped at low tide.",
            "Starfish use hundreds of tube feet to pry open mussels and clams.",
            "Sea anemones sting small fish with tentacles full of venom cells.",
            "The moon's gravity pulls the oceans, causing two high tides each day.",
            "Hermit crabs move into larger empty shells as they grow.",
            "Kelp forests grow fastest in cold, nutrient-rich water near the coast.",
            "Visitors should step only on bare rock and never lift animals out of the water.",
            "Barnacles glue themselves head-first to rocks and feed with feathery legs.",
        ];
        assert_first(
            &passages,
            &[
                ("How do starfish open mussels?", 1),
                ("What makes anemones venomous?", 2),
                ("why are there two high tides a day", 3),
                ("hermit crab shells", 4),
                ("Where do kelp forests grow?", 5),
                ("rules for visitors", 6),
                ("how do barnacles feed", 7),
            ],
        );
    }

    #[test]
    fn chinese_queries_find_their_passage() {
        let passages = [
            "潮池是退潮时被困在岩石海岸上的海水。",
            "海星用数百只管足撬开贻贝和蛤蜊。",
            "海葵用充满毒细胞的触手蜇小鱼。",
            "月球引力牵引海洋，每天形成两次高潮。",
            "寄居蟹长大后会搬进更大的空壳。",
            "海带森林在靠近海岸的冷水中生长最快。",
            "游客只能踩在裸露的岩石上，不要把动物拿出水面。",
            "藤壶把头粘在岩石上，用羽毛状的腿进食。",
        ];
        assert_first(
            &passages,
            &[
                ("海星怎么打开贻贝？", 1),
                ("海葵的毒", 2),
                ("为什么每天有两次高潮", 3),
                ("寄居蟹的壳", 4),
                ("海带森林在哪里生长", 5),
                ("游客须知", 6),
                ("藤壶如何进食", 7),
            ],
        );
    }

    #[test]
    fn ranking_is_descending_and_limited_and_ties_go_by_index() {
        let index = Bm25Index::new(&["crab", "crab", "crab crab shell", "kelp"]);
        let ranked = index.rank("crab", 10);
        assert_eq!(ranked.iter().map(|&(at, _)| at).collect::<Vec<_>>(), vec![0, 1, 2]);
        assert_eq!(ranked[0].1, ranked[1].1);
        assert!(ranked.windows(2).all(|pair| pair[0].1 >= pair[1].1));
        assert_eq!(index.rank("crab", 1).len(), 1);
        assert!(index.rank("crab", 0).is_empty());
    }

    #[test]
    fn empty_queries_corpora_and_stopwords_rank_nothing() {
        let index = Bm25Index::new(&["the tide is high", "of the sea"]);
        assert!(index.rank("", 5).is_empty());
        assert!(index.rank("what is the", 5).is_empty());
        assert!(index.rank("volcano", 5).is_empty());
        let empty = Bm25Index::new(&[]);
        assert!(empty.is_empty());
        assert!(empty.rank("tide", 5).is_empty());
        let blank = Bm25Index::new(&["", ""]);
        assert_eq!(blank.len(), 2);
        assert!(blank.rank("tide", 5).is_empty());
    }
}
