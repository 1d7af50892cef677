//! What people read, in their language: messages from the translation files
//! (`app/locales/<language>/*.toml`, checked at build time so every key exists in every
//! language), and amounts and dates in the language's formats ([`format`]).
//!
//! The server holds every language: pages, PDFs and e-mails may each be in a different one.
//! The browser holds one: the page's, which the server writes into the page as data
//! (`<script type="application/json" id="catalog">`) and the browser reads before it
//! hydrates, so the hydrated app says exactly what the server rendered. Written here rather
//! than with leptos_i18n: that crate compiles every language into the browser bundle (or
//! loads them through an inline script our Content-Security-Policy refuses), and its build
//! step fetches locale data from the internet.

pub mod format;
pub mod refusals;
pub mod status;
pub mod warnings;

pub use crate::domain::Language;

include!(concat!(env!("OUT_DIR"), "/messages.rs"));

/// The position of `language` in the catalogs.
fn index(language: Language) -> usize {
    Language::ALL
        .iter()
        .position(|l| *l == language)
        .unwrap_or_default()
}

/// A message in `language`. In the browser only the page's language is loaded, which is the
/// one asked for there.
pub fn tr(language: Language, message: Msg) -> &'static str {
    #[cfg(feature = "ssr")]
    {
        CATALOGS[index(language)][message as usize]
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = index(language);
        client::text(message)
    }
}

/// A message in `language` with its `{placeholders}` filled.
pub fn trf(language: Language, message: Msg, values: &[(&str, &str)]) -> String {
    fill(tr(language, message), values)
}

/// `template` with each `{name}` replaced by its value, in one pass: a value that itself
/// holds `{…}` (an SMTP error, a comment) stays as it is.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut text = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        text.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let named = after
            .find('}')
            .and_then(|end| Some((values.iter().find(|(name, _)| *name == &after[..end])?, end)));
        match named {
            Some(((_, value), end)) => {
                text.push_str(value);
                rest = &after[end + 1..];
            }
            None => {
                text.push('{');
                rest = after;
            }
        }
    }
    text.push_str(rest);
    text
}

/// The page's language: the request's on the server, the page's in the browser.
pub fn use_language() -> Language {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<Language>().unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        client::language()
    }
}

/// A message in the page's language, for components.
pub fn t(message: Msg) -> &'static str {
    tr(use_language(), message)
}

/// A message in the page's language with its `{placeholders}` filled.
pub fn tf(message: Msg, values: &[(&str, &str)]) -> String {
    trf(use_language(), message, values)
}

/// The language a request asks for: the one the user chose (the `lang` cookie), else the
/// first of the browser's `Accept-Language` we speak (by its `q` weights), else English.
pub fn negotiate(chosen: Option<&str>, accept_language: Option<&str>) -> Language {
    if let Some(language) = chosen.and_then(Language::parse) {
        return language;
    }
    let mut offered: Vec<(f32, usize, Language)> = accept_language
        .unwrap_or_default()
        .split(',')
        .enumerate()
        .filter_map(|(position, item)| {
            let mut parts = item.split(';');
            let language = Language::parse(parts.next()?.trim())?;
            let weight = parts
                .filter_map(|part| part.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (weight > 0.0).then_some((weight, position, language))
        })
        .collect();
    // Highest weight first; among equals, the browser's order.
    offered.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    offered
        .first()
        .map(|(_, _, language)| *language)
        .unwrap_or_default()
}

/// The name of the cookie that keeps a browser's chosen language.
pub const LANGUAGE_COOKIE: &str = "lang";

/// The texts of `language`, as the page carries them for the browser (a JSON array in `Msg`
/// order, `<` escaped so it cannot end its `<script>` element).
#[cfg(feature = "ssr")]
pub fn catalog_json(language: Language) -> String {
    serde_json::to_string(&CATALOGS[index(language)].to_vec())
        .unwrap_or_default()
        .replace('<', "\\u003c")
}

/// The browser's copy of its page's language.
#[cfg(not(feature = "ssr"))]
pub mod client {
    use std::sync::OnceLock;

    use super::{Language, MESSAGE_COUNT, Msg};

    static LANGUAGE: OnceLock<Language> = OnceLock::new();
    static TEXTS: OnceLock<Vec<String>> = OnceLock::new();

    /// Reads the language and texts the server wrote into the page; false when they are
    /// missing or do not fit this build (the page then stays as the server rendered it).
    pub fn load_from_document() -> bool {
        let document = leptos::prelude::document();
        let language = document
            .document_element()
            .and_then(|root| root.get_attribute("lang"))
            .and_then(|code| Language::parse(&code))
            .unwrap_or_default();
        let texts: Option<Vec<String>> = document
            .get_element_by_id("catalog")
            .and_then(|element| element.text_content())
            .and_then(|json| serde_json::from_str(&json).ok());
        match texts {
            Some(texts) if texts.len() == MESSAGE_COUNT => {
                let _ = LANGUAGE.set(language);
                let _ = TEXTS.set(texts);
                true
            }
            _ => false,
        }
    }

    pub fn language() -> Language {
        LANGUAGE.get().copied().unwrap_or_default()
    }

    pub fn text(message: Msg) -> &'static str {
        TEXTS
            .get()
            .and_then(|texts| texts.get(message as usize))
            .map_or("", String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_a_text_in_every_language() {
        for (language, catalog) in Language::ALL.iter().zip(CATALOGS.iter()) {
            for (key, text) in KEYS.iter().zip(catalog.iter()) {
                assert!(!text.trim().is_empty(), "{language}: {key} is empty");
            }
        }
        assert_eq!(
            CATALOGS[index(Language::De)][Msg::NavCreditNotes as usize],
            "Gutschriften"
        );
        assert_eq!(
            CATALOGS[index(Language::Fr)][Msg::NavCreditNotes as usize],
            "Avoirs"
        );
    }

    #[test]
    fn placeholders_are_filled_once_and_values_kept_as_they_are() {
        assert_eq!(
            fill(
                "E-mail to {to} failed: {error}",
                &[("to", "a@b.c"), ("error", "no {to} here")]
            ),
            "E-mail to a@b.c failed: no {to} here"
        );
        assert_eq!(fill("{unknown} {x", &[("x", "1")]), "{unknown} {x");
    }

    #[test]
    fn the_chosen_language_wins_then_the_browsers_by_weight() {
        assert_eq!(negotiate(Some("de"), Some("fr-FR,fr;q=0.9")), Language::De);
        assert_eq!(
            negotiate(Some("xx"), Some("fr-FR,fr;q=0.9")),
            Language::Fr,
            "an unknown choice is no choice"
        );
        assert_eq!(
            negotiate(None, Some("it-IT, de;q=0.8, fr;q=0.9")),
            Language::Fr
        );
        assert_eq!(negotiate(None, Some("de-AT,en;q=0.5")), Language::De);
        assert_eq!(
            negotiate(None, Some("fr;q=0, en")),
            Language::En,
            "q=0 means not wanted"
        );
        assert_eq!(negotiate(None, Some("ja, it")), Language::En);
        assert_eq!(negotiate(None, None), Language::En);
    }
}
