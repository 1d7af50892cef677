//! A brief fuzz run over what users and integrators type: extreme strings through the money and
//! number parsers, extreme decimals through the line arithmetic and the link plan. Nothing may
//! panic (a panic drops the server's connection); every input either gets a clean error or a
//! result that fits the stored integer minor units. A few thousand cases, run by `cargo test`.

use app::domain::{
    AllocationRequest, CreditNoteBalance, CreditNoteStatus, Currency, FieldPath, InvoiceBalance,
    InvoiceStatus, LineInput, LineSigns, checked_document_totals, document_totals, line_violations,
    parse_decimal, plan_allocations,
};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Currencies with 0, 2, 3 and 4 decimals.
fn currency() -> impl Strategy<Value = Currency> {
    prop::sample::select(vec!["JPY", "EUR", "KWD", "CLF"])
        .prop_map(|code| Currency::parse(code).unwrap_or_else(|error| panic!("{code}: {error}")))
}

/// Text a person or a script might send as a number, with a bias towards the edges.
fn number_text() -> impl Strategy<Value = String> {
    prop_oneof![
        // Plain numbers, some with long digit runs on either side of the point.
        "-?[0-9]{1,40}(\\.[0-9]{1,40})?",
        // The edges of `Decimal` and of i64 minor units, and their neighbours.
        prop::sample::select(vec![
            "79228162514264337593543950335",
            "79228162514264337593543950336",
            "-79228162514264337593543950335",
            "-79228162514264337593543950336",
            "7922816251426433759354395033.5",
            "0.0000000000000000000000000001",
            "0.00000000000000000000000000001",
            "92233720368547758.07",
            "92233720368547758.08",
            "-92233720368547758.08",
            "9223372036854775807",
            "9223372036854775808",
            "1000000000",
            "1000000000.000001",
            "1000000000000",
            "1000000000000.01",
            "-0",
            "-0.00",
            "00000000000000000000000000000000000000001",
        ])
        .prop_map(str::to_string),
        // Exponents, signs, separators, spaces.
        "[+-]{0,3}[0-9]{0,6}[.,]?[0-9]{0,4}[eE][+-]?[0-9]{1,5}",
        "[ \t]{0,2}[+-]{0,2}[0-9 ,._']{0,12}[ \t]{0,2}",
        // Anything at all, non-ASCII digits included (٣, １, ⅷ).
        "\\PC{0,24}",
        "[0-9٣１ⅷ.\\-]{1,12}",
    ]
}

/// Any decimal at all, from the smallest to the largest, with any scale.
fn any_decimal() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        (
            any::<u32>(),
            any::<u32>(),
            any::<u32>(),
            any::<bool>(),
            0..=28u32
        )
            .prop_map(|(lo, mid, hi, negative, scale)| Decimal::from_parts(
                lo, mid, hi, negative, scale
            )),
        prop::sample::select(vec![
            Decimal::MAX,
            Decimal::MIN,
            Decimal::ZERO,
            Decimal::ONE,
            Decimal::NEGATIVE_ONE,
            Decimal::ONE_HUNDRED,
            Decimal::from(1_000_000_000),
            Decimal::from(1_000_000_000_000i64),
            Decimal::from(i64::MAX),
        ]),
        (-1_000_000i64..1_000_000, 0..=6u32).prop_map(|(n, scale)| Decimal::new(n, scale)),
    ]
}

fn line() -> impl Strategy<Value = LineInput> {
    // Half of them anywhere, half within the bounds, up to their edges (where totals overflow).
    let anywhere = (any_decimal(), any_decimal(), any_decimal(), any_decimal());
    let bounded = (
        (-10i64.pow(15)..=10i64.pow(15)).prop_map(|n| Decimal::new(n, 6)),
        (-10i64.pow(14)..=10i64.pow(14), 0..=2u32).prop_map(|(n, scale)| Decimal::new(n, scale)),
        (0..=10_000i64).prop_map(|n| Decimal::new(n, 2)),
        (0..=10_000i64).prop_map(|n| Decimal::new(n, 2)),
    );
    prop_oneof![anywhere, bounded].prop_map(|(quantity, unit_price, discount_percent, tax_rate)| {
        LineInput {
            description: "item".into(),
            quantity,
            unit_price,
            discount_percent,
            tax_rate,
            ship_date: None,
            vat_category: None,
            vat_exemption_reason: None,
            nature: None,
            revenue_account: None,
        }
    })
}

proptest! {
    #![proptest_config(config(3000))]

    #[test]
    fn parsers_answer_an_error_or_an_amount_that_fits(text in number_text(), currency in currency()) {
        let _ = parse_decimal(&text);
        if let Ok(amount) = currency.parse_amount(&text) {
            prop_assert!(currency.to_minor(amount).is_some(), "{text} → {amount}");
            prop_assert_eq!(amount.scale(), currency.scale());
            let _ = currency.format(amount);
        }
        if let Ok(amount) = currency.parse_positive_amount(&text) {
            prop_assert!(amount > Decimal::ZERO);
        }
        let _ = Currency::parse(&text);
        // Field paths read any text and render it back unchanged.
        prop_assert_eq!(FieldPath::from(text.as_str()).to_string(), text);
    }
}

proptest! {
    #![proptest_config(config(2000))]

    #[test]
    fn line_arithmetic_never_panics_and_valid_lines_fit(
        lines in prop::collection::vec(line(), 0..6),
        currency in currency(),
    ) {
        for signs in [LineSigns::Any, LineSigns::Positive] {
            let violations = line_violations(&lines, currency, signs);
            if violations.is_empty() {
                let totals = checked_document_totals(&lines, currency);
                prop_assert!(totals.is_ok(), "valid lines must total: {lines:?}");
                let totals = totals.unwrap_or_else(|_| unreachable!());
                prop_assert_eq!(document_totals(&lines, currency), totals);
                for amount in [totals.subtotal, totals.tax_total, totals.total] {
                    prop_assert!(currency.to_minor(amount).is_some());
                }
                for line in &lines {
                    let amounts = line.amounts(currency);
                    prop_assert!(currency.to_minor(amounts.total).is_some());
                }
            }
        }
        // Unvalidated lines compute without a panic too.
        let _ = document_totals(&lines, currency);
        for line in &lines {
            let _ = line.checked_amounts(currency);
        }
    }

    #[test]
    fn lines_parsed_from_text_never_panic(
        texts in prop::collection::vec(number_text(), 4),
        currency in currency(),
    ) {
        let parsed: Vec<_> = texts.iter().map(|text| parse_decimal(text)).collect();
        if let [Ok(quantity), Ok(unit_price), Ok(discount_percent), Ok(tax_rate)] = parsed[..] {
            let line = LineInput {
                description: "item".into(),
                quantity,
                unit_price,
                discount_percent,
                tax_rate,
                ship_date: None,
                vat_category: None,
                vat_exemption_reason: None,
                nature: None,
                revenue_account: None,
            };
            let lines = vec![line; 3];
            if line_violations(&lines, currency, LineSigns::Any).is_empty() {
                prop_assert!(checked_document_totals(&lines, currency).is_ok());
            }
        }
    }

    /// Balances as storage keeps them (its CHECKs: nothing spent beyond a total), at any size;
    /// requested amounts as people type them.
    #[test]
    fn link_plans_never_panic_and_allocate_amounts_that_fit(
        (invoice_total, paid) in (0..=i64::MAX).prop_flat_map(|total| (Just(total), 0..=total)),
        note_figures in prop::collection::vec(
            (1..=i64::MAX).prop_flat_map(|total| (Just(total), 0..total)),
            1..4,
        ),
        amounts in prop::collection::vec(prop::option::of(number_text()), 1..4),
    ) {
        let eur = Currency::parse("EUR").unwrap_or_else(|error| panic!("{error}"));
        let invoice = InvoiceBalance {
            id: 1,
            customer_id: 1,
            currency: eur,
            status: InvoiceStatus::Pending,
            total: eur.from_minor(invoice_total),
            paid: eur.from_minor(paid),
            credited: eur.zero(),
        };
        let notes: Vec<_> = note_figures
            .iter()
            .enumerate()
            .map(|(i, (total, allocated))| CreditNoteBalance {
                id: i as i64 + 1,
                customer_id: 1,
                currency: eur,
                status: CreditNoteStatus::Available,
                total: eur.from_minor(*total),
                allocated: eur.from_minor(*allocated),
                refunded: eur.zero(),
                voided: eur.zero(),
            })
            .collect();
        let requests: Vec<_> = amounts
            .iter()
            .enumerate()
            .filter_map(|(i, text)| {
                let amount = match text {
                    Some(text) => Some(eur.parse_positive_amount(text).ok()?),
                    None => None,
                };
                Some(AllocationRequest { credit_note_id: i as i64 + 1, amount })
            })
            .collect();
        if let Ok(plan) = plan_allocations(&invoice, &notes, &requests) {
            for (_, amount) in &plan.allocations {
                prop_assert!(eur.to_minor(*amount).is_some());
            }
            prop_assert!(plan.invoice.outstanding() >= Decimal::ZERO);
        }
    }
}
