//! The customer screens: the list, and a customer's page with its credit notes (and what
//! remains of them to use) and its invoices.

use app::domain::Permission;
use app::domain::search::{CUSTOMER_SEARCH_LIMIT, customer_search_key, search_words};
use app::model::{CurrentUser, CustomerListPage, CustomerPage, CustomerTab, CustomerView};

use super::{ServiceError, Services, list_page, next_cursor, views};
use crate::storage::{CreditNoteFilter, InvoiceFilter, Page};

/// The name the migration leaves in `pending_backfills`.
const CUSTOMER_SEARCH_KEYS: &str = "customer_search_keys";

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

    /// The customers whose name, currency or tax region hold every typed word, by name: one
    /// short page, what editors and filters offer to choose from. `chosen` comes first when
    /// given, so a form always shows the customer it holds.
    pub async fn search_customers(
        &self,
        user: &CurrentUser,
        typed: &str,
        chosen: Option<i64>,
    ) -> Result<Vec<CustomerView>, ServiceError> {
        self.authorize(user, Permission::ReadCustomers)?;
        let words = search_words(typed);
        let mut tx = self.storage.read().await?;
        let mut found: Vec<CustomerView> = Vec::new();
        if let Some(customer) = match chosen {
            Some(id) => tx.customer(id).await?,
            None => None,
        } {
            found.push(views::customer(customer));
        }
        for customer in tx.search_customers(&words, CUSTOMER_SEARCH_LIMIT).await? {
            if Some(customer.id) != chosen {
                found.push(views::customer(customer));
            }
        }
        Ok(found)
    }

    /// Gives customers created before search keys existed theirs, once (the migration asks
    /// for it; run at start-up, before any request). Answers how many it wrote.
    pub async fn index_customer_names(&self) -> Result<u64, ServiceError> {
        let mut tx = self.storage.write().await?;
        if !tx.take_pending_backfill(CUSTOMER_SEARCH_KEYS).await? {
            return Ok(0);
        }
        let (mut written, mut after) = (0, 0);
        loop {
            let page = tx.find_customers(Page { after, limit: 500 }).await?;
            let Some(last) = page.last() else { break };
            after = last.id;
            for customer in &page {
                let key = customer_search_key(
                    &customer.name,
                    customer.currency.code(),
                    &customer.tax_region,
                );
                tx.set_customer_search_key(customer.id, &key).await?;
                written += 1;
            }
        }
        tx.commit().await?;
        Ok(written)
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
        let mut remaining = Vec::new();
        for (currency, minor) in tx.customer_remaining_credit(id).await? {
            remaining.push((currency, currency.from_minor(minor)));
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
            remaining,
            tab,
            notes: notes.into_iter().map(views::credit_note).collect(),
            invoices: invoices.into_iter().map(views::invoice).collect(),
            next_after,
            viewer: user.clone(),
        })
    }
}
