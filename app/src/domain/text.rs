//! What free text may hold. PostgreSQL cannot store U+0000 in a text column and nobody types
//! it, so every door refuses it before anything is written: both databases then hold the
//! same texts, and a hostile NUL is a clear 422, not a database failure.

use super::{FieldPath, RuleCode, Violation};

pub const NUL_REFUSED: &str = "Text may not hold the NUL character (U+0000)";

pub fn holds_nul(text: &str) -> bool {
    text.contains('\0')
}

/// The refusal of a NUL in `field`.
pub fn nul_violation(field: impl Into<FieldPath>) -> Violation {
    Violation::new(RuleCode::ValidationError, Some(field.into()), NUL_REFUSED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_nul_character_is_refused() {
        assert!(holds_nul("Acme\0"));
        assert!(!holds_nul("Łódź, Ελλάδα, 東京 \t\n"));
        assert!(
            !holds_nul("\\u0000"),
            "the six characters of an escape are text"
        );
    }
}
