//! Finding a customer by what was typed: every word, in any order, case aside, within the
//! name, currency or tax region. The server keeps each customer's key; both databases compare
//! it with plain `LIKE`, since the key and the words are already lower case.

/// Words beyond this many are ignored: a search is a few words, not a paragraph.
pub const MAX_SEARCH_WORDS: usize = 5;
/// Characters of a word beyond this many are ignored.
pub const MAX_WORD_CHARS: usize = 40;
/// How many customers one search answers (a choice list, not a report).
pub const CUSTOMER_SEARCH_LIMIT: i64 = 50;

/// The text a customer is found by.
pub fn customer_search_key(name: &str, currency: &str, tax_region: &str) -> String {
    format!("{name} {currency} {tax_region}").to_lowercase()
}

/// The words of a search, lower case, at most [`MAX_SEARCH_WORDS`] of [`MAX_WORD_CHARS`].
pub fn search_words(typed: &str) -> Vec<String> {
    typed
        .to_lowercase()
        .split_whitespace()
        .take(MAX_SEARCH_WORDS)
        .map(|word| word.chars().take(MAX_WORD_CHARS).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the databases' `LIKE` answers for a key and the words.
    fn key_matches(key: &str, words: &[String]) -> bool {
        words.iter().all(|word| key.contains(word.as_str()))
    }

    #[test]
    fn every_typed_word_must_match_in_any_order_and_any_case() {
        let key = customer_search_key("Łódź Meble Sp. z o.o.", "PLN", "PL");
        assert!(key_matches(&key, &search_words("")));
        assert!(key_matches(&key, &search_words("MEBLE ŁÓDŹ")));
        assert!(key_matches(&key, &search_words("pln")));
        assert!(!key_matches(&key, &search_words("meble eur")));
    }

    #[test]
    fn a_search_is_a_few_short_words() {
        let words = search_words(&format!("a b c d e f g {}", "x".repeat(100)));
        assert_eq!(words.len(), MAX_SEARCH_WORDS);
        let long = search_words(&"x".repeat(100));
        assert_eq!(long[0].chars().count(), MAX_WORD_CHARS);
    }
}
