//! The journal queries of [`crate::storage::JournalTx`], for both backends.

/// The role a VAT rate's own account is saved under, before the rate: `vat_rate:20`.
pub const VAT_RATE_ROLE: &str = "vat_rate:";

/// The role a VAT rate's own revenue account is saved under, before the rate: `revenue_rate:7`.
pub const REVENUE_RATE_ROLE: &str = "revenue_rate:";

/// Implements [`crate::storage::JournalTx`] for `SqlTx<$db>`.
macro_rules! impl_journal_tx {
    ($db:ty) => {
        #[async_trait::async_trait]
        impl crate::storage::JournalTx for crate::storage::sql::SqlTx<$db> {
            async fn chart_of_accounts(
                &mut self,
            ) -> Result<Option<app::domain::journal::ChartOfAccounts>, crate::storage::StorageError>
            {
                let rows: Vec<(String, String, String)> =
                    sqlx::query_as("SELECT role, code, label FROM chart_of_accounts")
                        .fetch_all(&mut *self.tx)
                        .await?;
                if rows.is_empty() {
                    return Ok(None);
                }
                let mut chart = app::domain::journal::ChartOfAccounts::default();
                let mut revenue_by_rate = Vec::new();
                // A saved chart lists its rates: the defaults' stand only until it does.
                if rows.iter().any(|(role, _, _)| role.starts_with(crate::storage::sql::journal::VAT_RATE_ROLE)) {
                    chart.vat_rates.clear();
                }
                for (role, code, label) in rows {
                    let account = app::domain::journal::Account { code, label };
                    let corrupt =
                        || crate::storage::StorageError::Corrupt(format!("account role {role}"));
                    if let Some(rate) = role.strip_prefix(crate::storage::sql::journal::VAT_RATE_ROLE) {
                        let rate = rate.parse().map_err(|_| corrupt())?;
                        chart.vat_rates.push(app::domain::journal::RateAccount {
                            rate,
                            account,
                            revenue: None,
                        });
                        continue;
                    }
                    if let Some(rate) = role.strip_prefix(crate::storage::sql::journal::REVENUE_RATE_ROLE) {
                        let rate: rust_decimal::Decimal = rate.parse().map_err(|_| corrupt())?;
                        revenue_by_rate.push((rate, account));
                        continue;
                    }
                    match role.as_str() {
                        "receivable" => chart.receivable = account,
                        "customer_credit" => chart.customer_credit = account,
                        "revenue" => chart.revenue = account,
                        "revenue_goods" => chart.revenue_goods = account,
                        "discounts" => chart.discounts = account,
                        "vat_payable" => chart.vat_payable = account,
                        "vat_pending" => chart.vat_pending = account,
                        "bank" => chart.bank = account,
                        "write_off" => chart.write_off = account,
                        "exchange_loss" => chart.exchange_loss = account,
                        "exchange_gain" => chart.exchange_gain = account,
                        _ => return Err(corrupt()),
                    }
                }
                for (rate, account) in revenue_by_rate {
                    let row = chart.vat_rates.iter_mut().find(|row| row.rate == rate).ok_or_else(|| {
                        crate::storage::StorageError::Corrupt(format!("revenue account of rate {rate} without its VAT account"))
                    })?;
                    row.revenue = Some(account);
                }
                chart.vat_rates.sort_by_key(|row| row.rate);
                Ok(Some(chart))
            }

            async fn save_chart_of_accounts(
                &mut self,
                chart: &app::domain::journal::ChartOfAccounts,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query(
                    "DELETE FROM chart_of_accounts WHERE role LIKE 'vat_rate:%' OR role LIKE 'revenue_rate:%'",
                )
                .execute(&mut *self.tx)
                .await?;
                let mut saved: Vec<(String, &app::domain::journal::Account)> = chart
                    .accounts()
                    .into_iter()
                    .map(|(role, account)| (role.to_string(), account))
                    .collect();
                for row in &chart.vat_rates {
                    let rate = row.rate.normalize();
                    saved.push((format!("{}{rate}", crate::storage::sql::journal::VAT_RATE_ROLE), &row.account));
                    if let Some(revenue) = &row.revenue {
                        saved.push((format!("{}{rate}", crate::storage::sql::journal::REVENUE_RATE_ROLE), revenue));
                    }
                }
                for (role, account) in saved {
                    sqlx::query(
                        "INSERT INTO chart_of_accounts (role, code, label) VALUES ($1, $2, $3) \
                         ON CONFLICT (role) DO UPDATE SET code = excluded.code, label = excluded.label",
                    )
                    .bind(role)
                    .bind(&account.code)
                    .bind(&account.label)
                    .execute(&mut *self.tx)
                    .await?;
                }
                Ok(())
            }

            async fn closing_date(
                &mut self,
            ) -> Result<Option<chrono::NaiveDate>, crate::storage::StorageError> {
                Ok(sqlx::query_scalar("SELECT closed_through FROM books_closing WHERE id = 1")
                    .fetch_optional(&mut *self.tx)
                    .await?)
            }

            async fn set_closing_date(
                &mut self,
                date: chrono::NaiveDate,
                at: chrono::DateTime<chrono::Utc>,
                by: Option<i64>,
            ) -> Result<(), crate::storage::StorageError> {
                sqlx::query(
                    "INSERT INTO books_closing (id, closed_through, closed_at, closed_by) \
                     VALUES (1, $1, $2, $3) ON CONFLICT (id) DO UPDATE SET \
                     closed_through = excluded.closed_through, closed_at = excluded.closed_at, \
                     closed_by = excluded.closed_by",
                )
                .bind(date)
                .bind(at)
                .bind(by)
                .execute(&mut *self.tx)
                .await?;
                Ok(())
            }

            async fn journal_head(
                &mut self,
                journal: app::domain::journal::Journal,
            ) -> Result<crate::storage::JournalHead, crate::storage::StorageError> {
                let sql = format!(
                    "SELECT seal FROM journal_heads WHERE journal = $1{}",
                    self.lock()
                );
                let seal: String = sqlx::query_scalar(&sql)
                    .bind(journal.code())
                    .fetch_one(&mut *self.tx)
                    .await?;
                // Read once the head is held, in a statement of its own: on PostgreSQL a
                // statement that waited for the lock still sees what was committed when it began,
                // and a closing or a new fiscal year end commits while holding every head.
                let (closed_through, fiscal_year_end): (Option<chrono::NaiveDate>, Option<String>) =
                    sqlx::query_as(
                        "SELECT (SELECT closed_through FROM books_closing WHERE id = 1), \
                         (SELECT fiscal_year_end FROM seller_profile WHERE id = 1)",
                    )
                    .fetch_one(&mut *self.tx)
                    .await?;
                Ok(crate::storage::JournalHead {
                    seal,
                    closed_through,
                    fiscal_year_end,
                })
            }

            async fn entries_dated_after(
                &mut self,
                date: Option<chrono::NaiveDate>,
            ) -> Result<bool, crate::storage::StorageError> {
                let found: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM journal_entries WHERE ($1 IS NULL OR entry_date > $1) LIMIT 1",
                )
                .bind(date)
                .fetch_optional(&mut *self.tx)
                .await?;
                Ok(found.is_some())
            }

            async fn next_entry_number(
                &mut self,
                journal: app::domain::journal::Journal,
                fiscal_year: (chrono::NaiveDate, chrono::NaiveDate),
            ) -> Result<i64, crate::storage::StorageError> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO journal_numbers (journal, closes_on, last_number) VALUES ($1, $2, \
                     (SELECT COUNT(*) FROM journal_entries WHERE journal = $1 \
                     AND entry_date >= $3 AND entry_date <= $2) + 1) \
                     ON CONFLICT (journal, closes_on) DO UPDATE \
                     SET last_number = journal_numbers.last_number + 1 RETURNING last_number",
                )
                .bind(journal.code())
                .bind(fiscal_year.1)
                .bind(fiscal_year.0)
                .fetch_one(&mut *self.tx)
                .await?)
            }

            async fn insert_journal_entry(
                &mut self,
                new: &crate::storage::NewJournalEntry<'_>,
            ) -> Result<i64, crate::storage::StorageError> {
                let entry = new.entry;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO journal_entries (journal, entry_date, reference, label, currency, \
                     source, invoice_id, credit_note_id, created_at, seal, entry_number) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                )
                .bind(entry.journal.code())
                .bind(entry.date)
                .bind(&entry.reference)
                .bind(&entry.label)
                .bind(entry.currency.code())
                .bind(new.source)
                .bind(new.invoice_id)
                .bind(new.credit_note_id)
                .bind(new.created_at)
                .bind(new.seal)
                .bind(new.number)
                .fetch_one(&mut *self.tx)
                .await?;
                let minor = |amount: rust_decimal::Decimal| {
                    entry.currency.to_minor(amount).ok_or_else(|| {
                        crate::storage::StorageError::Corrupt(format!(
                            "{amount} {} in the entry for {}",
                            entry.currency.code(),
                            entry.reference
                        ))
                    })
                };
                let book = app::domain::exchange::book_currency();
                let book_minor = |amount: rust_decimal::Decimal| {
                    book.to_minor(amount).ok_or_else(|| {
                        crate::storage::StorageError::Corrupt(format!(
                            "{amount} EUR in the entry for {}",
                            entry.reference
                        ))
                    })
                };
                for (position, line) in entry.lines.iter().enumerate() {
                    let aux = line.auxiliary.as_ref();
                    let (book_debit, book_credit) = match line.booked {
                        Some(booked) => (Some(book_minor(booked.debit)?), Some(book_minor(booked.credit)?)),
                        None => (None, None),
                    };
                    sqlx::query(
                        "INSERT INTO journal_lines (entry_id, position, account, account_label, \
                         label, debit_minor, credit_minor, aux_ledger, aux_account, aux_label, \
                         book_debit_minor, book_credit_minor) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                    )
                    .bind(id)
                    .bind(position as i64)
                    .bind(&line.account.code)
                    .bind(&line.account.label)
                    .bind(&line.label)
                    .bind(minor(line.debit)?)
                    .bind(minor(line.credit)?)
                    .bind(aux.map(|aux| aux.ledger.as_str()))
                    .bind(aux.map(|aux| aux.account.code.as_str()))
                    .bind(aux.map(|aux| aux.account.label.as_str()))
                    .bind(book_debit)
                    .bind(book_credit)
                    .execute(&mut *self.tx)
                    .await?;
                }
                sqlx::query("UPDATE journal_heads SET seal = $1 WHERE journal = $2")
                    .bind(new.seal)
                    .bind(entry.journal.code())
                    .execute(&mut *self.tx)
                    .await?;
                Ok(id)
            }

            async fn unposted_documents(
                &mut self,
            ) -> Result<crate::storage::UnpostedDocuments, crate::storage::StorageError> {
                let invoices = sqlx::query_scalar(
                    "SELECT id FROM invoices i WHERE status <> 'draft' AND NOT EXISTS \
                     (SELECT 1 FROM journal_entries e WHERE e.invoice_id = i.id) ORDER BY id",
                )
                .fetch_all(&mut *self.tx)
                .await?;
                let credit_notes = sqlx::query_scalar(
                    "SELECT id FROM credit_notes n WHERE number IS NOT NULL AND NOT EXISTS \
                     (SELECT 1 FROM journal_entries e WHERE e.credit_note_id = n.id) ORDER BY id",
                )
                .fetch_all(&mut *self.tx)
                .await?;
                Ok(crate::storage::UnpostedDocuments {
                    invoices,
                    credit_notes,
                })
            }

            async fn payments_of(
                &mut self,
                invoice_id: i64,
            ) -> Result<Vec<(i64, chrono::NaiveDate)>, crate::storage::StorageError> {
                Ok(sqlx::query_as(
                    "SELECT amount_minor, date FROM payments WHERE invoice_id = $1 ORDER BY id",
                )
                .bind(invoice_id)
                .fetch_all(&mut *self.tx)
                .await?)
            }

            async fn refunds_of(
                &mut self,
                note_id: i64,
            ) -> Result<Vec<(i64, chrono::NaiveDate)>, crate::storage::StorageError> {
                Ok(sqlx::query_as(
                    "SELECT amount_minor, date FROM refunds WHERE credit_note_id = $1 ORDER BY id",
                )
                .bind(note_id)
                .fetch_all(&mut *self.tx)
                .await?)
            }

            async fn settled_on_ledger(
                &mut self,
                ledger: app::domain::journal::Subledger,
                ids: &[i64],
            ) -> Result<std::collections::HashMap<i64, chrono::NaiveDate>, crate::storage::StorageError>
            {
                let column = match ledger {
                    app::domain::journal::Subledger::Receivable => "invoice_id",
                    app::domain::journal::Subledger::CustomerCredit => "credit_note_id",
                };
                let mut settled = std::collections::HashMap::new();
                for ids in ids.chunks(crate::storage::sql::IDS_PER_QUERY) {
                    // The parameters after the ledger's: $2, $3, …
                    let list = (2..ids.len() + 2)
                        .map(|n| format!("${n}"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    let sql = format!(
                        "SELECT e.{column}, MAX(e.entry_date) FROM journal_lines l \
                         JOIN journal_entries e ON e.id = l.entry_id \
                         WHERE l.aux_ledger = $1 AND e.{column} IN ({list}) \
                         GROUP BY e.{column} HAVING SUM(l.debit_minor) = SUM(l.credit_minor)"
                    );
                    let mut query =
                        sqlx::query_as::<_, (i64, chrono::NaiveDate)>(&sql).bind(ledger.as_str());
                    for id in ids {
                        query = query.bind(*id);
                    }
                    settled.extend(query.fetch_all(&mut *self.tx).await?);
                }
                Ok(settled)
            }

            async fn journal_extent(
                &mut self,
                from: chrono::NaiveDate,
                to: chrono::NaiveDate,
            ) -> Result<crate::storage::JournalExtent, crate::storage::StorageError> {
                let (entries, lines, longest_account, highest_customer): (i64, i64, i64, i64) =
                    sqlx::query_as(
                    "SELECT CAST(COUNT(DISTINCT e.id) AS BIGINT), CAST(COUNT(l.entry_id) AS BIGINT), \
                     CAST(COALESCE(MAX(LENGTH(l.account)), 0) AS BIGINT), \
                     CAST((SELECT COALESCE(MAX(id), 0) FROM customers) AS BIGINT) \
                     FROM journal_entries e LEFT JOIN journal_lines l ON l.entry_id = e.id \
                     WHERE e.entry_date >= $1 AND e.entry_date <= $2",
                )
                .bind(from)
                .bind(to)
                .fetch_one(&mut *self.tx)
                .await?;
                Ok(crate::storage::JournalExtent {
                    entries,
                    lines,
                    longest_account,
                    highest_customer,
                })
            }

            async fn journal_entries(
                &mut self,
                filter: &crate::storage::JournalFilter,
            ) -> Result<Vec<crate::storage::JournalEntryRecord>, crate::storage::StorageError>
            {
                type Row = (
                    i64,
                    String,
                    chrono::NaiveDate,
                    String,
                    String,
                    String,
                    String,
                    Option<i64>,
                    Option<i64>,
                    chrono::DateTime<chrono::Utc>,
                    String,
                    Option<i64>,
                );
                let rows: Vec<Row> = sqlx::query_as(
                    "SELECT id, journal, entry_date, reference, label, currency, source, \
                     invoice_id, credit_note_id, created_at, seal, entry_number FROM journal_entries \
                     WHERE id > $1 AND ($2 IS NULL OR entry_date >= $2) \
                     AND ($3 IS NULL OR entry_date <= $3) ORDER BY id LIMIT $4",
                )
                .bind(filter.after)
                .bind(filter.from)
                .bind(filter.to)
                .bind(filter.limit)
                .fetch_all(&mut *self.tx)
                .await?;
                let ids: Vec<i64> = rows.iter().map(|row| row.0).collect();
                let mut lines: std::collections::HashMap<i64, Vec<crate::storage::JournalLineRecord>> =
                    std::collections::HashMap::new();
                for ids in ids.chunks(crate::storage::sql::IDS_PER_QUERY) {
                    let sql = format!(
                        "SELECT entry_id, account, account_label, label, debit_minor, credit_minor, \
                         aux_ledger, aux_account, aux_label, book_debit_minor, book_credit_minor \
                         FROM journal_lines WHERE entry_id IN ({}) ORDER BY entry_id, position",
                        crate::storage::sql::placeholders(ids.len())
                    );
                    let mut query = sqlx::query_as::<_, crate::storage::sql::JournalLineRow>(&sql);
                    for id in ids {
                        query = query.bind(*id);
                    }
                    for row in query.fetch_all(&mut *self.tx).await? {
                        let entry_id = row.entry_id;
                        lines.entry(entry_id).or_default().push(row.into_record()?);
                    }
                }
                rows.into_iter()
                    .map(|(id, journal, date, reference, label, currency, source, invoice_id, credit_note_id, created_at, seal, number)| {
                        let corrupt = |what: String| crate::storage::StorageError::Corrupt(what);
                        Ok(crate::storage::JournalEntryRecord {
                            id,
                            journal: app::domain::journal::Journal::parse(&journal)
                                .ok_or_else(|| corrupt(format!("journal {journal}")))?,
                            date,
                            reference,
                            label,
                            currency: app::domain::Currency::parse(&currency)
                                .map_err(|error| corrupt(format!("currency {currency}: {error}")))?,
                            source,
                            invoice_id,
                            credit_note_id,
                            created_at,
                            seal,
                            number,
                            lines: lines.remove(&id).unwrap_or_default(),
                        })
                    })
                    .collect()
            }

            async fn vat_on_payment(
                &mut self,
                document: crate::storage::SalesDocumentId,
            ) -> Result<Vec<(rust_decimal::Decimal, i64)>, crate::storage::StorageError> {
                let (column, id) = document.column();
                let rows: Vec<(String, i64)> = sqlx::query_as(&format!(
                    "SELECT rate, tax_minor FROM vat_on_payment WHERE {column} = $1 ORDER BY rate"
                ))
                .bind(id)
                .fetch_all(&mut *self.tx)
                .await?;
                rows.into_iter()
                    .map(|(rate, tax)| {
                        let rate = rate.parse().map_err(|_| {
                            crate::storage::StorageError::Corrupt(format!("VAT rate {rate}"))
                        })?;
                        Ok((rate, tax))
                    })
                    .collect()
            }

            async fn set_vat_on_payment(
                &mut self,
                document: crate::storage::SalesDocumentId,
                rows: &[(rust_decimal::Decimal, i64)],
            ) -> Result<(), crate::storage::StorageError> {
                let (column, id) = document.column();
                sqlx::query(&format!("DELETE FROM vat_on_payment WHERE {column} = $1"))
                    .bind(id)
                    .execute(&mut *self.tx)
                    .await?;
                for (rate, tax_minor) in rows {
                    sqlx::query(&format!(
                        "INSERT INTO vat_on_payment ({column}, rate, tax_minor) VALUES ($1, $2, $3)"
                    ))
                    .bind(id)
                    .bind(rate.normalize().to_string())
                    .bind(tax_minor)
                    .execute(&mut *self.tx)
                    .await?;
                }
                Ok(())
            }

            async fn document_rate(
                &mut self,
                document: crate::storage::SalesDocumentId,
            ) -> Result<Option<rust_decimal::Decimal>, crate::storage::StorageError> {
                let table = document.table();
                let (_, id) = document.column();
                let rate: Option<Option<String>> = sqlx::query_scalar(&format!(
                    "SELECT exchange_rate FROM {table} WHERE id = $1"
                ))
                .bind(id)
                .fetch_optional(&mut *self.tx)
                .await?;
                rate.flatten()
                    .map(|rate| crate::storage::sql::exact_rate(&rate))
                    .transpose()
            }

            async fn set_document_rate(
                &mut self,
                document: crate::storage::SalesDocumentId,
                rate: rust_decimal::Decimal,
            ) -> Result<(), crate::storage::StorageError> {
                let table = document.table();
                let (_, id) = document.column();
                sqlx::query(&format!("UPDATE {table} SET exchange_rate = $1 WHERE id = $2"))
                    .bind(rate.normalize().to_string())
                    .bind(id)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(())
            }

            async fn latest_rate(
                &mut self,
                currency: app::domain::Currency,
                date: chrono::NaiveDate,
            ) -> Result<Option<app::domain::exchange::ExchangeRate>, crate::storage::StorageError> {
                let row: Option<(String, chrono::NaiveDate, String)> = sqlx::query_as(
                    "SELECT currency, rate_date, rate FROM exchange_rates \
                     WHERE currency = $1 AND rate_date <= $2 ORDER BY rate_date DESC LIMIT 1",
                )
                .bind(currency.code())
                .bind(date)
                .fetch_optional(&mut *self.tx)
                .await?;
                row.map(crate::storage::sql::exchange_rate).transpose()
            }

            async fn latest_rates(
                &mut self,
            ) -> Result<Vec<app::domain::exchange::ExchangeRate>, crate::storage::StorageError> {
                let rows: Vec<(String, chrono::NaiveDate, String)> = sqlx::query_as(
                    "SELECT r.currency, r.rate_date, r.rate FROM exchange_rates r \
                     WHERE r.rate_date = (SELECT MAX(x.rate_date) FROM exchange_rates x \
                     WHERE x.currency = r.currency) ORDER BY r.currency",
                )
                .fetch_all(&mut *self.tx)
                .await?;
                rows.into_iter().map(crate::storage::sql::exchange_rate).collect()
            }

            async fn exchange_rates(
                &mut self,
                filter: &crate::storage::RateFilter,
            ) -> Result<Vec<app::domain::exchange::ExchangeRate>, crate::storage::StorageError> {
                let rows: Vec<(String, chrono::NaiveDate, String)> = sqlx::query_as(
                    "SELECT currency, rate_date, rate FROM exchange_rates \
                     WHERE ($1 IS NULL OR currency = $1) AND ($2 IS NULL OR rate_date >= $2) \
                     AND ($3 IS NULL OR rate_date <= $3) \
                     ORDER BY rate_date DESC, currency LIMIT $4",
                )
                .bind(filter.currency.map(|currency| currency.code()))
                .bind(filter.from)
                .bind(filter.to)
                .bind(filter.limit)
                .fetch_all(&mut *self.tx)
                .await?;
                rows.into_iter().map(crate::storage::sql::exchange_rate).collect()
            }

            async fn save_exchange_rates(
                &mut self,
                rates: &[app::domain::exchange::ExchangeRate],
                source: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<(), crate::storage::StorageError> {
                // The ECB's history is some 200,000 rates: many rows a statement. A day given
                // twice in one file keeps its last rate.
                let mut latest: std::collections::BTreeMap<(&str, chrono::NaiveDate), &rust_decimal::Decimal> =
                    std::collections::BTreeMap::new();
                for rate in rates {
                    latest.insert((rate.currency.code(), rate.date), &rate.rate);
                }
                let rows: Vec<_> = latest.into_iter().collect();
                for chunk in rows.chunks(500) {
                    let values = (0..chunk.len())
                        .map(|row| {
                            let first = row * 3;
                            format!("(${}, ${}, ${}, $1, $2)", first + 3, first + 4, first + 5)
                        })
                        .collect::<Vec<_>>()
                        .join(", ");
                    let sql = format!(
                        "INSERT INTO exchange_rates (currency, rate_date, rate, source, updated_at) \
                         VALUES {values} ON CONFLICT (currency, rate_date) DO UPDATE \
                         SET rate = excluded.rate, source = excluded.source, \
                         updated_at = excluded.updated_at"
                    );
                    let mut query = sqlx::query(&sql).bind(source).bind(at);
                    for ((currency, date), rate) in chunk {
                        query = query
                            .bind(*currency)
                            .bind(*date)
                            .bind(rate.normalize().to_string());
                    }
                    query.execute(&mut *self.tx).await?;
                }
                Ok(())
            }
        }
    };
}

pub(crate) use impl_journal_tx;
