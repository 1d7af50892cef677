//! Server functions: thin doors from the browser onto the service layer, under `/rpc`.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::{AllocationRequest, Currency};
use crate::model::{CurrentUser, InvoicePage, InvoiceView, PortalView};
use crate::problem::Problem;

#[server(prefix = "/rpc", endpoint = "list_invoices")]
pub async fn list_invoices() -> Result<Vec<InvoiceView>, Problem> {
    let user = crate::backend::require_user().await?;
    crate::backend::desk()?.list_invoices(&user).await
}

#[server(prefix = "/rpc", endpoint = "load_invoice_page")]
pub async fn load_invoice_page(invoice_id: i64) -> Result<InvoicePage, Problem> {
    let user = crate::backend::require_user().await?;
    crate::backend::desk()?
        .invoice_page(&user, invoice_id)
        .await
}

/// One row of the link form, as the browser posts it (with or without JavaScript): every row
/// is sent so indices stay dense; `selected` is the checkbox, `amount` optional text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkRowInput {
    pub credit_note_id: i64,
    #[serde(default)]
    pub selected: Option<String>,
    #[serde(default)]
    pub amount: Option<String>,
}

/// The field name of a row's amount input, so errors land next to the right input.
pub fn row_amount_field(index: usize) -> String {
    format!("rows[{index}].amount")
}

/// Turns the posted rows into allocation requests, parsing amounts in the invoice currency.
pub fn link_requests(
    rows: &[LinkRowInput],
    currency: Currency,
) -> Result<Vec<AllocationRequest>, Problem> {
    let mut requests = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        if row.selected.is_none() {
            continue;
        }
        let amount = match row.amount.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => Some(
                currency
                    .parse_positive_amount(text)
                    .map_err(|error| Problem::invalid_amount(&row_amount_field(index), &error))?,
            ),
        };
        requests.push(AllocationRequest {
            credit_note_id: row.credit_note_id,
            amount,
        });
    }
    Ok(requests)
}

#[server(prefix = "/rpc", endpoint = "link_credit_notes")]
pub async fn link_credit_notes(
    invoice_id: i64,
    currency: String,
    #[server(default)] rows: Vec<LinkRowInput>,
) -> Result<(), Problem> {
    let user = crate::backend::require_user().await?;
    let currency = Currency::parse(&currency)
        .map_err(|error| Problem::validation("currency", error.to_string()))?;
    let requests = link_requests(&rows, currency)?;
    crate::backend::desk()?
        .link_credit_notes(&user, invoice_id, requests)
        .await?;
    // Back to the invoice with the dialog closed (a real redirect without JavaScript).
    leptos_axum::redirect(&format!("/invoices/{invoice_id}"));
    Ok(())
}

/// Who is signed in (`None` for nobody): the header and the pages use it.
#[server(prefix = "/rpc", endpoint = "whoami")]
pub async fn whoami() -> Result<Option<CurrentUser>, Problem> {
    crate::backend::current_user().await
}

#[server(prefix = "/rpc", endpoint = "login")]
pub async fn login(email: String, password: String) -> Result<CurrentUser, Problem> {
    let user = crate::backend::desk()?
        .authenticate(&email, &password, crate::backend::client_ip())
        .await?;
    crate::backend::sign_in(&user).await?;
    let home = if user.role.is_internal() {
        "/invoices"
    } else {
        "/portal"
    };
    leptos_axum::redirect(home);
    Ok(user)
}

#[server(prefix = "/rpc", endpoint = "logout")]
pub async fn logout() -> Result<(), Problem> {
    crate::backend::sign_out().await?;
    leptos_axum::redirect("/login");
    Ok(())
}

#[server(prefix = "/rpc", endpoint = "portal_overview")]
pub async fn portal_overview() -> Result<PortalView, Problem> {
    let user = crate::backend::require_user().await?;
    crate::backend::desk()?.portal(&user).await
}

#[server(prefix = "/rpc", endpoint = "unlink_credit_note")]
pub async fn unlink_credit_note(invoice_id: i64, allocation_id: i64) -> Result<(), Problem> {
    let user = crate::backend::require_user().await?;
    crate::backend::desk()?
        .unlink_credit_note(&user, invoice_id, allocation_id)
        .await?;
    leptos_axum::redirect(&format!("/invoices/{invoice_id}"));
    Ok(())
}
