//! The customer screens: the list, and a customer's page with its credit notes (and what
//! remains of them to use) and its invoices.

use std::collections::BTreeMap;

use app::domain::{CreditNoteStatus, Permission};
use app::model::{CurrentUser, CustomerListPage, CustomerPage, CustomerTab};
use rust_decimal::Decimal;

use super::{ServiceError, Services, list_page, next_cursor, views};
use crate::storage::{CreditNoteFilter, InvoiceFilter, Page};

impl Services {
    pub async fn customer_list_page(
        &self,
        user: &CurrentUser,
        after: i64,
    ) -> Result<CustomerListPage, ServiceError> {
        self.authorize(user, Permission::ReadCustomers)?;
        let mut tx = self.storage.read().await?;
        let mut customers = tx.find_customers(list_page(after)).await?;
        let next_after = next_cursor(&mut customers, |customer| customer.id);
        Ok(CustomerListPage {
            customers: customers.into_iter().map(views::customer).collect(),
            next_after,
            viewer: user.clone(),
        })
    }

    /// Turns the customer portal on or off for a customer: off, its users can no longer sign
    /// in, and their sessions and API tokens stop working at once.
    pub async fn set_customer_portal(
        &self,
        user: &CurrentUser,
        id: i64,
        enabled: bool,
    ) -> Result<(), ServiceError> {
        self.authorize(user, Permission::CreateCustomer)?;
        let mut tx = self.storage.write().await?;
        if !tx.set_customer_portal(id, enabled).await? {
            return Err(ServiceError::NotFound("The customer"));
        }
        tx.commit().await?;
        Ok(())
    }

    /// A customer, the remaining credit of its available notes per currency (every note, not
    /// one page), and one page of the tab's documents.
    pub async fn customer_page(
        &self,
        user: &CurrentUser,
        id: i64,
        tab: CustomerTab,
        after: i64,
    ) -> Result<CustomerPage, ServiceError> {
        self.authorize(user, Permission::ReadCustomers)?;
        let mut tx = self.storage.read().await?;
        let customer = tx
            .customer(id)
            .await?
            .map(views::customer)
            .ok_or(ServiceError::NotFound("The customer"))?;
        let available = tx
            .customer_credit_notes(id, Some(CreditNoteStatus::Available), Page::ALL)
            .await?;
        let mut remaining: BTreeMap<&'static str, (app::domain::Currency, Decimal)> =
            BTreeMap::new();
        for note in available.into_iter().map(views::credit_note) {
            let entry = remaining
                .entry(note.currency.code())
                .or_insert((note.currency, Decimal::ZERO));
            entry.1 = entry
                .1
                .checked_add(note.remaining_amount())
                .ok_or_else(|| ServiceError::Internal("remaining credit overflows".into()))?;
        }
        let (mut notes, mut invoices) = (Vec::new(), Vec::new());
        let next_after = match tab {
            CustomerTab::Credits => {
                let filter = CreditNoteFilter {
                    customer_id: Some(id),
                    ..Default::default()
                };
                notes = tx.find_credit_notes(&filter, list_page(after)).await?;
                next_cursor(&mut notes, |note| note.id)
            }
            CustomerTab::Invoices => {
                let filter = InvoiceFilter {
                    customer_id: Some(id),
                    ..Default::default()
                };
                invoices = tx.find_invoices(&filter, list_page(after)).await?;
                next_cursor(&mut invoices, |invoice| invoice.id)
            }
        };
        Ok(CustomerPage {
            customer,
            remaining: remaining.into_values().collect(),
            tab,
            notes: notes.into_iter().map(views::credit_note).collect(),
            invoices: invoices.into_iter().map(views::invoice).collect(),
            next_after,
            viewer: user.clone(),
        })
    }
}
