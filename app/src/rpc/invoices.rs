//! Server functions of the invoice list and of the invoice page's actions (payments, mark paid
//! or pending, cancel, delete); each action is a form post that also works without JavaScript.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::filters::{FilterReader, given};
use crate::domain::InvoiceStatus;
use crate::model::{InvoiceListPage, InvoiceQuery};
use crate::problem::Problem;

/// The invoice list's filters as the URL carries them; every status when none is named.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceFilters {
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub number: Option<String>,
    #[serde(default)]
    pub customer_id: Option<String>,
    /// The customer search box (see [`crate::pages::customer_choice`]).
    #[serde(default)]
    pub customer_q: Option<String>,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub after: Option<String>,
}

impl InvoiceFilters {
    /// Parses every filter; each one at fault is named on its field.
    pub fn parse(&self) -> Result<InvoiceQuery, Problem> {
        let mut read = FilterReader::default();
        let status = given(&self.status).and_then(|name| {
            InvoiceStatus::parse(name).or_else(|| {
                read.fail("status", format!("There is no status {name}"));
                None
            })
        });
        let customer_id = read.id("customer_id", &self.customer_id);
        let after = read.cursor("after", &self.after).unwrap_or(0);
        let currency = read.currency("currency", &self.currency);
        read.finish(InvoiceQuery {
            status,
            // Numbers are upper case (`INV-2026-00001`); `inv-2026` finds them too.
            number_prefix: given(&self.number).map(str::to_uppercase),
            customer_id,
            currency,
            after,
            customer_search: self.customer_q.clone().unwrap_or_default(),
        })
    }
}

#[server(prefix = "/rpc", endpoint = "load_invoice_list")]
pub async fn load_invoice_list(
    #[server(default)] filters: InvoiceFilters,
) -> Result<InvoiceListPage, Problem> {
    let user = crate::backend::require_user().await?;
    let query = filters.parse()?;
    crate::backend::desk()?
        .invoice_list_page(&user, query)
        .await
}

/// Runs one action on an invoice, then sends the browser back to its page (or `to`).
#[cfg(feature = "ssr")]
async fn act(
    invoice_id: i64,
    command: crate::backend::InvoiceCommand,
    to: Option<&str>,
) -> Result<(), Problem> {
    let user = crate::backend::require_user().await?;
    crate::backend::desk()?
        .invoice_command(&user, invoice_id, command)
        .await?;
    let page = format!("/invoices/{invoice_id}");
    leptos_axum::redirect(to.unwrap_or(&page));
    Ok(())
}

/// Optional text of a form: blank means none.
#[cfg(feature = "ssr")]
fn optional(text: String) -> Option<String> {
    Some(text.trim().to_string()).filter(|text| !text.is_empty())
}

#[server(prefix = "/rpc", endpoint = "record_payment")]
pub async fn record_payment(
    invoice_id: i64,
    #[server(default)] amount: String,
    #[server(default)] date: String,
    #[server(default)] method: String,
    #[server(default)] reference: String,
) -> Result<(), Problem> {
    let date = super::reader().date("date", &date)?;
    let command = crate::backend::InvoiceCommand::Payment {
        amount,
        date,
        method: optional(method),
        reference: optional(reference),
    };
    act(invoice_id, command, None).await
}

#[server(prefix = "/rpc", endpoint = "issue_invoice")]
pub async fn issue_invoice(invoice_id: i64) -> Result<(), Problem> {
    act(invoice_id, crate::backend::InvoiceCommand::Issue, None).await
}

#[server(prefix = "/rpc", endpoint = "send_invoice_reminder")]
pub async fn send_invoice_reminder(invoice_id: i64) -> Result<(), Problem> {
    act(
        invoice_id,
        crate::backend::InvoiceCommand::SendReminder,
        None,
    )
    .await
}

#[server(prefix = "/rpc", endpoint = "mark_invoice_paid")]
pub async fn mark_invoice_paid(invoice_id: i64) -> Result<(), Problem> {
    act(invoice_id, crate::backend::InvoiceCommand::MarkPaid, None).await
}

#[server(prefix = "/rpc", endpoint = "mark_invoice_pending")]
pub async fn mark_invoice_pending(invoice_id: i64) -> Result<(), Problem> {
    act(
        invoice_id,
        crate::backend::InvoiceCommand::MarkPending,
        None,
    )
    .await
}

#[server(prefix = "/rpc", endpoint = "cancel_invoice")]
pub async fn cancel_invoice(invoice_id: i64) -> Result<(), Problem> {
    act(invoice_id, crate::backend::InvoiceCommand::Cancel, None).await
}

#[server(prefix = "/rpc", endpoint = "delete_invoice")]
pub async fn delete_invoice(invoice_id: i64) -> Result<(), Problem> {
    act(
        invoice_id,
        crate::backend::InvoiceCommand::Delete,
        Some("/invoices"),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_by_default_and_a_bad_status_named_on_its_field() {
        assert_eq!(InvoiceFilters::default().parse().unwrap().status, None);
        let bad = InvoiceFilters {
            status: Some("open".into()),
            ..Default::default()
        };
        assert!(bad.parse().unwrap_err().field_message("status").is_some());
    }
}
