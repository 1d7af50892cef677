//! The queries, written once for both backends. SQLite and PostgreSQL accept the same SQL here
//! (`$n` parameters, `RETURNING`, `ON CONFLICT`); the one difference, row locks, is the
//! `lock` argument: `FOR UPDATE` on PostgreSQL, nothing on SQLite (whose write transactions
//! already hold the database).

use app::domain::{
    Charge, CreditNoteStatus, Currency, InvoiceKind, InvoiceStatus, LineInput, document_totals,
};
use app::model::{AllocationView, CommentView, CreditNoteView, InvoiceView, LineView};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{Database, Transaction};

use super::StorageError;

/// A transaction on database `DB`; `locking` is set for write transactions.
pub struct SqlTx<DB: Database> {
    pub tx: Transaction<'static, DB>,
    pub locking: bool,
}

pub const INVOICE_COLUMNS: &str = "SELECT i.id, i.number, i.customer_id, c.name AS customer_name, \
     i.currency, i.issue_date, i.due_date, i.kind, i.status, i.subtotal_minor, i.tax_total_minor, \
     i.total_minor, i.paid_minor, i.credited_minor, i.related_invoice_id, i.project, i.created_at, \
     i.updated_at FROM invoices i JOIN customers c ON c.id = i.customer_id";

pub const CREDIT_NOTE_COLUMNS: &str = "SELECT id, number, customer_id, currency, date, status, reason, \
     related_invoice_id, charge_code, charge_description, subtotal_minor, tax_total_minor, \
     total_minor, allocated_minor, refunded_minor, created_at, finalized_at FROM credit_notes";

pub const CUSTOMER_COLUMNS: &str = "SELECT id, name, email, currency, tax_region, billing_address, \
     shipping_address, created_at FROM customers";

#[derive(sqlx::FromRow)]
pub struct CustomerRow {
    id: i64,
    name: String,
    email: Option<String>,
    currency: String,
    tax_region: String,
    billing_address: String,
    shipping_address: String,
    created_at: DateTime<Utc>,
}

impl CustomerRow {
    pub fn into_view(self) -> Result<app::model::CustomerView, StorageError> {
        // Customers created before addresses were required hold `{}`: read it as empty.
        let address = |json: &str| serde_json::from_str(json).unwrap_or_default();
        Ok(app::model::CustomerView {
            id: self.id,
            name: self.name,
            email: self.email,
            currency: currency(&self.currency)?,
            tax_region: self.tax_region,
            billing_address: address(&self.billing_address),
            shipping_address: address(&self.shipping_address),
            created_at: self.created_at,
        })
    }
}

/// The columns of a document line, with its owner's id as `owner_id`.
pub fn line_columns(owner_column: &str) -> String {
    format!(
        "SELECT {owner_column} AS owner_id, description, quantity, unit_price_minor, \
         discount_percent, tax_rate FROM"
    )
}

/// `$1, $2, …, $n`: the parameters of an `IN (…)` list.
pub fn placeholders(count: usize) -> String {
    (1..=count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub const ALLOCATION_COLUMNS: &str = "SELECT a.id, a.credit_note_id, n.number AS credit_note_number, \
     a.invoice_id, i.number AS invoice_number, a.amount_minor, a.created_at, i.currency \
     FROM allocations a JOIN credit_notes n ON n.id = a.credit_note_id \
     JOIN invoices i ON i.id = a.invoice_id";

#[derive(sqlx::FromRow)]
pub struct InvoiceRow {
    pub id: i64,
    pub number: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub currency: String,
    pub issue_date: NaiveDate,
    pub due_date: Option<NaiveDate>,
    pub kind: String,
    pub status: String,
    pub subtotal_minor: i64,
    pub tax_total_minor: i64,
    pub total_minor: i64,
    pub paid_minor: i64,
    pub credited_minor: i64,
    pub related_invoice_id: Option<i64>,
    pub project: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
pub struct CreditNoteRow {
    pub id: i64,
    pub number: Option<String>,
    pub customer_id: i64,
    pub currency: String,
    pub date: NaiveDate,
    pub status: String,
    pub reason: Option<String>,
    pub related_invoice_id: Option<i64>,
    pub charge_code: Option<String>,
    pub charge_description: Option<String>,
    pub subtotal_minor: i64,
    pub tax_total_minor: i64,
    pub total_minor: i64,
    pub allocated_minor: i64,
    pub refunded_minor: i64,
    pub created_at: DateTime<Utc>,
    pub finalized_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
pub struct LineRow {
    pub owner_id: i64,
    pub description: String,
    pub quantity: String,
    pub unit_price_minor: i64,
    pub discount_percent: String,
    pub tax_rate: String,
}

impl LineRow {
    pub fn into_input(self, currency: Currency) -> Result<LineInput, StorageError> {
        let decimal = |text: &str| {
            text.parse::<rust_decimal::Decimal>()
                .map_err(|e| StorageError::Corrupt(format!("line decimal {text}: {e}")))
        };
        Ok(LineInput {
            description: self.description,
            quantity: decimal(&self.quantity)?,
            unit_price: currency.from_minor(self.unit_price_minor),
            discount_percent: decimal(&self.discount_percent)?,
            tax_rate: decimal(&self.tax_rate)?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct CommentRow {
    pub id: i64,
    pub credit_note_id: i64,
    pub author: Option<String>,
    pub text: String,
    pub created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
pub struct AllocationRow {
    pub id: i64,
    pub credit_note_id: i64,
    pub credit_note_number: Option<String>,
    pub invoice_id: i64,
    pub invoice_number: String,
    pub amount_minor: i64,
    pub created_at: DateTime<Utc>,
    pub currency: String,
}

pub fn currency(code: &str) -> Result<Currency, StorageError> {
    Currency::parse(code).map_err(|e| StorageError::Corrupt(e.to_string()))
}

impl InvoiceRow {
    pub fn into_view(
        self,
        lines: Vec<LineInput>,
        allocations: Vec<AllocationView>,
    ) -> Result<InvoiceView, StorageError> {
        let currency = currency(&self.currency)?;
        Ok(InvoiceView {
            id: self.id,
            number: self.number,
            customer_id: self.customer_id,
            customer_name: self.customer_name,
            currency,
            issue_date: self.issue_date,
            due_date: self.due_date,
            kind: InvoiceKind::parse(&self.kind)
                .ok_or_else(|| StorageError::Corrupt(format!("invoice kind {}", self.kind)))?,
            status: InvoiceStatus::parse(&self.status)
                .ok_or_else(|| StorageError::Corrupt(format!("invoice status {}", self.status)))?,
            lines: lines
                .iter()
                .map(|line| LineView::new(line, currency))
                .collect(),
            subtotal: currency.from_minor(self.subtotal_minor),
            tax_total: currency.from_minor(self.tax_total_minor),
            total: currency.from_minor(self.total_minor),
            paid_amount: currency.from_minor(self.paid_minor),
            credited_amount: currency.from_minor(self.credited_minor),
            related_invoice_id: self.related_invoice_id,
            project: self.project,
            allocations,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

impl CreditNoteRow {
    pub fn into_view(
        self,
        lines: Vec<LineInput>,
        allocations: Vec<AllocationView>,
        comments: Vec<CommentRow>,
    ) -> Result<CreditNoteView, StorageError> {
        let currency = currency(&self.currency)?;
        let total = currency.from_minor(self.total_minor);
        let charge = match (self.charge_code, self.charge_description) {
            (Some(code), Some(description)) => Some(Charge {
                code,
                description,
                amount: total,
            }),
            _ => None,
        };
        Ok(CreditNoteView {
            id: self.id,
            number: self.number,
            customer_id: self.customer_id,
            currency,
            date: self.date,
            status: CreditNoteStatus::parse(&self.status).ok_or_else(|| {
                StorageError::Corrupt(format!("credit note status {}", self.status))
            })?,
            reason: self.reason,
            related_invoice_id: self.related_invoice_id,
            lines: lines
                .iter()
                .map(|line| LineView::new(line, currency))
                .collect(),
            charge,
            subtotal: currency.from_minor(self.subtotal_minor),
            tax_total: currency.from_minor(self.tax_total_minor),
            total,
            allocated_amount: currency.from_minor(self.allocated_minor),
            refunded_amount: currency.from_minor(self.refunded_minor),
            allocations,
            comments: comments
                .into_iter()
                .map(|c| CommentView {
                    id: c.id,
                    author: c.author,
                    text: c.text,
                    created_at: c.created_at,
                })
                .collect(),
            created_at: self.created_at,
            finalized_at: self.finalized_at,
        })
    }
}

impl AllocationRow {
    pub fn into_view(self) -> Result<AllocationView, StorageError> {
        let currency = currency(&self.currency)?;
        Ok(AllocationView {
            id: self.id,
            credit_note_id: self.credit_note_id,
            credit_note_number: self.credit_note_number,
            invoice_id: self.invoice_id,
            invoice_number: self.invoice_number,
            amount: currency.from_minor(self.amount_minor),
            created_at: self.created_at,
        })
    }
}

/// A line as stored: decimals as exact text, money in minor units.
pub struct LineRecord {
    pub position: i64,
    pub description: String,
    pub quantity: String,
    pub unit_price_minor: i64,
    pub discount_percent: String,
    pub tax_rate: String,
    pub net_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
}

/// Document totals in minor units, and the lines to store.
pub fn line_records(
    lines: &[LineInput],
    currency: Currency,
) -> Result<([i64; 3], Vec<LineRecord>), StorageError> {
    let minor = |amount| {
        currency
            .to_minor(amount)
            .ok_or_else(|| StorageError::Corrupt(format!("amount {amount} does not fit")))
    };
    let totals = document_totals(lines, currency);
    let records = lines
        .iter()
        .enumerate()
        .map(|(position, line)| {
            let amounts = line.amounts(currency);
            Ok(LineRecord {
                position: position as i64,
                description: line.description.clone(),
                quantity: line.quantity.normalize().to_string(),
                unit_price_minor: minor(line.unit_price)?,
                discount_percent: line.discount_percent.normalize().to_string(),
                tax_rate: line.tax_rate.normalize().to_string(),
                net_minor: minor(amounts.net)?,
                tax_minor: minor(amounts.tax)?,
                total_minor: minor(amounts.total)?,
            })
        })
        .collect::<Result<Vec<_>, StorageError>>()?;
    Ok((
        [
            minor(totals.subtotal)?,
            minor(totals.tax_total)?,
            minor(totals.total)?,
        ],
        records,
    ))
}

/// Implements [`super::Tx`] for `SqlTx<$db>`; `$lock` is appended to reads that must lock.
macro_rules! impl_sql_tx {
    ($db:ty, $lock:literal) => {
        impl crate::storage::sql::SqlTx<$db> {
            fn lock(&self) -> &'static str {
                if self.locking { $lock } else { "" }
            }

            /// The allocations of these invoices or credit notes (`column` names which), by
            /// owner: one query for a whole page.
            async fn allocations_of(
                &mut self,
                column: &str,
                ids: &[i64],
            ) -> Result<std::collections::HashMap<i64, Vec<app::model::AllocationView>>, crate::storage::StorageError> {
                let mut by_owner: std::collections::HashMap<i64, Vec<app::model::AllocationView>> =
                    std::collections::HashMap::new();
                if ids.is_empty() {
                    return Ok(by_owner);
                }
                let sql = format!(
                    "{} WHERE a.{column} IN ({}) ORDER BY a.id",
                    crate::storage::sql::ALLOCATION_COLUMNS,
                    crate::storage::sql::placeholders(ids.len())
                );
                let mut query = sqlx::query_as::<_, crate::storage::sql::AllocationRow>(&sql);
                for id in ids {
                    query = query.bind(*id);
                }
                for row in query.fetch_all(&mut *self.tx).await? {
                    let owner = if column == "invoice_id" { row.invoice_id } else { row.credit_note_id };
                    by_owner.entry(owner).or_default().push(row.into_view()?);
                }
                Ok(by_owner)
            }

            /// The lines of these documents, by owner, in position order: one query.
            async fn lines_of(
                &mut self,
                table: &str,
                owner_column: &str,
                ids: &[i64],
            ) -> Result<std::collections::HashMap<i64, Vec<crate::storage::sql::LineRow>>, crate::storage::StorageError> {
                let mut by_owner: std::collections::HashMap<i64, Vec<crate::storage::sql::LineRow>> =
                    std::collections::HashMap::new();
                if ids.is_empty() {
                    return Ok(by_owner);
                }
                let sql = format!(
                    "{} {table} WHERE {owner_column} IN ({}) ORDER BY {owner_column}, position",
                    crate::storage::sql::line_columns(owner_column),
                    crate::storage::sql::placeholders(ids.len())
                );
                let mut query = sqlx::query_as::<_, crate::storage::sql::LineRow>(&sql);
                for id in ids {
                    query = query.bind(*id);
                }
                for row in query.fetch_all(&mut *self.tx).await? {
                    by_owner.entry(row.owner_id).or_default().push(row);
                }
                Ok(by_owner)
            }

            /// Invoice rows with their lines and allocations: one query per table.
            async fn complete_invoices(
                &mut self,
                rows: Vec<crate::storage::sql::InvoiceRow>,
            ) -> Result<Vec<app::model::InvoiceView>, crate::storage::StorageError> {
                let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
                let mut lines = self.lines_of("invoice_lines", "invoice_id", &ids).await?;
                let mut allocations = self.allocations_of("invoice_id", &ids).await?;
                rows.into_iter()
                    .map(|row| {
                        let currency = crate::storage::sql::currency(&row.currency)?;
                        let lines = lines
                            .remove(&row.id)
                            .unwrap_or_default()
                            .into_iter()
                            .map(|line| line.into_input(currency))
                            .collect::<Result<Vec<_>, _>>()?;
                        let allocations = allocations.remove(&row.id).unwrap_or_default();
                        row.into_view(lines, allocations)
                    })
                    .collect()
            }

            /// Credit-note rows with their lines, allocations and comments: one query per table.
            async fn complete_notes(
                &mut self,
                rows: Vec<crate::storage::sql::CreditNoteRow>,
            ) -> Result<Vec<app::model::CreditNoteView>, crate::storage::StorageError> {
                let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
                let mut lines = self.lines_of("credit_note_lines", "credit_note_id", &ids).await?;
                let mut allocations = self.allocations_of("credit_note_id", &ids).await?;
                let mut comments: std::collections::HashMap<i64, Vec<crate::storage::sql::CommentRow>> =
                    std::collections::HashMap::new();
                if !ids.is_empty() {
                    let sql = format!(
                        "SELECT id, credit_note_id, author, text, created_at FROM comments \
                         WHERE credit_note_id IN ({}) ORDER BY id",
                        crate::storage::sql::placeholders(ids.len())
                    );
                    let mut query = sqlx::query_as::<_, crate::storage::sql::CommentRow>(&sql);
                    for id in &ids {
                        query = query.bind(*id);
                    }
                    for row in query.fetch_all(&mut *self.tx).await? {
                        comments.entry(row.credit_note_id).or_default().push(row);
                    }
                }
                rows.into_iter()
                    .map(|row| {
                        let currency = crate::storage::sql::currency(&row.currency)?;
                        let lines = lines
                            .remove(&row.id)
                            .unwrap_or_default()
                            .into_iter()
                            .map(|line| line.into_input(currency))
                            .collect::<Result<Vec<_>, _>>()?;
                        let allocations = allocations.remove(&row.id).unwrap_or_default();
                        let comments = comments.remove(&row.id).unwrap_or_default();
                        row.into_view(lines, allocations, comments)
                    })
                    .collect()
            }

            async fn complete_invoice(
                &mut self,
                row: crate::storage::sql::InvoiceRow,
            ) -> Result<app::model::InvoiceView, crate::storage::StorageError> {
                self.complete_invoices(vec![row])
                    .await?
                    .pop()
                    .ok_or_else(|| crate::storage::StorageError::Corrupt("an invoice vanished".into()))
            }

            async fn insert_lines(
                &mut self,
                table: &str,
                owner_column: &str,
                owner_id: i64,
                lines: Vec<crate::storage::sql::LineRecord>,
            ) -> Result<(), crate::storage::StorageError> {
                let sql = format!(
                    "INSERT INTO {table} ({owner_column}, position, description, quantity, \
                     unit_price_minor, discount_percent, tax_rate, net_minor, tax_minor, total_minor) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
                );
                for line in lines {
                    sqlx::query(&sql)
                        .bind(owner_id)
                        .bind(line.position)
                        .bind(line.description)
                        .bind(line.quantity)
                        .bind(line.unit_price_minor)
                        .bind(line.discount_percent)
                        .bind(line.tax_rate)
                        .bind(line.net_minor)
                        .bind(line.tax_minor)
                        .bind(line.total_minor)
                        .execute(&mut *self.tx)
                        .await?;
                }
                Ok(())
            }
        }

        #[async_trait::async_trait]
        impl crate::storage::Tx for crate::storage::sql::SqlTx<$db> {
            async fn insert_customer(
                &mut self,
                customer: &crate::storage::NewCustomer,
            ) -> Result<i64, crate::storage::StorageError> {
                let address = |a: &app::model::Address| serde_json::to_string(a).unwrap_or_default();
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO customers (name, email, currency, tax_region, billing_address, \
                     shipping_address, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(&customer.name)
                .bind(&customer.email)
                .bind(customer.currency.code())
                .bind(&customer.tax_region)
                .bind(address(&customer.billing_address))
                .bind(address(&customer.shipping_address))
                .bind(customer.created_at)
                .fetch_one(&mut *self.tx)
                .await?;
                Ok(id)
            }

            async fn insert_invoice(
                &mut self,
                invoice: &crate::storage::NewInvoice,
            ) -> Result<i64, crate::storage::StorageError> {
                let ([subtotal, tax_total, total], lines) =
                    crate::storage::sql::line_records(&invoice.lines, invoice.currency)?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO invoices (number, customer_id, currency, issue_date, due_date, \
                     status, subtotal_minor, tax_total_minor, total_minor, created_at, updated_at, \
                     kind, related_invoice_id, project) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $12, $13) RETURNING id",
                )
                .bind(&invoice.number)
                .bind(invoice.customer_id)
                .bind(invoice.currency.code())
                .bind(invoice.issue_date)
                .bind(invoice.due_date)
                .bind(invoice.status.as_str())
                .bind(subtotal)
                .bind(tax_total)
                .bind(total)
                .bind(invoice.created_at)
                .bind(invoice.kind.as_str())
                .bind(invoice.related_invoice_id)
                .bind(&invoice.project)
                .fetch_one(&mut *self.tx)
                .await?;
                self.insert_lines("invoice_lines", "invoice_id", id, lines).await?;
                Ok(id)
            }

            async fn insert_credit_note(
                &mut self,
                note: &crate::storage::NewCreditNote,
            ) -> Result<i64, crate::storage::StorageError> {
                let (lines, charge) = match &note.content {
                    app::domain::CreditContent::Lines(lines) => (lines.as_slice(), None),
                    app::domain::CreditContent::Charge(charge) => (&[][..], Some(charge)),
                };
                let (_, lines) = crate::storage::sql::line_records(lines, note.currency)?;
                let totals = note.content.totals(note.currency);
                let minor = |amount| {
                    note.currency.to_minor(amount).ok_or_else(|| {
                        crate::storage::StorageError::Corrupt(format!("amount {amount} does not fit"))
                    })
                };
                let (subtotal, tax_total, total) =
                    (minor(totals.subtotal)?, minor(totals.tax_total)?, minor(totals.total)?);
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO credit_notes (customer_id, currency, date, status, reason, \
                     related_invoice_id, subtotal_minor, tax_total_minor, total_minor, created_at, \
                     charge_code, charge_description) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
                )
                .bind(note.customer_id)
                .bind(note.currency.code())
                .bind(note.date)
                .bind(note.status.as_str())
                .bind(&note.reason)
                .bind(note.related_invoice_id)
                .bind(subtotal)
                .bind(tax_total)
                .bind(total)
                .bind(note.created_at)
                .bind(charge.map(|c| c.code.clone()))
                .bind(charge.map(|c| c.description.clone()))
                .fetch_one(&mut *self.tx)
                .await?;
                self.insert_lines("credit_note_lines", "credit_note_id", id, lines).await?;
                Ok(id)
            }

            async fn list_invoices(
                &mut self,
            ) -> Result<Vec<app::model::InvoiceView>, crate::storage::StorageError> {
                let sql = format!(
                    "{} ORDER BY i.issue_date DESC, i.id DESC",
                    crate::storage::sql::INVOICE_COLUMNS
                );
                let rows = sqlx::query_as::<_, crate::storage::sql::InvoiceRow>(&sql)
                    .fetch_all(&mut *self.tx)
                    .await?;
                self.complete_invoices(rows).await
            }

            async fn invoice(
                &mut self,
                id: i64,
            ) -> Result<Option<app::model::InvoiceView>, crate::storage::StorageError> {
                if self.locking {
                    let sql = format!("SELECT id FROM invoices WHERE id = $1{}", self.lock());
                    sqlx::query(&sql).bind(id).fetch_optional(&mut *self.tx).await?;
                }
                let sql = format!("{} WHERE i.id = $1", crate::storage::sql::INVOICE_COLUMNS);
                let Some(row) = sqlx::query_as::<_, crate::storage::sql::InvoiceRow>(&sql)
                    .bind(id)
                    .fetch_optional(&mut *self.tx)
                    .await?
                else {
                    return Ok(None);
                };
                self.complete_invoice(row).await.map(Some)
            }

            async fn customer_credit_notes(
                &mut self,
                customer_id: i64,
                status: Option<app::domain::CreditNoteStatus>,
                page: crate::storage::Page,
            ) -> Result<Vec<app::model::CreditNoteView>, crate::storage::StorageError> {
                // Oldest first by date, then id; the cursor is the last note's id.
                let sql = format!(
                    "{} WHERE customer_id = $1 AND ($2 IS NULL OR status = $2) \
                     AND ($3 = 0 OR (date, id) > (SELECT date, id FROM credit_notes WHERE id = $3)) \
                     ORDER BY date, id LIMIT $4",
                    crate::storage::sql::CREDIT_NOTE_COLUMNS
                );
                let rows = sqlx::query_as::<_, crate::storage::sql::CreditNoteRow>(&sql)
                    .bind(customer_id)
                    .bind(status.map(|s| s.as_str()))
                    .bind(page.after)
                    .bind(page.limit)
                    .fetch_all(&mut *self.tx)
                    .await?;
                self.complete_notes(rows).await
            }

            async fn credit_notes(
                &mut self,
                ids: &[i64],
            ) -> Result<Vec<app::model::CreditNoteView>, crate::storage::StorageError> {
                let mut ids = ids.to_vec();
                ids.sort_unstable();
                ids.dedup();
                let sql = format!(
                    "{} WHERE id = $1{}",
                    crate::storage::sql::CREDIT_NOTE_COLUMNS,
                    self.lock()
                );
                let mut rows = Vec::with_capacity(ids.len());
                // One id at a time, ascending: locks are always taken in the same order.
                for id in ids {
                    if let Some(row) = sqlx::query_as::<_, crate::storage::sql::CreditNoteRow>(&sql)
                        .bind(id)
                        .fetch_optional(&mut *self.tx)
                        .await?
                    {
                        rows.push(row);
                    }
                }
                self.complete_notes(rows).await
            }

            async fn insert_allocation(
                &mut self,
                invoice_id: i64,
                credit_note_id: i64,
                amount_minor: i64,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<app::model::AllocationView, crate::storage::StorageError> {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO allocations (credit_note_id, invoice_id, amount_minor, created_at) \
                     VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(credit_note_id)
                .bind(invoice_id)
                .bind(amount_minor)
                .bind(at)
                .fetch_one(&mut *self.tx)
                .await?;
                let sql = format!("{} WHERE a.id = $1", crate::storage::sql::ALLOCATION_COLUMNS);
                sqlx::query_as::<_, crate::storage::sql::AllocationRow>(&sql)
                    .bind(id)
                    .fetch_one(&mut *self.tx)
                    .await?
                    .into_view()
            }

            async fn set_invoice_balance(
                &mut self,
                id: i64,
                paid_minor: i64,
                credited_minor: i64,
                status: app::domain::InvoiceStatus,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query(
                    "UPDATE invoices SET paid_minor = $2, credited_minor = $3, status = $4, \
                     updated_at = $5 WHERE id = $1",
                )
                .bind(id)
                .bind(paid_minor)
                .bind(credited_minor)
                .bind(status.as_str())
                .bind(at)
                .execute(&mut *self.tx)
                .await?;
                Ok(())
            }

            async fn set_credit_note_balance(
                &mut self,
                id: i64,
                allocated_minor: i64,
                refunded_minor: i64,
                status: app::domain::CreditNoteStatus,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query(
                    "UPDATE credit_notes SET allocated_minor = $2, refunded_minor = $3, status = $4 \
                     WHERE id = $1",
                )
                .bind(id)
                .bind(allocated_minor)
                .bind(refunded_minor)
                .bind(status.as_str())
                .execute(&mut *self.tx)
                .await?;
                Ok(())
            }

            async fn finalize_credit_note(
                &mut self,
                id: i64,
                number: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query(
                    "UPDATE credit_notes SET number = $2, status = 'available', finalized_at = $3 \
                     WHERE id = $1",
                )
                .bind(id)
                .bind(number)
                .bind(at)
                .execute(&mut *self.tx)
                .await?;
                Ok(())
            }

            async fn next_credit_note_sequence(
                &mut self,
                year: i32,
            ) -> Result<i64, crate::storage::StorageError> {
                let next: i64 = sqlx::query_scalar(
                    "INSERT INTO credit_note_counters (year, last_number) VALUES ($1, 1) \
                     ON CONFLICT (year) DO UPDATE \
                     SET last_number = credit_note_counters.last_number + 1 \
                     RETURNING last_number",
                )
                .bind(year)
                .fetch_one(&mut *self.tx)
                .await?;
                Ok(next)
            }

            async fn insert_event(
                &mut self,
                event: &crate::storage::NewEvent,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query(
                    "INSERT INTO timeline_events (invoice_id, credit_note_id, at, actor, kind, data) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(event.invoice_id)
                .bind(event.credit_note_id)
                .bind(event.at)
                .bind(&event.actor)
                .bind(event.kind.as_str())
                .bind(event.data.to_string())
                .execute(&mut *self.tx)
                .await?;
                Ok(())
            }

            async fn customer(
                &mut self,
                id: i64,
            ) -> Result<Option<app::model::CustomerView>, crate::storage::StorageError> {
                let sql = format!("{} WHERE id = $1", crate::storage::sql::CUSTOMER_COLUMNS);
                sqlx::query_as::<_, crate::storage::sql::CustomerRow>(&sql)
                    .bind(id)
                    .fetch_optional(&mut *self.tx)
                    .await?
                    .map(crate::storage::sql::CustomerRow::into_view)
                    .transpose()
            }

            async fn find_customers(
                &mut self,
                page: crate::storage::Page,
            ) -> Result<Vec<app::model::CustomerView>, crate::storage::StorageError> {
                let sql = format!("{} WHERE id > $1 ORDER BY id LIMIT $2", crate::storage::sql::CUSTOMER_COLUMNS);
                sqlx::query_as::<_, crate::storage::sql::CustomerRow>(&sql)
                    .bind(page.after)
                    .bind(page.limit)
                    .fetch_all(&mut *self.tx)
                    .await?
                    .into_iter()
                    .map(crate::storage::sql::CustomerRow::into_view)
                    .collect()
            }

            async fn customer_exists(&mut self, id: i64) -> Result<bool, crate::storage::StorageError> {
                let found: Option<i64> = sqlx::query_scalar("SELECT id FROM customers WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *self.tx)
                    .await?;
                Ok(found.is_some())
            }

            async fn customer_invoices(
                &mut self,
                customer_id: i64,
            ) -> Result<Vec<app::model::InvoiceView>, crate::storage::StorageError> {
                let sql = format!(
                    "{} WHERE i.customer_id = $1 AND i.status <> 'draft' ORDER BY i.issue_date DESC, i.id DESC",
                    crate::storage::sql::INVOICE_COLUMNS
                );
                let rows = sqlx::query_as::<_, crate::storage::sql::InvoiceRow>(&sql)
                    .bind(customer_id)
                    .fetch_all(&mut *self.tx)
                    .await?;
                self.complete_invoices(rows).await
            }

            async fn customer_name(&mut self, id: i64) -> Result<Option<String>, crate::storage::StorageError> {
                Ok(sqlx::query_scalar("SELECT name FROM customers WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *self.tx)
                    .await?)
            }

            async fn insert_user(
                &mut self,
                user: &crate::storage::NewUser,
            ) -> Result<i64, crate::storage::StorageError> {
                let inserted = sqlx::query_scalar(
                    "INSERT INTO users (email, password_hash, role, customer_id, created_at) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(&user.email)
                .bind(&user.password_hash)
                .bind(user.role.as_str())
                .bind(user.customer_id)
                .bind(user.created_at)
                .fetch_one(&mut *self.tx)
                .await;
                match inserted {
                    Ok(id) => Ok(id),
                    Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
                        Err(crate::storage::StorageError::Duplicate("A user with this email"))
                    }
                    Err(error) => Err(error.into()),
                }
            }

            async fn user_by_email(
                &mut self,
                email: &str,
            ) -> Result<Option<crate::storage::UserRecord>, crate::storage::StorageError> {
                Ok(sqlx::query_as(
                    "SELECT id, email, password_hash, role, customer_id FROM users WHERE email = $1",
                )
                .bind(email)
                .fetch_optional(&mut *self.tx)
                .await?)
            }

            async fn user_by_id(
                &mut self,
                id: i64,
            ) -> Result<Option<crate::storage::UserRecord>, crate::storage::StorageError> {
                Ok(sqlx::query_as(
                    "SELECT id, email, password_hash, role, customer_id FROM users WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&mut *self.tx)
                .await?)
            }

            async fn insert_api_token(
                &mut self,
                user_id: i64,
                token_hash: &str,
                created_at: chrono::DateTime<chrono::Utc>,
                expires_at: chrono::DateTime<chrono::Utc>,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query(
                    "INSERT INTO api_tokens (user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(user_id)
                .bind(token_hash)
                .bind(created_at)
                .bind(expires_at)
                .execute(&mut *self.tx)
                .await?;
                Ok(())
            }

            async fn revoke_api_token(
                &mut self,
                token_hash: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query(
                    "UPDATE api_tokens SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL",
                )
                .bind(token_hash)
                .bind(at)
                .execute(&mut *self.tx)
                .await?;
                Ok(())
            }

            async fn api_token(
                &mut self,
                token_hash: &str,
            ) -> Result<Option<crate::storage::TokenRecord>, crate::storage::StorageError> {
                Ok(sqlx::query_as(
                    "SELECT user_id, expires_at, revoked_at FROM api_tokens WHERE token_hash = $1",
                )
                .bind(token_hash)
                .fetch_optional(&mut *self.tx)
                .await?)
            }

            async fn lock_sign_in_throttle(
                &mut self,
                key: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> Result<crate::storage::ThrottleRecord, crate::storage::StorageError> {
                // One statement inserts the row or takes the existing one's lock (the no-op
                // update locks it on PostgreSQL; SQLite's IMMEDIATE transaction holds all).
                Ok(sqlx::query_as(
                    "INSERT INTO sign_in_throttle (key, attempts, window_started_at, locked_until) \
                     VALUES ($1, 0, $2, NULL) ON CONFLICT (key) DO UPDATE SET \
                     attempts = sign_in_throttle.attempts \
                     RETURNING attempts, window_started_at, locked_until",
                )
                .bind(key)
                .bind(now)
                .fetch_one(&mut *self.tx)
                .await?)
            }

            async fn set_sign_in_throttle(
                &mut self,
                key: &str,
                throttle: &crate::storage::ThrottleRecord,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query(
                    "UPDATE sign_in_throttle SET attempts = $2, window_started_at = $3, \
                     locked_until = $4 WHERE key = $1",
                )
                .bind(key)
                .bind(throttle.attempts)
                .bind(throttle.window_started_at)
                .bind(throttle.locked_until)
                .execute(&mut *self.tx)
                .await?;
                Ok(())
            }

            async fn delete_sign_in_throttle(
                &mut self,
                key: &str,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query("DELETE FROM sign_in_throttle WHERE key = $1")
                    .bind(key)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(())
            }

            async fn sign_in_throttle(
                &mut self,
                key: &str,
            ) -> Result<Option<crate::storage::ThrottleRecord>, crate::storage::StorageError> {
                Ok(sqlx::query_as(
                    "SELECT attempts, window_started_at, locked_until FROM sign_in_throttle WHERE key = $1",
                )
                .bind(key)
                .fetch_optional(&mut *self.tx)
                .await?)
            }

            async fn find_invoices(
                &mut self,
                filter: &crate::storage::InvoiceFilter,
                page: crate::storage::Page,
            ) -> Result<Vec<app::model::InvoiceView>, crate::storage::StorageError> {
                let sql = format!(
                    "{} WHERE i.id > $1 AND ($2 IS NULL OR i.customer_id = $2) \
                     AND ($3 IS NULL OR i.status = $3) AND ($4 IS NULL OR i.currency = $4) \
                     AND ($5 IS NULL OR i.number = $5) AND ($6 = FALSE OR i.status <> 'draft') \
                     ORDER BY i.id LIMIT $7",
                    crate::storage::sql::INVOICE_COLUMNS
                );
                let rows = sqlx::query_as::<_, crate::storage::sql::InvoiceRow>(&sql)
                    .bind(page.after)
                    .bind(filter.customer_id)
                    .bind(filter.status.map(|s| s.as_str()))
                    .bind(filter.currency.map(|c| c.code()))
                    .bind(filter.number.as_deref())
                    .bind(filter.exclude_drafts)
                    .bind(page.limit)
                    .fetch_all(&mut *self.tx)
                    .await?;
                self.complete_invoices(rows).await
            }

            async fn find_credit_notes(
                &mut self,
                filter: &crate::storage::CreditNoteFilter,
                page: crate::storage::Page,
            ) -> Result<Vec<app::model::CreditNoteView>, crate::storage::StorageError> {
                let sql = format!(
                    "{} WHERE id > $1 AND ($2 IS NULL OR customer_id = $2) \
                     AND ($3 IS NULL OR status = $3) AND ($4 IS NULL OR currency = $4) \
                     AND ($5 IS NULL OR number = $5) AND ($6 IS NULL OR date >= $6) \
                     AND ($7 IS NULL OR date <= $7) AND ($8 IS NULL OR related_invoice_id = $8) \
                     AND ($9 = FALSE OR number IS NOT NULL) ORDER BY id LIMIT $10",
                    crate::storage::sql::CREDIT_NOTE_COLUMNS
                );
                let rows = sqlx::query_as::<_, crate::storage::sql::CreditNoteRow>(&sql)
                    .bind(page.after)
                    .bind(filter.customer_id)
                    .bind(filter.status.map(|s| s.as_str()))
                    .bind(filter.currency.map(|c| c.code()))
                    .bind(filter.number.as_deref())
                    .bind(filter.date_from)
                    .bind(filter.date_to)
                    .bind(filter.related_invoice_id)
                    .bind(filter.finalized_only)
                    .bind(page.limit)
                    .fetch_all(&mut *self.tx)
                    .await?;
                self.complete_notes(rows).await
            }

            async fn invoice_number_taken(&mut self, number: &str) -> Result<bool, crate::storage::StorageError> {
                let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM invoices WHERE number = $1")
                    .bind(number)
                    .fetch_one(&mut *self.tx)
                    .await?;
                Ok(count > 0)
            }

            async fn set_invoice_number(&mut self, id: i64, number: &str) -> Result<(), crate::storage::StorageError> {
                sqlx::query("UPDATE invoices SET number = $2 WHERE id = $1")
                    .bind(id)
                    .bind(number)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(())
            }

            async fn payment_count(&mut self, invoice_id: i64) -> Result<i64, crate::storage::StorageError> {
                Ok(sqlx::query_scalar("SELECT COUNT(*) FROM payments WHERE invoice_id = $1")
                    .bind(invoice_id)
                    .fetch_one(&mut *self.tx)
                    .await?)
            }

            async fn related_credit_note_count(&mut self, invoice_id: i64) -> Result<i64, crate::storage::StorageError> {
                Ok(sqlx::query_scalar("SELECT COUNT(*) FROM credit_notes WHERE related_invoice_id = $1")
                    .bind(invoice_id)
                    .fetch_one(&mut *self.tx)
                    .await?)
            }

            async fn next_invoice_sequence(
                &mut self,
                year: i32,
            ) -> Result<i64, crate::storage::StorageError> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO invoice_counters (year, last_number) VALUES ($1, 1) \
                     ON CONFLICT (year) DO UPDATE SET last_number = invoice_counters.last_number + 1 \
                     RETURNING last_number",
                )
                .bind(year)
                .fetch_one(&mut *self.tx)
                .await?)
            }

            async fn set_credit_note_status(
                &mut self,
                id: i64,
                status: app::domain::CreditNoteStatus,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query("UPDATE credit_notes SET status = $2 WHERE id = $1")
                    .bind(id)
                    .bind(status.as_str())
                    .execute(&mut *self.tx)
                    .await?;
                Ok(())
            }

            async fn insert_comment(
                &mut self,
                credit_note_id: i64,
                author: Option<&str>,
                text: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query(
                    "INSERT INTO comments (credit_note_id, author, text, created_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(credit_note_id)
                .bind(author)
                .bind(text)
                .bind(at)
                .execute(&mut *self.tx)
                .await?;
                Ok(())
            }

            async fn allocation(
                &mut self,
                id: i64,
            ) -> Result<Option<app::model::AllocationView>, crate::storage::StorageError> {
                let sql = format!("{} WHERE a.id = $1", crate::storage::sql::ALLOCATION_COLUMNS);
                sqlx::query_as::<_, crate::storage::sql::AllocationRow>(&sql)
                    .bind(id)
                    .fetch_optional(&mut *self.tx)
                    .await?
                    .map(crate::storage::sql::AllocationRow::into_view)
                    .transpose()
            }

            async fn delete_allocation(&mut self, id: i64) -> Result<(), crate::storage::StorageError> {
                sqlx::query("DELETE FROM allocations WHERE id = $1")
                    .bind(id)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(())
            }

            async fn events(
                &mut self,
                column: &'static str,
                id: i64,
                page: crate::storage::Page,
            ) -> Result<Vec<crate::storage::EventRecord>, crate::storage::StorageError> {
                // Oldest first by time, then id; the cursor is the last event's id.
                let sql = format!(
                    "SELECT id, at, actor, kind, data FROM timeline_events WHERE {column} = $1 \
                     AND ($2 = 0 OR (at, id) > (SELECT at, id FROM timeline_events WHERE id = $2)) \
                     ORDER BY at, id LIMIT $3"
                );
                Ok(sqlx::query_as(&sql)
                    .bind(id)
                    .bind(page.after)
                    .bind(page.limit)
                    .fetch_all(&mut *self.tx)
                    .await?)
            }

            async fn stored_response(
                &mut self,
                user_id: i64,
                key: &str,
            ) -> Result<Option<crate::storage::StoredResponse>, crate::storage::StorageError> {
                Ok(sqlx::query_as(
                    "SELECT request_hash, status, body, created_at FROM idempotency_keys \
                     WHERE user_id = $1 AND key = $2",
                )
                .bind(user_id)
                .bind(key)
                .fetch_optional(&mut *self.tx)
                .await?)
            }

            async fn claim_response(
                &mut self,
                user_id: i64,
                key: &str,
                response: &crate::storage::StoredResponse,
            ) -> Result<bool, crate::storage::StorageError> {
                let inserted = sqlx::query(
                    "INSERT INTO idempotency_keys (user_id, key, request_hash, status, body, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id, key) DO NOTHING",
                )
                .bind(user_id)
                .bind(key)
                .bind(&response.request_hash)
                .bind(response.status)
                .bind(&response.body)
                .bind(response.created_at)
                .execute(&mut *self.tx)
                .await?;
                Ok(inserted.rows_affected() == 1)
            }

            async fn reclaim_response(
                &mut self,
                user_id: i64,
                key: &str,
                response: &crate::storage::StoredResponse,
                expired_before: chrono::DateTime<chrono::Utc>,
                abandoned_before: chrono::DateTime<chrono::Utc>,
            ) -> Result<bool, crate::storage::StorageError> {
                let updated = sqlx::query(
                    "UPDATE idempotency_keys SET request_hash = $3, status = $4, body = $5, created_at = $6 \
                     WHERE user_id = $1 AND key = $2 \
                     AND (created_at < $7 OR status >= 500 OR (status = 0 AND created_at < $8))",
                )
                .bind(user_id)
                .bind(key)
                .bind(&response.request_hash)
                .bind(response.status)
                .bind(&response.body)
                .bind(response.created_at)
                .bind(expired_before)
                .bind(abandoned_before)
                .execute(&mut *self.tx)
                .await?;
                Ok(updated.rows_affected() == 1)
            }

            async fn store_response(
                &mut self,
                user_id: i64,
                key: &str,
                response: &crate::storage::StoredResponse,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query(
                    "INSERT INTO idempotency_keys (user_id, key, request_hash, status, body, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id, key) DO UPDATE SET \
                     request_hash = excluded.request_hash, status = excluded.status, \
                     body = excluded.body, created_at = excluded.created_at",
                )
                .bind(user_id)
                .bind(key)
                .bind(&response.request_hash)
                .bind(response.status)
                .bind(&response.body)
                .bind(response.created_at)
                .execute(&mut *self.tx)
                .await?;
                Ok(())
            }

            async fn insert_payment(
                &mut self,
                invoice_id: i64,
                amount_minor: i64,
                date: chrono::NaiveDate,
                method: Option<&str>,
                reference: Option<&str>,
                from_mark_paid: bool,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query(
                    "INSERT INTO payments (invoice_id, amount_minor, date, method, reference, from_mark_paid, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(invoice_id)
                .bind(amount_minor)
                .bind(date)
                .bind(method)
                .bind(reference)
                .bind(from_mark_paid)
                .bind(at)
                .execute(&mut *self.tx)
                .await?;
                Ok(())
            }

            async fn mark_paid_payments(&mut self, invoice_id: i64) -> Result<i64, crate::storage::StorageError> {
                let sum: Option<i64> = sqlx::query_scalar(
                    "SELECT CAST(SUM(amount_minor) AS BIGINT) FROM payments WHERE invoice_id = $1 AND from_mark_paid = TRUE",
                )
                .bind(invoice_id)
                .fetch_one(&mut *self.tx)
                .await?;
                Ok(sum.unwrap_or(0))
            }

            async fn remove_mark_paid_payments(&mut self, invoice_id: i64) -> Result<i64, crate::storage::StorageError> {
                let sum = self.mark_paid_payments(invoice_id).await?;
                sqlx::query("DELETE FROM payments WHERE invoice_id = $1 AND from_mark_paid = TRUE")
                    .bind(invoice_id)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(sum)
            }

            async fn insert_refund(
                &mut self,
                credit_note_id: i64,
                amount_minor: i64,
                date: chrono::NaiveDate,
                method: Option<&str>,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query(
                    "INSERT INTO refunds (credit_note_id, amount_minor, date, method, created_at) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(credit_note_id)
                .bind(amount_minor)
                .bind(date)
                .bind(method)
                .bind(at)
                .execute(&mut *self.tx)
                .await?;
                Ok(())
            }

            async fn update_invoice(
                &mut self,
                id: i64,
                customer_id: i64,
                currency: app::domain::Currency,
                due_date: Option<chrono::NaiveDate>,
                lines: &[app::domain::LineInput],
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<(), crate::storage::StorageError> {
                let ([subtotal, tax_total, total], records) = crate::storage::sql::line_records(lines, currency)?;
                sqlx::query(
                    "UPDATE invoices SET customer_id = $2, currency = $3, due_date = $4, subtotal_minor = $5, \
                     tax_total_minor = $6, total_minor = $7, updated_at = $8 WHERE id = $1",
                )
                .bind(id)
                .bind(customer_id)
                .bind(currency.code())
                .bind(due_date)
                .bind(subtotal)
                .bind(tax_total)
                .bind(total)
                .bind(at)
                .execute(&mut *self.tx)
                .await?;
                sqlx::query("DELETE FROM invoice_lines WHERE invoice_id = $1")
                    .bind(id)
                    .execute(&mut *self.tx)
                    .await?;
                self.insert_lines("invoice_lines", "invoice_id", id, records).await
            }

            async fn update_credit_note(
                &mut self,
                update: &crate::storage::CreditNoteUpdate<'_>,
            ) -> Result<(), crate::storage::StorageError> {
                let currency = update.currency;
                let (lines, charge) = match update.content {
                    app::domain::CreditContent::Lines(lines) => (lines.as_slice(), None),
                    app::domain::CreditContent::Charge(charge) => (&[][..], Some(charge)),
                };
                let (_, records) = crate::storage::sql::line_records(lines, currency)?;
                let totals = update.content.totals(currency);
                let minor = |amount| {
                    currency.to_minor(amount).ok_or_else(|| {
                        crate::storage::StorageError::Corrupt(format!("amount {amount} does not fit"))
                    })
                };
                sqlx::query(
                    "UPDATE credit_notes SET date = $2, reason = $3, subtotal_minor = $4, tax_total_minor = $5, \
                     total_minor = $6, charge_code = $7, charge_description = $8, customer_id = $9, \
                     currency = $10, related_invoice_id = $11 WHERE id = $1",
                )
                .bind(update.id)
                .bind(update.date)
                .bind(update.reason)
                .bind(minor(totals.subtotal)?)
                .bind(minor(totals.tax_total)?)
                .bind(minor(totals.total)?)
                .bind(charge.map(|c| c.code.clone()))
                .bind(charge.map(|c| c.description.clone()))
                .bind(update.customer_id)
                .bind(currency.code())
                .bind(update.related_invoice_id)
                .execute(&mut *self.tx)
                .await?;
                sqlx::query("DELETE FROM credit_note_lines WHERE credit_note_id = $1")
                    .bind(update.id)
                    .execute(&mut *self.tx)
                    .await?;
                self.insert_lines("credit_note_lines", "credit_note_id", update.id, records).await
            }

            async fn credit_note_related_invoice(
                &mut self,
                id: i64,
            ) -> Result<Option<Option<i64>>, crate::storage::StorageError> {
                Ok(sqlx::query_scalar("SELECT related_invoice_id FROM credit_notes WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *self.tx)
                    .await?)
            }

            async fn delete_invoice(&mut self, id: i64) -> Result<(), crate::storage::StorageError> {
                sqlx::query("DELETE FROM invoices WHERE id = $1").bind(id).execute(&mut *self.tx).await?;
                Ok(())
            }

            async fn delete_credit_note(&mut self, id: i64) -> Result<(), crate::storage::StorageError> {
                sqlx::query("DELETE FROM credit_notes WHERE id = $1").bind(id).execute(&mut *self.tx).await?;
                Ok(())
            }

            async fn tax_table(&mut self) -> Result<app::domain::TaxTable, crate::storage::StorageError> {
                let rows: Vec<(String, String, String)> =
                    sqlx::query_as("SELECT region, category, rate FROM tax_rules ORDER BY region, category")
                        .fetch_all(&mut *self.tx)
                        .await?;
                let rules = rows
                    .into_iter()
                    .map(|(region, category, rate)| {
                        let rate = rate
                            .parse()
                            .map_err(|e| crate::storage::StorageError::Corrupt(format!("tax rate {rate}: {e}")))?;
                        Ok(app::domain::TaxRule { region, category, rate })
                    })
                    .collect::<Result<_, crate::storage::StorageError>>()?;
                Ok(app::domain::TaxTable { rules })
            }

            async fn replace_tax_table(
                &mut self,
                table: &app::domain::TaxTable,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query("DELETE FROM tax_rules").execute(&mut *self.tx).await?;
                for rule in &table.rules {
                    sqlx::query("INSERT INTO tax_rules (region, category, rate) VALUES ($1, $2, $3)")
                        .bind(&rule.region)
                        .bind(&rule.category)
                        .bind(rule.rate.normalize().to_string())
                        .execute(&mut *self.tx)
                        .await?;
                }
                Ok(())
            }

            async fn commit(self: Box<Self>) -> Result<(), crate::storage::StorageError> {
                self.tx.commit().await?;
                Ok(())
            }
        }
    };
}

pub(crate) use impl_sql_tx;
