//! What a credit note credits: lines (possibly copied from an invoice, some of them, with
//! reduced quantities) or a standalone charge; and how it may relate to an invoice.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::lines::{
    DocumentTotals, LineInput, LineSigns, MAX_LINES, document_totals, line_violations,
};
use super::money::Currency;
use super::violation::{FieldPath, RuleCode, Violation};

/// A standalone credit without lines: a charge code, what it is for, and its amount.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Charge {
    pub code: String,
    pub description: String,
    pub amount: Decimal,
}

/// Why a credit note is issued, for reporting; the free text `reason` says the rest.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonCategory {
    /// Goods came back.
    Return,
    /// The invoice was wrong: price, quantity, tax.
    InvoicingError,
    /// A gesture towards the customer.
    Goodwill,
    Other,
}

impl ReasonCategory {
    pub const ALL: [ReasonCategory; 4] = [
        ReasonCategory::Return,
        ReasonCategory::InvoicingError,
        ReasonCategory::Goodwill,
        ReasonCategory::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReasonCategory::Return => "return",
            ReasonCategory::InvoicingError => "invoicing_error",
            ReasonCategory::Goodwill => "goodwill",
            ReasonCategory::Other => "other",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|category| category.as_str() == name)
    }

    /// How people read it.
    pub fn label(self) -> &'static str {
        match self {
            ReasonCategory::Return => "Return",
            ReasonCategory::InvoicingError => "Invoicing error",
            ReasonCategory::Goodwill => "Goodwill",
            ReasonCategory::Other => "Other",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CreditContent {
    Lines(Vec<LineInput>),
    Charge(Charge),
}

fn invalid(field: impl Into<FieldPath>, message: impl Into<String>) -> Violation {
    Violation::new(RuleCode::ValidationError, Some(field.into()), message)
}

impl CreditContent {
    /// Builds the content from what a request gave: lines or a charge, exactly one of them.
    pub fn from_parts(lines: Vec<LineInput>, charge: Option<Charge>) -> Result<Self, Violation> {
        match (lines.is_empty(), charge) {
            (false, None) => Ok(CreditContent::Lines(lines)),
            (true, Some(charge)) => Ok(CreditContent::Charge(charge)),
            (false, Some(_)) => Err(invalid(
                "charge",
                "A credit note has either lines or a charge, not both",
            )),
            (true, None) => Err(invalid(
                "lines",
                "A credit note needs at least one line or a charge",
            )),
        }
    }

    /// Every problem with the content, each on its field.
    pub fn validate(&self, currency: Currency) -> Vec<Violation> {
        match self {
            CreditContent::Lines(lines) => line_violations(lines, currency, LineSigns::Positive),
            CreditContent::Charge(charge) => {
                let mut violations = Vec::new();
                if charge.code.trim().is_empty() {
                    violations.push(invalid("charge.code", "Give the charge a code"));
                }
                if charge.description.trim().is_empty() {
                    violations.push(invalid("charge.description", "Describe the charge"));
                }
                if charge.amount <= Decimal::ZERO {
                    violations.push(
                        invalid("charge.amount", "The amount must be greater than zero")
                            .saying(super::InputError::NotPositive),
                    );
                } else if currency.to_minor(charge.amount).is_none() {
                    violations.push(
                        invalid("charge.amount", currency.too_many_decimals().to_string())
                            .saying(currency.too_many_decimals().into()),
                    );
                }
                violations
            }
        }
    }

    pub fn totals(&self, currency: Currency) -> DocumentTotals {
        match self {
            CreditContent::Lines(lines) => document_totals(lines, currency),
            // A charge is a gross amount without tax.
            CreditContent::Charge(charge) => DocumentTotals {
                subtotal: currency.round(charge.amount),
                tax_total: currency.zero(),
                total: currency.round(charge.amount),
            },
        }
    }
}

/// The invoice a credit note relates to, as its rules see it.
#[derive(Clone, Copy, Debug)]
pub struct RelatedInvoice {
    pub customer_id: i64,
    pub currency: Currency,
    pub issue_date: NaiveDate,
    pub status: super::status::InvoiceStatus,
    pub kind: super::lifecycle::InvoiceKind,
}

/// Whether an invoice of this status and kind can be a credit note's related invoice, or be
/// corrected by a correction invoice: issued (pending or paid), and a standard or advance
/// invoice, never a correction.
pub fn may_be_related(
    status: super::status::InvoiceStatus,
    kind: super::lifecycle::InvoiceKind,
) -> bool {
    use super::status::InvoiceStatus;
    matches!(status, InvoiceStatus::Pending | InvoiceStatus::Paid)
        && kind != super::lifecycle::InvoiceKind::Correction
}

/// The latest of the lines' ship dates: when the credited goods last left. None when no line
/// has one.
pub fn latest_ship_date(ship_dates: &[Option<chrono::NaiveDate>]) -> Option<chrono::NaiveDate> {
    ship_dates.iter().flatten().max().copied()
}

/// A credit note may relate only to an issued (pending or paid) standard or advance invoice of
/// its own customer and currency, dated no later than the note (the same day is allowed).
pub fn check_related_invoice(
    note_customer_id: i64,
    note_currency: Currency,
    note_date: NaiveDate,
    invoice: &RelatedInvoice,
) -> Result<(), Violation> {
    use super::lifecycle::InvoiceKind;
    if note_customer_id != invoice.customer_id {
        return Err(Violation::new(
            RuleCode::CustomerMismatch,
            Some("related_invoice_id".into()),
            "The related invoice belongs to another customer",
        ));
    }
    if !may_be_related(invoice.status, invoice.kind) {
        let what = if invoice.kind == InvoiceKind::Correction {
            "a correction invoice".to_string()
        } else {
            format!("a {} invoice", invoice.status.label().to_lowercase())
        };
        return Err(Violation::new(
            RuleCode::RelatedInvoiceNotIssued,
            Some("related_invoice_id".into()),
            format!("A credit note relates to an issued invoice (pending or paid), not {what}"),
        ));
    }
    if note_currency != invoice.currency {
        return Err(Violation::new(
            RuleCode::CurrencyMismatch,
            Some("currency".into()),
            format!("The related invoice is in {}", invoice.currency),
        ));
    }
    check_dated_after_invoice(note_date, invoice.issue_date)
}

/// What a standalone credit note (one that names no invoice) prints: it leaves the VAT of the
/// sales it relates to as it was.
pub const NET_OF_TAX_MENTION: &str = "Avoir net de taxe : sans incidence sur la TVA";

/// A credit note that reduces VAT names the invoice it corrects (CGI art. 289-I-5 and 272-1:
/// the seller recovers the VAT of a discount only through a document that refers to the
/// initial invoice); one that names none is net of tax, carries no VAT, and says so
/// ([`NET_OF_TAX_MENTION`]). Checked when the note is finalized.
pub fn check_vat_credit_names_invoice(
    tax_total: Decimal,
    related_invoice: bool,
) -> Result<(), Violation> {
    if tax_total.is_zero() || related_invoice {
        return Ok(());
    }
    Err(Violation::new(
        RuleCode::InvoiceReferenceRequired,
        Some("related_invoice_id".into()),
        "A credit note that reduces VAT names the invoice it corrects: relate it to that \
         invoice, or credit the amount net of tax (0 %)",
    ))
}

/// A credit note is never dated before the invoice it relates to (the same day is allowed):
/// checked when it is drafted, and again when finalizing dates it.
pub fn check_dated_after_invoice(
    note_date: chrono::NaiveDate,
    invoice_date: chrono::NaiveDate,
) -> Result<(), Violation> {
    if note_date < invoice_date {
        return Err(Violation::new(
            RuleCode::DateBeforeInvoice,
            Some("date".into()),
            format!("The credit note is dated before its invoice ({invoice_date})"),
        ));
    }
    Ok(())
}

/// One invoice line to credit; without a quantity the whole line is credited.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineSelection {
    pub line: usize,
    pub quantity: Option<Decimal>,
}

/// The credit lines for a partial (or, with no selection, full) credit of an invoice.
pub fn credit_lines_from_invoice(
    invoice_lines: &[LineInput],
    selection: &[LineSelection],
) -> Result<Vec<LineInput>, Vec<Violation>> {
    if selection.is_empty() {
        return Ok(invoice_lines.to_vec());
    }
    // A selection as long as a request body allows is refused before any line is looked at.
    if selection.len() > MAX_LINES {
        return Err(vec![invalid(
            "lines",
            format!("A selection has at most {MAX_LINES} lines"),
        )]);
    }
    let mut violations = Vec::new();
    let mut lines = Vec::with_capacity(selection.len());
    let mut chosen_lines = std::collections::HashSet::with_capacity(selection.len());
    for (i, chosen) in selection.iter().enumerate() {
        let field = |name: &str| FieldPath::item("lines", i, name);
        if !chosen_lines.insert(chosen.line) {
            violations.push(invalid(
                field("line"),
                format!("Line {} is chosen twice", chosen.line + 1),
            ));
            continue;
        }
        let Some(original) = invoice_lines.get(chosen.line) else {
            violations.push(invalid(
                field("line"),
                format!("The invoice has no line {}", chosen.line + 1),
            ));
            continue;
        };
        let quantity = chosen.quantity.unwrap_or(original.quantity);
        if quantity <= Decimal::ZERO || quantity > original.quantity.abs() {
            violations.push(invalid(
                field("quantity"),
                format!(
                    "Credit between 0 and {} of this line",
                    original.quantity.abs().normalize()
                ),
            ));
            continue;
        }
        lines.push(LineInput {
            quantity,
            ..original.clone()
        });
    }
    if violations.is_empty() {
        Ok(lines)
    } else {
        Err(violations)
    }
}

/// A warning, not a block: a credit note takes what an invoice has credited past its total.
/// Figures, so each page says it in its reader's language; the API's `warnings` say it in
/// English.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverCredit {
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "100.00"))]
    pub invoice_total: Decimal,
    /// By the invoice's other credit notes (cancelled ones aside).
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "60.00"))]
    pub credited_before: Decimal,
    /// With this note; none for a sum beyond what a decimal holds.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>, example = "110.00"))]
    pub credited: Option<Decimal>,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "EUR"))]
    pub currency: Currency,
}

impl OverCredit {
    /// The warning in English, as the API says it.
    pub fn sentence(&self) -> String {
        let credited = self
            .credited
            .map_or_else(|| "more".into(), |c| self.currency.format(c));
        format!(
            "This invoice already has {} credited; with this credit note the credited amount ({credited}) exceeds the invoice total ({})",
            self.currency.format(self.credited_before),
            self.currency.format(self.invoice_total),
        )
    }
}

/// Crediting `new_total` on an invoice that already had `credited_before` credited: an
/// [`OverCredit`] when that is more than the invoice's `invoice_total`.
pub fn over_credit_warning(
    invoice_total: Decimal,
    credited_before: Decimal,
    new_total: Decimal,
    currency: Currency,
) -> Option<OverCredit> {
    // A sum beyond what a decimal holds exceeds any invoice total.
    let credited = credited_before.checked_add(new_total);
    credited
        .is_none_or(|credited| credited > invoice_total)
        .then_some(OverCredit {
            invoice_total,
            credited_before,
            credited,
            currency,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn eur() -> Currency {
        Currency::parse("EUR").unwrap()
    }

    fn line(quantity: Decimal, price: Decimal) -> LineInput {
        LineInput {
            description: "Chair".into(),
            quantity,
            unit_price: price,
            discount_percent: dec!(0),
            tax_rate: dec!(20),
            ship_date: None,
            vat_category: None,
            vat_exemption_reason: None,
            nature: None,
            revenue_account: None,
        }
    }

    /// CGI art. 289-I-5 and 272-1: VAT is reduced only by a note that refers to the initial
    /// invoice; a note without one is net of tax.
    #[test]
    fn a_note_that_reduces_vat_names_its_invoice_or_carries_none() {
        assert!(check_vat_credit_names_invoice(dec!(20.00), true).is_ok());
        assert!(check_vat_credit_names_invoice(dec!(0.00), false).is_ok());
        let refused = check_vat_credit_names_invoice(dec!(20.00), false).unwrap_err();
        assert_eq!(refused.code, RuleCode::InvoiceReferenceRequired);
        assert_eq!(refused.code.http_status(), 409);
        let refund = check_vat_credit_names_invoice(dec!(-0.01), false);
        assert!(refund.is_err(), "any VAT at all, whatever its sign");
    }

    #[test]
    fn reason_categories_read_back_as_written() {
        for category in ReasonCategory::ALL {
            assert_eq!(ReasonCategory::parse(category.as_str()), Some(category));
        }
        assert_eq!(
            ReasonCategory::parse("Return"),
            None,
            "names are snake_case"
        );
    }

    #[test]
    fn lines_or_a_charge_but_not_both_nor_neither() {
        let charge = Charge {
            code: "GW".into(),
            description: "Goodwill".into(),
            amount: dec!(25),
        };
        assert!(CreditContent::from_parts(vec![line(dec!(1), dec!(10))], None).is_ok());
        assert!(CreditContent::from_parts(vec![], Some(charge.clone())).is_ok());
        assert!(CreditContent::from_parts(vec![line(dec!(1), dec!(10))], Some(charge)).is_err());
        assert!(CreditContent::from_parts(vec![], None).is_err());
    }

    #[test]
    fn a_charge_totals_its_amount() {
        let content = CreditContent::Charge(Charge {
            code: "GW".into(),
            description: "Goodwill".into(),
            amount: dec!(25),
        });
        assert_eq!(content.totals(eur()).total.to_string(), "25.00");
        assert!(content.validate(eur()).is_empty());
    }

    #[test]
    fn invalid_content_names_each_field() {
        let content =
            CreditContent::Lines(vec![line(dec!(0), dec!(-1)), line(dec!(1), dec!(1.001))]);
        let fields: Vec<_> = content
            .validate(eur())
            .into_iter()
            .filter_map(|v| v.field.map(|path| path.to_string()))
            .collect();
        assert_eq!(
            fields,
            [
                "lines[0].quantity",
                "lines[0].unit_price",
                "lines[1].unit_price"
            ]
        );
    }

    #[test]
    fn related_invoice_rules() {
        use crate::domain::{InvoiceKind, InvoiceStatus};
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let eur = Currency::parse("EUR").unwrap();
        let invoice = RelatedInvoice {
            customer_id: 1,
            currency: eur,
            issue_date: day(5),
            status: InvoiceStatus::Pending,
            kind: InvoiceKind::Standard,
        };
        let code = |customer, currency, date, invoice: RelatedInvoice| {
            check_related_invoice(customer, currency, date, &invoice).map_err(|v| v.code)
        };
        assert_eq!(
            code(1, eur, day(5), invoice),
            Ok(()),
            "the same day is allowed"
        );
        let paid_advance = RelatedInvoice {
            status: InvoiceStatus::Paid,
            kind: InvoiceKind::Advance,
            ..invoice
        };
        assert_eq!(code(1, eur, day(6), paid_advance), Ok(()));
        assert_eq!(
            code(2, eur, day(5), invoice),
            Err(RuleCode::CustomerMismatch)
        );
        assert_eq!(
            code(1, eur, day(1), invoice),
            Err(RuleCode::DateBeforeInvoice)
        );
        let usd = Currency::parse("USD").unwrap();
        assert_eq!(
            code(1, usd, day(5), invoice),
            Err(RuleCode::CurrencyMismatch)
        );
        for status in [InvoiceStatus::Draft, InvoiceStatus::Cancelled] {
            let unissued = RelatedInvoice { status, ..invoice };
            assert_eq!(
                code(1, eur, day(5), unissued),
                Err(RuleCode::RelatedInvoiceNotIssued)
            );
        }
        let correction = RelatedInvoice {
            kind: InvoiceKind::Correction,
            ..invoice
        };
        assert_eq!(
            code(1, eur, day(5), correction),
            Err(RuleCode::RelatedInvoiceNotIssued)
        );
    }

    /// A credit note amends the invoice it credits (Directive 2006/112/EC art. 219): a credited
    /// export stays an export, with the exemption its invoice printed.
    #[test]
    fn a_credited_line_keeps_its_vat_category_and_mention() {
        let export = LineInput {
            tax_rate: dec!(0),
            vat_category: Some(crate::domain::VatCategory::Export),
            vat_exemption_reason: Some("Exonération de TVA, article 262 I du CGI".into()),
            ..line(dec!(3), dec!(100))
        };
        let lines = credit_lines_from_invoice(
            &[export],
            &[LineSelection {
                line: 0,
                quantity: Some(dec!(1)),
            }],
        )
        .unwrap();
        assert_eq!(lines[0].vat_category(), crate::domain::VatCategory::Export);
        assert_eq!(
            lines[0].exemption_reason().as_deref(),
            Some("Exonération de TVA, article 262 I du CGI")
        );
    }

    #[test]
    fn partial_credits_take_chosen_lines_and_reduced_quantities() {
        let invoice = vec![line(dec!(4), dec!(250)), line(dec!(2), dec!(10))];
        let lines = credit_lines_from_invoice(
            &invoice,
            &[LineSelection {
                line: 0,
                quantity: Some(dec!(1)),
            }],
        )
        .unwrap();
        assert_eq!(lines, vec![line(dec!(1), dec!(250))]);
        assert_eq!(document_totals(&lines, eur()).total, dec!(300.00));
        assert_eq!(credit_lines_from_invoice(&invoice, &[]).unwrap(), invoice);
        let errors = credit_lines_from_invoice(
            &invoice,
            &[
                LineSelection {
                    line: 0,
                    quantity: Some(dec!(5)),
                },
                LineSelection {
                    line: 9,
                    quantity: None,
                },
            ],
        )
        .unwrap_err();
        assert_eq!(errors.len(), 2);
    }

    #[test]
    fn a_selection_longer_than_a_document_is_refused_before_any_line_is_read() {
        let invoice = vec![line(dec!(4), dec!(250))];
        // As long as a 2 MB request body allows: comparing each with those before it would
        // take hours; refused at once with one message.
        let selection = vec![
            LineSelection {
                line: 0,
                quantity: None,
            };
            100_000
        ];
        let errors = credit_lines_from_invoice(&invoice, &selection).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].message.contains("at most 1000 lines"),
            "{errors:?}"
        );
        // Up to the limit, duplicates are each named.
        let twice = vec![
            LineSelection {
                line: 0,
                quantity: None,
            };
            MAX_LINES
        ];
        let errors = credit_lines_from_invoice(&invoice, &twice).unwrap_err();
        assert_eq!(errors.len(), MAX_LINES - 1);
    }

    #[test]
    fn crediting_beyond_the_invoice_total_warns_with_what_was_credited() {
        assert_eq!(
            over_credit_warning(dec!(100), dec!(60), dec!(40), eur()),
            None
        );
        let warning = over_credit_warning(dec!(100), dec!(60), dec!(50), eur()).unwrap();
        assert_eq!(warning.credited, Some(dec!(110)));
        let sentence = warning.sentence();
        assert!(sentence.contains("60.00 EUR credited"), "{sentence}");
    }
}
