//! The queries, written once for both backends. SQLite and PostgreSQL accept the same SQL here
//! (`$n` parameters, `RETURNING`, `ON CONFLICT`); the one difference, row locks, is the
//! `lock` argument: `FOR UPDATE` on PostgreSQL, nothing on SQLite (whose write transactions
//! already hold the database).

use app::domain::{CreditNoteStatus, Currency, InvoiceStatus, LineInput, document_totals};
use app::model::{AllocationView, CreditNoteView, InvoiceView};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{Database, Transaction};

use super::StorageError;

/// A transaction on database `DB`; `locking` is set for write transactions.
pub struct SqlTx<DB: Database> {
    pub tx: Transaction<'static, DB>,
    pub locking: bool,
}

pub const INVOICE_COLUMNS: &str = "SELECT i.id, i.number, i.customer_id, c.name AS customer_name, \
     i.currency, i.issue_date, i.due_date, i.status, i.total_minor, i.paid_minor, i.credited_minor \
     FROM invoices i JOIN customers c ON c.id = i.customer_id";

pub const CREDIT_NOTE_COLUMNS: &str = "SELECT id, number, customer_id, currency, date, status, reason, \
     total_minor, allocated_minor, refunded_minor FROM credit_notes";

pub const ALLOCATION_COLUMNS: &str = "SELECT a.id, a.credit_note_id, n.number AS credit_note_number, \
     a.invoice_id, i.number AS invoice_number, a.amount_minor, a.created_at, i.currency \
     FROM allocations a JOIN credit_notes n ON n.id = a.credit_note_id \
     JOIN invoices i ON i.id = a.invoice_id";

#[derive(sqlx::FromRow)]
pub struct InvoiceRow {
    id: i64,
    number: String,
    customer_id: i64,
    customer_name: String,
    currency: String,
    issue_date: NaiveDate,
    due_date: Option<NaiveDate>,
    status: String,
    total_minor: i64,
    paid_minor: i64,
    credited_minor: i64,
}

#[derive(sqlx::FromRow)]
pub struct CreditNoteRow {
    id: i64,
    number: Option<String>,
    customer_id: i64,
    currency: String,
    date: NaiveDate,
    status: String,
    reason: Option<String>,
    total_minor: i64,
    allocated_minor: i64,
    refunded_minor: i64,
}

#[derive(sqlx::FromRow)]
pub struct AllocationRow {
    id: i64,
    credit_note_id: i64,
    credit_note_number: Option<String>,
    invoice_id: i64,
    invoice_number: String,
    amount_minor: i64,
    created_at: DateTime<Utc>,
    currency: String,
}

fn currency(code: &str) -> Result<Currency, StorageError> {
    Currency::parse(code).map_err(|e| StorageError::Corrupt(e.to_string()))
}

impl InvoiceRow {
    pub fn into_view(self, allocations: Vec<AllocationView>) -> Result<InvoiceView, StorageError> {
        let currency = currency(&self.currency)?;
        Ok(InvoiceView {
            id: self.id,
            number: self.number,
            customer_id: self.customer_id,
            customer_name: self.customer_name,
            currency,
            issue_date: self.issue_date,
            due_date: self.due_date,
            status: InvoiceStatus::parse(&self.status)
                .ok_or_else(|| StorageError::Corrupt(format!("invoice status {}", self.status)))?,
            total: currency.from_minor(self.total_minor),
            paid_amount: currency.from_minor(self.paid_minor),
            credited_amount: currency.from_minor(self.credited_minor),
            allocations,
        })
    }
}

impl CreditNoteRow {
    pub fn into_view(self) -> Result<CreditNoteView, StorageError> {
        let currency = currency(&self.currency)?;
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
            total: currency.from_minor(self.total_minor),
            allocated_amount: currency.from_minor(self.allocated_minor),
            refunded_amount: currency.from_minor(self.refunded_minor),
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

            async fn allocations_of_invoice(
                &mut self,
                invoice_id: i64,
            ) -> Result<Vec<app::model::AllocationView>, crate::storage::StorageError> {
                let sql = format!(
                    "{} WHERE a.invoice_id = $1 ORDER BY a.id",
                    crate::storage::sql::ALLOCATION_COLUMNS
                );
                sqlx::query_as::<_, crate::storage::sql::AllocationRow>(&sql)
                    .bind(invoice_id)
                    .fetch_all(&mut *self.tx)
                    .await?
                    .into_iter()
                    .map(crate::storage::sql::AllocationRow::into_view)
                    .collect()
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
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO customers (name, email, currency, tax_region, created_at) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(&customer.name)
                .bind(&customer.email)
                .bind(customer.currency.code())
                .bind(&customer.tax_region)
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
                     status, subtotal_minor, tax_total_minor, total_minor, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
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
                .fetch_one(&mut *self.tx)
                .await?;
                self.insert_lines("invoice_lines", "invoice_id", id, lines).await?;
                Ok(id)
            }

            async fn insert_credit_note(
                &mut self,
                note: &crate::storage::NewCreditNote,
            ) -> Result<i64, crate::storage::StorageError> {
                let ([subtotal, tax_total, total], lines) =
                    crate::storage::sql::line_records(&note.lines, note.currency)?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO credit_notes (customer_id, currency, date, status, reason, \
                     related_invoice_id, subtotal_minor, tax_total_minor, total_minor, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
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
                sqlx::query_as::<_, crate::storage::sql::InvoiceRow>(&sql)
                    .fetch_all(&mut *self.tx)
                    .await?
                    .into_iter()
                    .map(|row| row.into_view(Vec::new()))
                    .collect()
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
                let allocations = self.allocations_of_invoice(id).await?;
                row.into_view(allocations).map(Some)
            }

            async fn customer_credit_notes(
                &mut self,
                customer_id: i64,
                status: Option<app::domain::CreditNoteStatus>,
            ) -> Result<Vec<app::model::CreditNoteView>, crate::storage::StorageError> {
                let sql = format!(
                    "{} WHERE customer_id = $1 AND ($2 IS NULL OR status = $2) ORDER BY date, id",
                    crate::storage::sql::CREDIT_NOTE_COLUMNS
                );
                sqlx::query_as::<_, crate::storage::sql::CreditNoteRow>(&sql)
                    .bind(customer_id)
                    .bind(status.map(|s| s.as_str()))
                    .fetch_all(&mut *self.tx)
                    .await?
                    .into_iter()
                    .map(crate::storage::sql::CreditNoteRow::into_view)
                    .collect()
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
                let mut notes = Vec::with_capacity(ids.len());
                // One id at a time, ascending: locks are always taken in the same order.
                for id in ids {
                    if let Some(row) = sqlx::query_as::<_, crate::storage::sql::CreditNoteRow>(&sql)
                        .bind(id)
                        .fetch_optional(&mut *self.tx)
                        .await?
                    {
                        notes.push(row.into_view()?);
                    }
                }
                Ok(notes)
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
                .bind(event.kind)
                .bind(event.data.to_string())
                .execute(&mut *self.tx)
                .await?;
                Ok(())
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
                sqlx::query_as::<_, crate::storage::sql::InvoiceRow>(&sql)
                    .bind(customer_id)
                    .fetch_all(&mut *self.tx)
                    .await?
                    .into_iter()
                    .map(|row| row.into_view(Vec::new()))
                    .collect()
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

            async fn login_throttle(
                &mut self,
                email: &str,
            ) -> Result<Option<crate::storage::ThrottleRecord>, crate::storage::StorageError> {
                Ok(sqlx::query_as(
                    "SELECT failures, first_failed_at, locked_until FROM login_throttle WHERE email = $1",
                )
                .bind(email)
                .fetch_optional(&mut *self.tx)
                .await?)
            }

            async fn set_login_throttle(
                &mut self,
                email: &str,
                throttle: Option<&crate::storage::ThrottleRecord>,
            ) -> Result<(), crate::storage::StorageError> {
                match throttle {
                    None => {
                        sqlx::query("DELETE FROM login_throttle WHERE email = $1")
                            .bind(email)
                            .execute(&mut *self.tx)
                            .await?;
                    }
                    Some(throttle) => {
                        sqlx::query(
                            "INSERT INTO login_throttle (email, failures, first_failed_at, locked_until) \
                             VALUES ($1, $2, $3, $4) ON CONFLICT (email) DO UPDATE SET \
                             failures = excluded.failures, first_failed_at = excluded.first_failed_at, \
                             locked_until = excluded.locked_until",
                        )
                        .bind(email)
                        .bind(throttle.failures)
                        .bind(throttle.first_failed_at)
                        .bind(throttle.locked_until)
                        .execute(&mut *self.tx)
                        .await?;
                    }
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
