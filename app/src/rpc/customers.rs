//! Server functions of the customer screens: the list, a customer's page and its tabs, and
//! the new-customer form (a plain form post that also works without JavaScript).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::filters::FilterReader;
#[cfg(feature = "ssr")]
use crate::model::CustomerTab;
use crate::model::{CustomerListPage, CustomerPage};
use crate::problem::Problem;

/// The new-customer form as posted: text, read on the server.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CustomerForm {
    pub name: String,
    pub email: String,
    pub currency: String,
    pub tax_region: String,
    pub vat_id: String,
    pub siren: String,
    /// "on" when the customer is a private person (a checkbox).
    pub consumer: String,
    pub billing_line1: String,
    pub billing_line2: String,
    pub billing_city: String,
    pub billing_postal_code: String,
    pub billing_country: String,
    /// Blank shipping fields mean "ship to the billing address".
    pub shipping_line1: String,
    pub shipping_line2: String,
    pub shipping_city: String,
    pub shipping_postal_code: String,
    pub shipping_country: String,
    /// `en`, `fr` or `de`; blank: the tax region's language.
    pub document_language: String,
}

impl CustomerForm {
    pub fn billing_address(&self) -> crate::model::Address {
        crate::model::Address::typed(
            &self.billing_line1,
            &self.billing_line2,
            &self.billing_city,
            &self.billing_postal_code,
            &self.billing_country,
        )
    }

    /// The shipping address, or the billing address when the shipping fields are blank.
    pub fn shipping_address(&self) -> crate::model::Address {
        if self.shipping_line1.trim().is_empty() {
            return self.billing_address();
        }
        crate::model::Address::typed(
            &self.shipping_line1,
            &self.shipping_line2,
            &self.shipping_city,
            &self.shipping_postal_code,
            &self.shipping_country,
        )
    }
}

#[server(prefix = "/rpc", endpoint = "load_customer_list")]
pub async fn load_customer_list(
    #[server(default)] after: Option<String>,
) -> Result<CustomerListPage, Problem> {
    let user = crate::backend::require_user().await?;
    let mut read = FilterReader::default();
    let after = read.cursor("after", &after).unwrap_or(0);
    read.finish(())?;
    crate::backend::desk()?
        .customer_list_page(&user, after)
        .await
}

#[server(prefix = "/rpc", endpoint = "load_customer_page")]
pub async fn load_customer_page(
    customer_id: i64,
    #[server(default)] tab: Option<String>,
    #[server(default)] after: Option<String>,
) -> Result<CustomerPage, Problem> {
    let user = crate::backend::require_user().await?;
    let mut read = FilterReader::default();
    let tab = match tab.as_deref().map(str::trim).filter(|tab| !tab.is_empty()) {
        None => CustomerTab::default(),
        Some(name) => CustomerTab::parse(name).unwrap_or_else(|| {
            read.fail("tab", format!("There is no tab {name}"));
            CustomerTab::default()
        }),
    };
    let after = read.cursor("after", &after).unwrap_or(0);
    read.finish(())?;
    crate::backend::desk()?
        .customer_page(&user, customer_id, tab, after)
        .await
}

/// Turns the customer portal on (`enabled=on`) or off for a customer, then shows its page.
#[server(prefix = "/rpc", endpoint = "set_customer_portal")]
pub async fn set_customer_portal(
    customer_id: i64,
    #[server(default)] enabled: String,
) -> Result<(), Problem> {
    let user = crate::backend::require_user().await?;
    let enabled = match enabled.as_str() {
        "on" => true,
        "off" => false,
        other => {
            return Err(Problem::validation(
                "enabled",
                format!("{other} is neither on nor off"),
            ));
        }
    };
    crate::backend::desk()?
        .set_customer_portal(&user, customer_id, enabled)
        .await?;
    leptos_axum::redirect(&format!("/customers/{customer_id}"));
    Ok(())
}

/// Sets the customer's payment reminder schedule (blank: off), then shows its page.
#[server(prefix = "/rpc", endpoint = "set_customer_reminders")]
pub async fn set_customer_reminders(
    customer_id: i64,
    #[server(default)] days_after_due: String,
) -> Result<(), Problem> {
    let user = crate::backend::require_user().await?;
    let days = crate::domain::parse_reminder_days(&days_after_due)
        .map_err(|message| Problem::validation("days_after_due", message))?;
    crate::backend::desk()?
        .set_customer_reminders(&user, customer_id, days)
        .await?;
    leptos_axum::redirect(&format!("/customers/{customer_id}"));
    Ok(())
}

/// Saves what the customer says, then shows its page.
#[server(prefix = "/rpc", endpoint = "update_customer")]
pub async fn update_customer(
    customer_id: i64,
    #[server(default)] form: CustomerForm,
) -> Result<(), Problem> {
    let user = crate::backend::require_user().await?;
    crate::backend::desk()?
        .update_customer(&user, customer_id, form)
        .await?;
    leptos_axum::redirect(&format!("/customers/{customer_id}"));
    Ok(())
}

/// Creates the customer and opens its page.
#[server(prefix = "/rpc", endpoint = "create_customer")]
pub async fn create_customer(#[server(default)] form: CustomerForm) -> Result<(), Problem> {
    let user = crate::backend::require_user().await?;
    let id = crate::backend::desk()?.create_customer(&user, form).await?;
    leptos_axum::redirect(&format!("/customers/{id}"));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_shipping_fields_ship_to_the_billing_address() {
        let form = CustomerForm {
            billing_line1: " 1 Main St ".into(),
            billing_city: "Lyon".into(),
            billing_postal_code: "69001".into(),
            billing_country: "FR".into(),
            ..Default::default()
        };
        assert_eq!(form.shipping_address(), form.billing_address());
        assert_eq!(form.billing_address().line1, "1 Main St");
        let elsewhere = CustomerForm {
            shipping_line1: "Dock 4".into(),
            shipping_city: "Le Havre".into(),
            ..form.clone()
        };
        assert_eq!(elsewhere.shipping_address().city, "Le Havre");
    }
}

/// What a customer field offers: the customers matching `typed` (one short page), the
/// `chosen` one first. Its type-ahead asks again as the user types.
#[server(prefix = "/rpc", endpoint = "search_customers")]
pub async fn search_customers(
    #[server(default)] typed: String,
    #[server(default)] chosen: Option<i64>,
) -> Result<Vec<crate::model::CustomerView>, Problem> {
    let user = crate::backend::require_user().await?;
    crate::backend::desk()?
        .search_customers(&user, &typed, chosen)
        .await
}
