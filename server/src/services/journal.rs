//! The accounting journal: the services post an entry in the same transaction as the change
//! it records ([`app::domain::journal`] says which accounts), seal it after the last entry of
//! its journal, and read the journal back, as entries or as the French FEC file.
//!
//! A reversal (unlinking, cancelling, taking back "mark paid", editing an issued invoice) is
//! computed from the document with the chart of accounts of the day, and posted as a new
//! entry: entries are never changed.

use app::domain::journal::{
    self, BookAmounts, ChartOfAccounts, JournalEntry, JournalError, JournalLine, Moved, RateTax,
    RevenueKind, RevenueRow, SalesDocument, SettledShare, VatDocument, VatSettlement,
};
use app::domain::{Currency, LineInput, LineNature, Permission, RuleCode, Violation};
use app::model::{CreditNoteView, CurrentUser, InvoiceView, JournalEntryView, JournalPage};
use chrono::NaiveDate;
use serde::Serialize;

use super::{ServiceError, Services};
use crate::storage::{
    JournalEntryRecord, JournalFilter, JournalLineRecord, NewJournalEntry, SalesDocumentId, Tx,
};

/// A line as its entry's seal covers it. Lines without a customer seal as they always did,
/// so entries written before the journal named customers still verify.
#[derive(Serialize)]
#[serde(untagged)]
enum SealedLine<'a> {
    Plain(&'a str, &'a str, &'a str, i64, i64),
    Customer(
        &'a str,
        &'a str,
        &'a str,
        i64,
        i64,
        &'a str,
        &'a str,
        &'a str,
    ),
    /// A line of a foreign entry: the line, then its debit and credit in euros.
    Booked(Box<SealedLine<'a>>, i64, i64),
}

/// What an entry's seal covers, in a fixed order.
#[derive(Serialize)]
struct SealedEntry<'a> {
    journal: &'a str,
    date: String,
    reference: &'a str,
    label: &'a str,
    currency: &'a str,
    source: &'a str,
    invoice_id: Option<i64>,
    credit_note_id: Option<i64>,
    created_at_us: i64,
    lines: Vec<SealedLine<'a>>,
    /// Entries written before numbers were stored seal without one.
    #[serde(skip_serializing_if = "Option::is_none")]
    number: Option<i64>,
}

/// The seal of `entry` after `previous`, the seal of its journal's entry before it.
pub(super) fn entry_seal(previous: &str, entry: &JournalEntryRecord) -> String {
    let sealed = SealedEntry {
        journal: entry.journal.code(),
        date: entry.date.to_string(),
        reference: &entry.reference,
        label: &entry.label,
        currency: entry.currency.code(),
        source: &entry.source,
        invoice_id: entry.invoice_id,
        credit_note_id: entry.credit_note_id,
        created_at_us: entry.created_at.timestamp_micros(),
        number: entry.number,
        lines: entry
            .lines
            .iter()
            .map(|line| {
                let (account, account_label, label) = (
                    line.account.as_str(),
                    line.account_label.as_str(),
                    line.label.as_str(),
                );
                let (debit, credit) = (line.debit_minor, line.credit_minor);
                let sealed = match &line.auxiliary {
                    None => SealedLine::Plain(account, account_label, label, debit, credit),
                    Some(aux) => SealedLine::Customer(
                        account,
                        account_label,
                        label,
                        debit,
                        credit,
                        aux.ledger.as_str(),
                        aux.account.code.as_str(),
                        aux.account.label.as_str(),
                    ),
                };
                match line.booked_minor {
                    None => sealed,
                    Some((debit, credit)) => SealedLine::Booked(Box::new(sealed), debit, credit),
                }
            })
            .collect(),
    };
    super::seals::sha256_after(previous, &sealed)
}

/// Per revenue account (`kind_of` says each line's) and rate, the net amount and tax of a
/// document's lines; a document without lines (a standalone credit's charge) is one row of its
/// totals, on the account `kind_of` gives a services line.
fn revenue(
    lines: &[app::model::LineView],
    currency: Currency,
    totals: (rust_decimal::Decimal, rust_decimal::Decimal),
    kind_of: impl Fn(LineNature) -> RevenueKind,
) -> Result<Vec<RevenueRow>, ServiceError> {
    if lines.is_empty() {
        return Ok(vec![RevenueRow {
            kind: kind_of(LineNature::Services),
            account: None,
            rate: rust_decimal::Decimal::ZERO,
            net: totals.0,
            tax: totals.1,
        }]);
    }
    let inputs: Vec<LineInput> = lines.iter().map(|line| line.input()).collect();
    journal::revenue_rows(&inputs, currency, |line| {
        kind_of(line.nature.unwrap_or_default())
    })
    .map_err(|error| ServiceError::Internal(error.to_string()))
}

fn posting_failed(error: JournalError) -> ServiceError {
    match error {
        // The chart, not the document, is wrong: said so, and nothing is written.
        JournalError::RateOnAutomaticAccount { .. } => ServiceError::Rules(vec![Violation::new(
            RuleCode::AutomaticAccountRate,
            None,
            error.to_string(),
        )]),
        _ => ServiceError::Internal(format!("journal: {error}")),
    }
}

/// What of `document`'s VAT waits for payment, per rate.
pub(super) async fn waiting_vat(
    tx: &mut Box<dyn Tx>,
    document: SalesDocumentId,
    currency: Currency,
) -> Result<Vec<RateTax>, ServiceError> {
    Ok(tx
        .vat_on_payment(document)
        .await?
        .into_iter()
        .map(|(rate, tax_minor)| RateTax {
            rate,
            tax: currency.from_minor(tax_minor),
        })
        .collect())
}

/// Fixes what of a document's VAT waits for payment, from its lines and the seller's option
/// as they are now: when it is issued or finalized, before it is posted, and when an import
/// changes an issued invoice. Answers what waits.
pub(super) async fn fix_vat_on_payment(
    tx: &mut Box<dyn Tx>,
    document: SalesDocumentId,
    lines: &[app::model::LineView],
    currency: Currency,
) -> Result<Vec<RateTax>, ServiceError> {
    let on_debits = tx
        .seller()
        .await?
        .is_some_and(|seller| seller.vat_regime.on_debits);
    let inputs: Vec<LineInput> = lines.iter().map(|line| line.input()).collect();
    let waiting = journal::vat_due_on_payment(&inputs, currency, on_debits)
        .map_err(|error| ServiceError::Internal(error.to_string()))?;
    let rows = waiting
        .iter()
        .map(|row| Ok((row.rate, super::minor(currency, row.tax)?)))
        .collect::<Result<Vec<_>, ServiceError>>()?;
    tx.set_vat_on_payment(document, &rows).await?;
    Ok(waiting)
}

/// The rate `document` (of `currency`) is booked at: none in the books' own currency, nor for
/// a foreign document booked before the books were kept in euros.
pub(super) async fn book_rate(
    tx: &mut Box<dyn Tx>,
    document: SalesDocumentId,
    currency: Currency,
) -> Result<Option<rust_decimal::Decimal>, ServiceError> {
    if currency == app::domain::exchange::book_currency() {
        return Ok(None);
    }
    Ok(tx.document_rate(document).await?)
}

/// The rate of `currency` in force on `date`, or the refusal naming both (on `field`).
pub(super) async fn day_rate(
    tx: &mut Box<dyn Tx>,
    currency: Currency,
    date: NaiveDate,
    field: &str,
) -> Result<rust_decimal::Decimal, ServiceError> {
    let latest = tx.latest_rate(currency, date).await?;
    app::domain::exchange::rate_in_force(latest.as_ref(), date).ok_or_else(|| {
        ServiceError::Rules(vec![app::domain::exchange::missing_rate(
            currency, date, field,
        )])
    })
}

/// What a foreign document is and where its rate comes from.
pub(super) struct Booking {
    pub document: SalesDocumentId,
    pub currency: Currency,
    /// Its date: the rate in force then, unless `corrects` gives one.
    pub date: NaiveDate,
    /// The invoice a credit note corrects: the note takes its rate, so that what it reverses
    /// of the invoice's revenue and VAT is what the invoice booked.
    pub corrects: Option<i64>,
    pub total: rust_decimal::Decimal,
    /// Where a refusal lands.
    pub field: &'static str,
}

impl Booking {
    pub fn of_invoice(invoice: &InvoiceView) -> Self {
        Booking {
            document: SalesDocumentId::Invoice(invoice.id),
            currency: invoice.currency,
            date: invoice.issue_date,
            corrects: invoice
                .related_invoice_id
                .filter(|_| invoice.kind == app::domain::InvoiceKind::Correction),
            total: invoice.total,
            field: "currency",
        }
    }

    pub fn of_note(note: &CreditNoteView) -> Self {
        Booking {
            document: SalesDocumentId::CreditNote(note.id),
            currency: note.currency,
            date: note.date,
            corrects: note.related_invoice_id,
            total: note.total,
            field: "currency",
        }
    }
}

/// Fixes the rate a foreign document is booked at, when it is issued or finalized (before its
/// print is frozen, which shows it): its invoice's, for a note that corrects one booked in
/// euros; else the one in force on its date, and refused without one.
pub(super) async fn fix_book_rate(
    tx: &mut Box<dyn Tx>,
    booking: Booking,
) -> Result<(), ServiceError> {
    if booking.currency == app::domain::exchange::book_currency() {
        return Ok(());
    }
    let corrected = match booking.corrects {
        Some(invoice) => book_rate(tx, SalesDocumentId::Invoice(invoice), booking.currency).await?,
        None => None,
    };
    let rate = match corrected {
        Some(rate) => rate,
        None => day_rate(tx, booking.currency, booking.date, booking.field).await?,
    };
    book_value_checked(booking.total.abs(), rate, booking.currency, booking.field)?;
    tx.set_document_rate(booking.document, rate).await?;
    Ok(())
}

/// `amount` of `currency` in euros at `rate`, refused on `field` when it is too large to keep.
fn book_value_checked(
    amount: rust_decimal::Decimal,
    rate: rust_decimal::Decimal,
    currency: Currency,
    field: &str,
) -> Result<rust_decimal::Decimal, ServiceError> {
    let book = app::domain::exchange::book_currency();
    app::domain::exchange::book_value(amount, rate)
        .ok()
        .filter(|value| book.to_minor(*value).is_some())
        .ok_or_else(|| {
            ServiceError::Rules(vec![Violation::new(
                RuleCode::ValidationError,
                Some(field.into()),
                format!(
                    "{} {} is too large to book in {} at {}",
                    amount,
                    currency.code(),
                    book.code(),
                    rate.normalize()
                ),
            )])
        })
}

/// What `amount` paid or refunded on `date` for `document` is worth in euros: at the day's
/// rate, for a document booked in euros; none for others.
pub(super) async fn bank_value(
    tx: &mut Box<dyn Tx>,
    document: SalesDocumentId,
    currency: Currency,
    amount: rust_decimal::Decimal,
    date: NaiveDate,
) -> Result<Option<rust_decimal::Decimal>, ServiceError> {
    if book_rate(tx, document, currency).await?.is_none() {
        return Ok(None);
    }
    let rate = day_rate(tx, currency, date, "date").await?;
    book_value_checked(amount, rate, currency, "amount").map(Some)
}

/// An amount in euros, in minor units as stored.
pub(super) fn book_minor(amount: rust_decimal::Decimal) -> Result<i64, ServiceError> {
    super::minor(app::domain::exchange::book_currency(), amount)
}

/// What settling `document` (booked at `rate`) over `range` (low, high) clears in euros.
fn settled_value(
    rate: Option<rust_decimal::Decimal>,
    range: (rust_decimal::Decimal, rust_decimal::Decimal),
) -> Result<Option<rust_decimal::Decimal>, ServiceError> {
    rate.map(|rate| app::domain::exchange::settled_value(rate, range.0, range.1))
        .transpose()
        .map_err(|error| ServiceError::Internal(error.to_string()))
}

/// The chart of accounts in force: the one saved in Settings, or the default French one.
async fn chart(tx: &mut Box<dyn Tx>) -> Result<ChartOfAccounts, ServiceError> {
    Ok(tx.chart_of_accounts().await?.unwrap_or_default())
}

/// Which way an entry goes: as its document says, or reversed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Posting {
    Forward,
    Reversal,
}

impl Posting {
    /// The entry to post and what wrote it (`sources`: forward, reversed): the entry itself,
    /// or its reversal dated `date` under the label `reversal_label` gives.
    fn apply(
        self,
        entry: JournalEntry,
        date: NaiveDate,
        sources: (&'static str, &'static str),
        reversal_label: impl FnOnce() -> String,
    ) -> (JournalEntry, &'static str) {
        match self {
            Posting::Forward => (entry, sources.0),
            Posting::Reversal => (entry.reversal(date, reversal_label()), sources.1),
        }
    }
}

impl Services {
    /// Seals `entry` after its journal's last entry and stores it, in `tx`.
    async fn post(
        &self,
        tx: &mut Box<dyn Tx>,
        entry: JournalEntry,
        source: &str,
        invoice_id: Option<i64>,
        credit_note_id: Option<i64>,
    ) -> Result<(), ServiceError> {
        // Both databases keep microseconds: the seal covers what is read back.
        let now = self.now();
        let created_at =
            chrono::DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now);
        // The closing date comes with the held head: a closing holds every head while it moves
        // the date, so no entry slips into a period as it closes.
        let head = tx.journal_head(entry.journal).await?;
        app::domain::periods::check_open(head.closed_through, entry.date, None)?;
        let fiscal_year = app::domain::FiscalYearEnd::year_of_setting(
            head.fiscal_year_end.as_deref(),
            entry.date,
        )
        .ok_or_else(|| ServiceError::Internal(format!("no fiscal year holds {}", entry.date)))?;
        let number = tx.next_entry_number(entry.journal, fiscal_year).await?;
        let minor = |amount| super::minor(entry.currency, amount);
        let record = JournalEntryRecord {
            id: 0,
            journal: entry.journal,
            date: entry.date,
            reference: entry.reference.clone(),
            label: entry.label.clone(),
            currency: entry.currency,
            source: source.to_string(),
            invoice_id,
            credit_note_id,
            created_at,
            seal: String::new(),
            number: Some(number),
            lines: entry
                .lines
                .iter()
                .map(|line| {
                    Ok(JournalLineRecord {
                        account: line.account.code.clone(),
                        account_label: line.account.label.clone(),
                        label: line.label.clone(),
                        debit_minor: minor(line.debit)?,
                        credit_minor: minor(line.credit)?,
                        auxiliary: line.auxiliary.clone(),
                        booked_minor: match line.booked {
                            Some(booked) => {
                                Some((book_minor(booked.debit)?, book_minor(booked.credit)?))
                            }
                            None => None,
                        },
                    })
                })
                .collect::<Result<_, ServiceError>>()?,
        };
        let seal = entry_seal(&head.seal, &record);
        tx.insert_journal_entry(&NewJournalEntry {
            entry: &entry,
            source,
            invoice_id,
            credit_note_id,
            created_at,
            seal: &seal,
            number,
        })
        .await?;
        Ok(())
    }

    /// Posts an invoice's issue (or, reversed, its cancellation or the old side of an edit).
    pub(super) async fn post_invoice(
        &self,
        tx: &mut Box<dyn Tx>,
        invoice: &InvoiceView,
        posting: Posting,
        date: NaiveDate,
    ) -> Result<(), ServiceError> {
        let chart = chart(tx).await?;
        let rows = revenue(
            &invoice.lines,
            invoice.currency,
            (invoice.subtotal, invoice.tax_total),
            RevenueKind::of_sale,
        )?;
        let id = SalesDocumentId::Invoice(invoice.id);
        let waiting = waiting_vat(tx, id, invoice.currency).await?;
        let document = SalesDocument {
            number: &invoice.number,
            date: invoice.issue_date,
            currency: invoice.currency,
            customer: &journal::customer_account(invoice.customer_id, &invoice.customer_name),
            revenue: &rows,
            vat_on_payment: &waiting,
            total: invoice.total,
            rate: book_rate(tx, id, invoice.currency).await?,
        };
        if posting == Posting::Forward {
            journal::check_automatic_accounts(&chart, &invoice.number, &rows)
                .map_err(posting_failed)?;
        }
        let entry = journal::invoice_issued(&chart, &document).map_err(posting_failed)?;
        let (entry, source) =
            posting.apply(entry, date, ("invoice_issued", "invoice_reversed"), || {
                format!("Annulation facture {}", invoice.number)
            });
        self.post(tx, entry, source, Some(invoice.id), None).await
    }

    /// Posts a credit note's finalization (or, reversed, its cancellation).
    pub(super) async fn post_credit_note(
        &self,
        tx: &mut Box<dyn Tx>,
        note: &CreditNoteView,
        posting: Posting,
        date: NaiveDate,
    ) -> Result<(), ServiceError> {
        let chart = chart(tx).await?;
        let rows = revenue(
            &note.lines,
            note.currency,
            (note.subtotal, note.tax_total),
            |nature| RevenueKind::of_credit(nature, note.reason_category),
        )?;
        let number = note.display_number();
        let id = SalesDocumentId::CreditNote(note.id);
        let waiting = waiting_vat(tx, id, note.currency).await?;
        let document = SalesDocument {
            number: &number,
            date: note.date,
            currency: note.currency,
            customer: &journal::customer_account(note.customer_id, &note.customer_name),
            revenue: &rows,
            vat_on_payment: &waiting,
            total: note.total,
            rate: book_rate(tx, id, note.currency).await?,
        };
        if posting == Posting::Forward {
            journal::check_automatic_accounts(&chart, &number, &rows).map_err(posting_failed)?;
        }
        let entry = journal::credit_note_finalized(&chart, &document).map_err(posting_failed)?;
        let (entry, source) = posting.apply(
            entry,
            date,
            ("credit_note_finalized", "credit_note_reversed"),
            || format!("Annulation avoir {number}"),
        );
        self.post(tx, entry, source, None, Some(note.id)).await
    }

    /// Posts a payment on `invoice` (as it was before; or, reversed, one taken back), and the
    /// VAT it makes due. `bank_value` is what the money is worth in euros, for an invoice
    /// booked in euros: the receivable clears at the invoice's rate, and the two differ by a
    /// realised exchange difference.
    pub(super) async fn post_payment(
        &self,
        tx: &mut Box<dyn Tx>,
        invoice: &InvoiceView,
        amount: rust_decimal::Decimal,
        bank_value: Option<rust_decimal::Decimal>,
        date: NaiveDate,
        posting: Posting,
    ) -> Result<(), ServiceError> {
        let chart = chart(tx).await?;
        let customer = journal::customer_account(invoice.customer_id, &invoice.customer_name);
        let document = SalesDocumentId::Invoice(invoice.id);
        // `invoice` is as it was before: the payment settles (or, taken back, unsettles) the
        // amounts between `before` and `after`.
        let before = invoice.balance().settled();
        let after = match posting {
            Posting::Forward => before.saturating_add(amount),
            Posting::Reversal => before.saturating_sub(amount),
        };
        let rate = book_rate(tx, document, invoice.currency).await?;
        let receivable = settled_value(rate, (before.min(after), before.max(after)))?;
        let moved = Moved {
            amount,
            booked: receivable.map(|value| (bank_value.unwrap_or(value), value)),
        };
        let entry = journal::payment(
            &chart,
            &customer,
            &invoice.number,
            date,
            invoice.currency,
            moved,
        )
        .map_err(posting_failed)?;
        let (entry, source) = posting.apply(entry, date, ("payment", "payment_reversed"), || {
            format!("Annulation règlement {}", invoice.number)
        });
        self.post(tx, entry, source, Some(invoice.id), None).await?;
        // Its services' VAT falls due with the payment.
        self.post_vat_due(
            tx,
            document,
            &invoice.number,
            invoice.currency,
            invoice.total,
            (before, after),
            date,
        )
        .await
    }

    /// Posts a credit note applied to an invoice (or, reversed, unlinked from it). `settles`
    /// is, for the invoice then the note, the range of its settled amount the credit covers
    /// (low, high): in a foreign currency, each side clears its own document at that
    /// document's rate, and the two differ by a realised exchange difference.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn post_application(
        &self,
        tx: &mut Box<dyn Tx>,
        note: (i64, &str),
        invoice: &InvoiceView,
        amount: rust_decimal::Decimal,
        settles: [(rust_decimal::Decimal, rust_decimal::Decimal); 2],
        date: NaiveDate,
        posting: Posting,
    ) -> Result<(), ServiceError> {
        let chart = chart(tx).await?;
        let customer = journal::customer_account(invoice.customer_id, &invoice.customer_name);
        let invoice_rate =
            book_rate(tx, SalesDocumentId::Invoice(invoice.id), invoice.currency).await?;
        let note_rate =
            book_rate(tx, SalesDocumentId::CreditNote(note.0), invoice.currency).await?;
        // A document booked before the books were in euros holds its own amounts there (rate
        // 1, as the FEC shows them): beside one booked in euros, it is valued so.
        let unvalued = invoice_rate
            .or(note_rate)
            .map(|_| rust_decimal::Decimal::ONE);
        let (invoice_rate, note_rate) = (invoice_rate.or(unvalued), note_rate.or(unvalued));
        let receivable = settled_value(invoice_rate, settles[0])?;
        let credit = settled_value(note_rate, settles[1])?;
        let moved = Moved {
            amount,
            booked: credit.zip(receivable),
        };
        let entry = journal::credit_applied(
            &chart,
            &customer,
            note.1,
            &invoice.number,
            date,
            invoice.currency,
            moved,
        )
        .map_err(posting_failed)?;
        let (entry, source) =
            posting.apply(entry, date, ("credit_applied", "credit_unapplied"), || {
                format!("Désimputation {} de {}", note.1, invoice.number)
            });
        self.post(tx, entry, source, Some(invoice.id), Some(note.0))
            .await
    }

    /// Posts credit released from `note` (as it was before): refunded, or what remained
    /// voided, and the VAT it makes due. `bank_value` is what a refund is worth in euros, for
    /// a note booked in euros; a void writes off the credit at the note's own value.
    pub(super) async fn post_release(
        &self,
        tx: &mut Box<dyn Tx>,
        note: &CreditNoteView,
        release: journal::CreditRelease,
        amount: rust_decimal::Decimal,
        bank_value: Option<rust_decimal::Decimal>,
        date: NaiveDate,
    ) -> Result<(), ServiceError> {
        let chart = chart(tx).await?;
        let customer = journal::customer_account(note.customer_id, &note.customer_name);
        let before = note.balance().settled();
        let rate = book_rate(tx, SalesDocumentId::CreditNote(note.id), note.currency).await?;
        let credit = settled_value(rate, (before, before.saturating_add(amount)))?;
        let moved = Moved {
            amount,
            booked: credit.map(|value| (value, bank_value.unwrap_or(value))),
        };
        let entry = journal::credit_released(
            &chart,
            &customer,
            &note.display_number(),
            release,
            date,
            note.currency,
            moved,
        )
        .map_err(posting_failed)?;
        self.post(tx, entry, release.source(), None, Some(note.id))
            .await?;
        // `note` is as it was before: its services' VAT falls due as it is settled.
        let document = SalesDocumentId::CreditNote(note.id);
        let settled = (before, before.saturating_add(amount));
        let number = note.display_number();
        self.post_vat_due(
            tx,
            document,
            &number,
            note.currency,
            note.total,
            settled,
            date,
        )
        .await
    }

    /// Posts the VAT a change of a document's settlement makes due, or takes back (a payment,
    /// a credit applied, a refund, a void, or one taken back): `settled` is how much of its
    /// `total` was settled before and after. Nothing when none of its VAT waits for payment.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn post_vat_due(
        &self,
        tx: &mut Box<dyn Tx>,
        document: SalesDocumentId,
        number: &str,
        currency: Currency,
        total: rust_decimal::Decimal,
        settled: (rust_decimal::Decimal, rust_decimal::Decimal),
        date: NaiveDate,
    ) -> Result<(), ServiceError> {
        let waiting = waiting_vat(tx, document, currency).await?;
        let share = |settled| SettledShare {
            waiting: &waiting,
            total,
            settled,
        };
        let shares = (share(settled.0), share(settled.1));
        self.post_vat_change(tx, document, number, currency, shares, date)
            .await
    }

    /// Posts what a change of a document makes due from its VAT awaiting payment: the
    /// difference between what `shares` (before, after) make due.
    pub(super) async fn post_vat_change(
        &self,
        tx: &mut Box<dyn Tx>,
        document: SalesDocumentId,
        number: &str,
        currency: Currency,
        shares: (SettledShare<'_>, SettledShare<'_>),
        date: NaiveDate,
    ) -> Result<(), ServiceError> {
        if shares.0.waiting.is_empty() && shares.1.waiting.is_empty() {
            return Ok(());
        }
        let chart = chart(tx).await?;
        let (kind, invoice_id, credit_note_id) = match document {
            SalesDocumentId::Invoice(id) => (VatDocument::Invoice, Some(id), None),
            SalesDocumentId::CreditNote(id) => (VatDocument::CreditNote, None, Some(id)),
        };
        let settlement = VatSettlement {
            document: kind,
            number,
            date,
            currency,
            before: shares.0,
            after: shares.1,
            rate: book_rate(tx, document, currency).await?,
        };
        match journal::vat_on_payment_released(&chart, &settlement).map_err(posting_failed)? {
            Some(entry) => {
                self.post(tx, entry, "vat_due", invoice_id, credit_note_id)
                    .await
            }
            None => Ok(()),
        }
    }

    /// Posts a balance carried over onto a customer ledger (`amount`, debit − credit).
    pub(super) async fn post_opening_balance(
        &self,
        tx: &mut Box<dyn Tx>,
        customer: (i64, &str),
        ledger: journal::Subledger,
        currency: Currency,
        amount: rust_decimal::Decimal,
        date: NaiveDate,
    ) -> Result<(), ServiceError> {
        let chart = chart(tx).await?;
        let account = journal::customer_account(customer.0, customer.1);
        let moved = Moved::unvalued(amount);
        let entry = journal::opening_balance(&chart, &account, ledger, date, currency, moved)
            .map_err(posting_failed)?;
        self.post(tx, entry, "opening_balance", None, None).await
    }

    /// Journal entries dated within `from..=to` (staff), in the order they were written,
    /// `limit` at most after entry `after`.
    pub async fn journal(
        &self,
        user: &CurrentUser,
        filter: JournalFilter,
    ) -> Result<Vec<JournalEntryView>, ServiceError> {
        self.authorize(user, Permission::ReadInternalDetails)?;
        let mut tx = self.storage.read().await?;
        let entries = tx.journal_entries(&filter).await?;
        Ok(entries.into_iter().map(entry_view).collect())
    }

    /// The journal screen's page: entries dated within `from..=to`, after entry `after`.
    pub async fn journal_page(
        &self,
        user: &CurrentUser,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        after: i64,
    ) -> Result<JournalPage, ServiceError> {
        let page = super::list_page(after);
        let filter = JournalFilter {
            from,
            to,
            after: page.after,
            limit: page.limit,
        };
        let mut entries = self.journal(user, filter).await?;
        let next_after = super::next_cursor(&mut entries, |entry| entry.id);
        let year = chrono::Datelike::year(&self.now().date_naive());
        Ok(JournalPage {
            entries,
            next_after,
            fec_years: vec![year, year - 1],
        })
    }

    /// The accounts entries are written to (administrators).
    pub async fn chart_of_accounts(
        &self,
        user: &CurrentUser,
    ) -> Result<ChartOfAccounts, ServiceError> {
        self.authorize(user, Permission::ManageUsers)?;
        let mut tx = self.storage.read().await?;
        chart(&mut tx).await
    }

    /// Changes the accounts later entries are written to (administrators); entries already
    /// written keep theirs.
    pub async fn set_chart_of_accounts(
        &self,
        user: &CurrentUser,
        chart: ChartOfAccounts,
    ) -> Result<ChartOfAccounts, ServiceError> {
        self.authorize(user, Permission::ManageUsers)?;
        let chart = ChartOfAccounts {
            receivable: tidy(chart.receivable),
            customer_credit: tidy(chart.customer_credit),
            revenue: tidy(chart.revenue),
            revenue_goods: tidy(chart.revenue_goods),
            discounts: tidy(chart.discounts),
            vat_payable: tidy(chart.vat_payable),
            vat_pending: tidy(chart.vat_pending),
            vat_rates: chart
                .vat_rates
                .into_iter()
                .map(|row| journal::RateAccount {
                    rate: row.rate.normalize(),
                    account: tidy(row.account),
                    revenue: row.revenue.map(tidy),
                })
                .collect(),
            bank: tidy(chart.bank),
            write_off: tidy(chart.write_off),
            exchange_loss: tidy(chart.exchange_loss),
            exchange_gain: tidy(chart.exchange_gain),
        };
        let violations: Vec<Violation> = chart
            .violations()
            .into_iter()
            .map(|(field, message)| {
                Violation::new(RuleCode::ValidationError, Some(field.into()), message)
            })
            .collect();
        if !violations.is_empty() {
            return Err(ServiceError::Rules(violations));
        }
        let mut tx = self.storage.write().await?;
        tx.save_chart_of_accounts(&chart).await?;
        tx.commit().await?;
        Ok(chart)
    }
}

fn tidy(account: journal::Account) -> journal::Account {
    journal::Account {
        code: account.code.trim().to_string(),
        label: account.label.trim().to_string(),
    }
}

/// An entry as staff read it.
pub fn entry_view(entry: JournalEntryRecord) -> JournalEntryView {
    let currency = entry.currency;
    JournalEntryView {
        id: entry.id,
        journal: entry.journal,
        date: entry.date,
        reference: entry.reference,
        label: entry.label,
        currency,
        source: entry.source,
        invoice_id: entry.invoice_id,
        credit_note_id: entry.credit_note_id,
        created_at: entry.created_at,
        number: entry.number,
        lines: entry
            .lines
            .into_iter()
            .map(|line| JournalLine {
                account: journal::Account {
                    code: line.account,
                    label: line.account_label,
                },
                label: line.label,
                debit: currency.from_minor(line.debit_minor),
                credit: currency.from_minor(line.credit_minor),
                auxiliary: line.auxiliary,
                booked: line.booked_minor.map(|(debit, credit)| {
                    let book = app::domain::exchange::book_currency();
                    BookAmounts {
                        debit: book.from_minor(debit),
                        credit: book.from_minor(credit),
                    }
                }),
            })
            .collect(),
        seal: entry.seal,
    }
}
