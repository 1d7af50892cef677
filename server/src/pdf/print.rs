//! What a template receives: the document as JSON (`sys.inputs.data`), with every amount
//! already formatted, so templates do no arithmetic and cannot round differently.

use std::collections::BTreeMap;

use app::domain::{Currency, LineInput, VatCategory, vat_breakdown};
use app::i18n::{Language, Msg, format as fmt, tr, trf};
use app::model::{Address, CreditNoteView, CustomerView, DocumentKind, InvoiceView, SellerProfile};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use typst::foundations::Bytes;

/// A logo good enough to try templates with: 120 × 40 pixels.
const SAMPLE_LOGO: &[u8] = include_bytes!("../../templates/sample-logo.png");

fn is_present<S: serde::Serializer>(
    logo: &Option<Bytes>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_bool(logo.is_some())
}

#[derive(Clone, Debug, Serialize)]
pub struct PrintData {
    /// `credit_note` or `invoice`.
    pub kind: DocumentKind,
    /// What the document is written in: the customer's document language (`en`, `fr`, `de`).
    pub language: Language,
    /// The document's words in its language, by name (`from`, `date`, `unit_price`, …): what
    /// the built-in templates print around the figures.
    pub labels: BTreeMap<&'static str, &'static str>,
    /// "Credit note", "Invoice", in the document's language.
    pub title: String,
    /// A draft prints with a "DRAFT — not valid" mark and no number.
    pub draft: bool,
    pub number: Option<String>,
    pub date: String,
    pub due_date: Option<String>,
    pub currency: String,
    pub seller: Party,
    /// The seller's logo. The JSON says only whether there is one (`has_logo`); the image
    /// itself is `sys.inputs.logo`.
    #[serde(rename = "has_logo", serialize_with = "is_present")]
    pub logo: Option<Bytes>,
    pub customer: Party,
    /// The invoice a credit note credits, or a correction invoice corrects.
    pub related_invoice: Option<InvoiceReference>,
    /// The invoices a credit note was applied to.
    pub linked_invoices: Vec<String>,
    /// The project of the invoice (or of the invoice a credit note credits).
    pub project: Option<String>,
    /// A credit note's latest ship date of the credited goods.
    pub ship_date: Option<String>,
    pub reason: Option<String>,
    pub lines: Vec<PrintLine>,
    /// A standalone credit's charge (then there are no lines).
    pub charge: Option<PrintCharge>,
    /// Taxable amount and tax per rate, lowest rate first.
    pub taxes: Vec<PrintRate>,
    /// Where the goods go, when not to the customer's address (the 2026 reform's mention,
    /// décret n° 2022-1299).
    pub delivery_address: Option<Vec<String>>,
    /// Why untaxed lines carry no VAT, each once (CGI annexe II art. 242 nonies A, I-12°
    /// and 13°: the exempting article, "Autoliquidation").
    pub vat_mentions: Vec<String>,
    pub subtotal: String,
    pub tax_total: String,
    pub total: String,
    /// A foreign document's VAT in euros, at the rate it is booked at (VAT Directive
    /// 2006/112/EC art. 230; CGI annexe II art. 242 nonies A: the tax is stated in euros).
    pub book_vat: Option<BookVat>,
    /// Rows under the total: an invoice's credits, payments and the amount due.
    pub extra_totals: Vec<PrintTotal>,
    /// Free text at the foot of the document.
    pub note: Option<String>,
    /// An invoice's payment terms (Code de commerce art. L441-9); none on credit notes.
    pub payment_terms: Option<PaymentTerms>,
}

/// What an invoice says of its payment: when, the penalty rate and the fixed indemnity if
/// late, the discount if early.
#[derive(Clone, Debug, Serialize)]
pub struct PaymentTerms {
    /// The due date, or the legal term when the invoice has none.
    pub due: String,
    pub late_payment_penalty: String,
    pub recovery_indemnity: String,
    pub early_payment_discount: String,
    /// All of it as one sentence in the document's language.
    pub text: String,
}

impl PaymentTerms {
    /// The seller's terms, the legal defaults where the seller set none.
    fn of(profile: &SellerProfile, due_date: Option<NaiveDate>, language: Language) -> Self {
        let due = match due_date {
            Some(day) => date(language, day),
            // Code de commerce art. L441-10 I: 30 days after delivery unless agreed.
            None => tr(language, Msg::PdfDueAfterDelivery).to_string(),
        };
        // The seller's own terms as written; the legal defaults in the document's language.
        let late_payment_penalty = profile
            .late_payment_penalty
            .clone()
            .unwrap_or_else(|| tr(language, Msg::PdfDefaultLatePaymentPenalty).to_string());
        let recovery_indemnity = format!(
            "{} (Code de commerce art. D441-5)",
            fmt::money(
                language,
                rust_decimal::Decimal::from(app::model::RECOVERY_INDEMNITY_EUR),
                app::domain::exchange::book_currency()
            )
        );
        let early_payment_discount = profile
            .early_payment_discount
            .clone()
            .unwrap_or_else(|| tr(language, Msg::PdfDefaultEarlyPaymentDiscount).to_string());
        let text = trf(
            language,
            Msg::PdfPaymentTermsText,
            &[
                ("due", &due),
                ("penalty", &late_payment_penalty),
                ("indemnity", &recovery_indemnity),
                ("discount", &early_payment_discount),
            ],
        );
        PaymentTerms {
            due,
            late_payment_penalty,
            recovery_indemnity,
            early_payment_discount,
            text,
        }
    }
}

/// The words the built-in templates print, in `language`.
pub fn labels(language: Language) -> BTreeMap<&'static str, &'static str> {
    [
        ("draft_mark", Msg::PdfDraftMark),
        ("draft", Msg::PdfDraft),
        ("from", Msg::PdfFrom),
        ("to", Msg::PdfTo),
        ("deliver_to", Msg::PdfDeliverTo),
        ("vat_id", Msg::PdfVatId),
        ("date", Msg::PdfDate),
        ("due", Msg::PdfDue),
        ("currency", Msg::PdfCurrency),
        ("reason", Msg::PdfReason),
        ("code", Msg::PdfCode),
        ("description", Msg::PdfDescription),
        ("amount", Msg::PdfAmount),
        ("quantity", Msg::PdfQuantity),
        ("unit_price", Msg::PdfUnitPrice),
        ("discount", Msg::PdfDiscount),
        ("vat", Msg::PdfVat),
        ("net", Msg::PdfNet),
        ("vat_rate", Msg::PdfVatRate),
        ("taxable", Msg::PdfTaxable),
        ("subtotal", Msg::PdfSubtotal),
        ("total", Msg::PdfTotal),
        ("credits_invoice", Msg::PdfCreditsInvoice),
        ("corrects_invoice", Msg::PdfCorrectsInvoice),
        ("of", Msg::PdfOf),
        ("applied_to", Msg::PdfAppliedTo),
        ("project", Msg::PdfProject),
        ("goods_shipped", Msg::PdfGoodsShipped),
        ("delivered", Msg::PdfDelivered),
        ("on_invoice_date", Msg::PdfOnInvoiceDate),
        ("iban", Msg::PdfIban),
        ("payment_terms", Msg::PdfPaymentTerms),
    ]
    .into_iter()
    .map(|(name, message)| (name, tr(language, message)))
    .collect()
}

/// A document's title in `language`.
fn title(kind: DocumentKind, language: Language) -> String {
    tr(
        language,
        match kind {
            DocumentKind::CreditNote => Msg::PdfCreditNote,
            DocumentKind::Invoice => Msg::PdfInvoice,
        },
    )
    .to_string()
}

#[derive(Clone, Debug, Serialize)]
pub struct Party {
    pub name: String,
    pub address_lines: Vec<String>,
    pub vat_id: Option<String>,
    pub email: Option<String>,
    pub iban: Option<String>,
    /// The seller's registration as the law has it printed: "SAS au capital de 10 000,00 EUR
    /// · SIREN 732 829 320 RCS Paris · SIRET …" (Code de commerce art. R123-237).
    pub legal_mentions: Option<String>,
    /// The customer's SIREN, grouped (the 2026 e-invoicing reform's buyer mention).
    pub siren: Option<String>,
}

/// The VAT total in the books' currency, and the rate it was converted at.
#[derive(Clone, Debug, Serialize)]
pub struct BookVat {
    /// "EUR".
    pub currency: String,
    /// Units of the document's currency one euro buys: "1.0921".
    pub rate: String,
    pub tax_total: String,
    /// All of it as one sentence in the document's language.
    pub text: String,
}

impl BookVat {
    /// The VAT total `tax` in the books' currency `book`, booked at `rate` units of `currency`
    /// to one `book`, said in `language`.
    pub fn new(
        language: Language,
        book: Currency,
        tax: rust_decimal::Decimal,
        rate: rust_decimal::Decimal,
        currency: Currency,
    ) -> Self {
        let tax_total = fmt::figure(language, tax, book);
        let rate = match language {
            Language::En => rate.normalize().to_string(),
            Language::Fr | Language::De => rate.normalize().to_string().replace('.', ","),
        };
        let text = trf(
            language,
            Msg::PdfVatInBooks,
            &[
                ("book", book.code()),
                ("tax", &tax_total),
                ("rate", &rate),
                ("currency", currency.code()),
            ],
        );
        BookVat {
            currency: book.code().to_string(),
            rate,
            tax_total,
            text,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct InvoiceReference {
    pub number: String,
    pub date: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct PrintLine {
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
    pub discount_percent: String,
    pub tax_rate: String,
    /// An untaxed line's VAT category code (E, AE, K, G), beside its 0 %.
    pub vat_code: Option<String>,
    pub net: String,
    pub tax: String,
    pub total: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct PrintCharge {
    pub code: String,
    pub description: String,
    pub amount: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct PrintRate {
    pub rate: String,
    /// An untaxed row's VAT category, with its code ("Export outside the EU (G)").
    pub category: Option<String>,
    pub net: String,
    pub tax: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct PrintTotal {
    pub label: String,
    pub amount: String,
}

fn date(language: Language, day: NaiveDate) -> String {
    fmt::date(language, day)
}

/// The delivery address a document states: the shipping address when it is given and is not
/// the billing address.
fn delivery_address(billing: &Address, shipping: &Address) -> Option<Vec<String>> {
    shipping
        .is_other_delivery_address(billing)
        .then(|| address_lines(shipping))
}

fn address_lines(address: &Address) -> Vec<String> {
    let place = format!("{} {}", address.postal_code, address.city);
    [
        address.line1.as_str(),
        address.line2.as_deref().unwrap_or(""),
        place.trim(),
        address.country.as_str(),
    ]
    .into_iter()
    .filter(|line| !line.is_empty())
    .map(str::to_string)
    .collect()
}

fn seller(profile: &SellerProfile) -> Party {
    Party {
        name: profile.name.clone(),
        address_lines: address_lines(&profile.address),
        vat_id: profile.vat_id.clone(),
        email: profile.email.clone(),
        iban: profile.iban.clone(),
        legal_mentions: profile.legal_identity.mentions(),
        // The seller's SIREN is among its legal mentions.
        siren: None,
    }
}

fn customer(customer: &CustomerView, address: &Address) -> Party {
    Party {
        name: customer.name.clone(),
        address_lines: address_lines(address),
        vat_id: customer.vat_id.clone(),
        email: customer.email.clone(),
        iban: None,
        legal_mentions: None,
        siren: customer
            .siren
            .as_deref()
            .map(app::domain::identity::grouped),
    }
}

fn percent(value: Decimal) -> String {
    value.normalize().to_string()
}

/// Lines, per-rate taxes and totals, formatted in the document's currency.
struct Figures {
    lines: Vec<PrintLine>,
    taxes: Vec<PrintRate>,
    vat_mentions: Vec<String>,
    subtotal: String,
    tax_total: String,
    total: String,
}

fn figures(
    language: Language,
    currency: Currency,
    lines: &[app::model::LineView],
    totals: (Decimal, Decimal, Decimal),
) -> Figures {
    let figure = |amount: Decimal| fmt::figure(language, amount, currency);
    let inputs: Vec<LineInput> = lines.iter().map(|line| line.input()).collect();
    // Stored lines always fit (they were checked when written).
    let taxes = vat_breakdown(&inputs, currency).unwrap_or_default();
    let mut vat_mentions: Vec<String> = Vec::new();
    for reason in taxes.iter().filter_map(|row| row.exemption_reason.as_ref()) {
        if !vat_mentions.contains(reason) {
            vat_mentions.push(reason.clone());
        }
    }
    let untaxed_code =
        |category: VatCategory| category.is_untaxed().then(|| category.code().to_string());
    Figures {
        lines: lines
            .iter()
            .map(|line| PrintLine {
                description: line.description.clone(),
                quantity: line.quantity.normalize().to_string(),
                unit_price: figure(line.unit_price),
                discount_percent: percent(line.discount_percent),
                tax_rate: percent(line.tax_rate),
                vat_code: untaxed_code(line.vat_category),
                net: figure(line.net),
                tax: figure(line.tax),
                total: figure(line.total),
            })
            .collect(),
        taxes: taxes
            .into_iter()
            .map(|row| PrintRate {
                rate: percent(row.rate),
                category: row
                    .category
                    .is_untaxed()
                    .then(|| format!("{} ({})", row.category.label(), row.category.code())),
                net: figure(row.net),
                tax: figure(row.tax),
            })
            .collect(),
        vat_mentions,
        subtotal: figure(totals.0),
        tax_total: figure(totals.1),
        total: figure(totals.2),
    }
}

/// A credit note as its template sees it. `related` is the credited invoice's number and date.
pub fn credit_note(
    note: &CreditNoteView,
    buyer: &CustomerView,
    profile: &SellerProfile,
    related: Option<(String, NaiveDate)>,
) -> PrintData {
    let currency = note.currency;
    let language = buyer.document_language;
    let mut figures = figures(
        language,
        currency,
        &note.lines,
        (note.subtotal, note.tax_total, note.total),
    );
    let charge = note.charge.as_ref().map(|charge| PrintCharge {
        code: charge.code.clone(),
        description: charge.description.clone(),
        amount: fmt::figure(language, charge.amount, currency),
    });
    if charge.is_some() {
        // A charge carries no tax: it shows as taxable at 0 %.
        figures.taxes = vec![PrintRate {
            rate: "0".into(),
            category: None,
            net: figures.subtotal.clone(),
            tax: fmt::figure(language, Decimal::ZERO, currency),
        }];
    }
    let mut linked_invoices: Vec<String> = Vec::new();
    for allocation in &note.allocations {
        if !linked_invoices.contains(&allocation.invoice_number) {
            linked_invoices.push(allocation.invoice_number.clone());
        }
    }
    PrintData {
        kind: DocumentKind::CreditNote,
        language,
        labels: labels(language),
        title: title(DocumentKind::CreditNote, language),
        draft: note.number.is_none(),
        number: note.number.clone(),
        date: date(language, note.date),
        due_date: None,
        currency: currency.code().to_string(),
        seller: seller(profile),
        logo: None,
        customer: customer(buyer, &note.billing_address),
        // A note that names no invoice leaves VAT as it was, and says so (CGI art. 289-I-5).
        vat_mentions: [
            figures.vat_mentions,
            (related.is_none() && note.tax_total.is_zero())
                .then(|| app::domain::NET_OF_TAX_MENTION.to_string())
                .into_iter()
                .collect(),
            profile
                .vat_regime
                .mentions(app::model::LineView::operations(&note.lines)),
        ]
        .concat(),
        related_invoice: related.map(|(number, day)| InvoiceReference {
            number,
            date: date(language, day),
        }),
        linked_invoices,
        project: note.project.clone(),
        ship_date: note.ship_date.map(|day| date(language, day)),
        reason: note.reason.clone(),
        lines: figures.lines,
        charge,
        taxes: figures.taxes,
        delivery_address: delivery_address(&note.billing_address, &note.shipping_address),
        subtotal: figures.subtotal,
        tax_total: figures.tax_total,
        total: figures.total,
        book_vat: None,
        extra_totals: Vec::new(),
        note: None,
        payment_terms: None,
    }
}

/// An invoice as its template sees it. `related` is the corrected invoice's number and date.
pub fn invoice(
    invoice: &InvoiceView,
    buyer: &CustomerView,
    profile: &SellerProfile,
    related: Option<(String, NaiveDate)>,
) -> PrintData {
    let currency = invoice.currency;
    let language = buyer.document_language;
    let figures = figures(
        language,
        currency,
        &invoice.lines,
        (invoice.subtotal, invoice.tax_total, invoice.total),
    );
    let mut extra_totals = Vec::new();
    if !invoice.credited_amount.is_zero() {
        extra_totals.push(PrintTotal {
            label: tr(language, Msg::PdfCredited).into(),
            amount: fmt::figure(language, -invoice.credited_amount, currency),
        });
    }
    if !invoice.paid_amount.is_zero() {
        extra_totals.push(PrintTotal {
            label: tr(language, Msg::PdfPaid).into(),
            amount: fmt::figure(language, -invoice.paid_amount, currency),
        });
    }
    if !extra_totals.is_empty() {
        extra_totals.push(PrintTotal {
            label: tr(language, Msg::PdfAmountDue).into(),
            amount: fmt::figure(language, invoice.balance().outstanding(), currency),
        });
    }
    let draft = invoice.status == app::domain::InvoiceStatus::Draft;
    PrintData {
        kind: DocumentKind::Invoice,
        language,
        labels: labels(language),
        title: title(DocumentKind::Invoice, language),
        draft,
        number: (!draft).then(|| invoice.number.clone()),
        date: date(language, invoice.issue_date),
        due_date: invoice.due_date.map(|day| date(language, day)),
        currency: currency.code().to_string(),
        seller: seller(profile),
        logo: None,
        customer: customer(buyer, &buyer.billing_address),
        related_invoice: related.map(|(number, day)| InvoiceReference {
            number,
            date: date(language, day),
        }),
        linked_invoices: Vec::new(),
        project: invoice.project.clone(),
        // The delivery or completion date, when the lines give one (EU VAT Directive art.
        // 226(7)); without, the template states it is the invoice's date.
        ship_date: app::domain::latest_ship_date(
            &invoice
                .lines
                .iter()
                .map(|line| line.ship_date)
                .collect::<Vec<_>>(),
        )
        .map(|day| date(language, day)),
        reason: None,
        lines: figures.lines,
        charge: None,
        taxes: figures.taxes,
        delivery_address: delivery_address(&buyer.billing_address, &buyer.shipping_address),
        vat_mentions: [
            figures.vat_mentions,
            profile
                .vat_regime
                .mentions(app::model::LineView::operations(&invoice.lines)),
        ]
        .concat(),
        subtotal: figures.subtotal,
        tax_total: figures.tax_total,
        total: figures.total,
        book_vat: None,
        extra_totals,
        note: None,
        payment_terms: Some(PaymentTerms::of(profile, invoice.due_date, language)),
    }
}

/// Documents a template must render before it is accepted: every optional part present and
/// absent, a draft and a final document, names in several scripts.
pub fn samples(kind: DocumentKind) -> Vec<PrintData> {
    let party = |name: &str, vat_id: Option<&str>| {
        Party {
        name: name.into(),
        address_lines: vec![
            "ul. Piotrkowska 1".into(),
            "90-001 Łódź".into(),
            "PL".into(),
        ],
        vat_id: vat_id.map(str::to_string),
        email: Some("billing@example.com".into()),
        iban: Some("DE89 3704 0044 0532 0130 00".into()),
        legal_mentions: Some(
            "SAS au capital de 10 000,00 EUR · SIREN 732 829 320 RCS Paris · SIRET 732 829 320 00074"
                .into(),
        ),
        siren: Some("303 265 045".into()),
    }
    };
    let line = PrintLine {
        description: "Κεφαλαιοποίηση — 東京 service".into(),
        quantity: "2".into(),
        unit_price: "50.00".into(),
        discount_percent: "10".into(),
        tax_rate: "20".into(),
        vat_code: None,
        net: "90.00".into(),
        tax: "18.00".into(),
        total: "108.00".into(),
    };
    let full = PrintData {
        kind,
        language: Language::En,
        labels: labels(Language::En),
        title: title(kind, Language::En),
        draft: false,
        number: Some("CN-2026-00001".into()),
        date: "2026-01-31".into(),
        due_date: Some("2026-02-28".into()),
        currency: "EUR".into(),
        seller: party("Seller GmbH", Some("DE123456789")),
        logo: Some(Bytes::new(SAMPLE_LOGO)),
        customer: party("ООО Москва", Some("PL1234567890")),
        related_invoice: Some(InvoiceReference {
            number: "INV-2026-00001".into(),
            date: "2026-01-15".into(),
        }),
        linked_invoices: vec!["INV-2026-00002".into(), "INV-2026-00003".into()],
        project: Some("Relaunch 2026".into()),
        ship_date: Some("2026-01-20".into()),
        reason: Some("Returned goods".into()),
        lines: vec![line.clone(), line],
        charge: None,
        taxes: vec![
            PrintRate {
                rate: "20".into(),
                category: None,
                net: "180.00".into(),
                tax: "36.00".into(),
            },
            PrintRate {
                rate: "0".into(),
                category: Some("Reverse charge (AE)".into()),
                net: "0.00".into(),
                tax: "0.00".into(),
            },
        ],
        vat_mentions: vec!["Autoliquidation".into()],
        delivery_address: Some(vec!["Lager 3".into(), "20457 Hamburg".into(), "DE".into()]),
        subtotal: "180.00".into(),
        tax_total: "36.00".into(),
        total: "216.00".into(),
        book_vat: Some(BookVat {
            currency: "EUR".into(),
            rate: "1.0921".into(),
            tax_total: "32.96".into(),
            text: "VAT total in EUR: 32.96 EUR (1 EUR = 1.0921 CHF)".into(),
        }),
        extra_totals: vec![PrintTotal {
            label: "Amount due".into(),
            amount: "216.00".into(),
        }],
        note: Some("Thank you.".into()),
        payment_terms: Some(PaymentTerms {
            due: "2026-02-28".into(),
            late_payment_penalty: app::model::DEFAULT_LATE_PAYMENT_PENALTY.into(),
            recovery_indemnity: "40 EUR".into(),
            early_payment_discount: app::model::DEFAULT_EARLY_PAYMENT_DISCOUNT.into(),
            text: "Payment due: 2026-02-28.".into(),
        }),
    };
    let bare_party = Party {
        name: String::new(),
        address_lines: Vec::new(),
        vat_id: None,
        email: None,
        iban: None,
        legal_mentions: None,
        siren: None,
    };
    let bare = PrintData {
        draft: true,
        number: None,
        due_date: None,
        seller: bare_party.clone(),
        logo: None,
        customer: Party {
            name: "東京商事".into(),
            ..bare_party
        },
        related_invoice: None,
        linked_invoices: Vec::new(),
        project: None,
        ship_date: None,
        reason: None,
        lines: Vec::new(),
        charge: Some(PrintCharge {
            code: "GOODWILL".into(),
            description: "Goodwill gesture".into(),
            amount: "25.00".into(),
        }),
        taxes: Vec::new(),
        vat_mentions: Vec::new(),
        delivery_address: None,
        extra_totals: Vec::new(),
        book_vat: None,
        note: None,
        payment_terms: None,
        ..full.clone()
    };
    vec![full, bare]
}
