//! Refusals in the reader's language. The server's sentences are English, with their figures
//! (the API's `detail` and `errors[].message`); English pages show them as they are. Other
//! languages say the broken rule by its machine code (`rule.*`), and a typed value by the input
//! reader's rule (`input.*`), which every door reports the same way.

use super::{Language, Msg, tr, trf};
use crate::domain::{
    CreditNoteBalance, InputError, InvoiceBalance, LinkBlock, RuleCode, Violation,
};
use crate::problem::{FieldProblem, Problem};

/// The message saying rule `code`.
pub fn rule_message(code: RuleCode) -> Msg {
    match code {
        RuleCode::ValidationError => Msg::RuleValidationError,
        RuleCode::NotFound => Msg::RuleNotFound,
        RuleCode::CreditNoteNotAvailable => Msg::RuleCreditNoteNotAvailable,
        RuleCode::CustomerMismatch => Msg::RuleCustomerMismatch,
        RuleCode::CurrencyMismatch => Msg::RuleCurrencyMismatch,
        RuleCode::ExceedsOutstanding => Msg::RuleExceedsOutstanding,
        RuleCode::ExceedsRemaining => Msg::RuleExceedsRemaining,
        RuleCode::InvoiceNotOpen => Msg::RuleInvoiceNotOpen,
        RuleCode::DateBeforeInvoice => Msg::RuleDateBeforeInvoice,
        RuleCode::InvoiceHasAllocations => Msg::RuleInvoiceHasAllocations,
        RuleCode::CreditNoteAllocated => Msg::RuleCreditNoteAllocated,
        RuleCode::CreditNoteFinalized => Msg::RuleCreditNoteFinalized,
        RuleCode::InvalidStatus => Msg::RuleInvalidStatus,
        RuleCode::NumberTaken => Msg::RuleNumberTaken,
        RuleCode::InvoiceTermsLocked => Msg::RuleInvoiceTermsLocked,
        RuleCode::InvoiceHasPayments => Msg::RuleInvoiceHasPayments,
        RuleCode::InvoiceHasCreditNotes => Msg::RuleInvoiceHasCreditNotes,
        RuleCode::RelatedInvoiceNotIssued => Msg::RuleRelatedInvoiceNotIssued,
        RuleCode::InvoiceNotOverdue => Msg::RuleInvoiceNotOverdue,
        RuleCode::OwnAccount => Msg::RuleOwnAccount,
        RuleCode::CreditNoteRefunded => Msg::RuleCreditNoteRefunded,
        RuleCode::InvoiceIssued => Msg::RuleInvoiceIssued,
        RuleCode::PeriodClosed => Msg::RulePeriodClosed,
        RuleCode::NumberingOutOfOrder => Msg::RuleNumberingOutOfOrder,
        RuleCode::SellerIdentityIncomplete => Msg::RuleSellerIdentityIncomplete,
        RuleCode::BuyerVatIdRequired => Msg::RuleBuyerVatIdRequired,
        RuleCode::BuyerSirenRequired => Msg::RuleBuyerSirenRequired,
        RuleCode::InvoiceReferenceRequired => Msg::RuleInvoiceReferenceRequired,
        RuleCode::ExchangeRateMissing => Msg::RuleExchangeRateMissing,
        RuleCode::FiscalYearInUse => Msg::RuleFiscalYearInUse,
        RuleCode::CustomerCurrencyFixed => Msg::RuleCustomerCurrencyFixed,
        RuleCode::AutomaticAccountRate => Msg::RuleAutomaticAccountRate,
    }
}

/// What the input reader refused, in `language`.
pub fn input_text(language: Language, error: InputError) -> String {
    match error {
        InputError::Required => tr(language, Msg::InputRequired).to_string(),
        InputError::TooLong { max } => {
            trf(language, Msg::InputTooLong, &[("max", &max.to_string())])
        }
        InputError::NotANumber => tr(language, Msg::InputNotANumber).to_string(),
        InputError::TooManyDecimals { scale } => trf(
            language,
            Msg::InputTooManyDecimals,
            &[("scale", &scale.to_string())],
        ),
        InputError::Negative => tr(language, Msg::InputNegative).to_string(),
        InputError::NotPositive => tr(language, Msg::InputNotPositive).to_string(),
        InputError::TooLarge => tr(language, Msg::InputTooLarge).to_string(),
        InputError::NotADate => tr(language, Msg::InputNotADate).to_string(),
        InputError::NotACurrency => tr(language, Msg::InputNotACurrency).to_string(),
        InputError::NotAnId => tr(language, Msg::InputNotAnId).to_string(),
    }
}

fn said(language: Language, english: &str, code: &str, says: Option<InputError>) -> String {
    if language == Language::En {
        return english.to_string();
    }
    match (says, RuleCode::parse(code)) {
        (Some(error), _) => input_text(language, error),
        // A rule that has no text of its own in the catalog yet: said generally, with the
        // server's sentence so the person still learns what is wrong.
        (None, Some(RuleCode::ValidationError) | None) => {
            trf(language, Msg::ProblemUntranslated, &[("sentence", english)])
        }
        (None, Some(rule)) => tr(language, rule_message(rule)).to_string(),
    }
}

/// A broken rule (a disabled action's reason), in `language`.
pub fn violation_text(language: Language, violation: &Violation) -> String {
    said(
        language,
        &violation.message,
        violation.code.as_str(),
        violation.says,
    )
}

/// The message to show next to a field, in `language`.
pub fn field_text(language: Language, error: &FieldProblem) -> String {
    said(language, &error.message, &error.code, error.says)
}

/// A problem's title, in `language`.
pub fn problem_title(language: Language, problem: &Problem) -> String {
    if language == Language::En {
        return problem.title.clone();
    }
    let message = match problem.status {
        400 => Msg::ProblemStatus400,
        401 => Msg::ProblemStatus401,
        403 => Msg::ProblemStatus403,
        404 => Msg::ProblemStatus404,
        409 => Msg::ProblemStatus409,
        422 => Msg::ProblemStatus422,
        429 => Msg::ProblemStatus429,
        _ => Msg::ProblemStatus500,
    };
    tr(language, message).to_string()
}

/// What went wrong, in `language`: the rule; for invalid values, each field's message.
pub fn problem_detail(language: Language, problem: &Problem) -> String {
    if language == Language::En {
        return problem.detail.clone();
    }
    if let Some(rule) = RuleCode::parse(&problem.code) {
        if rule == RuleCode::ValidationError && !problem.errors.is_empty() {
            return problem
                .errors
                .iter()
                .map(|error| field_text(language, error))
                .collect::<Vec<_>>()
                .join("; ");
        }
        return tr(language, rule_message(rule)).to_string();
    }
    let message = match (problem.code.as_str(), problem.status) {
        ("import_invalid", _) => {
            let count = problem.errors.len().to_string();
            return trf(language, Msg::ProblemImportInvalid, &[("count", &count)]);
        }
        ("bad_request", _) => Msg::ProblemFormUnreadable,
        ("unreachable", _) => Msg::ProblemUnreachable,
        ("password_change_required", _) => Msg::ProblemPasswordChangeRequired,
        (_, 401) => Msg::ProblemUnauthorized,
        (_, 409) => Msg::ProblemConflict,
        (_, 403) => Msg::ProblemForbidden,
        (_, 429) => Msg::ProblemTooMany,
        (_, 404) => Msg::RuleNotFound,
        (_, 422) => Msg::RuleValidationError,
        _ => Msg::ProblemInternal,
    };
    tr(language, message).to_string()
}

/// Why the link dialog offers a note disabled, in `language`.
pub fn link_block_text(
    language: Language,
    block: LinkBlock,
    invoice: &InvoiceBalance,
    note: &CreditNoteBalance,
) -> String {
    // German writes its nouns capitalised ("Entwurf"); the others read the status lowercase.
    let status = tr(language, super::status::credit_note(note.status));
    let status = match language {
        Language::De => status.to_string(),
        _ => status.to_lowercase(),
    };
    match (language, block) {
        (Language::En, _) => block.explain(invoice, note),
        (_, LinkBlock::NotAvailable) => {
            trf(language, Msg::LinkNotAvailable, &[("status", &status)])
        }
        (_, LinkBlock::OtherCustomer) => tr(language, Msg::LinkOtherCustomer).to_string(),
        (_, LinkBlock::OtherCurrency) => trf(
            language,
            Msg::LinkOtherCurrency,
            &[
                ("note", note.currency.code()),
                ("invoice", invoice.currency.code()),
            ],
        ),
    }
}

/// `problem` as people of `language` read it: its title, its detail and each field's message.
pub fn localize(mut problem: Problem, language: Language) -> Problem {
    if language == Language::En {
        return problem;
    }
    problem.title = problem_title(language, &problem);
    problem.detail = problem_detail(language, &problem);
    for error in &mut problem.errors {
        error.message = field_text(language, error);
    }
    problem
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Reader;

    #[test]
    fn every_rule_and_input_error_is_said_apart_in_french_and_german() {
        for language in [Language::Fr, Language::De] {
            let mut seen = std::collections::BTreeSet::new();
            for code in RuleCode::ALL {
                let text = tr(language, rule_message(*code));
                assert!(
                    seen.insert(text),
                    "{language:?}: {code:?} says {text}, as another"
                );
                assert_ne!(text, tr(Language::En, rule_message(*code)));
            }
        }
    }

    #[test]
    fn english_keeps_the_servers_sentence_and_french_says_the_rule() {
        let refused = Reader::typed_in(Language::Fr)
            .positive_amount(
                "credit_notes[3].amount",
                "0,00",
                crate::domain::Currency::parse("EUR").unwrap(),
            )
            .unwrap_err();
        let problem = Problem::from(refused.clone());
        assert_eq!(
            field_text(Language::En, &problem.errors[0]),
            "the amount must be greater than zero"
        );
        assert_eq!(
            field_text(Language::Fr, &problem.errors[0]),
            "Le montant doit être supérieur à zéro"
        );
        assert_eq!(
            violation_text(Language::De, &refused),
            "Der Betrag muss größer als null sein"
        );
        let refused_link = Problem::from(Violation::general(
            RuleCode::ExceedsOutstanding,
            "120.00 EUR exceeds the outstanding 100.00 EUR",
        ));
        assert_eq!(
            problem_title(Language::Fr, &refused_link),
            "Saisie non valide"
        );
        assert_eq!(
            problem_detail(Language::Fr, &refused_link),
            "Les montants dépassent le reste dû de la facture"
        );
        assert_eq!(
            problem_detail(Language::En, &refused_link),
            "120.00 EUR exceeds the outstanding 100.00 EUR"
        );
    }
}
