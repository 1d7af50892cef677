//! Demo data: a few customers in EUR and USD, invoices, and credit notes in several statuses
//! and currencies — enough to try the link dialog — and one user per role.

use app::domain::{Currency, InvoiceStatus, Role};
use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::services::{
    Caller, LineDraft, NewCreditNoteInput, NewCustomerInput, NewInvoiceInput, NewUserInput,
    ServiceError, Services,
};

fn currency(code: &str) -> Currency {
    Currency::parse(code).expect("demo currencies are valid ISO codes")
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("demo dates are valid")
}

/// A line of goods sold (the demo seller sells both: lines say which).
fn goods(description: &str, quantity: i64, unit_price: &str, tax_rate: &str) -> LineDraft {
    LineDraft {
        nature: Some(app::domain::LineNature::Goods),
        ..line(description, quantity, unit_price, tax_rate)
    }
}

fn line(description: &str, quantity: i64, unit_price: &str, tax_rate: &str) -> LineDraft {
    LineDraft {
        description: description.to_string(),
        quantity: Decimal::from(quantity),
        unit_price: unit_price.parse().expect("demo prices are decimals"),
        discount_percent: Decimal::ZERO,
        tax_rate: Some(tax_rate.parse().expect("demo rates are decimals")),
        tax_category: None,
        vat_category: None,
        vat_exemption_reason: None,
        nature: None,
        ship_date: None,
        revenue_account: None,
    }
}

/// USD reference rates for every weekday from 1 October 2026 to `today`, drifting so that the
/// demo's dollar documents settle at other rates than they were booked at.
fn demo_rates(usd: Currency, today: chrono::NaiveDate) -> Vec<app::domain::exchange::ExchangeRate> {
    use chrono::Datelike;
    date("2026-10-01")
        .iter_days()
        .take_while(|day| *day <= today)
        .filter(|day| day.weekday().number_from_monday() <= 5)
        .enumerate()
        .map(|(index, day)| app::domain::exchange::ExchangeRate {
            currency: usd,
            date: day,
            // 1.0800 to 1.0900, a tenth of a cent a day.
            rate: Decimal::new(10_800 + 10 * (index as i64 % 11), 4),
        })
        .collect()
}

/// The password of every demo user.
pub const DEMO_PASSWORD: &str = "creditdesk-demo";

/// The demo's administrator: the mark that the demo wrote a database's data.
const DEMO_ADMIN: &str = "admin@creditdesk.example";

/// What `demo` did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DemoOutcome {
    /// Loaded into an empty database; what to sign in with.
    Loaded(String),
    /// The demo data are there from an earlier run: nothing was added.
    AlreadyLoaded,
    /// The database holds data the demo did not write: nothing was added.
    ForeignData,
}

/// Loads the demo set into an empty database. A database the demo filled before is left as it
/// is, and one that holds anyone else's customers is never touched.
pub async fn load(services: &Services) -> Result<DemoOutcome, ServiceError> {
    {
        let mut tx = services.storage().read().await?;
        let first_customer = tx
            .find_customers(crate::storage::Page { after: 0, limit: 1 })
            .await?;
        if !first_customer.is_empty() {
            return Ok(if tx.user_by_email(DEMO_ADMIN).await?.is_some() {
                DemoOutcome::AlreadyLoaded
            } else {
                DemoOutcome::ForeignData
            });
        }
    }
    let eur = currency("EUR");
    let usd = currency("USD");
    let customer = |name: &str, email: &str, currency: Currency, region: &str, vat_id: &str| {
        let address = app::model::Address {
            line1: format!("{name}, Accounts payable"),
            line2: None,
            city: "Springfield".to_string(),
            postal_code: "10001".to_string(),
            country: region.chars().take(2).collect(),
        };
        NewCustomerInput {
            name: name.to_string(),
            email: Some(email.to_string()),
            currency,
            tax_region: region.to_string(),
            vat_id: Some(vat_id.to_string()).filter(|id| !id.is_empty()),
            siren: None,
            consumer: false,
            billing_address: address.clone(),
            shipping_address: address,
            document_language: None,
        }
    };
    let acme = services
        .create_customer(
            Caller::CommandLine,
            customer(
                "Acme Retail GmbH",
                "ap@acme.example",
                eur,
                "DE",
                "DE811234567",
            ),
        )
        .await?;
    let globex = services
        .create_customer(
            Caller::CommandLine,
            customer(
                "Globex Corporation",
                "billing@globex.example",
                usd,
                "US-NY",
                "",
            ),
        )
        .await?;
    let initech = services
        .create_customer(
            Caller::CommandLine,
            customer(
                "Initech SARL",
                "compta@initech.example",
                eur,
                "FR",
                "FR40303265045",
            ),
        )
        .await?;

    // The seller's identity comes first: nothing is issued without it. A small tax table:
    // rates by the customers' regions.
    let rule = |region: &str, category: &str, rate: &str| {
        app::domain::TaxRule::new(
            region,
            category,
            rate.parse().expect("demo rates are decimals"),
        )
    };
    let table = app::domain::TaxTable {
        rules: vec![
            rule("DE", "standard", "19"),
            rule("DE", "reduced", "7"),
            rule("FR", "standard", "20"),
            rule("FR", "reduced", "5.5"),
            rule("US-NY", "standard", "8.875"),
            // Untaxed regions say why (CGI annexe II art. 242 nonies A, I-12°): goods to a
            // business elsewhere in the EU, and exports.
            app::domain::TaxRule {
                vat_category: Some(app::domain::VatCategory::IntraCommunity),
                ..rule("EU-B2B", "standard", "0")
            },
            app::domain::TaxRule {
                vat_category: Some(app::domain::VatCategory::Export),
                ..rule("EXPORT", "standard", "0")
            },
        ],
    };
    let seller = app::model::SellerProfile {
        name: "Creditdesk Demo SAS".to_string(),
        address: app::model::Address {
            line1: "12 rue de la Paix".to_string(),
            line2: None,
            city: "Paris".to_string(),
            postal_code: "75002".to_string(),
            country: "FR".to_string(),
        },
        vat_id: Some("FR11123456782".to_string()),
        iban: Some("FR76 3000 6000 0112 3456 7890 189".to_string()),
        email: Some("billing@creditdesk.example".to_string()),
        logo_media_type: None,
        // The legal defaults (Code de commerce art. L441-10).
        late_payment_penalty: None,
        early_payment_discount: None,
        legal_identity: app::domain::LegalIdentity {
            legal_form: Some("SAS".to_string()),
            share_capital: Some("10 000,00 EUR".to_string()),
            siren: Some("123456782".to_string()),
            siret: Some("12345678200010".to_string()),
            rcs_city: Some("Paris".to_string()),
        },
        // The 2026 reform's mentions: what the demo seller's documents are.
        vat_regime: app::domain::VatRegime {
            operations: Some(app::domain::OperationNature::Mixed),
            on_debits: false,
        },
        // The calendar year.
        fiscal_year_end: None,
    };
    let mut tx = services.storage().write().await?;
    tx.replace_tax_table(&table).await?;
    tx.save_seller(&seller, services.now()).await?;
    tx.save_exchange_rates(
        &demo_rates(usd, services.now().date_naive()),
        "manual",
        services.now(),
    )
    .await?;
    tx.commit().await?;

    // Numbered by the series as they are issued, in date order.
    let invoice = |customer_id, currency, issue: &str, lines| NewInvoiceInput {
        number: None,
        customer_id,
        currency,
        issue_date: date(issue),
        due_date: Some(date(issue) + chrono::Days::new(30)),
        kind: app::domain::InvoiceKind::Standard,
        status: InvoiceStatus::Pending,
        related_invoice_id: None,
        project: None,
        lines,
    };
    let machines = services
        .create_invoice(
            Caller::CommandLine,
            invoice(
                acme,
                eur,
                "2026-10-01",
                vec![goods("Espresso machines", 4, "250.00", "20")],
            ),
        )
        .await?
        .id;
    let visit = services
        .create_invoice(
            Caller::CommandLine,
            invoice(
                acme,
                eur,
                "2026-10-15",
                vec![
                    line("Service visit", 2, "85.00", "20"),
                    goods("Descaling kit", 10, "12.50", "20"),
                ],
            ),
        )
        .await?
        .id;
    let support = services
        .create_invoice(
            Caller::CommandLine,
            invoice(
                globex,
                usd,
                "2026-10-20",
                vec![line("Annual support", 1, "1200.00", "8.875")],
            ),
        )
        .await?
        .id;
    let consulting = services
        .create_invoice(
            Caller::CommandLine,
            invoice(
                initech,
                eur,
                "2026-11-01",
                vec![line("Consulting day", 3, "600.00", "20")],
            ),
        )
        .await?
        .id;

    use app::domain::ReasonCategory::{Goodwill, InvoicingError, Return};
    // A note that reduces VAT names the invoice it corrects (CGI art. 289-I-5); the freight
    // refund names none and is net of tax.
    let note =
        |customer_id, currency, day: &str, related_invoice_id, reason: &str, category, lines| {
            NewCreditNoteInput {
                customer_id,
                currency,
                date: date(day),
                reason: Some(reason.to_string()),
                related_invoice_id,
                lines,
                charge: None,
                particulars: crate::services::NoteParticulars {
                    reason_category: Some(category),
                    ..Default::default()
                },
            }
        };
    let finalized = [
        note(
            acme,
            eur,
            "2026-10-05",
            Some(machines),
            "Returned machine",
            Return,
            vec![goods("Espresso machine returned", 1, "250.00", "20")],
        ),
        note(
            acme,
            eur,
            "2026-10-20",
            Some(visit),
            "Goodwill for late delivery",
            Goodwill,
            vec![line("Goodwill", 1, "50.00", "20")],
        ),
        note(
            acme,
            usd,
            "2026-10-22",
            None,
            "Freight refund (USD order)",
            InvoicingError,
            vec![line("Freight", 1, "80.00", "0")],
        ),
        note(
            globex,
            usd,
            "2026-10-25",
            Some(support),
            "Pricing error",
            InvoicingError,
            vec![line("Price correction", 1, "100.00", "8.875")],
        ),
        note(
            initech,
            eur,
            "2026-11-05",
            Some(consulting),
            "Cancelled consulting day",
            InvoicingError,
            vec![line("Consulting day", 1, "600.00", "20")],
        ),
    ];
    // A note is dated the day it is finalized: each is finalized on its day, in date order.
    for input in finalized {
        let day = input.date;
        let draft = services
            .create_credit_note(Caller::CommandLine, input)
            .await?
            .note;
        let noon = day.and_hms_opt(12, 0, 0).expect("noon exists").and_utc();
        services
            .at_clock(std::sync::Arc::new(crate::services::ManualClock::new(noon)))
            .finalize_credit_note(Caller::CommandLine, draft.id)
            .await?;
    }
    // One draft that the dialog must not offer.
    services
        .create_credit_note(
            Caller::CommandLine,
            note(
                acme,
                eur,
                "2026-11-10",
                Some(machines),
                "Damaged packaging (draft)",
                Return,
                vec![goods("Packaging", 1, "30.00", "20")],
            ),
        )
        .await?;

    let mut logins = String::new();
    for (email, role, customer_id) in [
        ("admin@creditdesk.example", Role::Administrator, None),
        (
            "credit.manager@creditdesk.example",
            Role::CreditManager,
            None,
        ),
        ("sales.manager@creditdesk.example", Role::SalesManager, None),
        ("sales@creditdesk.example", Role::Sales, None),
        ("viewer@creditdesk.example", Role::Viewer, None),
        ("portal@acme.example", Role::Customer, Some(acme)),
    ] {
        services
            .create_user(
                Caller::CommandLine,
                NewUserInput {
                    email: email.to_string(),
                    password: DEMO_PASSWORD.to_string(),
                    role,
                    customer_id,
                },
            )
            .await?;
        logins.push_str(&format!("\n  {:<16} {email}", role.as_str()));
    }

    Ok(DemoOutcome::Loaded(format!(
        "Demo data loaded: 3 customers, 4 invoices, 6 credit notes (5 available, 1 draft).\n\
         Sign in at /login with the password `{DEMO_PASSWORD}` as:{logins}"
    )))
}
