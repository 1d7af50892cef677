//! Server functions of the invoice list.

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
        let after = read.id("after", &self.after).unwrap_or(0);
        let currency = read.currency("currency", &self.currency);
        read.finish(InvoiceQuery {
            status,
            // Numbers are upper case (`INV-2026-00001`); `inv-2026` finds them too.
            number_prefix: given(&self.number).map(str::to_uppercase),
            customer_id,
            currency,
            after,
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
