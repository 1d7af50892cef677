//! Customers: their addresses and details, and their pages.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{CreditNoteView, CurrentUser, InvoiceView};
use crate::domain::Currency;

/// One page of the customer list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerListPage {
    pub customers: Vec<CustomerView>,
    /// The cursor of the next page, when there is one.
    pub next_after: Option<i64>,
    pub viewer: CurrentUser,
}

/// The tabs of a customer's page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerTab {
    #[default]
    Credits,
    Invoices,
}

impl CustomerTab {
    pub fn as_str(self) -> &'static str {
        match self {
            CustomerTab::Credits => "credits",
            CustomerTab::Invoices => "invoices",
        }
    }

    pub fn parse(text: &str) -> Option<CustomerTab> {
        [CustomerTab::Credits, CustomerTab::Invoices]
            .into_iter()
            .find(|tab| tab.as_str() == text)
    }
}

/// A customer's page: what remains of its available credit notes per currency, and one
/// page of the open tab's documents (its credit notes, or its invoices).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerPage {
    pub customer: CustomerView,
    /// Per currency, the sum of what the customer's available notes have left to use.
    pub remaining: Vec<(Currency, Decimal)>,
    pub tab: CustomerTab,
    pub notes: Vec<CreditNoteView>,
    pub invoices: Vec<InvoiceView>,
    pub next_after: Option<i64>,
    pub viewer: CurrentUser,
}

/// A postal address.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub line1: String,
    #[serde(default)]
    pub line2: Option<String>,
    pub city: String,
    pub postal_code: String,
    pub country: String,
}

impl Address {
    /// Whether a document states this address, where goods went, beside the buyer's
    /// `billing` address: when it is given and is not that one (the 2026 reform's mention,
    /// décret n° 2022-1299). A blank address states nothing.
    pub fn is_other_delivery_address(&self, billing: &Address) -> bool {
        self.is_given() && self != billing
    }

    /// Whether the address says anything: a street or a country.
    pub fn is_given(&self) -> bool {
        !self.line1.trim().is_empty() || !self.country.trim().is_empty()
    }

    /// The address on one line (`1 Main St, 69001 Lyon, FR`); "—" when there is none.
    pub fn one_line(&self) -> String {
        let place = format!("{} {}", self.postal_code, self.city);
        let parts: Vec<&str> = [
            self.line1.as_str(),
            self.line2.as_deref().unwrap_or(""),
            place.trim(),
            &self.country,
        ]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect();
        if parts.is_empty() {
            "—".to_string()
        } else {
            parts.join(", ")
        }
    }

    /// An address as a form's fields give it: trimmed, a blank second line left out.
    pub fn typed(line1: &str, line2: &str, city: &str, postal_code: &str, country: &str) -> Self {
        Address {
            line1: line1.trim().to_string(),
            line2: Some(line2.trim().to_string()).filter(|line| !line.is_empty()),
            city: city.trim().to_string(),
            postal_code: postal_code.trim().to_string(),
            country: country.trim().to_string(),
        }
    }
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerView {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "EUR"))]
    pub currency: Currency,
    pub tax_region: String,
    /// The customer's VAT identification number, printed on its documents.
    pub vat_id: Option<String>,
    /// The customer's SIREN, printed on its documents (BT-47): the one given, else the one its
    /// French VAT number carries.
    #[serde(default)]
    pub siren: Option<String>,
    /// A private person, not a business: no SIREN is asked for its documents.
    #[serde(default)]
    pub consumer: bool,
    pub billing_address: Address,
    pub shipping_address: Address,
    /// Whether the customer's users may use the customer portal.
    pub portal_enabled: bool,
    /// Payment reminders for overdue invoices: every this many days after the due date (and
    /// after the last reminder); `null`: off.
    #[serde(default)]
    pub reminder_days: Option<u16>,
    /// What its documents, e-mails and reminders are written in: `en`, `fr` or `de`.
    #[serde(default)]
    pub document_language: crate::domain::Language,
    pub created_at: DateTime<Utc>,
}
