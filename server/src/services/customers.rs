//! The customer screens: the list, and a customer's page with its credit notes (and what
//! remains of them to use) and its invoices.

use app::domain::search::{CUSTOMER_SEARCH_LIMIT, customer_search_key, search_words};
use app::domain::{Currency, Language, Permission, RuleCode, Violation};
use app::model::{Address, CurrentUser, CustomerListPage, CustomerPage, CustomerTab, CustomerView};
use chrono::{DateTime, Utc};

use super::{Caller, ServiceError, Services, list_page, next_cursor, views};
use crate::storage::{CreditNoteFilter, InvoiceFilter, NewCustomer, Page};

/// VAT identification numbers are at most 14 characters in the EU; other tax ids run longer.
const MAX_VAT_ID_CHARS: usize = 40;

/// What a customer says, as a door read it: a new customer, or all of an edited one. Blanks
/// are trimmed here, once, whichever door it came through.
#[derive(Clone, Debug)]
pub struct NewCustomerInput {
    pub name: String,
    pub email: Option<String>,
    pub currency: Currency,
    pub tax_region: String,
    pub vat_id: Option<String>,
    /// As typed (spaces allowed); checked by INSEE's key.
    pub siren: Option<String>,
    /// A private person, not a business.
    pub consumer: bool,
    pub billing_address: Address,
    pub shipping_address: Address,
    /// What its documents are written in; `None`: its tax region's language, else English.
    pub document_language: Option<Language>,
}

/// Text with its surrounding blanks trimmed; `None` when nothing is left.
fn given(text: Option<String>) -> Option<String> {
    text.map(|text| text.trim().to_string())
        .filter(|text| !text.is_empty())
}

/// A customer as it is stored, once it passes the rules of a new customer (every field it
/// breaks is named at once).
fn checked_customer(
    input: NewCustomerInput,
    created_at: DateTime<Utc>,
) -> Result<NewCustomer, ServiceError> {
    let name = input.name.trim().to_string();
    let tax_region = input.tax_region.trim().to_string();
    let vat_id = given(input.vat_id);
    let mut violations = Vec::new();
    let mut refuse =
        |field: &str, message: String| violations.push(Violation::invalid(field, message));
    if name.is_empty() {
        refuse("name", "Give the customer a name".into());
    }
    if tax_region.is_empty() {
        refuse("tax_region", "Give the customer's tax region".into());
    }
    if vat_id
        .as_ref()
        .is_some_and(|id| id.chars().count() > MAX_VAT_ID_CHARS)
    {
        refuse(
            "vat_id",
            format!("A VAT id has at most {MAX_VAT_ID_CHARS} characters"),
        );
    }
    let siren = match given(input.siren) {
        None => None,
        Some(typed) => app::domain::parse_siren(&typed)
            .map_err(|message| refuse("siren", message.to_string()))
            .ok(),
    };
    if !violations.is_empty() {
        return Err(ServiceError::Rules(violations));
    }
    Ok(NewCustomer {
        document_language: input
            .document_language
            .unwrap_or_else(|| Language::of_region(&tax_region)),
        name,
        email: given(input.email),
        currency: input.currency,
        tax_region,
        vat_id,
        siren,
        consumer: input.consumer,
        billing_address: input.billing_address,
        shipping_address: input.shipping_address,
        created_at,
    })
}

/// The name the migration leaves in `pending_backfills`.
const CUSTOMER_SEARCH_KEYS: &str = "customer_search_keys";

impl Services {
    pub async fn create_customer(
        &self,
        caller: Caller<'_>,
        input: NewCustomerInput,
    ) -> Result<i64, ServiceError> {
        self.authorize_caller(caller, Permission::CreateCustomer)?;
        let customer = checked_customer(input, self.now())?;
        let mut tx = self.storage.write().await?;
        let id = tx.insert_customer(&customer).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Rewrites what a customer says, under the rules of a new customer. Its currency stays
    /// once invoices or credit notes are its own: they were written in it. Documents already
    /// issued keep the name and addresses they were issued with.
    pub async fn update_customer(
        &self,
        caller: Caller<'_>,
        id: i64,
        input: NewCustomerInput,
    ) -> Result<CustomerView, ServiceError> {
        self.authorize_caller(caller, Permission::CreateCustomer)?;
        let mut tx = self.storage.write().await?;
        let current = tx
            .customer(id)
            .await?
            .ok_or(ServiceError::NotFound("The customer"))?;
        let customer = checked_customer(input, current.created_at)?;
        if customer.currency != current.currency && tx.customer_has_documents(id).await? {
            return Err(super::rule(
                RuleCode::CustomerCurrencyFixed,
                "currency",
                format!(
                    "The customer's currency stays {}: invoices or credit notes are written in it",
                    current.currency.code()
                ),
            ));
        }
        tx.update_customer(id, &customer).await?;
        let updated = tx
            .customer(id)
            .await?
            .ok_or(ServiceError::NotFound("The customer"))?;
        tx.commit().await?;
        Ok(views::customer(updated))
    }

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
