//! E-invoices: finalized credit notes and issued invoices as the machine-readable documents of
//! the European standard EN 16931, in its two syntaxes: UBL 2.1 ([`ubl`]) and UN/CEFACT CII
//! ([`cii`], which Factur-X embeds in a PDF/A-3).
//!
//! [`EDocument`] is what both syntaxes say, built once from the document as the API shows it,
//! so the two files never disagree. [`EDocument::gaps`] names what EN 16931 requires and the
//! document lacks (the seller's VAT number, a country code…), checked before anything is
//! written: a file a buyer's system would reject is never produced.

pub mod cii;
pub mod facturx;
pub mod ubl;
mod xml;

use app::domain::{
    Currency, InvoiceKind, LineInput, MoneyError, OperationNature, VatCategory, latest_ship_date,
    vat_breakdown,
};
use app::model::{Address, CreditNoteView, CustomerView, InvoiceView, LineView, SellerProfile};
use app::problem::FieldProblem;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// The specification both syntaxes declare they follow (BT-24).
pub const EN16931: &str = "urn:cen.eu:en16931:2017";

/// The name Factur-X gives its embedded XML.
pub const FACTURX_FILE_NAME: &str = "factur-x.xml";

/// A party: the seller or the buyer.
#[derive(Clone, Debug)]
pub struct EParty {
    pub name: String,
    pub address: Address,
    pub vat_id: Option<String>,
    pub email: Option<String>,
    /// BT-30: the legal registration, a SIREN (ISO 6523 scheme 0002).
    pub siren: Option<String>,
    /// BT-33: the seller's additional legal information (form, capital, RCS).
    pub legal_information: Option<String>,
}

/// ISO 6523 ICD of the French SIRENE register: the scheme of a SIREN.
pub const SIRENE_SCHEME: &str = "0002";

/// The scheme of an electronic address of the French e-invoicing directory, which starts with
/// the SIREN (rules BR-FR-12, BR-FR-13, BR-FR-21).
pub const FRENCH_DIRECTORY_SCHEME: &str = "0225";

impl EParty {
    /// The party's electronic address (BT-34, BT-49): its SIREN in the French directory's
    /// scheme, else its e-mail address.
    pub fn endpoint(&self) -> Option<(&'static str, &str)> {
        match (&self.siren, &self.email) {
            (Some(siren), _) => Some((FRENCH_DIRECTORY_SCHEME, siren.as_str())),
            (None, Some(email)) => Some(("EM", email.as_str())),
            (None, None) => None,
        }
    }
}

/// A note (BG-1): its text and, for the mentions the French rules look for, its UNTDID 4451
/// subject (PMD late-payment penalties, PMT recovery indemnity, AAB early-payment discount).
#[derive(Clone, Debug)]
pub struct ENote {
    pub subject: Option<&'static str>,
    pub text: String,
}

/// What every document of the seller states beyond its own content: its VAT regime and the
/// nature of the document's operations (décret n° 2022-1299) and its payment terms (Code de commerce L441-9 and L441-10, carried
/// with the subject codes of rule BR-FR-05).
fn legal_notes(seller: &SellerProfile, operations: Option<OperationNature>) -> Vec<ENote> {
    let mut notes: Vec<ENote> = seller
        .vat_regime
        .mentions(operations)
        .into_iter()
        .map(|text| ENote {
            subject: None,
            text,
        })
        .collect();
    notes.extend([
        ENote {
            subject: Some("PMD"),
            text: format!(
                "Pénalités de retard : {}",
                seller.late_payment_penalty_or_default()
            ),
        },
        ENote {
            subject: Some("PMT"),
            text: format!(
                "Indemnité forfaitaire pour frais de recouvrement : {} EUR (Code de commerce art. D441-5)",
                app::model::RECOVERY_INDEMNITY_EUR
            ),
        },
        ENote {
            subject: Some("AAB"),
            text: format!(
                "Escompte pour paiement anticipé : {}",
                seller.early_payment_discount_or_default()
            ),
        },
    ]);
    notes
}

/// One line, its amounts as the document states them.
#[derive(Clone, Debug)]
pub struct ELine {
    pub name: String,
    pub quantity: Decimal,
    /// The price of one unit before the line's discount.
    pub unit_price: Decimal,
    /// The line's discount, when it has one.
    pub allowance: Option<EAllowance>,
    /// Quantity × price − discount, rounded as the document rounds it.
    pub net: Decimal,
    pub tax_rate: Decimal,
    /// BT-151.
    pub vat_category: VatCategory,
}

/// A line's discount: `percent` of `base`, which comes to `amount`.
#[derive(Clone, Copy, Debug)]
pub struct EAllowance {
    pub percent: Decimal,
    pub base: Decimal,
    pub amount: Decimal,
}

/// One row of the VAT breakdown (BG-23): the taxable amount and the tax of one category and
/// rate, and why an untaxed one is not taxed.
#[derive(Clone, Debug)]
pub struct ETax {
    /// BT-118.
    pub category: VatCategory,
    pub rate: Decimal,
    pub taxable: Decimal,
    pub tax: Decimal,
    /// BT-120.
    pub exemption_reason: Option<String>,
}

/// A credit note or an invoice as EN 16931 sees it.
#[derive(Clone, Debug)]
pub struct EDocument {
    /// UNTDID 1001: 381 credit note, 380 invoice, 384 corrected invoice, 386 prepayment
    /// invoice.
    pub type_code: u16,
    pub number: String,
    pub issue_date: NaiveDate,
    pub due_date: Option<NaiveDate>,
    pub currency: Currency,
    /// Free text: a credit note's reason.
    pub note: Option<String>,
    /// What the law has every document of the seller state (BT-22, with its subject code
    /// BT-21 where the French rules name one).
    pub legal_notes: Vec<ENote>,
    /// BT-23: the reform's billing mode (B1 goods, S1 services, M1 both), when the seller says.
    pub billing_mode: Option<&'static str>,
    pub project: Option<String>,
    /// When the goods were shipped (a credit note's latest ship date of its lines; an
    /// invoice's, else its date, as its PDF says).
    pub delivery_date: Option<NaiveDate>,
    /// Where the goods went (BG-15): the shipping address.
    pub delivery_address: Option<Address>,
    /// The invoice a credit note credits, or a correction invoice corrects (BG-3).
    pub preceding_invoice: Option<(String, NaiveDate)>,
    pub seller: EParty,
    pub seller_iban: Option<String>,
    pub buyer: EParty,
    pub lines: Vec<ELine>,
    pub taxes: Vec<ETax>,
    pub line_total: Decimal,
    pub tax_total: Decimal,
    pub grand_total: Decimal,
    /// BT-6 and BT-111: a foreign document's VAT total in the seller's accounting currency
    /// (euros), at the rate it is booked at.
    pub tax_in_accounting_currency: Option<(Currency, Decimal)>,
}

fn seller_party(profile: &SellerProfile) -> EParty {
    EParty {
        name: profile.name.clone(),
        address: profile.address.clone(),
        vat_id: profile.vat_id.clone(),
        email: profile.email.clone(),
        siren: profile.legal_identity.siren.clone(),
        legal_information: profile.legal_identity.mentions(),
    }
}

fn buyer_party(customer: &CustomerView, address: &Address) -> EParty {
    EParty {
        name: customer.name.clone(),
        address: address.clone(),
        vat_id: customer.vat_id.clone(),
        email: customer.email.clone(),
        siren: customer.siren.clone(),
        legal_information: None,
    }
}

fn line(currency: Currency, line: &LineView) -> Result<ELine, MoneyError> {
    let allowance = if line.discount_percent.is_zero() {
        None
    } else {
        let base = line
            .quantity
            .checked_mul(line.unit_price)
            .map(|gross| currency.round(gross))
            .ok_or(MoneyError::TooLarge)?;
        let amount = base.checked_sub(line.net).ok_or(MoneyError::TooLarge)?;
        Some(EAllowance {
            percent: line.discount_percent,
            base,
            amount,
        })
    };
    Ok(ELine {
        name: line.description.clone(),
        quantity: line.quantity,
        unit_price: line.unit_price,
        allowance,
        net: line.net,
        tax_rate: line.tax_rate,
        vat_category: line.vat_category,
    })
}

fn lines_and_taxes(
    currency: Currency,
    lines: &[LineView],
) -> Result<(Vec<ELine>, Vec<ETax>), MoneyError> {
    let inputs: Vec<LineInput> = lines.iter().map(LineView::input).collect();
    let taxes = vat_breakdown(&inputs, currency)?
        .into_iter()
        .map(|row| ETax {
            category: row.category,
            rate: row.rate,
            taxable: row.net,
            tax: row.tax,
            exemption_reason: row.exemption_reason,
        })
        .collect();
    let lines = lines
        .iter()
        .map(|view| line(currency, view))
        .collect::<Result<_, _>>()?;
    Ok((lines, taxes))
}

impl EDocument {
    /// The document with its VAT total in the seller's accounting currency (BT-6, BT-111).
    pub fn with_tax_in_accounting_currency(self, tax: Option<(Currency, Decimal)>) -> Self {
        EDocument {
            tax_in_accounting_currency: tax,
            ..self
        }
    }

    /// A finalized credit note (`number` is its number). A standalone credit's charge is its
    /// one line, untaxed: EN 16931 wants at least one line.
    pub fn credit_note(
        note: &CreditNoteView,
        number: String,
        buyer: &CustomerView,
        seller: &SellerProfile,
        credited_invoice: Option<(String, NaiveDate)>,
    ) -> Result<Self, MoneyError> {
        let currency = note.currency;
        let (mut lines, mut taxes) = lines_and_taxes(currency, &note.lines)?;
        if let Some(charge) = &note.charge {
            lines.push(ELine {
                name: charge.description.clone(),
                quantity: Decimal::ONE,
                unit_price: charge.amount,
                allowance: None,
                net: charge.amount,
                tax_rate: Decimal::ZERO,
                vat_category: VatCategory::ZeroRated,
            });
            taxes.push(ETax {
                category: VatCategory::ZeroRated,
                rate: Decimal::ZERO,
                taxable: charge.amount,
                tax: currency.zero(),
                exemption_reason: None,
            });
        }
        Ok(EDocument {
            type_code: 381,
            number,
            issue_date: note.date,
            due_date: None,
            currency,
            note: note.reason.clone(),
            legal_notes: legal_notes(seller, LineView::operations(&note.lines)),
            billing_mode: seller
                .vat_regime
                .operations_of(LineView::operations(&note.lines))
                .map(|nature| nature.billing_mode()),
            project: note.project.clone(),
            delivery_date: note.ship_date,
            delivery_address: Some(note.shipping_address.clone()),
            preceding_invoice: credited_invoice,
            seller: seller_party(seller),
            seller_iban: seller.iban.clone(),
            buyer: buyer_party(buyer, &note.billing_address),
            lines,
            taxes,
            line_total: note.subtotal,
            tax_total: note.tax_total,
            grand_total: note.total,
            tax_in_accounting_currency: None,
        })
    }

    /// An issued invoice.
    pub fn invoice(
        invoice: &InvoiceView,
        buyer: &CustomerView,
        seller: &SellerProfile,
        corrected_invoice: Option<(String, NaiveDate)>,
    ) -> Result<Self, MoneyError> {
        let currency = invoice.currency;
        let (lines, taxes) = lines_and_taxes(currency, &invoice.lines)?;
        Ok(EDocument {
            type_code: match invoice.kind {
                InvoiceKind::Standard => 380,
                InvoiceKind::Correction => 384,
                InvoiceKind::Advance => 386,
            },
            number: invoice.number.clone(),
            issue_date: invoice.issue_date,
            due_date: invoice.due_date,
            currency,
            note: None,
            legal_notes: legal_notes(seller, LineView::operations(&invoice.lines)),
            billing_mode: seller
                .vat_regime
                .operations_of(LineView::operations(&invoice.lines))
                .map(|nature| nature.billing_mode()),
            project: invoice.project.clone(),
            delivery_date: Some(
                latest_ship_date(
                    &invoice
                        .lines
                        .iter()
                        .map(|line| line.ship_date)
                        .collect::<Vec<_>>(),
                )
                .unwrap_or(invoice.issue_date),
            ),
            delivery_address: Some(buyer.shipping_address.clone()),
            preceding_invoice: corrected_invoice,
            seller: seller_party(seller),
            seller_iban: seller.iban.clone(),
            buyer: buyer_party(buyer, &buyer.billing_address),
            lines,
            taxes,
            line_total: invoice.subtotal,
            tax_total: invoice.tax_total,
            grand_total: invoice.total,
            tax_in_accounting_currency: None,
        })
    }

    /// Where the goods went, stated when it is not the buyer's address (the 2026 reform's
    /// mention, décret n° 2022-1299) or when the document holds an intra-EU supply (BT-80,
    /// BR-IC-12). A blank shipping address states nothing.
    pub fn stated_delivery_address(&self) -> Option<&Address> {
        let address = self.delivery_address.as_ref()?;
        let intra_community = self
            .taxes
            .iter()
            .any(|row| row.category == VatCategory::IntraCommunity);
        (address.is_other_delivery_address(&self.buyer.address)
            || intra_community && address.is_given())
        .then_some(address)
    }

    pub fn is_credit_note(&self) -> bool {
        self.type_code == 381
    }

    /// What EN 16931 requires and this document lacks, each on the field to complete: the
    /// seller's details in Settings, the customer's on its page.
    pub fn gaps(&self) -> Vec<FieldProblem> {
        let mut gaps = Vec::new();
        let mut gap = |field: &str, message: &str| {
            gaps.push(FieldProblem {
                field: field.to_string(),
                code: "required".to_string(),
                message: message.to_string(),
                says: None,
            })
        };
        if self.seller.name.trim().is_empty() {
            gap(
                "seller.name",
                "The seller's name is required (BT-27): save the seller's details in Settings",
            );
        }
        if self.seller.vat_id.is_none() {
            gap(
                "seller.vat_id",
                "The seller's VAT number is required (BT-31): add it in Settings",
            );
        }
        if !is_country_code(&self.seller.address.country) {
            gap(
                "seller.address.country",
                "The seller's country must be a two-letter ISO 3166 code such as FR (BT-40)",
            );
        }
        if !is_country_code(&self.buyer.address.country) {
            gap(
                "customer.billing_address.country",
                "The customer's billing country must be a two-letter ISO 3166 code such as FR \
                 (BT-55)",
            );
        }
        let has = |category: VatCategory| self.taxes.iter().any(|row| row.category == category);
        if self.buyer.vat_id.is_none()
            && let Some(row) = self
                .taxes
                .iter()
                .find(|row| row.category.needs_buyer_vat_id())
        {
            gap(
                "customer.vat_id",
                &format!(
                    "The customer's VAT number is required on a document of VAT category {} \
                     (BT-48; BR-AE-02, BR-IC-02): add it on the customer's page",
                    row.category.as_str()
                ),
            );
        }
        if has(VatCategory::IntraCommunity)
            && !self
                .delivery_address
                .as_ref()
                .is_some_and(|address| is_country_code(&address.country))
        {
            gap(
                "customer.shipping_address.country",
                "An intra-EU supply states the country the goods went to (BT-80, BR-IC-12): \
                 give the shipping address a two-letter ISO 3166 country code",
            );
        }
        gaps
    }
}

/// A two-letter upper-case code, as ISO 3166-1 alpha-2 writes countries.
fn is_country_code(text: &str) -> bool {
    text.len() == 2 && text.bytes().all(|byte| byte.is_ascii_uppercase())
}

/// An amount with exactly the currency's decimals (`90.00`, `1500` in JPY).
pub fn amount(currency: Currency, value: Decimal) -> String {
    let mut rounded = currency.round(value);
    rounded.rescale(currency.scale());
    rounded.to_string()
}

/// A quantity or a percentage without trailing zeros (`2`, `0.5`, `20`).
pub fn plain(value: Decimal) -> String {
    value.normalize().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(text: &str) -> Decimal {
        text.parse().expect("a decimal")
    }

    #[test]
    fn amounts_carry_the_currencys_decimals_and_no_more() {
        let eur = Currency::parse("EUR").expect("EUR");
        let jpy = Currency::parse("JPY").expect("JPY");
        assert_eq!(amount(eur, dec("90")), "90.00");
        assert_eq!(amount(eur, dec("-12.5")), "-12.50");
        assert_eq!(amount(jpy, dec("1500")), "1500");
        assert_eq!(plain(dec("2.000")), "2");
        assert_eq!(plain(dec("5.50")), "5.5");
    }

    #[test]
    fn countries_are_two_capital_letters() {
        assert!(is_country_code("FR"));
        assert!(!is_country_code("fr"));
        assert!(!is_country_code("France"));
        assert!(!is_country_code(""));
    }
}
