//! The ledger queries of [`crate::storage::LedgerTx`], for both backends.

/// Implements [`crate::storage::LedgerTx`] for `SqlTx<$db>`.
macro_rules! impl_ledger_tx {
    ($db:ty) => {
        #[async_trait::async_trait]
        impl crate::storage::LedgerTx for crate::storage::sql::SqlTx<$db> {
            async fn insert_customer(
                &mut self,
                customer: &crate::storage::NewCustomer,
            ) -> Result<i64, crate::storage::StorageError> {
                // The row takes its id and creation time here; what it says is written by the
                // same statement as an edit.
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO customers (name, currency, tax_region, created_at) \
                     VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(&customer.name)
                .bind(customer.currency.code())
                .bind(&customer.tax_region)
                .bind(customer.created_at)
                .fetch_one(&mut *self.tx)
                .await?;
                crate::storage::LedgerTx::update_customer(self, id, customer).await?;
                Ok(id)
            }

            async fn update_customer(
                &mut self,
                id: i64,
                customer: &crate::storage::CustomerUpdate,
            ) -> Result<bool, crate::storage::StorageError> {
                let address = crate::storage::sql::address_json;
                let done = sqlx::query(
                    "UPDATE customers SET name = $2, email = $3, currency = $4, tax_region = $5, \
                     vat_id = $6, billing_address = $7, shipping_address = $8, search_key = $9, \
                     siren = $10, consumer = $11, document_language = $12 WHERE id = $1",
                )
                .bind(id)
                .bind(&customer.name)
                .bind(&customer.email)
                .bind(customer.currency.code())
                .bind(&customer.tax_region)
                .bind(&customer.vat_id)
                .bind(address(&customer.billing_address))
                .bind(address(&customer.shipping_address))
                .bind(app::domain::search::customer_search_key(
                    &customer.name,
                    customer.currency.code(),
                    &customer.tax_region,
                ))
                .bind(&customer.siren)
                .bind(customer.consumer)
                .bind(customer.document_language.code())
                .execute(&mut *self.tx)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn customer_has_documents(
                &mut self,
                id: i64,
            ) -> Result<bool, crate::storage::StorageError> {
                let found: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM invoices WHERE customer_id = $1 \
                     UNION ALL SELECT id FROM credit_notes WHERE customer_id = $1 LIMIT 1",
                )
                .bind(id)
                .fetch_optional(&mut *self.tx)
                .await?;
                Ok(found.is_some())
            }

            async fn insert_invoice(
                &mut self,
                invoice: &crate::storage::NewInvoice,
            ) -> Result<i64, crate::storage::StorageError> {
                let totals = invoice.content.totals;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO invoices (number, customer_id, currency, issue_date, due_date, \
                     status, subtotal_minor, tax_total_minor, total_minor, created_at, updated_at, \
                     kind, related_invoice_id, project, imported) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $12, $13, $14) \
                     RETURNING id",
                )
                .bind(&invoice.number)
                .bind(invoice.customer_id)
                .bind(invoice.currency.code())
                .bind(invoice.issue_date)
                .bind(invoice.due_date)
                .bind(invoice.status.as_str())
                .bind(totals.subtotal_minor)
                .bind(totals.tax_total_minor)
                .bind(totals.total_minor)
                .bind(invoice.created_at)
                .bind(invoice.kind.as_str())
                .bind(invoice.related_invoice_id)
                .bind(&invoice.project)
                .bind(invoice.imported)
                .fetch_one(&mut *self.tx)
                .await?;
                self.insert_lines("invoice_lines", "invoice_id", id, &invoice.content.lines).await?;
                Ok(id)
            }

            async fn insert_credit_note(
                &mut self,
                note: &crate::storage::NewCreditNote,
            ) -> Result<i64, crate::storage::StorageError> {
                let totals = note.content.totals;
                let charge = note.charge.as_ref();
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO credit_notes (customer_id, currency, date, status, reason, \
                     related_invoice_id, subtotal_minor, tax_total_minor, total_minor, created_at, \
                     charge_code, charge_description, reason_category, billing_address, \
                     shipping_address, project, external_reference) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
                     $17) \
                     RETURNING id",
                )
                .bind(note.customer_id)
                .bind(note.currency.code())
                .bind(note.date)
                .bind(note.status.as_str())
                .bind(&note.reason)
                .bind(note.related_invoice_id)
                .bind(totals.subtotal_minor)
                .bind(totals.tax_total_minor)
                .bind(totals.total_minor)
                .bind(note.created_at)
                .bind(charge.map(|c| c.code.clone()))
                .bind(charge.map(|c| c.description.clone()))
                .bind(note.reason_category.map(|c| c.as_str()))
                .bind(crate::storage::sql::address_json(&note.billing_address))
                .bind(crate::storage::sql::address_json(&note.shipping_address))
                .bind(&note.project)
                .bind(&note.external_reference)
                .fetch_one(&mut *self.tx)
                .await?;
                self.insert_lines("credit_note_lines", "credit_note_id", id, &note.content.lines).await?;
                Ok(id)
            }

            async fn list_invoices(
                &mut self,
            ) -> Result<Vec<crate::storage::InvoiceRecord>, crate::storage::StorageError> {
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
            ) -> Result<Option<crate::storage::InvoiceRecord>, crate::storage::StorageError> {
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
            ) -> Result<Vec<crate::storage::CreditNoteRecord>, crate::storage::StorageError> {
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

            async fn customer_credit_note_balances(
                &mut self,
                customer_id: i64,
                status: app::domain::CreditNoteStatus,
            ) -> Result<Vec<crate::storage::CreditNoteBalanceRecord>, crate::storage::StorageError> {
                let sql = format!(
                    "{} WHERE customer_id = $1 AND status = $2 ORDER BY date, id",
                    crate::storage::sql::CREDIT_NOTE_BALANCE_COLUMNS
                );
                sqlx::query_as::<_, crate::storage::sql::CreditNoteBalanceRow>(&sql)
                    .bind(customer_id)
                    .bind(status.as_str())
                    .fetch_all(&mut *self.tx)
                    .await?
                    .into_iter()
                    .map(crate::storage::sql::CreditNoteBalanceRow::into_record)
                    .collect()
            }

            async fn credit_notes(
                &mut self,
                ids: &[i64],
            ) -> Result<Vec<crate::storage::CreditNoteRecord>, crate::storage::StorageError> {
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

            async fn invoice_balance(
                &mut self,
                id: i64,
            ) -> Result<Option<app::domain::InvoiceBalance>, crate::storage::StorageError> {
                let sql = format!(
                    "SELECT id, customer_id, currency, status, total_minor, paid_minor, \
                     credited_minor FROM invoices WHERE id = $1{}",
                    self.lock()
                );
                sqlx::query_as::<_, crate::storage::sql::InvoiceBalanceRow>(&sql)
                    .bind(id)
                    .fetch_optional(&mut *self.tx)
                    .await?
                    .map(crate::storage::sql::InvoiceBalanceRow::into_balance)
                    .transpose()
            }

            async fn credit_note_balances(
                &mut self,
                ids: &[i64],
            ) -> Result<Vec<crate::storage::CreditNoteBalanceRecord>, crate::storage::StorageError> {
                let mut ids = ids.to_vec();
                ids.sort_unstable();
                ids.dedup();
                let sql = format!(
                    "{} WHERE id = $1{}",
                    crate::storage::sql::CREDIT_NOTE_BALANCE_COLUMNS,
                    self.lock()
                );
                let mut notes = Vec::with_capacity(ids.len());
                // One id at a time, ascending: locks are always taken in the same order.
                for id in ids {
                    if let Some(row) =
                        sqlx::query_as::<_, crate::storage::sql::CreditNoteBalanceRow>(&sql)
                            .bind(id)
                            .fetch_optional(&mut *self.tx)
                            .await?
                    {
                        notes.push(row.into_record()?);
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
            ) -> Result<i64, crate::storage::StorageError> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO allocations (credit_note_id, invoice_id, amount_minor, created_at) \
                     VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(credit_note_id)
                .bind(invoice_id)
                .bind(amount_minor)
                .bind(at)
                .fetch_one(&mut *self.tx)
                .await?)
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

            async fn void_credit_note(
                &mut self,
                id: i64,
                voided_minor: i64,
                reason: &str,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query(
                    "UPDATE credit_notes SET voided_minor = $2, void_reason = $3, status = 'used' \
                     WHERE id = $1",
                )
                .bind(id)
                .bind(voided_minor)
                .bind(reason)
                .execute(&mut *self.tx)
                .await?;
                Ok(())
            }

            async fn finalize_credit_note(
                &mut self,
                id: i64,
                number: &str,
                date: chrono::NaiveDate,
                at: chrono::DateTime<chrono::Utc>,
                imported: bool,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query(
                    "UPDATE credit_notes SET number = $2, date = $3, status = 'available', \
                     finalized_at = $4, imported = $5 WHERE id = $1",
                )
                .bind(id)
                .bind(number)
                .bind(date)
                .bind(at)
                .bind(imported)
                .execute(&mut *self.tx)
                .await?;
                Ok(())
            }

            async fn numbered_credit_note_date(
                &mut self,
                number: &str,
            ) -> Result<Option<chrono::NaiveDate>, crate::storage::StorageError> {
                let date: Option<chrono::NaiveDate> = sqlx::query_scalar(
                    "SELECT date FROM credit_notes WHERE number = $1",
                )
                .bind(number)
                .fetch_optional(&mut *self.tx)
                .await?;
                Ok(date)
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
            ) -> Result<Option<crate::storage::CustomerRecord>, crate::storage::StorageError> {
                let sql = format!("{} WHERE id = $1", crate::storage::sql::CUSTOMER_COLUMNS);
                sqlx::query_as::<_, crate::storage::sql::CustomerRow>(&sql)
                    .bind(id)
                    .fetch_optional(&mut *self.tx)
                    .await?
                    .map(crate::storage::sql::CustomerRow::into_record)
                    .transpose()
            }

            async fn find_customers(
                &mut self,
                page: crate::storage::Page,
            ) -> Result<Vec<crate::storage::CustomerRecord>, crate::storage::StorageError> {
                let sql = format!("{} WHERE id > $1 ORDER BY id LIMIT $2", crate::storage::sql::CUSTOMER_COLUMNS);
                sqlx::query_as::<_, crate::storage::sql::CustomerRow>(&sql)
                    .bind(page.after)
                    .bind(page.limit)
                    .fetch_all(&mut *self.tx)
                    .await?
                    .into_iter()
                    .map(crate::storage::sql::CustomerRow::into_record)
                    .collect()
            }

            async fn search_customers(
                &mut self,
                words: &[String],
                limit: i64,
            ) -> Result<Vec<crate::storage::CustomerRecord>, crate::storage::StorageError> {
                // One `LIKE` per word; the words are data, bound, with `%`, `_` and `\` escaped.
                let mut sql = format!("{} WHERE TRUE", crate::storage::sql::CUSTOMER_COLUMNS);
                for n in 1..=words.len() {
                    sql.push_str(&format!(" AND search_key LIKE ${n} ESCAPE '\\'"));
                }
                sql.push_str(&format!(" ORDER BY name, id LIMIT ${}", words.len() + 1));
                let mut query = sqlx::query_as::<_, crate::storage::sql::CustomerRow>(&sql);
                for word in words {
                    query = query.bind(crate::storage::sql::like_contains(word));
                }
                query
                    .bind(limit)
                    .fetch_all(&mut *self.tx)
                    .await?
                    .into_iter()
                    .map(crate::storage::sql::CustomerRow::into_record)
                    .collect()
            }

            async fn customer_remaining_credit(
                &mut self,
                customer_id: i64,
            ) -> Result<Vec<(app::domain::Currency, i64)>, crate::storage::StorageError> {
                // BIGINT: PostgreSQL's SUM(bigint) is numeric.
                let sums: Vec<(String, i64)> = sqlx::query_as(
                    "SELECT currency, CAST(SUM(total_minor - allocated_minor - refunded_minor \
                     - voided_minor) AS BIGINT) FROM credit_notes \
                     WHERE customer_id = $1 AND status = $2 GROUP BY currency ORDER BY currency",
                )
                .bind(customer_id)
                .bind(app::domain::CreditNoteStatus::Available.as_str())
                .fetch_all(&mut *self.tx)
                .await?;
                sums.into_iter()
                    .map(|(code, minor)| Ok((crate::storage::sql::currency(&code)?, minor)))
                    .collect()
            }

            async fn credited_total(
                &mut self,
                invoice_id: i64,
                statuses: &[app::domain::CreditNoteStatus],
                excluding: Option<i64>,
            ) -> Result<(i64, i64), crate::storage::StorageError> {
                let counted: Vec<String> =
                    (0..statuses.len()).map(|n| format!("${}", n + 3)).collect();
                let counted = if counted.is_empty() { "NULL".to_string() } else { counted.join(", ") };
                // BIGINT: PostgreSQL's SUM(bigint) is numeric.
                let sql = format!(
                    "SELECT CAST(COALESCE(SUM(CASE WHEN status IN ({counted}) AND id <> $2 \
                     THEN total_minor ELSE 0 END), 0) AS BIGINT), COUNT(*) \
                     FROM credit_notes WHERE related_invoice_id = $1"
                );
                let mut query = sqlx::query_as(&sql).bind(invoice_id).bind(excluding.unwrap_or(0));
                for status in statuses {
                    query = query.bind(status.as_str());
                }
                Ok(query.fetch_one(&mut *self.tx).await?)
            }

            async fn set_customer_search_key(
                &mut self,
                id: i64,
                key: &str,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query("UPDATE customers SET search_key = $2 WHERE id = $1")
                    .bind(id)
                    .bind(key)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(())
            }

            async fn set_customer_portal(
                &mut self,
                id: i64,
                enabled: bool,
            ) -> Result<bool, crate::storage::StorageError> {
                let done = sqlx::query("UPDATE customers SET portal_enabled = $2 WHERE id = $1")
                    .bind(id)
                    .bind(enabled)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn customer_exists(&mut self, id: i64) -> Result<bool, crate::storage::StorageError> {
                let found: Option<i64> = sqlx::query_scalar("SELECT id FROM customers WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *self.tx)
                    .await?;
                Ok(found.is_some())
            }

            async fn customer_name(&mut self, id: i64) -> Result<Option<String>, crate::storage::StorageError> {
                Ok(sqlx::query_scalar("SELECT name FROM customers WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *self.tx)
                    .await?)
            }

            async fn find_invoices(
                &mut self,
                filter: &crate::storage::InvoiceFilter,
                page: crate::storage::Page,
            ) -> Result<Vec<crate::storage::InvoiceRecord>, crate::storage::StorageError> {
                let list = crate::storage::sql::lists::invoices(filter, page);
                let rows = crate::storage::sql::lists::bind_list_args!(
                    sqlx::query_as::<_, crate::storage::sql::InvoiceRow>(&list.sql),
                    list.args
                )
                .fetch_all(&mut *self.tx)
                .await?;
                self.complete_invoices(rows).await
            }

            async fn find_credit_notes(
                &mut self,
                filter: &crate::storage::CreditNoteFilter,
                page: crate::storage::Page,
            ) -> Result<Vec<crate::storage::CreditNoteRecord>, crate::storage::StorageError> {
                let list = crate::storage::sql::lists::credit_notes(filter, page);
                let rows = crate::storage::sql::lists::bind_list_args!(
                    sqlx::query_as::<_, crate::storage::sql::CreditNoteRow>(&list.sql),
                    list.args
                )
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

            async fn set_invoice_dates(
                &mut self,
                id: i64,
                issue_date: chrono::NaiveDate,
                due_date: Option<chrono::NaiveDate>,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query("UPDATE invoices SET issue_date = $2, due_date = $3 WHERE id = $1")
                    .bind(id)
                    .bind(issue_date)
                    .bind(due_date)
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

            async fn referring_document_count(&mut self, invoice_id: i64) -> Result<i64, crate::storage::StorageError> {
                Ok(sqlx::query_scalar(
                    "SELECT (SELECT COUNT(*) FROM credit_notes WHERE related_invoice_id = $1) \
                     + (SELECT COUNT(*) FROM invoices WHERE related_invoice_id = $1)",
                )
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
            ) -> Result<Option<crate::storage::AllocationRecord>, crate::storage::StorageError> {
                let sql = format!("{} WHERE a.id = $1", crate::storage::sql::ALLOCATION_COLUMNS);
                sqlx::query_as::<_, crate::storage::sql::AllocationRow>(&sql)
                    .bind(id)
                    .fetch_optional(&mut *self.tx)
                    .await?
                    .map(crate::storage::sql::AllocationRow::into_record)
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

            async fn latest_events(
                &mut self,
                column: &'static str,
                id: i64,
                limit: i64,
            ) -> Result<(Vec<crate::storage::EventRecord>, i64), crate::storage::StorageError> {
                let sql = format!(
                    "SELECT id, at, actor, kind, data FROM timeline_events WHERE {column} = $1 \
                     ORDER BY at DESC, id DESC LIMIT $2"
                );
                let mut events: Vec<crate::storage::EventRecord> = sqlx::query_as(&sql)
                    .bind(id)
                    .bind(limit)
                    .fetch_all(&mut *self.tx)
                    .await?;
                events.reverse();
                let count = format!("SELECT COUNT(*) FROM timeline_events WHERE {column} = $1");
                let total: i64 = sqlx::query_scalar(&count)
                    .bind(id)
                    .fetch_one(&mut *self.tx)
                    .await?;
                Ok((events, total))
            }

            async fn insert_payment(
                &mut self,
                invoice_id: i64,
                amount_minor: i64,
                date: chrono::NaiveDate,
                method: Option<&str>,
                reference: Option<&str>,
                from_mark_paid: bool,
                book_amount_minor: Option<i64>,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query(
                    "INSERT INTO payments (invoice_id, amount_minor, date, method, reference, from_mark_paid, \
                     book_amount_minor, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(invoice_id)
                .bind(amount_minor)
                .bind(date)
                .bind(method)
                .bind(reference)
                .bind(from_mark_paid)
                .bind(book_amount_minor)
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

            async fn mark_paid_book_value(&mut self, invoice_id: i64) -> Result<Option<i64>, crate::storage::StorageError> {
                Ok(sqlx::query_scalar(
                    "SELECT CAST(SUM(book_amount_minor) AS BIGINT) FROM payments \
                     WHERE invoice_id = $1 AND from_mark_paid = TRUE",
                )
                .bind(invoice_id)
                .fetch_one(&mut *self.tx)
                .await?)
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
                content: &crate::storage::ContentRecord,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query(
                    "UPDATE invoices SET customer_id = $2, currency = $3, due_date = $4, subtotal_minor = $5, \
                     tax_total_minor = $6, total_minor = $7, updated_at = $8 WHERE id = $1",
                )
                .bind(id)
                .bind(customer_id)
                .bind(currency.code())
                .bind(due_date)
                .bind(content.totals.subtotal_minor)
                .bind(content.totals.tax_total_minor)
                .bind(content.totals.total_minor)
                .bind(at)
                .execute(&mut *self.tx)
                .await?;
                sqlx::query("DELETE FROM invoice_lines WHERE invoice_id = $1")
                    .bind(id)
                    .execute(&mut *self.tx)
                    .await?;
                self.insert_lines("invoice_lines", "invoice_id", id, &content.lines).await
            }

            async fn update_credit_note(
                &mut self,
                update: &crate::storage::CreditNoteUpdate<'_>,
            ) -> Result<(), crate::storage::StorageError> {
                let totals = update.content.totals;
                let charge = update.charge.as_ref();
                sqlx::query(
                    "UPDATE credit_notes SET date = $2, reason = $3, subtotal_minor = $4, tax_total_minor = $5, \
                     total_minor = $6, charge_code = $7, charge_description = $8, customer_id = $9, \
                     currency = $10, related_invoice_id = $11, reason_category = $12, \
                     billing_address = $13, shipping_address = $14 WHERE id = $1",
                )
                .bind(update.id)
                .bind(update.date)
                .bind(update.reason)
                .bind(totals.subtotal_minor)
                .bind(totals.tax_total_minor)
                .bind(totals.total_minor)
                .bind(charge.map(|c| c.code.clone()))
                .bind(charge.map(|c| c.description.clone()))
                .bind(update.customer_id)
                .bind(update.currency.code())
                .bind(update.related_invoice_id)
                .bind(update.reason_category.map(|c| c.as_str()))
                .bind(crate::storage::sql::address_json(update.billing_address))
                .bind(crate::storage::sql::address_json(update.shipping_address))
                .execute(&mut *self.tx)
                .await?;
                sqlx::query("DELETE FROM credit_note_lines WHERE credit_note_id = $1")
                    .bind(update.id)
                    .execute(&mut *self.tx)
                    .await?;
                self.insert_lines("credit_note_lines", "credit_note_id", update.id, &update.content.lines).await
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
        }
    };
}

pub(crate) use impl_ledger_tx;
