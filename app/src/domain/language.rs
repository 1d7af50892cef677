//! The languages creditdesk speaks: a user's, for the screens, and a customer's, for the
//! documents, e-mails and reminders it receives.

use serde::{Deserialize, Serialize};

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    En,
    Fr,
    De,
}

impl Language {
    pub const ALL: [Language; 3] = [Language::En, Language::Fr, Language::De];

    /// Its ISO 639-1 code, as stored and sent: `en`, `fr`, `de`.
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Fr => "fr",
            Language::De => "de",
        }
    }

    /// Its name in itself, as a language switch offers it.
    pub fn native_name(self) -> &'static str {
        match self {
            Language::En => "English",
            Language::Fr => "Français",
            Language::De => "Deutsch",
        }
    }

    /// A code, case and surrounding blanks aside; a regional variant (`fr-BE`, `de_AT`) is its
    /// language.
    pub fn parse(code: &str) -> Option<Self> {
        let language = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Self::ALL.into_iter().find(|l| l.code() == language)
    }

    /// What a new customer's documents are written in when nobody chose: the language of its
    /// tax region where it is one of ours (Austria and Switzerland's German parts read German).
    pub fn of_region(tax_region: &str) -> Self {
        match tax_region.trim().to_ascii_uppercase().as_str() {
            "FR" | "BE" | "LU" | "MC" => Language::Fr,
            "DE" | "AT" | "LI" => Language::De,
            _ => Language::En,
        }
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_regional_variants_read_as_their_language() {
        for language in Language::ALL {
            assert_eq!(Language::parse(language.code()), Some(language));
        }
        assert_eq!(Language::parse(" fr-BE "), Some(Language::Fr));
        assert_eq!(Language::parse("DE_at"), Some(Language::De));
        assert_eq!(Language::parse("it"), None);
        assert_eq!(Language::parse(""), None);
    }

    #[test]
    fn a_region_suggests_its_language() {
        assert_eq!(Language::of_region("fr"), Language::Fr);
        assert_eq!(Language::of_region("AT"), Language::De);
        assert_eq!(Language::of_region("US"), Language::En);
    }
}
