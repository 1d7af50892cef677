//! Warnings that do not block, in the reader's language: the domain gives their figures, each
//! page says them (the API keeps the domain's English sentence).

use super::{Language, Msg, format, trf};
use crate::domain::OverCredit;

/// A credit note takes the invoice's credited amount past its total.
pub fn over_credit(language: Language, warning: &OverCredit) -> String {
    let money = |amount| format::money(language, amount, warning.currency);
    // A sum beyond what a decimal holds keeps the domain's words.
    let Some(credited) = warning.credited else {
        return warning.sentence();
    };
    trf(
        language,
        Msg::CreditNotesFromInvoiceOverCredit,
        &[
            ("before", &money(warning.credited_before)),
            ("credited", &money(credited)),
            ("total", &money(warning.invoice_total)),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Currency, over_credit_warning};
    use rust_decimal::dec;

    #[test]
    fn an_over_credit_is_said_with_the_languages_amounts() {
        let eur = Currency::parse("EUR").unwrap();
        let warning = over_credit_warning(dec!(1000), dec!(600), dec!(500), eur).unwrap();
        let french = over_credit(Language::Fr, &warning);
        assert!(french.contains("1\u{202f}100,00\u{a0}€"), "{french}");
        let german = over_credit(Language::De, &warning);
        assert!(german.contains("1.100,00\u{a0}€"), "{german}");
        let english = over_credit(Language::En, &warning);
        assert!(english.contains("€1,100.00"), "{english}");
    }
}
