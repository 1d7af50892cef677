//! The FEC (fichier des écritures comptables, French tax procedure code art. A47 A-1): every
//! journal entry of a fiscal year, one line per debit or credit, 18 tab-separated columns,
//! dates as YYYYMMDD and amounts with a decimal comma.

use app::domain::Permission;
use app::model::CurrentUser;
use chrono::NaiveDate;
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

/// Entries read per query.
const PAGE: i64 = 1000;

/// A FEC file: its name (`<SIREN>FEC<closing date>.txt`) and its text.
pub struct FecFile {
    pub file_name: String,
    pub content: String,
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

/// The SIREN a French VAT id holds (FR + 2 key characters + 9 digits).
fn siren(vat_id: Option<&str>) -> Option<String> {
    let id: String = vat_id?.chars().filter(|c| !c.is_whitespace()).collect();
    let digits = id.strip_prefix("FR")?.get(2..)?;
    (digits.len() == 9 && digits.chars().all(|c| c.is_ascii_digit())).then(|| digits.to_string())
}

/// Writes the entries as FEC lines; entries are numbered within their journal, in order.
fn write_fec(entries: &[JournalEntryRecord]) -> Result<String, csv::Error> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b'\t')
        .quote_style(csv::QuoteStyle::Never)
        .from_writer(Vec::new());
    writer.write_record(FEC_COLUMNS)?;
    let mut numbers: std::collections::HashMap<&str, u64> = std::collections::HashMap::new();
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
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
}

impl Services {
    /// Every journal entry dated in `year`, as a FEC file (staff).
    pub async fn fec(&self, user: &CurrentUser, year: i32) -> Result<FecFile, ServiceError> {
        self.authorize(user, Permission::ReadInternalDetails)?;
        self.render_limiter.take(user.id)?;
        let (Some(from), Some(to)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            return Err(super::rule(
                app::domain::RuleCode::ValidationError,
                "year",
                "Use a year like 2026",
            ));
        };
        let mut tx = self.storage.read().await?;
        let mut entries = Vec::new();
        let mut filter = JournalFilter {
            from: Some(from),
            to: Some(to),
            after: 0,
            limit: PAGE,
        };
        loop {
            let page = tx.journal_entries(&filter).await?;
            let Some(last) = page.last() else { break };
            filter.after = last.id;
            entries.extend(page);
        }
        let seller = tx.seller().await?;
        let siren = siren(seller.as_ref().and_then(|s| s.vat_id.as_deref()));
        let content =
            write_fec(&entries).map_err(|error| ServiceError::Internal(format!("FEC: {error}")))?;
        Ok(FecFile {
            file_name: format!("{}FEC{}.txt", siren.unwrap_or_default(), date(to)),
            content,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_take_a_decimal_comma_and_sirens_come_from_french_vat_ids() {
        assert_eq!(amount("1410.5".parse().unwrap()), "1410,50");
        assert_eq!(amount(Decimal::ZERO), "0,00");
        assert_eq!(siren(Some("FR32 123456789")).as_deref(), Some("123456789"));
        assert_eq!(siren(Some("DE811907980")), None);
        assert_eq!(text("a\tb\nc"), "a b c");
        assert_eq!(text("=1+1"), "'=1+1");
        assert_eq!(text("\t@SUM(1)"), "' @SUM(1)");
        assert_eq!(text("Facture =1"), "Facture =1");
    }
}
