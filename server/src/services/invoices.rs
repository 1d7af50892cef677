use app::domain::{CreditNoteStatus, Permission, Role, RuleCode, Violation};
use app::domain::{Currency, InvoiceStatus, LineInput};
use app::model::{CurrentUser, InvoicePage, InvoiceView, PortalView};
use chrono::NaiveDate;

use chrono::Datelike;

use super::{Caller, ServiceError, Services};
use crate::storage::{NewCustomer, NewEvent, NewInvoice};

#[derive(Clone, Debug)]
pub struct NewCustomerInput {
    pub name: String,
    pub email: Option<String>,
    pub currency: Currency,
    pub tax_region: String,
    pub billing_address: app::model::Address,
    pub shipping_address: app::model::Address,
}

#[derive(Clone, Debug)]
pub struct NewInvoiceInput {
    /// Generated (`INV-YYYY-NNNNN`) when absent.
    pub number: Option<String>,
    pub customer_id: i64,
    pub currency: Currency,
    pub issue_date: NaiveDate,
    pub due_date: Option<NaiveDate>,
    pub kind: app::domain::InvoiceKind,
    pub status: InvoiceStatus,
    /// The invoice a correction invoice corrects.
    pub related_invoice_id: Option<i64>,
    pub project: Option<String>,
    pub lines: Vec<LineInput>,
}

impl Services {
    pub async fn create_customer(
        &self,
        caller: Caller<'_>,
        input: NewCustomerInput,
    ) -> Result<i64, ServiceError> {
        self.authorize_caller(caller, Permission::CreateCustomer)?;
        if input.name.trim().is_empty() {
            return Err(ServiceError::Rules(vec![Violation::new(
                RuleCode::ValidationError,
                Some("name".into()),
                "Give the customer a name",
            )]));
        }
        let mut tx = self.storage.write().await?;
        let id = tx
            .insert_customer(&NewCustomer {
                name: input.name,
                email: input.email,
                currency: input.currency,
                tax_region: input.tax_region,
                billing_address: input.billing_address,
                shipping_address: input.shipping_address,
                created_at: self.now(),
            })
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn create_invoice(
        &self,
        caller: Caller<'_>,
        input: NewInvoiceInput,
    ) -> Result<InvoiceView, ServiceError> {
        self.authorize_caller(caller, Permission::WriteInvoices)?;
        let violations = invoice_line_violations(&input.lines, input.currency);
        if !violations.is_empty() {
            return Err(ServiceError::Rules(violations));
        }
        let now = self.now();
        let mut tx = self.storage.write().await?;
        super::require_customer(&mut tx, input.customer_id).await?;
        check_kind(&mut tx, &input).await?;
        let number = match input.number {
            Some(number) if !number.trim().is_empty() => number.trim().to_string(),
            _ => {
                let year = input.issue_date.year();
                format!("INV-{year:04}-{:05}", tx.next_invoice_sequence(year).await?)
            }
        };
        let id = tx
            .insert_invoice(&NewInvoice {
                number,
                customer_id: input.customer_id,
                currency: input.currency,
                issue_date: input.issue_date,
                due_date: input.due_date,
                kind: input.kind,
                status: input.status,
                related_invoice_id: input.related_invoice_id,
                project: input.project,
                lines: input.lines,
                created_at: now,
            })
            .await?;
        tx.insert_event(&NewEvent {
            invoice_id: Some(id),
            credit_note_id: None,
            at: now,
            actor: None,
            kind: "invoice_created",
            data: serde_json::json!({}),
        })
        .await?;
        let invoice = tx
            .invoice(id)
            .await?
            .ok_or(ServiceError::NotFound("The invoice"))?;
        tx.commit().await?;
        Ok(invoice)
    }

    /// Invoices the user may see: all for staff; a customer's own non-draft ones for a
    /// portal user.
    pub async fn list_invoices(
        &self,
        user: &CurrentUser,
    ) -> Result<Vec<InvoiceView>, ServiceError> {
        self.authorize(user, Permission::ReadInvoices)?;
        let mut tx = self.storage.read().await?;
        match (user.role, user.customer_id) {
            (Role::Customer, Some(customer_id)) => Ok(tx.customer_invoices(customer_id).await?),
            (Role::Customer, None) => Ok(Vec::new()),
            _ => Ok(tx.list_invoices().await?),
        }
    }

    /// One invoice; a portal user gets 404 for anything not its own or still a draft, so ids
    /// cannot be probed.
    pub async fn invoice(&self, user: &CurrentUser, id: i64) -> Result<InvoiceView, ServiceError> {
        self.authorize(user, Permission::ReadInvoices)?;
        let mut tx = self.storage.read().await?;
        let invoice = tx
            .invoice(id)
            .await?
            .ok_or(ServiceError::NotFound("The invoice"))?;
        visible_to(user, invoice)
    }

    /// The invoice and the customer's available credit notes, read in one snapshot.
    pub async fn invoice_page(
        &self,
        user: &CurrentUser,
        id: i64,
    ) -> Result<InvoicePage, ServiceError> {
        self.authorize(user, Permission::ReadInvoices)?;
        let mut tx = self.storage.read().await?;
        let invoice = tx
            .invoice(id)
            .await?
            .ok_or(ServiceError::NotFound("The invoice"))?;
        let invoice = visible_to(user, invoice)?;
        let candidates = if user.may(Permission::ReadInternalDetails) {
            tx.customer_credit_notes(invoice.customer_id, Some(CreditNoteStatus::Available))
                .await?
        } else {
            Vec::new()
        };
        let timeline = if user.may(Permission::ReadInternalDetails) {
            tx.events("invoice_id", id)
                .await?
                .into_iter()
                .map(timeline_event)
                .collect()
        } else {
            Vec::new()
        };
        Ok(InvoicePage {
            invoice,
            candidates,
            viewer: user.clone(),
            timeline,
        })
    }

    /// The portal: a customer user's own invoices (not drafts) and finalized credit notes.
    pub async fn portal(&self, user: &CurrentUser) -> Result<PortalView, ServiceError> {
        let (Role::Customer, Some(customer_id)) = (user.role, user.customer_id) else {
            return Err(ServiceError::Forbidden);
        };
        let mut tx = self.storage.read().await?;
        let customer_name = tx
            .customer_name(customer_id)
            .await?
            .ok_or(ServiceError::NotFound("The customer"))?;
        let invoices = tx.customer_invoices(customer_id).await?;
        let credit_notes = tx
            .customer_credit_notes(customer_id, None)
            .await?
            .into_iter()
            .filter(|note| app::domain::is_finalized(note.status))
            .collect();
        Ok(PortalView {
            customer_name,
            invoices,
            credit_notes,
        })
    }
}

/// Staff see every invoice; a customer user only its own customer's non-draft invoices.
fn visible_to(user: &CurrentUser, invoice: InvoiceView) -> Result<InvoiceView, ServiceError> {
    let visible = user.role.is_internal()
        || (user.customer_id == Some(invoice.customer_id)
            && invoice.status != app::domain::InvoiceStatus::Draft);
    if visible {
        Ok(invoice)
    } else {
        Err(ServiceError::NotFound("The invoice"))
    }
}

/// What makes invoice lines unusable, each on its field. (Correction invoices carry negative
/// quantities, so signs are not checked here.)
fn invoice_line_violations(lines: &[LineInput], currency: Currency) -> Vec<Violation> {
    let invalid = |field: String, message: String| {
        Violation::new(RuleCode::ValidationError, Some(field), message)
    };
    if lines.is_empty() {
        return vec![invalid(
            "lines".into(),
            "An invoice needs at least one line".into(),
        )];
    }
    let mut violations = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.description.trim().is_empty() {
            violations.push(invalid(
                format!("lines[{i}].description"),
                "Describe the line".into(),
            ));
        }
        if currency.to_minor(line.unit_price).is_none() {
            violations.push(invalid(
                format!("lines[{i}].unit_price"),
                currency.too_many_decimals().to_string(),
            ));
        }
        if line.quantity.is_zero() {
            violations.push(invalid(
                format!("lines[{i}].quantity"),
                "The quantity cannot be zero".into(),
            ));
        }
    }
    violations
}

pub use app::model::TimelineEvent;

impl Services {
    /// Invoices matching `filter`, one page; a customer user sees only its own non-draft
    /// invoices, whatever the filter says.
    pub async fn find_invoices(
        &self,
        user: &CurrentUser,
        mut filter: crate::storage::InvoiceFilter,
        page: crate::storage::Page,
    ) -> Result<Vec<InvoiceView>, ServiceError> {
        self.authorize(user, Permission::ReadInvoices)?;
        if !user.role.is_internal() {
            filter.customer_id = Some(user.customer_id.unwrap_or(-1));
            filter.exclude_drafts = true;
        }
        let mut tx = self.storage.read().await?;
        Ok(tx.find_invoices(&filter, page).await?)
    }

    /// The events of an invoice, oldest first (staff only).
    pub async fn invoice_timeline(
        &self,
        user: &CurrentUser,
        id: i64,
    ) -> Result<Vec<TimelineEvent>, ServiceError> {
        self.authorize(user, Permission::ReadInternalDetails)?;
        let mut tx = self.storage.read().await?;
        tx.invoice(id)
            .await?
            .ok_or(ServiceError::NotFound("The invoice"))?;
        let events = tx.events("invoice_id", id).await?;
        Ok(events.into_iter().map(timeline_event).collect())
    }
}

impl Services {
    pub async fn customer(
        &self,
        user: &CurrentUser,
        id: i64,
    ) -> Result<app::model::CustomerView, ServiceError> {
        self.authorize(user, Permission::ReadCustomers)?;
        let mut tx = self.storage.read().await?;
        tx.customer(id)
            .await?
            .ok_or(ServiceError::NotFound("The customer"))
    }

    pub async fn list_customers(
        &self,
        user: &CurrentUser,
        page: crate::storage::Page,
    ) -> Result<Vec<app::model::CustomerView>, ServiceError> {
        self.authorize(user, Permission::ReadCustomers)?;
        let mut tx = self.storage.read().await?;
        Ok(tx.find_customers(page).await?)
    }
}

/// Events are stored with their data as JSON text.
pub fn timeline_event(event: crate::storage::EventRecord) -> TimelineEvent {
    {
        TimelineEvent {
            id: event.id,
            at: event.at,
            actor: event.actor,
            kind: event.kind,
            data: serde_json::from_str(&event.data).unwrap_or(serde_json::Value::Null),
        }
    }
}

/// Standard and advance invoices are worth something; a correction invoice carries negative
/// amounts and names the invoice of the same customer and currency it corrects (−100 EUR
/// neutralizes a 100 EUR invoice).
async fn check_kind(
    tx: &mut Box<dyn crate::storage::Tx>,
    input: &NewInvoiceInput,
) -> Result<(), ServiceError> {
    use app::domain::InvoiceKind;
    let invalid = |field: &str, message: String| {
        ServiceError::Rules(vec![Violation::new(
            RuleCode::ValidationError,
            Some(field.into()),
            message,
        )])
    };
    let total = app::domain::document_totals(&input.lines, input.currency).total;
    match input.kind {
        InvoiceKind::Correction => {
            let Some(related_id) = input.related_invoice_id else {
                return Err(invalid(
                    "related_invoice_id",
                    "A correction invoice names the invoice it corrects".into(),
                ));
            };
            let related = tx.invoice(related_id).await?.ok_or_else(|| {
                invalid(
                    "related_invoice_id",
                    format!("There is no invoice {related_id}"),
                )
            })?;
            if related.customer_id != input.customer_id {
                return Err(ServiceError::Rules(vec![Violation::new(
                    RuleCode::CustomerMismatch,
                    Some("related_invoice_id".into()),
                    "The corrected invoice belongs to another customer",
                )]));
            }
            if related.currency != input.currency {
                return Err(ServiceError::Rules(vec![Violation::new(
                    RuleCode::CurrencyMismatch,
                    Some("currency".into()),
                    format!("The corrected invoice is in {}", related.currency),
                )]));
            }
            if total >= rust_decimal::Decimal::ZERO {
                return Err(invalid(
                    "lines",
                    "A correction invoice carries negative amounts".into(),
                ));
            }
        }
        InvoiceKind::Standard | InvoiceKind::Advance => {
            if total < rust_decimal::Decimal::ZERO {
                return Err(invalid(
                    "lines",
                    "The total is negative; use a correction invoice".into(),
                ));
            }
        }
    }
    Ok(())
}

impl Services {
    /// The tax table (staff).
    pub async fn tax_table(
        &self,
        user: &CurrentUser,
    ) -> Result<app::domain::TaxTable, ServiceError> {
        self.authorize(user, Permission::ReadCustomers)?;
        let mut tx = self.storage.read().await?;
        Ok(tx.tax_table().await?)
    }

    /// Replaces the tax table (administrators). Each region and category once; rates 0–100 %.
    pub async fn set_tax_table(
        &self,
        user: &CurrentUser,
        table: app::domain::TaxTable,
    ) -> Result<app::domain::TaxTable, ServiceError> {
        self.authorize(user, Permission::ManageUsers)?;
        let violations = table.violations();
        if !violations.is_empty() {
            return Err(ServiceError::Rules(violations));
        }
        let mut tx = self.storage.write().await?;
        tx.replace_tax_table(&table).await?;
        let saved = tx.tax_table().await?;
        tx.commit().await?;
        Ok(saved)
    }
}
