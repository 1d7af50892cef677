//! The seller's profile, the Settings page, and the books' closing date.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{Address, CurrentUser, CustomerView, DocumentKind};

/// The seller as its documents name it (EU VAT Directive art. 226: name, address, VAT id).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerProfile {
    pub name: String,
    pub address: Address,
    pub vat_id: Option<String>,
    /// Where customers pay to, printed under the totals.
    pub iban: Option<String>,
    pub email: Option<String>,
    /// The logo's type (`image/png` or `image/jpeg`), if one was uploaded; set through
    /// `PUT /settings/seller/logo`, ignored when sent here.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(read_only))]
    pub logo_media_type: Option<String>,
    /// The late-payment penalty rate invoices state (Code de commerce art. L441-9); none: the
    /// legal default, the ECB's main refinancing rate plus 10 percentage points (art. L441-10).
    #[serde(default)]
    pub late_payment_penalty: Option<String>,
    /// The discount for early payment invoices state; none: no discount for early payment.
    #[serde(default)]
    pub early_payment_discount: Option<String>,
    /// Legal form, share capital, SIREN, SIRET, RCS city: required before anything is issued.
    #[serde(default)]
    pub legal_identity: crate::domain::LegalIdentity,
    /// What its documents are (goods, services, both) and whether it pays VAT on debits: the
    /// 2026 e-invoicing reform's mentions.
    #[serde(default)]
    pub vat_regime: crate::domain::VatRegime,
    /// The last day of the fiscal year, `MM-DD` (none: `12-31`): the FEC covers the fiscal year
    /// and is named with its closing date.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(example = "12-31"))]
    pub fiscal_year_end: Option<String>,
}

impl SellerProfile {
    /// The late-payment penalty rate documents state: the seller's, else the legal default.
    pub fn late_payment_penalty_or_default(&self) -> String {
        self.late_payment_penalty
            .clone()
            .unwrap_or_else(|| DEFAULT_LATE_PAYMENT_PENALTY.to_string())
    }

    /// The early-payment discount documents state: the seller's, else none.
    pub fn early_payment_discount_or_default(&self) -> String {
        self.early_payment_discount
            .clone()
            .unwrap_or_else(|| DEFAULT_EARLY_PAYMENT_DISCOUNT.to_string())
    }

    /// What issuing a document requires of this seller.
    pub fn issuer_facts(&self) -> crate::domain::IssuerFacts<'_> {
        let address = &self.address;
        crate::domain::IssuerFacts {
            name: &self.name,
            address_complete: [
                &address.line1,
                &address.city,
                &address.postal_code,
                &address.country,
            ]
            .iter()
            .all(|part| !part.trim().is_empty()),
            french: address.country.trim().eq_ignore_ascii_case("FR"),
            vat_id: self.vat_id.as_deref(),
            identity: &self.legal_identity,
        }
    }
}

/// The penalty rate of Code de commerce art. L441-10 II when no other was agreed.
pub const DEFAULT_LATE_PAYMENT_PENALTY: &str =
    "the ECB's main refinancing rate plus 10 percentage points (Code de commerce art. L441-10)";
/// What invoices say when the seller grants no discount for paying early.
pub const DEFAULT_EARLY_PAYMENT_DISCOUNT: &str = "no discount for early payment";
/// The fixed indemnity for recovery costs a late payer owes, in euros (Code de commerce art.
/// D441-5); invoices state its amount, not a reference to the decree.
pub const RECOVERY_INDEMNITY_EUR: u32 = 40;

/// The PDF template that applies to a kind of document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateSetting {
    pub kind: DocumentKind,
    pub source: String,
    /// Saved in Settings (else the built-in or templates-directory one).
    pub custom: bool,
}

/// The settings screen: the tax table and the users.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsPage {
    pub tax_table: crate::domain::TaxTable,
    pub seller: SellerProfile,
    /// The accounts journal entries are written to.
    pub accounts: crate::domain::journal::ChartOfAccounts,
    /// How far the books are closed.
    pub closing: BooksClosing,
    /// The newest exchange rate of each currency.
    pub exchange_rates: Vec<crate::domain::exchange::ExchangeRate>,
    /// The PDF template of each kind of document.
    pub templates: Vec<TemplateSetting>,
    pub users: Vec<UserSummary>,
    /// Customers a new customer user can belong to: the first matches of the page's search.
    pub customers: Vec<CustomerView>,
    pub viewer: CurrentUser,
}

/// A user as administrators see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: i64,
    pub email: String,
    pub role: crate::domain::Role,
    pub customer_id: Option<i64>,
    /// The name of a customer user's customer.
    pub customer_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub deactivated_at: Option<DateTime<Utc>>,
}

/// How far the books are closed: nothing is posted on or before `closed_through`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BooksClosing {
    /// None while no period was ever closed.
    pub closed_through: Option<NaiveDate>,
}
