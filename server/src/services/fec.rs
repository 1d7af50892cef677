//! The FEC (fichier des écritures comptables, French tax procedure code art. A47 A-1): every
//! journal entry of a fiscal year, one line per debit or credit, 18 tab-separated columns,
//! dates as YYYYMMDD and amounts with a decimal comma.
//!
//! A year of a busy ledger is millions of lines: the file is streamed, a page of entries per
//! read transaction, so the server holds one page at a time whatever the year's size. Entries
//! are sealed and never change, so reading them page by page (by id) gives the same file as
//! one snapshot, plus whatever is posted to the year while it downloads.

use std::collections::HashMap;

use app::domain::Permission;
use app::model::CurrentUser;
use chrono::NaiveDate;
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use rust_decimal::Decimal;

use super::{ServiceError, Services};
use crate::storage::{JournalEntryRecord, JournalFilter};

/// The columns, in the order the format fixes.
pub const FEC_COLUMNS: [&str; 18] = [
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
];

/// The currency the books are kept in; other currencies also fill `Montantdevise`/`Idevise`.
const BOOK_CURRENCY: &str = "EUR";

/// Entries read per query, and so held in memory at once.
const PAGE: i64 = 500;

/// A FEC file: its name (`<SIREN>FEC<closing date>.txt`), and its text as it is read, the
/// header and a page of entries per chunk.
pub struct FecFile {
    pub file_name: String,
    pub chunks: BoxStream<'static, Result<Vec<u8>, ServiceError>>,
}

/// Where a FEC being streamed stands: the next page to read, and each journal's last
/// `EcritureNum` (entries are numbered within their journal, across pages).
struct FecCursor {
    services: Services,
    filter: JournalFilter,
    numbers: HashMap<&'static str, u64>,
    header_written: bool,
    done: bool,
}

fn date(date: NaiveDate) -> String {
    date.format("%Y%m%d").to_string()
}

fn amount(amount: Decimal) -> String {
    format!("{:.2}", amount).replace('.', ",")
}

/// A text field: never the separator or a line break, and never read as a formula when the
/// file is opened in a spreadsheet (names, labels and numbers come from users): one that would
/// start with `=`, `+`, `-`, `@`, a tab or a line break starts with `'` instead. Amounts and
/// dates are written by the server and never pass here.
fn text(value: &str) -> String {
    let looks_like_formula = value.starts_with(['=', '+', '-', '@', '\t', '\r', '\n']);
    let value = value.replace(['\t', '\r', '\n'], " ");
    if looks_like_formula {
        format!("'{value}")
    } else {
        value
    }
}

/// Writes the entries as FEC lines (after the header, when `header`); entries are numbered
/// within their journal, in order, following `numbers`.
fn write_fec(
    entries: &[JournalEntryRecord],
    numbers: &mut HashMap<&'static str, u64>,
    header: bool,
) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b'\t')
        .quote_style(csv::QuoteStyle::Never)
        .from_writer(Vec::new());
    if header {
        writer.write_record(FEC_COLUMNS)?;
    }
    for entry in entries {
        let code = entry.journal.code();
        let number = numbers.entry(code).or_default();
        *number += 1;
        let foreign = entry.currency.code() != BOOK_CURRENCY;
        for line in &entry.lines {
            let debit = entry.currency.from_minor(line.debit_minor);
            let credit = entry.currency.from_minor(line.credit_minor);
            let (foreign_amount, foreign_code) = if foreign {
                (amount(debit.max(credit)), entry.currency.code().to_string())
            } else {
                (String::new(), String::new())
            };
            writer.write_record([
                code.to_string(),
                text(entry.journal.label()),
                format!("{code}{number:06}"),
                date(entry.date),
                text(&line.account),
                text(&line.account_label),
                // The customer's own account, on receivable and customer-credit lines.
                line.auxiliary
                    .as_ref()
                    .map_or_else(String::new, |aux| text(&aux.account.code)),
                line.auxiliary
                    .as_ref()
                    .map_or_else(String::new, |aux| text(&aux.account.label)),
                text(&entry.reference),
                date(entry.date),
                text(&line.label),
                amount(debit),
                amount(credit),
                String::new(),
                String::new(),
                date(entry.created_at.date_naive()),
                foreign_amount,
                foreign_code,
            ])?;
        }
    }
    writer
        .into_inner()
        .map_err(|error| csv::Error::from(error.into_error()))
}

impl FecCursor {
    /// The next chunk: the header with the first page, then a page per call; `None` after the
    /// last page.
    async fn next_chunk(mut self) -> Result<Option<(Vec<u8>, Self)>, ServiceError> {
        if self.done {
            return Ok(None);
        }
        let page = {
            let mut tx = self.services.storage.read().await?;
            tx.journal_entries(&self.filter).await?
        };
        match page.last() {
            Some(last) if page.len() as i64 == self.filter.limit => self.filter.after = last.id,
            _ => self.done = true,
        }
        let chunk = write_fec(&page, &mut self.numbers, !self.header_written)
            .map_err(|error| ServiceError::Internal(format!("FEC: {error}")))?;
        self.header_written = true;
        Ok(Some((chunk, self)))
    }
}

impl Services {
    /// Every journal entry dated in `year`, as a FEC file (staff).
    pub async fn fec(&self, user: &CurrentUser, year: i32) -> Result<FecFile, ServiceError> {
        self.authorize(user, Permission::ReadInternalDetails)?;
        self.render_limiter.take(user.id)?;
        let seller = {
            let mut tx = self.storage.read().await?;
            tx.seller().await?
        };
        // The fiscal year that closes in `year` (Settings; the calendar year by default).
        let end = seller
            .as_ref()
            .and_then(|seller| seller.fiscal_year_end.as_deref())
            .and_then(|end| app::domain::FiscalYearEnd::parse(end).ok())
            .unwrap_or_default();
        let Some((from, to)) = end.year_closing_in(year) else {
            return Err(super::rule(
                app::domain::RuleCode::ValidationError,
                "year",
                "Use a year like 2026",
            ));
        };
        // The SIREN of Settings; a seller that gave none yet is named by its French VAT id.
        let siren = seller.as_ref().and_then(|seller| {
            seller.legal_identity.siren.clone().or_else(|| {
                seller
                    .vat_id
                    .as_deref()
                    .and_then(app::domain::siren_of_french_vat_id)
            })
        });
        let cursor = FecCursor {
            services: self.clone(),
            filter: JournalFilter {
                from: Some(from),
                to: Some(to),
                after: 0,
                limit: PAGE,
            },
            numbers: HashMap::new(),
            header_written: false,
            done: false,
        };
        // The first page is read before answering: a database that fails then is an error
        // status, not a file cut short.
        let (first, cursor) = cursor
            .next_chunk()
            .await?
            .ok_or_else(|| ServiceError::Internal("FEC: no header".into()))?;
        let rest = futures_util::stream::try_unfold(cursor, FecCursor::next_chunk);
        let chunks = futures_util::stream::iter([Ok(first)]).chain(rest).boxed();
        Ok(FecFile {
            file_name: format!("{}FEC{}.txt", siren.unwrap_or_default(), date(to)),
            chunks,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_take_a_decimal_comma_and_texts_stay_on_their_line() {
        assert_eq!(amount("1410.5".parse().unwrap()), "1410,50");
        assert_eq!(amount(Decimal::ZERO), "0,00");
        assert_eq!(text("a\tb\nc"), "a b c");
        assert_eq!(text("=1+1"), "'=1+1");
        assert_eq!(text("\t@SUM(1)"), "' @SUM(1)");
        assert_eq!(text("Facture =1"), "Facture =1");
    }
}
